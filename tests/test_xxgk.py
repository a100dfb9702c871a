"""政府信息公开: 公开属性 with its reason, the 年报 tables' arithmetic, the 指南, 第二十条 coverage in the
inspection, and the 依申请公开 flowcharts in a browser."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.checks.inspection import inspect
from generator.model.content import ApplicantRow, RequestTable
from generator.pages.emit import emit
from generator.stages.pipeline import check
from tests.conftest import UNIT_YML, item

COLUMNS = ApplicantRow.COLUMNS
TODAY = dt.date(2026, 6, 1)
GUIDE = """
xxgk:
  office: 区发展改革局办公室
  address: 测试区测试路1号
  postcode: "510000"
  hours: 周一至周五
  phone: 020-12345678
  methods:
    - name: 网上申请
      how: 在网上提交申请。
  review_agency: 测试区人民政府
  court: 测试法院
  updated: 2026-01-05
"""


def flow(row: dict[str, int]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in row.items()) + "}"


@st.composite
def tables(draw):
    """Consistent 年报 tables: every row's total is its columns' sum, results add up, the flow balances."""
    results = {r: {c: draw(st.integers(0, 3)) for c in COLUMNS}
               for r in draw(st.lists(st.sampled_from(RequestTable.RESULTS), min_size=1, max_size=4, unique=True))}
    carried_in = {c: draw(st.integers(0, 2)) for c in COLUMNS}
    carried_out = {c: draw(st.integers(0, 2)) for c in COLUMNS}
    total = {c: sum(r[c] for r in results.values()) for c in COLUMNS}
    new = {c: total[c] + carried_out[c] - carried_in[c] for c in COLUMNS}
    for c in COLUMNS:  # keep every count non-negative
        if new[c] < 0:
            carried_in[c] += new[c]
            new[c] = 0
    rows = {"new": new, "carried_in": carried_in, **results, "results_total": total, "carried_out": carried_out}
    rows = {k: {**v, "total": sum(v.values())} for k, v in rows.items()}
    review = {p: draw(st.integers(0, 3)) for p in ("upheld", "corrected", "other", "pending")}
    return rows, {**review, "total": sum(review.values())}


def report(rows: dict, review: dict) -> str:
    lines = ["tables:", "  requests:"] + [f"    {k}: {flow(v)}" for k, v in rows.items()]
    lines += ["  reviews:", f"    review: {flow(review)}"]
    return item("title: 测试区发展和改革局2025年政府信息公开工作年度报告\ndate: 2026-01-20 09:00\n"
                + "\n".join(lines))


def rules_of(root, unit: str = "fgj") -> list[tuple[str, int]]:
    """The 政府信息公开 rules reported for one unit's files: (rule, line)."""
    return sorted((d.rule, d.line) for d in check(root, today=TODAY).diagnostics
                  if d.rule.startswith(("E41", "W41")) and f"units/{unit}/" in d.path)


SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(t=tables())
def test_consistent_tables_pass_and_render_on_the_report_page(tree, t):
    root = tree({"units/fgj/unit.yml": UNIT_YML + GUIDE, "units/fgj/reports/r2025.md": report(*t)})
    assert rules_of(root) == []
    site = emit(check(root, today=TODAY).index)
    page = next(p for p in site.pages if p.url == "/fgj/reports/r2025/")
    rows = {r[0]: r[1:] for r in page.data["annual"]["requests"]}
    assert rows["三（七）总计"][-1] == t[0]["results_total"]["total"]


@SETTINGS
@given(t=tables(), data=st.data())
def test_one_wrong_number_is_reported_by_its_rule_at_its_line(tree, t, data):
    rows, review = t
    kind = data.draw(st.sampled_from(["total", "result", "carried", "review"]))
    bump = data.draw(st.integers(1, 5))
    if kind == "total":  # a row's total column disagrees with its applicant columns
        name = data.draw(st.sampled_from(sorted(rows)))
        rows[name]["total"] += bump
        expect = "E412"
    elif kind == "result":  # one outcome cell changes (its row total follows): the results no longer add up
        name = data.draw(st.sampled_from([k for k in rows if k in RequestTable.RESULTS]))
        col = data.draw(st.sampled_from(COLUMNS))
        rows[name][col] += bump
        rows[name]["total"] += bump
        expect = "E413"
    elif kind == "carried":  # carried over to next year does not balance the year's flow
        col = data.draw(st.sampled_from(COLUMNS))
        rows["carried_out"][col] += bump
        rows["carried_out"]["total"] += bump
        expect = "E414"
    else:
        review["total"] += bump
        expect = "E415"
    text = report(rows, review)
    root = tree({"units/fgj/unit.yml": UNIT_YML + GUIDE, "units/fgj/reports/r2025.md": text})
    found = rules_of(root)
    assert expect in {r for r, _ in found}, found
    lines = text.splitlines()
    for rule, line in found:  # each finding points at a line of the tables
        assert lines[line - 1].startswith("    "), (rule, line, lines[line - 1])


