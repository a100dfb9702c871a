"""Shared fixtures: content trees written inline in the test (tmp_path), with the real taxonomy."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

PORTAL_YML = """\
name: 测试区人民政府门户网站
domain: www.example.gov.cn
site_code: "4401050001"
icp: 粤ICP备00000000号
psb: 粤公网安备 44010502000000号
sponsor: 测试区人民政府办公室
organizer: 测试区政务服务数据管理局
"""

UNIT_YML = """\
name: 测试区发展和改革局
short_name: 区发展改革局
kind: department
aliases: [测试区发展计划局]
"""

STREET_YML = """\
name: 测试街道办事处
short_name: 测试街
kind: street
communities:
  - id: ceshi-a
    name: 甲社区居委会
"""


def write_tree(root: Path, files: dict[str, str | bytes], *, taxonomy: bool = True,
               portal: bool = True) -> Path:
    """Write a content tree: the real taxonomy, a small portal.yml, plus `files` (path -> text or bytes)."""
    root.mkdir(parents=True, exist_ok=True)
    if taxonomy:
        shutil.copy(CONTENT / "taxonomy.yml", root / "taxonomy.yml")
    if portal:
        (root / "portal.yml").write_text(PORTAL_YML, encoding="utf-8")
    for rel, body in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            p.write_bytes(body)
        else:
            p.write_text(textwrap.dedent(body), encoding="utf-8")
    return root


def item(front: str, body: str = "正文。\n") -> str:
    """An item file from a dedented front-matter block."""
    return "---\n" + textwrap.dedent(front).strip("\n") + "\n---\n" + body


@pytest.fixture
def tree(tmp_path):
    """Factory: tree({path: text}) -> content root in tmp_path."""

    def make(files: dict[str, str | bytes] | None = None, **kw) -> Path:
        base = {"units/fgj/unit.yml": UNIT_YML, "units/ceshi/unit.yml": STREET_YML}
        base.update(files or {})
        return write_tree(tmp_path / "content", {k: v for k, v in base.items() if v is not None}, **kw)

    return make


def build_site(content: Path, site: Path, **kw) -> object:
    """Build a content tree with the project's mkdocs.yml into `site` (the real `portal build`)."""
    from generator.render.build import build

    return build(ROOT / "mkdocs.yml", site, content_dir=content, **kw)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The bundled demo content, built once per test session."""
    site = tmp_path_factory.mktemp("demo") / "site"
    build_site(CONTENT, site)
    return site


def require(component: str, available: bool, reason: str) -> None:
    """Skip locally when a real component is missing; fail in CI (PORTAL_REQUIRE_COMPONENTS=1)."""
    import os

    if available:
        return
    if os.environ.get("PORTAL_REQUIRE_COMPONENTS"):
        pytest.fail(f"{component} is required in CI: {reason}")
    pytest.skip(f"{component} not available: {reason}")


@pytest.fixture(scope="session")
def serve():
    """Serve a directory on 127.0.0.1 (a real HTTP server, like production but local): serve(dir) -> base URL."""
    import functools
    import http.server
    import threading

    servers = []

    def start(directory: Path) -> str:
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send_error(self, code, message=None, explain=None):
                if code == 404 and (Path(directory) / "404.html").exists():
                    body = (Path(directory) / "404.html").read_bytes()
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                super().send_error(code, message, explain)

        handler = functools.partial(Quiet, directory=str(directory))
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_address[1]}"

    yield start
    for srv in servers:
        srv.shutdown()


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    import shutil

    require("Chromium", Path(CHROMIUM).exists() and shutil.which("chromium") is not None,
            "apt-get install chromium (done by .ci/run)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require("playwright", False, "pip install playwright")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


ARTIFACTS = ROOT / "artifacts"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on (for a server a test starts)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
