"""政务服务 in depth (issue 17): the typed 办事指南, its rules, the guide page, matter hierarchy, 改革成效."""

from __future__ import annotations

import datetime as dt
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model.content import GUIDE_ELEMENTS, Guide, fields_of, missing_elements
from generator.stages.pipeline import check

from .conftest import item

TODAY = dt.date(2026, 11, 28)

FULL = """
    title: 居住证申领办事指南
    date: 2025-02-15
    code: 11440105MB2C000011000121001
    power: 行政确认
    implementer: 广州市公安局海珠区分局
    basis: 《居住证暂行条例》
    conditions: 在本区居住半年以上的非本市户籍人员
    materials:
    - name: 居住证申领登记表
      copies: 1
      medium: 纸质
      form: files/biao.pdf
      sample: files/yangbiao.pdf
    - 居民身份证
    steps:
    - name: 申请
      detail: 到街道出租屋管理服务中心提交材料
    - 领证
    legal_days: 15
    promised_days: 10
    handling: 承诺件
    fees: 不收费
    location: 街道出租屋管理服务中心
    hours: 周一至周五 9:00-17:30
    phone: 020-12345678
    complaint_phone: 12345
    visits: 1
    tolerance: true
    tolerance_materials: [居民身份证]
    online_url: https://www.gdzwfw.gov.cn/
    online_depth: 3
    faq:
    - q: 有效期多久？
      a: 3年。
"""


def run(root):
    r = check(root, today=TODAY, display_base=root)
    return r, [(d.rule, d.message) for d in r.diagnostics]


def guide_tree(tree, front: str, files: bool = True):
    content = {"units/fgj/guides/g.md": item(front)}
    if files:
        content["units/fgj/guides/files/biao.pdf"] = b"%PDF-1.4 form"
        content["units/fgj/guides/files/yangbiao.pdf"] = b"%PDF-1.4 sample"
    return tree(content)


def test_complete_guide_is_typed_and_clean(tree):
    r, diags = run(guide_tree(tree, FULL))
    assert diags == []
    g = r.index.items["fgj/guides/g"]
    assert isinstance(g, Guide)
    assert (g.legal_days, g.promised_days, g.visits, g.online_depth) == (15, 10, 1, 3)
    assert g.power == "confirmation"
    assert [m.name for m in g.materials] == ["居住证申领登记表", "居民身份证"]
    assert g.materials[1].copies == 1 and g.materials[1].medium == "纸质或电子"  # shorthand → defaults
    assert [s.name for s in g.steps] == ["申请", "领证"]
    assert r.index.forms[("fgj/guides/g", "files/biao.pdf")] == "units/fgj/guides/files/biao.pdf"


def edit(front: str, **changes: str | None) -> str:
    """FULL with top-level keys replaced (None deletes the key and its indented block)."""
    lines = textwrap.dedent(front).strip().splitlines()
    out, skip = [], False
    for line in lines:
        key = line.split(":", 1)[0]
        if not line.startswith((" ", "-")) and key in changes:
            skip = True
            if changes[key] is not None:
                out.append(f"{key}: {changes[key]}")
            continue
        if skip and line.startswith((" ", "-")):
            continue
        skip = False
        out.append(line)
    return "\n".join(out)


def rules(diags):
    return [d[0] for d in diags]


def test_promised_longer_than_legal_is_an_error(tree):
    _, diags = run(guide_tree(tree, edit(FULL, promised_days="20")))
    assert rules(diags) == ["E321"]
    assert "承诺 20 个工作日，法定 15 个工作日" in diags[0][1]


def test_tolerance_without_the_list_and_unknown_material(tree):
    _, diags = run(guide_tree(tree, edit(FULL, tolerance_materials=None)))
    assert rules(diags) == ["E322"]
    _, diags = run(guide_tree(tree, edit(FULL, tolerance_materials="[户口簿]")))
    assert rules(diags) == ["E323"] and "户口簿" in diags[0][1]


def test_material_form_file_missing_or_outside(tree):
    r, diags = run(guide_tree(tree, FULL, files=False))
    assert sorted(rules(diags)) == ["E324", "E324"]
    assert any("居住证申领登记表”的表格“files/biao.pdf" in m for _, m in diags)
    assert "fgj/guides/g" not in r.index.items  # not published with a dead download link
    bad = FULL.replace("files/biao.pdf", "../../../fgj/x.pdf")
    _, diags = run(guide_tree(tree, bad))
    assert rules(diags) == ["E324"]


def test_zero_visits_needs_online_address_and_ranges(tree):
    _, diags = run(guide_tree(tree, edit(FULL, visits="0", online_url=None, online_depth=None)))
    assert "E326" in rules(diags)
    _, diags = run(guide_tree(tree, edit(FULL, online_depth="7", visits="-1")))
    assert rules(diags) == ["E328", "E328"]


def test_free_text_guide_still_works_with_a_warning_naming_the_elements(tree):
    old = """
        title: 企业投资项目备案
        date: 2020-01-01
        basis: 《企业投资项目核准和备案管理条例》
        conditions: 在本区投资的企业
        materials: [项目备案申请表]
        process: 网上申报
        time_limit: 即办
        fees: 不收费
        location: 区政务服务中心
        phone: 020-12345678
    """
    r, diags = run(tree({"units/fgj/guides/g.md": item(old)}))
    assert rules(diags) == ["W325"]
    msg = diags[0][1]
    for zh in ("事项编码", "事项类型", "法定办结时限", "承诺办结时限", "到办事现场次数", "是否容缺受理", "常见问题"):
        assert zh in msg
    assert "设定依据" not in msg
    assert "fgj/guides/g" in r.index.items  # published


def test_key_elements_come_from_the_declaration():
    key = [e.zh for e in GUIDE_ELEMENTS if e.key]
    assert key == ["事项名称", "设定依据", "受理条件", "申请材料", "办理流程", "办理时限", "收费标准", "办理地点和时间",
                   "咨询电话"]
    specs = fields_of(Guide)
    for e in GUIDE_ELEMENTS:
        assert all(f in specs for f in e.fields), e


@settings(derandomize=True, deadline=None, max_examples=60)
@given(legal=st.one_of(st.none(), st.integers(0, 90)), promised=st.one_of(st.none(), st.integers(0, 90)))
def test_time_limit_rule_is_exactly_promised_over_legal(legal, promised):
    from generator.stages import validate as v

    class Doc:
        def __init__(self):
            self.found = []

        def report(self, keypath, rule, detail="", src=None):
            self.found.append(rule)

    g = Guide(title="t", date=dt.datetime(2020, 1, 1), basis="b", conditions="c", materials=[], process="p",
              fees="f", location="l", phone="1", legal_days=legal, promised_days=promised)
    d = Doc()
    v.check_guide(d, g)
    expected = legal is not None and promised is not None and promised > legal
    assert ("E321" in d.found) == expected
    key, _ = missing_elements(g)
    assert key == ["申请材料"] + ([] if legal is not None or promised is not None else ["办理时限"])


# --------------------------------------------------------------------------- catalog depth and 改革成效

MATTERS = """\
matters:
{rows}"""
ROW = """\
  - id: {id}
    name: {name}
    content: 办事指南
    basis: 《行政许可法》
    time_limit: 20个工作日内
    channels: [政府网站]
    audience: 全社会
    mode: 主动
    levels: [区级]
    disclosure: 服务公开
    category: {category}
    domain: 市场监管
    power: {power}
"""


def matters_yml(*rows: tuple[str, str, str, str], parents: dict[str, str] | None = None) -> str:
    out = []
    for mid, name, category, power in rows:
        text = ROW.format(id=mid, name=name, category=category, power=power)
        if parents and mid in parents:
            text += f"    parent: {parents[mid]}\n"
        out.append(text)
    return MATTERS.format(rows="".join(out))


def guide(matter: str, legal: int, promised: int, visits: int, tolerance: bool) -> str:
    front = edit(FULL, legal_days=str(legal), promised_days=str(promised), visits=str(visits),
                 tolerance="true" if tolerance else "false",
                 tolerance_materials="[居民身份证]" if tolerance else None) + f"\nmatters: [{matter}]"
    return item("\n".join(line for line in front.splitlines() if "files/" not in line))  # no form files


def reform_tree(tree):
    return tree({
        "units/fgj/matters.yml": matters_yml(
            ("XK-001", "食品经营许可", "权责清单", "行政许可"),
            ("XK-002", "食品经营许可（新办）", "权责清单", "行政许可"),
            ("XK-003", "食品经营许可（变更）", "权责清单", "行政许可"),
            ("CF-001", "食品安全违法行为处罚", "权责清单", "行政处罚"),
            ("GG-001", "食品安全咨询", "公共服务", "公共服务"),
            parents={"XK-002": "XK-001", "XK-003": "XK-001"}),
        "units/fgj/guides/a.md": guide("XK-002", 20, 5, 0, True),
        "units/fgj/guides/b.md": guide("XK-003", 20, 10, 1, False),
        "units/fgj/guides/c.md": guide("GG-001", 10, 10, 2, False),
    })


