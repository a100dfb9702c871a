"""The portal build on a small fixture tree: one page of each kind, golden HTML, meta tags, safety, atomicity."""

from __future__ import annotations

import hashlib
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.checks.linkcheck import check_site
from generator.render.build import BuildFailed

from .conftest import PORTAL_YML, ROOT, build_site, item, write_tree

GOLDEN = ROOT / "tests" / "golden"
META_SITE = ("SiteName", "SiteDomain", "SiteIDCode")
META_COLUMN = ("ColumnName", "ColumnType")
META_ARTICLE = ("ArticleTitle", "PubDate", "ContentSource")

FGJ = """\
name: 测试区发展和改革局
short_name: 区发展改革局
kind: department
aliases: [测试区发展计划局]
responsibilities: |
  拟订并组织实施国民经济和社会发展规划。
  负责重大建设项目的综合协调。
leaders:
  - name: 王明
    title: 局长
    duties: 主持全面工作。
contact:
  phone: 020-84000000
  address: 测试区江南大道中1号
  hours: 周一至周五 9:00-18:00
"""
STREET = """\
name: 测试区赤岗街道办事处
short_name: 赤岗街
kind: street
communities:
  - id: chigang-a
    name: 甲社区居委会
    contact: {phone: 020-84111111}
  - id: chigang-b
    name: 乙社区居委会
"""
GUIDE = """\
title: 企业投资项目备案
date: 2026-03-02
basis: 《企业投资项目核准和备案管理条例》
conditions: 在本区投资建设的企业
materials: [项目备案申请表, 营业执照复印件]
process: 网上申报，材料齐全即时备案
time_limit: 即办
fees: 不收费
location: 测试区政务服务中心二楼（工作日9:00-17:00）
phone: 020-84000001
attachments:
  - file: files/form.pdf
    title: 项目备案申请表
"""
XSS_BODY = """\
## 工作要求

<script>alert(1)</script>
<img src="files/chart.png" onerror="alert(2)" alt="示意图">
<a href="javascript:alert(3)">点我</a> <a href="&#106;avascript:alert(4)">再点</a>
<a href="data:text/html,<script>alert(5)</script>">数据</a>
<p style="background:url(javascript:alert(6))" onclick="x()">样式</p>
<svg><script>alert(7)</script></svg>

## 工作要求

[附件表格](../guides/files/form.pdf) · [相关政策](../policies/2026-02-01-new.md#第一条)
"""


def fixture_tree(root: Path) -> Path:
    files: dict[str, str | bytes] = {
        # Publishes hostile content on purpose (E110 lowered to a warning), so the real build has to neutralize
        # it: the sanitizer and the templates' escaping are proven on built pages, not just in unit tests.
        "portal.yml": PORTAL_YML + "rules:\n  E110: warning\n",
        "units/fgj/unit.yml": FGJ,
        "units/jyj/unit.yml": "name: 测试区教育局\nshort_name: 区教育局\nkind: department\n",
        "units/chigang/unit.yml": STREET,
        "units/fgj/policies/2025-06-01-old.md": item(
            "title: 测试区重点项目管理办法（2025年版）\ndate: 2025-06-01\nnormative: true\n"
            "doc_number: 测发改[2025]3号\nstatus: 已修订\nreplaced_by: fgj/policies/2026-02-01-new"),
        "units/fgj/policies/2026-02-01-new.md": item(
            "title: 测试区重点项目管理办法\ndate: 2026-02-01\nnormative: true\ndoc_number: 测发改〔2026〕1号\n"
            "issued: 2026-01-25\neffective: 2026-03-01\nindex_no: 0074/2026-00001\nissuers: [区教育局]\n"
            "topic: 综合政务\ndomains: [重大建设项目]",
            "## 第一条\n\n为规范重点项目管理，制定本办法。\n\n## 第二条\n\n本办法自2026年3月1日起施行。\n"),
        "units/fgj/policies/2024-01-01-gone.md": item(
            "title: 关于开展项目清理的通知\ndate: 2024-01-01\nstatus: 已废止\nexpires: 2025-12-31"),
        "units/fgj/interpretations/2026-02-01-jd.md": item(
            "title: 《测试区重点项目管理办法》解读\ndate: 2026-02-01\ninterprets: fgj/policies/2026-02-01-new\n"
            "form: 文字解读"),
        "units/fgj/guides/2026-03-02-xmba.md": item(GUIDE, "办理前请先阅读本指南。\n"),
        "units/fgj/guides/files/form.pdf": b"%PDF-1.4\n%%EOF\n",
        "units/fgj/notices/files/chart.png": b"\x89PNG\r\n\x1a\n",
        "units/fgj/notices/2026-04-01-xss.md": item("title: 关于<script>alert(0)</script>的通知\ndate: 2026-04-01",
                                                    XSS_BODY),
        "units/chigang/communities/chigang-a/affairs/2026-05-01-cw.md": item(
            "title: 甲社区2026年第一季度财务收支公开\ndate: 2026-05-01"),
    }
    for n in range(25):
        year, month = (2025, 12 - n % 12) if n < 12 else (2026, 1 + n % 10)
        files[f"units/fgj/news/{year}/{year}-{month:02d}-{n:02d}-dt.md"] = item(
            f"title: 区发展改革局工作动态第{n + 1}期\ndate: {year}-{month:02d}-{n % 27 + 1:02d}")
    return write_tree(root, files)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("build")
    content = fixture_tree(base / "content")
    site = base / "site"
    result = build_site(content, site)
    return site, result, content


