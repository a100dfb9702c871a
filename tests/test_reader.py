"""The reader's view (issue 20): article tools (打印 with URL and 索引号 on paper, 字号 steps, 返回顶部),
上一篇/下一篇 within the unit's column, the home page's 头条 and entry row, favicon and touch icons, the
handbook's title."""

from __future__ import annotations

import datetime as dt
import struct
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pages.emit import emit
from generator.stages.pipeline import check
from generator.util import icons
from tests.conftest import ROOT, STREET_YML, UNIT_YML, build_site, item, write_tree

THEME = ROOT / "generator" / "render" / "theme"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def news(title: str, date: str, extra: str = "") -> str:
    return item(f"title: {title}\ndate: {date}\nsummary: {title}的摘要。\n{extra}")


POLICY = item("""\
title: 测试区重点项目管理办法
date: 2026-02-01
doc_number: 测发改〔2026〕1号
index_no: 0074/2026-00001
""")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    content = write_tree(tmp_path_factory.mktemp("reader") / "content", {
        "units/fgj/unit.yml": UNIT_YML, "units/ceshi/unit.yml": STREET_YML,
        "units/fgj/policies/zhongdian.md": POLICY,
        "units/fgj/headlines/a.md": news("甲要闻", "2026-03-01"),
        "units/fgj/headlines/b.md": news("乙要闻", "2026-02-01", "featured: true\n"),
        "units/fgj/headlines/c.md": news("丙要闻", "2026-01-01"),
        "units/fgj/news/d.md": news("丁动态", "2026-01-15"),
        "units/ceshi/headlines/e.md": news("戊要闻", "2026-02-15"),
    })
    out = tmp_path_factory.mktemp("reader") / "site"
    build_site(content, out)
    return out


# A. Article pages -------------------------------------------------------------------------------------


def test_article_tools_print_and_size_steps(site):
    page = soup(site / "fgj" / "policies" / "zhongdian" / "index.html")
    tools = page.select_one("article .portal-tools")
    assert tools is not None and tools.has_attr("hidden")  # shown by reader.js: the buttons need JavaScript
    sizes = tools.select("[data-portal-size]")
    assert [(b.get_text(strip=True), b["data-portal-size"], b["aria-pressed"]) for b in sizes] == [
        ("大", "l", "false"), ("中", "m", "true"), ("小", "s", "false")]
    assert all(b.name == "button" and b["type"] == "button" for b in sizes)
    assert tools.select_one("[role=group]")["aria-label"] == "字号"
    assert tools.select_one("button.portal-print").get_text(strip=True) == "打印"
    scripts = [s["src"] for s in page.find_all("script", src=True)]
    assert any(s.endswith("assets/reader.js") for s in scripts) and any(s.endswith("assets/print.js") for s in scripts)
    assert page.find(attrs={"onclick": True}) is None and page.find(style=True) is None
    # the class is set before the first paint by the blocking script in <head>, which reads the same key
    head_scripts = [s["src"] for s in page.head.find_all("script", src=True)]
    assert any(s.endswith("assets/care-boot.js") for s in head_scripts)
    boot = (THEME / "assets" / "care-boot.js").read_text(encoding="utf-8")
    reader = (THEME / "assets" / "reader.js").read_text(encoding="utf-8")
    assert '"portal-size"' in boot and '"portal-size"' in reader and "portal-size-" in boot


def test_printout_carries_the_address_and_the_index_number(site):
    policy = soup(site / "fgj" / "policies" / "zhongdian" / "index.html").select_one(".portal-printinfo")
    assert policy.get_text(strip=True) == (
        "本页网址：https://www.example.gov.cn/fgj/policies/zhongdian/\u3000索引号：0074/2026-00001")
    plain = soup(site / "fgj" / "headlines" / "a" / "index.html").select_one(".portal-printinfo")
    assert plain.get_text(strip=True) == "本页网址：https://www.example.gov.cn/fgj/headlines/a/"  # no 索引号
    css = (site / "assets" / "portal.css").read_text(encoding="utf-8")
    prints = css.split("@media print")[1:]
    assert any(".portal-printinfo" in block.split("\n}")[0] for block in prints)
    chrome = " ".join(block.split("\n}")[0] for block in prints)
    for selector in (".portal-header", ".md-tabs", ".portal-footer", ".md-sidebar", ".portal-crumbs",
                     ".portal-tools", ".portal-neighbours"):
        assert selector in chrome, selector


