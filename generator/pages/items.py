"""Item pages: one per content item, with the 政府信息公开 metadata table, the status banner of amended or
repealed documents, related documents (a policy and its interpretations, linked both ways) and attachments."""

from __future__ import annotations

import re
from typing import Any

from ..model import urls
from ..model.content import (
    ONLINE_DEPTHS,
    Consultation,
    Guide,
    Interpretation,
    Item,
    Message,
    Policy,
    Report,
    Unit,
    fields_of,
)
from ..stages.index import Index
from . import feeds
from .annualtables import table_rows
from .base import Context, PageKind, PageSpec, builder, crumbs, day, search_data

ITEM = PageKind("item", "item.html", fast=True, searchable=True)

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@builder(order=70)
def items(ctx: Context) -> None:
    ix = ctx.ix
    replaced_by: dict[str, list[Item]] = {}  # new version id -> the documents it replaced
    for it in ix.items.values():
        if isinstance(it, Policy) and it.replaced_by:
            replaced_by.setdefault(it.replaced_by, []).append(it)
    for it in ix.items.values():
        unit = ix.units[it.unit]
        column = ctx.tax.column(it.column)
        assert column is not None
        col_url = urls.unit_column_url(ix.unit_urls[unit.id], column.id)
        source = it.source or unit.name
        meta = ctx.column_meta(column)
        meta.update({"ArticleTitle": it.title, "PubDate": it.date.strftime("%Y-%m-%d %H:%M"),
                     "ContentSource": source})
        if it.tags:
            meta["Keywords"] = ",".join(it.tags)
        if it.summary:
            meta["Description"] = it.summary
        data = {
            "unit": {"name": unit.name, "url": ix.unit_urls[unit.id]},
            "column": {"name": column.name, "url": col_url},
            "rows": item_rows(ctx, it, unit, source),
            "status": status_banner(ctx, it),
            "attachments": [ctx.attachment(rel, title) for rel, title in ix.attachments.get(it.id, [])],
            "related": related(ctx, it, replaced_by.get(it.id, [])),
            "guide": guide_view(ctx, it) if isinstance(it, Guide) else None,
            "reply": reply_block(it),
            "crumbs": crumbs((unit.display_name, ix.unit_urls[unit.id]), (column.name, col_url), (it.title, None)),
            "type": it.type,
            "withheld": withheld(ctx, it),
            "annual": table_rows(it.tables) if isinstance(it, Report) and it.tables else None,
            "search": item_search(ctx, it, unit, column.name),
            "neighbours": neighbours(ctx, it),
            "index_no": it.index_no if isinstance(it, Policy) and it.index_no else None,
            "address": feeds.base_url(ix.portal) + ix.item_urls[it.id],  # printed on paper (print stylesheet)
        }
        ctx.add(PageSpec(ix.item_urls[it.id], it.title, ITEM, data, meta, item=it))


def neighbours(ctx: Context, it: Item) -> dict[str, dict[str, str] | None]:
    """上一篇 / 下一篇: the entries next to `it` in its unit's column list (newest first, as the list page
    orders them, by_unit_column). 上一篇 is the entry above it in that list (the newer one), 下一篇 the entry
    below (the older one); the first item of a list has no 上一篇, the last no 下一篇. Never across units or
    columns."""
    ix = ctx.ix
    its = ix.by_unit_column.get((it.unit, it.column), [])
    pos = ctx.shared(f"neighbour-pos:{it.unit}/{it.column}",
                     lambda: {other.id: n for n, other in enumerate(its)})
    n = pos[it.id]

    def link(j: int) -> dict[str, str] | None:
        if 0 <= j < len(its):
            other = its[j]
            return {"title": other.title, "url": ix.item_urls[other.id], "date": day(other.date)}
        return None

    return {"prev": link(n - 1), "next": link(n + 1)}


def item_search(ctx: Context, it: Item, unit: Unit, column: str) -> dict[str, Any]:
    """What the search index records for an item: filters, sort key, result meta, extra search terms."""
    tax = ctx.tax
    filters = [("unit", unit.display_name), ("column", column), ("year", str(it.date.year))]
    if it.disclosure:
        filters.append(("disclosure", tax.label("disclosures", it.disclosure)))
    if isinstance(it, Policy):
        filters.append(("status", tax.label("statuses", it.status)))
    return search_data(filters, [("unit", unit.display_name), ("date", day(it.date))], day(it.date),
                       search_terms(ctx.ix, it, unit))


