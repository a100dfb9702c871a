"""The MkDocs plugin: a thin router from MkDocs events to the pipeline stages.

on_config runs load → validate → index → emit once per build and sets the nav; on_files hands every generated
page and static file to MkDocs; page events pick the template and put the page's data in its context. A new
plugin instance is created for each (re)build, so nothing accumulates across `mkdocs serve` reloads.
"""

from __future__ import annotations

import gc
import logging
import posixpath
import time
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import feeds, redirects, urls
from .cache import CheckCache
from .clock import reference_date
from .diagnostics import format_text
from .emit import PageSpec, Site, emit
from .fastrender import FastJob, FastRenderer, render_all
from .markup import Markup
from .pipeline import Checked, check
from .search import SearchPage, SearchReport, index_site

log = logging.getLogger("mkdocs.plugins.portal")

#: Page templates written by the fast renderer (pages outside the nav); see fastrender.py.
FAST_TEMPLATES = {"item.html", "list.html", "matter.html", "unit.html"}

#: Page templates whose pages are search results (the others are navigation).
SEARCHABLE = {"item.html", "unit.html", "matter.html"}


class PortalConfig(base.Config):
    """Options under `plugins: - portal:` in mkdocs.yml."""

    content_dir = c.Type(str, default="content")
    keep_going = c.Type(bool, default=False)
    strict_policy = c.Type(bool, default=False)
    search = c.Type(bool, default=True)  # index with Pagefind after the build (skipped by `mkdocs serve`)
    search_max_pages = c.Type(int, default=2000)  # pages per Pagefind process (memory bound)


