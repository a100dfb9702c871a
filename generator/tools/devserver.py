"""`portal serve`: a live preview that rebuilds only what an edit changed.

`mkdocs serve` rebuilds the whole site on every save (minutes at 20,000 items). The preview here keeps the
build's state in memory and, after an edit:

1. re-checks the tree with an in-memory check cache: only changed files are read and validated again
   (the index and every cross-reference are recomputed on the whole tree, so nothing dangles unseen);
2. emits the page specs again (cheap: no rendering) and compares each page's *fingerprint* (a hash of
   everything its template reads: title, template, data, meta, item) with the previous build's;
3. renders only pages whose fingerprint changed, with the same renderers a full build uses (the fast
   renderer's shells, or MkDocs' own page build for the pages in the nav), removes pages that went away,
   and rewrites changed static files, feeds, sitemaps and redirect outputs.

Anything that can change every page falls back to a full build: mkdocs.yml, the theme, docs/, portal.yml,
taxonomy.yml or a unit.yml (the validation context), or a different set of MkDocs-rendered pages or nav.
The preview does not update the search index (neither does `mkdocs serve` for this portal).
A test builds, edits, rebuilds and compares the tree with a clean build of the edited content, file by file.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import io
import logging
import os
import pickle
import posixpath
import re
import time
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build

from ..model.diagnostics import format_text
from ..pages.base import PageSpec, StaticFile
from ..pages.emit import emit
from ..render.build import load_portal_config
from ..render.plugin import THEME_DIR
from ..stages.cache import CheckCache
from ..stages.pipeline import check
from ..util.clock import reference_date
from ..util.fsio import write_atomic
from ..util.gcpause import gc_paused

log = logging.getLogger("portal.serve")


@dataclasses.dataclass
class Rebuild:
    """What one (re)build did."""

    seconds: float = 0.0
    full: bool = False
    reason: str = ""
    pages: int = 0  # pages rendered
    removed: int = 0  # pages and files deleted
    files: int = 0  # static and generated files written
    errors: int = 0  # content errors (the preview keeps going and shows the rest)

    def __str__(self) -> str:
        if self.full:
            return f"full build ({self.reason}) in {self.seconds:.2f} s"
        return (f"rebuilt {self.pages} page(s), {self.files} file(s), removed {self.removed} "
                f"in {self.seconds:.2f} s")


def _values(obj: Any) -> bytes:
    """A pickle that depends on values only: without the memo, two equal strings that are one object in one
    build and two in the next pickle the same (page data holds no cycles)."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=5)
    pickler.fast = True
    pickler.dump(obj)
    return buf.getvalue()


class _Fingerprints:
    """Hashes of what each page's template reads.

    An item page's record (with its body, the bulk of the page's data) usually survives an edit as the same
    object (the in-memory check cache hands it back), so it is hashed once and remembered with the object
    (an id is never reused while its token is kept).
    """

    def __init__(self) -> None:
        self.tokens: dict[int, tuple[Any, bytes]] = {}

    def _token(self, obj: Any) -> bytes:
        hit = self.tokens.get(id(obj))
        if hit is None or hit[0] is not obj:
            token = hashlib.blake2b(_values(obj), digest_size=16).digest()
            hit = self.tokens[id(obj)] = (obj, token)
        return hit[1]

    def page(self, spec: PageSpec) -> bytes:
        h = hashlib.blake2b(_values((spec.title, spec.template, spec.data, spec.meta)), digest_size=16)
        if spec.item is not None:
            h.update(self._token(spec.item))
        return h.digest()

    def pages(self, specs: list[PageSpec]) -> dict[str, bytes]:
        out = {s.url: self.page(s) for s in specs}
        live = {id(s.item) for s in specs if s.item is not None}
        if len(self.tokens) > len(live) + 1000:  # forget records no longer in the site
            self.tokens = {k: v for k, v in self.tokens.items() if k in live}
        return out


def _file_key(f: StaticFile) -> tuple:
    if f.content is not None:
        return ("c", hashlib.blake2b(f.content, digest_size=16).digest())
    try:
        st = os.stat(f.source or "")
        return ("s", f.source, st.st_mtime_ns, st.st_size)
    except OSError:
        return ("s", f.source)


