"""The home page: the lead blocks of the newest items, the entry tiles and the portal's figures."""

from __future__ import annotations

from typing import Any

from ..checks import annual
from ..model import urls
from ..model.content import Consultation, Message
from .base import Context, PageKind, PageSpec, builder, day

HOME = PageKind("home", "home.html")
HOME_LATEST = 8
BLOCKS = ("headlines", "news", "notices", "policies", "interpretations")


@builder(order=10)
def home(ctx: Context) -> None:
    ix = ctx.ix

    def latest(column: str, n: int = HOME_LATEST) -> list[dict[str, Any]]:
        return [ctx.entry(it) for it in ix.by_column.get(column, [])[:n]]

    blocks = []
    for cid in BLOCKS:
        column = ctx.tax.column(cid)
        if column is not None:
            blocks.append({"id": cid, "title": column.name, "url": urls.column_url(cid), "entries": latest(cid)})
    newest = next(iter(ix.items.values()), None)
    lead = featured(ctx)
    counts = {kind: sum(u.kind == kind for u in ix.units.values()) for kind in ("department", "street", "community")}
    portal = ix.portal
    ctx.add(
        PageSpec(
            "/",
            portal.name,
            HOME,
            {
                "blocks": blocks,
                "featured": lead,
                "quick": quick_links(ctx),
                "entries": entries(counts),
                "counts": {"departments": counts["department"], "streets": counts["street"],
                           "communities": counts["community"], "total": len(ix.items)},
                "updated": day(newest.date) if newest else None,
                "description": portal.description,
            },
            {"ColumnName": "首页", "ColumnType": "首页"},
            nav=(0, "首页"),
        )
    )


def featured(ctx: Context) -> dict[str, Any] | None:
    """The 头条 (focus block): the newest item an editor flagged `featured: true`, else the newest 要闻."""
    ix = ctx.ix
    lead = next((it for it in ix.items.values() if it.featured), None)  # ix.items is newest first
    if lead is None:
        lead = next(iter(ix.by_column.get("headlines", [])), None)
    if lead is None:
        return None
    unit = ix.units[lead.unit]
    image = ix.images.get(lead.id)
    return {"title": lead.title, "url": ix.item_urls[lead.id], "date": day(lead.date), "summary": lead.summary,
            "unit": unit.display_name, "flagged": lead.featured,
            "image": ctx.asset_url(image) if image else None, "image_alt": lead.image_alt}


def quick_links(ctx: Context) -> list[dict[str, str]]:
    """The row of entries right under the 头条, where government portals put them: the 政府信息公开 pages a
    citizen asks for by name, 互动交流 and 办事服务 (the 办事服务 tab of the top navigation). Only to pages
    that exist: 年报 needs its column in the taxonomy, 互动交流 a message or a consultation."""
    links = [("信息公开指南", urls.xxgk_url("zhinan")), ("依申请公开", urls.xxgk_url("yishenqing"))]
    if ctx.tax.column(annual.COLUMN) is not None:
        links.append(("政府信息公开年报", urls.REPORTS))
    if any(isinstance(it, Message | Consultation) for it in ctx.ix.items.values()):
        links.append(("互动交流", urls.INTERACT))
    if ctx.tax.column("guides") is not None:
        links.append(("办事服务", urls.column_url("guides")))
    return [{"title": t, "url": u} for t, u in links]


def entries(counts: dict[str, int]) -> list[dict[str, str]]:
    """The entry tiles of the home page (only to pages that exist)."""
    return [
        {"title": "政府信息公开", "url": urls.XXGK, "text": "信息公开指南、依申请公开、法定主动公开内容、制度和年报"},
        {"title": "政府信息公开目录", "url": urls.DIRECTORY, "text": "按统一栏目浏览全区各单位公开信息"},
        {"title": "政策文件", "url": urls.column_url("policies"), "text": "规范性文件与政策文件，标注有效性"},
        {"title": "政策解读", "url": urls.column_url("interpretations"), "text": "谁起草、谁解读，与文件同步发布"},
        {"title": "办事服务", "url": urls.column_url("guides"), "text": "办事指南要素齐全，一次告知"},
        {"title": "事项清单", "url": urls.CATALOG, "text": "政务公开事项及公开要素，可按领域筛选"},
        {"title": "事项一本通", "url": urls.handbook_url(), "text": "可打印的事项清单，每项附二维码"},
        {"title": "部门街道", "url": urls.UNITS,
         "text": f"{counts['department']}个区属部门、{counts['street']}个街道及社区"},
        {"title": "数据统计", "url": urls.STATS, "text": "公开数量、解读同步、更新及时性"},
        {"title": "全部栏目", "url": urls.COLUMNS, "text": "要闻、动态、通知公告、财政预决算等"},
    ]
