/* 长者模式 / 无障碍: larger text and higher contrast, remembered in localStorage ("portal-care").
   The class is set before the first paint by care-boot.js in <head> (main.html); this file wires the
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

  /* Material wraps wide tables in a scrolling box on DOMContentLoaded (its handler was registered first, by
     the bundle): make each box reachable by keyboard and named, or a phone user cannot scroll it
     (WCAG 2.1.1, axe scrollable-region-focusable). */
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "表格（可横向滚动）");
    });
  });
})();
