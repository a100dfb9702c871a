"""事项清单, 一本通 (QR codes decoded), 谁起草谁解读 sync report, statistics and the service heat map."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.checks import stats
from generator.stages.pipeline import check

from .conftest import build_site, item, require, write_tree

MATTER = """\
  - id: {id}
    name: {name}
    content: 办事指南、办理结果
    basis: 《中华人民共和国政府信息公开条例》
    time_limit: 信息形成或变更之日起20个工作日内
    channels: [政府网站, 政务服务中心]
    audience: {audience}
    mode: {mode}
    levels: [{levels}]
    disclosure: {disclosure}
    category: {category}
    domain: {domain}
"""


def matters(*rows: dict) -> str:
    return "matters:\n" + "".join(MATTER.format(**r) for r in rows)


FGJ_MATTERS = matters(
    dict(
        id="XK-001",
        name="企业投资项目备案",
        audience="全社会",
        mode="主动",
        levels="区级",
        disclosure="服务公开",
        category="公共服务",
        domain="重大建设项目",
    ),
    dict(
        id="XK-002",
        name="政府投资项目审批",
        audience="全社会",
        mode="主动",
        levels="区级",
        disclosure="决策公开",
        category="权责清单",
        domain="重大建设项目",
    ),
    dict(
        id="CF-001",
        name="价格违法行为处罚",
        audience="特定群体",
        mode="依申请",
        levels="区级",
        disclosure="结果公开",
        category="权责清单",
        domain="市场监管",
    ),
)
STREET_MATTERS = matters(
    dict(
        id="GG-001",
        name="最低生活保障申请",
        audience="特定群体",
        mode="主动",
        levels="街道级, 社区级",
        disclosure="服务公开",
        category="公共服务",
        domain="社会救助",
    ),
)
NORMATIVE = "title: {t}\ndate: {d}\nnormative: true\ndoc_number: 测〔{y}〕{n}号"


def tree_files() -> dict[str, str | bytes]:
    return {
        "units/fgj/unit.yml": "name: 测试区发展和改革局\nshort_name: 区发展改革局\nkind: department\n",
        "units/jyj/unit.yml": "name: 测试区教育局\nshort_name: 区教育局\nkind: department\n",
        "units/chigang/unit.yml": (
            "name: 赤岗街道办事处\nkind: street\ncommunities:\n  - id: chigang-a\n    name: 甲社区\n"
        ),
        "units/fgj/matters.yml": FGJ_MATTERS,
        "units/chigang/matters.yml": STREET_MATTERS,
        # 2025: three normative policies: one interpreted the same day, one three days later, one never
        "units/fgj/policies/p1.md": item(NORMATIVE.format(t="办法一", d="2025-03-01", y=2025, n=1)),
        "units/fgj/policies/p2.md": item(NORMATIVE.format(t="办法二", d="2025-05-01", y=2025, n=2)),
        "units/fgj/policies/p3.md": item(NORMATIVE.format(t="办法三", d="2025-07-01", y=2025, n=3)),
        "units/fgj/policies/p4.md": item(NORMATIVE.format(t="办法四", d="2026-01-10", y=2026, n=1)),
        "units/fgj/policies/p5.md": item("title: 非规范性文件\ndate: 2026-01-10"),
        "units/fgj/interpretations/i1.md": item("title: 解读一\ndate: 2025-03-01\ninterprets: fgj/policies/p1"),
        "units/fgj/interpretations/i2.md": item("title: 解读二\ndate: 2025-05-04\ninterprets: fgj/policies/p2"),
        "units/fgj/interpretations/i4.md": item("title: 解读四\ndate: 2026-01-10\ninterprets: fgj/policies/p4"),
        # 2026, another unit: interpreted only by someone else -> still a gap for 谁起草、谁解读
        "units/jyj/policies/q1.md": item(NORMATIVE.format(t="教育办法", d="2026-02-01", y=2026, n=7)),
        "units/fgj/interpretations/i5.md": item("title: 代为解读\ndate: 2026-02-01\ninterprets: jyj/policies/q1"),
        "units/fgj/guides/g1.md": item(
            "title: 企业投资项目备案指南\ndate: 2026-01-05\nbasis: 条例\nconditions: 企业\n"
            "materials: [申请表]\nprocess: 网上办理\ntime_limit: 即办\nfees: 不收费\n"
            "location: 政务服务中心\nphone: 020-1\nmatters: [XK-001]"
        ),
        "units/fgj/news/n1.md": item("title: 项目审批动态\ndate: 2026-03-01\nmatters: [XK-002, chigang/GG-001]"),
        "units/chigang/communities/chigang-a/affairs/a1.md": item("title: 甲社区财务公开\ndate: 2026-04-01"),
        "data/service-visits.csv": "matter,month,count\nfgj/XK-001,2026-01,120\nfgj/XK-001,2026-02,80\n"
        "fgj/XK-001,2026-02,20\nchigang/GG-001,2026-01,5\nfgj/CF-001,2026-03,0\n"
        "fgj/NOPE,2026-03,9\nfgj/XK-002,2026-13,3\n",
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("cat")
    content = write_tree(base / "content", tree_files())
    site = base / "site"
    build_site(content, site, keep_going=True)
    return site, content


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_sync_report_numbers_on_known_gaps(tmp_path):
    content = write_tree(tmp_path / "c", tree_files())
    ix = check(content, today=dt.date(2026, 11, 28), display_base=content).index
    s = stats.sync_report(ix)
    rows = {(r.unit, r.year): (r.normative, r.interpreted, r.same_day) for r in s.rows}
    assert rows == {("fgj", 2025): (3, 2, 1), ("fgj", 2026): (1, 1, 1), ("jyj", 2026): (1, 0, 0)}
    assert (s.total.normative, s.total.interpreted, s.total.same_day) == (5, 3, 2)
    assert [p.id for p in s.gaps] == ["fgj/policies/p3", "jyj/policies/q1"]
    assert [(p.id, i.id, days) for p, i, days in s.late] == [("fgj/policies/p2", "fgj/interpretations/i2", 3)]
    assert [(p.id, i.id) for p, i in s.foreign] == [("jyj/policies/q1", "fgj/interpretations/i5")]


def test_sync_page_shows_the_same_numbers(built):
    site, _ = built
    page = soup(site, "/stats/interpretation/")
    foot = [td.get_text() for td in page.select("tfoot td")]
    assert foot == ["合计", "", "5", "3", "60.0%", "2", "40.0%"]
    gaps = [a.get_text() for a in page.select("#gaps a.portal-list__title")]
    assert gaps == ["办法三", "教育办法"]


def test_catalog_lists_every_row_with_its_facets(built):
    site, _ = built
    page = soup(site, "/catalog/")
    rows = page.select("#catalog-table tbody tr")
    assert [r.td.get_text() for r in rows] == [
        "企业投资项目备案",
        "政府投资项目审批",
        "价格违法行为处罚",
        "最低生活保障申请",
    ]
    street = rows[-1]
    assert street["data-unit"] == "chigang" and street["data-levels"] == "street community"
    assert street["data-mode"] == "active" and street["data-category"] == "service"
    published = {r.td.get_text(): r.find_all("td")[-1].get_text() for r in rows}
    assert published == {
        "企业投资项目备案": "1",
        "政府投资项目审批": "1",
        "价格违法行为处罚": "0",
        "最低生活保障申请": "1",
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/catalog/by/mode/request/", ["价格违法行为处罚"]),
        ("/catalog/by/level/community/", ["最低生活保障申请"]),
        ("/catalog/by/domain/major-projects/", ["企业投资项目备案", "政府投资项目审批"]),
        ("/catalog/by/unit/chigang/", ["最低生活保障申请"]),
        ("/catalog/by/category/power/", ["政府投资项目审批", "价格违法行为处罚"]),
        ("/catalog/by/disclosure/decision/", ["政府投资项目审批"]),
    ],
)
def test_facet_pages_filter_without_javascript(built, url, expected):
    site, _ = built
    page = soup(site, url)
    assert [r.td.get_text() for r in page.select("#catalog-table tbody tr")] == expected
    assert page.find("script", src=re.compile("catalog.js")) is None


def test_matter_page_has_all_elements_and_published_items(built):
    site, _ = built
    page = soup(site, "/catalog/fgj/xk-001/")
    labels = [th.get_text() for th in page.select("table.portal-meta th")]
    assert labels == [
        "事项名称",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
        "公开对象",
        "公开方式",
        "公开层级",
        "五公开类别",
        "事项类别",
        "所属领域",
        "事项编号",
    ]
    assert [a.get_text() for a in page.select(".portal-list__title")] == ["企业投资项目备案指南"]


def decode_qr(svg: str) -> str | None:
    """Read a segno SVG's modules back into a bitmap and decode it with zxing-cpp (a real decoder)."""
    np = pytest.importorskip("numpy")
    zxingcpp = pytest.importorskip("zxingcpp")
    size = int(re.search(r'width="(\d+)"', svg).group(1))
    scale = int(re.search(r"scale\((\d+)\)", svg).group(1))
    n = size // scale
    m = np.full((n, n), 255, np.uint8)
    x = y = 0.0
    for cmd, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", re.search(r' d="([^"]+)"', svg).group(1)):
        if cmd == "M":
            x, y = float(a), float(b)
        elif cmd == "m":
            x, y = x + float(a), y + float(b)
        else:
            m[int(y), int(x) : int(x + float(a))] = 0
            x += float(a)
    result = zxingcpp.read_barcode(np.kron(m, np.ones((6, 6), np.uint8)))
    return result.text if result else None


def test_every_handbook_qr_code_decodes_to_an_existing_page(built):
    site, _ = built
    page = soup(site, "/handbook/")
    imgs = page.select(".portal-handbook__qr img")
    assert len(imgs) == 4
    for img in imgs:
        qr_file = (site / "handbook" / img["src"]).resolve()
        url = decode_qr(qr_file.read_text(encoding="utf-8"))
        assert url and url.startswith("https://www.example.gov.cn/catalog/")
        target = site / url.removeprefix("https://www.example.gov.cn/") / "index.html"
        assert target.exists(), url
    sections = [h.get_text() for h in page.select(".portal-handbook__domain > h2")]
    assert sections == ["重大建设项目", "社会救助", "市场监管"]  # taxonomy order of domains


def test_per_unit_handbook(built):
    site, _ = built
    page = soup(site, "/handbook/fgj/")
    assert len(page.select(".portal-handbook__row")) == 3
    assert not (site / "handbook/jyj/index.html").exists()


def test_demo_handbook_qr_sample_decodes(demo_site):
    """A sample of the demo's QR codes: each decodes to an existing page."""
    files = sorted((demo_site / "handbook" / "qr").rglob("*.svg"))
    assert len(files) >= 120
    for f in files[:: max(1, len(files) // 15)]:
        url = decode_qr(f.read_text(encoding="utf-8"))
        assert url, f
        assert (demo_site / url.split("/", 3)[3] / "index.html").exists(), url


def test_heat_map_cells_equal_the_csv_aggregates(built):
    site, content = built
    totals: Counter = Counter()
    with open(content / "data/service-visits.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["matter"] != "fgj/NOPE" and row["month"] != "2026-13":
                totals[(row["matter"], row["month"])] += int(row["count"])
    page = soup(site, "/stats/services/")
    svg = page.select_one("svg.portal-chart")
    table = page.select_one("table.portal-stats")
    months = [th.get_text() for th in table.select("thead th")][1:-1]
    assert months == ["2026-01", "2026-02", "2026-03"]
    got: Counter = Counter()
    for tr in table.select("tbody tr"):
        name = tr.th.get_text()
        key = {
            "企业投资项目备案（区发展改革局）": "fgj/XK-001",
            "最低生活保障申请（赤岗街道办事处）": "chigang/GG-001",
            "价格违法行为处罚（区发展改革局）": "fgj/CF-001",
        }[name]
        for month, td in zip(months, tr.find_all("td")[:-1], strict=True):
            if int(td.get_text()):
                got[(key, month)] = int(td.get_text())
    assert got == +totals
    cells = sorted(int(r["data-value"]) for r in svg.select("rect[data-value]"))
    assert sorted(v for v in cells if v) == sorted(v for v in totals.values() if v)
    # the busiest matter links to its guide
    assert svg.select_one("a")["href"] == "../../fgj/guides/g1/"


def test_bad_visit_rows_are_diagnosed_with_their_line(tmp_path):
    content = write_tree(tmp_path / "c", tree_files())
    r = check(content, today=dt.date(2026, 11, 28), display_base=content)
    found = [(d.path, d.line, d.rule) for d in r.diagnostics if d.path.endswith(".csv")]
    assert found == [("data/service-visits.csv", 7, "E207"), ("data/service-visits.csv", 8, "E106")]


def test_hierarchy_street_rollup_and_directory_by_level(built):
    site, _ = built
    street = soup(site, "/chigang/")
    rolled = street.select("section[aria-labelledby=rollup] a.portal-list__title")
    assert [a.get_text() for a in rolled] == ["甲社区财务公开"]
    levels = soup(site, "/directory/community/")
    assert [a.get_text() for a in levels.select(".portal-unitgrid a")] == ["甲社区"]
    assert [a.get_text() for a in soup(site, "/directory/street/").select(".portal-unitgrid a")] == []


def test_stats_tables_match_counts(built):
    site, _ = built
    page = soup(site, "/stats/")
    by_year = {tr.th.get_text(): int(tr.td.get_text()) for tr in page.select("#by-year tbody tr")}
    assert by_year == {"2025": 5, "2026": 8}
    svg_values = [
        int(t.get_text())
        for t in page.select("#by-year svg text")
        if t.get_text().isdigit() and int(t.get_text()) < 1000
    ]
    assert 5 in svg_values and 8 in svg_values


@pytest.mark.browser
def test_catalog_filter_in_a_real_browser(browser, demo_site, serve):
    require("demo catalog", (demo_site / "catalog/index.html").exists(), "demo site not built")
    base = serve(demo_site)
    page = browser.new_page()
    page.goto(base + "/catalog/")
    total = page.locator("#catalog-table tbody tr:visible").count()
    assert total >= 120
    page.select_option("select[name=mode]", "request")
    shown = page.locator("#catalog-table tbody tr:visible")
    n = shown.count()
    assert 0 < n < total
    assert page.locator("#catalog-count").inner_text() == str(n)
    modes = set(shown.evaluate_all("rs => rs.map(r => r.dataset.mode)"))
    assert modes == {"request"}
    assert "mode=request" in page.url
    page.click("#catalog-filter button[type=reset]")
    page.wait_for_function("n => document.querySelectorAll('#catalog-table tbody tr:not([hidden])').length == n",
                           arg=total)
    page.close()


def test_qr_codes_made_in_parallel_equal_the_serial_ones(tmp_path):
    # 80 missing codes take the two-process path; each must equal the code made directly, and the cache
    # must then hold every one of them.
    from generator.pages.catalog import _qr_cache_path, qr_codes, qr_svg

    urls = [f"https://www.example.gov.cn/catalog/u{i % 7}/m{i:03d}/" for i in range(80)]
    codes = qr_codes(urls, tmp_path / "qr", jobs=2)
    assert codes == [qr_svg(u) for u in urls]
    assert all(_qr_cache_path(u, tmp_path / "qr").exists() for u in urls)
    assert len(set(codes)) == len(urls)