def test_back_to_top_is_on_every_article(site):
    page = soup(site / "fgj" / "headlines" / "b" / "index.html")
    top = page.select_one("a.portal-totop")
    assert top["href"] == "#" and top.get_text(strip=True) == "返回顶部"


def test_neighbours_follow_the_column_list_and_stay_in_unit_and_column(site):
    def links(path: str) -> dict[str, str | None]:
        nav = soup(site / path / "index.html").find("nav", attrs={"aria-label": "上一篇和下一篇"})
        out: dict[str, str | None] = {"prev": None, "next": None}
        if nav:
            for a in nav.find_all("a"):
                out[a["rel"][0]] = a.get_text(strip=True)
        return out

    assert links("fgj/headlines/a") == {"prev": None, "next": "乙要闻"}     # newest: 下一篇 only
    assert links("fgj/headlines/b") == {"prev": "甲要闻", "next": "丙要闻"}
    assert links("fgj/headlines/c") == {"prev": "乙要闻", "next": None}     # oldest: 上一篇 only
    assert links("fgj/news/d") == {"prev": None, "next": None}             # alone in its column: no nav
    assert soup(site / "fgj" / "news" / "d" / "index.html").find("nav", attrs={"aria-label": "上一篇和下一篇"}) is None
    assert links("ceshi/headlines/e") == {"prev": None, "next": None}      # 戊 is another unit's 要闻


UNITS = ("fgj", "ceshi")
COLUMNS = ("news", "notices")
entries = st.lists(
    st.tuples(st.sampled_from(UNITS), st.sampled_from(COLUMNS),
              st.dates(dt.date(2020, 1, 1), dt.date(2026, 6, 30)),
              st.text(alphabet="甲乙丙丁戊己庚辛壬癸", min_size=1, max_size=6)),
    min_size=1, max_size=12)


@settings(max_examples=12, deadline=None, derandomize=True)
@given(entries)
def test_neighbours_are_the_list_neighbours_for_random_columns(rows):
    files: dict[str, str] = {"units/fgj/unit.yml": UNIT_YML, "units/ceshi/unit.yml": STREET_YML}
    for n, (unit, column, date, title) in enumerate(rows):
        files[f"units/{unit}/{column}/i{n}.md"] = news(f"{title}{n}", date.isoformat())
    with tempfile.TemporaryDirectory() as tmp:
        checked = check(write_tree(Path(tmp) / "content", files), today=dt.date(2026, 12, 1))
        site = emit(checked.index, checked.diagnostics)
    by_url = {p.url: p for p in site.pages}
    item_pages = [p for p in site.pages if p.kind.name == "item"]
    assert len(item_pages) == len(rows)
    for unit in UNITS:
        for column in COLUMNS:
            base = f"/{unit}/{column}/"
            listed = [e["url"] for e in by_url[base].data["entries"]] if base in by_url else []
            for n, url in enumerate(listed):
                nb = by_url[url].data["neighbours"]
                assert (nb["prev"] or {}).get("url") == (listed[n - 1] if n else None)
                assert (nb["next"] or {}).get("url") == (listed[n + 1] if n + 1 < len(listed) else None)
                for other in (nb["prev"], nb["next"]):
                    assert other is None or other["url"].startswith(base)  # never another unit or column
    assert sum(len(by_url[f"/{u}/{c}/"].data["entries"]) for u in UNITS for c in COLUMNS
               if f"/{u}/{c}/" in by_url) == len(rows)


# B. Home page -----------------------------------------------------------------------------------------


