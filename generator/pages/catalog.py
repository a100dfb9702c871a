"""Emit the disclosure catalog (事项清单): the filterable list, facet pages, one page per row, and the
printable 一本通 handbook with a QR code (segno, SVG) per row pointing at the row's public URL.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import segno

from ..model import urls
from ..model.content import Matter
from ..util.fsio import write_atomic
from . import feeds
from .base import Context, PageKind, PageSpec, StaticFile, builder, crumbs, search_data

CATALOG = PageKind("catalog", "catalog.html")
MATTER = PageKind("matter", "matter.html", fast=True, searchable=True)
HANDBOOK = PageKind("handbook", "handbook.html")

#: Facets of the catalog filter: (key on the row, URL segment, zh label, taxonomy vocabulary or None for units)
FACETS = [
    ("unit", "unit", "单位", None),
    ("disclosure", "disclosure", "五公开类别", "disclosures"),
    ("domain", "domain", "领域", "domains"),
    ("levels", "level", "公开层级", "levels"),
    ("category", "category", "事项类别", "categories"),
    ("mode", "mode", "公开方式", "modes"),
    ("power", "power", "事项性质", "powers"),
    ("tier", "tier", "事项层级", "tiers"),
    ("has_guide", "guide", "办事指南", "guided"),
]

#: Labels of the facets computed from the catalog itself (not a taxonomy vocabulary).
FIXED = {
    "tiers": {"main": "一级事项", "sub": "二级事项"},
    "guided": {"yes": "有办事指南", "no": "暂无办事指南"},
}


def qr_path(m: Matter) -> str:
    """Site-relative path of a row's QR code."""
    return f"handbook/qr/{m.unit}/{m.id.lower()}.svg"


def qr_svg(url: str, cache: Path | None = None) -> bytes:
    """A QR code (error correction M) for an absolute URL, as compact SVG.

    segno takes ~10 ms a code in pure Python; with `cache`, codes are kept by URL (and segno version), which
    makes them a file read on every build after the first.
    """
    path = None
    if cache is not None:
        path = _qr_cache_path(url, cache)
        try:
            return path.read_bytes()
        except OSError:
            pass
    q = segno.make(url, error="m", micro=False)
    buf = io.BytesIO()
    q.save(buf, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, nl=False, title=url)
    data = buf.getvalue()
    if path is not None:
        write_atomic(path, data)
    return data


def qr_codes(urls_: list[str], cache: Path | None = None, jobs: int = 2) -> list[bytes]:
    """qr_svg for many URLs; codes missing from the cache are made on `jobs` cores first (the first build of
    a large catalog: ~900 codes, ~4 s on one core)."""
    if cache is not None and jobs > 1:
        missing = [u for u in urls_ if not _qr_cache_path(u, cache).exists()]
        if len(missing) >= 64:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                pool.starmap(qr_svg, [(u, cache) for u in missing], chunksize=32)
    return [qr_svg(u, cache) for u in urls_]


def _qr_cache_path(url: str, cache: Path) -> Path:
    key = hashlib.sha1(f"{segno.__version__}|m|4|2|{url}".encode()).hexdigest()
    return cache / key[:2] / f"{key}.svg"


@builder(order=80)
def catalog(ctx: Context) -> None:
    Catalog(ctx).emit()


