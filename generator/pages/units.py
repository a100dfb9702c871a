"""Unit pages (one per department, street and community) and the /units/ overview."""

from __future__ import annotations

from typing import Any

from ..model import urls
from ..model.content import Unit
from . import feeds
from .base import Context, PageKind, PageSpec, builder, crumbs, day, search_data
from .items import CJK

UNIT = PageKind("unit", "unit.html", fast=True, searchable=True)
UNITS = PageKind("units", "units.html")
UNIT_LATEST = 5
#: Unit kinds in the order they are listed (communities are listed under their street).
KIND_ORDER = ("department", "street", "community")


@builder(order=50)
def units(ctx: Context) -> None:
    ix = ctx.ix
    for unit in ix.units.values():
        url = ix.unit_urls[unit.id]
        cols = [
            {
                "name": column.name,
                "url": urls.unit_column_url(url, column.id),
                "count": len(its),
                "entries": [ctx.entry(it, False) for it in its[:UNIT_LATEST]],
            }
            for column, its in ctx.unit_columns(unit)
        ]
        parent = ix.units.get(unit.parent) if unit.parent else None
        data = {
            "unit": unit,
            "kind": ctx.tax.label("kinds", unit.kind),
            "level": ctx.tax.label("levels", unit.level) if unit.level else "",
            "responsibilities": unit.responsibilities,
            "leaders": unit.leaders,
            "contact": unit.contact,
            "columns": cols,
            "communities": [
                {"name": c.name, "url": ix.unit_urls[c.id], "count": len(ix.by_unit.get(c.id, []))}
                for c in ix.communities.get(unit.id, [])
            ],
            "parent": {"name": parent.name, "url": ix.unit_urls[parent.id]} if parent else None,
            "matters": len(ix.matters_by_unit.get(unit.id, [])),
            "catalog": urls.facet_url("unit", unit.id),
            "handbook": urls.handbook_url(unit.id),
            "rollup": rollup(ctx, unit),
            "search": search_data([("unit", unit.display_name), ("column", "机构概况")],
                                  [("unit", unit.display_name)], None,
                                  " ".join([unit.name, unit.short_name or "", *unit.aliases,
                                            *CJK.findall(unit.name + (unit.short_name or ""))])),
            "feed": "/" + feeds.unit_feed_path(unit.id),
            "crumbs": crumbs(
                ("部门街道", urls.UNITS),
                *([(parent.display_name, ix.unit_urls[parent.id])] if parent else []),
                (unit.display_name, None),
            ),
        }
        meta = {"ColumnName": unit.name, "ColumnType": "机构概况",
                "ColumnDescription": f"{unit.name}机构概况与信息公开"}
        ctx.add(PageSpec(url, unit.name, UNIT, data, meta))

    groups = []
    for kind in KIND_ORDER[:2]:
        members = [u for u in ix.units.values() if u.kind == kind]
        groups.append(
            {
                "kind": kind,
                "title": ctx.tax.label("kinds", kind),
                "count": len(members),
                "units": [
                    {
                        "name": u.name,
                        "short": u.display_name,
                        "url": ix.unit_urls[u.id],
                        "count": len(ix.by_unit.get(u.id, [])),
                        "communities": len(ix.communities.get(u.id, [])),
                        "latest": day(ix.by_unit[u.id][0].date) if ix.by_unit.get(u.id) else None,
                    }
                    for u in members
                ],
            }
        )
    ctx.add(
        PageSpec(
            urls.UNITS,
            "部门街道",
            UNITS,
            {"groups": groups, "communities": sum(len(v) for v in ix.communities.values()),
             "crumbs": crumbs(("部门街道", None))},
            {"ColumnName": "部门街道", "ColumnType": "机构概况"},
            nav=(60, "部门街道"),
        )
    )


def rollup(ctx: Context, unit: Unit) -> list[dict[str, Any]]:
    """A street's view of its communities' latest items (居务公开 rolls up to the street)."""
    comms = ctx.ix.communities.get(unit.id, [])
    if not comms:
        return []
    its = sorted((it for c in comms for it in ctx.ix.by_unit.get(c.id, [])), key=lambda i: (i.date, i.id),
                 reverse=True)
    return [ctx.entry(it) for it in its[:10]]
