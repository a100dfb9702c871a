"""Public URLs, derived from ids only (so they are stable): the one place that knows the URL scheme.

    /<unit>/                             unit page (department or street)
    /<street>/<community>/               community page
    <unit-url><column>/                  column list of a unit (page 1), then page/N/, and <year>/
    <unit-url><column>/<slug>/           item page
    /columns/<column>/                   portal-wide column list
    /catalog/<unit>/<matter-id>/         one row of the disclosure catalog (事项清单)
    /catalog/by/<facet>/<value>/         the catalog filtered by one facet (works without JavaScript)
    /handbook/, /handbook/<unit>/        the printable catalog (一本通), whole and per unit
    /reports/<year>/                     which units filed their 年报 for a year
    /interact/, /interact/<unit>/        互动交流 (messages and consultations), portal-wide and per unit
    /interact/by/<facet>/<value>/        互动交流 filtered by category, status or year (works without JavaScript)
    /newmedia/                           政务新媒体 registry, by unit and platform
    /topics/, /topics/<topic>/           专题专栏
    /directory/, /units/, /columns/, /catalog/, /stats/, /search/   landing pages
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: Top-level paths the portal itself uses; no unit id may take one of them.
RESERVED = frozenset({
    "404", "assets", "by", "catalog", "columns", "directory", "feeds", "gone", "handbook", "index", "inspection",
    "javascripts", "legacy", "pagefind", "redirects", "reports", "search", "search-index", "sitemap", "static", "stats",
    "stylesheets", "units", "page", "zfxxgk", "interact", "newmedia", "topics", "wuzhangai",
})
#: 专题 ids that would collide with pages under /topics/.
RESERVED_TOPICS = frozenset({"page", "feed"})

#: Landing pages (the only place their URLs are spelled out).
DIRECTORY = "/directory/"
UNITS = "/units/"
COLUMNS = "/columns/"
CATALOG = "/catalog/"
STATS = "/stats/"
SEARCH = "/search/"
INSPECTION = "/inspection/"
REPORTS = "/reports/"
INTERACT = "/interact/"
NEWMEDIA = "/newmedia/"
TOPICS = "/topics/"
XXGK = "/zfxxgk/"
ACCESSIBILITY = "/wuzhangai/"  # 无障碍声明

_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


def unit_url(unit_id: str, street: str | None = None) -> str:
    """URL of a unit page (communities live under their street)."""
    return f"/{street}/{unit_id}/" if street else f"/{unit_id}/"


def unit_column_url(unit_url_: str, column: str) -> str:
    """A unit's list of one column (page 1)."""
    return f"{unit_url_}{column}/"


def item_url(unit_url_: str, column: str, slug: str) -> str:
    """URL of an item page."""
    return f"{unit_column_url(unit_url_, column)}{slug}/"


def list_url(base: str, page: int = 1, year: int | None = None) -> str:
    """URL of a list page under a base (year archive and/or page number)."""
    url = base
    if year is not None:
        url += f"{year}/"
    if page > 1:
        url += f"page/{page}/"
    return url


def column_url(column: str) -> str:
    """Portal-wide list of one column."""
    return f"/columns/{column}/"


def matter_url(unit: str, matter_id: str) -> str:
    """Page of one disclosure-catalog row."""
    return f"/catalog/{unit}/{matter_id.lower()}/"


def facet_url(segment: str, value: str) -> str:
    """URL of a pre-filtered catalog page (the JavaScript-off filter)."""
    return f"/catalog/by/{segment}/{value}/"


def handbook_url(unit: str | None = None) -> str:
    """The printable catalog: the whole portal's, or one unit's."""
    return f"/handbook/{unit}/" if unit else "/handbook/"


def directory_url(level: str | None = None) -> str:
    """The 政府信息公开目录, whole or for one level (区/街道/社区)."""
    return f"{DIRECTORY}{level}/" if level else DIRECTORY


def stats_url(page: str | None = None) -> str:
    """The statistics overview or one of its pages."""
    return f"{STATS}{page}/" if page else STATS


def reports_url(year: int | None = None) -> str:
    """The 年报 roll-up: the index of years, or one year."""
    return f"{REPORTS}{year}/" if year else REPORTS


def interact_url(unit: str | None = None, facet: str | None = None, value: str | None = None) -> str:
    """互动交流: the portal-wide page, one unit's, or the portal filtered by one facet (category, status, year)."""
    if facet:
        return f"{INTERACT}by/{facet}/{value}/"
    return f"{INTERACT}{unit}/" if unit else INTERACT


def topic_url(topic: str | None = None) -> str:
    """The 专题 index, or one 专题."""
    return f"{TOPICS}{topic}/" if topic else TOPICS
def xxgk_url(page: str | None = None) -> str:
    """The 政府信息公开 area: its landing page or one of its pages (zhinan, yishenqing, fading)."""
    return f"{XXGK}{page}/" if page else XXGK


def unit_xxgk_url(unit_url_: str) -> str:
    """A unit's 政府信息公开 page (its 指南 and statutory items)."""
    return f"{unit_url_}xxgk/"


def gone_url(unit: str) -> str:
    """The 410 page of a unit's retired old pages."""
    return f"/gone/{unit}/"


def url_to_path(url: str) -> str:
    """Output file (relative to the site root) of a directory URL."""
    return url.strip("/") + "/index.html" if url != "/" else "index.html"


def slugify(title: str, date: str = "", taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A valid, stable, unique file slug from a title: ASCII words kept, else a short hash of the title.

    Chinese titles have no ASCII words worth keeping, so the slug is `<date>-<6 hex of the title>`; the same
    title and date always give the same slug. A clash with `taken` adds -2, -3, …
    """
    t = unicodedata.normalize("NFKC", title).lower()
    words = _SLUG_CHARS.sub("-", t).strip("-")
    words = "-".join(w for w in words.split("-") if w)[:40].strip("-")
    digest = hashlib.sha1(title.encode("utf-8")).hexdigest()[:6]
    parts = [p for p in (date, words if len(words) >= 3 else "", digest) if p]
    base = "-".join(parts)
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug
