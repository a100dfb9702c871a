"""Stage 4 — emit: every generated page as a plain structure for a template, plus static files and the nav.

Pages are described, not rendered: a PageSpec carries the template name and the data it lays out. The MkDocs
plugin hands each spec to MkDocs as a generated file; item bodies are rendered later by markup.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import math
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import feeds, urls
from .index import Index
from .model import Column, Guide, Interpretation, Item, Policy, Unit, fields_of

HOME_LATEST = 8
UNIT_LATEST = 5
KIND_ORDER = ("department", "street", "community")


@dataclass
class PageSpec:
    """One generated page: where it goes, which template lays it out, and the data for that template."""

    url: str
    title: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)  # 47号 column/article meta tags
    item: Item | None = None  # item pages: the body is rendered from item.body

    @property
    def src_uri(self) -> str:
        """The generated file's path for MkDocs (directory URLs: x/y/index.md → /x/y/)."""
        return urls.url_to_path(self.url)[: -len(".html")] + ".md"


@dataclass
class StaticFile:
    """A file copied or written as-is into the site."""

    dest: str  # site-relative path
    content: bytes | None = None
    source: str | None = None  # absolute path of a file to copy


@dataclass
class Site:
    """Everything emit produces."""

    pages: list[PageSpec] = field(default_factory=list)
    files: list[StaticFile] = field(default_factory=list)
    nav: list[dict[str, str]] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # content-relative path -> public URL (items, assets)

    def sitemap_entries(self, extra_urls: Iterable[str] = ()) -> list[tuple[str, str | None]]:
        """(URL, lastmod) of every page: items carry their date, other pages none (no build-time clock)."""
        rows = [(p.url, _day(p.item.date) if p.item else None) for p in self.pages]
        rows += [(u, None) for u in extra_urls]
        return sorted(rows)


# --------------------------------------------------------------------------- small helpers


@functools.lru_cache(maxsize=8192)
def _day(d: dt.date) -> str:
    return d.strftime("%Y-%m-%d")


def _date(it: Item) -> str:
    return _day(it.date)


def _crumbs(*pairs: tuple[str, str | None]) -> list[dict[str, str | None]]:
    return [{"title": t, "url": u} for t, u in (("首页", "/"), *pairs)]


