"""互动交流: the portal-wide page of answered messages and consultations, one page per unit, and pages filtered
by 类别, 办理状态 and year (plain links: the filters work without JavaScript). Each page carries the reply
times in working days per 受理单位 (checks/interaction.py), the same figures `portal inspect` uses."""

from __future__ import annotations

from typing import Any

from ..checks.interaction import Interaction, UnitResponse, interaction
from ..model import urls
from ..model.content import MESSAGE_CATEGORIES, MESSAGE_STATUSES, Consultation, Item, Message
from ..util.clock import reference_date
from .base import Context, PageKind, PageSpec, builder, crumbs

INTERACT = PageKind("interact", "interact.html")

#: URL segments of the closed vocabularies (the values themselves are Chinese).
CATEGORY_SLUGS = dict(zip(MESSAGE_CATEGORIES, ("zixun", "jianyi", "tousu", "qiuzhu", "qita"), strict=True))
STATUS_SLUGS = dict(zip(MESSAGE_STATUSES, ("shouli", "banli", "banjie"), strict=True))
META = {"ColumnName": "互动交流", "ColumnType": "互动交流", "ColumnDescription": "网民留言答复与意见征集"}


def talk_of(ctx: Context) -> Interaction:
    """The 互动交流 figures of this emit (shared with the statistics pages)."""
    return ctx.shared("interaction", lambda: interaction(ctx.ix, reference_date()))


def message_row(ctx: Context, it: Message) -> dict[str, Any]:
    """A message as a list row: the item row plus its 类别, 办理状态, dates and reply time."""
    late = ctx.shared("interaction-late", lambda: {m["id"] for m in talk_of(ctx).late})
    handler = ctx.ix.units.get(it.handler or it.unit)
    return {**ctx.entry(it), "category": it.category, "state": it.status, "received": it.received.isoformat(),
            "replied": it.replied.isoformat() if it.replied else None,
            "handler": handler.display_name if handler else it.handler, "late": it.id in late}


def consultation_row(ctx: Context, it: Consultation) -> dict[str, Any]:
    today = reference_date()
    state = "征集中" if it.start <= today <= it.end else ("未开始" if today < it.start else
                                                        ("已反馈" if it.feedback else "已截止，待反馈"))
    return {**ctx.entry(it), "form": it.form, "start": it.start.isoformat(), "end": it.end.isoformat(),
            "state": state}


def response_rows(rows: list[UnitResponse], ctx: Context) -> list[dict[str, Any]]:
    return [{"unit": r.name, "url": urls.interact_url(r.unit), "messages": r.messages, "replied": r.replied,
             "open": r.open, "average": r.average, "longest": r.longest, "late": r.late,
             "consultations": r.consultations, "without_feedback": r.without_feedback} for r in rows]


@builder(order=88)
def interact_pages(ctx: Context) -> None:
    ix = ctx.ix
    messages = [it for it in ix.items.values() if isinstance(it, Message)]
    consultations = [it for it in ix.items.values() if isinstance(it, Consultation)]
    if not messages and not consultations:
        return
    talk = talk_of(ctx)
    years = sorted({it.received.year for it in messages}, reverse=True)
    facets = [
        ("类别", [(c, urls.interact_url(facet="category", value=s)) for c, s in CATEGORY_SLUGS.items()
                 if any(m.category == c for m in messages)]),
        ("办理状态", [(c, urls.interact_url(facet="status", value=s)) for c, s in STATUS_SLUGS.items()
                   if any(m.status == c for m in messages)]),
        ("来信年份", [(f"{y}年", urls.interact_url(facet="year", value=str(y))) for y in years]),
    ]
    units_nav = [(r.name, urls.interact_url(r.unit)) for r in talk.units]

    def page(url: str, title: str, msgs: list[Item], cons: list[Item], rows: list[UnitResponse],
             trail: list[tuple[str, str | None]], lead: str) -> None:
        ctx.add(PageSpec(url, title, INTERACT, {
            "title": title, "lead": lead, "url": url, "reply_workdays": talk.reply_workdays,
            "messages": [message_row(ctx, m) for m in msgs if isinstance(m, Message)],
            "consultations": [consultation_row(ctx, c) for c in cons if isinstance(c, Consultation)],
            "responses": response_rows(rows, ctx), "facets": facets, "units": units_nav,
            "summary": [("留言", len(msgs)),
                        ("已办结", sum(m.status == "已办结" for m in msgs if isinstance(m, Message))),
                        ("意见征集", len(cons))],
            "crumbs": crumbs(*trail), "home": urls.INTERACT,
        }, META, footer="互动交流" if url == urls.INTERACT else None))

    page(urls.INTERACT, "互动交流", messages, consultations, talk.units, [("互动交流", None)],
         "网民留言的办理答复和意见征集、问卷调查的结果反馈。答复用时按工作日计算。")
    for r in talk.units:
        msgs = [m for m in messages if (m.handler or m.unit) == r.unit]
        cons = [c for c in consultations if c.unit == r.unit]
        page(urls.interact_url(r.unit), f"{r.name}互动交流", msgs, cons, [r],
             [("互动交流", urls.INTERACT), (r.name, None)], f"{r.name}受理的网民留言和开展的意见征集。")
    for c, s in CATEGORY_SLUGS.items():
        msgs = [m for m in messages if m.category == c]
        if msgs:
            page(urls.interact_url(facet="category", value=s), f"{c}类留言", msgs, [], [],
                 [("互动交流", urls.INTERACT), (f"{c}类留言", None)], f"类别为“{c}”的网民留言。")
    for c, s in STATUS_SLUGS.items():
        msgs = [m for m in messages if m.status == c]
        if msgs:
            page(urls.interact_url(facet="status", value=s), f"{c}的留言", msgs, [], [],
                 [("互动交流", urls.INTERACT), (f"{c}的留言", None)], f"办理状态为“{c}”的网民留言。")
    for y in years:
        msgs = [m for m in messages if m.received.year == y]
        page(urls.interact_url(facet="year", value=str(y)), f"{y}年网民留言", msgs, [], [],
             [("互动交流", urls.INTERACT), (f"{y}年", None)], f"{y}年收到的网民留言。")
