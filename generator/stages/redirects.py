"""Legacy URLs of the 46 old sites: every old address gets exactly one answer (GOV.UK's transition model).

Sources: each unit's `legacy_sites` (old site root → the unit's page), each item's `legacy_urls` (→ the item),
and `content/redirects.yml` (extra mappings, and retired pages → 410 Gone with a page pointing to the unit's
new home). Outputs, all from the same table:

- an nginx snippet: `map $host$request_uri` (query strings included, e.g. /art.jsp?id=123) → 301 target or
  410, for a server block that `include`s it (see docs/transition.md);
- static redirect stubs inside site/ for old paths on the portal's own host (meta refresh, canonical link, a
  visible link), for static hosting without nginx;
- redirects.csv for review.

Validation (diagnostics at the mapping's source path:line): malformed old URL (E220), two mappings for one
old URL (E221), a target that is not a page of the site (E222), a target that is itself an old URL (a chain
or loop, E223), an old path on the portal host that is a live page (E224).
"""

from __future__ import annotations

import csv
import io
import posixpath
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote, urlsplit

from ..model.content import Portal, Source
from ..model.diagnostics import Diagnostic, diag
from ..model.urls import RESERVED
from .index import Index

MOVED, GONE = 301, 410


@dataclass(frozen=True)
class Mapping:
    """One old URL and its answer."""

    old: str  # normalized: host + path?query (no scheme, no fragment)
    status: int
    target: str | None  # public path of the new page (301)
    unit: str | None  # the unit whose home a 410 page points to
    src: Source
    origin: str  # legacy_sites | legacy_urls | redirects.yml
    wrote: str = ""  # the target as written (for messages)


def normalize(url: str) -> str | None:
    """host+path?query of an absolute http(s) URL, with non-ASCII percent-encoded; None if not one."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?") if parts.query else ""
    return host + path + (f"?{query}" if query else "")


def collect(ix: Index, pages: set[str] | None = None) -> tuple[list[Mapping], list[Diagnostic]]:
    """The validated mapping table; `pages` are the public URLs of the built site's pages (without them, as
    in `portal check`, only targets the index knows can be confirmed, and other paths are trusted)."""
    diags: list[Diagnostic] = []
    raw: list[tuple[str, int, str | None, str | None, Source, str, str]] = []
    for unit in ix.units.values():
        for i, url in enumerate(unit.legacy_sites):
            raw.append((url, MOVED, ix.unit_urls[unit.id], unit.id, unit.where("legacy_sites", i), "legacy_sites",
                        unit.id))
    for it in ix.items.values():
        for i, url in enumerate(it.legacy_urls):
            raw.append((url, MOVED, ix.item_urls[it.id], it.unit, it.where("legacy_urls", i), "legacy_urls", it.id))
    for r in ix.redirects or []:
        status, target = (GONE, None) if r.gone else (MOVED, _resolve(ix, r.new))
        raw.append((r.old, status, target, r.unit, r.where("old"), "redirects.yml", r.new or ""))

    table: dict[str, Mapping] = {}
    for url, status, target, unit, src, origin, wrote in raw:
        key = normalize(url)
        if key is None:
            diags.append(diag(src, "E220", f"“{url}”"))
            continue
        if key in table:
            diags.append(diag(src, "E221", f"“{url}”已在 {table[key].src} 映射"))
            continue
        table[key] = Mapping(key, status, target, unit, src, origin, wrote)

    own = ix.portal.domain.lower()
    olds = set(table)
    good: list[Mapping] = []
    for m in table.values():
        if m.status == MOVED:
            chained = m.target is not None and normalize(f"https://{own}{m.target}") in olds
            if chained:
                diags.append(diag(m.src, "E223", f"“{m.target}”本身也是旧网址"))
                continue
            if m.target is None or (pages is not None and m.target not in pages):
                diags.append(diag(m.src, "E222", f"“{m.wrote or m.target or '（空）'}”"))
                continue
        host, _, path = m.old.partition("/")
        live = ix.urls if pages is None else pages
        if host == own and "?" not in path and (_page_path("/" + path) in live or _portal_path(path)):
            diags.append(diag(m.src, "E224", f"“/{path}”"))
            continue
        good.append(m)
    return sorted(good, key=lambda m: m.old), diags


def _portal_path(path: str) -> bool:
    """The site root and the portal's own top-level sections are never old pages."""
    return path == "" or path.split("/", 1)[0] in RESERVED


def _resolve(ix: Index, new: str | None) -> str | None:
    """A redirects.yml target: item id, unit id, or a site path."""
    if not new:
        return None
    new = new.strip()
    if new in ix.item_urls:
        return ix.item_urls[new]
    if new in ix.unit_urls:
        return ix.unit_urls[new]
    if new.startswith("/"):
        return _page_path(new)
    return None


