"""`portal linkcheck`: internal links and fragments offline; external links politely, with a cache."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import itertools
import json
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest

from generator.checks.linkcheck import check_external, check_site
from generator.tools.cli import main

from .conftest import require

PAGE = '<!doctype html><html lang="zh-CN"><head><title>{t}</title></head><body>{b}</body></html>'


def planted_site(root: Path) -> Path:
    """A small site with one of each breakage next to working links."""
    files = {
        "index.html": PAGE.format(
            t="首页",
            b='<a href="fgj/">局</a><a href="fgj/news/a/#sec">锚点</a>'
            '<a href="missing/">缺页</a><a href="fgj/news/a/#nope">缺锚点</a>'
            '<img src="img/none.png" alt=""><a href="emptydir/">空目录</a>'
            '<a href="https://example.invalid/x">外部</a><a href="mailto:a@b.c">邮件</a>'
            '<a href="/fgj/news/a/">根路径</a><a href="#top">本页</a><p id="top"></p>',
        ),
        "fgj/index.html": PAGE.format(
            t="局",
            b='<a href="news/a/">文章</a><a href="../index.html">首页</a>'
            '<img srcset="../img/ok.png 1x, ../img/gone.png 2x" src="../img/ok.png" alt="">',
        ),
        "fgj/news/a/index.html": PAGE.format(
            t="文", b='<h2 id="sec">节</h2><a href="../../">局</a><a href="../../../../outside.html">越界</a>'
        ),
        "img/ok.png": "png",
        "emptydir/readme.txt": "没有 index.html 的目录",
    }
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


EXPECTED = [
    ("fgj/index.html", "../img/gone.png", "页面或文件不存在"),
    ("fgj/news/a/index.html", "../../../../outside.html", "指向网站根目录之外"),
    ("index.html", "emptydir/", "目录中没有 index.html"),
    ("index.html", "fgj/news/a/#nope", "页面中没有锚点 #nope"),
    ("index.html", "img/none.png", "页面或文件不存在"),
    ("index.html", "missing/", "页面或文件不存在"),
]


def test_every_planted_breakage_is_found_and_nothing_else(tmp_path):
    site = planted_site(tmp_path / "site")
    report = check_site(site)
    assert sorted((b.page, b.link, b.reason) for b in report.broken) == EXPECTED
    assert report.fragments == 1
    assert report.pages == 3
    assert list(report.external) == ["https://example.invalid/x"]
    assert report.summary() == f"页面 3，链接 {report.links}，失效 6（其中锚点 1）"


def test_cli_groups_by_unit_and_exits_1(tmp_path, capsys):
    site = planted_site(tmp_path / "site")
    assert main(["--content", str(tmp_path / "nocontent"), "linkcheck", str(site)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "网站根目录（/）"
    assert "fgj（fgj）" in out
    assert out[-1].startswith("页面 3，链接 ") and out[-1].endswith("失效 6（其中锚点 1）")
    assert main(["linkcheck", str(tmp_path / "nope")]) == 2


def test_demo_site_has_no_broken_links(demo_site, capsys):
    assert main(["linkcheck", str(demo_site), "--host", "www.haizhu.gov.cn"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.endswith("失效 0（其中锚点 0）")


# --------------------------------------------------------------------------- agreement with Debian's linkchecker


class NoListing(http.server.SimpleHTTPRequestHandler):
    """Like a production server: a directory without index.html is 404, not a listing. It also sends the
    `LinkChecker` header, which lets LinkChecker exceed 10 requests per second on this host."""

    def list_directory(self, path):
        self.send_error(404)
        return None

    def end_headers(self):
        self.send_header("LinkChecker", "allowed")
        super().end_headers()

    def log_message(self, *args):
        pass


def serve_dir(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(NoListing, directory=str(directory)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}/"


def problems(rows: list[dict]) -> set[tuple[str, str]]:
    """What linkchecker calls broken: invalid URLs, plus the anchor warnings of its AnchorCheck plugin."""
    return {
        (r["urlname"], r["result"] + " " + r.get("warningstring", ""))
        for r in rows
        if r.get("valid") == "False" or "Anchor" in r.get("warningstring", "")
    }


def run_linkchecker(url: str, tmp_path: Path) -> list[dict]:
    require("linkchecker", shutil.which("linkchecker") is not None, "apt-get install linkchecker (done by .ci/run)")
    cfg = tmp_path / "linkcheckerrc"
    cfg.write_text(
        "[checking]\nthreads=8\nmaxrequestspersecond=1000\n"
        "[filtering]\nignore=\n  ^mailto:\n  ^https?://(?!127\\.0\\.0\\.1)\n[AnchorCheck]\n",
        encoding="utf-8",
    )
    out = tmp_path / "lc.csv"
    proc = subprocess.run(
        ["linkchecker", "-f", str(cfg), "--no-status", "--verbose", "-o", "csv", url],
        capture_output=True,
        text=True,
        check=False,
        timeout=1500,
    )
    rows = [line.split(";") for line in proc.stdout.splitlines() if line and not line.startswith("#")]
    header = rows[0]
    out.write_text(proc.stdout, encoding="utf-8")
    return [dict(zip(header, r, strict=False)) for r in rows[1:]]


@pytest.mark.slow
def test_linkchecker_agrees_on_the_planted_site(tmp_path):
    site = planted_site(tmp_path / "site")
    srv, base = serve_dir(site)
    try:
        rows = run_linkchecker(base, tmp_path)
    finally:
        srv.shutdown()
    broken = problems(rows)
    found = {name for name, _ in broken}
    for link in ("missing/", "img/none.png", "emptydir/", "../img/gone.png"):
        assert link in found, (link, broken)
    assert any("nope" in name or "#nope" in result for name, result in broken), broken
    ours = {b.link for b in check_site(site).broken}
    assert {"missing/", "img/none.png", "emptydir/", "../img/gone.png", "fgj/news/a/#nope"} <= ours


@pytest.mark.slow
def test_linkchecker_and_portal_both_find_no_broken_link_in_the_demo(demo_site, tmp_path):
    srv, base = serve_dir(demo_site)
    try:
        rows = run_linkchecker(base, tmp_path)
    finally:
        srv.shutdown()
    assert len(rows) > 1000
    assert problems(rows) == set()
    assert check_site(demo_site, ["www.haizhu.gov.cn"]).broken == []


# --------------------------------------------------------------------------- external links


class Routes(http.server.BaseHTTPRequestHandler):
    """127.0.0.1-only test server: ok, redirect, gone, slow, HEAD refused; records request times."""

    log: ClassVar[list[tuple[float, str, str]]] = []
    inflight = 0
    max_inflight = 0
    lock = threading.Lock()

    def _serve(self, body: bool) -> None:
        with Routes.lock:
            Routes.inflight += 1
            Routes.max_inflight = max(Routes.max_inflight, Routes.inflight)
            Routes.log.append((time.monotonic(), self.command, self.path))
        try:
            time.sleep(0.05)
            if self.path.startswith("/ok"):
                self.send_response(200)
            elif self.path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/ok")
            elif self.path == "/gone":
                self.send_response(404)
            elif self.path == "/slow":
                time.sleep(2)
                self.send_response(200)
            elif self.path == "/nohead":
                self.send_response(405 if self.command == "HEAD" else 200)
            else:
                self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
        finally:
            with Routes.lock:
                Routes.inflight -= 1

    def do_HEAD(self):
        self._serve(False)

    def do_GET(self):
        self._serve(True)

    def log_message(self, *args):
        pass


@pytest.fixture
def routes():
    Routes.log, Routes.inflight, Routes.max_inflight = [], 0, 0
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Routes)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_external_categories(routes, tmp_path):
    links = {
        f"{routes}/ok": {"a.html"},
        f"{routes}/moved": {"a.html"},
        f"{routes}/gone": {"b.html"},
        f"{routes}/slow": {"b.html"},
        f"{routes}/nohead": {"c.html"},
        "ftp://example.invalid/": {"c.html"},
    }
    res = {
        r.url.replace(routes, ""): r for r in check_external(links, tmp_path / "links.json", timeout=1, interval=0.05)
    }
    assert {k: r.category for k, r in res.items()} == {
        "/ok": "ok",
        "/moved": "redirected",
        "/gone": "broken",
        "/slow": "timeout",
        "/nohead": "ok",
        "ftp://example.invalid/": "skipped",
    }
    assert res["/moved"].final.endswith("/ok") and res["/gone"].status == 404
    assert res["/gone"].fails_build and res["/slow"].fails_build and not res["/ok"].fails_build
    assert [c for _, c, p in Routes.log if p == "/nohead"] == ["HEAD", "GET"]


def test_external_rate_limit_and_connections(routes, tmp_path):
    links = {f"{routes}/ok{i}": {"p.html"} for i in range(6)}
    t0 = time.monotonic()
    check_external(links, tmp_path / "links.json", interval=0.3)
    starts = sorted(t for t, _, _ in Routes.log)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.28, gaps  # one request per interval per host
    assert Routes.max_inflight <= 2
    assert time.monotonic() - t0 >= 1.4


def test_external_cache_and_grace(routes, tmp_path):
    cache = tmp_path / "links.json"
    day0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    url = f"{routes}/ok"
    [r] = check_external({url: {"p.html"}}, cache, now=day0, interval=0)
    assert r.category == "ok" and len(Routes.log) == 1
    [r] = check_external({url: {"p.html"}}, cache, now=day0 + dt.timedelta(days=2), interval=0)
    assert len(Routes.log) == 1  # cached result reused within max-age
    # the link breaks: it was fine 8 days ago... make it look fine 1 day ago, then failing for 1 day
    data = json.loads(cache.read_text(encoding="utf-8"))
    gone = f"{routes}/gone"
    data["links"][gone] = {
        "url": gone,
        "category": "ok",
        "status": 200,
        "final": None,
        "detail": "",
        "checked": (day0 - dt.timedelta(days=9)).isoformat(),
        "last_ok": (day0 - dt.timedelta(days=1)).isoformat(),
        "first_failure": None,
    }
    cache.write_text(json.dumps(data), encoding="utf-8")
    [r] = check_external({gone: {"p.html"}}, cache, now=day0, interval=0)
    assert r.category == "broken" and not r.fails_build  # fine yesterday: a warning, not a failure
    [r] = check_external({gone: {"p.html"}}, cache, now=day0 + dt.timedelta(days=8), interval=0, max_age_days=0)
    assert r.fails_build  # broken for longer than the threshold
    assert r.first_failure == day0.isoformat()
