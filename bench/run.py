#!/usr/bin/env python3
"""Benchmark the portal build against a vanilla MkDocs + Material site with the same items.

    .venv/bin/python bench/run.py --items 2000 [--rounds R] [--out DIR] [--keep] [--cold]
    .venv/bin/python bench/run.py --items 2000 --check        # portal check: cold, warm, one file
    .venv/bin/python bench/run.py --items 2000 --edit         # incremental rebuild (generator.tools.devserver)

Builds run alternately (portal, baseline, portal, …), each a subprocess timed by wall clock with its peak
RSS from /usr/bin/time -v. The last line printed is machine-readable:
`bench items=N portal_s=… baseline_s=… ratio=… portal_rss_mb=… page_kb=…`; DIR/bench-N.json holds every
number. See bench/README.md, section "Running the benchmark".
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import hashlib
import http.server
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:  # `python bench/run.py` puts bench/ first on the path, not the project
    sys.path.insert(0, str(PROJECT))

from bench import baseline as bl  # noqa: E402 - after the path fix above
from bench import corpus  # noqa: E402

TIME = Path("/usr/bin/time")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
QUERY = "政务公开"
EDIT_SENTENCE = "本文于基准测试中补充了一句说明：相关工作将持续推进。"
EDIT_NOT_AVAILABLE = "edit: not available (generator.tools.devserver missing)"
# Environment of every build: Material's end-of-life banner off, for both builds alike.
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1"}
_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_USER = re.compile(r"User time \(seconds\): ([\d.]+)")
_SYS = re.compile(r"System time \(seconds\): ([\d.]+)")
# "portal build：搜索索引 P 页，K 个分片[（复用 R 个）]，S 秒，内存峰值 M MB": parsed field by field
_PORTAL_SEARCH = re.compile(r"^portal build：搜索索引 (\d+) 页，(\d+) 个分片(.*)$", re.M)
_REUSED = re.compile(r"复用 (\d+) 个")
_SECONDS_RSS = re.compile(r"，([\d.]+) 秒，内存峰值 (\d+) MB")
_PORTAL_PAGES = re.compile(r"portal build：(\d+) 个页面，用时 ([\d.]+) 秒")
_CHECK_SUMMARY = re.compile(r"文章 (\d+).*错误 (\d+)，警告 (\d+)")
# Fallback when /usr/bin/time is missing: a fresh Python process whose only child is the build, so its
# RUSAGE_CHILDREN peak is the build's own (the harness's would keep the largest of all earlier builds).
_RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[2:])\n"
    "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'w').write(f'Maximum resident set size (kbytes): {r.ru_maxrss}\\n'\n"
    "    f'User time (seconds): {r.ru_utime}\\nSystem time (seconds): {r.ru_stime}\\n')\n"
    "sys.exit(rc)\n"
)


class BenchError(Exception):
    """A step of the benchmark failed; the message says which and why."""


# =========================================================================== running and timing commands


@dataclass
class Run:
    """One timed subprocess."""

    cmd: list[str]
    seconds: float
    rss_mb: float | None
    cpu_s: float | None  # user + system of the whole process tree
    returncode: int
    stdout: str
    stderr: str


def venv_bin(name: str) -> str:
    """A console script of the project's virtualenv (the one running this script, else .venv/bin)."""
    for d in (Path(sys.executable).parent, PROJECT / ".venv" / "bin"):
        if (d / name).exists():
            return str(d / name)
    raise BenchError(f"{name} not found next to {sys.executable} or in {PROJECT / '.venv/bin'} (run `make`)")


def timed(cmd: list[str], *, cwd: Path = PROJECT, timeout: float = 7200, check: bool = True) -> Run:
    """Run cmd in its own process group, timed by wall clock, with peak RSS and CPU of its process tree."""
    with tempfile.NamedTemporaryFile("r", prefix="bench-rusage-", suffix=".txt") as usage:
        if TIME.exists():
            full = [str(TIME), "-v", "-o", usage.name, *cmd]
        else:
            full = [sys.executable, "-c", _RUSAGE_WRAPPER, usage.name, *cmd]
        env = {**os.environ, **BUILD_ENV}
        t0 = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except BaseException as e:  # timeout or Ctrl-C: end the whole tree (pagefind, mkdocs, …), not only the wrapper
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            if isinstance(e, subprocess.TimeoutExpired):
                raise BenchError(f"timed out after {timeout:g} s (--timeout): {' '.join(cmd)}") from None
            raise
        seconds = time.perf_counter() - t0
        text = Path(usage.name).read_text(encoding="utf-8", errors="replace")
    rss = _RSS.search(text)
    user, sys_ = _USER.search(text), _SYS.search(text)
    run = Run(cmd, seconds, int(rss.group(1)) / 1024 if rss else None,
              float(user.group(1)) + float(sys_.group(1)) if user and sys_ else None,
              proc.returncode, out, err)
    if check and proc.returncode != 0:
        tail = "\n".join((err or out).strip().splitlines()[-15:])
        raise BenchError(f"command failed (exit {proc.returncode}): {' '.join(cmd)}\n{tail}")
    return run