def page(site: Path, url: str) -> BeautifulSoup:
    path = site / (url.strip("/") + "/index.html" if url != "/" else "index.html")
    if url.endswith(".html"):
        path = site / url.lstrip("/")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def normalized(soup: BeautifulSoup) -> str:
    """Title, the 47号 meta tags and the main content, pretty-printed: what the golden files hold."""
    parts = [str(soup.title)]
    for m in soup.find_all("meta"):
        if m.get("name") in (*META_SITE, *META_COLUMN, *META_ARTICLE, "ColumnDescription", "ColumnKeywords",
                             "Keywords", "Description"):
            parts.append(str(m))
    main = soup.find(id="portal-main")
    parts.append(main.prettify() if main else "<!-- no #portal-main -->")
    return "\n".join(parts) + "\n"


GOLDEN_PAGES = {
    "home": "/", "units": "/units/", "unit-department": "/fgj/", "unit-street": "/chigang/",
    "unit-community": "/chigang/chigang-a/", "list": "/fgj/news/", "list-page-2": "/fgj/news/page/2/",
    "list-year": "/fgj/news/2025/", "list-portal": "/columns/policies/", "item-news": "/fgj/news/2025-12-00-dt/",
    "item-policy": "/fgj/policies/2026-02-01-new/", "item-amended": "/fgj/policies/2025-06-01-old/",
    "item-repealed": "/fgj/policies/2024-01-01-gone/", "item-interpretation": "/fgj/interpretations/2026-02-01-jd/",
    "item-guide": "/fgj/guides/2026-03-02-xmba/", "item-sanitized": "/fgj/notices/2026-04-01-xss/",
    "directory": "/directory/", "columns": "/columns/", "404": "/404.html",
}


@pytest.mark.parametrize("name", sorted(GOLDEN_PAGES))
def test_golden_html(built, name):
    """One page of each kind against its normalized golden copy (UPDATE_GOLDEN=1 refreshes)."""
    site, _, _ = built
    got = normalized(page(site, GOLDEN_PAGES[name]))
    golden = GOLDEN / f"{name}.html"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def all_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html"))


def test_every_page_carries_the_47_meta_tags(built):
    site, _, _ = built
    for p in all_pages(site):
        soup = BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        meta = {m.get("name"): m.get("content") for m in soup.find_all("meta") if m.get("name")}
        rel = p.relative_to(site).as_posix()
        for key in META_SITE:
            assert meta.get(key), f"{rel} lacks {key}"
        assert meta["SiteIDCode"] == "4401050001"
        main = soup.find(id="portal-main")
        if main and main.find(class_="portal-list"):
            for key in META_COLUMN:
                assert meta.get(key), f"{rel} lacks {key}"
        if soup.find(class_="portal-item"):
            for key in META_ARTICLE:
                assert meta.get(key), f"{rel} lacks {key}"
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", meta["PubDate"]), rel
            assert meta.get("ColumnName"), rel


def test_item_metadata_and_links_both_ways(built):
    site, _, _ = built
    policy = page(site, "/fgj/policies/2026-02-01-new/")
    rows = {th.get_text(strip=True): td.get_text(strip=True) for th, td in
            ((tr.th, tr.td) for tr in policy.select("table.portal-meta tr"))}
    assert rows["文号"] == "测发改〔2026〕1号"
    assert rows["发布机构"] == "测试区发展和改革局、测试区教育局"
    assert rows["成文日期"] == "2026-01-25" and rows["发布日期"] == "2026-02-01"
    assert rows["有效性"] == "有效" and rows["主题分类"] == "综合政务"
    interp_links = [a["href"] for a in policy.select(".portal-related--interpretations a.portal-list__title")]
    assert interp_links == ["../../interpretations/2026-02-01-jd/"]
    interp = page(site, "/fgj/interpretations/2026-02-01-jd/")
    back = [a["href"] for a in interp.select(".portal-related--policy a.portal-list__title")]
    assert back == ["../../policies/2026-02-01-new/"]


