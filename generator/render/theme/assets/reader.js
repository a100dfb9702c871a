/* The article page's 字号（大 中 小）steps, remembered across pages in localStorage ("portal-size": s, m or l).
   The class (portal-size-s / portal-size-l on <html>) is set before the first paint by care-boot.js in
   <head>; this file shows the tools (they need JavaScript) and wires the buttons. */
(function () {
  "use strict";
  var KEY = "portal-size";
  var root = document.documentElement;

  function current() {
    if (root.classList.contains("portal-size-l")) return "l";
    if (root.classList.contains("portal-size-s")) return "s";
    return "m";
  }

  function sync() {
    var size = current();
    document.querySelectorAll("[data-portal-size]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-portal-size") === size ? "true" : "false");
    });
  }

  function set(size) {
    root.classList.remove("portal-size-s", "portal-size-l");
    if (size === "s" || size === "l") root.classList.add("portal-size-" + size);
    try { localStorage.setItem(KEY, size); } catch (e) { /* private mode: this page only */ }
    sync();
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("[data-portal-size]");
    if (button) set(button.getAttribute("data-portal-size"));
  });
  document.querySelectorAll(".portal-tools").forEach(function (t) { t.hidden = false; });
  sync();
})();
