"""Offline link check of a built site: every internal href/src/srcset resolves, every #fragment exists.

Pages are parsed once with lxml (≈0.2 ms for a 20 KB page); targets are checked against the set of files on
disk and the ids collected from the pages, so the whole check is linear in the size of the site.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html

SKIP_SCHEMES = {"mailto", "tel", "javascript", "data", "sms", "ftp"}


@dataclass(frozen=True)
class Broken:
    """One broken link: the page it is on, the link as written, why."""

    page: str  # site-relative path of the HTML file
    link: str
    reason: str
    fragment: bool = False

    def __str__(self) -> str:
        return f"{self.page}: {self.link} → {self.reason}"


@dataclass
class LinkReport:
    """What the check found."""

    pages: int = 0
    links: int = 0
    broken: list[Broken] = field(default_factory=list)
    external: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # url -> pages

    @property
    def fragments(self) -> int:
        """How many of the broken links are missing fragments."""
        return sum(b.fragment for b in self.broken)

    def summary(self) -> str:
        """`pages: N, links: N, broken: N (fragments: N)`."""
        return f"页面 {self.pages}，链接 {self.links}，失效 {len(self.broken)}（其中锚点 {self.fragments}）"


@dataclass
class _Page:
    ids: set[str]
    links: list[str]


def _parse(path: Path) -> _Page:
    raw = path.read_bytes()
    if not raw.strip():
        return _Page(set(), [])
    doc = lxml.html.document_fromstring(raw)
    ids = {str(v) for v in doc.xpath("//@id | //a/@name")}
    links: list[str] = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("href", "src"):
            v = el.get(attr)
            if v is not None:
                links.append(v.strip())
        srcset = el.get("srcset")
        if srcset:
            links += [part.strip().split(" ")[0] for part in srcset.split(",") if part.strip()]
    return _Page(ids, links)


def _target(page_rel: str, url: str, own_hosts: set[str]) -> tuple[str | None, str, bool]:
    """(site-relative target path or None if not internal, fragment, is_external)."""
    parts = urlsplit(url)
    if parts.scheme and parts.scheme.lower() in SKIP_SCHEMES:
        return None, "", False
    if parts.scheme or parts.netloc:
        if parts.netloc.lower() not in own_hosts:
            return None, "", True
        path = parts.path or "/"
    else:
        path = parts.path
    if not path:  # "#frag" or "?q": the page itself
        return page_rel, parts.fragment, False
    path = unquote(path)
    if path.startswith("/"):
        target = posixpath.normpath(path).lstrip("/")  # browsers drop dot segments: "/." is "/"
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_rel), path))
        if target == ".":
            target = ""
    if path.endswith("/") or target == "":
        target = posixpath.join(target, "index.html") if target else "index.html"
    return target, parts.fragment, False


def check_site(site_dir: str | Path, own_hosts: Iterable[str] = ()) -> LinkReport:
    """Check every internal link and fragment of the HTML pages under site_dir."""
    site = Path(site_dir)
    hosts = {h.lower() for h in own_hosts}
    files: set[str] = set()
    dirs: set[str] = set()
    html: list[str] = []
    for dirpath, _dirnames, filenames in os.walk(site):
        rel_dir = os.path.relpath(dirpath, site)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/")
        if rel_dir:
            dirs.add(rel_dir)
        for fn in filenames:
            rel = f"{rel_dir}/{fn}" if rel_dir else fn
            files.add(rel)
            if fn.endswith(".html"):
                html.append(rel)
    html.sort()
    pages = {rel: _parse(site / rel) for rel in html}
    report = LinkReport(pages=len(pages))
    for rel, page in pages.items():
        for link in page.links:
            if not link:
                continue
            report.links += 1
            target, frag, external = _target(rel, link, hosts)
            if external:
                report.external[link].add(rel)
                continue
            if target is None:
                continue
            if target.startswith("../") or target == "..":
                report.broken.append(Broken(rel, link, "指向网站根目录之外"))
                continue
            if target not in files:
                if target.endswith("/index.html") and target[: -len("/index.html")] in dirs:
                    reason = "目录中没有 index.html"
                elif target in dirs:
                    reason = "目录链接缺少结尾的 /（或目录中没有 index.html）"
                else:
                    reason = "页面或文件不存在"
                report.broken.append(Broken(rel, link, reason))
                continue
            if frag and target.endswith(".html"):
                ids = pages[target].ids if target in pages else set()
                if unquote(frag) not in ids and frag not in ids:
                    report.broken.append(Broken(rel, link, f"页面中没有锚点 #{unquote(frag)}", fragment=True))
    return report


# --------------------------------------------------------------------------- external links (--external)

OK, REDIRECTED, BROKEN, TIMEOUT, SKIPPED = "ok", "redirected", "broken", "timeout", "skipped"
USER_AGENT = "portal-linkcheck/1.0 (+government portal link check)"


@dataclass
class ExternalResult:
    """The state of one external URL, as kept in the cache."""

    url: str
    category: str
    status: int | None = None
    final: str | None = None  # where a redirect ended
    detail: str = ""
    checked: str = ""  # ISO timestamp of the last check
    last_ok: str | None = None
    first_failure: str | None = None
    pages: list[str] = field(default_factory=list)
    fails_build: bool = False


class _Recorder(urllib.request.HTTPRedirectHandler):
    def __init__(self) -> None:
        self.chain: list[str] = []

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        self.chain.append(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _HostGate:
    """At most `connections` requests in flight and one request per `interval` seconds, per host."""

    def __init__(self, connections: int = 2, interval: float = 1.0):
        self.connections, self.interval = connections, interval
        self._lock = threading.Lock()
        self._sems: dict[str, threading.Semaphore] = {}
        self._next: dict[str, float] = {}

    def enter(self, host: str) -> threading.Semaphore:
        with self._lock:
            sem = self._sems.setdefault(host, threading.Semaphore(self.connections))
        sem.acquire()
        while True:
            with self._lock:
                now = time.monotonic()
                at = self._next.get(host, 0.0)
                if now >= at:
                    self._next[host] = now + self.interval
                    return sem
            time.sleep(at - now)


def _probe(url: str, timeout: float) -> tuple[str, int | None, str | None, str]:
    """HEAD, then GET when HEAD is refused: (category, status, final URL, detail)."""
    last_error = ""
    for method in ("HEAD", "GET"):
        recorder = _Recorder()
        opener = urllib.request.build_opener(recorder)
        req = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with opener.open(req, timeout=timeout) as resp:
                if method == "GET":
                    resp.read(1024)
                status = resp.status
                final = resp.geturl()
            if recorder.chain:
                return REDIRECTED, status, final, f"→ {final}"
            return OK, status, None, ""
        except urllib.error.HTTPError as e:
            if method == "HEAD" and e.code in (403, 405, 501):
                last_error = f"HEAD {e.code}"
                continue
            return BROKEN, e.code, None, f"HTTP {e.code}"
        except TimeoutError:
            return TIMEOUT, None, None, f"{timeout:g} 秒无响应"
        except urllib.error.URLError as e:
            if isinstance(e.reason, TimeoutError | socket.timeout):
                return TIMEOUT, None, None, f"{timeout:g} 秒无响应"
            return BROKEN, None, None, str(e.reason)
        except (OSError, ValueError) as e:
            return BROKEN, None, None, str(e)
    return BROKEN, None, None, last_error


def check_external(
    links: dict[str, set[str]],
    cache_file: str | Path,
    *,
    max_age_days: float = 7,
    fail_after_days: float = 3,
    timeout: float = 10,
    interval: float = 1.0,
    connections: int = 2,
    now: dt.datetime | None = None,
) -> list[ExternalResult]:
    """Check external URLs politely, with a persistent cache.

    A cached result younger than `max_age_days` is reused. A link that fails now but was fine within the
    last `max_age_days` only fails the build once it has been failing for more than `fail_after_days`.
    """
    now = now or dt.datetime.now(dt.UTC)
    cache_path = Path(cache_file)
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8")).get("links", {})
    except (OSError, ValueError):
        cache = {}
    gate = _HostGate(connections, interval)
    results: dict[str, ExternalResult] = {}
    todo = []
    for url in sorted(links):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            results[url] = ExternalResult(url, SKIPPED, detail="不是 http(s) 链接")
            continue
        old = cache.get(url)
        if old and (now - dt.datetime.fromisoformat(old["checked"])).total_seconds() < max_age_days * 86400:
            results[url] = ExternalResult(**{k: v for k, v in old.items() if k in ExternalResult.__annotations__})
            continue
        todo.append(url)

    def run(url: str) -> ExternalResult:
        host = urlsplit(url).hostname or ""
        sem = gate.enter(host)
        try:
            category, status, final, detail = _probe(url, timeout)
        finally:
            sem.release()
        old = cache.get(url, {})
        stamp = now.isoformat()
        good = category in (OK, REDIRECTED)
        return ExternalResult(
            url,
            category,
            status,
            final,
            detail,
            stamp,
            last_ok=stamp if good else old.get("last_ok"),
            first_failure=None if good else (old.get("first_failure") or stamp),
        )

    if todo:
        with ThreadPoolExecutor(max_workers=min(16, len(todo))) as pool:
            for r in pool.map(run, todo):
                results[r.url] = r
    for url, r in results.items():
        r.pages = sorted(links.get(url, ()))
        if r.category in (BROKEN, TIMEOUT):
            was_fine = (
                r.last_ok and (now - dt.datetime.fromisoformat(r.last_ok)).total_seconds() <= max_age_days * 86400
            )
            failing_for = (now - dt.datetime.fromisoformat(r.first_failure)).total_seconds() if r.first_failure else 0
            r.fails_build = not was_fine or failing_for > fail_after_days * 86400
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    keep = {
        u: {k: v for k, v in asdict(r).items() if k not in ("pages", "fails_build")}
        for u, r in results.items()
        if r.category != SKIPPED
    }
    cache_path.write_text(json.dumps({"version": 1, "links": keep}, ensure_ascii=False, indent=1), encoding="utf-8")
    return [results[u] for u in sorted(results)]
