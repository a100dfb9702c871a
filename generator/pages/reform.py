"""改革成效 (/stats/reform/): the 政务服务 reform figures computed from the catalog and the guides, each with
its table and its definition (generator/checks/reform.py). A unit's own figures are on its unit page
(generator/pages/units.py reads `unit_figures`)."""

from __future__ import annotations

from typing import Any

from ..checks import reform
from ..model import urls
from ..util import charts
from ..util.clock import reference_date
from .base import Context, PageKind, PageSpec, builder, crumbs
from .statspages import cell, subpages

REFORM = PageKind("reform", "stats.html")


def shared_figures(ctx: Context) -> reform.Reform:
    """The reform figures, computed once per emit (the unit pages read them too)."""
    return ctx.shared("reform", lambda: reform.figures(ctx.ix))


def unit_figures(ctx: Context, unit_id: str) -> list[tuple[str, str]]:
    """A unit's figures for its own page: (label, value), empty when the unit has no matters."""
    u = shared_figures(ctx).units.get(unit_id)
    if u is None or not u.matters:
        return []
    rows = [("公开事项", f"{u.matters} 项"), ("有办事指南", f"{u.guided} 项")]
    if u.visits_known:
        rows += [("最多跑一次", f"{u.one_visit} 项（{reform.share(u.one_visit, u.visits_known)}）"),
                 ("零跑动", f"{u.zero_visit} 项（{reform.share(u.zero_visit, u.visits_known)}）")]
    if u.tolerance:
        rows.append(("容缺受理", f"{u.tolerance} 项"))
    if u.timed:
        rows.append(("压缩办结时限", f"{u.saved_days} 个工作日（提速率 {reform.share(u.saved_days, u.legal_days)}）"))
    if u.online:
        rows.append(("可网上办理", f"{u.online} 项，其中全程网办 {u.full_online} 项"))
    return rows