class PortalPlugin(BasePlugin[PortalConfig]):
    """Builds the consolidated portal from content/ inside an MkDocs build."""

    def __init__(self) -> None:
        self.checked: Checked | None = None
        self.site: Site | None = None
        self.specs: dict[str, PageSpec] = {}
        self.markup: Markup | None = None
        self.fast: list[PageSpec] = []
        self.fast_pages = 0
        self.env: Any = None
        self.nav: Any = None
        self.files: Any = None
        self.content_dir = Path("content")
        self.command: str | None = None
        self.search_report: SearchReport | None = None
        self.check_cache: CheckCache | None = None  # set by `portal serve` (devserver.py)
        self.nav_urls: set[str] | None = None
        self.extra_urls: list[str] = []
        self.taken: set[str] = set()
        self.renderer: FastRenderer | None = None
        self.redirect_count = 0
        self.timings: dict[str, float] = {}  # phase -> seconds: check, emit, mkdocs, pages, search
        self._phase_name, self._phase_t0 = "", 0.0

    # ------------------------------------------------------------------ config and files

    def _phase(self, name: str) -> None:
        """Close the running phase and start `name` (timings for `portal build`'s summary line)."""
        now = time.perf_counter()
        if self._phase_name:
            self.timings[self._phase_name] = self.timings.get(self._phase_name, 0.0) + now - self._phase_t0
        self._phase_name, self._phase_t0 = name, now

    def on_config(self, config: Any) -> Any:
        self._phase("check")
        root = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = (root / self.config.content_dir).resolve()
        checked = check(self.content_dir, strict_policy=self.config.strict_policy, display_base=Path.cwd(),
                        cache=self.check_cache, today=reference_date())
        self.checked = checked
        if checked.diagnostics:
            text = format_text(checked.diagnostics)
            (log.warning if checked.errors else log.info)("内容检查：\n%s", text)
        if checked.index is None or (checked.errors and not self.config.keep_going):
            raise PluginError(f"内容有 {len(checked.errors)} 处错误（见上方各行的规则编号），"
                              "请修改后重试，或用 --keep-going 跳过有错误的文件")
        ix = checked.index
        # Caches belong to the content tree (like the check cache), so two trees never evict each other's.
        self.cache_dir = self.content_dir.parent / ".cache" / "portal"
        self.markup = Markup(list(config.markdown_extensions), dict(config.mdx_configs))
        self._phase("emit")
        self.site = emit(ix, checked.diagnostics, self.cache_dir)
        # The index and the page specs live until the end of the build: move them out of the cyclic GC's
        # sight. Otherwise every full collection rescans them, in this process and in every forked worker
        # (measured at 20,000 items: the search phase took 97 s in the build against 50 s on its own).
        gc.collect()
        gc.freeze()
        self._phase("mkdocs")
        config.nav = self.site.nav
        config.site_name = ix.portal.name
        config.site_url = feeds.base_url(ix.portal) + "/"
        config.site_description = ix.portal.description
        config.copyright = f"主办：{ix.portal.sponsor}　承办：{ix.portal.organizer}"
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        assert self.site is not None and self.checked is not None and self.checked.index is not None
        self.fast = []
        for spec in self.site.pages:
            self.specs[spec.src_uri] = spec
            if self.is_fast(spec):
                self.fast.append(spec)  # written by the fast renderer in on_post_build
            else:
                files.append(File.generated(config, spec.src_uri, content=""))
        self.extra_urls = ["/" + f.url for f in files.documentation_pages() if f.src_uri not in self.specs]
        for f in self.site.files:
            if f.content is not None:
                files.append(File.generated(config, f.dest, content=f.content))
            else:
                files.append(File.generated(config, f.dest, abs_src_path=f.source))
        self.taken = {f.dest_uri for f in files}
        for dest, content in self.outputs().items():
            files.append(File.generated(config, dest, content=content))
        return files

    def is_fast(self, spec: PageSpec) -> bool:
        """Whether the fast renderer writes this page (pages outside the nav with a fast template)."""
        assert self.site is not None
        if self.nav_urls is None:
            self.nav_urls = {"/" + posixpath.dirname(p).strip("/") + "/" if p != "index.md" else "/"
                             for entry in self.site.nav for p in entry.values()}
        return spec.template in FAST_TEMPLATES and spec.url not in self.nav_urls

    def outputs(self) -> dict[str, str]:
        """Files computed from the whole page set: sitemaps and the legacy-URL outputs (nginx maps, the
        server snippet, the review CSV, redirect stubs); dest -> text, leaving out dests already taken."""
        assert self.site is not None and self.checked is not None and self.checked.index is not None
        ix = self.checked.index
        out = dict(feeds.sitemaps(ix.portal, self.site.sitemap_entries(self.extra_urls)))
        pages = {p.url for p in self.site.pages} | set(self.extra_urls)
        mappings, diags = redirects.collect(ix, pages)
        errors = [d for d in diags if d.severity == "error" and d not in self.checked.diagnostics]
        if errors:
            log.warning("portal redirects:\n%s", format_text(errors))
            if not self.config.keep_going:
                raise PluginError(f"portal: {len(errors)} redirect error(s)")
        base = feeds.base_url(ix.portal)
        extra = {
            "redirects/nginx.conf": redirects.nginx_conf(mappings, base),
            "redirects/server.conf": redirects.SERVER_SNIPPET,
            "redirects/redirects.csv": redirects.csv_text(mappings, base, self.content_dir),
        }
        extra.update(redirects.stubs(mappings, ix.portal))
        out.update((dest, text) for dest, text in extra.items() if dest not in self.taken)
        self.redirect_count = len(mappings)
        return out

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        assert self.checked is not None and self.checked.index is not None
        self.env = env
        ix = self.checked.index
        env.globals["portal"] = ix.portal
        url_filter = env.filters["url"]

        @pass_context
        def link(context: Any, value: str) -> str:
            """Public URL (/x/y/) → the page-relative link MkDocs' `url` filter makes of x/y/."""
            return url_filter(context, value.lstrip("/"))

        env.filters["link"] = link
        return env

    # ------------------------------------------------------------------ pages

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return markdown
        page.meta["template"] = spec.template
        page.meta["title"] = spec.title
        page.meta["hide"] = ["navigation"]  # the header tabs are the navigation; content gets the width
        return ""  # generated pages are laid out by their template; item bodies are rendered below

    def on_page_context(self, context: dict, page: Any, config: Any, nav: Any) -> dict:
        spec = self.specs.get(page.file.src_uri)
        if spec is not None:
            context["spec"] = spec
            context["d"] = spec.data
            if not list(page.toc):
                page.meta["hide"] = ["navigation", "toc"]
        return context

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        self.nav, self.files = nav, files
        return nav

    def on_post_build(self, config: Any) -> None:
        if self.site is not None and self.env is not None:
            self.renderer = FastRenderer(self.env, config, self.nav, self.files)
            job = FastJob(self.renderer, self.fast, config.site_dir, self.markup, self.site.links,
                          self.cache_dir / "markdown")
            self._phase("pages")
            self.fast_pages = render_all(job)
            self.markup.prune(self.cache_dir / "markdown", [s.item.body for s in self.fast if s.item is not None])
        if self.config.search and self.command != "serve" and self.site is not None:
            self._phase("search")
            pages = [SearchPage(urls.url_to_path(p.url), p.item.date.strftime("%Y-%m-%d") if p.item else None)
                     for p in self.site.pages if p.template in SEARCHABLE]
            self.search_report = index_site(config.site_dir, pages, self.config.search_max_pages,
                                            cache=self.cache_dir / "search")
        self._phase("")
        gc.unfreeze()  # the build's objects may be collected again (`portal serve` keeps the plugin)

    def on_build_error(self, error: Exception) -> None:
        gc.unfreeze()

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.content_dir))
        return server

