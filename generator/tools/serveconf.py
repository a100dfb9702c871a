"""`portal serve-config`: the nginx configuration for a built site, in one file included at http level.

It holds the legacy-URL maps the build wrote (site/redirects/nginx.conf) with the hash sized for them, and one
server block for the portal host and every old host in the maps:

- old URLs: 301 to the new page, 410 with the unit's “页面已撤销” page, anything else 404 with the Chinese 404;
- the strict CSP (csp.py) and X-Content-Type-Options, Referrer-Policy, Permissions-Policy, X-Frame-Options
  (HSTS with --hsts, only once the host is HTTPS-only);
- Cache-Control: a year and `immutable` for fingerprinted files (Material's bundle, Pagefind's hashed
  chunks), minutes for HTML and the other files;
- gzip_static for the .gz files the build writes (precompress.py), gzip for the rest, charset utf-8.

nginx drops a level's add_header lines when a nested location has its own, so every location repeats the
security headers (one place here: `_headers`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from ..render import csp

#: Files whose name carries a hash of their content: cached for a year, never revalidated.
FINGERPRINTED = r"(\.[0-9a-f]{8}\.min\.(js|css)(\.map)?|_[0-9a-f]{7,}\.pf_(fragment|index|filter|meta))$"

#: Other files served as they are (not pages): the short cache of OTHER_MAX_AGE.
STATIC = ("css|js|json|svg|png|jpg|jpeg|gif|webp|ico|pdf|xml|txt|csv|map|wasm|pagefind|pf_meta|pf_fragment|"
          "pf_index|pf_filter|docx?|xlsx?|zip")

HTML_MAX_AGE = 300  # a correction is live within 5 minutes
OTHER_MAX_AGE = 3600  # portal.css, search.js…: not fingerprinted, revalidated hourly

PERMISSIONS = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
               "payment=(), usb=(), interest-cohort=()")

_ENTRY = re.compile(r'^\s+"((?:[^"\\]|\\.)*)"\s+"((?:[^"\\]|\\.)*)";\s*$')


@dataclass
class Maps:
    """The legacy-URL maps of a built site."""

    text: str  # the map blocks, as the build wrote them (without its hash sizing)
    entries: int
    longest: int  # bytes of the longest key
    hosts: list[str]


def read_maps(site: Path) -> Maps:
    """The build's maps (site/redirects/nginx.conf); empty maps when the site has none."""
    conf = site / "redirects" / "nginx.conf"
    text = conf.read_text(encoding="utf-8") if conf.exists() else ""
    keep, entries, longest, hosts = [], 0, 0, set()
    for line in text.splitlines():
        if line.startswith("map_hash_"):
            continue  # sized below for the whole table
        m = _ENTRY.match(line)
        if m:
            entries += 1
            longest = max(longest, len(m.group(1).encode()))
            hosts.add(m.group(1).split("/", 1)[0])
        keep.append(line)
    if not entries and "map $host$request_uri $portal_moved" not in text:
        keep = ['map $host$request_uri $portal_moved { default ""; }',
                'map $host$request_uri $portal_gone { default ""; }']
    return Maps("\n".join(keep).strip() + "\n", entries, longest, sorted(hosts))


