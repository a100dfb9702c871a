"""Column lists: per unit and portal-wide, paginated, with year archives; and the /columns/ overview."""

from __future__ import annotations

import math
from typing import Any

from ..model import urls
from ..model.content import Column, Item, Unit
from . import feeds
from .base import Context, PageKind, PageSpec, builder, crumbs

LIST = PageKind("list", "list.html", fast=True)
COLUMNS = PageKind("columns", "columns.html")
#: Portal-wide column lists that are tabs of the top navigation: column id -> (position, tab title).
NAV_COLUMNS = {"policies": (30, "政策文件"), "guides": (40, "办事服务")}


@builder(order=60)
def lists(ctx: Context) -> None:
    ix = ctx.ix
    for unit in ix.units.values():
        for column, its in ctx.unit_columns(unit):
            base = urls.unit_column_url(ix.unit_urls[unit.id], column.id)
            title = f"{unit.display_name} · {column.name}"
            trail = [(unit.display_name, ix.unit_urls[unit.id]), (column.name, base)]
            paginate(ctx, base, title, its, column, trail, with_unit=False, unit=unit)
    for column in ctx.columns:
        base = urls.column_url(column.id)
        paginate(ctx, base, column.name, ix.by_column.get(column.id, []), column,
                 [("栏目", urls.COLUMNS), (column.name, base)], with_unit=True, unit=None)
    ctx.add(
        PageSpec(
            urls.COLUMNS,
            "信息公开栏目",
            COLUMNS,
            {
                "columns": [
                    {"name": c.name, "url": urls.column_url(c.id), "description": c.description,
                     "count": len(ix.by_column.get(c.id, [])), "cadence": c.cadence_days}
                    for c in ctx.columns
                ],
                "crumbs": crumbs(("栏目", None)),
            },
            {"ColumnName": "信息公开栏目", "ColumnType": "信息公开"},
        )
    )


def paginate(ctx: Context, base: str, title: str, its: list[Item], column: Column, trail: list[tuple[str, str]],
             *, with_unit: bool, unit: Unit | None) -> None:
    """A list's pages: all items, then each year's archive, `page_size` rows a page."""
    by_year: dict[int, list[Item]] = {}
    for it in its:
        by_year.setdefault(it.date.year, []).append(it)
    years = sorted(by_year, reverse=True)
    year_links = [{"year": y, "url": urls.list_url(base, year=y), "count": len(by_year[y])} for y in years]
    feed = feeds.unit_feed_path(unit.id) if unit else feeds.column_feed_path(column.id)
    size = ctx.size
    nav = NAV_COLUMNS.get(column.id) if unit is None else None
    for year in [None, *years]:
        subset = its if year is None else by_year[year]
        pages = max(1, math.ceil(len(subset) / size))
        for page in range(1, pages + 1):
            url = urls.list_url(base, page, year)
            heading = title + (f" · {year}年" if year else "")
            data = {
                "heading": heading,
                "description": column.description,
                "entries": [ctx.entry(it, with_unit) for it in subset[(page - 1) * size : page * size]],
                "total": len(subset),
                "pager": pager(base, year, page, pages),
                "years": year_links,
                "year": year,
                "all_url": base,
                "feed": "/" + feed,
                "crumbs": crumbs(
                    *trail[:-1],
                    (trail[-1][0], base if year or page > 1 else None),
                    *([(f"{year}年", None)] if year else []),
                ),
                "cadence": column.cadence_days,
            }
            page_title = heading + (f"（第{page}页）" if page > 1 else "")
            first = year is None and page == 1
            ctx.add(PageSpec(url, page_title, LIST, data, ctx.column_meta(column, title),
                             nav=nav if first else None))


def pager(base: str, year: int | None, page: int, pages: int) -> dict[str, Any] | None:
    """Page links around the current page (first, last, two either side)."""
    if pages <= 1:
        return None
    window = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[dict[str, Any]] = []
    prev = 0
    for n in window:
        if n - prev > 1:
            links.append({"gap": True})
        links.append({"n": n, "url": urls.list_url(base, n, year), "current": n == page})
        prev = n
    return {
        "page": page,
        "pages": pages,
        "links": links,
        "prev": urls.list_url(base, page - 1, year) if page > 1 else None,
        "next": urls.list_url(base, page + 1, year) if page < pages else None,
    }
