"""Editor Markdown → safe HTML: render, sanitize with an allowlist (nh3), rewrite relative links.

Items are rendered here rather than by MkDocs so that three things happen in one pass: the HTML is sanitized
(editors' raw HTML may carry scripts), links relative to the Markdown file are rewritten for the page's URL
(the item's sub-folder is not part of its URL), and results are cached by content hash across builds.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import nh3

from .fsio import write_atomic
from .safety import unsafe_url

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul", "video", "source", "track",
}
ALLOWED_ATTRS = {
    "*": {"id", "title", "lang"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type"},
    "details": {"open"},
    "video": {"src", "poster", "width", "height", "muted", "playsinline"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
}
#: Media elements load their sources only from the site itself (no request to another server, no tracking):
#: an absolute URL or a protocol-relative one is dropped, and every video shows its controls.
MEDIA_TAGS = frozenset({"video", "source", "track"})
#: Added to every video after cleaning (nh3's set_tag_attribute_values orders attributes differently from run
#: to run, and pages must be byte-identical between builds).
_VIDEO_OPEN = re.compile(r"<video(?=[\s>])")
#: Classes the theme styles (admonitions, footnotes, tables); everything else is dropped.
ALLOWED_CLASSES = {
    "div": {"admonition", "note", "tip", "warning", "danger", "info", "footnote", "table-wrap"},
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref", "headerlink"},
    "sup": {"footnote-ref"},
    "span": {"doc-number"},
    "details": {"note", "tip", "warning", "info"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_URL_ATTRS = {"href", "src", "poster"}


@dataclass
class Rendered:
    """Safe HTML of an item body plus its table of contents tokens (for MkDocs' page.toc)."""

    html: str
    toc_tokens: list = field(default_factory=list)


class Markup:
    """Renders Markdown with the site's extensions; one instance per build (Markdown objects are not shared)."""

    def __init__(self, extensions: list | None = None, configs: dict | None = None):
        self._md = markdown.Markdown(extensions=extensions or ["toc", "tables"], extension_configs=configs or {})
        # repr() of configured callables (the toc slugify) carries a memory address; drop it so the key is stable
        stable = re.sub(r" at 0x[0-9a-f]+", "", repr((extensions, configs)))
        self._key = hashlib.sha1(stable.encode()).hexdigest()[:12]

    def render(self, text: str, resolve: Callable[[str], str | None] | None = None,
               cache: Path | None = None) -> Rendered:
        """Markdown → sanitized HTML; `resolve` maps each relative URL to its rewritten form (None drops it).

        With `cache`, the Markdown conversion (the slow part) is kept by content hash across builds; sanitizing
        and link rewriting, which depend on the rest of the site, run every time.
        """
        html, toc_tokens = self.convert(text, cache)
        return Rendered(wrap_tables(sanitize(html, resolve)), toc_tokens)

    def convert(self, text: str, cache: Path | None = None) -> tuple[str, list]:
        """Markdown → unsanitized HTML and TOC tokens, through the content-hash cache when given."""
        path = None
        if cache is not None:
            key = self.cache_key(text)
            path = cache / key[:2] / f"{key}.pickle"
            try:
                with open(path, "rb") as f:
                    return pickle.load(f)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError):
                pass
        md = self._md
        md.reset()
        html = md.convert(text)
        toc_tokens = getattr(md, "toc_tokens", [])
        if path is not None:  # atomic: a killed writer leaves a stray temporary file, never a torn entry
            write_atomic(path, pickle.dumps((html, toc_tokens), protocol=pickle.HIGHEST_PROTOCOL))
        return html, toc_tokens

    def prune(self, cache: Path, texts: list[str]) -> int:
        """Delete cache entries no text of this build uses (the cache never outgrows the site); returns how many."""
        keep = {f"{self.cache_key(t)}.pickle" for t in texts}
        removed = 0
        try:
            folders = list(os.scandir(cache))
        except OSError:
            return 0
        for folder in folders:
            if not folder.is_dir():
                continue
            for entry in os.scandir(folder.path):
                if entry.name not in keep:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                        removed += 1
        return removed

    def cache_key(self, text: str) -> str:
        """A key for the rendered form of `text` under this configuration (and this Markdown version)."""
        return hashlib.sha1((self._key + markdown.__version__ + text).encode("utf-8")).hexdigest()


_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>")
TABLE_WRAP = '<div class="table-wrap" role="region" aria-label="表格（可左右滑动）" tabindex="0">'


def wrap_tables(html: str) -> str:
    """Wrap each outermost body table in a scroll container: a wide table scrolls inside the content column
    instead of widening the page (a phone would scroll the whole page sideways). Added after sanitizing, so
    the wrapper's role/tabindex (a keyboard-scrollable region) are ours, not an editor's."""
    out, depth, pos = [], 0, 0
    for m in _TABLE_TAG.finditer(html):
        closing = bool(m.group(1))
        if not closing:
            if depth == 0:
                out.append(html[pos:m.start()] + TABLE_WRAP)
                pos = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                out.append(html[pos:m.end()] + "</div>")
                pos = m.end()
    out.append(html[pos:])
    return "".join(out)


def _is_relative(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith(("/", "#"))


def is_local(url: str) -> bool:
    """A URL on this site: not empty, no scheme and no host, read as a browser reads it (control characters
    and whitespace dropped, `\\` taken as `/`, so `\\\\host/x` is the other server `//host/x`)."""
    u = re.sub(r"[\x00-\x20\x7f]", "", url).replace("\\", "/")
    first = u.split("/", 1)[0]
    return bool(u) and not u.startswith("//") and ":" not in first and not urlsplit(u).netloc


def sanitize(html: str, resolve: Callable[[str], str | None] | None = None) -> str:
    """Allowlist-sanitize an HTML fragment; relative URLs pass through `resolve` when given."""

    def attr_filter(tag: str, attr: str, value: str) -> str | None:
        if attr not in _URL_ATTRS:
            return value
        # nh3 already refuses javascript:/data: schemes; control characters smuggled into them go too.
        if unsafe_url(value):
            return None
        if tag in MEDIA_TAGS and not is_local(value):
            return None
        if resolve is not None and _is_relative(value):
            return resolve(value)
        return value

    out = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, url_schemes=URL_SCHEMES, link_rel=None,
        allowed_classes=ALLOWED_CLASSES, attribute_filter=attr_filter, strip_comments=True,
        clean_content_tags={"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math"},
    )
    if "<video" in out:  # after cleaning, `<video` can only be the element (text has `&lt;`)
        out = _VIDEO_OPEN.sub('<video controls preload="metadata"', out)
    return out


def link_resolver(base_dir: str, page_url: str, targets: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """A resolver for links written relative to a Markdown file in content/.

    `base_dir` is the file's folder (content-relative), `page_url` the page's public URL, and `targets` maps a
    content-relative path to a public URL (asset or item) or None. Unknown targets are kept as written so the
    link checker reports them.
    """

    def resolve(url: str) -> str | None:
        parts = urlsplit(url)
        if parts.path.startswith("@"):  # an item by its id: the same link wherever the linking file lives
            path = parts.path
        else:
            path = posixpath.normpath(posixpath.join(base_dir, parts.path)) if parts.path else ""
        target = targets(path) if path else None
        if target is None:
            return url
        rel = relative_url(page_url, target)
        if parts.query:
            rel += "?" + parts.query
        if parts.fragment:
            rel += "#" + parts.fragment
        return rel

    return resolve


def relative_url(from_url: str, to_url: str) -> str:
    """Relative link from one public URL (a directory URL ending in /) to another."""
    base = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath(to_url, base)
    if to_url.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel
