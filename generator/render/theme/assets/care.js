/* 长者模式 / 无障碍: larger text and higher contrast, remembered in localStorage ("portal-care").
   The class is set before the first paint by an inline line in <head> (main.html); this file wires the
   header button. No external script: government intranets block them, and none is needed. */
(function () {
  "use strict";
  var KEY = "portal-care";
  var root = document.documentElement;

  function sync() {
    var on = root.classList.contains("portal-care");
    document.querySelectorAll("[data-portal-care]").forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function set(on) {
    root.classList.toggle("portal-care", on);
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
    sync();
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("[data-portal-care]");
    if (button) set(!root.classList.contains("portal-care"));
  });
  sync();
})();