def rmtree(path: Path) -> None:
    """Remove a directory tree if it exists."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def settle() -> None:
    """Flush dirty pages before a timed build, so one build's writeback does not land in the next one's time."""
    with contextlib.suppress(AttributeError, OSError):
        os.sync()


def median(values: list[float | None]) -> float | None:
    """Median of the known values, or None."""
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def file_hash(*paths: Path) -> str:
    """A short hash over files (inputs whose change invalidates a cached step)."""
    h = hashlib.sha1()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes() if p.exists() else b"-")
    return h.hexdigest()[:16]


# =========================================================================== measuring sites


def tree_bytes(root: Path) -> tuple[int, int]:
    """Apparent size in bytes (files and directories, hard links once: `du -sb`) and file count of a tree."""
    total, files, seen = root.stat().st_size, 0, set()
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as it:
            for e in it:
                if e.is_dir(follow_symlinks=False):
                    total += e.stat(follow_symlinks=False).st_size  # directories count, as in du
                    stack.append(Path(e.path))
                    continue
                st = e.stat(follow_symlinks=False)
                if st.st_nlink > 1:
                    if (st.st_dev, st.st_ino) in seen:
                        continue
                    seen.add((st.st_dev, st.st_ino))
                total += st.st_size
                files += 1
    return total, files


def item_pages(site: Path, items: list[bl.Item]) -> dict[str, Any]:
    """Average size of the item pages of a site (`<page>/index.html` for every item); counts missing ones."""
    sizes, missing = [], []
    for it in items:
        try:
            sizes.append((site / it.page / "index.html").stat().st_size)
        except FileNotFoundError:
            missing.append(it.page)
    return {"count": len(sizes), "missing": len(missing), "missing_examples": missing[:5],
            "avg_kb": (sum(sizes) / len(sizes) / 1024) if sizes else None}


def gzip_size(path: Path) -> int:
    """Bytes of a file after gzip -6 (what a web server would send with compression on)."""
    z = zlib.compressobj(6, zlib.DEFLATED, 31)
    n = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            n += len(z.compress(chunk))
    return n + len(z.flush())


def baseline_search_bytes(site: Path) -> dict[str, Any]:
    """What a visitor downloads to search the Material site: the whole index plus the worker and its lunr scripts."""
    index = site / "search" / "search_index.json"
    if not index.exists():
        return {"total": None, "reason": "search/search_index.json missing"}
    with index.open("rb") as fh:  # only the config at the start: the index can be hundreds of MB
        head = fh.read(8192).decode("utf-8", "replace")
    m = re.search(r'"lang":\[([^\]]*)\]', head)
    langs = re.findall(r'"([^"]+)"', m.group(1)) if m else ["en"]
    js = site / "assets" / "javascripts"
    files = sorted((js / "workers").glob("search.*.min.js"))
    # The worker's importScripts for the configured languages (Material's setupSearchLanguages).
    extra = [lang for lang in langs if lang != "en"]
    if extra or len(langs) > 1:
        files.append(js / "lunr" / "min" / "lunr.stemmer.support.min.js")
    for lang in extra:
        if lang == "ja":
            files.append(js / "lunr" / "tinyseg.js")
        elif lang in ("hi", "th"):
            files.append(js / "lunr" / "wordcut.js")
        files.append(js / "lunr" / "min" / f"lunr.{lang}.min.js")
    if len(langs) > 1:
        files.append(js / "lunr" / "min" / "lunr.multi.min.js")
    parts = {"search/search_index.json": index.stat().st_size}
    parts.update({f.relative_to(site).as_posix(): f.stat().st_size for f in files if f.exists()})
    missing = [f.relative_to(site).as_posix() for f in files if not f.exists()]
    return {"total": sum(parts.values()), "files": parts, "missing": missing, "lang": langs,
            "index_gzip": gzip_size(index)}


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, silently, counting the body bytes of every response (the benchmark's byte meter)."""

    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                                                 ".wasm": "application/wasm"}
    meter: _Meter

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""

    def copyfile(self, source: Any, outputfile: Any) -> None:
        """Copy the body and count it."""
        n = 0
        while chunk := source.read(1 << 16):
            outputfile.write(chunk)
            n += len(chunk)
        self.meter.add(self.path, 200, n)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Record errors (a 404 during a query is a finding) before the default error page."""
        self.meter.add(self.path, code, 0)
        super().send_error(code, message, explain)


@dataclass
class _Meter:
    """Thread-safe record of (path, status, bytes) per response."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    rows: list[tuple[str, int, int]] = field(default_factory=list)

    def add(self, path: str, status: int, n: int) -> None:
        """Record one response."""
        with self.lock:
            self.rows.append((path, status, n))

    def take(self) -> list[tuple[str, int, int]]:
        """The responses so far, and start afresh."""
        with self.lock:
            rows, self.rows = self.rows, []
        return rows


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[tuple[str, _Meter]]:
    """Serve a directory on 127.0.0.1 (an ephemeral port) in a thread; yields (base URL, byte meter)."""
    meter = _Meter()
    handler = type("Handler", (_CountingHandler,), {"meter": meter})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    srv.daemon_threads = True
    thread = threading.Thread(target=srv.serve_forever, name="bench-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}", meter
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=10)


