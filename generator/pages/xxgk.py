"""The 政府信息公开 area (国办公开办函〔2019〕61号 专栏): the landing page, the portal's 信息公开指南 linking every
unit's, 依申请公开 with its flowcharts and application form, the 法定主动公开内容 by the 15 items of 第二十条,
and each unit's own 政府信息公开 page (its 指南 and its coverage of the 15 items)."""

from __future__ import annotations

from typing import Any

from ..checks import annual, disclosure
from ..model import procedures, urls
from ..model.content import DisclosureGuide, Unit, fields_of
from ..util import charts
from ..util.clock import reference_date
from ..util.docx import simple_form
from .base import Context, PageKind, PageSpec, StaticFile, builder, crumbs

XXGK = PageKind("xxgk", "xxgk.html")
UNIT_XXGK = PageKind("unit-xxgk", "xxgk.html")
FORM = "xxgk/zhengfu-xinxi-gongkai-shenqingbiao.docx"
META = {"ColumnName": "政府信息公开", "ColumnType": "信息公开"}
STATE_LABEL = {"covered": "已公开", "missing": "缺项", "exempt": "不适用"}


def guide_rows(g: DisclosureGuide) -> list[dict[str, Any]]:
    """The 指南's elements, labelled from the model."""
    rows = []
    for name, spec in fields_of(DisclosureGuide).items():
        value = getattr(g, name)
        if not value:
            continue
        if name == "methods":
            value = [{"name": m.name, "how": m.how} for m in value]
        elif name == "updated":
            value = value.isoformat()
        rows.append({"name": name, "label": spec.zh, "value": value})
    return rows


def _flow(fid: str, title: str, steps: tuple[procedures.Step, ...]) -> dict[str, Any]:
    """A flowchart (SVG) and the same steps as a list, with the articles they come from."""
    return {"id": fid, "title": title,
            "steps": [{"title": s.title, "text": s.text, "basis": s.basis} for s in steps],
            "svg": charts.flowchart(fid, title, [(s.title, s.text) for s in steps])}