def _page_path(path: str) -> str:
    """/a/b, /a/b/ and /a/b/index.html all name the page /a/b/."""
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    if not path.endswith("/") and not posixpath.splitext(path)[1]:
        path += "/"
    return path


def nginx_conf(mappings: list[Mapping], base_url: str) -> str:
    """http-level maps: the 301 target and the 410 unit for each old host+URI."""
    longest = max((len(m.old.encode()) + len((base_url + (m.target or "")).encode()) for m in mappings), default=0)
    bucket = 64
    while bucket < longest + 32:
        bucket *= 2
    lines = [
        "# Generated by the portal build from content/ (legacy_sites, legacy_urls, redirects.yml).",
        "# Include at http level; in the server block of the old hosts see docs/transition.md.",
        "# Old URLs are long keys: the hash buckets are sized for the longest one.",
        f"map_hash_bucket_size {bucket};",
        "map $host$request_uri $portal_moved {",
        "    default \"\";",
    ]
    gone = []
    for m in mappings:
        if m.status == MOVED:
            lines.append(f"    {_q(m.old)} {_q(base_url + m.target)};")
        else:
            gone.append(m)
    lines += ["}", "", "map $host$request_uri $portal_gone {", "    default \"\";"]
    for m in gone:
        lines.append(f"    {_q(m.old)} {_q(m.unit or '_')};")
    lines += ["}", ""]
    return "\n".join(lines)


SERVER_SNIPPET = """# Include in the server block answering the old hosts (and the portal host), root = the site.
# The 410 pages live under /gone/, outside the location that answers old URLs: an error page is an
# internal redirect, and $request_uri (the map's key) would otherwise send it back to 410.
location /gone/ { }
location / {
    if ($portal_moved) { return 301 $portal_moved; }
    if ($portal_gone) { return 410; }
}
error_page 410 /gone/$portal_gone/index.html;
error_page 404 /404.html;
"""


def _q(value: str) -> str:
    """An nginx string: quoted, with quotes and backslashes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def stubs(mappings: list[Mapping], portal: Portal) -> list[tuple[str, str]]:
    """(site-relative file, HTML) redirect stubs for old paths on the portal's own host."""
    out = []
    for m in mappings:
        host, _, path = m.old.partition("/")
        if m.status != MOVED or host != portal.domain.lower() or "?" in path:
            continue
        if path.endswith("/") or not path:
            dest = path + "index.html"
        elif posixpath.splitext(path)[1].lower() in (".html", ".htm", ".shtml"):
            dest = path
        else:
            continue  # /art.jsp and friends need the server: nginx map only
        out.append((dest, stub_html(m.target or "/", portal)))
    return out


def stub_html(target: str, portal: Portal) -> str:
    """A redirect page that works without a server: meta refresh, canonical, a visible link, 47号 meta."""
    t = escape(target, quote=True)
    meta = "".join(f'<meta name="{k}" content="{escape(v, quote=True)}">\n' for k, v in
                   (("SiteName", portal.name), ("SiteDomain", portal.domain), ("SiteIDCode", portal.site_code)))
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<title>页面已迁移 - {escape(portal.name)}</title>\n{meta}<link rel="canonical" href="{t}">\n'
        f'<meta http-equiv="refresh" content="0; url={t}">\n<meta name="robots" content="noindex">\n'
        f'</head>\n<body>\n<p>本页面已迁移到{escape(portal.name)}：<a href="{t}">{t}</a></p>\n</body>\n</html>\n'
    )


def csv_text(mappings: list[Mapping], base_url: str, content: Path | None = None) -> str:
    """The table for review: old URL, status, new URL, source. With `content` (the content folder), sources
    are written relative to its parent (`content/units/…`), whatever the build's working directory: the file
    is part of the site, and two builds of one commit must be byte-identical wherever they run."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["old_url", "status", "new_url", "unit", "source", "origin"])
    rels: dict[str, str | None] = {}  # source file -> its path under content's parent (resolved once per file)
    for m in mappings:
        src = str(m.src)
        if content is not None:
            if m.src.path not in rels:
                path = Path(m.src.path)
                try:
                    rels[m.src.path] = (path if path.is_absolute() else Path.cwd() / path).resolve().relative_to(
                        content.parent).as_posix()
                except ValueError:
                    rels[m.src.path] = None
            if rels[m.src.path] is not None:
                src = f"{rels[m.src.path]}:{m.src.line}:{m.src.col}"
        w.writerow([m.old, m.status, base_url + m.target if m.target else "", m.unit or "", src, m.origin])
    return buf.getvalue()