def hash_sizes(entries: int, longest_key: int) -> tuple[int, int]:
    """(map_hash_max_size, map_hash_bucket_size) for a map of `entries` keys, the longest `longest_key` bytes.

    nginx stores each key in its bucket (a pointer plus the key rounded up to 8 bytes) and fails, or warns
    "could not build optimal map_hash", when a bucket cannot hold every key that hashes into it. With at least
    twice as many buckets as keys the expected chain is under one key; a bucket sized for 8 of the longest keys
    leaves room for the unlucky ones (measured: 52,099 legacy URLs load without the warning; with 256-byte
    buckets they do not)."""
    element = 8 + ((longest_key + 2 + 7) // 8) * 8
    bucket = 64
    while bucket < 8 * element + 8:
        bucket *= 2
    max_size = max(2048, 1 << math.ceil(math.log2(max(entries, 1) * 2)))
    return max_size, bucket


def _headers(hsts: bool, cache: str) -> list[str]:
    lines = [
        f'add_header Content-Security-Policy "{csp.header()}" always;',
        'add_header X-Content-Type-Options "nosniff" always;',
        'add_header Referrer-Policy "strict-origin-when-cross-origin" always;',
        f'add_header Permissions-Policy "{PERMISSIONS}" always;',
        'add_header X-Frame-Options "SAMEORIGIN" always;',
    ]
    if hsts:
        lines.append('add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;')
    if cache:
        lines.append(f'add_header Cache-Control "{cache}" always;')
    return lines


def render(site: Path, *, root: str | Path, server_name: str, listen: str = "80", hsts: bool = False,
           brotli: bool = False) -> str:
    """The nginx configuration text (include it inside `http { }`)."""
    maps = read_maps(site)
    max_size, bucket = hash_sizes(maps.entries, maps.longest)
    names = " ".join(dict.fromkeys([server_name, *maps.hosts]))
    html = _headers(hsts, f"public, max-age={HTML_MAX_AGE}")
    immutable = _headers(hsts, "public, max-age=31536000, immutable")
    other = _headers(hsts, f"public, max-age={OTHER_MAX_AGE}")

    def block(lines: list[str], indent: str = "        ") -> str:
        return "\n".join(indent + x for x in lines)

    compress = ["gzip_static on;", "gzip on;", "gzip_vary on;", "gzip_comp_level 5;", "gzip_min_length 512;",
                "gzip_types text/css application/javascript application/json text/xml application/xml "
                "application/rss+xml image/svg+xml text/plain application/wasm;"]
    if brotli:
        compress.append("brotli_static on;")
    return f"""# Generated by `portal serve-config` for the site at {root}.
# Include inside http {{ }} (Debian: /etc/nginx/conf.d/portal.conf); `nginx -t && nginx -s reload` after each
# publish that changed redirects. Legacy URLs: {maps.entries} entries.

map_hash_max_size {max_size};
map_hash_bucket_size {bucket};
{maps.text}
server {{
    listen {listen};
    server_name {names};
    root {root};
    index index.html;
    server_tokens off;
    charset utf-8;
    charset_types text/css application/javascript application/json text/xml application/xml
                  application/rss+xml image/svg+xml text/plain;
    disable_symlinks off;
{block(compress, "    ")}

{block(html, "    ")}

    error_page 404 /404.html;
    error_page 403 =404 /404.html;  # a folder without a page (/assets/) is not found, not forbidden
    error_page 410 /gone/$portal_gone/index.html;

    # The 410 pages: outside the location that answers old URLs, or the error page (an internal redirect
    # with the same $request_uri) would be answered 410 again.
    location /gone/ {{
{block(html)}
    }}
    location = /404.html {{
        internal;
{block(html)}
    }}
    location ~ /\\. {{ return 404; }}  # no dotfiles
    location ~* "{FINGERPRINTED}" {{
        if ($portal_moved) {{ return 301 $portal_moved; }}
{block(immutable)}
    }}
    location ~* "\\.({STATIC})$" {{
        if ($portal_moved) {{ return 301 $portal_moved; }}
        if ($portal_gone) {{ return 410; }}
{block(other)}
    }}
    location / {{
        if ($portal_moved) {{ return 301 $portal_moved; }}
        if ($portal_gone) {{ return 410; }}
        try_files $uri $uri/ =404;
{block(html)}
    }}
}}
"""


def write(site: Path, out: Path, **kw) -> Path:
    """Write the configuration to `out` (atomically: nginx never reads half a file)."""
    text = render(site, **kw)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    return out


def add_parser(subparsers) -> None:
    """Register `portal serve-config`."""
    p = subparsers.add_parser("serve-config", help="write the nginx configuration (maps + server block) for a site")
    p.add_argument("site", nargs="?", default="site", help="the built site (default: site)")
    p.add_argument("--root", default=None,
                   help="the directory nginx serves (default: the site; with `portal publish`: DEST/current)")
    p.add_argument("--server-name", default=None, help="the portal host (default: the site's SiteDomain)")
    p.add_argument("--listen", default="80", help="nginx listen value (default: 80)")
    p.add_argument("--hsts", action="store_true", help="send Strict-Transport-Security (HTTPS-only hosts)")
    p.add_argument("--brotli", action="store_true", help="brotli_static on (needs nginx's brotli module)")
    p.add_argument("--out", default="-", help="output file (default: stdout)")
    p.set_defaults(func=cmd_serve_config)


def site_domain(site: Path) -> str:
    """The portal host from the home page's SiteDomain meta tag."""
    m = re.search(r'<meta name="SiteDomain" content="([^"]+)"', (site / "index.html").read_text(encoding="utf-8"))
    return m.group(1) if m else "localhost"


def cmd_serve_config(args) -> int:
    import sys

    site = Path(args.site).resolve()
    if not (site / "index.html").exists():
        print(f"portal serve-config: {site} 不是构建好的站点（缺少 index.html），请先运行 portal build",
              file=sys.stderr)
        return 2
    kw = dict(root=args.root or site, server_name=args.server_name or site_domain(site), listen=args.listen,
              hsts=args.hsts, brotli=args.brotli)
    if args.out == "-":
        sys.stdout.write(render(site, **kw))
    else:
        write(site, Path(args.out), **kw)
    return 0
