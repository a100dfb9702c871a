"""`portal serve-config` with a real nginx on loopback: security headers, caching, 301/410/404 for legacy URLs,
precompressed responses, and a redirect map of 50,000 entries."""

from __future__ import annotations

import csv
import gzip
import random
import re
from urllib.parse import urlsplit

import pytest

from generator.render import csp
from generator.tools import serveconf
from generator.tools.cli import main

from .nginxctl import check_conf, free_port, get, running

HOST = "www.haizhu.gov.cn"


@pytest.fixture(scope="module")
def nginx(demo_site, tmp_path_factory):
    """nginx serving the demo site with the generated configuration: yields the port."""
    tmp = tmp_path_factory.mktemp("nginx")
    port = free_port()
    conf = tmp / "portal.conf"
    assert main(["serve-config", str(demo_site), "--listen", f"127.0.0.1:{port}", "--out", str(conf)]) == 0
    with running(tmp / "prefix", conf, port):
        yield port


def test_hash_sizes_grow_with_the_map():
    assert serveconf.hash_sizes(0, 0) == (2048, 256)
    assert serveconf.hash_sizes(50_000, 76) == (131072, 1024)
    assert serveconf.hash_sizes(10, 300)[1] == 4096


def test_html_has_the_security_headers_and_a_short_cache(nginx):
    status, h, body = get(nginx, "/", HOST)
    assert status == 200
    assert h["content-type"] == "text/html; charset=utf-8"
    assert h["content-security-policy"] == csp.header()
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=()" in h["permissions-policy"]
    assert h["cache-control"] == f"public, max-age={serveconf.HTML_MAX_AGE}"
    assert "strict-transport-security" not in h  # only with --hsts
    assert "server" not in h or "/" not in h["server"]  # no version
    assert "政府门户网站" in body.decode("utf-8")


def test_fingerprinted_assets_are_immutable_others_short(nginx, demo_site):
    bundle = next((demo_site / "assets/javascripts").glob("bundle.*.min.js")).name
    status, h, _ = get(nginx, f"/assets/javascripts/{bundle}", HOST)
    assert status == 200 and h["cache-control"] == "public, max-age=31536000, immutable"
    assert h["content-security-policy"] == csp.header() and h["x-content-type-options"] == "nosniff"
    fragment = next((demo_site / "pagefind/fragment").iterdir()).name
    status, h, _ = get(nginx, f"/pagefind/fragment/{fragment}", HOST)
    assert status == 200 and "immutable" in h["cache-control"]
    status, h, _ = get(nginx, "/assets/portal.css", HOST)
    assert status == 200 and h["cache-control"] == f"public, max-age={serveconf.OTHER_MAX_AGE}"
    assert h["content-type"].startswith("text/css") and h["content-security-policy"] == csp.header()


def test_precompressed_files_are_served_as_is(nginx, demo_site):
    """gzip_static: the response body is the .gz file the build wrote, byte for byte."""
    for path in ("/index.html", "/assets/portal.css", "/catalog/index.html"):
        gz = demo_site / (path.lstrip("/") + ".gz")
        assert gz.exists(), gz
        status, h, body = get(nginx, path, HOST, {"Accept-Encoding": "gzip"})
        assert status == 200 and h.get("content-encoding") == "gzip", path
        assert body == gz.read_bytes()
        assert gzip.decompress(body) == (demo_site / path.lstrip("/")).read_bytes()
        assert "accept-encoding" in h.get("vary", "").lower()
    status, h, body = get(nginx, "/index.html", HOST)  # a client without gzip gets the plain file
    assert "content-encoding" not in h and body == (demo_site / "index.html").read_bytes()