def test_matter_hierarchy(tree):
    r, diags = run(reform_tree(tree))
    assert diags == []
    assert [m.id for m in r.index.sub_matters["fgj/XK-001"]] == ["XK-002", "XK-003"]


def test_matter_hierarchy_errors(tree):
    bad = tree({"units/fgj/matters.yml": matters_yml(
        ("XK-001", "甲", "权责清单", "行政许可"), ("XK-002", "乙", "权责清单", "行政许可"),
        ("XK-003", "丙", "权责清单", "行政许可"), ("XK-004", "丁", "权责清单", "行政许可"),
        parents={"XK-002": "XK-001", "XK-003": "XK-002", "XK-004": "XK-404"})})
    _, diags = run(bad)
    assert sorted(rules(diags)) == ["E207", "E327"]  # 三级 is not allowed; an unknown parent is a dead reference


def test_reform_figures_from_data(tree):
    from generator.checks import reform

    r, _ = run(reform_tree(tree))
    f = reform.figures(r.index)
    t = f.total
    assert (t.matters, t.guided, f.sub_matters) == (5, 3, 2)
    assert (t.visits_known, t.zero_visit, t.one_visit) == (3, 1, 2)
    assert t.tolerance == 1
    assert (t.legal_days, t.promised_days, t.saved_days, t.sped_up) == (50, 25, 25, 2)
    assert reform.share(t.saved_days, t.legal_days) == "50.0%"
    assert f.by_power == {"licensing": 3, "penalty": 1, "public-service": 1}
    assert (t.online, t.full_online) == (3, 0)


def test_catalog_facets_hierarchy_and_reform_page(tree):
    from generator.pages.emit import emit

    r, _ = run(reform_tree(tree))
    site = emit(r.index)
    by_url = {p.url: p for p in site.pages}
    cat = by_url["/catalog/"].data
    assert [row["name"] for row in cat["rows"]] == ["食品经营许可", "食品经营许可（新办）", "食品经营许可（变更）",
                                                     "食品安全违法行为处罚", "食品安全咨询"]
    assert [row["tier"] for row in cat["rows"]] == ["main", "sub", "sub", "main", "main"]
    facets = {f["key"]: {v["label"]: v["count"] for v in f["values"]} for f in cat["facets"]}
    assert facets["power"] == {"行政许可": 3, "行政处罚": 1, "公共服务": 1}
    assert facets["tier"] == {"一级事项": 3, "二级事项": 2}
    assert facets["has_guide"] == {"有办事指南": 3, "暂无办事指南": 2}
    parent = next(p for p in site.pages if p.title == "食品经营许可" and "subs" in p.data)
    assert [s["name"] for s in parent.data["subs"]] == ["食品经营许可（新办）", "食品经营许可（变更）"]
    guide_page = next(p for p in site.pages if p.kind.name == "item" and p.data["guide"])
    assert guide_page.data["guide"]["matters"][0]["url"].startswith("/catalog/")  # guide → its matter
    reform_page = by_url["/stats/reform/"].data
    summary = dict(reform_page["summary"])
    assert summary["压缩工作日"] == 25 and summary["提速率"] == "50.0%" and summary["零跑动"] == "33.3%"
    assert all(s["intro"] for s in reform_page["sections"])  # every figure states its definition
    unit = next(p for p in site.pages if p.kind.name == "unit" and p.data["unit"].id == "fgj")
    assert ("容缺受理", "1 项") in unit.data["reform"]


def test_demo_guide_pages_are_light_and_actionable(demo_site):
    pages = sorted(demo_site.glob("*/guides/*-svc-*/index.html"))
    assert len(pages) > 500
    sizes = [p.stat().st_size for p in pages]
    assert max(sizes) <= 25 * 1024, max(sizes)
    html = pages[0].read_text(encoding="utf-8")
    for needle in ("portal-guide__visits", "法定办结时限", "承诺办结时限", "portal-checklist", "portal-steps",
                   "portal-guide__online", "portal-print"):
        assert needle in html
    reform_html = (demo_site / "stats/reform/index.html").read_text(encoding="utf-8")
    assert "883" in reform_html and "提速率" in reform_html
