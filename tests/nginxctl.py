"""A real nginx on loopback for tests: a free port, a temporary prefix, the configuration `portal serve-config`
writes, stopped at the end."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from .conftest import require

MIME = "/etc/nginx/mime.types"


def nginx_bin() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    require("nginx", path is not None and Path(MIME).exists(), "apt-get install nginx (done by .ci/run)")
    return str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main_conf(prefix: Path, include: Path) -> Path:
    """nginx.conf around the generated file (http level), everything under prefix."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read pytest's 0700 temp dirs
    temps = "".join(f"    {d}_temp_path {prefix / d};\n" for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
        f"events {{ worker_connections 512; }}\n"
        f"http {{\n    include {MIME};\n    default_type application/octet-stream;\n    access_log off;\n"
        f"{temps}    include {include};\n}}\n", encoding="utf-8")
    return conf


def check_conf(prefix: Path, include: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on the configuration: (returncode, stderr)."""
    prefix.mkdir(parents=True, exist_ok=True)
    conf = main_conf(prefix, include)
    return subprocess.run([nginx_bin(), "-t", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                          capture_output=True, text=True)


@contextlib.contextmanager
def running(prefix: Path, include: Path, port: int):
    """Start nginx in the foreground with the configuration; yield; stop it (TERM, then KILL)."""
    prefix.mkdir(parents=True, exist_ok=True)
    conf = main_conf(prefix, include)
    proc = subprocess.Popen([nginx_bin(), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log"),
                             "-g", "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log = (prefix / "error.log").read_text() if (prefix / "error.log").exists() else ""
                    raise RuntimeError(f"nginx did not start: {proc.stdout.read().decode() if proc.stdout else ''}"
                                       f"{log}") from None
                time.sleep(0.05)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def get(port: int, path: str, host: str = "localhost", headers: dict | None = None):
    """One request without following redirects: (status, headers (lower-case names), body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host, **(headers or {})})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()