def portal_search_bytes(site: Path, query: str = QUERY, timeout_s: float = 60) -> dict[str, Any]:
    """Bytes the portal's header search downloads for a cold first query, measured in Debian's Chromium."""
    if not CHROMIUM.exists():
        return {"total": None, "reason": f"{CHROMIUM} not found (apt-get install chromium)"}
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"total": None, "reason": "python playwright not installed"}
    errors: list[str] = []
    try:
        with serve(site) as (base, meter), sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.goto(base + "/", wait_until="networkidle", timeout=timeout_s * 1000)
                page_load = meter.take()
                t0 = time.perf_counter()
                page.click("#portal-search-input")
                page.keyboard.type(query)
                page.wait_for_selector("#portal-search-list li", timeout=timeout_s * 1000)
                first_ms = (time.perf_counter() - t0) * 1000
                rows = meter.take()
                shown = page.locator("#portal-search-list li").count()
                status = page.inner_text("#portal-search-meta")
            finally:
                browser.close()
    except PlaywrightError as e:
        return {"total": None, "reason": f"browser: {str(e).splitlines()[0]}", "errors": errors[:5]}
    by_kind: dict[str, int] = {}
    for path, _, n in rows:
        name = path.split("?")[0].rsplit("/", 1)[-1]
        if "/vocab/" in path:
            kind = "vocab"
        elif name.startswith("wasm."):
            kind = "wasm"
        else:
            kind = name.rsplit(".", 1)[-1] if "." in name else name
        by_kind[kind] = by_kind.get(kind, 0) + n
    return {"total": sum(n for _, _, n in rows), "requests": len(rows), "first_results_ms": round(first_ms),
            "results_shown": shown, "status": status, "by_kind": by_kind,
            "not_ok": [(p, s) for p, s, _ in rows if s >= 400], "errors": errors[:5],
            "page_load_bytes": sum(n for _, _, n in page_load), "query": query}


# =========================================================================== steps


@dataclass
class Layout:
    """Where everything goes under --out."""

    out: Path
    items: int

    @property
    def content(self) -> Path:
        """The generated corpus."""
        return self.out / "content"

    @property
    def cache(self) -> Path:
        """The portal's cache folder for this content tree (content/../.cache)."""
        return self.out / ".cache"

    def portal_caches(self) -> list[Path]:
        """Every cache a portal build of this tree may use: all of them live in content/../.cache."""
        return [self.cache]

    @property
    def baseline(self) -> Path:
        """The baseline's mkdocs.yml and docs/."""
        return self.out / "baseline"

    @property
    def baseline_site(self) -> Path:
        """The baseline's build output."""
        return self.out / "baseline-site"

    @property
    def portal_site(self) -> Path:
        """The portal's build output (removed before every round, so each build starts fresh)."""
        return self.out / "portal-site"

    @property
    def report(self) -> Path:
        """The JSON with every number."""
        return self.out / f"bench-{self.items}.json"


def ensure_corpus(lay: Layout, seed: int, today: dt.date) -> dict[str, Any]:
    """Generate the corpus, or reuse it when it was generated with the same items, seed, date and generator."""
    stamp_file = lay.out / "corpus.json"
    key = {"items": lay.items, "seed": seed, "today": today.isoformat(),
           "generator": file_hash(PROJECT / "bench" / "corpus.py", corpus.CONTENT / "portal.yml",
                                  corpus.CONTENT / "taxonomy.yml")}
    with contextlib.suppress(FileNotFoundError, ValueError):
        stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
        if stamp.get("key") == key and (lay.content / "portal.yml").exists():
            return {**stamp["counts"], "seconds": stamp["seconds"], "reused": True}
    stamp_file.unlink(missing_ok=True)
    t0 = time.perf_counter()
    counts = corpus.generate(lay.content, lay.items, seed=seed, today=today, force=True)
    seconds = time.perf_counter() - t0
    stamp_file.write_text(json.dumps({"key": key, "counts": counts, "seconds": seconds}, indent=1) + "\n",
                          encoding="utf-8")
    rmtree(lay.cache)  # caches of an older tree are useless
    return {**counts, "seconds": seconds, "reused": False}