def item_rows(ctx: Context, it: Item, unit: Unit, source: str) -> list[tuple[str, str]]:
    """The metadata table of an item page (政府信息公开目录 header fields)."""
    tax, ix = ctx.tax, ctx.ix
    issuers = [unit.name] + [ix.units[u].name for u in getattr(it, "issuers", []) if u in ix.units]
    rows: list[tuple[str, str | None]] = []
    if isinstance(it, Policy):
        rows.append(("索引号", it.index_no))
    rows.append(("发布机构", "、".join(issuers)))
    if isinstance(it, Policy):
        rows += [("文号", it.doc_number), ("成文日期", it.issued.isoformat() if it.issued else None)]
    rows.append(("发布日期", day(it.date)))
    if isinstance(it, Policy):
        rows += [
            ("施行日期", it.effective.isoformat() if it.effective else None),
            ("失效日期", it.expires.isoformat() if it.expires else None),
            ("有效性", tax.label("statuses", it.status)),
            ("规范性文件", "是" if it.normative else None),
        ]
    rows += [
        ("五公开类别", tax.label("disclosures", it.disclosure) if it.disclosure else None),
        ("主题分类", tax.label("topics", it.topic) if it.topic else None),
        ("重点领域", "、".join(tax.label("domains", d) for d in it.domains) or None),
        ("信息来源", source),
    ]
    if it.type in tax.gongwen or it.openness != "active":
        rows.append(("公开属性", tax.label("openness", it.openness)))
    if it.exemption:
        rows.append(("不予公开理由", tax.label("exemptions", it.exemption)))
    if it.author:
        rows.append(("作者", it.author))
    return [(k, v) for k, v in rows if v]


def withheld(ctx: Context, it: Item) -> dict[str, Any] | None:
    """The note on a document that is not 主动公开: its 公开属性, the reason, and where to apply."""
    if it.openness == "active":
        return None
    return {"label": ctx.tax.label("openness", it.openness),
            "reason": ctx.tax.label("exemptions", it.exemption) if it.exemption else "",
            "apply": urls.xxgk_url("yishenqing") if it.openness == "on-request" else None}


def status_banner(ctx: Context, it: Item) -> dict[str, Any] | None:
    """The visible banner on amended, repealed and expired documents (国办发〔2017〕47号)."""
    if not isinstance(it, Policy) or it.status == "valid":
        return None
    label = ctx.tax.label("statuses", it.status)
    banner: dict[str, Any] = {"status": it.status, "text": f"本文件{label}"}
    if it.status in ("repealed", "expired") and it.expires:
        banner["text"] += f"（{it.expires.isoformat()}）"
    banner["text"] += "，仅供查阅。"
    if it.replaced_by and it.replaced_by in ctx.ix.items:
        new = ctx.ix.items[it.replaced_by]
        banner["link"] = {"title": new.title, "url": ctx.ix.item_urls[new.id]}
    return banner


def related(ctx: Context, it: Item, replaced: list[Item]) -> list[dict[str, Any]]:
    """Related items: a policy's interpretations, an interpretation's policy (linked both ways), and the old
    versions a document replaced."""
    ix = ctx.ix
    out = []
    if isinstance(it, Policy):
        interps = ix.interpretations.get(it.id, [])
        if interps:
            out.append({"title": "政策解读", "kind": "interpretations", "entries": [ctx.entry(i) for i in interps]})
    if isinstance(it, Interpretation) and it.interprets in ix.items:
        policy = ix.items[it.interprets]
        out.append({"title": "解读的政策文件", "kind": "policy", "entries": [ctx.entry(policy)]})
        others = [i for i in ix.interpretations.get(policy.id, []) if i.id != it.id]
        if others:
            out.append({"title": "该文件的其他解读", "kind": "interpretations",
                        "entries": [ctx.entry(i) for i in others]})
    if replaced:
        out.append({"title": "本文件修订的旧版本", "kind": "old", "entries": [ctx.entry(p) for p in replaced]})
    return out


def visits_label(n: int | None) -> str | None:
    """The citizen's wording of a number of visits: 零跑动, 最多跑一次, 跑 n 次."""
    if n is None:
        return None
    return {0: "零跑动", 1: "最多跑一次"}.get(n, f"最多跑{n}次")


