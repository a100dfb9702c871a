/* Shows the print buttons (the handbook's, a guide's, an article's): they need JavaScript; Ctrl+P works
   without. The article's button sits in the reader's tools, shown by reader.js. */
(function () {
  "use strict";
  document.querySelectorAll(".portal-print").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
})();
