"""The 适老化/无障碍 toolbar (issue 20, point 5) in Debian's Chromium, driven by the keyboard alone: open it from
the header, set each mode, see every choice kept on the next page before the first paint, reset; axe finds
nothing serious with the toolbar open, nor with high contrast on any page kind, and high contrast reaches the
AAA ratio (7:1) on the main pages."""

from __future__ import annotations

import pytest

from .pagekinds import demo_kinds
from .test_a11y import PAGES, TRIM, axe, goto, serious
from .test_csp import RECORDER

#: Records the root classes when the DOM is ready, i.e. what the boot script set before the first paint.
AT_DOM_READY = """document.addEventListener('DOMContentLoaded',
  () => { window.__dcl = document.documentElement.className; }, {once: true});"""

CLASSES = "document.documentElement.className"


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the focused element matches `selector` (fails after `limit` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached by Tab")


def focused(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_toolbar_by_keyboard_alone_and_kept_before_first_paint(browser, demo_site, serve, width):
    base = serve(demo_site)
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    ctx.add_init_script(AT_DOM_READY)
    ctx.add_init_script(RECORDER)  # the strict CSP: the reading line is placed through the CSSOM, never inline
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        goto(page, base, PAGES["item"])
        root_size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
        standard = page.evaluate(root_size)
        tab_to(page, "[data-portal-a11y]")
        page.keyboard.press("Enter")
        assert page.locator("#portal-a11ybar").is_visible()
        assert page.get_attribute("[data-portal-a11y]", "aria-expanded") == "true"
        assert focused(page, "#portal-a11ybar button")  # focus moved into the toolbar

        tab_to(page, "[data-portal-text='xl']", 5)
        page.keyboard.press("Enter")
        assert "portal-text-xl" in page.evaluate(CLASSES)
        assert page.get_attribute("[data-portal-text='xl']", "aria-pressed") == "true"
        assert page.get_attribute("[data-portal-text='']", "aria-pressed") == "false"
        assert page.evaluate(root_size) >= standard * 1.2
        for flag in ("contrast", "cursor", "readline"):
            tab_to(page, f"[data-portal-flag='{flag}']", 5)
            page.keyboard.press(" ")  # Space works as well as Enter on a real button
            assert f"portal-{flag}" in page.evaluate(CLASSES)
            assert page.get_attribute(f"[data-portal-flag='{flag}']", "aria-pressed") == "true"
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
        assert page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).color") == "rgb(0, 0, 0)"
        assert "cursor.svg" in page.evaluate("getComputedStyle(document.querySelector('.md-typeset p')).cursor")
        assert "cursor-pointer.svg" in page.evaluate("getComputedStyle(document.querySelector('.md-typeset a')).cursor")
        # The reading line follows the pointer
        line = page.locator(".portal-readline-bar")
        assert line.count() == 1 and line.get_attribute("aria-hidden") == "true"
        page.mouse.move(100, 500)
        top = page.evaluate("document.querySelector('.portal-readline-bar').getBoundingClientRect().top")
        assert 480 <= top <= 500
        assert page.evaluate("window.__csp") == [] and errors == []

        # The help panel lists the shortcuts; Esc closes it (focus back on its button), Esc again the toolbar
        tab_to(page, "[data-portal-keys]", 5)
        page.keyboard.press("Enter")
        keys = page.locator("#portal-a11y-keys")
        assert keys.is_visible() and "Alt" in keys.inner_text() and "重置" in keys.inner_text()
        page.keyboard.press("Escape")
        assert not keys.is_visible() and focused(page, "[data-portal-keys]")
        page.keyboard.press("Escape")
        assert not page.locator("#portal-a11ybar").is_visible()
        assert focused(page, "[data-portal-a11y]")  # focus returns to the opener
        assert page.get_attribute("[data-portal-a11y]", "aria-expanded") == "false"
        stored = page.evaluate("""() => ['text', 'contrast', 'cursor', 'readline']
                                   .map(k => localStorage.getItem('portal-' + k))""")
        assert stored == ["xl", "1", "1", "1"]

        # Another page: every class is on <html> when the DOM is ready (set by the boot script in <head>)
        goto(page, base, PAGES["home"])
        ready = page.evaluate("window.__dcl").split()
        for cls in ("portal-text-xl", "portal-contrast", "portal-cursor", "portal-readline"):
            assert cls in ready
        assert page.get_attribute("[data-portal-flag='contrast']", "aria-pressed") == "true"
        assert page.locator(".portal-readline-bar").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0

        # Reset, by keyboard: everything back to the standard view, here and on the next page
        tab_to(page, "[data-portal-a11y]")
        page.keyboard.press("Enter")
        tab_to(page, "[data-portal-reset]", 12)
        page.keyboard.press("Enter")
        modes = ("portal-text", "portal-contrast", "portal-cursor", "portal-readline", "portal-care")
        assert not any(c.startswith(modes) for c in page.evaluate(CLASSES).split())
        assert page.locator(".portal-readline-bar").count() == 0
        assert page.get_attribute("[data-portal-text='']", "aria-pressed") == "true"
        page.reload(wait_until="load")
        assert "portal-" not in page.evaluate("window.__dcl")
        assert page.evaluate("window.__csp") == [] and errors == []
    finally:
        ctx.close()


@pytest.mark.browser
def test_shortcuts(browser, demo_site, serve):
    base = serve(demo_site)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    try:
        goto(page, base, PAGES["item"])
        page.keyboard.press("Alt+Shift+KeyC")
        page.keyboard.press("Alt+Shift+Digit2")
        page.keyboard.press("Alt+Shift+KeyE")
        classes = page.evaluate(CLASSES).split()
        assert {"portal-contrast", "portal-text-l", "portal-care"} <= set(classes)
        page.keyboard.press("Alt+Shift+KeyA")
        assert page.locator("#portal-a11ybar").is_visible() and focused(page, "#portal-a11ybar button")
        page.keyboard.press("Alt+Shift+KeyR")
        assert not {"portal-contrast", "portal-text-l", "portal-care"} & set(page.evaluate(CLASSES).split())
        page.keyboard.press("Escape")
        assert focused(page, "[data-portal-a11y]")
        assert page.evaluate("localStorage.getItem('portal-contrast')") is None
        # 长者模式 still writes its historical key ("1"/"0")
        page.keyboard.press("Alt+Shift+KeyE")
        assert page.evaluate("localStorage.getItem('portal-care')") == "1"
        page.keyboard.press("Alt+Shift+KeyE")
        assert page.evaluate("localStorage.getItem('portal-care')") == "0"
    finally:
        ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_with_the_toolbar_and_help_panel_open(browser, demo_site, serve, width):
    base = serve(demo_site)
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    found = {}
    try:
        for name, path in PAGES.items():
            for contrast in (False, True):
                goto(page, base, path)
                page.evaluate(f"localStorage.setItem('portal-contrast', '{'1' if contrast else ''}')")
                page.reload(wait_until="load")
                page.keyboard.press("Alt+Shift+KeyA")
                page.click("[data-portal-keys]")
                assert page.locator("#portal-a11y-keys").is_visible()
                bad = serious(page)
                if bad:
                    found[f"{name} contrast={contrast}"] = bad
    finally:
        ctx.close()
    assert found == {}


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_high_contrast_on_every_page_kind(browser, demo_site, serve, width):
    """axe (A/AA) on one page of every kind with high contrast on, and the AAA contrast rule (7:1,
    color-contrast-enhanced) on the pages readers meet first."""
    base = serve(demo_site)
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    ctx.add_init_script("localStorage.setItem('portal-contrast', '1')")
    page = ctx.new_page()
    page.set_default_navigation_timeout(120000)  # the 一本通 is one very long page
    found = {}
    aaa = {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}, "resultTypes": ["violations"]}
    try:
        for kind, path in demo_kinds().items():
            goto(page, base, path)
            assert "portal-contrast" in page.evaluate(CLASSES), kind
            page.evaluate(TRIM)
            bad = serious(page)
            if kind in ("home", "list", "unit", "search-results") or kind.startswith("item-"):
                for v in axe().run(page, options=aaa).response["violations"]:
                    bad.append(f"{v['id']} ({len(v['nodes'])} nodes): "
                               + "; ".join(str(n["target"]) for n in v["nodes"][:3]))
            if bad:
                found[f"{kind} {path}"] = bad
    finally:
        ctx.close()
    assert found == {}