def ensure_baseline(lay: Layout, corpus_info: dict[str, Any]) -> dict[str, Any]:
    """Write the baseline's sources, or reuse them for the same corpus and the same bench/baseline.py."""
    stamp_file = lay.out / "baseline.json"
    key = {"corpus": (lay.out / "corpus.json").read_text(encoding="utf-8"),
           "baseline": file_hash(PROJECT / "bench" / "baseline.py"), "jieba": bl.jieba_available()}
    with contextlib.suppress(FileNotFoundError, ValueError):
        stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
        if stamp.get("key") == key and corpus_info["reused"] and (lay.baseline / "mkdocs.yml").exists():
            return {**stamp["counts"], "seconds": stamp["seconds"], "reused": True}
    stamp_file.unlink(missing_ok=True)
    t0 = time.perf_counter()
    counts = bl.write_baseline(lay.content, lay.baseline)
    seconds = time.perf_counter() - t0
    stamp_file.write_text(json.dumps({"key": key, "counts": counts, "seconds": seconds}) + "\n", encoding="utf-8")
    return {**counts, "seconds": seconds, "reused": False}


def portal_build_cmd(lay: Layout, site: Path, *, search: bool = True) -> list[str]:
    """`portal --content DIR/content build --site-dir SITE` (run from the project, which has mkdocs.yml)."""
    return [venv_bin("portal"), "--content", str(lay.content), "build", "--site-dir", str(site),
            *([] if search else ["--no-search"])]


def baseline_build_cmd(lay: Layout) -> list[str]:
    """`mkdocs build -f DIR/baseline/mkdocs.yml -d DIR/baseline-site`."""
    return [venv_bin("mkdocs"), "build", "-f", str(lay.baseline / "mkdocs.yml"), "-d", str(lay.baseline_site)]


def parse_portal_output(run: Run) -> dict[str, Any]:
    """The numbers the portal prints about itself, and any line that is not one of its two summary lines."""
    out: dict[str, Any] = {}
    if m := _PORTAL_SEARCH.search(run.stdout):
        out.update(search_pages=int(m.group(1)), shards=int(m.group(2)))
        if r := _REUSED.search(m.group(3)):
            out["shards_reused"] = int(r.group(1))
        if r := _SECONDS_RSS.search(m.group(3)):
            out.update(search_s=float(r.group(1)), search_rss_mb=int(r.group(2)))
    if m := _PORTAL_PAGES.search(run.stdout):
        out.update(pages=int(m.group(1)), internal_s=float(m.group(2)))
    lines = [ln for ln in (run.stdout + run.stderr).splitlines() if ln.strip()]
    out["other_output"] = [ln for ln in lines if not _PORTAL_SEARCH.match(ln) and not _PORTAL_PAGES.search(ln)]
    if "处错误）" in run.stdout:  # "（跳过了 N 处错误）" on the last line
        out["other_output"].insert(0, run.stdout.strip().splitlines()[-1])
    return out


def warm_jieba() -> None:
    """Let jieba write its dictionary cache once, outside any timed build (it does so on first use)."""
    if bl.jieba_available():
        subprocess.run([sys.executable, "-c", "import jieba, logging; jieba.setLogLevel(logging.WARNING); "
                        "jieba.initialize()"], check=False, capture_output=True)


def bench_build(lay: Layout, rounds: int, cold: bool, query: str, timeout: float, log: Callable[[str], None]
                ) -> dict[str, Any]:
    """Alternate portal and baseline builds; measure time, RSS, site size, item page size, search bytes."""
    items = bl.find_items(lay.content)
    warm_jieba()
    runs: dict[str, list[dict[str, Any]]] = {"portal": [], "baseline": []}
    for r in range(1, rounds + 1):
        if cold:
            for p in lay.portal_caches():
                rmtree(p)
        rmtree(lay.portal_site)
        settle()
        run = timed(portal_build_cmd(lay, lay.portal_site), timeout=timeout)
        size, files = tree_bytes(lay.portal_site)
        own = parse_portal_output(run)
        runs["portal"].append({"wall_s": run.seconds, "rss_mb": run.rss_mb, "cpu_s": run.cpu_s,
                               "site_bytes": size, "files": files, **own})
        shards = f", search {own.get('shards', '?')} shard(s), {own.get('shards_reused', 0)} reused" \
            if "shards" in own else ""
        log(f"  round {r}/{rounds} portal:   {run.seconds:7.2f} s, peak RSS {run.rss_mb or 0:6.0f} MB, "
            f"{size / 1e6:8.1f} MB in {files} files{shards}")
        rmtree(lay.baseline_site)
        settle()
        run = timed(baseline_build_cmd(lay), timeout=timeout)
        size, files = tree_bytes(lay.baseline_site)
        warnings = [ln for ln in run.stderr.splitlines() if ln.startswith(("WARNING", "ERROR"))]
        runs["baseline"].append({"wall_s": run.seconds, "rss_mb": run.rss_mb, "cpu_s": run.cpu_s,
                                 "site_bytes": size, "files": files, "warnings": warnings[:20],
                                 "warning_count": len(warnings)})
        log(f"  round {r}/{rounds} baseline: {run.seconds:7.2f} s, peak RSS {run.rss_mb or 0:6.0f} MB, "
            f"{size / 1e6:8.1f} MB in {files} files")

    # Page sizes and search bytes of the last round's sites (both are deterministic across rounds).
    result: dict[str, Any] = {"rounds": rounds, "cache_mode": "cold" if cold else "warm", "runs": runs,
                              "caches": {str(p): tree_bytes(p)[0] for p in lay.portal_caches() if p.is_dir()}}
    for name, site in (("portal", lay.portal_site), ("baseline", lay.baseline_site)):
        rs = runs[name]
        result[name] = {
            "wall_s": median([x["wall_s"] for x in rs]), "rss_mb": median([x["rss_mb"] for x in rs]),
            "cpu_s": median([x["cpu_s"] for x in rs]), "site_bytes": median([x["site_bytes"] for x in rs]),
            "item_pages": item_pages(site, items),
        }
    log("  measuring search bytes (portal: Chromium, cold first query; baseline: index + worker)")
    result["portal"]["search"] = portal_search_bytes(lay.portal_site, query)
    result["baseline"]["search"] = baseline_search_bytes(lay.baseline_site)
    last = runs["portal"][-1]
    result["portal"]["self_reported"] = {k: last.get(k) for k in ("pages", "internal_s", "search_pages", "shards",
                                                                 "search_s", "search_rss_mb")}
    return result


