"""Stage 3: cross-references on the whole set; duplicates name both sources."""

from __future__ import annotations

import datetime as dt

from generator.stages.pipeline import check

from .conftest import item

TODAY = dt.date(2026, 11, 28)
POLICY = "title: 办法\ndate: 2020-01-01\nnormative: true\ndoc_number: 海发改〔2020〕1号"


def run(root, **kw):
    r = check(root, today=TODAY, display_base=root, **kw)
    return r, [(d.path, d.line, d.rule) for d in r.diagnostics]


def test_policy_and_interpretation_are_paired(tree):
    root = tree({
        "units/fgj/policies/p.md": item(POLICY),
        "units/fgj/interpretations/i.md": item("title: 解读\ndate: 2020-01-01\ninterprets: fgj/policies/p"),
    })
    r, diags = run(root)
    assert diags == []
    assert [i.id for i in r.index.interpretations["fgj/policies/p"]] == ["fgj/interpretations/i"]


def test_normative_policy_without_interpretation_warns_or_fails_when_strict(tree):
    root = tree({"units/fgj/policies/p.md": item(POLICY)})
    r, diags = run(root)
    assert diags == [("units/fgj/policies/p.md", 4, "W301")]
    assert r.summary()["errors"] == 0
    r, _ = run(root, strict_policy=True)
    assert r.summary()["errors"] == 1


def test_interpretation_targets(tree):
    root = tree({
        "units/fgj/news/n.md": item("title: 动态\ndate: 2020-01-01"),
        "units/fgj/interpretations/a.md": item("title: 解读\ndate: 2020-01-01\ninterprets: fgj/policies/nope"),
        "units/fgj/interpretations/b.md": item("title: 解读\ndate: 2020-01-01\ninterprets: fgj/news/n"),
        "units/fgj/interpretations/c.md": item("title: 解读\ndate: 2020-01-01"),
    })
    _, diags = run(root)
    assert sorted((p.rsplit("/", 1)[1], r) for p, _, r in diags) == [("a.md", "E202"), ("b.md", "E206"),
                                                                       ("c.md", "E202")]


def test_interpretation_by_another_unit_warns(tree):
    root = tree({
        "units/jyj/unit.yml": "name: 教育局\nkind: department\n",
        "units/fgj/policies/p.md": item(POLICY),
        "units/jyj/interpretations/i.md": item("title: 解读\ndate: 2020-01-01\ninterprets: fgj/policies/p"),
    })
    _, diags = run(root)
    assert diags == [("units/jyj/interpretations/i.md", 4, "W304")]


def test_a_joint_issuer_may_interpret(tree):
    root = tree({
        "units/jyj/unit.yml": "name: 教育局\nkind: department\n",
        "units/fgj/policies/p.md": item(POLICY + "\nissuers: [jyj]"),
        "units/jyj/interpretations/i.md": item("title: 解读\ndate: 2020-01-01\ninterprets: fgj/policies/p"),
    })
    _, diags = run(root)
    assert diags == []


def test_duplicate_urls_name_both_sources(tree):
    root = tree({
        "units/fgj/news/2019/a.md": item("title: 一\ndate: 2019-01-01"),
        "units/fgj/news/2020/a.md": item("title: 二\ndate: 2020-01-01"),
    })
    r, diags = run(root)
    assert diags == [("units/fgj/news/2019/a.md", 2, "E204")]
    assert "units/fgj/news/2020/a.md" in r.diagnostics[0].message
    assert list(r.index.items) == ["fgj/news/a"]


def test_duplicate_unit_ids_and_reserved_ids(tree):
    root = tree({
        "units/search/unit.yml": "name: 搜索局\nkind: department\n",
        "units/news/unit.yml": "name: 新闻局\nkind: department\n",
        "units/jd/unit.yml": "name: 某街道\nkind: street\ncommunities:\n  - id: fgj\n    name: 重名社区\n",
    })
    r, diags = run(root)
    assert sorted((p, r_) for p, _, r_ in diags) == [
        ("units/jd/unit.yml", "E203"), ("units/news/unit.yml", "E205"), ("units/search/unit.yml", "E205")]
    dup = next(d for d in r.diagnostics if d.rule == "E203")
    assert "units/fgj/unit.yml" in dup.message


