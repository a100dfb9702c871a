"""Fast page rendering: most pages (items, lists, units, catalog rows) are written by the plugin, not MkDocs.

Rendering Material's base.html costs ~2.5 ms a page, almost all of it in parts that are the same on every
page (header, tabs, nav, footer, scripts). So each page is split into a *shell* and three *slots*:
`site_meta` (meta tags, canonical link), `htmltitle` and `content`. A shell is the full template rendered
once with `portal_shell` set, which makes the slot blocks print markers; the slots are rendered per page with
the same blocks of the same templates. Two pages share a shell when every relative link of the shell comes
out the same for both: same depth, and the same common prefix with each link target.

The output is the same as MkDocs rendering each page through Material's templates: a test builds the demo
both ways (`fast_render: false` in the plugin's options) and compares every page byte for byte. The shells
depend on how Material's base.html reads `page` outside the slots, so the fast path is used only with the
versions it was verified against (`VERIFIED`); with any other version the plugin warns once and lets MkDocs
render every page.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.commands.build import get_context

from ..util.fsio import write_atomic

#: The versions the shell/slot split was verified against (tests/test_render.py).
VERIFIED = {"mkdocs": "1.6.1", "mkdocs-material": "9.8.2"}

SLOT = "\x00portal-slot:{}\x00"
_SLOT_RE = re.compile("\x00portal-slot:(\\w+)\x00")
_EXTENDS = re.compile(r"""\{%-?\s*extends\s+["']([^"']+)["']""")
_LINK = re.compile(r"""(?:href|src)="([^"#][^"]*)\"""")
SLOTS = ("site_meta", "htmltitle", "content")


def unverified_versions() -> str:
    """'' when the installed MkDocs and Material are the verified versions, else what differs."""
    from importlib.metadata import PackageNotFoundError, version

    drift = []
    for dist, wanted in VERIFIED.items():
        try:
            found = version(dist)
        except PackageNotFoundError:
            found = "none"
        if found != wanted:
            drift.append(f"{dist} {wanted} (installed: {found})")
    return ", ".join(drift)


def item_body(markup: Any, spec: Any, links: dict[str, str], md_cache: Path | None = None
              ) -> tuple[str, list[dict[str, Any]]]:
    """An item's sanitized body and its table of contents (h2/h3), for either render path."""
    from ..util.markup import link_resolver

    it = spec.item
    resolve = link_resolver(posixpath.dirname(it.rel), spec.url, links.get)
    rendered = markup.render(it.body, resolve, cache=md_cache)
    toc = []
    for tok in rendered.toc_tokens:
        toc.append({"id": tok["id"], "name": tok["name"], "level": tok["level"]})
        toc += [{"id": c["id"], "name": c["name"], "level": c["level"]} for c in tok.get("children", [])
                if c["level"] <= 3]
    return rendered.html, toc


class _Shell:
    """The `portal_shell` template variable: slot blocks print a marker."""

    def slot(self, name: str) -> str:
        return SLOT.format(name)


@dataclass
class FastPage:
    """What the templates read from `page` for a page MkDocs does not render."""

    url: str  # MkDocs style: "fgj/news/x/" (no leading slash); "" for the home page
    title: str
    meta: dict[str, Any]
    canonical_url: str
    content: str = ""
    portal_toc: list[dict[str, Any]] = field(default_factory=list)
    toc: list = field(default_factory=list)
    is_homepage: bool = False
    previous_page: Any = None
    next_page: Any = None
    active: bool = False
    edit_url: str | None = None
    is_page: bool = True
    ancestors: list = field(default_factory=list)


class FastRenderer:
    """Renders pages from shells and slots with the site's Jinja environment."""

    def __init__(self, env: Any, config: Any, nav: Any, files: Any):
        self.env, self.config, self.nav = env, config, nav
        # get_context() filters Files for documentation pages on every call: O(files) per page; do it once
        self.files = files.documentation_pages() if hasattr(files, "documentation_pages") else files
        self.features = config.theme.get("features") or []
        self._chains: dict[str, list[Any]] = {}
        self._shells: dict[tuple, list[str]] = {}
        self._targets: list[list[str]] | None = None
        self._lang: Any = None
        self.site_url = (config.site_url or "/").rstrip("/") + "/"

    # ------------------------------------------------------------------ pages and contexts

    def page(self, spec: Any, content: str = "", toc: list | None = None) -> FastPage:
        """The page object for a spec."""
        url = spec.url.lstrip("/")
        meta = {"template": spec.template, "title": spec.title, "hide": ["navigation", "toc"]}
        return FastPage(url=url, title=spec.title, meta=meta, canonical_url=self.site_url + url,
                        content=content, portal_toc=toc or [], is_homepage=url == "")

    def context(self, spec: Any, page: FastPage) -> dict[str, Any]:
        """What MkDocs and the plugin put in a page's template context."""
        ctx = dict(get_context(self.nav, self.files, self.config, page))
        ctx.update(spec=spec, d=spec.data, features=self.features)
        if self._lang is None:  # Material's translation macros read only `config`: one module serves every page
            self._lang = self.env.get_template("partials/language.html").make_module(ctx)
        ctx["lang"] = self._lang
        return ctx

    def chain(self, name: str) -> list[Any]:
        """A template and its ancestors (`{% extends %}`), most derived first."""
        chain = self._chains.get(name)
        if chain is None:
            chain, current = [], name
            while current:
                chain.append(self.env.get_template(current))
                source, _, _ = self.env.loader.get_source(self.env, current)
                m = _EXTENDS.search(source)
                current = m.group(1) if m else ""
            self._chains[name] = chain
        return chain

    def block(self, template: str, name: str, ctx: dict[str, Any]) -> str:
        """Render one block of a template (with `super()` reaching the ancestors' blocks)."""
        chain = self.chain(template)
        jctx = chain[0].new_context(ctx)
        for parent in chain[1:]:
            for bname, fn in parent.blocks.items():
                jctx.blocks.setdefault(bname, []).append(fn)
        return "".join(jctx.blocks[name][0](jctx))

    # ------------------------------------------------------------------ shells

    def _key(self, url: str) -> tuple:
        parts = [p for p in url.split("/") if p]
        if self._targets is None:
            return (len(parts),)
        prefixes = []
        for target in self._targets:
            n = 0
            while n < len(parts) and n < len(target) and parts[n] == target[n]:
                n += 1
            prefixes.append(n)
        return (len(parts), *prefixes)

    def shell(self, spec: Any, page: FastPage, ctx: dict[str, Any]) -> list[str]:
        """The shell for this page's key: static text with slot names at odd positions."""
        key = (spec.template, *self._key(page.url))
        segments = self._shells.get(key)
        if segments is None:
            html = self.chain(spec.template)[0].render({**ctx, "portal_shell": _Shell()})
            segments = _SLOT_RE.split(html)
            if self._targets is None:
                self._targets = self._link_targets(page.url, segments)
                key = (spec.template, *self._key(page.url))
            self._shells[key] = segments
        return segments

    def _link_targets(self, url: str, segments: list[str]) -> list[list[str]]:
        """Every relative link of a shell, resolved to site path segments (what the shell key compares)."""
        base = "/" + url
        targets = set()
        for text in segments[::2]:
            for link in _LINK.findall(text):
                if "://" in link or link.startswith(("/", "mailto:", "tel:", "data:", "javascript:")):
                    continue
                path = posixpath.normpath(posixpath.join(base, link.split("#")[0].split("?")[0]))
                targets.add(tuple(p for p in path.split("/") if p))
        return [list(t) for t in sorted(targets)]

    # ------------------------------------------------------------------ rendering

    def render(self, spec: Any, content: str = "", toc: list | None = None) -> str:
        """A page from its shell and slots."""
        page = self.page(spec, content, toc)
        ctx = self.context(spec, page)
        segments = self.shell(spec, page, ctx)
        out = []
        for i, seg in enumerate(segments):
            out.append(seg if i % 2 == 0 else self.block(spec.template, seg, ctx))
        return "".join(out)

    def render_reference(self, spec: Any, content: str = "", toc: list | None = None) -> str:
        """The same page rendered whole by its template (what MkDocs would write); for tests."""
        page = self.page(spec, content, toc)
        return self.chain(spec.template)[0].render(self.context(spec, page))

    def write(self, spec: Any, site_dir: str | Path, content: str = "", toc: list | None = None) -> None:
        """Render and write a page to <site_dir>/<url>/index.html."""
        html = self.render(spec, content, toc)
        rel = spec.url.strip("/")
        path = Path(site_dir) / rel / "index.html" if rel else Path(site_dir) / "index.html"
        data = html.encode("utf-8", errors="xmlcharrefreplace")
        try:
            if path.read_bytes() == data:
                return  # unchanged: keep the file (and its mtime) for servers and incremental rebuilds
        except OSError:
            pass
        write_atomic(path, data)


# --------------------------------------------------------------------------- the whole set, on two cores


@dataclass
class FastJob:
    """Everything the workers need to write the fast pages."""

    renderer: FastRenderer
    specs: list[Any]
    site_dir: str
    markup: Any  # markup.Markup
    links: dict[str, str]  # content-relative path -> public URL (for item bodies)
    md_cache: Path | None = None

    def body(self, spec: Any) -> tuple[str, list[dict[str, Any]]]:
        """An item's sanitized body and its table of contents (h2/h3)."""
        return item_body(self.markup, spec, self.links, self.md_cache)


_JOB: FastJob | None = None


def _work(part_and_parts: tuple[int, int]) -> int:
    part, parts = part_and_parts
    job = _JOB
    assert job is not None
    n = 0
    for spec in job.specs[part::parts]:
        content, toc = job.body(spec) if spec.item is not None else ("", [])
        job.renderer.write(spec, job.site_dir, content, toc)
        n += 1
    return n


def render_all(job: FastJob, jobs: int | None = None) -> int:
    """Write every fast page, in forked worker processes (one per core) when there is more than one."""
    global _JOB
    jobs = jobs or min(2, os.cpu_count() or 1)
    _JOB = job
    try:
        if jobs <= 1 or len(job.specs) < 200:
            return _work((0, 1))
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return sum(pool.map(_work, [(i, jobs) for i in range(jobs)]))
    finally:
        _JOB = None