def test_status_banners(built):
    site, _, _ = built
    old = page(site, "/fgj/policies/2025-06-01-old/")
    banner = old.select_one(".portal-status--amended")
    assert "本文件已修订" in banner.get_text()
    assert banner.a["href"] == "../2026-02-01-new/"
    gone = page(site, "/fgj/policies/2024-01-01-gone/")
    assert "本文件已废止（2025-12-31）" in gone.select_one(".portal-status--repealed").get_text()
    assert page(site, "/fgj/policies/2026-02-01-new/").select_one(".portal-status") is None
    listing = page(site, "/columns/policies/")
    assert [b.get_text() for b in listing.select(".portal-badge--warn")] == ["已修订", "已废止"]


def test_guide_elements_and_attachment(built):
    site, _, _ = built
    guide = page(site, "/fgj/guides/2026-03-02-xmba/")
    labels = [dt.get_text() for dt in guide.select(".portal-guide dt")]
    assert labels == ["设定依据", "申请条件", "办理材料", "办理流程", "办理时限", "收费标准", "办理地点和时间",
                      "咨询电话"]
    assert [li.get_text() for li in guide.select(".portal-guide ol li")] == ["项目备案申请表", "营业执照复印件"]
    link = guide.select_one(".portal-attachments a")
    assert link["href"] == "../files/form.pdf" and link.get_text() == "项目备案申请表"
    assert (site / "fgj/guides/files/form.pdf").read_bytes() == b"%PDF-1.4\n%%EOF\n"


def test_editor_html_is_sanitized_and_links_rewritten(built):
    site, _, _ = built
    html = (site / "fgj/notices/2026-04-01-xss/index.html").read_text(encoding="utf-8")
    body = BeautifulSoup(html, "html.parser").select_one(".portal-body")
    text = str(body)
    for bad in ("<script", "onerror", "onclick", "javascript:", "data:", "style=", "<svg"):
        assert bad not in text.lower(), bad
    assert body.img["src"] == "../files/chart.png"
    hrefs = [a.get("href") for a in body.find_all("a")]
    assert "../../guides/files/form.pdf" in hrefs
    assert "../../policies/2026-02-01-new/#第一条" in hrefs
    assert "&lt;script&gt;alert(0)&lt;/script&gt;" in html  # the title is escaped text, not markup
    assert "<script>alert(0)" not in html


def test_chinese_headings_get_readable_stable_anchors(built):
    site, _, _ = built
    policy = page(site, "/fgj/policies/2026-02-01-new/")
    assert [h["id"] for h in policy.select(".portal-body h2")] == ["第一条", "第二条"]
    toc = [a["href"] for a in policy.select("nav.portal-toc a")]
    assert toc == ["#第一条", "#第二条"]


def test_pagination_and_year_archives(built):
    site, _, _ = built
    first = page(site, "/fgj/news/")
    assert len(first.select(".portal-list__row")) == 20
    assert first.select_one("a[rel=next]")["href"] == "page/2/"
    second = page(site, "/fgj/news/page/2/")
    assert len(second.select(".portal-list__row")) == 5
    years = [a.get_text(strip=True) for a in first.select(".portal-years a")]
    assert years == ["全部", "2026年（13）", "2025年（12）"]
    assert len(page(site, "/fgj/news/2025/").select(".portal-list__row")) == 12


def test_units_hierarchy_and_blank_columns(built):
    site, _, _ = built
    street = page(site, "/chigang/")
    assert [a.get_text() for a in street.select(".portal-chips a")] == ["甲社区居委会", "乙社区居委会"]
    community = page(site, "/chigang/chigang-a/")
    assert "赤岗" in community.select_one(".portal-lead").get_text()
    jyj = page(site, "/jyj/")
    blank = [h.get_text(" ", strip=True) for h in jyj.select(".portal-card h3")]
    assert "工作动态 （0）" in blank  # an expected column with nothing in it is visible, not hidden
    units = page(site, "/units/")
    assert [h.get_text() for h in units.select("h2")] == ["区属部门（2个）", "街道（1个）"]


def test_nav_lists_landing_pages_only(built):
    site, _, _ = built
    tabs = [a.get_text(strip=True) for a in page(site, "/fgj/news/2025-12-00-dt/").select(".md-tabs__link")]
    assert tabs == ["首页", "政府信息公开", "政策文件", "办事服务", "事项清单", "部门街道", "数据统计"]
    sizes = {p: (site / p).stat().st_size for p in ("fgj/news/2025-12-00-dt/index.html",)}
    assert all(s < 25_000 for s in sizes.values()), sizes