def guide_view(ctx: Context, g: Guide) -> dict[str, Any]:
    """What a guide page shows, in the order a citizen acts: how often to go, how long it takes, what to bring,
    the steps, where and when; the remaining 办事指南 elements as a table (labels from the schema)."""
    spec = fields_of(Guide)
    forms = ctx.ix.forms

    def file(path: str | None) -> dict[str, str] | None:
        rel = forms.get((g.id, path)) if path else None
        return ctx.attachment(rel, "") if rel else None

    tolerable = set(g.tolerance_materials)
    materials = [{
        "name": m.name, "copies": m.copies, "medium": m.medium, "original": m.original, "required": m.required,
        "note": m.note, "form": file(m.form), "sample": file(m.sample), "tolerable": m.name in tolerable,
    } for m in g.materials]
    facts = [
        (spec["code"].zh, g.code),
        (spec["power"].zh, ctx.tax.label("powers", g.power) if g.power else None),
        (spec["implementer"].zh, g.implementer),
        (spec["handling"].zh, g.handling),
        (spec["basis"].zh, g.basis),
        (spec["conditions"].zh, g.conditions),
        (spec["fees"].zh, g.fees),
        (spec["fee_basis"].zh, g.fee_basis),
        (spec["tolerance"].zh, None if g.tolerance is None else ("是" if g.tolerance else "否")),
        (spec["appointment"].zh, g.appointment),
    ]
    return {
        "visits": g.visits, "visits_label": visits_label(g.visits),
        "legal": g.legal_days, "promised": g.promised_days, "time_note": g.time_limit,
        "online": {"url": g.online_url, "depth": ONLINE_DEPTHS.get(g.online_depth or 0)} if g.online_url else None,
        "materials": materials, "tolerance": g.tolerance,
        "steps": [{"name": s.name, "detail": s.detail, "days": s.days} for s in g.steps],
        "process": g.process,
        "where": [(spec["location"].zh, g.location), (spec["hours"].zh, g.hours), (spec["phone"].zh, g.phone),
                  (spec["complaint_phone"].zh, g.complaint_phone)],
        "facts": [(k, v) for k, v in facts if v],
        "faq": [{"q": f.q, "a": f.a} for f in g.faq],
        "matters": [{"name": m.name, "url": urls.matter_url(m.unit, m.id)} for ref in g.matters
                    if (m := ctx.ix.matters.get(ref if "/" in ref else f"{g.unit}/{ref}"))],
    }


def search_terms(ix: Index, it: Item, unit: Unit) -> str:
    """Extra indexed text so citizens' spellings find the page (see docs/search.md).

    Pagefind segments the index with jieba but the query with the browser's Intl.Segmenter, which splits
    names it does not know (赤岗, 住建局, 海府办) into single characters, and a query term must be a prefix of an
    indexed word. So names, the 文号 and the title are indexed twice: as written (jieba's words) and as
    single characters (the query's words).
    """
    names: list[str] = [unit.name, unit.short_name or "", *unit.aliases]
    if unit.parent and unit.parent in ix.units:
        parent = ix.units[unit.parent]
        names += [parent.name, parent.short_name or ""]
    if isinstance(it, Policy) and it.doc_number:
        names.append(it.doc_number)
    words = [*names, *it.tags, *(ix.taxonomy.label("domains", d) for d in it.domains)]
    chars = dict.fromkeys(CJK.findall(" ".join([it.title, *names])))
    return " ".join([*dict.fromkeys(w for w in words if w), *chars])


def reply_block(it: Item) -> dict[str, Any] | None:
    """The 答复 or 采纳情况 section of a message or consultation item page."""
    if isinstance(it, Message):
        return {"kind": "message", "title": "答复", "rows": [
            ("来信日期", it.received.isoformat()), ("类别", it.category), ("办理状态", it.status),
            ("答复日期", it.replied.isoformat() if it.replied else "尚未答复")], "text": it.reply or ""}
    if isinstance(it, Consultation):
        return {"kind": "consultation", "title": "采纳情况", "rows": [
            ("形式", it.form), ("征集时间", f"{it.start.isoformat()} 至 {it.end.isoformat()}"),
            ("反馈日期", it.feedback_date.isoformat() if it.feedback_date else "尚未反馈")],
            "text": it.feedback or ""}
    return None
