"""The home page: the lead blocks of the newest items, the entry tiles and the portal's figures."""

from __future__ import annotations

from typing import Any

from ..model import urls
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
    counts = {kind: sum(u.kind == kind for u in ix.units.values()) for kind in ("department", "street", "community")}
    portal = ix.portal
    ctx.add(
        PageSpec(
            "/",
            portal.name,
            HOME,
            {
                "blocks": blocks,
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