def _ratio(a: float | None, b: float | None) -> float | None:
    """a / b, or None."""
    return a / b if a is not None and b else None


def build_table(items: int, res: dict[str, Any]) -> tuple[list[str], dict[str, float | None]]:
    """The table of medians and the numbers for the last line."""
    p, b = res["portal"], res["baseline"]
    rows: list[tuple[str, float | None, float | None, str]] = [
        ("wall time (s)", p["wall_s"], b["wall_s"], "{:.2f}"),
        ("CPU time, user+sys (s)", p["cpu_s"], b["cpu_s"], "{:.2f}"),
        ("peak RSS (MB)", p["rss_mb"], b["rss_mb"], "{:.0f}"),
        ("site size (MB)", p["site_bytes"] / 1e6, b["site_bytes"] / 1e6, "{:.1f}"),
        ("item page size (KB)", p["item_pages"]["avg_kb"], b["item_pages"]["avg_kb"], "{:.1f}"),
        ("search bytes per query (KB)", _kb(p["search"]["total"]), _kb(b["search"]["total"]), "{:.0f}"),
    ]
    cache = ("cold: caches removed before every portal build" if res["cache_mode"] == "cold"
             else "warm: caches persist across rounds")
    lines = [f"bench: {items} items, median of {res['rounds']} round(s), builds alternate portal/baseline; "
             f"portal cache mode {cache}",
             f"{'':30}{'portal':>12}{'baseline':>12}{'portal/baseline':>17}"]
    for label, pv, bv, fmt in rows:
        ratio = _ratio(pv, bv)
        lines.append(f"{label:30}{_fmt(pv, fmt):>12}{_fmt(bv, fmt):>12}{_fmt(ratio, '{:.2f}'):>17}")
    numbers = {"portal_s": p["wall_s"], "baseline_s": b["wall_s"], "ratio": _ratio(p["wall_s"], b["wall_s"]),
               "portal_rss_mb": p["rss_mb"], "page_kb": p["item_pages"]["avg_kb"]}
    return lines, numbers


def _kb(n: float | None) -> float | None:
    """Bytes to KB (1024), or None."""
    return n / 1024 if n is not None else None


def _fmt(v: float | None, fmt: str) -> str:
    """A number, or n/a."""
    return "n/a" if v is None else fmt.format(v)


def last_line(items: int, n: dict[str, float | None]) -> str:
    """`bench items=N portal_s=… baseline_s=… ratio=… portal_rss_mb=… page_kb=…`."""
    return (f"bench items={items} portal_s={_fmt(n['portal_s'], '{:.2f}')} "
            f"baseline_s={_fmt(n['baseline_s'], '{:.2f}')} ratio={_fmt(n['ratio'], '{:.2f}')} "
            f"portal_rss_mb={_fmt(n['portal_rss_mb'], '{:.0f}')} page_kb={_fmt(n['page_kb'], '{:.1f}')}")