class _Emitter:
    def __init__(self, ix: Index, cache: Path | None = None):
        self.ix = ix
        self.cache = cache  # build cache folder (QR codes), or None
        self.tax = ix.taxonomy
        self.size = max(1, ix.portal.page_size)
        self.columns = sorted(self.tax.columns, key=lambda c: (c.order, c.id))
        self.site = Site()
        self.replaced_by: dict[str, list[Item]] = {}  # new version id -> the documents it replaced
        self._entries: dict[tuple[str, bool], dict[str, Any]] = {}
        for it in ix.items.values():
            if isinstance(it, Policy) and it.replaced_by:
                self.replaced_by.setdefault(it.replaced_by, []).append(it)

    # -------------------------------------------------------------- shared data

    def entry(self, it: Item, with_unit: bool = True) -> dict[str, Any]:
        """A list row for an item (one dict per item and form, shared by every list showing it: read-only)."""
        key = (it.id, with_unit)
        row = self._entries.get(key)
        if row is None:
            row = self._entries[key] = self._entry(it, with_unit)
        return row

    def _entry(self, it: Item, with_unit: bool) -> dict[str, Any]:
        unit = self.ix.units[it.unit]
        row: dict[str, Any] = {"title": it.title, "url": self.ix.item_urls[it.id], "date": _date(it)}
        if with_unit:
            row["unit"] = unit.display_name
            row["unit_url"] = self.ix.unit_urls[unit.id]
        if isinstance(it, Policy):
            row["doc_number"] = it.doc_number
            if it.status != "valid":
                row["status"] = self.tax.label("statuses", it.status)
        return row

    def column_meta(self, column: Column, name: str | None = None) -> dict[str, str]:
        return {
            "ColumnName": name or column.name,
            "ColumnType": column.column_type,
            "ColumnDescription": column.description or column.name,
            "ColumnKeywords": ",".join(column.keywords or [column.name]),
        }

    def add(self, page: PageSpec) -> None:
        self.site.pages.append(page)

    # -------------------------------------------------------------- pages

    def items(self) -> None:
        ix = self.ix
        for it in ix.items.values():
            unit = ix.units[it.unit]
            column = self.tax.column(it.column)
            assert column is not None
            col_url = urls.unit_column_url(ix.unit_urls[unit.id], column.id)
            source = it.source or unit.name
            meta = self.column_meta(column)
            meta.update(
                {
                    "ArticleTitle": it.title,
                    "PubDate": it.date.strftime("%Y-%m-%d %H:%M"),
                    "ContentSource": source,
                }
            )
            if it.tags:
                meta["Keywords"] = ",".join(it.tags)
            if it.summary:
                meta["Description"] = it.summary
            data = {
                "unit": {"name": unit.name, "url": ix.unit_urls[unit.id]},
                "column": {"name": column.name, "url": col_url},
                "rows": self.item_rows(it, unit, source),
                "status": self.status_banner(it),
                "attachments": [
                    {"title": title, "url": self.asset_url(rel), "ext": posixpath.splitext(rel)[1].lstrip(".").upper()}
                    for rel, title in ix.attachments.get(it.id, [])
                ],
                "related": self.related(it),
                "guide": self.guide_rows(it) if isinstance(it, Guide) else [],
                "crumbs": _crumbs((unit.display_name, ix.unit_urls[unit.id]), (column.name, col_url), (it.title, None)),
                "type": it.type,
                "search": self.search_data(it, unit, column.name),
            }
            self.add(PageSpec(ix.item_urls[it.id], it.title, "item.html", data, meta, item=it))

    def search_data(self, it: Item, unit: Unit, column: str) -> dict[str, Any]:
        """What the search index records for an item: filters, sort key, result meta, extra search terms."""
        tax = self.tax
        filters = [("unit", unit.display_name), ("column", column), ("year", str(it.date.year))]
        if it.disclosure:
            filters.append(("disclosure", tax.label("disclosures", it.disclosure)))
        if isinstance(it, Policy):
            filters.append(("status", tax.label("statuses", it.status)))
        return {
            "filters": filters,
            "meta": [("unit", unit.display_name), ("date", _date(it))],
            "sort": _date(it),
            "terms": search_terms(self.ix, it, unit),
        }

    def item_rows(self, it: Item, unit: Unit, source: str) -> list[tuple[str, str]]:
        """The metadata table of an item page (政府信息公开目录 header fields)."""
        tax = self.tax
        issuers = [unit.name] + [self.ix.units[u].name for u in getattr(it, "issuers", []) if u in self.ix.units]
        rows: list[tuple[str, str | None]] = []
        if isinstance(it, Policy):
            rows.append(("索引号", it.index_no))
        rows.append(("发布机构", "、".join(issuers)))
        if isinstance(it, Policy):
            rows += [
                ("文号", it.doc_number),
                ("成文日期", it.issued.isoformat() if it.issued else None),
            ]
        rows.append(("发布日期", _date(it)))
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
        if it.author:
            rows.append(("作者", it.author))
        return [(k, v) for k, v in rows if v]

    def status_banner(self, it: Item) -> dict[str, Any] | None:
        """The visible banner on amended, repealed and expired documents (国办发〔2017〕47号)."""
        if not isinstance(it, Policy) or it.status == "valid":
            return None
        label = self.tax.label("statuses", it.status)
        banner: dict[str, Any] = {"status": it.status, "text": f"本文件{label}"}
        if it.status in ("repealed", "expired") and it.expires:
            banner["text"] += f"（{it.expires.isoformat()}）"
        banner["text"] += "，仅供查阅。"
        if it.replaced_by and it.replaced_by in self.ix.items:
            new = self.ix.items[it.replaced_by]
            banner["link"] = {"title": new.title, "url": self.ix.item_urls[new.id]}
        return banner

    def related(self, it: Item) -> list[dict[str, Any]]:
        """Related items: a policy's interpretations, an interpretation's policy (linked both ways)."""
        ix = self.ix
        out = []
        if isinstance(it, Policy):
            interps = ix.interpretations.get(it.id, [])
            if interps:
                out.append(
                    {"title": "政策解读", "kind": "interpretations", "entries": [self.entry(i) for i in interps]}
                )
        if isinstance(it, Interpretation) and it.interprets in ix.items:
            policy = ix.items[it.interprets]
            out.append({"title": "解读的政策文件", "kind": "policy", "entries": [self.entry(policy)]})
            others = [i for i in ix.interpretations.get(policy.id, []) if i.id != it.id]
            if others:
                out.append(
                    {"title": "该文件的其他解读", "kind": "interpretations", "entries": [self.entry(i) for i in others]}
                )
        replaced = self.replaced_by.get(it.id, [])
        if replaced:
            out.append({"title": "本文件修订的旧版本", "kind": "old", "entries": [self.entry(p) for p in replaced]})
        return out

    def guide_rows(self, it: Guide) -> list[dict[str, Any]]:
        """The 19号 key elements of a service guide, labelled from the schema."""
        rows = []
        for name, spec in fields_of(Guide).items():
            if name in fields_of(Item):
                continue
            value = getattr(it, name)
            if not value:
                continue
            rows.append(
                {"label": spec.zh, "value": value, "list": isinstance(value, list), "url": name == "online_url"}
            )
        return rows

    def asset_url(self, rel: str) -> str:
        """Public URL of a content asset (attachment, image)."""
        return asset_url(self.ix, rel)

    def unit_columns(self, unit: Unit) -> list[tuple[Column, list[Item]]]:
        """The columns a unit shows, with its items: those it published in and those it is expected to have
        (an expected column without items is shown empty: the blank column an inspector looks for)."""
        expected = set(self.ix.expected_columns(unit))
        out = []
        for column in self.columns:
            its = self.ix.by_unit_column.get((unit.id, column.id), [])
            if its or column.id in expected:
                out.append((column, its))
        return out

    def lists(self) -> None:
        """Paginated column lists with year archives: per unit, and portal-wide."""
        ix = self.ix
        for unit in ix.units.values():
            for column, its in self.unit_columns(unit):
                base = urls.unit_column_url(ix.unit_urls[unit.id], column.id)
                title = f"{unit.display_name} · {column.name}"
                crumbs = [(unit.display_name, ix.unit_urls[unit.id]), (column.name, base)]
                self.paginate(base, title, its, column, crumbs, with_unit=False, unit=unit)
        for column in self.columns:
            its = ix.by_column.get(column.id, [])
            base = urls.column_url(column.id)
            self.paginate(
                base, column.name, its, column, [("栏目", "/columns/"), (column.name, base)], with_unit=True, unit=None
            )
        self.add(
            PageSpec(
                "/columns/",
                "信息公开栏目",
                "columns.html",
                {
                    "columns": [
                        {
                            "name": c.name,
                            "url": urls.column_url(c.id),
                            "description": c.description,
                            "count": len(ix.by_column.get(c.id, [])),
                            "cadence": c.cadence_days,
                        }
                        for c in self.columns
                    ],
                    "crumbs": _crumbs(("栏目", None)),
                },
                {"ColumnName": "信息公开栏目", "ColumnType": "信息公开"},
            )
        )

    def paginate(
        self,
        base: str,
        title: str,
        its: list[Item],
        column: Column,
        crumbs: list[tuple[str, str]],
        *,
        with_unit: bool,
        unit: Unit | None,
    ) -> None:
        by_year: dict[int, list[Item]] = {}
        for it in its:
            by_year.setdefault(it.date.year, []).append(it)
        years = sorted(by_year, reverse=True)
        year_links = [{"year": y, "url": urls.list_url(base, year=y), "count": len(by_year[y])} for y in years]
        feed = feeds.unit_feed_path(unit.id) if unit else feeds.column_feed_path(column.id)
        for year in [None, *years]:
            subset = its if year is None else by_year[year]
            pages = max(1, math.ceil(len(subset) / self.size))
            for page in range(1, pages + 1):
                url = urls.list_url(base, page, year)
                chunk = subset[(page - 1) * self.size : page * self.size]
                heading = title + (f" · {year}年" if year else "")
                data = {
                    "heading": heading,
                    "description": column.description,
                    "entries": [self.entry(it, with_unit) for it in chunk],
                    "total": len(subset),
                    "pager": _pager(base, year, page, pages),
                    "years": year_links,
                    "year": year,
                    "all_url": base,
                    "feed": "/" + feed,
                    "crumbs": _crumbs(
                        *crumbs[:-1],
                        (crumbs[-1][0], base if year or page > 1 else None),
                        *([(f"{year}年", None)] if year else []),
                    ),
                    "cadence": column.cadence_days,
                }
                page_title = heading + (f"（第{page}页）" if page > 1 else "")
                self.add(PageSpec(url, page_title, "list.html", data, self.column_meta(column, title)))

    def units(self) -> None:
        ix = self.ix
        for unit in ix.units.values():
            url = ix.unit_urls[unit.id]
            cols = []
            for column, its in self.unit_columns(unit):
                cols.append(
                    {
                        "name": column.name,
                        "url": urls.unit_column_url(url, column.id),
                        "count": len(its),
                        "entries": [self.entry(it, False) for it in its[:UNIT_LATEST]],
                    }
                )
            parent = ix.units.get(unit.parent) if unit.parent else None
            data = {
                "unit": unit,
                "kind": self.tax.label("kinds", unit.kind),
                "level": self.tax.label("levels", unit.level) if unit.level else "",
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
                "rollup": self.rollup(unit),
                "search": {"filters": [("unit", unit.display_name), ("column", "机构概况")],
                           "meta": [("unit", unit.display_name)], "sort": None,
                           "terms": " ".join([unit.name, unit.short_name or "", *unit.aliases,
                                              *_CJK.findall(unit.name + (unit.short_name or ""))])},
                "feed": "/" + feeds.unit_feed_path(unit.id),
                "crumbs": _crumbs(
                    ("部门街道", "/units/"),
                    *([(parent.display_name, ix.unit_urls[parent.id])] if parent else []),
                    (unit.display_name, None),
                ),
            }
            self.add(
                PageSpec(
                    url,
                    unit.name,
                    "unit.html",
                    data,
                    {
                        "ColumnName": unit.name,
                        "ColumnType": "机构概况",
                        "ColumnDescription": f"{unit.name}机构概况与信息公开",
                    },
                )
            )

        groups = []
        for kind in KIND_ORDER[:2]:
            members = [u for u in ix.units.values() if u.kind == kind]
            groups.append(
                {
                    "kind": kind,
                    "title": self.tax.label("kinds", kind),
                    "count": len(members),
                    "units": [
                        {
                            "name": u.name,
                            "short": u.display_name,
                            "url": ix.unit_urls[u.id],
                            "count": len(ix.by_unit.get(u.id, [])),
                            "communities": len(ix.communities.get(u.id, [])),
                            "latest": _date(ix.by_unit[u.id][0]) if ix.by_unit.get(u.id) else None,
                        }
                        for u in members
                    ],
                }
            )
        self.add(
            PageSpec(
                "/units/",
                "部门街道",
                "units.html",
                {
                    "groups": groups,
                    "communities": sum(len(v) for v in ix.communities.values()),
                    "crumbs": _crumbs(("部门街道", None)),
                },
                {"ColumnName": "部门街道", "ColumnType": "机构概况"},
            )
        )

    def rollup(self, unit: Unit) -> list[dict[str, Any]]:
        """A street's view of its communities' latest items (居务公开 rolls up to the street)."""
        comms = self.ix.communities.get(unit.id, [])
        if not comms:
            return []
        its = sorted(
            (it for c in comms for it in self.ix.by_unit.get(c.id, [])), key=lambda i: (i.date, i.id), reverse=True
        )
        return [self.entry(it) for it in its[:10]]

    def directory(self) -> None:
        """政府信息公开目录: the unified taxonomy × units tree, for all units and by level (区/街道/社区)."""
        ix = self.ix
        levels = [{"id": t.id, "name": t.name, "url": f"/directory/{t.id}/"} for t in self.tax.levels]
        scopes: list[tuple[str, str | None, list[Unit]]] = [("/directory/", None, list(ix.units.values()))]
        scopes += [(lv["url"], lv["id"], [u for u in ix.units.values() if u.level == lv["id"]]) for lv in levels]
        for url, level, units in scopes:
            tree = []
            for column in self.columns:
                rows = []
                for unit in units:
                    its = ix.by_unit_column.get((unit.id, column.id), [])
                    if its:
                        rows.append(
                            {
                                "name": unit.display_name,
                                "url": urls.unit_column_url(ix.unit_urls[unit.id], column.id),
                                "count": len(its),
                                "latest": _date(its[0]),
                            }
                        )
                if level and not rows:
                    continue
                tree.append(
                    {
                        "id": column.id,
                        "name": column.name,
                        "url": urls.column_url(column.id),
                        "disclosure": self.tax.label("disclosures", column.disclosure) if column.disclosure else "",
                        "description": column.description,
                        "count": sum(r["count"] for r in rows),
                        "units": rows,
                    }
                )
            name = self.tax.label("levels", level) if level else ""
            title = "政府信息公开目录" + (f" · {name}" if name else "")
            crumbs = [("政府信息公开目录", "/directory/"), (name, None)] if level else [("政府信息公开目录", None)]
            self.add(
                PageSpec(
                    url,
                    title,
                    "directory.html",
                    {
                        "title": title,
                        "tree": tree,
                        "level": level,
                        "levels": levels,
                        "units": len(units),
                        "total": sum(len(ix.by_unit.get(u.id, [])) for u in units),
                        "crumbs": _crumbs(*crumbs),
                    },
                    {
                        "ColumnName": title,
                        "ColumnType": "信息公开",
                        "ColumnDescription": "按统一栏目与发布单位浏览政府信息" + (f"（{name}）" if name else ""),
                    },
                )
            )

    def home(self) -> None:
        ix = self.ix

        def latest(column: str, n: int = HOME_LATEST) -> list[dict[str, Any]]:
            return [self.entry(it) for it in ix.by_column.get(column, [])[:n]]

        blocks = []
        for cid in ("headlines", "news", "notices", "policies", "interpretations"):
            column = self.tax.column(cid)
            if column is not None:
                blocks.append({"id": cid, "title": column.name, "url": urls.column_url(cid), "entries": latest(cid)})
        newest = next(iter(ix.items.values()), None)
        portal = ix.portal
        self.add(
            PageSpec(
                "/",
                portal.name,
                "home.html",
                {
                    "blocks": blocks,
                    "entries": self.home_entries(),
                    "counts": {
                        "departments": sum(u.kind == "department" for u in ix.units.values()),
                        "streets": sum(u.kind == "street" for u in ix.units.values()),
                        "communities": sum(u.kind == "community" for u in ix.units.values()),
                        "total": len(ix.items),
                    },
                    "updated": _date(newest) if newest else None,
                    "description": portal.description,
                },
                {"ColumnName": "首页", "ColumnType": "首页"},
            )
        )

    def gone_pages(self) -> None:
        """The 410 pages of retired old pages: one per unit they belonged to (nginx picks it by unit)."""
        units = sorted({r.unit or "_" for r in (self.ix.redirects or []) if r.gone})
        for uid in units:
            unit = self.ix.units.get(uid)
            data = {"unit": {"name": unit.name, "url": self.ix.unit_urls[uid]} if unit else None,
                    "crumbs": _crumbs(("页面已撤销", None))}
            self.add(PageSpec(f"/gone/{uid}/", "页面已撤销", "gone.html", data,
                              {"ColumnName": "页面已撤销", "ColumnType": "其他"}))

    def search_page(self) -> None:
        self.add(PageSpec("/search/", "站内搜索", "search.html", {"crumbs": _crumbs(("站内搜索", None))},
                          {"ColumnName": "站内搜索", "ColumnType": "其他"}))

    def home_entries(self) -> list[dict[str, str]]:
        """The entry tiles of the home page (only to pages that exist)."""
        return [
            {"title": "政府信息公开目录", "url": "/directory/", "text": "按统一栏目浏览全区各单位公开信息"},
            {"title": "政策文件", "url": urls.column_url("policies"), "text": "规范性文件与政策文件，标注有效性"},
            {"title": "政策解读", "url": urls.column_url("interpretations"), "text": "谁起草、谁解读，与文件同步发布"},
            {"title": "办事服务", "url": urls.column_url("guides"), "text": "办事指南要素齐全，一次告知"},
            {"title": "事项清单", "url": "/catalog/", "text": "政务公开事项及公开要素，可按领域筛选"},
            {"title": "事项一本通", "url": urls.handbook_url(), "text": "可打印的事项清单，每项附二维码"},
            {"title": "部门街道", "url": "/units/", "text": "46个区属部门、18个街道及社区"},
            {"title": "数据统计", "url": "/stats/", "text": "公开数量、解读同步、更新及时性"},
            {"title": "全部栏目", "url": "/columns/", "text": "要闻、动态、通知公告、财政预决算等"},
        ]

    def nav(self) -> None:
        self.site.nav = [
            {"首页": "index.md"},
            {"信息公开目录": "directory/index.md"},
            {"政策文件": "columns/policies/index.md"},
            {"办事服务": "columns/guides/index.md"},
            {"事项清单": "catalog/index.md"},
            {"部门街道": "units/index.md"},
            {"数据统计": "stats/index.md"},
        ]

    def assets(self) -> None:
        """Attachments and images, copied under their unit's URL; plus the link table for item bodies."""
        for rel, path in sorted(self.ix.assets.items()):
            unit_id = _unit_of_path(rel)
            if unit_id in self.ix.units and rel.startswith(self.ix.units[unit_id].path + "/"):
                url = self.asset_url(rel)
                self.site.files.append(StaticFile(url.lstrip("/"), source=str(path)))
                self.site.links[rel] = url
        for item_id, it in self.ix.items.items():
            self.site.links[it.rel] = self.ix.item_urls[item_id]
            self.site.links["@" + item_id] = self.ix.item_urls[item_id]  # `[…](@unit/column/slug)`

    def feeds(self) -> None:
        self.site.files += feeds.feeds(self.ix, self.entry_for_feed)

    def entry_for_feed(self, it: Item) -> dict[str, Any]:
        unit = self.ix.units[it.unit]
        return {
            "id": it.id,
            "title": it.title,
            "url": self.ix.item_urls[it.id],
            "date": it.date,
            "summary": it.summary or "",
            "author": it.source or unit.name,
        }


