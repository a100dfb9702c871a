"""No horizontal scrolling at 375 px (issue 20, point 1): one page of every page kind (tests/pagekinds.py, from
the build's own page specs), in the standard view, in 长者模式 and with the toolbar's largest text step. When a
page is wider than the screen the test names the elements that stick out, widest first."""

from __future__ import annotations

import pytest

from .pagekinds import demo_kinds

WIDTH = 375

#: Elements whose right edge is past the viewport and that no scrolling/clipping ancestor contains, widest
#: first: the ones to fix. A CSS-path-like label, the right edge and the width of each.
CULPRITS = """() => {
  const vw = document.documentElement.clientWidth;
  const clipped = e => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o !== 'visible') return true;
    }
    return false;
  };
  const label = e => {
    const parts = [];
    for (let n = e; n && n !== document.body && parts.length < 4; n = n.parentElement) {
      let s = n.tagName.toLowerCase();
      if (n.id) s += '#' + n.id;
      else if (n.classList.length) s += '.' + Array.from(n.classList).slice(0, 2).join('.');
      parts.unshift(s);
    }
    return parts.join(' > ');
  };
  const out = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 0.5 || clipped(e)) continue;
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden' || s.position === 'fixed') continue;
    out.push({el: label(e), right: Math.round(r.right), width: Math.round(r.width)});
  }
  out.sort((a, b) => b.width - a.width);
  return out.slice(0, 5);
}"""

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"

#: How each variant is switched on before the first paint (the same localStorage keys the toolbar writes).
MODES = {
    "normal": "",
    "care": "localStorage.setItem('portal-care', '1')",
    "text-xl": "localStorage.setItem('portal-text', 'xl')",
}


def overflow_report(page) -> dict | None:
    """None when the page fits the viewport, else the overflow in px and the elements that cause it."""
    over = page.evaluate(OVERFLOW)
    if over <= 0:
        return None
    return {"overflow": over, "culprits": page.evaluate(CULPRITS)}


@pytest.mark.browser
@pytest.mark.parametrize("mode", list(MODES))
def test_no_page_kind_scrolls_sideways_on_a_phone(browser, demo_site, serve, mode):
    base = serve(demo_site)
    ctx = browser.new_context(viewport={"width": WIDTH, "height": 812})
    if MODES[mode]:
        ctx.add_init_script(MODES[mode])
    page = ctx.new_page()
    found = {}
    try:
        for kind, path in demo_kinds().items():
            page.goto(base + path, wait_until="load")
            if path.startswith("/search/?"):
                page.wait_for_selector(".portal-result, .portal-search-empty", timeout=15000)
            report = overflow_report(page)
            if report:
                found[f"{kind} {path}"] = report
    finally:
        ctx.close()
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


@pytest.mark.browser
def test_header_emblem_and_search_box_fit_a_phone(browser, demo_site, serve):
    """Two defects seen on a phone: the emblem vanished from the header, and the keyword input of /search/
    ran past the right edge of its form."""
    base = serve(demo_site)
    ctx = browser.new_context(viewport={"width": WIDTH, "height": 812})
    page = ctx.new_page()
    try:
        page.goto(base + "/search/?q=%E6%94%BF%E5%BA%9C", wait_until="load")
        logo = page.locator(".portal-logo img").first
        assert logo.is_visible()
        box = logo.bounding_box()
        assert box and box["width"] >= 24 and box["x"] >= 0
        fit = page.evaluate("""() => {
          const form = document.querySelector('.portal-searchpage .portal-filter');
          const f = form.getBoundingClientRect();
          return Array.from(form.querySelectorAll('input, select, button'))
            .map(e => e.getBoundingClientRect())
            .every(r => r.right <= f.right + 0.5 && r.left >= f.left - 0.5);
        }""")
        assert fit
    finally:
        ctx.close()