def test_year_like_slugs_collide_with_archives(tree):
    root = tree({"units/fgj/news/2019.md": item("title: 一\ndate: 2019-01-01")})
    _, diags = run(root)
    assert diags == [("units/fgj/news/2019.md", 2, "E204")]


def test_unit_folder_without_unit_yml_and_undeclared_community(tree):
    root = tree({
        "units/nobody/news/a.md": item("title: 一\ndate: 2019-01-01"),
        "units/ceshi/communities/ceshi-b/affairs/a.md": item("title: 一\ndate: 2019-01-01"),
        "units/ceshi/communities/ceshi-a/affairs/ok.md": item("title: 公示\ndate: 2019-01-01"),
    })
    r, diags = run(root)
    assert sorted((p, rule) for p, _, rule in diags) == [
        ("units/ceshi/communities/ceshi-b/affairs/a.md", "E211"), ("units/nobody/news/a.md", "E201")]
    assert r.index.item_urls["ceshi-a/affairs/ok"] == "/ceshi/ceshi-a/affairs/ok/"
    assert [u.id for u in r.index.communities["ceshi"]] == ["ceshi-a"]


def test_a_broken_unit_yml_is_reported_once(tree):
    root = tree({
        "units/fgj/unit.yml": "name: [\n",
        "units/fgj/news/a.md": item("title: 一\ndate: 2019-01-01"),
        "units/fgj/news/b.md": item("title: 二\ndate: 2019-01-01"),
    })
    r, diags = run(root)
    assert [(p, rule) for p, _, rule in diags] == [("units/fgj/unit.yml", "E002")]
    assert r.index.items == {}


def test_parent_cycles(tree):
    root = tree({
        "units/a1/unit.yml": "name: 甲\nkind: department\nparent: a2\n",
        "units/a2/unit.yml": "name: 乙\nkind: department\nparent: 甲\n",
    })
    _, diags = run(root)
    assert {rule for *_, rule in diags} == {"E208"}


def test_attachments_must_stay_inside_the_unit_and_exist(tree, tmp_path):
    root = tree({
        "units/fgj/news/files/ok.pdf": b"%PDF-1.4\n",
        "units/fgj/news/a.md": item("title: 一\ndate: 2019-01-01\nattachments:\n  - file: files/ok.pdf"),
        "units/fgj/news/b.md": item("title: 一\ndate: 2019-01-01\nattachments:\n  - file: ../../../portal.yml"),
        "units/fgj/news/c.md": item("title: 一\ndate: 2019-01-01\nattachments:\n  - file: /etc/passwd"),
        "units/fgj/news/d.md": item("title: 一\ndate: 2019-01-01\nattachments:\n  - file: files/missing.pdf"),
    })
    r, diags = run(root)
    assert sorted((p.rsplit("/", 1)[1], line, rule) for p, line, rule in diags) == [
        ("b.md", 5, "E209"), ("c.md", 5, "E209"), ("d.md", 5, "E210")]
    assert r.index.attachments["fgj/news/a"] == [("units/fgj/news/files/ok.pdf", "ok.pdf")]


def test_matters_references(tree):
    root = tree({
        "units/fgj/matters.yml": """\
            matters:
              - id: XK-001
                name: 企业投资项目备案
                content: 备案依据、条件、流程
                basis: 《企业投资项目核准和备案管理条例》
                time_limit: 信息形成之日起20个工作日内
                channels: [政府网站]
                audience: 全社会
                mode: 主动
                levels: [区级]
                disclosure: 服务公开
                category: 公共服务
                domain: 重大建设项目
                guide: fgj/guides/nope
              - id: XK-001
                name: 重复
                content: x
                basis: x
                time_limit: x
                channels: [x]
                audience: 全社会
                mode: 主动
                levels: [区级]
                disclosure: 服务公开
                category: 公共服务
                domain: 重大建设项目
            """,
        "units/fgj/news/a.md": item("title: 一\ndate: 2019-01-01\nmatters: [XK-001, XK-404]"),
    })
    r, diags = run(root)
    assert sorted((p.rsplit("/", 1)[1], line, rule) for p, line, rule in diags) == [
        ("a.md", 4, "E207"), ("matters.yml", 14, "E213"), ("matters.yml", 15, "E203")]
    assert [i.id for i in r.index.items_by_matter["fgj/XK-001"]] == ["fgj/news/a"]