def _tree_signature(paths: list[Path]) -> tuple:
    """mtimes and sizes of every file under the given paths (the inputs that invalidate every page)."""
    sig = []
    for root in paths:
        if root.is_file():
            st = root.stat()
            sig.append((str(root), st.st_mtime_ns, st.st_size))
            continue
        for dirpath, _dirs, names in os.walk(root):
            for n in sorted(names):
                try:
                    st = os.stat(os.path.join(dirpath, n))
                except OSError:
                    continue
                sig.append((os.path.join(dirpath, n), st.st_mtime_ns, st.st_size))
    return tuple(sorted(sig))


class DevServer:
    """A preview build that can rebuild incrementally after content edits."""

    def __init__(self, config_file: str | Path = "mkdocs.yml", content_dir: str | Path | None = None,
                 site_dir: str | Path | None = None, *, keep_going: bool = True) -> None:
        self.config_file = Path(config_file).resolve()
        self.content_dir = Path(content_dir).resolve() if content_dir else None
        self.site_dir = Path(site_dir).resolve() if site_dir else None
        self.keep_going = keep_going
        self.cache: CheckCache | None = None
        self.plugin: Any = None
        self.config: Any = None
        self.fps = _Fingerprints()
        self.page_fps: dict[str, bytes] = {}
        self.file_keys: dict[str, tuple] = {}
        self.outputs: dict[str, bytes] = {}
        self.inputs: tuple = ()
        self.error_pages: set[str] = set()  # site files that are error pages (see errorpage.py)
        self.last = Rebuild()

    # ------------------------------------------------------------------ full build

    def _load_config(self) -> Any:
        cfg, plugin = load_portal_config(self.config_file, self.content_dir)
        if self.site_dir is not None:
            cfg.site_dir = str(self.site_dir)
        self.site_dir = Path(cfg.site_dir).resolve()
        plugin.config.keep_going = self.keep_going
        plugin.config.search = False
        return cfg

    def _input_paths(self) -> list[Path]:
        root = self.config_file.parent
        paths = [self.config_file]
        if self.config is not None:
            paths.append(Path(self.config.docs_dir))
            custom = self.config.theme.custom_dir
            if custom:
                paths.append(Path(custom))
            paths.append(THEME_DIR)
        return [p for p in paths if p.exists()] or [root]

    def build(self) -> float:
        """A full build into the site directory; returns seconds."""
        t0 = time.perf_counter()
        cfg = self._load_config()
        plugin = cfg.plugins["portal"]
        content = Path(plugin.config.content_dir)
        if not content.is_absolute():
            content = (self.config_file.parent / content).resolve()
        if self.cache is None:
            self.cache = CheckCache.memory()
        plugin.check_cache = self.cache
        gc.unfreeze()  # the previous build's objects may now be garbage
        self.config = self.plugin = None
        gc.collect()
        mkdocs_build(cfg)
        self.config, self.plugin = cfg, plugin
        self.content_dir = content
        self.page_fps = self.fps.pages(plugin.site.pages)
        self.file_keys = {f.dest: _file_key(f) for f in plugin.site.files}
        self.outputs = {k: _bytes(v) for k, v in plugin.outputs().items()}
        self.inputs = _tree_signature(self._input_paths())
        # The build's objects stay for the whole session: keep the cyclic GC from rescanning them after every
        # edit (a full collection over a 20,000-item site takes longer than an incremental rebuild).
        gc.collect()
        gc.freeze()
        seconds = time.perf_counter() - t0
        self.last = Rebuild(seconds=seconds, full=True, reason="first build",
                            pages=len(plugin.site.pages), errors=len(plugin.checked.errors))
        self.error_pages = set()
        self._show_errors(plugin.checked)
        return seconds

    def _show_errors(self, checked: Any) -> None:
        """Write an error page at the URL of every item file that is not published because of errors, and
        remove the error pages of files that are fixed (their real page has been written over it) or gone."""
        from ..model.urls import url_to_path
        from .errorpage import item_url, render

        skipped = set(checked.records.invalid) | (checked.index.skipped if checked.index is not None else set())
        by_path: dict[str, list] = {}
        for d in checked.diagnostics:
            by_path.setdefault(d.path, []).append(d)
        base = Path.cwd()
        content = self.content_dir
        pages = {s.url for s in self.plugin.site.pages} if self.plugin is not None else set()
        written = set()
        for path in skipped:
            file = (base / path).resolve()
            try:
                rel = file.relative_to(content).as_posix()
            except ValueError:
                continue
            url = item_url(rel)
            if url is None or url in pages:
                continue
            diags = by_path.get(path)
            if not diags:  # skipped for its unit's sake: show the unit.yml's errors
                unit_yml = "/".join(rel.split("/")[:2]) + "/unit.yml"
                diags = next((ds for p, ds in by_path.items() if p.endswith(unit_yml)), None)
            if not diags:
                continue
            dest = url_to_path(url)
            self._write(dest, render(diags, base).encode("utf-8"), None)
            written.add(dest)
        for dest in self.error_pages - written:
            if "/" + dest.removesuffix("index.html") not in pages:
                self._remove(dest)
        self.error_pages = written

    def _full(self, reason: str, t0: float) -> float:
        log.info("portal serve: full build: %s", reason)
        self.build()
        self.last.reason = reason
        self.last.seconds = time.perf_counter() - t0
        return self.last.seconds

    # ------------------------------------------------------------------ incremental

    def rebuild(self) -> float:
        """Bring the site up to date with the content; returns seconds."""
        with gc_paused():  # the heap holds the whole site; see build() and util/gcpause.py
            return self._rebuild()

    def _rebuild(self) -> float:
        t0 = time.perf_counter()
        if self.plugin is None:
            self.build()
            return self.last.seconds
        if _tree_signature(self._input_paths()) != self.inputs:
            return self._full("mkdocs.yml, the theme or docs/ changed", t0)
        p = self.plugin
        key = self.cache.key
        checked = check(self.content_dir, strict_policy=p.config.strict_policy, display_base=Path.cwd(),
                        cache=self.cache, today=reference_date())
        if self.cache.key != key:
            return self._full("portal.yml, taxonomy.yml or a unit.yml changed", t0)
        if checked.diagnostics:
            (log.warning if checked.errors else log.info)("内容检查：\n%s", format_text(checked.diagnostics))
        if checked.index is None or (checked.errors and not self.keep_going):
            log.error("portal serve：内容有 %d 处错误，预览保留上次正确的页面，出错的文章显示错误页",
                      len(checked.errors))
            self.last = Rebuild(seconds=time.perf_counter() - t0, errors=len(checked.errors))
            self._show_errors(checked)
            return self.last.seconds
        site = emit(checked.index, checked.diagnostics, p.cache_dir)
        old = p.site
        if site.nav != old.nav or site.footer != old.footer:
            return self._full("navigation or footer links changed", t0)
        old_specs = {s.url: s for s in old.pages}
        new_specs = {s.url: s for s in site.pages}
        mk_old = {u for u, s in old_specs.items() if not p.is_fast(s)}
        mk_new = {u for u, s in new_specs.items() if not p.is_fast(s)}
        if mk_old != mk_new or any(old_specs[u].template != new_specs[u].template for u in mk_new):
            return self._full("the set of navigation pages changed", t0)

        fps = self.fps.pages(site.pages)
        changed = {u for u, fp in fps.items() if self.page_fps.get(u) != fp}
        changed |= self._link_dependents(old.links, site.links, site.pages)
        removed = set(old_specs) - set(new_specs)
        log.debug("portal serve: changed pages: %s", sorted(changed)[:50])

        # From here on the plugin's state is the new build's (page events read it).
        p.adopt(checked, site)
        report = Rebuild(errors=len(checked.errors))
        report.pages += p.render_pages([new_specs[u] for u in sorted(changed)])
        for url in sorted(removed):
            report.removed += self._remove(url.strip("/") + "/index.html" if url.strip("/") else "index.html")

        keys = {f.dest: _file_key(f) for f in site.files}
        for f in site.files:
            if self.file_keys.get(f.dest) != keys[f.dest]:
                self._write(f.dest, f.content, f.source)
                report.files += 1
        for dest in set(self.file_keys) - set(keys):
            report.removed += self._remove(dest)
        outputs = {k: _bytes(v) for k, v in p.outputs().items()}
        for dest, data in outputs.items():
            if self.outputs.get(dest) != data:
                self._write(dest, data, None)
                report.files += 1
        for dest in set(self.outputs) - set(outputs):
            report.removed += self._remove(dest)

        self.page_fps, self.file_keys, self.outputs = fps, keys, outputs
        self._show_errors(checked)
        report.seconds = time.perf_counter() - t0
        self.last = report
        log.info("portal serve: %s", report)
        return report.seconds

    def _link_dependents(self, old: dict[str, str], new: dict[str, str], pages: list[PageSpec]) -> set[str]:
        """Item pages whose body may link to a content path whose public URL appeared, moved or went away.

        Bodies link by relative path, so a page is (conservatively) affected when its body mentions the
        changed file's name.
        """
        moved = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
        if not moved:
            return set()
        names = {posixpath.basename(k) for k in moved}
        return {s.url for s in pages if s.item is not None and any(n in s.item.body for n in names)}

    def _write(self, dest: str, content: bytes | None, source: str | None) -> None:
        write_atomic(self.site_dir / dest, content if content is not None else Path(source).read_bytes())

    def _remove(self, dest: str) -> int:
        path = self.site_dir / dest
        try:
            path.unlink()
        except FileNotFoundError:
            return 0
        parent = path.parent
        while parent != self.site_dir:  # drop the page's folders once empty
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
        return 1


_CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy"[^>]*>')


def without_csp(html: bytes) -> bytes:
    """A page for the local preview: without the CSP <meta>, which would block live reload's inline script."""
    return _CSP_META.sub(b"", html)


def _bytes(v: str | bytes) -> bytes:
    return v if isinstance(v, bytes) else v.encode("utf-8")


def admin_app(dev: DevServer) -> Any:
    """/admin/ for this preview: the CMS configuration follows the last build's index; saves are checked."""
    from ..stages.pipeline import check
    from .cmsbackend import AdminApp

    content = Path(dev.content_dir or "content").resolve()
    root = dev.config_file.parent
    if root not in content.parents:
        root = content.parent

    def state() -> tuple[Any, Any, dict]:
        ix = dev.plugin.checked.index
        return ix.portal, ix.taxonomy, ix.units

    cache = CheckCache.memory()  # the backend's own (the build's runs in another thread): unchanged files reused
    return AdminApp(root, content, state, check=lambda: check(content, cache=cache))


def serve(config_file: str | Path = "mkdocs.yml", content_dir: str | Path | None = None,
          site_dir: str | Path | None = None, host: str = "127.0.0.1", port: int = 8000,
          banner: str | None = None) -> None:
    """Build once, then serve the preview with live reload, rebuilding incrementally on every change;
    `banner` (where the web editor is) is logged once the first build is done."""
    from mkdocs.livereload import LiveReloadServer

    dev = DevServer(config_file, content_dir, site_dir)
    log.info("portal serve: first build …")
    dev.build()
    log.info("portal serve: %s", dev.last)
    if banner:
        log.info("%s", banner)

    def builder() -> None:
        try:
            dev.rebuild()
        except Exception:  # a broken edit must not stop the preview
            log.exception("portal serve: rebuild failed; the preview keeps the last good pages")

    admin = admin_app(dev)

    class PreviewServer(LiveReloadServer):
        def _serve_request(self, environ: dict, start_response: Any) -> Any:
            out = admin(environ, start_response)  # /admin/: the web editor and its local backend
            return out if out is not None else super()._serve_request(environ, start_response)

        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            # MkDocs' live-reload script is inline: the pages' strict CSP <meta> (csp.py) would block it, so
            # the local preview drops the meta; the published site keeps it.
            return super()._inject_js_into_html(without_csp(content), epoch)

    server = PreviewServer(builder=builder, host=host, port=port, root=str(dev.site_dir))
    for path in [dev.content_dir, *dev._input_paths()]:
        server.watch(str(path))
    try:
        server.serve()  # blocks: serves and runs the builder whenever a watched path changes
    except KeyboardInterrupt:
        log.info("portal serve: shutting down")
    finally:
        server.shutdown()
