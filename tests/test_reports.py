"""The 年报 roll-up /reports/<year>/: every unit expected to file, filed or missing, late after 31 January."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.pages.emit import emit
from generator.stages.pipeline import check
from tests.conftest import item, write_tree

DEPARTMENT = "name: 测试区第{n}局\nshort_name: 区{n}局\nkind: department\n"
STREET = "name: 测试区第{n}街道办事处\nshort_name: 第{n}街\nkind: street\n"

filing = st.one_of(st.none(), st.tuples(st.integers(1, 70), st.integers(0, 23)))  # None: missing; else day offset


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(["department", "street"]), min_size=1, max_size=5),
       years=st.lists(st.integers(2019, 2024), min_size=1, max_size=3, unique=True), data=st.data())
def test_each_expected_unit_is_filed_or_missing_and_late_after_january(tmp_path_factory, kinds, years, data):
    files: dict[str, str] = {}
    truth: dict[tuple[str, int], tuple[str, bool] | None] = {}
    for n, kind in enumerate(kinds, 1):
        uid = f"u{n}"
        files[f"units/{uid}/unit.yml"] = (DEPARTMENT if kind == "department" else STREET).format(n=n)
        for year in years:
            f = data.draw(filing, label=f"{uid}-{year}")
            if f is None:
                truth[(f"区{n}局" if kind == "department" else f"第{n}街", year)] = None
                continue
            published = dt.datetime(year + 1, 1, 1, f[1]) + dt.timedelta(days=f[0] - 1)
            files[f"units/{uid}/reports/r{year}.md"] = item(f"""
                title: 测试区第{n}{'局' if kind == 'department' else '街道办事处'}{year}年政府信息公开工作年度报告
                date: {published:%Y-%m-%d %H:%M}
            """)
            truth[(f"区{n}局" if kind == "department" else f"第{n}街", year)] = (
                f"{published:%Y-%m-%d}", published.date() > dt.date(year + 1, 1, 31))
    root = write_tree(tmp_path_factory.mktemp("reports") / "content", files)
    checked = check(root, today=dt.date(2026, 6, 1))
    assert not checked.errors, checked.errors
    site = emit(checked.index)
    pages = {p.url: p for p in site.pages if p.kind.name == "reports"}
    filed = [y for (_, y), v in truth.items() if v is not None]
    for year in years:
        if not filed or year < min(filed):  # before a unit's first report the portal knows of no duty
            assert f"/reports/{year}/" not in pages
            continue
        spec = pages[f"/reports/{year}/"]
        got = {(f["unit"], year): (f["report"]["date"], f["late"]) if f["report"] else None
               for f in spec.data["filings"]}
        assert got == {k: v for k, v in truth.items() if k[1] == year}
        summary = dict(spec.data["summary"])
        assert summary["已发布"] == sum(v is not None for k, v in truth.items() if k[1] == year)
        assert summary["逾期发布"] == sum(bool(v and v[1]) for k, v in truth.items() if k[1] == year)
    index = pages["/reports/"]
    assert {r["year"] for r in index.data["rows"]} == {p.data["year"] for p in pages.values() if p.data["year"]}


def test_the_demo_roll_up_is_a_page_with_a_row_per_expected_unit(demo_site):
    html = (demo_site / "reports" / "2025" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    rows = soup.select_one("main table").select("tbody tr")  # the filings (the roll-up tables follow)
    assert len(rows) >= 20
    states = {r.find_all("td")[-1].get_text(strip=True) for r in rows}
    assert states <= {"按时发布", "逾期发布", "未发布"} and "按时发布" in states
    for r in rows:  # a filed report links to its page, which exists
        a = r.find_all("td")[1].find("a")
        if a is not None:
            target = (demo_site / "reports" / "2025" / a["href"]).resolve() / "index.html"
            assert target.exists(), a["href"]
    index = BeautifulSoup((demo_site / "reports" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.find("a", string="2025年") is not None