def bench_check(lay: Layout, timeout: float, log: Callable[[str], None]) -> dict[str, Any]:
    """`portal check`: whole tree cold (--no-cache) and warm (after a warm-up), and one touched file; 3 runs each."""
    portal = venv_bin("portal")
    base = [portal, "--content", str(lay.content), "check"]
    items = bl.find_items(lay.content)
    if not items:
        raise BenchError("the corpus has no items")
    one = lay.content / items[len(items) // 2].rel
    res: dict[str, Any] = {"file_path": one.relative_to(lay.content).as_posix()}
    modes: list[tuple[str, list[str], bool]] = [("cold", [*base, "--no-cache"], False), ("warm", base, True),
                                                ("file", [*base, str(one)], False)]
    for name, cmd, warm_up in modes:
        if warm_up:
            timed(cmd, timeout=timeout, check=False)
        runs = []
        for _ in range(3):
            if name == "file":
                os.utime(one)  # a new mtime: the cache re-validates this file, as after an editor's save
            settle()
            run = timed(cmd, timeout=timeout, check=False)
            m = _CHECK_SUMMARY.search(run.stdout)
            if run.returncode != 0 or not m:
                tail = "\n".join((run.stdout + run.stderr).strip().splitlines()[-10:])
                raise BenchError(f"portal check failed (exit {run.returncode}): {' '.join(cmd)}\n{tail}")
            runs.append({"wall_s": run.seconds, "rss_mb": run.rss_mb, "cpu_s": run.cpu_s,
                         "summary": run.stdout.strip().splitlines()[-1]})
        res[name] = {"wall_s": median([r["wall_s"] for r in runs]), "rss_mb": median([r["rss_mb"] for r in runs]),
                     "cpu_s": median([r["cpu_s"] for r in runs]), "runs": runs}
        walls = ", ".join(f"{r['wall_s']:.2f}" for r in runs)
        log(f"  check {name}: {walls} s — {runs[-1]['summary']}")
    return res


def check_table(items: int, res: dict[str, Any]) -> list[str]:
    """The table of `portal check` medians."""
    labels = {"cold": "whole tree, cold (--no-cache)", "warm": "whole tree, warm cache",
              "file": f"one file after touching it ({res['file_path']})"}
    w = max(len(label) for label in labels.values()) + 2
    lines = [f"check: portal check on {items} items, median of 3 runs",
             f"{'':{w}}{'wall s':>9}{'CPU s':>9}{'peak RSS MB':>13}"]
    for k, label in labels.items():
        r = res[k]
        lines.append(f"{label:{w}}{_fmt(r['wall_s'], '{:.2f}'):>9}{_fmt(r['cpu_s'], '{:.2f}'):>9}"
                     f"{_fmt(r['rss_mb'], '{:.0f}'):>13}")
    lines.append(f"check items={items} cold_s={res['cold']['wall_s']:.2f} warm_s={res['warm']['wall_s']:.2f} "
                 f"file_s={res['file']['wall_s']:.2f}")
    return lines


def edit_picks(items: list[bl.Item], n: int = 3) -> list[bl.Item]:
    """n different items spread over the tree (deterministic): at 1/4, 1/2 and 3/4 of the sorted list."""
    if len(items) < n:
        raise BenchError(f"--edit needs at least {n} items")
    idx = sorted({len(items) * (k + 1) // (n + 1) for k in range(n)})
    return [items[i] for i in idx]


def compare_trees(a: Path, b: Path) -> dict[str, Any]:
    """Files that differ between two sites (missing on either side, or different bytes); pagefind/ counted apart."""
    def listing(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    la, lb = listing(a), listing(b)
    only_a, only_b = sorted(la.keys() - lb.keys()), sorted(lb.keys() - la.keys())
    differ = sorted(k for k in la.keys() & lb.keys()
                    if la[k].stat().st_size != lb[k].stat().st_size or la[k].read_bytes() != lb[k].read_bytes())
    bad = only_a + only_b + differ
    return {"equal": not bad, "files": len(la), "only_rebuilt": only_a[:10], "only_fresh": only_b[:10],
            "differ": differ[:10], "counts": [len(only_a), len(only_b), len(differ)],
            "search_files": sum(1 for k in bad if k.startswith("pagefind/"))}


def bench_edit(lay: Layout, timeout: float, verify: bool, log: Callable[[str], None]) -> dict[str, Any] | None:
    """Incremental rebuild after editing one item (3 different items), via generator.tools.devserver in a subprocess."""
    picks = edit_picks(bl.find_items(lay.content))
    originals = {it.rel: (lay.content / it.rel).read_bytes() for it in picks}
    site = lay.out / "edit-site"
    rmtree(site)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--items", str(lay.items), "--out", str(lay.out),
           "--edit-worker", *(it.rel for it in picks)]
    try:
        run = timed(cmd, timeout=timeout, check=False)
        line = next((ln for ln in reversed(run.stdout.splitlines()) if ln.startswith("{")), None)
        if line is None:
            tail = "\n".join((run.stderr or run.stdout).strip().splitlines()[-15:])
            raise BenchError(f"edit worker failed (exit {run.returncode}):\n{tail}")
        res = json.loads(line)
        if not res.get("available", True):
            return None
        res["worker_rss_mb"] = run.rss_mb
        for e in res["edits"]:
            log(f"  edit {e['rel']}: rebuild() {e['seconds']:.3f} s (wall {e['wall_s']:.3f} s), "
                f"edit visible: {e['visible']}")
        if verify:  # the contract: after the edits, site_dir equals a fresh full build of the edited tree
            fresh = lay.out / "edit-fresh"
            rmtree(fresh)
            search = (site / "pagefind").exists()
            timed(portal_build_cmd(lay, fresh, search=search), timeout=timeout)
            res["verify"] = compare_trees(site, fresh)
            res["verify"]["search"] = search
            rmtree(fresh)
    finally:  # restore the corpus byte for byte, so later runs reuse a pristine tree
        for rel, data in originals.items():
            (lay.content / rel).write_bytes(data)
    return res


def edit_worker(lay: Layout, rels: list[str]) -> int:
    """(Subprocess) DevServer.build(), then per item: append a sentence, time DevServer.rebuild(); print JSON."""
    try:
        from generator.tools.devserver import DevServer
    except ImportError as e:
        print(json.dumps({"available": False, "error": str(e)}), flush=True)
        return 0
    site = lay.out / "edit-site"
    s = DevServer(config_file=str(PROJECT / "mkdocs.yml"), content_dir=str(lay.content), site_dir=str(site))
    t0 = time.perf_counter()
    s.build()
    res: dict[str, Any] = {"available": True, "build_s": time.perf_counter() - t0, "edits": []}
    items = {it.rel: it for it in bl.find_items(lay.content)}
    for rel in rels:
        path = lay.content / rel
        path.write_bytes(path.read_bytes().rstrip(b"\n") + f"\n\n{EDIT_SENTENCE}\n".encode())
        t0 = time.perf_counter()
        seconds = s.rebuild()
        wall = time.perf_counter() - t0
        page = site / items[rel].page / "index.html"
        visible = page.exists() and EDIT_SENTENCE in page.read_text(encoding="utf-8")
        res["edits"].append({"rel": rel, "seconds": float(seconds) if seconds is not None else wall,
                             "wall_s": wall, "visible": visible})
    print(json.dumps(res, ensure_ascii=False), flush=True)
    sys.stdout.flush()
    os._exit(0)  # a dev server may leave watcher threads behind; they must not keep this process alive


def edit_table(res: dict[str, Any]) -> list[str]:
    """The lines reporting the incremental rebuild."""
    secs = [e["seconds"] for e in res["edits"]]
    lines = [f"edit: DevServer.build() {res['build_s']:.2f} s; rebuild() after editing one item: "
             f"median {statistics.median(secs):.3f} s of {len(secs)} ({', '.join(f'{s:.3f}' for s in secs)}); "
             f"edit visible in the page: {sum(e['visible'] for e in res['edits'])}/{len(secs)}"]
    if "verify" in res:
        v = res["verify"]
        kind = "with search" if v["search"] else "without search (site_dir has no pagefind/)"
        if v["equal"]:
            lines.append(f"edit: site_dir equals a fresh full build {kind} ({v['files']} files, byte for byte)")
        else:
            lines.append(f"edit: site_dir DIFFERS from a fresh full build {kind}: {v['counts'][0]} files only in "
                         f"site_dir, {v['counts'][1]} only in the fresh build, {v['counts'][2]} with different "
                         f"bytes ({v['search_files']} of them under pagefind/); "
                         f"e.g. {(v['differ'] + v['only_rebuilt'] + v['only_fresh'])[:3]}")
    return lines


# =========================================================================== main


def write_report(lay: Layout, section: dict[str, Any]) -> None:
    """Merge this run's sections into DIR/bench-N.json (earlier sections of other modes are kept)."""
    doc: dict[str, Any] = {}
    with contextlib.suppress(FileNotFoundError, ValueError):
        doc = json.loads(lay.report.read_text(encoding="utf-8"))
    doc.update(section)
    lay.report.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, required=True, help="number of corpus items")
    ap.add_argument("--rounds", type=int, default=None, help="build rounds (default 3 up to 5000 items, else 1)")
    ap.add_argument("--out", type=Path, default=PROJECT / "bench" / "out",
                    help="working folder: content/, baseline/, sites, bench-N.json (default bench/out)")
    ap.add_argument("--keep", action="store_true", help="keep the built sites (default: removed at the end)")
    ap.add_argument("--cold", action="store_true",
                    help="remove the portal's caches (DIR/.cache) before every portal build")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--today", type=dt.date.fromisoformat, default=corpus.DEFAULT_TODAY,
                    help="corpus date (default 2026-11-28)")
    ap.add_argument("--check", action="store_true", help="measure portal check (cold, warm, one file)")
    ap.add_argument("--edit", action="store_true", help="measure an incremental rebuild (generator.tools.devserver)")
    ap.add_argument("--build", action="store_true", help="also run the build comparison with --check/--edit")
    ap.add_argument("--no-verify", action="store_true",
                    help="--edit: skip comparing the rebuilt site with a fresh full build")
    ap.add_argument("--query", default=QUERY, help=f"search probe typed in the portal (default {QUERY})")
    ap.add_argument("--timeout", type=float, default=7200, help="seconds one command may take (default 7200)")
    ap.add_argument("--edit-worker", nargs="+", metavar="REL", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.items < 1 or (args.rounds is not None and args.rounds < 1):
        ap.error("--items and --rounds must be at least 1")
    lay = Layout(args.out.resolve(), args.items)
    if args.edit_worker:
        return edit_worker(lay, args.edit_worker)

    def log(msg: str) -> None:
        print(msg, flush=True)

    do_build = args.build or not (args.check or args.edit)
    rounds = args.rounds or (3 if args.items <= 5000 else 1)
    lay.out.mkdir(parents=True, exist_ok=True)
    final: list[str] = []
    try:
        corpus_info = ensure_corpus(lay, args.seed, args.today)
        c = corpus_info
        log(f"corpus: {c['items']} items, {c['chars'] / 1e6:.1f}M chars, "
            + ("reused" if c["reused"] else f"generated in {c['seconds']:.1f} s") + f" → {lay.content}")
        write_report(lay, {"items": args.items, "seed": args.seed, "today": args.today.isoformat(),
                           "corpus": corpus_info,
                           "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                       "platform": platform.platform(), "rss_from": str(TIME) if TIME.exists()
                                       else "getrusage(RUSAGE_CHILDREN) in a wrapper process"}})
        if do_build:
            b = ensure_baseline(lay, corpus_info)
            log(f"baseline: {b['pages']} item pages, Chinese segmentation with jieba: "
                f"{'yes' if b['jieba'] else 'NO (pip install jieba, as Material documents)'}, "
                + ("reused" if b["reused"] else f"written in {b['seconds']:.1f} s") + f" → {lay.baseline}")
            log(f"build: {rounds} round(s), portal then baseline")
            res = bench_build(lay, rounds, args.cold, args.query, args.timeout, log)
            res["baseline_sources"] = b
            lines, numbers = build_table(args.items, res)
            res["summary"] = numbers
            write_report(lay, {"build": res})
            notes = build_notes(res)
            print("\n".join(["", *lines, *notes]), flush=True)
            final.append(last_line(args.items, numbers))
        if args.check:
            log("check: portal check, 3 runs per mode")
            res = bench_check(lay, args.timeout, log)
            write_report(lay, {"check": res})
            print("\n".join(["", *check_table(args.items, res)]), flush=True)
        if args.edit:
            log("edit: DevServer build, then 3 one-item edits")
            res = bench_edit(lay, args.timeout, not args.no_verify, log)
            if res is None:
                print(EDIT_NOT_AVAILABLE, flush=True)
            else:
                write_report(lay, {"edit": res})
                print("\n".join(["", *edit_table(res)]), flush=True)
    except BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    finally:
        if not args.keep:
            for p in (lay.portal_site, lay.baseline_site, lay.out / "edit-site", lay.out / "edit-fresh"):
                rmtree(p)
    print(f"bench: numbers in {lay.report}" + ("" if args.keep else " (sites removed; --keep keeps them)"))
    for line in final:  # the machine-readable line is the last line
        print(line)
    return 0


def build_notes(res: dict[str, Any]) -> list[str]:
    """Anything that looked wrong or needs saying next to the table."""
    notes = []
    p, b = res["portal"], res["baseline"]
    ps, bs = p["search"], b["search"]
    if ps.get("total") is not None:
        notes.append(f"portal search: {ps['requests']} requests, first results after {ps['first_results_ms']} ms, "
                     f"{ps['results_shown']} shown ({ps['status']}); by kind: "
                     + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in sorted(ps["by_kind"].items())))
        if ps["not_ok"]:
            notes.append(f"WARNING portal search: failed requests {ps['not_ok'][:5]}")
        if ps["errors"]:
            notes.append(f"WARNING portal search: browser errors {ps['errors']}")
    else:
        notes.append(f"portal search: n/a ({ps.get('reason')})")
    if bs.get("total") is not None:
        notes.append(f"baseline search: search_index.json {bs['files']['search/search_index.json'] / 1024:.0f} KB "
                     f"({bs['index_gzip'] / 1024:.0f} KB gzipped) + worker and lunr {bs['lang']} scripts "
                     f"{(bs['total'] - bs['files']['search/search_index.json']) / 1024:.0f} KB")
    for name, r in (("portal", p), ("baseline", b)):
        ip = r["item_pages"]
        if ip["missing"]:
            notes.append(f"WARNING {name}: {ip['missing']} item pages missing, e.g. {ip['missing_examples'][:3]}")
    for name in ("portal", "baseline"):
        rs = res["runs"][name]
        if len(rs) > 1:
            notes.append(f"{name} rounds: " + ", ".join(f"{x['wall_s']:.2f} s / {x['rss_mb'] or 0:.0f} MB" for x in rs))
    if res["caches"]:
        notes.append("portal caches after the run: " + ", ".join(f"{k} {v / 1e6:.1f} MB"
                                                                 for k, v in res["caches"].items()))
    other = {ln for run in res["runs"]["portal"] for ln in run.get("other_output", [])}
    if other:
        notes.append("portal build printed: " + " | ".join(sorted(other)[:5]))
    warns = max((run["warning_count"] for run in res["runs"]["baseline"]), default=0)
    if warns:
        notes.append(f"baseline build: {warns} warnings, e.g. {res['runs']['baseline'][-1]['warnings'][:2]}")
    return notes


if __name__ == "__main__":
    sys.exit(main())
