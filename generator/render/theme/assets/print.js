/* Shows the print button of the handbook (it needs JavaScript; Ctrl+P works without). */
(function () {
  "use strict";
  var b = document.querySelector(".portal-print");
  if (!b) return;
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
})();
