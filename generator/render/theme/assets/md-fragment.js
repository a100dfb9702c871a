/* Material for MkDocs' inline fragment fix (partials/javascripts/content.html), moved to a file for the CSP. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"));
