#!/usr/bin/env python3
"""Load test of the served site: nginx with `portal serve-config` and wrk, on the bench corpus.

    .venv/bin/python bench/serve_load.py --items 20000 --redirects 50000 [--out DIR] [--seconds 20]
        [--connections 64] [--threads 2] [--keep]

1. generates the corpus (bench/corpus.py) plus content/redirects.yml with --redirects extra old URLs of the
   46 old sites (each to its unit's page), so the map has at least that many entries besides the items' own;
2. `portal build`s it (precompressed .gz included) and writes the nginx configuration with serve-config;
3. starts nginx on a free loopback port (temporary prefix, one worker per CPU);
4. checks 2,000 sampled legacy URLs answer 301 with the right Location;
5. runs wrk for --seconds on a fixed mix of requests (seed 19): HTML pages 50 %, assets 15 %, search files
   (Pagefind chunks and fragments) 15 %, legacy URLs 20 % (each with its old Host header; gzip accepted);
6. prints requests/s, latency percentiles, errors (socket errors + any non-2xx/3xx answer), and writes
   DIR/serve-load.json.

Needs nginx and wrk (apt-get install nginx wrk). Not part of `make test`: it takes minutes and the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from bench import corpus  # noqa: E402
from generator import serveconf  # noqa: E402
from generator.render.build import build  # noqa: E402

HOST = "www.haizhu.gov.cn"

LUA = r"""
-- One request per line of paths.txt: "HOST PATH"; wrk's threads start at different lines.
local reqs = {}
local n = 0
for line in io.lines("%(paths)s") do
  local host, path = line:match("^(%%S+) (.+)$")
  n = n + 1
  reqs[n] = wrk.format("GET", path, {["Host"] = host, ["Accept-Encoding"] = "gzip"})
end
local i = 0
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end
function init(args)
  i = offset or 0
