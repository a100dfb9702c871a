"""Hostile content: the linter points at it (E110), the sanitizer neutralizes it, and no built page of the portal
carries an executable construct (<script> outside the theme, on* attributes, javascript:/data: URLs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.util.markup import Markup
from generator.util.safety import scan_html, scan_markdown, scan_site

from .conftest import build_site
from .test_corpus import HERE, make_bad_tree

XSS_CASES = sorted((HERE / "units/bad/news").glob("xss-*.md"))
MD = Markup(["toc", "tables", "admonition", "attr_list", "def_list", "footnotes", "sane_lists"], {})


def test_the_demo_portal_has_no_executable_content(demo_site):
    assert scan_site(demo_site) == []


@pytest.mark.parametrize("page, finding", [
    ("<article><script>alert(1)</script></article>", "<script> in the page content"),
    ("<script src='https://cdn.example.com/x.js'></script>", "from another host"),
    ("<p><img src=x onerror=alert(1)></p>", "onerror"),
    ("<a href='jav&#x09;ascript:alert(1)'>x</a>", "href"),
    ("<img src='data:image/svg+xml;base64,PHN2Zz4='>", "src"),
    ("<p style='width:expression(alert(1))'>x</p>", "style"),
])
def test_the_site_scanner_sees_each_construct(page, finding):
    found = scan_html(f"<html><body>{page}</body></html>".encode(), "x.html")
    assert len(found) == 1 and finding in found[0]


def test_theme_scripts_are_allowed():
    page = b"<html><head><script>var x=1</script><script src='../assets/search.js'></script></head><body></body></html>"
    assert scan_html(page) == []


@pytest.mark.parametrize("case", XSS_CASES, ids=lambda p: p.stem)
def test_every_payload_is_reported_and_neutralized(case):
    text = case.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    html = MD.render(body).html
    assert scan_html(f"<html><body><article>{html}</article></body></html>".encode()) == []
    for bad in ("<script", "onerror", "onload", "javascript:", "data:", "expression(", "<svg", "<style"):
        assert bad not in html.lower()
    if case.stem not in ("xss-title", "xss-summary"):  # those two carry the payload in front matter
        assert scan_markdown(body), f"{case.name}: the linter should point at the body"


def test_bad_corpus_builds_the_rest_with_keep_going(tmp_path):
    """Every hostile and broken file is reported and skipped; the good units are published, and the built
    site has nothing executable in it."""
    root = make_bad_tree(tmp_path / "content")
    site = tmp_path / "site"
    result = build_site(root, site, keep_going=True, search=False)
    rules = {d.rule for d in result.diagnostics}
    assert {"E001", "E002", "E003", "E004", "E005", "E006", "E008", "E011", "E110", "E202", "E208"} <= rules
    skipped = {Path(p).resolve().relative_to(root.resolve()).as_posix() for p in result.skipped}
    assert {f"units/bad/news/{p.name}" for p in XSS_CASES} <= skipped
    assert (site / "good/news/2020-01-01-ok/index.html").exists()
    assert not (site / "bad/news/xss-script").exists()
    assert scan_site(site) == []
    assert not any(Path(site).rglob("*secret*"))  # nothing from outside content/ was published
