"""Accessibility in Debian's Chromium: an axe-core scan (WCAG 2.0/2.1 A and AA) of every kind of page, keyboard
use, and the 长者模式 (larger text, higher contrast) toggle."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, require
from .pagekinds import demo_kinds

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}

#: Fixed pages for the interaction tests below; the scan itself covers every page kind (tests/pagekinds.py).
PAGES = {
    "home": "/",
    "item": "/qzfb/headlines/2019-07-10-sitongbada/",
}


def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        require("axe-playwright-python", False, "pip install -e '.[dev]'")
    return Axe()


def serious(page) -> list[str]:
    """Violations of impact serious or critical, one line each with the first offending nodes."""
    results = axe().run(page, options=WCAG).response
    out = []
    for v in results["violations"]:
        if v["impact"] in ("serious", "critical"):
            nodes = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                              for n in v["nodes"][:3])
            out.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {nodes}")
    return out


def goto(page, base: str, path: str) -> None:
    page.goto(base + path, wait_until="load")
    if path.startswith("/search/?"):
        page.wait_for_selector(".portal-result, .portal-search-empty", timeout=15000)


#: Rows past the first ROWS of each table body or list, and articles past the first ROWS of the page, are the
#: same markup again: the scan drops them, or the handbook (5,000 elements) and the statistics tables take
#: most of the run (axe's cost grows with the DOM).
ROWS = 30
TRIM = f"""() => {{
  for (const rows of ['tbody > tr', 'ul > li', 'ol > li'])
    document.querySelectorAll(`${{rows}}:nth-child(n+{ROWS + 1})`).forEach(e => e.remove());
  Array.from(document.querySelectorAll('article')).slice({ROWS}).forEach(e => e.remove());
}}"""


def open_page(browser, base: str, path: str, width: int = 1280, care: bool = False):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    if care:
        ctx.add_init_script("localStorage.setItem('portal-care', '1')")
    page = ctx.new_page()
    goto(page, base, path)
    return ctx, page


def test_every_page_kind_has_an_example():
    """The kinds come from the build's page specs: the layouts the scan must see are all there."""
    kinds = demo_kinds()
    for must in ("home", "list", "list-year", "list-paged", "catalog", "catalog-facet", "handbook", "handbook-unit",
                 "stats", "gone", "search-results", "404", "matter", "unit", "unit-street", "directory-level"):
        assert must in kinds, must
    assert any(k.startswith("item-") for k in kinds)


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
def test_no_serious_wcag_violations_on_any_page_kind(browser, demo_site, serve, care, width):
    """axe-core on one page of every kind, in normal and 长者模式, at desktop and phone width."""
    base = serve(demo_site)
    ctx, page = open_page(browser, base, "/", width=width, care=care)
    found = {}
    try:
        for kind, path in demo_kinds().items():
            goto(page, base, path)
            assert page.evaluate("document.documentElement.classList.contains('portal-care')") == care, kind
            page.evaluate(TRIM)
            bad = serious(page)
            if bad:
                found[f"{kind} {path}"] = bad
    finally:
        ctx.close()
    assert found == {}


@pytest.mark.browser
def test_keyboard_skip_link_and_visible_focus(browser, demo_site, serve):
    base = serve(demo_site)
    ctx, page = open_page(browser, base, PAGES["item"])
    try:
        page.keyboard.press("Tab")
        first = page.evaluate("""() => { const e = document.activeElement, r = e.getBoundingClientRect();
                                         return {skip: e.classList.contains("portal-skip"), text: e.textContent.trim(),
                                                 x: r.left, w: r.width}; }""")
        assert first["skip"] and first["text"] == "跳到主要内容"
        assert first["x"] >= 0 and first["w"] > 0  # shown on focus, not left off-screen
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "portal-main"
        # Every control reached by Tab shows a focus indicator and is on the page.
        unseen = []
        for _ in range(40):
            page.keyboard.press("Tab")
            info = page.evaluate("""() => { const e = document.activeElement;
                if (!e || e === document.body) return null;
                const s = getComputedStyle(e), r = e.getBoundingClientRect();
                return {tag: e.tagName, text: (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 20),
                        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                        shadow: s.boxShadow !== 'none', w: r.width, h: r.height}; }""")
            if info is None:
                break
            if not (info["outline"] or info["shadow"]) or info["w"] == 0 or info["h"] == 0:
                unseen.append(info)
        assert unseen == []
    finally:
        ctx.close()


@pytest.mark.browser
def test_care_mode_toggle_is_remembered(browser, demo_site, serve):
    base = serve(demo_site)
    ctx, page = open_page(browser, base, PAGES["item"])
    try:
        size = "parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"
        normal = page.evaluate(size)
        button = page.locator("[data-portal-care]").first
        assert button.get_attribute("aria-pressed") == "false"
        button.focus()
        page.keyboard.press("Enter")  # a real button: the keyboard works as well as the mouse
        assert page.evaluate("document.documentElement.classList.contains('portal-care')")
        assert button.get_attribute("aria-pressed") == "true"
        assert page.evaluate(size) >= normal * 1.25
        assert page.evaluate("localStorage.getItem('portal-care')") == "1"
        color = page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).color")
        assert color in ("rgb(0, 0, 0)", "rgba(0, 0, 0, 1)")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "item-care-1280.png"), full_page=False)

        page.goto(base + PAGES["home"], wait_until="networkidle")  # another page: still on
        assert page.evaluate("document.documentElement.classList.contains('portal-care')")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        page.locator("[data-portal-care]").first.click()
        assert not page.evaluate("document.documentElement.classList.contains('portal-care')")
        assert page.evaluate("localStorage.getItem('portal-care')") == "0"
    finally:
        ctx.close()


@pytest.mark.browser
def test_care_mode_fits_a_phone(browser, demo_site, serve):
    base = serve(demo_site)
    ctx, page = open_page(browser, base, PAGES["item"], width=375, care=True)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"horizontal scroll of {overflow}px in care mode at 375px"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "item-care-375.png"), full_page=False)
    finally:
        ctx.close()
