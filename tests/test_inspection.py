"""`portal inspect`: the national inspection indicators on fixture trees with known findings."""

from __future__ import annotations

import datetime as dt
import json

from generator.checks.inspection import PASS, RISK, inspect
from generator.stages.pipeline import check
from generator.tools.cli import main
from generator.tools.codeowners import codeowners

from .conftest import CONTENT, build_site, item, write_tree

TODAY = dt.date(2026, 11, 28)


def days_ago(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


def fixture() -> dict[str, str]:
    files = {
        "units/fgj/unit.yml": (
            "name: 测试区发展和改革局\nshort_name: 区发展改革局\nkind: department\neditors: ['@t/fgj']\n"
        ),
        "units/jyj/unit.yml": (
            "name: 测试区教育局\nshort_name: 区教育局\nkind: department\n"
            "columns: [news, notices]\neditors: ['@t/jyj']\n"
        ),
        "units/wjj/unit.yml": "name: 测试区卫健局\nkind: department\n",
        # fgj: news 30 days old (critical), notices 200 days (critical), reports 400 days (not critical),
        # policies/plans/finance blank
        "units/fgj/news/n.md": item(f"title: 动态\ndate: {days_ago(30)}"),
        "units/fgj/notices/t.md": item(f"title: 通知\ndate: {days_ago(200)}"),
        "units/fgj/reports/r.md": item(f"title: 年报\ndate: {days_ago(400)}"),
        "units/fgj/guides/g.md": item(
            f"title: 指南\ndate: {days_ago(5)}\nbasis: x\nconditions: x\nmaterials: [x]\n"
            "process: x\ntime_limit: x\nfees: x\nlocation: x"
        ),
        "units/fgj/news/undated.md": item("title: 没有日期的动态"),
        # jyj: only news and notices expected, both fresh
        "units/jyj/news/n.md": item(f"title: 教育动态\ndate: {days_ago(10)}"),
        "units/jyj/notices/t.md": item(f"title: 教育通知\ndate: {days_ago(3)}"),
        # wjj: a normative policy without interpretation; every other expected column blank (5 blank: veto)
        "units/wjj/policies/p.md": item(
            f"title: 办法\ndate: {days_ago(10)}\nnormative: true\ndoc_number: 测〔2026〕1号"
        ),
    }
    return files


def test_findings_per_unit_and_verdicts(tmp_path):
    root = write_tree(tmp_path / "c", fixture())
    r = check(root, today=TODAY, display_base=root)
    rep = inspect(r.index, r.diagnostics, TODAY)
    by = {u.unit: u for u in rep.units}
    fgj = by["fgj"]
    assert sorted((s["column"], s["days"]) for s in fgj.stale) == [
        ("工作动态", 30),
        ("政府信息公开年报", 400),
        ("通知公告", 200),
    ]
    assert fgj.stale_critical == 2
    assert sorted(fgj.blank) == ["政策文件", "规划计划", "财政预决算"]
    assert len(fgj.guide_gaps) == 1 and "phone（咨询电话）" in fgj.guide_gaps[0]
    assert fgj.undated == ["units/fgj/news/undated.md:2"]
    assert fgj.verdict == RISK and fgj.reasons == ["办事指南要素缺失 1 处"]
    assert by["jyj"].verdict == PASS and not by["jyj"].stale and not by["jyj"].blank
    wjj = by["wjj"]
    assert sorted(wjj.blank) == ["工作动态", "政府信息公开年报", "规划计划", "财政预决算", "通知公告"]
    assert wjj.verdict == RISK and wjj.reasons == ["空白栏目 5 个（≥5）"]
    assert [p["title"] for p in wjj.uninterpreted] == ["办法"]
    # the home page: the newest 要闻/动态/通知公告 is 3 days old
    assert (rep.home_last, rep.home_days, rep.home_stale) == (days_ago(3), 3, False)
    assert rep.totals["risky"] == 2 and rep.totals["blank"] == 8


def test_thresholds_for_stale_columns(tmp_path):
    files = {
        "units/a/unit.yml": "name: 甲局\nkind: department\ncolumns: [headlines, news, notices, policies, "
        "interpretations, plans, finance, personnel, guides, results, reports]\n"
    }
    for col in (
        "headlines",
        "news",
        "notices",
        "policies",
        "interpretations",
        "plans",
        "finance",
        "personnel",
        "guides",
        "results",
        "reports",
    ):
        body = "title: x\ndate: " + days_ago(500)
        if col == "guides":
            body += (
                "\nbasis: x\nconditions: x\nmaterials: [x]\nprocess: x\ntime_limit: x\nfees: x\nlocation: x\nphone: 1"
            )
        if col == "interpretations":
            body += "\ninterprets: a/policies/x"
        files[f"units/a/{col}/x.md"] = item(body)
    root = write_tree(tmp_path / "c", files)
    r = check(root, today=TODAY, display_base=root)
    rep = inspect(r.index, r.diagnostics, TODAY)
    a = next(u for u in rep.units if u.unit == "a")
    assert len(a.stale) == 11 and a.stale_critical == 5  # 要闻、动态 (14 days), 通知公告、政策文件、解读 (180)
    assert a.reasons == ["动态、要闻、通知公告、政策文件类栏目未及时更新 5 个（≥5）", "应更新未更新栏目 11 个（≥10）"]
    assert rep.home_stale  # 500 days


def test_cli_text_and_json(tmp_path, capsys, monkeypatch):
    root = write_tree(tmp_path / "content", fixture())
    monkeypatch.chdir(tmp_path)
    assert main(["inspect", "--today", "2026-11-28"]) == 0
    text = capsys.readouterr().out
    assert "测试区发展和改革局（fgj）：有单项否决风险" in text
    assert "  空白：政策文件" in text and text.rstrip().endswith("结论：有单项否决风险")
    assert main(["inspect", "--today", "2026-11-28", "--fail-on-risk"]) == 1
    capsys.readouterr()
    assert main(["inspect", "--today", "2026-11-28", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["verdict"] == RISK and doc["totals"]["uninterpreted"] == 1
    assert {u["unit"]: u["verdict"] for u in doc["units"]} == {"fgj": RISK, "wjj": RISK, "jyj": PASS}
    assert root.exists()


def test_both_ways_links_are_checked_on_the_built_site(tmp_path, capsys, monkeypatch):
    files = fixture()
    files["units/wjj/interpretations/i.md"] = item(f"title: 解读\ndate: {days_ago(10)}\ninterprets: wjj/policies/p")
    root = write_tree(tmp_path / "content", files)
    site = tmp_path / "site"
    build_site(root, site, keep_going=True, search=False)
    monkeypatch.chdir(tmp_path)
    assert main(["inspect", "--today", "2026-11-28", "--site", "site", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["broken"] == 0 and doc["totals"]["one_way"] == 0
    page = site / "wjj/policies/p/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("../../interpretations/i/", "#"), encoding="utf-8")
    assert main(["inspect", "--today", "2026-11-28", "--site", "site", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    wjj = next(u for u in doc["units"] if u["unit"] == "wjj")
    assert wjj["one_way"] == [{"policy": "/wjj/policies/p/", "interpretation": "/wjj/interpretations/i/",
                               "policy_source": "content/units/wjj/policies/p.md:2:1",
                               "interpretation_source": "content/units/wjj/interpretations/i.md:2:1"}]
    assert "政策文件与解读未相互关联 1 处" in wjj["reasons"]


def test_inspection_page_in_the_demo(demo_site):
    html = (demo_site / "inspection/index.html").read_text(encoding="utf-8")
    assert "首页最近更新于" in html and "各单位栏目更新情况" in html and "年度发布情况" in html


def test_codeowners_cover_every_unit_folder(tmp_path):
    root = write_tree(tmp_path / "content", fixture())
    ix = check(root, today=TODAY, display_base=root).index
    text, orphans = codeowners(ix)
    assert orphans == ["wjj"]
    assert "/content/units/fgj/  @t/fgj" in text
    demo = check(CONTENT).index
    text, orphans = codeowners(demo)
    assert orphans == []
    lines = text.splitlines()
    assert lines[2] == "*  @haizhu/portal-office"
    for unit in demo.units.values():
        owned = [line for line in lines if line.startswith(f"/content/{unit.path}/ ")]
        assert owned and owned[0].split()[1:], unit.id


def test_inspect_one_unit_lists_sources_thresholds_and_what_to_do(tmp_path, capsys, monkeypatch):
    root = write_tree(tmp_path / "content", fixture())
    monkeypatch.chdir(root / "units" / "fgj")
    assert main(["inspect", "--today", "2026-11-28", "--unit", "区发展改革局"]) == 0
    text = capsys.readouterr().out
    assert "测试区教育局" not in text and "测试区卫健局" not in text  # that unit only
    head = next(line for line in text.splitlines() if line.startswith("测试区发展和改革局（fgj）"))
    assert "时效栏目超期 2/5" in head and "空白栏目 3/5" in head and "达到任一门槛即单项否决" in head
    assert "目录 content/units/fgj/news/，最新一篇 content/units/fgj/news/n.md:2:1" in text
    assert "  空白：政策文件（目录 content/units/fgj/policies/）" in text
    assert text.count("    怎么办：") >= 2
    assert main(["inspect", "--today", "2026-11-28", "--unit", "wjj"]) == 0
    text = capsys.readouterr().out
    assert "缺少解读：办法 content/units/wjj/policies/p.md:2:1" in text and "portal new 政策解读" in text
    assert main(["inspect", "--unit", "区发展改革居"]) == 2
    assert "您是否要写：“区发展改革局”" in capsys.readouterr().err
