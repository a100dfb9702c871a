"""The strict Content-Security-Policy (generator/csp.py): no page needs an inline script or style, and a real
browser running every page kind, a search, 长者模式 and the catalog filters under the policy reports 0
violations."""

from __future__ import annotations

import re

import pytest

from generator.render import csp

from .pagekinds import demo_kinds

#: Records CSP violations in the page (events fire on the document before any page script runs).
RECORDER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)


def test_policy_is_strict():
    header = csp.header()
    for part in ("default-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'self'"):
        assert part in header
    assert "unsafe-inline" not in header and "'unsafe-eval'" not in header and "*" not in header
    assert "frame-ancestors" not in csp.meta()  # ignored (with a console error) in a <meta>


def test_no_inline_script_style_or_handler_in_the_built_site(demo_site):
    """Every HTML file: no executable inline script, no style element or attribute, no on* handler, and the
    policy meta before the first script or stylesheet."""
    bad = []
    pages = 0
    for path in demo_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        rel = path.relative_to(demo_site).as_posix()
        if 'http-equiv="refresh"' in html:
            continue  # redirect stubs (redirects.stub_html): no script, no style at all
        pages += 1
        if INLINE_SCRIPT.search(html) or re.search(r"<style\b|\sstyle=\"|\son[a-z]+=\"", html):
            bad.append(rel)
            continue
        meta = html.find('http-equiv="Content-Security-Policy" content="' + csp.meta() + '"')
        first = min((i for i in (html.find("<script"), html.find("<link rel=\"stylesheet\"")) if i >= 0),
                    default=len(html))
        if meta < 0 or meta > first:
            bad.append(rel + " (policy meta missing or late)")
    assert pages > 1000
    assert bad == []


@pytest.mark.browser
def test_every_page_kind_and_interaction_runs_under_the_policy(browser, demo_site, serve):
    base = serve(demo_site)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.add_init_script(RECORDER)
    page = ctx.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    violations: dict[str, list[str]] = {}

    def record(label: str) -> None:
        found = page.evaluate("window.__csp")
        if found:
            violations[label] = found

    try:
        # The recorder sees a violation when there is one (an injected inline script is blocked).
        page.goto(base + "/", wait_until="load")
        page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
                                 document.head.append(s); }""")
        page.wait_for_function("() => window.__csp.length > 0")
        assert page.evaluate("window.__ran") is None
        console.clear()

        for kind, path in demo_kinds().items():
            page.goto(base + path, wait_until="load")
            if kind == "search-results":
                page.wait_for_selector(".portal-result, .portal-search-empty", timeout=15000)
            record(kind)

        # Search as you type in the header, then the full results page.
        page.goto(base + "/", wait_until="load")
        page.click("#portal-search-input")
        page.keyboard.type("政务公开")
        page.wait_for_selector("#portal-search-list li", timeout=15000)
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=*")
        page.wait_for_selector("#portal-search-results li", timeout=15000)
        record("search")

        # 长者模式 on and off.
        page.locator("[data-portal-care]").first.click()
        assert page.evaluate("document.documentElement.classList.contains('portal-care')")
        page.goto(base + "/catalog/", wait_until="load")  # the next page starts in 长者模式 (care-boot.js)
        assert page.evaluate("document.documentElement.classList.contains('portal-care')")
        page.locator("[data-portal-care]").first.click()
        record("care")

        # Catalog filters.
        total = page.locator("#catalog-table tbody tr:visible").count()
        page.select_option("select[name=mode]", "request")
        assert 0 < page.locator("#catalog-table tbody tr:visible").count() < total
        page.fill("#catalog-filter input[name=q]", "公开")
        page.click("#catalog-filter button[type=reset]")
        page.wait_for_function("n => document.querySelectorAll('#catalog-table tbody tr:not([hidden])').length == n",
                               arg=total)
        record("catalog")
    finally:
        ctx.close()
    assert violations == {}
    assert [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m] == []


def test_the_local_preview_drops_the_policy_for_live_reload(demo_site):
    from generator.tools.devserver import without_csp

    html = (demo_site / "index.html").read_bytes()
    assert b"Content-Security-Policy" in html
    out = without_csp(html)
    assert b"Content-Security-Policy" not in out and len(html) - len(out) < 400
