"""The built demo in a real browser (Debian Chromium): no console errors, no request leaves the host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import ARTIFACTS

PAGES = {"home": "/", "unit": "/qzfb/", "item": "/qzfb/headlines/2019-07-10-sitongbada/"}


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_load_cleanly_at_desktop_and_phone_width(browser, demo_site, serve, name, width):
    base = serve(demo_site)
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    errors, foreign = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).hostname not in ("127.0.0.1", None)
            and not r.url.startswith("data:") else None)
    response = page.goto(base + PAGES[name], wait_until="networkidle")
    assert response.status == 200
    assert errors == []
    assert foreign == []
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"horizontal scroll of {overflow}px at {width}px"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    ctx.close()