class Catalog:
    """Builds the catalog pages."""

    def __init__(self, e: Context):
        self.e = e
        self.ix = e.ix
        self.tax = e.tax
        self.base = feeds.base_url(self.ix.portal)
        order = {u: i for i, u in enumerate(self.ix.units)}
        self.matters = sorted(self.ix.matters.values(), key=lambda m: order[m.unit])  # stable: file order
        self.matters = self.order()
        self.guides = {m.key: self.ix.guide_for(m) for m in self.matters}

    def label(self, vocab: str | None, value: str) -> str:
        if vocab is None:
            u = self.ix.units.get(value)
            return u.display_name if u else value
        if vocab in FIXED:
            return FIXED[vocab].get(value, value)
        return self.tax.label(vocab, value)

    def order(self) -> list[Matter]:
        """The matters in unit order, each 二级事项 right after its 一级事项 (the hierarchy the 一本通 prints)."""
        subs = self.ix.sub_matters
        sub_keys = {s.key for ms in subs.values() for s in ms}
        out: list[Matter] = []
        for m in self.matters:
            if m.key in sub_keys:
                continue
            out.append(m)
            out.extend(subs.get(m.key, []))
        return out

    def row(self, m: Matter) -> dict[str, Any]:
        """A catalog table row, with the facet values the filter script reads."""
        unit = self.ix.units[m.unit]
        return {
            "key": m.key, "name": m.name, "url": urls.matter_url(m.unit, m.id),
            "unit": m.unit, "unit_name": unit.display_name,
            "disclosure": m.disclosure, "domain": m.domain, "levels": m.levels, "category": m.category,
            "mode": m.mode,
            "disclosure_label": self.tax.label("disclosures", m.disclosure),
            "domain_label": self.tax.label("domains", m.domain),
            "levels_label": "、".join(self.tax.label("levels", lv) for lv in m.levels),
            "category_label": self.tax.label("categories", m.category),
            "mode_label": self.tax.label("modes", m.mode),
            "published": len(self.ix.items_by_matter.get(m.key, [])),
            "power": m.power or "", "power_label": self.tax.label("powers", m.power) if m.power else "",
            "tier": "sub" if m.key in self.sub_keys else "main",
            "has_guide": "yes" if self.guides[m.key] else "no",
        }

    @property
    def sub_keys(self) -> set[str]:
        keys = self.__dict__.get("_sub_keys")
        if keys is None:
            keys = self.__dict__["_sub_keys"] = {s.key for ms in self.ix.sub_matters.values() for s in ms}
        return keys

    def facet_values(self, m: Matter, key: str) -> list[str]:
        if key == "levels":
            return m.levels
        if key == "power":
            return [m.power] if m.power else []
        if key == "tier":
            return ["sub" if m.key in self.sub_keys else "main"]
        if key == "has_guide":
            return ["yes" if self.guides[m.key] else "no"]
        return [getattr(m, key)]

    def facets(self) -> list[dict[str, Any]]:
        """Every facet with its values, counts and the URL of its pre-filtered page."""
        out = []
        for key, segment, zh, vocab in FACETS:
            counts: dict[str, int] = {}
            for m in self.matters:
                for v in self.facet_values(m, key):
                    counts[v] = counts.get(v, 0) + 1
            if vocab is None:
                order = [u for u in self.ix.units if u in counts]
            elif vocab in FIXED:
                order = [v for v in FIXED[vocab] if v in counts]
            else:
                order = [t.id for t in self.tax.vocab(vocab) if t.id in counts]
            out.append({"key": key, "segment": segment, "title": zh, "values": [
                {"value": v, "label": self.label(vocab, v), "count": counts[v], "url": urls.facet_url(segment, v)}
                for v in order]})
        return out

    def emit(self) -> None:
        e = self.e
        rows = [self.row(m) for m in self.matters]
        facets = self.facets()
        meta = {"ColumnName": "政务公开事项清单", "ColumnType": "信息公开",
                "ColumnDescription": "全区各单位政务公开事项及其公开要素", "ColumnKeywords": "事项清单,公开标准目录"}
        e.add(PageSpec(urls.CATALOG, "政务公开事项清单", CATALOG, {
            "rows": rows, "facets": facets, "filter": None, "total": len(rows),
            "crumbs": crumbs(("事项清单", None)),
        }, meta, nav=(50, "事项清单")))
        for facet in facets:
            for v in facet["values"]:
                key = facet["key"]
                subset = [r for r in rows if (v["value"] in r[key] if key == "levels" else r[key] == v["value"])]
                title = f"事项清单 · {facet['title']}：{v['label']}"
                e.add(PageSpec(v["url"], title, CATALOG, {
                    "rows": subset, "facets": facets, "total": len(rows),
                    "filter": {"title": facet["title"], "label": v["label"], "key": key, "value": v["value"]},
                    "crumbs": crumbs(("事项清单", urls.CATALOG), (f"{facet['title']}：{v['label']}", None)),
                }, meta | {"ColumnName": title}))
        codes = qr_codes([self.base + urls.matter_url(m.unit, m.id) for m in self.matters],
                         e.cache / "qr" if e.cache else None)
        for m, code in zip(self.matters, codes, strict=True):
            e.add(self.matter_page(m))
            e.site.files.append(StaticFile(qr_path(m), code))
        self.handbooks()

    def elements(self, m: Matter) -> list[tuple[str, str]]:
        """All disclosure elements of a row, labelled."""
        unit = self.ix.units[m.unit]
        tax = self.tax
        return [
            ("事项名称", m.name),
            ("公开内容（要素）", m.content),
            ("公开依据", m.basis),
            ("公开时限", m.time_limit),
            ("公开主体", m.subject or unit.name),
            ("公开渠道和载体", "、".join(m.channels)),
            ("公开对象", tax.label("audiences", m.audience)),
            ("公开方式", tax.label("modes", m.mode)),
            ("公开层级", "、".join(tax.label("levels", lv) for lv in m.levels)),
            ("五公开类别", tax.label("disclosures", m.disclosure)),
            ("事项类别", tax.label("categories", m.category)),
            ("所属领域", tax.label("domains", m.domain)),
            *([("事项性质", tax.label("powers", m.power))] if m.power else []),
        ]

    def matter_page(self, m: Matter) -> PageSpec:
        ix = self.ix
        unit = ix.units[m.unit]
        guide = self.guides[m.key]
        published = ix.items_by_matter.get(m.key, [])
        parent = ix.matters.get(f"{m.unit}/{m.parent}") if m.parent else None
        data = {
            "matter": {"id": m.id, "name": m.name},
            "parent": {"name": parent.name, "url": urls.matter_url(parent.unit, parent.id)}
            if parent and m.key in self.sub_keys else None,
            "subs": [{"name": s.name, "url": urls.matter_url(s.unit, s.id)} for s in ix.sub_matters.get(m.key, [])],
            "elements": self.elements(m),
            "unit": {"name": unit.name, "url": ix.unit_urls[unit.id]},
            "guide": {"title": guide.title, "url": ix.item_urls[guide.id]} if guide else None,
            "entries": [self.e.entry(it) for it in published],
            "qr": "/" + qr_path(m),
            "public_url": self.base + urls.matter_url(m.unit, m.id),
            "handbook": urls.handbook_url(unit.id),
            "search": search_data([("unit", unit.display_name), ("column", "事项清单")],
                                  [("unit", unit.display_name)], None,
                                  " ".join([unit.name, unit.short_name or "", self.tax.label("domains", m.domain)])),
            "crumbs": crumbs(("事项清单", urls.CATALOG), (unit.display_name, urls.facet_url("unit", unit.id)),
                             (m.name, None)),
        }
        return PageSpec(urls.matter_url(m.unit, m.id), m.name, MATTER, data,
                        {"ColumnName": "政务公开事项清单", "ColumnType": "信息公开", "ArticleTitle": m.name,
                         "ContentSource": m.subject or unit.name})

    def handbooks(self) -> None:
        """一本通: the whole catalog grouped by domain then unit, and one handbook per unit."""
        ix, tax = self.ix, self.tax

        rows_of = {  # one row per matter, in the portal's handbook and in its unit's
            m.key: {"name": m.name, "elements": self.elements(m)[1:], "qr": "/" + qr_path(m),
                    "sub": m.key in self.sub_keys,
                    "url": urls.matter_url(m.unit, m.id), "public_url": self.base + urls.matter_url(m.unit, m.id)}
            for m in self.matters
        }

        domains = []
        for term in tax.domains:
            ms = [m for m in self.matters if m.domain == term.id]
            if not ms:
                continue
            groups = []
            for uid in dict.fromkeys(m.unit for m in ms):
                u = ix.units[uid]
                groups.append({"unit": u.name, "rows": [rows_of[m.key] for m in ms if m.unit == uid]})
            domains.append({"id": term.id, "title": term.name, "count": len(ms), "groups": groups})
        meta = {"ColumnName": "政务公开事项一本通", "ColumnType": "信息公开"}
        units_with = [u for u in ix.units.values() if ix.matters_by_unit.get(u.id)]
        e = self.e
        e.add(PageSpec(urls.handbook_url(), "政务公开事项一本通", HANDBOOK, {
            "title": "政务公开事项一本通", "issuer": ix.portal.name, "sections": domains, "total": len(self.matters),
            "units": [{"name": u.name, "url": urls.handbook_url(u.id), "count": len(ix.matters_by_unit[u.id])}
                      for u in units_with],
            "crumbs": crumbs(("事项一本通", None)),
        }, meta))
        for u in units_with:
            ms = [m for m in self.matters if m.unit == u.id]
            sections = []
            for term in tax.domains:
                rows = [rows_of[m.key] for m in ms if m.domain == term.id]
                if rows:
                    sections.append({"id": term.id, "title": term.name, "count": len(rows),
                                     "groups": [{"unit": u.name, "rows": rows}]})
            e.add(PageSpec(urls.handbook_url(u.id), f"{u.name}政务公开事项一本通", HANDBOOK, {
                "title": "政务公开事项一本通", "issuer": u.name, "sections": sections, "total": len(ms), "units": [],
                "crumbs": crumbs(("事项一本通", urls.handbook_url()), (u.display_name, None)),
            }, meta | {"ColumnName": f"{u.name}事项一本通"}))