def test_internal_links_and_fragments_resolve(built):
    site, _, _ = built
    report = check_site(site, ["www.example.gov.cn"])
    assert report.pages > 50
    assert report.broken == []


def test_no_external_asset_urls(built):
    site, _, _ = built
    for p in all_pages(site):
        soup = BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("img", "src"), ("link", "href"), ("iframe", "src"), ("source", "srcset")):
            for el in soup.find_all(tag):
                if tag == "link" and el.get("rel") and set(el["rel"]) & {"canonical", "alternate", "prev", "next"}:
                    continue
                url = el.get(attr) or ""
                assert not re.match(r"^(https?:)?//", url), f"{p}: <{tag} {attr}={url}>"


def test_feeds_and_sitemap(built):
    site, _, _ = built
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(site / "feeds/units/fgj.xml").getroot()
    links = [e.find("a:link", ns).get("href") for e in feed.findall("a:entry", ns)]
    assert len(links) == 30 and all(u.startswith("https://www.example.gov.cn/fgj/") for u in links)
    assert ET.parse(site / "feeds/all.xml").getroot().find("a:title", ns).text.endswith("最新信息")
    sm = ET.parse(site / "sitemap.xml").getroot()
    locs = [u.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text for u in sm]
    assert "https://www.example.gov.cn/fgj/policies/2026-02-01-new/" in locs
    assert "https://www.example.gov.cn/about/" in locs
    assert len(locs) == len(set(locs))


def test_sitemap_is_split_past_the_limit(monkeypatch):
    from generator.model.content import Portal
    from generator.pages import feeds

    monkeypatch.setattr(feeds, "SITEMAP_LIMIT", 3)
    portal = Portal(name="x", domain="a.gov.cn", site_code="1234567890", icp="i", psb="p", sponsor="s", organizer="o")
    out = dict(feeds.sitemaps(portal, [(f"/p{i}/", None) for i in range(7)]))
    assert sorted(out) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    assert b"<sitemapindex" in out["sitemap.xml"] and out["sitemap-3.xml"].count(b"<url>") == 1


def manifest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_failed_builds_leave_the_last_good_site_untouched(tmp_path, monkeypatch):
    content = fixture_tree(tmp_path / "content")
    site = tmp_path / "site"
    build_site(content, site)
    before = manifest(site)
    # 1. a content error (strict by default)
    bad = content / "units/fgj/news/bad.md"
    bad.write_text(item("title: 坏\ndate: 不是日期"), encoding="utf-8")
    with pytest.raises(BuildFailed):
        build_site(content, site)
    assert manifest(site) == before
    bad.unlink()
    # 2. an exception in the middle of rendering
    from generator.render import plugin

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(plugin.PortalPlugin, "on_page_context", boom)
    with pytest.raises(RuntimeError):
        build_site(content, site)
    monkeypatch.undo()
    assert manifest(site) == before
    assert not list(tmp_path.glob(".site-tmp-*")), "temporary build directory left behind"


def test_keep_going_builds_the_rest_and_lists_what_was_skipped(tmp_path):
    content = fixture_tree(tmp_path / "content")
    (content / "units/fgj/news/bad.md").write_text(item("title: 坏\ndate: 不是日期"), encoding="utf-8")
    result = build_site(content, tmp_path / "site", keep_going=True)
    assert result.skipped == [str((content / "units/fgj/news/bad.md").relative_to(Path.cwd()))
                              if content.is_relative_to(Path.cwd()) else (content / "units/fgj/news/bad.md").as_posix()]
    assert (tmp_path / "site/fgj/news/2025-12-00-dt/index.html").exists()
    assert not (tmp_path / "site/fgj/news/bad").exists()


def test_duplicate_urls_fail_the_build_naming_both(tmp_path, caplog):
    content = fixture_tree(tmp_path / "content")
    (content / "units/fgj/news/2026/2025-12-00-dt.md").write_text(item("title: 重复\ndate: 2026-01-01"),
                                                                  encoding="utf-8")
    with pytest.raises(BuildFailed):
        build_site(content, tmp_path / "site")
    text = caplog.text
    assert "E204" in text and "2025/2025-12-00-dt.md" in text and "2026/2025-12-00-dt.md" in text


def test_serve_watches_content(tmp_path):
    from generator.render.plugin import PortalPlugin

    class Server:
        def __init__(self):
            self.watched = []

        def watch(self, path):
            self.watched.append(path)

    p = PortalPlugin()
    p.content_dir = tmp_path
    server = Server()
    p.on_serve(server, None, None)
    assert server.watched == [str(tmp_path)]