def test_openness_needs_a_reason_when_not_active(tree):
    root = tree({
        "units/fgj/unit.yml": UNIT_YML + GUIDE,
        "units/fgj/notices/a.md": item("title: 甲\ndate: 2026-01-02\nopenness: 依申请公开"),
        "units/fgj/notices/b.md": item("title: 乙\ndate: 2026-01-02\nopenness: 不予公开\nexemption: 过程性信息"),
        "units/fgj/notices/c.md": item("title: 丙\ndate: 2026-01-02\nexemption: 内部事务信息"),
    })
    got = {(d.path.rsplit("/", 1)[-1], d.rule) for d in check(root, today=TODAY).diagnostics}
    assert ("a.md", "E410") in got and ("c.md", "W411") in got
    assert not any(p == "b.md" for p, _ in got)
    site = emit(check(root, today=TODAY).index)
    page = next(p for p in site.pages if p.url.endswith("/b/"))
    assert dict(page.data["rows"])["公开属性"] == "不予公开"
    assert page.data["withheld"]["reason"].startswith("讨论记录")


def test_the_inspection_names_units_without_a_guide(tree):
    root = tree({"units/fgj/unit.yml": UNIT_YML + GUIDE})
    checked = check(root, today=TODAY)
    found = {u.unit: u.no_disclosure_guide for u in inspect(checked.index, checked.diagnostics, today=TODAY).units}
    assert found == {"fgj": False, "ceshi": True}


def test_inspection_lists_missing_statutory_items_exemptions_and_the_annual_report(tree):
    exempt = "article20_exempt:\n  - item: a20-09\n    reason: 本单位无政府集中采购项目\n"
    root = tree({
        "units/fgj/unit.yml": UNIT_YML + GUIDE + exempt,
        "units/fgj/policies/p.md": item("title: 关于测试的通知\ndate: 2026-01-02\ndoc_number: 测发改〔2026〕1号"),
        "units/fgj/reports/r2025.md": item("title: 测试区发展和改革局2025年政府信息公开工作年度报告\ndate: 2026-02-03"),
    })
    checked = check(root, today=TODAY)
    report_ = inspect(checked.index, checked.diagnostics, today=TODAY)
    f = next(u for u in report_.units if u.unit == "fgj")
    missing = " ".join(f.article20_missing)
    assert "第二十条第（一）项" not in missing  # it has a policy
    assert "第二十条第（九）项" not in missing  # declared not applicable, with a reason
    assert "第二十条第（四）项" in missing and "第二十条第（七）项" in missing
    assert f.annual_report and "2026-02-03" in f.annual_report and "晚于 2026-01-31" in f.annual_report
    street = next(u for u in report_.units if u.unit == "ceshi")
    assert street.annual_report and "未发布" in street.annual_report


def test_portal_new_adds_the_guide_to_unit_yml(tree, capsys):
    from generator.tools.cli import main

    root = tree({"units/fgj/unit.yml": UNIT_YML})
    assert main(["--content", str(root), "new", "信息公开指南", "--unit", "fgj"]) == 0
    text = (root / "units" / "fgj" / "unit.yml").read_text(encoding="utf-8")
    assert "xxgk:" in text and "# 必填 受理机构" in text
    assert main(["--content", str(root), "new", "xxgk", "--unit", "fgj"]) == 2  # now invalid until filled
    assert "有错误" in capsys.readouterr().err


@pytest.mark.browser
def test_flowcharts_are_accessible_and_fit_a_phone(browser, demo_site, serve):
    from tests.test_a11y import open_page, serious

    base = serve(demo_site)
    for width in (1280, 375):
        ctx, page = open_page(browser, base, "/zfxxgk/yishenqing/", width=width)
        try:
            assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
            boxes = page.evaluate(
                "[...document.querySelectorAll('svg.portal-flow')].map(s => s.getBoundingClientRect().width)")
            assert len(boxes) == 2 and all(w >= min(300, width - 60) for w in boxes), boxes
            steps = page.evaluate("[...document.querySelectorAll('ol.portal-steps')].map(o => o.children.length)")
            assert steps == [8, 6]
            assert serious(page) == []
        finally:
            ctx.close()