@builder(order=86)
def reform_page(ctx: Context) -> None:
    r = shared_figures(ctx)
    ix, tax = ctx.ix, ctx.tax
    t = r.total
    url = urls.stats_url("reform")
    units = [uid for uid in ix.units if uid in r.units]

    def unit_cell(uid: str) -> dict[str, Any]:
        return cell(ix.units[uid].display_name, ix.unit_urls[uid])

    powers = [(tax.label("powers", p) if p else "未标注", n) for p, n in
              sorted(r.by_power.items(), key=lambda kv: (-kv[1], kv[0]))]
    sections = [{
        "id": "types", "title": "公开事项按事项性质", "intro": reform.DEFINITIONS["types"],
        "svg": charts.bar_chart("chart-types", "公开事项按事项性质", powers, unit="项"),
        "table": {"caption": "公开事项按事项性质", "head": ["事项性质", "事项数", "占比"],
                  "rows": [[cell(k), cell(v, num=True), cell(reform.share(v, t.matters), num=True)]
                           for k, v in powers]},
    }, {
        "id": "units", "title": "公开事项按单位", "intro": reform.DEFINITIONS["types"],
        "table": {"caption": "公开事项按单位",
                  "head": ["单位", "事项数", *(c.name for c in tax.categories), "有办事指南"],
                  "rows": [[unit_cell(uid), cell(r.units[uid].matters, num=True),
                            *(cell(sum(1 for m in ix.matters_by_unit[uid] if m.category == c.id), num=True)
                              for c in tax.categories),
                            cell(r.units[uid].guided, num=True)] for uid in units]},
    }, {
        "id": "visits", "title": "最多跑一次和零跑动", "intro": reform.DEFINITIONS["visits"],
        "table": {"caption": "到办事现场次数",
                  "head": ["单位", "填写到现场次数", "最多跑一次", "占比", "零跑动", "占比"],
                  "rows": [[unit_cell(uid), cell(u.visits_known, num=True), cell(u.one_visit, num=True),
                            cell(reform.share(u.one_visit, u.visits_known), num=True), cell(u.zero_visit, num=True),
                            cell(reform.share(u.zero_visit, u.visits_known), num=True)]
                           for uid in units if (u := r.units[uid]).visits_known],
                  "foot": [cell("合计"), cell(t.visits_known, num=True), cell(t.one_visit, num=True),
                           cell(reform.share(t.one_visit, t.visits_known), num=True), cell(t.zero_visit, num=True),
                           cell(reform.share(t.zero_visit, t.visits_known), num=True)]},
        "empty": "暂无填写到办事现场次数的办事指南。",
    }, {
        "id": "tolerance", "title": "容缺受理事项", "intro": reform.DEFINITIONS["tolerance"],
        "table": {"caption": "容缺受理事项按单位", "head": ["单位", "容缺受理事项"],
                  "rows": [[unit_cell(uid), cell(r.units[uid].tolerance, num=True)]
                           for uid in units if r.units[uid].tolerance],
                  "foot": [cell("合计"), cell(t.tolerance, num=True)]},
        "empty": "暂无容缺受理事项。",
    }, {
        "id": "speed", "title": "压缩办结时限", "intro": reform.DEFINITIONS["speed"],
        "table": {"caption": "法定与承诺办结时限",
                  "head": ["单位", "填写时限的事项", "提速事项", "法定时限合计", "承诺时限合计", "压缩工作日",
                           "提速率"],
                  "rows": [[unit_cell(uid), cell(u.timed, num=True), cell(u.sped_up, num=True),
                            cell(u.legal_days, num=True), cell(u.promised_days, num=True),
                            cell(u.saved_days, num=True), cell(reform.share(u.saved_days, u.legal_days), num=True)]
                           for uid in units if (u := r.units[uid]).timed],
                  "foot": [cell("合计"), cell(t.timed, num=True), cell(t.sped_up, num=True),
                           cell(t.legal_days, num=True), cell(t.promised_days, num=True),
                           cell(t.saved_days, num=True), cell(reform.share(t.saved_days, t.legal_days), num=True)]},
        "empty": "暂无同时填写法定和承诺办结时限的办事指南。",
    }, {
        "id": "online", "title": "网上办理", "intro": reform.DEFINITIONS["online"],
        "table": {"caption": "可网上办理的事项按单位", "head": ["单位", "有办事指南", "可网上办理", "全程网办"],
                  "rows": [[unit_cell(uid), cell(u.guided, num=True), cell(u.online, num=True),
                            cell(u.full_online, num=True)] for uid in units if (u := r.units[uid]).online],
                  "foot": [cell("合计"), cell(t.guided, num=True), cell(t.online, num=True),
                           cell(t.full_online, num=True)]},
        "empty": "暂无可网上办理的事项。",
    }]
    sped_units = sum(1 for u in r.units.values() if u.sped_up)
    summary = [
        ("公开事项", t.matters), ("二级事项", r.sub_matters),
        ("最多跑一次", reform.share(t.one_visit, t.visits_known)),
        ("零跑动", reform.share(t.zero_visit, t.visits_known)),
        ("容缺受理事项", t.tolerance), ("提速事项", f"{t.sped_up}（{sped_units} 个单位）"),
        ("压缩工作日", t.saved_days), ("提速率", reform.share(t.saved_days, t.legal_days)),
        ("可网上办理", t.online),
    ]
    title = "改革成效"
    intro = "政务服务改革成效，由事项清单和办事指南的数据直接计算；每项数据下有数据表和统计口径。"
    ctx.add(PageSpec(url, title, REFORM, {
        "title": title, "intro": intro, "summary": summary, "sections": sections, "subpages": subpages(),
        "as_of": reference_date().isoformat(), "crumbs": crumbs(("数据统计", urls.STATS), (title, None)),
    }, {"ColumnName": title, "ColumnType": "数据统计", "ColumnDescription": intro}))

