"""The page layer's shared types: what a page is (PageKind, PageSpec), the site emit produces, and the
context every page builder reads.

A *page kind* is declared once, beside the builder that makes its pages: its template and how the later
stages treat it (fast-rendered, searchable, in the sitemap). A *builder* is a function registered with
`@builder(order)`; `emit()` (pages/emit.py) finds every builder in the `generator.pages` package and runs
them in order. Adding a kind of page is one new module here and one template.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import urls
from ..model.content import Column, Item, Policy, Unit
from ..stages.index import Index


@dataclass(frozen=True)
class PageKind:
    """What kind of page a spec is, and how rendering, search and the sitemap treat it."""

    name: str
    template: str
    fast: bool = False  # written by the fast renderer (render/fastrender.py) unless the page is in the nav
    searchable: bool = False  # a search result (the others are navigation pages, left out of the index)
    sitemap: bool = True  # listed in sitemap.xml


@dataclass
class PageSpec:
    """One generated page: where it goes, what kind it is, and the data for its template."""

    url: str
    title: str
    kind: PageKind
    data: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)  # 47号 column/article meta tags
    item: Item | None = None  # item pages: the body is rendered from item.body
    nav: tuple[int, str] | None = None  # (position, tab title): the page is a tab of the top navigation
    footer: str | None = None  # a link to the page in the footer, with this text

    @property
    def template(self) -> str:
        return self.kind.template

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
    links: dict[str, str] = field(default_factory=dict)  # content-relative path -> public URL (items, assets)

    @property
    def nav(self) -> list[dict[str, str]]:
        """MkDocs' nav: the pages that declared a tab, in their position."""
        tabs = sorted((p.nav, p.src_uri) for p in self.pages if p.nav is not None)
        return [{title: src} for (_, title), src in tabs]

    @property
    def footer(self) -> list[tuple[str, str]]:
        """(text, URL) of the footer links pages asked for, in URL order."""
        return sorted(((p.footer, p.url) for p in self.pages if p.footer), key=lambda t: t[1])

    def sitemap_entries(self, extra_urls: Iterable[str] = ()) -> list[tuple[str, str | None]]:
        """(URL, lastmod) of every page the sitemap lists: items carry their date, other pages none."""
        rows = [(p.url, day(p.item.date) if p.item else None) for p in self.pages if p.kind.sitemap]
        rows += [(u, None) for u in extra_urls]
        return sorted(rows)


# --------------------------------------------------------------------------- builders

Builder = Callable[["Context"], None]
_BUILDERS: list[tuple[int, str, Builder]] = []


def builder(order: int) -> Callable[[Builder], Builder]:
    """Register a page builder; `emit()` runs every registered builder by `order` (then name)."""

    def register(fn: Builder) -> Builder:
        entry = (order, f"{fn.__module__}.{fn.__qualname__}", fn)
        if entry not in _BUILDERS:
            _BUILDERS.append(entry)
        return fn

    return register


def builders() -> list[Builder]:
    """The registered builders in the order they run."""
    return [fn for _, _, fn in sorted(_BUILDERS, key=lambda e: e[:2])]


# --------------------------------------------------------------------------- small helpers


@functools.lru_cache(maxsize=8192)
def day(d: dt.date) -> str:
    return d.strftime("%Y-%m-%d")


def crumbs(*pairs: tuple[str, str | None]) -> list[dict[str, str | None]]:
    """Breadcrumbs from the home page: (title, URL or None for the current page)."""
    return [{"title": t, "url": u} for t, u in (("首页", "/"), *pairs)]


def search_data(filters: list[tuple[str, str]], meta: list[tuple[str, str]], sort: str | None = None,
                terms: str = "") -> dict[str, Any]:
    """What the search index records for a page: filters, result meta, sort key and extra search terms
    (laid out by partials/search-data.html)."""
    return {"filters": filters, "meta": meta, "sort": sort, "terms": terms}


def unit_of_path(rel: str) -> str:
    """The unit id of a content-relative path (units/<unit>/… or units/<street>/communities/<id>/…)."""
    parts = rel.split("/")
    return parts[3] if len(parts) > 4 and parts[2] == "communities" else parts[1]


def asset_url(ix: Index, rel: str) -> str:
    """Public URL of a content asset: its path below the unit folder, under the unit's URL."""
    unit = ix.units[unit_of_path(rel)]
    return ix.unit_urls[unit.id] + rel[len(unit.path) + 1 :]


# --------------------------------------------------------------------------- the builders' context


class Context:
    """What every builder reads (the index, the taxonomy, the portal's settings) and the site it adds to,
    with the data shared by several page families (list rows, column meta tags)."""

    def __init__(self, ix: Index, diagnostics: list | None = None, cache: Path | None = None):
        self.ix = ix
        self.diagnostics = diagnostics or []  # feed the statistics and inspection pages
        self.cache = cache  # build cache folder (QR codes), or None
        self.tax = ix.taxonomy
        self.size = max(1, ix.portal.page_size)
        self.columns = sorted(self.tax.columns, key=lambda c: (c.order, c.id))
        self.site = Site()
        self._entries: dict[tuple[str, bool], dict[str, Any]] = {}
        self._shared: dict[str, Any] = {}

    def add(self, page: PageSpec) -> None:
        self.site.pages.append(page)

    def shared(self, key: str, make: Callable[[], Any]) -> Any:
        """A value computed once per emit and shared by builders (e.g. the statistics figures)."""
        if key not in self._shared:
            self._shared[key] = make()
        return self._shared[key]

    def entry(self, it: Item, with_unit: bool = True) -> dict[str, Any]:
        """A list row for an item (one dict per item and form, shared by every list showing it: read-only)."""
        key = (it.id, with_unit)
        row = self._entries.get(key)
        if row is None:
            row = self._entries[key] = self._entry(it, with_unit)
        return row

    def _entry(self, it: Item, with_unit: bool) -> dict[str, Any]:
        unit = self.ix.units[it.unit]
        row: dict[str, Any] = {"title": it.title, "url": self.ix.item_urls[it.id], "date": day(it.date)}
        if with_unit:
            row["unit"] = unit.display_name
            row["unit_url"] = self.ix.unit_urls[unit.id]
        if isinstance(it, Policy):
            row["doc_number"] = it.doc_number
            if it.status != "valid":
                row["status"] = self.tax.label("statuses", it.status)
        return row

    def column_meta(self, column: Column, name: str | None = None) -> dict[str, str]:
        """The 47号 column meta tags of a list or item page."""
        return {
            "ColumnName": name or column.name,
            "ColumnType": column.column_type,
            "ColumnDescription": column.description or column.name,
            "ColumnKeywords": ",".join(column.keywords or [column.name]),
        }

    def asset_url(self, rel: str) -> str:
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

    def attachment(self, rel: str, title: str) -> dict[str, str]:
        return {"title": title, "url": self.asset_url(rel), "ext": posixpath.splitext(rel)[1].lstrip(".").upper()}
