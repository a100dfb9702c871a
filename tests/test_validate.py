"""Stage 2: one record against the schema; diagnostics asserted as data."""

from __future__ import annotations

import datetime as dt

from generator.stages.pipeline import check

from .conftest import item

TODAY = dt.date(2026, 11, 28)


def run(root, **kw):
    r = check(root, today=TODAY, display_base=root, **kw)
    return r, [(d.path, d.line, d.rule) for d in r.diagnostics]


def test_valid_tree_has_no_diagnostics(tree):
    root = tree({"units/fgj/news/2020-a.md": item("""
        title: 发改局召开政务公开工作会议
        date: 2020年1月2日
        disclosure: 执行公开
        domains: [政务公开]
        tags: 政务公开
    """)})
    r, diags = run(root)
    assert diags == []
    it = r.index.items["fgj/news/2020-a"]
    assert it.date == dt.datetime(2020, 1, 2)
    assert it.disclosure == "execution"
    assert it.domains == ["government-affairs"]
    assert it.tags == ["政务公开"]
    assert r.summary() == {"units": 3, "items": 1, "matters": 0, "errors": 0, "warnings": 0}


def test_unknown_key_missing_field_wrong_type(tree):
    root = tree({
        "units/fgj/news/a.md": item("title: 一\ndate: 2020-01-01\n标签: x"),
        "units/fgj/news/b.md": item("summary: 无标题\ndate: 2020-01-01"),
        "units/fgj/news/c.md": item("title: [一, 二]\ndate: 2020-01-01"),
        "units/fgj/news/d.md": item("title: 一\ndate: 2020-01-01\nattachments: a.pdf"),
    })
    _, diags = run(root)
    assert diags == [
        ("units/fgj/news/a.md", 4, "E101"),
        ("units/fgj/news/b.md", 2, "E102"),
        ("units/fgj/news/c.md", 2, "E103"),
        ("units/fgj/news/d.md", 4, "E103"),
    ]


def test_unknown_key_suggests_the_field(tree):
    root = tree({"units/fgj/news/a.md": item("title: 一\ndate: 2020-01-01\n摘要: x\nsumary: y")})
    r, _ = run(root)
    msgs = [d.message for d in r.diagnostics]
    assert any("应写作 summary" in m for m in msgs)
    assert any("是否应为 summary" in m for m in msgs)


def test_values_outside_the_taxonomy_and_bad_dates(tree):
    root = tree({
        "units/fgj/news/a.md": item("title: 一\ndate: 2020-01-01\ndisclosure: 公开"),
        "units/fgj/news/b.md": item("title: 一\ndate: 2020-02-30"),
        "units/fgj/news/c.md": item("title: 一\ndate: 去年"),
        "units/fgj/policies/d.md": item("title: 一\ndate: 2020-01-01\nnormative: 是\ndoc_number: 海发改〔2020〕1号"),
    })
    _, diags = run(root)
    assert [(p.rsplit("/", 1)[1], line, rule) for p, line, rule in diags] == [
        ("a.md", 4, "E104"), ("b.md", 3, "E105"), ("c.md", 3, "E105"), ("d.md", 4, "E103")]


def test_strict_bools_and_ints(tree):
    root = tree({"units/fgj/policies/d.md": item("title: 一\ndate: 2020-01-01\nnormative: NO")})
    r, diags = run(root)
    assert diags == [("units/fgj/policies/d.md", 4, "E103")]
    assert "true 或 false" in r.diagnostics[0].message


def test_future_date_beyond_tolerance(tree):
    root = tree({
        "units/fgj/news/a.md": item("title: 一\ndate: 2026-11-29"),  # tomorrow: inside the 1-day tolerance
        "units/fgj/news/b.md": item("title: 一\ndate: 2027-11-28"),  # a year ahead: a typo
    })
    _, diags = run(root)
    assert diags == [("units/fgj/news/b.md", 3, "E303")]


def test_guide_missing_key_elements(tree):
    root = tree({"units/fgj/guides/g.md": item("""
        title: 企业投资项目备案
        date: 2020-01-01
        basis: 《企业投资项目核准和备案管理条例》
        conditions: 在本区投资的企业
        materials: [项目备案申请表]
        process: 网上申报
        time_limit: 即办
        fees: 不收费
    """)})
    r, diags = run(root)
    assert [d[2] for d in diags] == ["E302", "W325"]
    e302 = next(d for d in r.diagnostics if d.rule == "E302")
    assert e302.message.rsplit("：", 1)[1] == "location（办理地点和时间）、phone（咨询电话）"


def test_normative_policy_needs_doc_number_and_type_must_fit_column(tree):
    root = tree({
        "units/fgj/policies/p.md": item("title: 办法\ndate: 2020-01-01\nnormative: true"),
        "units/fgj/news/q.md": item("title: 办法\ntype: policy\ndate: 2020-01-01"),
    })
    _, diags = run(root)
    rules = sorted(r for *_, r in diags)
    assert rules == ["E212", "E305"]


def test_title_length_limit(tree):
    root = tree({"units/fgj/news/a.md": item("title: " + "长" * 10_000 + "\ndate: 2020-01-01")})
    _, diags = run(root)
    assert diags == [("units/fgj/news/a.md", 2, "E108")]


def test_unit_schema_and_former_names(tree):
    root = tree({
        "units/jyj/unit.yml": "name: 教育局\nkind: 局\nleaders:\n  - name: 张三\n",
        "units/fgj/policies/p.md": item("title: 办法\ndate: 2020-01-01\nissuers: [测试区发展计划局]"),
    })
    r, diags = run(root)
    assert sorted(diags) == [("units/jyj/unit.yml", 2, "E104"), ("units/jyj/unit.yml", 4, "E102")]
    assert r.index.items["fgj/policies/p"].issuers == ["fgj"]
    assert [c.note for c in r.changes] == ["曾用名换为单位编号"]


def test_a_bad_record_is_skipped_and_the_rest_kept(tree):
    root = tree({
        "units/fgj/news/bad.md": item("title: 一\ndate: 不知道"),
        "units/fgj/news/good.md": item("title: 二\ndate: 2020-01-01"),
    })
    r, _ = run(root)
    assert list(r.index.items) == ["fgj/news/good"]
    assert "units/fgj/news/bad.md" in r.index.skipped
