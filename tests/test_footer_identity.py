"""Footer identity (政府网站发展指引): 党政机关网站标识 and 我为政府网站找错 from portal.yml with self-hosted images,
and the 无障碍声明 page linked from every page's footer."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from generator.stages.pipeline import check
from tests.conftest import PORTAL_YML, build_site

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
CONAC = "https://bszs.conac.cn/sitename?method=show&id=ABC123"
JIUCUO = "https://zfwzzc.www.gov.cn/check_web/errorInfo/jcInfoNew?sitecode=4401050001"


def _portal(content: Path, extra: str) -> None:
    (content / "portal.yml").write_text(PORTAL_YML + extra, encoding="utf-8")


def _footer(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("footer.portal-footer")


def test_marks_link_out_and_their_images_are_served_from_the_site(tree, tmp_path):
    content = tree({"identity/badge.svg": SVG, "identity/report.svg": SVG})
    _portal(content, f"conac_url: {CONAC}\nconac_image: badge.svg\njiucuo_url: {JIUCUO}\njiucuo_image: report.svg\n")
    site = tmp_path / "site"
    build_site(content, site)
    pages = [site / "index.html", site / "fgj" / "index.html", site / "wuzhangai" / "index.html"]
    for page in pages:
        foot = _footer(page)
        links = {a["href"]: a for a in foot.select("a.portal-footer__mark")}
        assert set(links) == {CONAC, JIUCUO}
        for href, alt, name in ((CONAC, "党政机关网站标识", "badge.svg"), (JIUCUO, "我为政府网站找错", "report.svg")):
            img = links[href].find("img")
            assert img["alt"] == alt
            served = (page.parent / img["src"]).resolve()  # relative to the page, like a browser resolves it
            assert served == (site / "assets" / "identity" / name).resolve() and served.read_bytes() == SVG
        assert foot.find("a", string="无障碍声明") is not None


def test_without_images_the_marks_are_text_links_and_without_urls_nothing(tree, tmp_path):
    content = tree()
    _portal(content, f"conac_url: {CONAC}\n")
    site = tmp_path / "site"
    build_site(content, site)
    marks = _footer(site / "index.html").select("a.portal-footer__mark")
    assert [(a["href"], a.get_text(strip=True), a.find("img")) for a in marks] == [(CONAC, "党政机关网站标识", None)]

    _portal(content, "")
    site2 = tmp_path / "site2"
    build_site(content, site2)
    assert _footer(site2 / "index.html").select("a.portal-footer__mark") == []
    assert not (site2 / "assets" / "identity").exists()


def test_a_missing_image_is_reported_at_its_line_and_the_mark_falls_back_to_text(tree, tmp_path):
    content = tree({"identity/other.svg": SVG})
    _portal(content, f"conac_url: {CONAC}\nconac_image: badge.svg\n")
    result = check(content)
    [d] = [d for d in result.diagnostics if d.rule == "E210"]
    line = PORTAL_YML.count("\n") + 2  # conac_image is the second added line
    assert d.path.endswith("portal.yml") and d.line == line and "badge.svg" in d.message
    assert "content/identity/" in d.message


def test_an_unsafe_image_name_or_a_bad_url_is_refused(tree):
    content = tree({"identity/badge.svg": SVG})
    _portal(content, "conac_url: javascript:alert(1)\nconac_image: ../../etc/passwd.png\n")
    rules = {(d.line, d.rule) for d in check(content).diagnostics if d.path.endswith("portal.yml")}
    base = PORTAL_YML.count("\n")
    assert {line for line, _ in rules} >= {base + 1, base + 2}


def test_the_accessibility_statement_names_the_contact_and_what_the_theme_offers(tree, tmp_path):
    content = tree()
    _portal(content, "contact:\n  phone: 020-12345678\n  email: a11y@example.gov.cn\n")
    site = tmp_path / "site"
    build_site(content, site)
    soup = BeautifulSoup((site / "wuzhangai" / "index.html").read_text(encoding="utf-8"), "html.parser")
    text = soup.select_one("article, .md-content").get_text(" ", strip=True)
    assert soup.find("h1").get_text(strip=True) == "无障碍声明"
    for needed in ("GB/T 37668", "长者模式", "无障碍工具条", "Alt+Shift+A", "跳到主要内容", "020-12345678",
                   "a11y@example.gov.cn"):
        assert needed in text, needed
    assert soup.find("a", href="mailto:a11y@example.gov.cn") is not None
    # every statement about the theme is backed by the theme: the toggle and the skip link exist on the page
    assert soup.select_one("[data-portal-care]") is not None
    assert soup.select_one("[data-portal-a11y][aria-controls=portal-a11ybar]") is not None
    assert soup.find("a", string=lambda s: s and "跳到主要内容" in s) is not None
