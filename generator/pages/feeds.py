"""Atom feeds (portal-wide, per unit, per column) and sitemaps, as bytes; absolute URLs from portal.yml."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from ..model import urls
from .base import Context, StaticFile, builder

if TYPE_CHECKING:
    from ..model.content import Item, Portal
    from ..stages.index import Index

FEED_SIZE = 30
SITEMAP_LIMIT = 50_000
TZ = "+08:00"  # China Standard Time; dates in content are local


def base_url(portal: Portal) -> str:
    """https://domain — no trailing slash."""
    return f"{portal.scheme}://{portal.domain.strip('/')}"


def unit_feed_path(unit_id: str) -> str:
    """Site-relative path of a unit's feed."""
    return f"feeds/units/{unit_id}.xml"


def column_feed_path(column_id: str) -> str:
    """Site-relative path of a column's portal-wide feed."""
    return f"feeds/columns/{column_id}.xml"


def _stamp(d: dt.datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:00") + TZ


def atom(portal: Portal, feed_path: str, title: str, page_url: str, entries: list[dict[str, Any]]) -> bytes:
    """One Atom 1.0 feed (RFC 4287)."""
    base = base_url(portal)
    updated = _stamp(entries[0]["date"]) if entries else "2000-01-01T00:00:00" + TZ
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"  <title>{escape(title)}</title>",
        f"  <id>{escape(base + '/' + feed_path)}</id>",
        f"  <link rel=\"self\" href={quoteattr(base + '/' + feed_path)}/>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(base + page_url)}/>",
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(portal.sponsor)}</name></author>",
        "  <generator>portal-generator</generator>",
    ]
    for e in entries:
        url = base + e["url"]
        out += [
            "  <entry>",
            f"    <title>{escape(e['title'])}</title>",
            f"    <id>{escape(url)}</id>",
            f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
            f"    <updated>{_stamp(e['date'])}</updated>",
            f"    <published>{_stamp(e['date'])}</published>",
            f"    <author><name>{escape(e['author'])}</name></author>",
        ]
        if e["summary"]:
            out.append(f"    <summary>{escape(e['summary'])}</summary>")
        out.append("  </entry>")
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def feeds(ix: Index, entry: Callable[[Item], dict[str, Any]]) -> list[StaticFile]:
    """The portal-wide feed, one per unit (departments and streets) and one per column."""
    portal = ix.portal
    files = [StaticFile("feeds/all.xml", atom(portal, "feeds/all.xml", f"{portal.name} · 最新信息", "/",
                                              [entry(it) for it in itertools.islice(ix.items.values(), FEED_SIZE)]))]
    for unit in ix.units.values():
        its = ix.by_unit.get(unit.id, [])[:FEED_SIZE]
        path = unit_feed_path(unit.id)
        files.append(StaticFile(path, atom(portal, path, f"{unit.name} · 最新信息", ix.unit_urls[unit.id],
                                           [entry(it) for it in its])))
    for column in ix.taxonomy.columns:
        its = ix.by_column.get(column.id, [])[:FEED_SIZE]
        path = column_feed_path(column.id)
        files.append(StaticFile(path, atom(portal, path, f"{portal.name} · {column.name}",
                                           urls.column_url(column.id), [entry(it) for it in its])))
    return files


@builder(order=100)
def feed_files(ctx: Context) -> None:
    """The feeds, as static files of the site."""
    ix = ctx.ix

    def entry(it: Item) -> dict[str, Any]:
        return {"id": it.id, "title": it.title, "url": ix.item_urls[it.id], "date": it.date,
                "summary": it.summary or "", "author": it.source or ix.units[it.unit].name}

    ctx.site.files += feeds(ix, entry)


def sitemaps(portal: Portal, pages: Iterable[tuple[str, str | None]]) -> list[tuple[str, bytes]]:
    """sitemap.xml, or a sitemap index plus sitemap-N.xml files past 50,000 URLs."""
    base = base_url(portal)
    rows = [f"  <url><loc>{escape(base + url)}</loc>" + (f"<lastmod>{day}</lastmod>" if day else "") + "</url>"
            for url, day in pages]
    head = '<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    if len(rows) <= SITEMAP_LIMIT:
        return [("sitemap.xml", (head + "\n".join(rows) + "\n</urlset>\n").encode("utf-8"))]
    out = []
    index = ['<?xml version="1.0" encoding="utf-8"?>',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for n, start in enumerate(range(0, len(rows), SITEMAP_LIMIT), 1):
        name = f"sitemap-{n}.xml"
        out.append((name, (head + "\n".join(rows[start:start + SITEMAP_LIMIT]) + "\n</urlset>\n").encode("utf-8")))
        index.append(f"  <sitemap><loc>{escape(base + '/' + name)}</loc></sitemap>")
    index.append("</sitemapindex>")
    out.append(("sitemap.xml", ("\n".join(index) + "\n").encode("utf-8")))
    return out
