"""Legacy URLs: one answer per old address, validated, served by a real nginx."""

from __future__ import annotations

import csv
import http.client
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from generator.stages import redirects
from generator.stages.pipeline import check

from .conftest import item, require, write_tree

FGJ = "name: 测试区发展和改革局\nkind: department\nlegacy_sites: [http://fgj.example.gov.cn/, http://www.example.gov.cn/hzfgj/]\n"


def run(root, pages=None):
    r = check(root, display_base=root)
    return redirects.collect(r.index, pages)


def test_mapping_table_from_all_sources(tree):
    root = tree({
        "units/fgj/unit.yml": FGJ,
        "units/fgj/news/a.md": item("title: 一\ndate: 2020-01-01\nlegacy_urls:\n"
                                    "  - http://fgj.example.gov.cn/art.jsp?id=123\n  - HTTP://FGJ.example.gov.cn/新闻/a.html"),
        "redirects.yml": "redirects:\n  - old: http://fgj.example.gov.cn/list.jsp?c=1\n    new: /fgj/news/\n"
                         "  - old: http://fgj.example.gov.cn/old.html\n    gone: true\n    unit: fgj\n",
    })
    mappings, diags = run(root)
    assert diags == []
    table = {m.old: (m.status, m.target, m.origin) for m in mappings}
    assert table == {
        "fgj.example.gov.cn/": (301, "/fgj/", "legacy_sites"),
        "www.example.gov.cn/hzfgj/": (301, "/fgj/", "legacy_sites"),
        "fgj.example.gov.cn/art.jsp?id=123": (301, "/fgj/news/a/", "legacy_urls"),
        "fgj.example.gov.cn/%E6%96%B0%E9%97%BB/a.html": (301, "/fgj/news/a/", "legacy_urls"),
        "fgj.example.gov.cn/list.jsp?c=1": (301, "/fgj/news/", "redirects.yml"),
        "fgj.example.gov.cn/old.html": (410, None, "redirects.yml"),
    }
    conf = redirects.nginx_conf(mappings, "https://www.example.gov.cn")
    assert '"fgj.example.gov.cn/art.jsp?id=123" "https://www.example.gov.cn/fgj/news/a/";' in conf
    assert '"fgj.example.gov.cn/old.html" "fgj";' in conf
    stubs = dict(redirects.stubs(mappings, check(root, display_base=root).index.portal))
    assert list(stubs) == ["hzfgj/index.html"]  # only old paths on the portal's own host
    assert 'url=/fgj/' in stubs["hzfgj/index.html"] and 'lang="zh-CN"' in stubs["hzfgj/index.html"]
    rows = list(csv.DictReader(redirects.csv_text(mappings, "https://www.example.gov.cn").splitlines()))
    assert {r["old_url"] for r in rows} == set(table)


def test_violations_are_diagnostics_at_their_source(tree):
    root = tree({
        "units/fgj/unit.yml": FGJ,
        "units/fgj/news/a.md": item("title: 一\ndate: 2020-01-01\nlegacy_urls: [fgj.example.gov.cn/no-scheme.html]"),
        "units/fgj/news/b.md": item("title: 二\ndate: 2020-01-01\nlegacy_urls: [http://fgj.example.gov.cn/]"),
        "redirects.yml": "redirects:\n"
                         "  - old: http://x.example.gov.cn/1\n    new: fgj/news/nope\n"         # line 2: no such item
                         "  - old: http://x.example.gov.cn/2\n    new: /hzfgj/\n"               # line 4: a chain
                         "  - old: http://www.example.gov.cn/units/\n    new: fgj\n"            # line 6: live page
                         "  - old: http://x.example.gov.cn/3\n    new: /missing/path/\n",       # only at build
    })
    r = check(root, display_base=root)
    got = sorted((d.path, d.line, d.rule) for d in r.diagnostics)
    assert got == [
        ("redirects.yml", 2, "E222"), ("redirects.yml", 4, "E223"), ("redirects.yml", 6, "E224"),
        ("units/fgj/news/a.md", 4, "E220"), ("units/fgj/news/b.md", 4, "E221"),
    ]
    _, diags = redirects.collect(r.index, {"/", "/fgj/", "/fgj/news/a/", "/fgj/news/b/", "/units/"})
    assert ("redirects.yml", 8, "E222") in [(d.path, d.line, d.rule) for d in diags]
    assert "fgj/news/nope" in next(d.message for d in r.diagnostics if d.rule == "E222")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx(demo_site, tmp_path):
    """A real nginx on 127.0.0.1 serving the demo with the generated redirect config."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    require("nginx", binary is not None, "apt-get install nginx (done by .ci/run)")
    port = free_port()
    conf = tmp_path / "nginx.conf"
    temps = "".join(f"  {k}_temp_path {tmp_path}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # pytest's tmp dirs are 0700: workers must read them
    conf.write_text(f"""
{user}worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
{temps}  access_log off;
  include /etc/nginx/mime.types;
  include {demo_site}/redirects/nginx.conf;
  server {{
    listen 127.0.0.1:{port} default_server;
    server_name _;
    root {demo_site};
    include {demo_site}/redirects/server.conf;
  }}
}}
""", encoding="utf-8")
    proc = subprocess.Popen([binary, "-c", str(conf), "-p", str(tmp_path), "-g", "daemon off;"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail(f"nginx did not start: {proc.stderr.read().decode()}")
    yield port
    proc.terminate()
    proc.wait(timeout=10)


def request(port: int, old: str) -> tuple[int, str | None, str]:
    host, _, path = old.partition("/")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/" + path, headers={"Host": host})
    resp = conn.getresponse()
    body = resp.read().decode("utf-8", "replace")
    conn.close()
    return resp.status, resp.getheader("Location"), body


def test_nginx_answers_every_kind_of_old_url(nginx, demo_site):
    with open(demo_site / "redirects/redirects.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    moved = [r for r in rows if r["status"] == "301"]
    gone = [r for r in rows if r["status"] == "410"]
    assert len(moved) > 100 and len(gone) == 2
    with_query = [r for r in moved if "?" in r["old_url"]]
    sample = moved[:: max(1, len(moved) // 25)] + with_query[:5]
    for r in sample:
        status, location, _ = request(nginx, r["old_url"])
        assert (status, location) == (301, r["new_url"]), r["old_url"]
        # exactly one hop: the target is a page on the portal host, not another redirect
        status2, location2, _ = request(nginx, "www.haizhu.gov.cn" + r["new_url"].split("www.haizhu.gov.cn", 1)[1])
        assert (status2, location2) == (200, None), r["new_url"]
    for r in gone:
        status, _, body = request(nginx, r["old_url"])
        assert status == 410 and "页面已撤销" in body, r["old_url"]
    status, _, body = request(nginx, "jyj.haizhu.gov.cn/no/such/page.html")
    assert status == 404 and "页面不存在" in body
    status, _, body = request(nginx, "www.haizhu.gov.cn/hzzz/unknown.html")
    assert status == 404 and "页面不存在" in body


def test_static_stubs_for_old_paths_on_the_portal_host(demo_site):
    stub = (demo_site / "hzfgj/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/fgj/">' in stub
    assert '<link rel="canonical" href="/fgj/">' in stub and 'href="/fgj/">/fgj/</a>' in stub


def test_demo_content_has_no_redirect_problems(tmp_path):
    root = write_tree(tmp_path / "c", {"units/fgj/unit.yml": FGJ})
    assert run(root)[1] == []