def test_every_legacy_url_gets_its_answer(nginx, demo_site):
    """Each row of redirects.csv, asked on its own host: 301 to the new page, or 410 with the unit's page."""
    rows = list(csv.DictReader((demo_site / "redirects/redirects.csv").open(encoding="utf-8")))
    assert any(r["status"] == "301" for r in rows) and any(r["status"] == "410" for r in rows)
    wrong = []
    for r in rows:
        host, _, path = r["old_url"].partition("/")
        status, h, body = get(nginx, "/" + path, host)
        if r["status"] == "301":
            if status != 301 or h.get("location") != r["new_url"]:
                wrong.append((r["old_url"], status, h.get("location")))
        else:
            text = body.decode("utf-8", "replace")
            if status != 410 or "页面已撤销" not in text or h.get("content-security-policy") != csp.header():
                wrong.append((r["old_url"], status, text[:80]))
    assert wrong == []
    # The new page the first 301 points to is served.
    first = next(r for r in rows if r["status"] == "301")
    assert get(nginx, urlsplit(first["new_url"]).path, HOST)[0] == 200


def test_unknown_pages_get_the_chinese_404(nginx, demo_site):
    for host, path in ((HOST, "/no-such-page/"), ("czj.haizhu.gov.cn", "/xxgk/never.html"), (HOST, "/.git/config"),
                       (HOST, "/assets/")):
        status, h, body = get(nginx, path, host)
        assert status == 404, path
        assert body == (demo_site / "404.html").read_bytes()
        assert h["content-security-policy"] == csp.header()
    assert get(nginx, "/404.html", HOST)[0] == 404  # the error page itself is internal


def test_hsts_only_when_asked(demo_site):
    assert "Strict-Transport-Security" not in serveconf.render(demo_site, root="/srv", server_name=HOST)
    text = serveconf.render(demo_site, root="/srv", server_name=HOST, hsts=True)
    assert text.count("Strict-Transport-Security") == text.count("X-Content-Type-Options") > 1


def big_site(tmp_path, n: int):
    """A site folder with only what serve-config reads: a home page and a map of n legacy URLs (fixed seed)."""
    rng = random.Random(19)
    site = tmp_path / "site"
    (site / "redirects").mkdir(parents=True)
    (site / "index.html").write_text('<meta name="SiteDomain" content="www.example.gov.cn">', encoding="utf-8")
    (site / "404.html").write_text("<p>页面不存在</p>", encoding="utf-8")
    lines = ['map $host$request_uri $portal_moved {', '    default "";']
    pairs = []
    for i in range(n):
        old = f"site{i % 46}.example.gov.cn/xxgk/{2010 + i % 15}/{rng.randrange(10**6):06d}/art_{i}.html?id={i}"
        new = f"https://www.example.gov.cn/u{i % 46}/news/item-{i}/"
        pairs.append((old, new))
        lines.append(f'    "{old}" "{new}";')
    lines += ["}", "", 'map $host$request_uri $portal_gone {', '    default "";', "}", ""]
    (site / "redirects/nginx.conf").write_text("\n".join(lines), encoding="utf-8")
    return site, pairs


def test_a_map_of_50000_legacy_urls_loads_and_answers(tmp_path):
    site, pairs = big_site(tmp_path, 50_000)
    port = free_port()
    conf = tmp_path / "portal.conf"
    serveconf.write(site, conf, root=site, server_name="www.example.gov.cn", listen=f"127.0.0.1:{port}")
    assert re.search(r"map_hash_max_size (\d+);", conf.read_text()).group(1) == "131072"
    # Without the computed sizes nginx refuses the map: the sizing is what makes it start.
    bare = tmp_path / "bare.conf"
    bare.write_text(re.sub(r"map_hash_(max|bucket)_size \d+;", "", conf.read_text()), encoding="utf-8")
    refused = check_conf(tmp_path / "bare", bare)
    assert refused.returncode != 0 and "map_hash" in refused.stderr
    loaded = check_conf(tmp_path / "checked", conf)
    assert loaded.returncode == 0 and "could not build" not in loaded.stderr, loaded.stderr
    with running(tmp_path / "prefix", conf, port):
        for old, new in random.Random(7).sample(pairs, 200):
            host, _, path = old.partition("/")
            status, h, _ = get(port, "/" + path, host)
            assert (status, h.get("location")) == (301, new), old
        assert get(port, "/xxgk/2010/000000/art_x.html", "site1.example.gov.cn")[0] == 404
