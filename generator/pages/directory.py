"""政府信息公开目录: the unified taxonomy × units tree, for all units and by level (区/街道/社区)."""

from __future__ import annotations

from ..model import urls
from ..model.content import Unit
from .base import Context, PageKind, PageSpec, builder, crumbs, day

DIRECTORY = PageKind("directory", "directory.html")


@builder(order=20)
def directory(ctx: Context) -> None:
    ix = ctx.ix
    levels = [{"id": t.id, "name": t.name, "url": urls.directory_url(t.id)} for t in ctx.tax.levels]
    scopes: list[tuple[str, str | None, list[Unit]]] = [(urls.DIRECTORY, None, list(ix.units.values()))]
    scopes += [(lv["url"], lv["id"], [u for u in ix.units.values() if u.level == lv["id"]]) for lv in levels]
    for url, level, units in scopes:
        tree = []
        for column in ctx.columns:
            rows = []
            for unit in units:
                its = ix.by_unit_column.get((unit.id, column.id), [])
                if its:
                    rows.append({"name": unit.display_name,
                                 "url": urls.unit_column_url(ix.unit_urls[unit.id], column.id),
                                 "count": len(its), "latest": day(its[0].date)})
            if level and not rows:
                continue
            tree.append({
                "id": column.id,
                "name": column.name,
                "url": urls.column_url(column.id),
                "disclosure": ctx.tax.label("disclosures", column.disclosure) if column.disclosure else "",
                "description": column.description,
                "count": sum(r["count"] for r in rows),
                "units": rows,
            })
        name = ctx.tax.label("levels", level) if level else ""
        title = "政府信息公开目录" + (f" · {name}" if name else "")
        trail = [("政府信息公开目录", urls.DIRECTORY), (name, None)] if level else [("政府信息公开目录", None)]
        ctx.add(
            PageSpec(
                url,
                title,
                DIRECTORY,
                {
                    "title": title,
                    "tree": tree,
                    "level": level,
                    "levels": levels,
                    "units": len(units),
                    "total": sum(len(ix.by_unit.get(u.id, [])) for u in units),
                    "crumbs": crumbs(*trail),
                },
                {
                    "ColumnName": title,
                    "ColumnType": "信息公开",
                    "ColumnDescription": "按统一栏目与发布单位浏览政府信息" + (f"（{name}）" if name else ""),
                },
            )
        )