@builder(order=15)
def xxgk(ctx: Context) -> None:
    ix = ctx.ix
    tax = ctx.tax
    owner = ix.units.get(ix.portal.owner_unit or "")
    units = disclosure.departments(ix)
    with_guide = [u for u in units if u.xxgk]
    sections = [
        {"title": "政府信息公开指南", "url": urls.xxgk_url("zhinan"),
         "text": f"受理机构、申请方式、处理流程和救济途径；{len(with_guide)} 个单位已发布指南"},
        {"title": "依申请公开", "url": urls.xxgk_url("yishenqing"), "text": "申请流程图、时限和申请表下载"},
        {"title": "法定主动公开内容", "url": urls.xxgk_url("fading"), "text": "《条例》第二十条十五项内容及发布情况"},
        {"title": "信息公开制度", "url": urls.column_url("zhidu"), "text": "政府信息公开工作制度与指南历次版本"},
        {"title": "信息公开年报", "url": urls.REPORTS, "text": "各单位年度报告发布情况及全区汇总"},
        {"title": "政府信息公开目录", "url": urls.DIRECTORY, "text": "按统一栏目与发布单位浏览政府信息"},
    ]
    sections = [s for s in sections if s["url"] != urls.column_url("zhidu") or tax.column("zhidu")]
    ctx.add(PageSpec(urls.XXGK, "政府信息公开", XXGK, {"view": "landing", "title": "政府信息公开",
                                                     "sections": sections, "crumbs": crumbs(("政府信息公开", None))},
                     META, nav=(10, "政府信息公开")))

    trail = ("政府信息公开", urls.XXGK)
    ctx.add(PageSpec(urls.xxgk_url("zhinan"), "政府信息公开指南", XXGK, {
        "view": "guides", "title": "政府信息公开指南",
        "guide": guide_rows(owner.xxgk) if owner and owner.xxgk else [],
        "owner": owner.name if owner else ix.portal.sponsor,
        "units": [{"name": u.name, "kind": tax.label("kinds", u.kind), "url": urls.unit_xxgk_url(ix.unit_urls[u.id]),
                   "office": u.xxgk.office if u.xxgk else None, "phone": u.xxgk.phone if u.xxgk else None}
                  for u in units],
        "crumbs": crumbs(trail, ("政府信息公开指南", None)),
    }, META | {"ColumnName": "政府信息公开指南"}))

    online = owner.xxgk.online_url if owner and owner.xxgk else None
    ctx.site.files.append(StaticFile(FORM, simple_form(
        "政府信息公开申请表", procedures.FORM_SECTIONS,
        "说明：申请表应填写完整，对所需信息的描述应尽量详尽、明确。依据《中华人民共和国政府信息公开条例》第二十九条。")))
    ctx.add(PageSpec(urls.xxgk_url("yishenqing"), "依申请公开", XXGK, {
        "view": "apply", "title": "依申请公开",
        "flows": [_flow("flow-apply", "依申请公开办理流程", procedures.ON_REQUEST),
                  _flow("flow-active", "主动公开流程", procedures.ACTIVE)],
        "form": "/" + FORM, "form_fields": procedures.FORM_SECTIONS, "online": online,
        "guides": urls.xxgk_url("zhinan"),
        "crumbs": crumbs(trail, ("依申请公开", None)),
    }, META | {"ColumnName": "依申请公开"}))

    covs = {u.id: disclosure.coverage(ix, u) for u in units}
    items = []
    for i, a in enumerate(tax.article20):
        states = [covs[u.id][i].state for u in units]
        items.append({
            "id": a.id, "article": a.article, "name": a.name,
            "columns": [{"name": c.name, "url": urls.column_url(c.id), "count": len(ix.by_column.get(c.id, []))}
                        for c in (tax.column(cid) for cid in a.columns) if c],
            "covered": states.count("covered"), "exempt": states.count("exempt"), "missing": states.count("missing"),
        })
    ctx.add(PageSpec(urls.xxgk_url("fading"), "法定主动公开内容", XXGK, {
        "view": "statutory", "title": "法定主动公开内容", "rows": items, "units": len(units),
        "crumbs": crumbs(trail, ("法定主动公开内容", None)),
    }, META | {"ColumnName": "法定主动公开内容"}))

    last = annual.last_due_year(reference_date())
    reports = annual.reports_by_unit_year(ix)
    for u in units:
        unit_url = ix.unit_urls[u.id]
        report = reports.get((u.id, last))
        ctx.add(PageSpec(urls.unit_xxgk_url(unit_url), f"{u.name} 政府信息公开", UNIT_XXGK, {
            "view": "unit", "title": f"{u.name} 政府信息公开", "unit": {"name": u.name, "url": unit_url},
            "guide": guide_rows(u.xxgk) if u.xxgk else [],
            "coverage": [_coverage_row(ctx, u, c) for c in covs[u.id]],
            "report": {"year": last, "entry": ctx.entry(report, False) if report else None,
                       "column": urls.unit_column_url(unit_url, annual.COLUMN)
                       if any(c.id == annual.COLUMN for c, _ in ctx.unit_columns(u)) else None},
            "apply": urls.xxgk_url("yishenqing"),
            "crumbs": crumbs((u.display_name, unit_url), ("政府信息公开", None)),
        }, META | {"ColumnName": f"{u.name} 政府信息公开"}))


def _coverage_row(ctx: Context, u: Unit, c: disclosure.Coverage) -> dict[str, Any]:
    unit_url = ctx.ix.unit_urls[u.id]
    cols = [ctx.tax.column(cid) for cid in c.item.columns]
    links = [{"name": col.name, "url": urls.unit_column_url(unit_url, col.id)} for col in cols
             if col and ctx.ix.by_unit_column.get((u.id, col.id))]
    if not c.item.columns:
        links = [{"name": "机构概况", "url": unit_url}]
    return {"article": c.item.article, "name": c.item.name, "state": c.state, "label": STATE_LABEL[c.state],
            "count": c.count, "reason": c.exempt, "links": links}
