"""Links and images in item bodies, checked at `portal check` time against the content tree (E216).

An editor links to another item in one of two ways, both resolved when the page is built:

- by its id, written `@单位/栏目/文件名`: `[解读](@fgj/policies/2019-07-10-banfa)` (survives moving the
  linking file; the id is what `interprets:` uses too);
- by a path relative to the Markdown file: `[附件](files/a.pdf)`, `[办法](../policies/2019-07-10-banfa.md)`.

Anything else that looks like a content reference (a `content/units/…` path, an id without `@`, a
missing file) is reported at the Markdown source line and column with the form that would work.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote, urlsplit

from ..model.content import Source
from ..model.diagnostics import Diagnostic, diag
from ..util.suggest import closest

_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_CODE = re.compile(r"`[^`]*`")
_MD_LINK = re.compile(r"(!?)\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_HTML_LINK = re.compile(r"<(a|img)\b[^>]*?\s(?:href|src)\s*=\s*[\"']([^\"']+)[\"']", re.I)


def extract(body: str, first_line: int) -> list[tuple[str, int, int, bool]]:
    """(target, line, col, is_image) of every link and image in a Markdown body; code is skipped."""
    out = []
    fenced = False
    for n, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith("    "):
            continue
        text = _INLINE_CODE.sub(lambda m: " " * len(m.group()), line)
        for m in _MD_LINK.finditer(text):
            out.append((m.group(2), first_line + n, m.start(2) + 1, m.group(1) == "!"))
        for m in _HTML_LINK.finditer(text):
            out.append((m.group(2), first_line + n, m.start(2) + 1, m.group(1).lower() == "img"))
    return out


def check(ix, diags: list[Diagnostic]) -> None:
    """E216 for every body link or image that names no item or file of the content tree."""
    rels = {it.rel: it.id for it in ix.items.values()}
    for it in ix.items.values():
        base = posixpath.dirname(it.rel)
        for target, line, col, image in getattr(it, "links", ()):
            problem = _problem(ix, rels, base, target, image)
            if problem:
                diags.append(diag(Source(it.src.path, line, col), "E216", problem))


def _problem(ix, rels: dict[str, str], base: str, target: str, image: bool) -> str:
    parts = urlsplit(html.unescape(target))  # `&#106;avascript:` is a scheme (E110's business), not a file
    what = "图片" if image else "链接"
    own = parts.netloc.lower() == (ix.portal.domain or "").lower() and parts.scheme in ("http", "https")
    if own or (not parts.scheme and not parts.netloc and target.startswith("/")):
        return _site_path(ix, parts.path, target, what)
    if parts.scheme or parts.netloc or target.startswith("#"):
        return ""  # external links: `portal linkcheck --external` checks them
    path = unquote(parts.path)
    if path.startswith("@"):
        if path[1:] in ix.items:
            return ""
        hint = closest(path[1:], list(ix.items), n=1, cutoff=0.6)
        return f"{what}“{target}”：没有编号为“{path[1:]}”的文章" + (f"；您是否要写：“@{hint[0]}”？" if hint else "")
    resolved = posixpath.normpath(posixpath.join(base, path))
    if resolved in ix.assets or resolved in rels:
        return ""
    # the usual ways of naming content that do not work as a link
    for cand in (path.removeprefix("content/"), path.removesuffix(".md") + ".md"):
        if cand in rels:
            return f"{what}“{target}”不能这样写；链接到另一篇文章请写 @编号：“@{rels[cand]}”"
        if cand in ix.assets:
            return f"{what}“{target}”不能这样写；请写相对于本文件的路径：“{posixpath.relpath(cand, base)}”"
    if path.removesuffix("/") in ix.items:
        return f"{what}“{target}”：链接到另一篇文章请写 @编号：“@{path.removesuffix('/')}”"
    unit_dir = "/".join(base.split("/")[:2]) + "/"
    near = [posixpath.relpath(a, base) for a in ix.assets if a.startswith(unit_dir)]
    near += [posixpath.relpath(r, base) for r in rels if r.startswith(unit_dir)]
    hint = closest(path, near, n=1, cutoff=0.6)
    return f"{what}“{target}”指向的文件不存在（{resolved}）" + (f"；您是否要写：“{hint[0]}”？" if hint else "")


def _site_path(ix, path: str, target: str, what: str) -> str:
    """A link to a page of this portal by its URL: an item URL (/unit/column/slug/) must exist; other portal
    pages (lists, catalog, …) are left to `portal linkcheck`."""
    segs = [s for s in path.split("/") if s]
    columns = {c.id for c in ix.taxonomy.columns}
    if len(segs) < 3 or segs[0] not in ix.units or segs[-2] not in columns or segs[-1].isdigit():
        return ""
    by_url = ix.__dict__.setdefault("_by_url", {u: i for i, u in ix.item_urls.items()})
    url = "/" + "/".join(segs) + "/"
    if url in by_url:
        return ""
    hint = closest(url, list(by_url), n=1, cutoff=0.8)
    return (f"{what}“{target}”：门户中没有这个网址的文章"
            + (f"；您是否要写：“@{by_url[hint[0]]}”？" if hint else "；链接到另一篇文章请写 @编号"))


def source_of(ix, page: str, link: str) -> str:
    """`path:line:col` of the Markdown behind a broken link on a built item page ("" when not an item's).

    The page is found by its URL; the link by the last segment of what the editor wrote (the built link is
    rewritten relative to the page, so only its tail is comparable); failing that, the body's first line.
    """
    url = "/" + page.removesuffix("index.html")
    by_url = ix.__dict__.setdefault("_by_url", {u: i for i, u in ix.item_urls.items()})
    it = ix.items.get(by_url.get(url, ""))
    if it is None:
        return ""
    tail = urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1]
    for target, line, col, _ in getattr(it, "links", ()):
        written = urlsplit(target).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".md")
        if written and written == tail.removesuffix(".md"):
            return f"{it.src.path}:{line}:{col}"
    return f"{it.src.path}:{it.body_line}:1"