def test_home_lead_is_the_newest_flagged_item_else_the_newest_headline(site, tree, tmp_path):
    lead = soup(site / "index.html").select_one("section.portal-lead")
    assert lead.select_one("h2 a").get_text(strip=True) == "乙要闻"  # flagged, though 甲 is newer
    assert lead.select_one("h2 a")["href"] == "fgj/headlines/b/"
    assert lead.find("time")["datetime"] == "2026-02-01"
    assert lead.select_one(".portal-lead__summary").get_text(strip=True) == "乙要闻的摘要。"

    content = tree({"units/fgj/headlines/a.md": news("甲要闻", "2026-03-01"),
                    "units/fgj/headlines/c.md": news("丙要闻", "2026-01-01")})
    out = tmp_path / "plain"
    build_site(content, out)
    lead = soup(out / "index.html").select_one("section.portal-lead")
    assert lead.select_one("h2 a").get_text(strip=True) == "甲要闻"  # nothing flagged: the newest 要闻


def test_home_entry_row_links_the_public_information_pages(site):
    row = soup(site / "index.html").find("nav", attrs={"aria-label": "政务公开与服务入口"})
    links = {a.get_text(strip=True): a["href"] for a in row.find_all("a")}
    assert links == {"信息公开指南": "zfxxgk/zhinan/", "依申请公开": "zfxxgk/yishenqing/",
                     "政府信息公开年报": "reports/", "办事服务": "columns/guides/"}  # no message: no 互动交流
    for href in links.values():
        assert (site / href / "index.html").exists(), href


def test_featured_is_a_documented_field():
    from generator.model.content import Item, fields_of

    spec = fields_of(Item)["featured"]
    assert spec.zh and "featured" in (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")


# C. Icons ---------------------------------------------------------------------------------------------


def test_favicon_and_touch_icon_are_served_and_linked(site):
    ico = (site / "favicon.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, 3)
    sizes = [ico[6 + 16 * n] for n in range(count)]
    assert sizes == [16, 32, 48]
    touch = (site / "apple-touch-icon.png").read_bytes()
    assert touch[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", touch[16:24]) == (180, 180)
    for page in (site / "index.html", site / "fgj" / "headlines" / "a" / "index.html"):
        head = soup(page).head
        icon = head.find("link", rel="icon", href=lambda h: h and h.endswith("favicon.ico"))
        apple = head.find("link", rel="apple-touch-icon")
        assert icon is not None and apple["href"].endswith("apple-touch-icon.png")
        assert (page.parent / icon["href"]).resolve() == (site / "favicon.ico").resolve()


def test_committed_icons_are_drawn_from_the_emblem():
    made = icons.icons((THEME / "assets" / "emblem.svg").read_text(encoding="utf-8"))
    for name, data in made.items():
        assert (THEME / name).read_bytes() == data, f"run python -m generator.util.icons {THEME}"


# D. Handbook ------------------------------------------------------------------------------------------


def test_handbook_title_stands_apart_from_the_site_name(tree, tmp_path):
    from tests.test_catalog import FGJ_MATTERS

    content = tree({"units/fgj/matters.yml": FGJ_MATTERS})
    checked = check(content, today=dt.date(2026, 12, 1))
    site = emit(checked.index, checked.diagnostics)
    pages = {p.url: p for p in site.pages if p.kind.name == "handbook"}
    hb = pages["/handbook/"]
    assert hb.data["title"] == "政务公开事项一本通" and hb.data["issuer"] == "测试区人民政府门户网站"
    assert hb.title == "政务公开事项一本通"
    unit = next(p for url, p in pages.items() if url != "/handbook/")
    assert unit.data["title"] == "政务公开事项一本通" and unit.data["issuer"] == "测试区发展和改革局"
    assert unit.title == "测试区发展和改革局政务公开事项一本通"


def test_handbook_page_shows_the_issuer_on_its_own_line(site):
    page = soup(site / "handbook" / "index.html")
    assert page.title.get_text(strip=True).startswith("政务公开事项一本通")
    cover = page.select_one(".portal-handbook__cover")
    assert cover.h1.get_text(strip=True) == "政务公开事项一本通"
    assert cover.select_one(".portal-handbook__issuer").get_text(strip=True) == "测试区人民政府门户网站"


# Browser: the 字号 step is remembered across pages; the print button is shown -------------------------


@pytest.mark.browser
def test_size_step_is_remembered_across_pages_and_print_is_offered(browser, site, serve):
    base = serve(site)
    ctx = browser.new_context(viewport={"width": 375, "height": 812})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/fgj/headlines/a/")
    body = page.locator("article.portal-item .portal-body p").first
    normal = body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert page.locator("button.portal-print", has_text="打印").is_visible()
    large = page.locator("[data-portal-size=l]")
    large.focus()
    page.keyboard.press("Enter")  # keyboard reachable
    assert large.get_attribute("aria-pressed") == "true"
    assert page.locator("[data-portal-size=m]").get_attribute("aria-pressed") == "false"
    bigger = body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert bigger > normal * 1.15

    page.goto(base + "/fgj/policies/zhongdian/")  # another page: the class is there before any script ran late
    assert page.evaluate("document.documentElement.classList.contains('portal-size-l')")
    assert page.locator("[data-portal-size=l]").get_attribute("aria-pressed") == "true"
    page.locator("[data-portal-size=s]").click()
    smaller = page.locator("article.portal-item .portal-body p").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")
    assert smaller < normal
    page.goto(base + "/fgj/headlines/b/")
    assert page.locator("[data-portal-size=s]").get_attribute("aria-pressed") == "true"
    page.locator("[data-portal-size=m]").click()
    assert page.evaluate("localStorage.getItem('portal-size')") == "m"
    assert page.locator("article.portal-item .portal-body p").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)") == normal
    assert errors == []
    ctx.close()


# 题图 of the 头条: served from the unit folder, described for screen readers, checked at the source ------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def test_lead_image_is_served_with_its_description(tree, tmp_path):
    content = tree({"units/fgj/headlines/files/pic.png": PNG,
                    "units/fgj/headlines/a.md": news("甲要闻", "2026-03-01",
                                                     "featured: true\nimage: files/pic.png\nimage_alt: 会场全景\n")})
    out = tmp_path / "site"
    build_site(content, out)
    img = soup(out / "index.html").select_one("section.portal-lead img.portal-lead__image")
    assert img["alt"] == "会场全景"
    assert (out / img["src"]).read_bytes() == PNG  # relative to the home page, as the browser resolves it


@pytest.mark.parametrize("front, rule", [
    ("image: files/missing.png\nimage_alt: 图\n", "E210"),
    ("image: ../../ceshi/headlines/files/pic.png\nimage_alt: 图\n", "E209"),
    ("image: files/pic.png\n", "E218"),
    ("image: files/pic.png\nimage_alt: '  '\n", "E218"),
])
def test_lead_image_mistakes_are_reported_at_the_image_line(tree, front, rule):
    content = tree({"units/fgj/headlines/files/pic.png": PNG, "units/ceshi/headlines/files/pic.png": PNG,
                    "units/fgj/headlines/a.md": news("甲要闻", "2026-03-01", front)})
    result = check(content)
    found = [d for d in result.diagnostics if d.rule == rule]
    assert len(found) == 1, [str(d) for d in result.diagnostics]
    d = found[0]
    assert d.path.endswith("headlines/a.md") and d.line == 5  # ---, title, date, summary, image
    assert result.index is not None and not any(it.title == "甲要闻" for it in result.index.items.values())


@pytest.mark.browser
def test_first_news_list_is_within_two_phone_screens(browser, demo_site, serve):
    """At 375 × 812 the first list of items on the home page starts within the first two screens."""
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(serve(demo_site) + "/")
    top = page.evaluate("document.querySelector('.portal-list').getBoundingClientRect().top + scrollY")
    assert 0 < top < 2 * 812, top
    page.close()
