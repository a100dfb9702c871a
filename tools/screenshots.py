"""Screenshots of one page of every page kind for a reviewer (issue 20, point 7): `make screenshots`.

Serves the already built `site/` (run `make site` first; this script builds nothing) on 127.0.0.1 at a port
between 8900 and 8999, opens each page kind (tests/pagekinds.py, from the build's own page specs) in Debian's
Chromium at 1280 and 375 px, in the standard view, 长者模式 and high contrast, and writes PNGs plus an
`index.html` contact sheet to `artifacts/screenshots/` (git-ignored, never committed).

    .venv/bin/python tools/screenshots.py [--site site] [--out artifacts/screenshots] [--port 8931] [--kinds home,list]
"""

from __future__ import annotations

import argparse
import functools
import html
import http.server
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
WIDTHS = (1280, 375)
#: mode -> script run before every page's own scripts (the localStorage keys the 无障碍 toolbar writes)
MODES = {
    "normal": "",
    "care": "localStorage.setItem('portal-care', '1')",
    "contrast": "localStorage.setItem('portal-contrast', '1')",
}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
#: Full-page shots are cut at this height (the handbook is tens of thousands of pixels long).
MAX_HEIGHT = 4000


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Static files, and the site's own 404.html for a missing path (as nginx serves it in production)."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(directory: Path, port: int) -> http.server.ThreadingHTTPServer:
    """A local HTTP server on the first free port from `port` up to 8999."""
    handler = functools.partial(_Quiet, directory=str(directory))
    for p in range(port, 9000):
        try:
            srv = http.server.ThreadingHTTPServer(("127.0.0.1", p), handler)
        except OSError:
            continue
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        return srv
    raise SystemExit(f"no free port between {port} and 8999")


def shoot(site: Path, out: Path, port: int, only: set[str] | None) -> list[dict]:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.pagekinds import demo_kinds

    kinds = {k: v for k, v in demo_kinds().items() if not only or k in only}
    srv = serve(site, port)
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    print(f"serving {site} at {base}; {len(kinds)} page kinds × {len(WIDTHS)} widths × {len(MODES)} modes")
    shots = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for width in WIDTHS:
                for mode, init in MODES.items():
                    ctx = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 812})
                    if init:
                        ctx.add_init_script(init)
                    page = ctx.new_page()
                    for kind, path in kinds.items():
                        page.goto(base + path, wait_until="load")
                        if path.startswith("/search/?"):
                            page.wait_for_selector(".portal-result, .portal-search-empty", timeout=15000)
                        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                        name = f"{kind}-{width}-{mode}.png"
                        page.screenshot(path=str(out / name),
                                        clip={"x": 0, "y": 0, "width": width, "height": height}, full_page=True)
                        over = page.evaluate(OVERFLOW)
                        shots.append({"kind": kind, "path": path, "width": width, "mode": mode, "file": name,
                                      "overflow": over})
                    ctx.close()
            browser.close()
    finally:
        srv.shutdown()
    return shots


def contact_sheet(shots: list[dict], out: Path) -> Path:
    """index.html: one row per page kind, one thumbnail per width × mode, each a link to the full PNG.
    No inline style (the sheet follows the portal's own CSP rules): a small stylesheet file beside it."""
    (out / "sheet.css").write_text(
        "body{font-family:sans-serif;margin:1rem;color:#111}table{border-collapse:collapse}"
        "th,td{border:1px solid #ccc;padding:.3rem;vertical-align:top;text-align:left}"
        "img{display:block;max-width:220px;max-height:420px;object-fit:cover;object-position:top}"
        "td.w375 img{max-width:110px}.bad{color:#b3141c;font-weight:700}\n", encoding="utf-8")
    cols = [(w, m) for w in WIDTHS for m in MODES]
    rows = []
    by_kind: dict[str, dict] = {}
    for s in shots:
        by_kind.setdefault(s["kind"], {})[(s["width"], s["mode"])] = s
    for kind, cells in by_kind.items():
        path = next(iter(cells.values()))["path"]
        tds = []
        for col in cols:
            s = cells.get(col)
            if not s:
                tds.append("<td></td>")
                continue
            warn = f'<span class="bad">横向溢出 {s["overflow"]}px</span>' if s["overflow"] > 0 else ""
            tds.append(f'<td class="w{col[0]}"><a href="{html.escape(s["file"])}"><img src="{html.escape(s["file"])}" '
                       f'alt="{html.escape(kind)} {col[0]}px {col[1]}" loading="lazy"></a>{warn}</td>')
        rows.append(f"<tr><th>{html.escape(kind)}<br><code>{html.escape(path)}</code></th>{''.join(tds)}</tr>")
    head = "".join(f"<th>{w} px · {m}</th>" for w, m in cols)
    page = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>页面截图 · 每种页面</title>'
            f'<link rel="stylesheet" href="sheet.css"></head><body><h1>页面截图（{len(by_kind)} 种页面）</h1>'
            f"<p>生成于 {time.strftime('%Y-%m-%d %H:%M')}；点击缩略图看原图（最高 {MAX_HEIGHT}px）。</p>"
            f"<table><thead><tr><th>页面种类</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            "</body></html>\n")
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", type=Path, default=ROOT / "site")
    ap.add_argument("--out", type=Path, default=ROOT / "artifacts" / "screenshots")
    ap.add_argument("--port", type=int, default=8931, help="first port to try (8900-8999)")
    ap.add_argument("--kinds", help="comma-separated page kinds (default: all)")
    args = ap.parse_args(argv)
    if not 8900 <= args.port <= 8999:
        ap.error("--port must be between 8900 and 8999")
    if not (args.site / "index.html").exists():
        ap.error(f"{args.site} has no built site: run `make site` first")
    if not Path(CHROMIUM).exists():
        ap.error(f"{CHROMIUM} not found: apt-get install chromium")
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    shots = shoot(args.site, args.out, args.port, set(args.kinds.split(",")) if args.kinds else None)
    index = contact_sheet(shots, args.out)
    over = [s for s in shots if s["overflow"] > 0]
    print(f"{len(shots)} screenshots → {index}" + (f"; {len(over)} with horizontal overflow" if over else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