end
function request()
  i = i + 1
  return reqs[(i %% n) + 1]
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_redirects(content: Path, n: int, seed: int = 19) -> int:
    """content/redirects.yml with n old URLs on the units' old hosts, each to the unit's page."""
    units = sorted(p.parent.name for p in (content / "units").glob("*/unit.yml"))
    hosts = sorted({m.group(1) for p in (content / "units").glob("*/unit.yml")
                    for m in re.finditer(r"http://([a-z0-9]+\.haizhu\.gov\.cn)/", p.read_text(encoding="utf-8"))
                    if not m.group(1).startswith("www.")})
    rng = random.Random(seed)
    lines = ["redirects:"]
    for i in range(n):
        uid = units[i % len(units)]
        host = f"{uid}.haizhu.gov.cn" if f"{uid}.haizhu.gov.cn" in hosts else rng.choice(hosts)
        lines.append(f"  - old: http://{host}/bench/{2008 + i % 16}/{rng.randrange(10**7):07d}/art_{i}.html")
        lines.append(f"    new: {uid}")
    (content / "redirects.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n


def mix(site: Path, rows: list[dict], total: int, seed: int = 19) -> list[tuple[str, str]]:
    """(host, path) requests: pages, assets, search files and legacy URLs in fixed proportions."""
    rng = random.Random(seed)
    pages, assets, search = [], [], []
    for dirpath, _dirs, files in os.walk(site):
        rel = os.path.relpath(dirpath, site)
        for name in files:
            if name.endswith(".gz"):
                continue
            path = "/" + (name if rel == "." else f"{rel}/{name}")
            if path.startswith("/redirects/") or path.startswith("/feeds/"):
                continue
            if name == "index.html":
                html = Path(dirpath, name).read_bytes()[:3000]
                if b'http-equiv="refresh"' not in html:  # redirect stubs answer 301 through the map
                    pages.append(path[: -len("index.html")])
            elif path.startswith("/pagefind/") and (name.endswith(".pf_fragment") or name.endswith(".pf_index")):
                search.append(path)
            elif path.startswith("/assets/") and not name.endswith(".map"):
                assets.append(path)
    moved = [r for r in rows if r["status"] == "301"]
    out = []
    for _ in range(total):
        x = rng.random()
        if x < 0.5:
            out.append((HOST, rng.choice(pages)))
        elif x < 0.65:
            out.append((HOST, rng.choice(assets)))
        elif x < 0.8:
            out.append((HOST, rng.choice(search)))
        else:
            host, _, path = rng.choice(moved)["old_url"].partition("/")
            out.append((host, "/" + path))
    return out


def check_redirects(port: int, rows: list[dict], n: int = 2000) -> dict:
    """Sampled legacy URLs: 301 to the recorded new URL (410 for retired pages)."""
    bad = []
    for r in random.Random(7).sample(rows, min(n, len(rows))):
        host, _, path = r["old_url"].partition("/")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/" + path, headers={"Host": host})
        resp = conn.getresponse()
        resp.read()
        conn.close()
        ok = (resp.status == 301 and resp.getheader("Location") == r["new_url"]) if r["status"] == "301" \
            else resp.status == 410
        if not ok:
            bad.append((r["old_url"], resp.status, resp.getheader("Location")))
    return {"sampled": min(n, len(rows)), "wrong": len(bad), "examples": bad[:5]}


def parse_wrk(text: str) -> dict:
    def num(value: str, unit: str) -> float:
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    out: dict = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = float(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+), ([\d.]+\w+) read", text)
    if m:
        out["requests"], out["read"] = int(m.group(1)), m.group(4)
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        out[f"p{pct}_ms"] = round(num(m.group(1), m.group(2)), 3) if m else None
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    out["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non_2xx_3xx"] = int(m.group(1)) if m else 0
    out["errors"] = out["socket_errors"] + out["non_2xx_3xx"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=20000)
    ap.add_argument("--redirects", type=int, default=50000)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="reuse DIR's corpus and site if present")
    args = ap.parse_args()
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool):
            print(f"serve_load: {tool} not found (apt-get install {tool})", file=sys.stderr)
            return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="serve-load-"))
    out.mkdir(parents=True, exist_ok=True)
    content, site = out / "content", out / "site"
    t0 = time.perf_counter()
    if not (args.keep and site.exists()):
        corpus.generate(content, args.items, force=True)
        write_redirects(content, args.redirects)
        r = build(PROJECT / "mkdocs.yml", site, content_dir=content)
        print(f"serve_load: built {r.pages} pages in {r.seconds:.0f} s")
    import csv

    rows = list(csv.DictReader((site / "redirects/redirects.csv").open(encoding="utf-8")))
    port = free_port()
    prefix = out / "nginx"
    shutil.rmtree(prefix, ignore_errors=True)
    prefix.mkdir()
    conf = serveconf.write(site, prefix / "portal.conf", root=site, server_name=HOST, listen=f"127.0.0.1:{port}")
    maps = serveconf.read_maps(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    temps = "".join(f"    {d}_temp_path {prefix / d};\n" for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (prefix / "nginx.conf").write_text(
        f"{user}worker_processes auto;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
        "events { worker_connections 4096; }\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    access_log off;\n    sendfile on;\n    tcp_nopush on;\n    keepalive_requests 100000;\n{temps}"
        f"    include {conf};\n}}\n", encoding="utf-8")
    nginx = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e",
                              str(prefix / "error.log"), "-g", "daemon off;"])
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        redirects = check_redirects(port, rows)
        requests = mix(site, rows, 20000)
        (out / "paths.txt").write_text("".join(f"{h} {p}\n" for h, p in requests), encoding="utf-8")
        (out / "mix.lua").write_text(LUA % {"paths": out / "paths.txt"}, encoding="utf-8")
        cmd = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.seconds}s", "--latency",
               "-s", str(out / "mix.lua"), f"http://127.0.0.1:{port}/"]
        text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    finally:
        nginx.terminate()
        nginx.wait()
    result = {"items": args.items, "map_entries": maps.entries, "redirect_rows": len(rows),
              "hash": serveconf.hash_sizes(maps.entries, maps.longest), "redirect_check": redirects,
              "wrk": parse_wrk(text), "wrk_command": " ".join(cmd), "cpus": os.cpu_count(),
              "seconds_total": round(time.perf_counter() - t0)}
    (out / "serve-load.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(text)
    w = result["wrk"]
    print(f"serve-load items={args.items} map={maps.entries} rps={w['rps']} p50_ms={w['p50_ms']} "
          f"p99_ms={w['p99_ms']} errors={w['errors']} redirects_wrong={redirects['wrong']}/{redirects['sampled']}")
    return 0 if w["errors"] == 0 and redirects["wrong"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