def _pager(base: str, year: int | None, page: int, pages: int) -> dict[str, Any] | None:
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


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


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
    chars = dict.fromkeys(_CJK.findall(" ".join([it.title, *names])))
    return " ".join([*dict.fromkeys(w for w in words if w), *chars])


def asset_url(ix: Index, rel: str) -> str:
    """Public URL of a content asset: its path below the unit folder, under the unit's URL."""
    unit = ix.units[_unit_of_path(rel)]
    return ix.unit_urls[unit.id] + rel[len(unit.path) + 1 :]


def _unit_of_path(rel: str) -> str:
    parts = rel.split("/")
    return parts[3] if len(parts) > 4 and parts[2] == "communities" else parts[1]


def emit(ix: Index, diagnostics: list | None = None, cache: Path | None = None) -> Site:
    """Describe every page, static file and the nav of the portal (diagnostics feed the inspection page;
    `cache` is a folder where expensive, content-addressed outputs are kept across builds)."""
    # Hundreds of thousands of small, acyclic dicts: the cyclic GC would rescan the growing heap again and
    # again (as in pipeline.check); reference counting frees everything.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _emit(ix, diagnostics, cache)
    finally:
        if enabled:
            gc.enable()


def _emit(ix: Index, diagnostics: list | None, cache: Path | None) -> Site:
    from .catalog import Catalog
    from .statspages import StatsPages

    e = _Emitter(ix, cache)
    e.home()
    e.directory()
    e.search_page()
    e.gone_pages()
    e.units()
    e.lists()
    e.items()
    Catalog(e).emit()
    StatsPages(e, diagnostics).emit()
    e.assets()
    e.feeds()
    e.nav()
    return e.site
