"""Small pages: the search page, the 无障碍声明 and the 410 pages of retired old pages."""

from __future__ import annotations

from ..model import urls
from .base import Context, PageKind, PageSpec, builder, crumbs

SEARCH = PageKind("search", "search.html")
GONE = PageKind("gone", "gone.html", sitemap=False)  # a 410 page is no page to visit
ACCESSIBILITY = PageKind("accessibility", "accessibility.html")


@builder(order=30)
def search_page(ctx: Context) -> None:
    ctx.add(PageSpec(urls.SEARCH, "站内搜索", SEARCH, {"crumbs": crumbs(("站内搜索", None))},
                     {"ColumnName": "站内搜索", "ColumnType": "其他"}))


@builder(order=35)
def accessibility_statement(ctx: Context) -> None:
    """无障碍声明: what the site offers readers with disabilities and older readers, how it is checked, whom to
    tell when something does not work. Linked from every page's footer."""
    ctx.add(PageSpec(urls.ACCESSIBILITY, "无障碍声明", ACCESSIBILITY,
                     {"crumbs": crumbs(("无障碍声明", None)), "contact": ctx.ix.portal.contact},
                     {"ColumnName": "无障碍声明", "ColumnType": "其他"}, footer="无障碍声明"))


@builder(order=40)
def gone_pages(ctx: Context) -> None:
    """One 410 page per unit whose old pages were retired (nginx picks it by unit)."""
    ix = ctx.ix
    for uid in sorted({r.unit or "_" for r in (ix.redirects or []) if r.gone}):
        unit = ix.units.get(uid)
        data = {"unit": {"name": unit.name, "url": ix.unit_urls[uid]} if unit else None,
                "crumbs": crumbs(("页面已撤销", None))}
        meta = {"ColumnName": "页面已撤销", "ColumnType": "其他"}
        ctx.add(PageSpec(urls.gone_url(uid), "页面已撤销", GONE, data, meta))
