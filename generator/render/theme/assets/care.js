/* 适老化/无障碍 toolbar: text size steps, high contrast, large cursor, reading line, 长者模式, keyboard shortcuts,
   reset. Each setting is a class on <html>, remembered in localStorage and set again before the first paint by
   care-boot.js in <head> (main.html). No external script: government intranets block them, and none is needed.
   Keyboard: every control is a <button> (aria-pressed / aria-expanded); Esc closes the innermost open panel and
   returns focus to the button that opened it; Alt+Shift+letter shortcuts are listed in the toolbar's help panel. */
(function () {
  "use strict";
  var root = document.documentElement;
  var FLAGS = ["care", "contrast", "cursor", "readline"];
  var TEXTS = ["", "l", "xl"];

  function store(key, value) {
    try {
      if (value) localStorage.setItem(key, value); else localStorage.removeItem(key);
    } catch (e) { /* private mode: this page only */ }
  }

  function textStep() {
    return root.classList.contains("portal-text-xl") ? "xl" : root.classList.contains("portal-text-l") ? "l" : "";
  }

  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }

  function sync() {
    all("[data-portal-care]").forEach(function (b) {
      b.setAttribute("aria-pressed", root.classList.contains("portal-care") ? "true" : "false");
    });
    all("[data-portal-flag]").forEach(function (b) {
      b.setAttribute("aria-pressed", root.classList.contains("portal-" + b.getAttribute("data-portal-flag")) ? "true" : "false");
    });
    var step = textStep();
    all("[data-portal-text]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-portal-text") === step ? "true" : "false");
    });
    readline(root.classList.contains("portal-readline"));
  }

  function setFlag(name, on) {
    root.classList.toggle("portal-" + name, on);
    /* 长者模式 keeps its historical "0" for off (bookmarked states and tests read it) */
    store("portal-" + name, on ? "1" : (name === "care" ? "0" : ""));
    sync();
  }

  function setText(step) {
    root.classList.remove("portal-text-l", "portal-text-xl");
    if (step) root.classList.add("portal-text-" + step);
    store("portal-text", step);
    sync();
  }

  function reset() {
    FLAGS.forEach(function (f) { root.classList.remove("portal-" + f); store("portal-" + f, ""); });
    setText("");
  }

  /* 阅读线: a band that follows the pointer (and the keyboard focus), drawn as a positioned element. */
  var line = null;
  function place(y) { if (line) line.style.top = Math.max(0, y) + "px"; }
  function onMove(ev) { place(ev.clientY - 4); }
  function onFocus(ev) {
    var r = ev.target && ev.target.getBoundingClientRect ? ev.target.getBoundingClientRect() : null;
    if (r && r.height) place(r.bottom);
  }
  function readline(on) {
    if (on && !line && document.body) {
      line = document.createElement("div");
      line.className = "portal-readline-bar";
      line.setAttribute("aria-hidden", "true");
      document.body.appendChild(line);
      place(window.innerHeight / 3);
      document.addEventListener("mousemove", onMove, {passive: true});
      document.addEventListener("focusin", onFocus);
    } else if (!on && line) {
      line.remove();
      line = null;
      document.removeEventListener("mousemove", onMove);
      document.removeEventListener("focusin", onFocus);
    }
  }

  /* The toolbar and its help panel */
  function bar() { return document.getElementById("portal-a11ybar"); }
  function keysPanel() { return document.getElementById("portal-a11y-keys"); }
  var opener = null;

  function openBar(from, focusSelector) {
    var b = bar();
    if (!b) return;
    opener = from || document.querySelector("[data-portal-a11y]");
    b.hidden = false;
    all("[data-portal-a11y]").forEach(function (x) { x.setAttribute("aria-expanded", "true"); });
    var first = b.querySelector(focusSelector || "button[aria-pressed='true'][data-portal-text]") || b.querySelector("button");
    if (first) first.focus();
  }

  function closeBar() {
    var b = bar();
    if (!b || b.hidden) return;
    showKeys(false);
    b.hidden = true;
    all("[data-portal-a11y]").forEach(function (x) { x.setAttribute("aria-expanded", "false"); });
    var back = opener || document.querySelector("[data-portal-a11y]");
    opener = null;
    if (back) back.focus();
  }

  function showKeys(on, focusBack) {
    var p = keysPanel();
    if (!p) return;
    p.hidden = !on;
    var button = document.querySelector("[data-portal-keys]");
    if (button) {
      button.setAttribute("aria-expanded", on ? "true" : "false");
      if (focusBack) button.focus();
    }
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target.closest ? ev.target : null;
    if (!t) return;
    var b;
    if ((b = t.closest("[data-portal-care]"))) setFlag("care", !root.classList.contains("portal-care"));
    else if ((b = t.closest("[data-portal-flag]"))) {
      var name = b.getAttribute("data-portal-flag");
      setFlag(name, !root.classList.contains("portal-" + name));
    } else if ((b = t.closest("[data-portal-text]"))) setText(b.getAttribute("data-portal-text"));
    else if ((b = t.closest("[data-portal-reset]"))) reset();
    else if ((b = t.closest("[data-portal-keys]"))) showKeys(keysPanel() && keysPanel().hidden);
    else if ((b = t.closest("[data-portal-a11y-close]"))) closeBar();
    else if ((b = t.closest("[data-portal-a11y]"))) { if (bar() && bar().hidden) openBar(b); else closeBar(); }
  });

  var SHORTCUTS = {
    KeyC: function () { setFlag("contrast", !root.classList.contains("portal-contrast")); },
    KeyM: function () { setFlag("cursor", !root.classList.contains("portal-cursor")); },
    KeyL: function () { setFlag("readline", !root.classList.contains("portal-readline")); },
    KeyE: function () { setFlag("care", !root.classList.contains("portal-care")); },
    KeyR: reset,
    Digit1: function () { setText(TEXTS[0]); },
    Digit2: function () { setText(TEXTS[1]); },
    Digit3: function () { setText(TEXTS[2]); },
    KeyA: function () { if (bar() && bar().hidden) openBar(null); else closeBar(); }
  };

  document.addEventListener("keydown", function (ev) {
    if (ev.altKey && ev.shiftKey && !ev.ctrlKey && !ev.metaKey && SHORTCUTS[ev.code]) {
      ev.preventDefault();
      SHORTCUTS[ev.code]();
      return;
    }
    if (ev.key !== "Escape") return;
    var b = bar();
    if (!b || b.hidden) return;
    var p = keysPanel(), at = document.activeElement;
    if (!(b.contains(at) || at === document.body || (at && at.hasAttribute("data-portal-a11y")))) return;
    if (p && !p.hidden) showKeys(false, true);  /* the innermost panel first */
    else closeBar();
    ev.preventDefault();
  });

  if (document.body) sync();
  else document.addEventListener("DOMContentLoaded", sync);

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
