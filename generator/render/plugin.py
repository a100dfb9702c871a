"""The MkDocs plugin: a thin router from MkDocs events to the pipeline stages.

on_config runs load → validate → index → emit once per build and sets the nav; on_files hands every generated
page and static file to MkDocs; page events pick the template and put the page's data in its context. A new
plugin instance is created for each (re)build, so nothing accumulates across `mkdocs serve` reloads.
"""

from __future__ import annotations

import gc
import logging
import time
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from mkdocs.commands.build import get_context
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..model import urls
from ..model.diagnostics import format_text
from ..pages import feeds
from ..pages.base import PageSpec, Site
from ..pages.emit import emit
from ..stages import redirects, synonyms
from ..stages.cache import CheckCache
from ..stages.pipeline import Checked, check
from ..util.clock import reference_date
from ..util.fsio import write_atomic
from ..util.markup import Markup
from . import csp
from .fastrender import FastJob, FastRenderer, item_body, render_all, unverified_versions
from .search import SearchPage, SearchReport, index_site

log = logging.getLogger("mkdocs.plugins.portal")

#: The portal's theme: templates, CSS, scripts and the emblem, layered on Material. A content repository's
#: own `theme.custom_dir` comes first, so any of these files can be overridden there.
THEME_DIR = Path(__file__).resolve().parent / "theme"
STYLESHEET = "assets/portal.css"


class PortalConfig(base.Config):
    """Options under `plugins: - portal:` in mkdocs.yml."""

    content_dir = c.Type(str, default="content")
    keep_going = c.Type(bool, default=False)
    strict_policy = c.Type(bool, default=False)
    search = c.Type(bool, default=True)  # index with Pagefind after the build (skipped by `mkdocs serve`)
    search_max_pages = c.Type(int, default=2000)  # pages per Pagefind process (memory bound)
    fast_render = c.Type(bool, default=True)  # False: MkDocs renders every page (slow; the reference path)


def use_theme(config: Any) -> None:
    """Put the portal's theme between the repository's custom_dir (if any) and Material, and its stylesheet
    in extra_css (mkdocs.yml of a content repository needs neither)."""
    dirs = config.theme.dirs
    if str(THEME_DIR) not in dirs:
        custom = config.theme.custom_dir
        dirs.insert(1 if custom and dirs and dirs[0] == custom else 0, str(THEME_DIR))
    if STYLESHEET not in [str(c) for c in config.extra_css]:
        config.extra_css.append(STYLESHEET)


class PortalPlugin(BasePlugin[PortalConfig]):
    """Builds the consolidated portal from content/ inside an MkDocs build.

    Besides MkDocs' events, the live preview (tools/devserver.py) uses four methods and nothing else:
    `is_fast(spec)`, `adopt(checked, site)`, `render_pages(specs)` and `outputs()`.
    """

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
        self.extra_urls: list[str] = []
        self.taken: set[str] = set()
        self.renderer: FastRenderer | None = None
        self.redirect_count = 0
        self.timings: dict[str, float] = {}  # phase -> seconds: check, emit, mkdocs, pages, search
        self.fast_enabled = True
        self.mkdocs_config: Any = None
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
        self.mkdocs_config = config
        use_theme(config)
        self.fast_enabled = self.config.fast_render
        drift = unverified_versions()
        if self.fast_enabled and drift:
            log.warning("portal: the fast renderer was verified with %s; every page is rendered by MkDocs instead "
                        "(slower, same output)", drift)
            self.fast_enabled = False
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
        return self.fast_enabled and spec.kind.fast and spec.nav is None

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
        env.globals["portal_footer"] = self.site.footer if self.site is not None else []
        env.globals["portal_csp"] = csp.meta()
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

    def on_page_content(self, html: str, page: Any, config: Any, files: Files) -> str:
        """Item pages MkDocs renders itself (fast rendering off): the body rendered as the fast path does."""
        spec = self.specs.get(page.file.src_uri)
        if spec is None or spec.item is None:
            return html
        assert self.site is not None and self.markup is not None
        content, toc = item_body(self.markup, spec, self.site.links, self.cache_dir / "markdown")
        page.portal_toc = toc
        return content

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
                     for p in self.site.pages if p.kind.searchable]
            groups = synonyms.collect(self.content_dir, self.checked.index if self.checked else None)[0]
            self.search_report = index_site(config.site_dir, pages, self.config.search_max_pages,
                                            cache=self.cache_dir / "search", synonyms=groups)
        self._phase("")
        gc.unfreeze()  # the build's objects may be collected again (`portal serve` keeps the plugin)

    # ------------------------------------------------------------------ the preview's seam

    def adopt(self, checked: Checked, site: Site) -> None:
        """Make a new check and emit the state the page events and render_pages read (an incremental
        rebuild of the same nav and theme)."""
        assert checked.index is not None
        self.checked, self.site = checked, site
        self.specs = {s.src_uri: s for s in site.pages}
        self.fast = [s for s in site.pages if self.is_fast(s)]
        if self.env is not None:
            self.env.globals["portal"] = checked.index.portal
            self.env.globals["portal_footer"] = site.footer

    def render_pages(self, specs: list[PageSpec]) -> int:
        """Write these pages as a full build would: fast pages with the fast renderer, the others through
        MkDocs' page events and templates (its public Page API). Returns the number of pages written."""
        assert self.site is not None and self.markup is not None and self.renderer is not None
        config = self.mkdocs_config
        fast = [s for s in specs if self.is_fast(s)]
        n = 0
        if fast:
            n += render_all(FastJob(self.renderer, fast, config.site_dir, self.markup, self.site.links,
                                    self.cache_dir / "markdown"))
        doc_files = self.files.documentation_pages()
        for spec in specs:
            if self.is_fast(spec):
                continue
            page = self.files.get_file_from_path(spec.src_uri).page
            page = config.plugins.on_pre_page(page, config=config, files=self.files)
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=self.files)
            page.render(config, self.files)
            page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=self.files)
            page.active = True
            try:
                context = get_context(self.nav, doc_files, config, page)
                template = self.env.get_template(page.meta.get("template", "main.html"))
                context = config.plugins.on_page_context(context, page=page, config=config, nav=self.nav)
                output = config.plugins.on_post_page(template.render(context), page=page, config=config)
            finally:
                page.active = False
            write_atomic(Path(page.file.abs_dest_path), output.encode("utf-8", errors="xmlcharrefreplace"))
            n += 1
        return n

    def on_build_error(self, error: Exception) -> None:
        gc.unfreeze()

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.content_dir))
        return server

