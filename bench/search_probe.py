"""Search at scale: recall against substring ground truth, and what a cold header-box query costs.

    .venv/bin/python bench/search_probe.py SITE [--queries 300] [--cold 24] [--skip-recall]

SITE is a built portal (for the 20k figures: `bench/corpus.py --items 20000`, then `portal build`). The site is
served the way nginx serves it in production (`gzip_static on`: a file's `.gz` twin when the browser accepts
gzip), and the server counts the bytes of every response body it sends: that is the payload quoted in
docs/search.md, split by kind (pagefind.js + wasm, shard meta, index chunks, filters, fragments, our JSON).

Recall: queries drawn with a fixed seed as in tests/test_search_recall.py (unit names, title and body slices,
文号, numbers, whole titles) and run through `window.portalSearch` (all results). Cold queries: each in a fresh
browser context (empty cache) on the home page; the time runs from the moment the text is typed into the header
box to the moment its result line is shown (the box's 150 ms debounce included).
"""

from __future__ import annotations

import argparse
import collections
import functools
import http.server
import io
import json
import os
import pickle
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_search_recall import RUN_ALL, corpus, draw_queries, norm, truth  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DONE = "() => /条|最新|没有|全部字词/.test(document.querySelector('#portal-search-meta').textContent)"


def kind(path: str) -> str:
    """What a request is, for the payload breakdown."""
    if "/pagefind/" not in path:
        return "page"
    name = path.rsplit("/", 1)[-1]
    for k, test in (("index chunk", name.endswith(".pf_index")), ("fragment", name.endswith(".pf_fragment")),
                    ("filter", name.endswith(".pf_filter")), ("shard meta", name.endswith(".pf_meta")),
                    ("page rows", "/post/pages/" in path), ("postings", "/post/" in path),
                    ("vocabulary", "/vocab/" in path), ("synonyms", "/synonyms/" in path),
                    ("entry/manifest", name.endswith(".json")),
                    ("pagefind.js + wasm", name.startswith(("pagefind", "wasm")))):
        if test:
            return k
    return "other"


class Meter:
    """Bytes sent per kind since the last reset."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.bytes: collections.Counter = collections.Counter()
            self.count: collections.Counter = collections.Counter()

    def add(self, path: str, n: int) -> None:
        with self.lock:
            self.bytes[kind(path)] += n
            self.count[kind(path)] += 1


def serve(site: Path, meter: Meter) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def send_head(self):  # gzip_static: the .gz twin when the client accepts gzip
            path = self.translate_path(self.path)
            gz = Path(path + ".gz")
            if "gzip" in self.headers.get("Accept-Encoding", "") and gz.is_file():
                data = gz.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                meter.add(self.path.split("?")[0], len(data))
                return io.BytesIO(data)
            f = super().send_head()
            if f is not None and hasattr(f, "fileno"):
                meter.add(self.path.split("?")[0], os.fstat(f.fileno()).st_size)
            return f

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"


def recall(browser, base: str, pages: dict, queries: list[str], whole: list[str]) -> dict:
    page = browser.new_page()
    page.goto(base + "/about/")
    page.wait_for_function("() => window.portalSearch !== undefined")
    got = page.evaluate(RUN_ALL, queries)
    page.close()
    rec, zero, rr = [], 0, []
    for row in got:
        want = truth(pages, row["q"])
        found = set(row["urls"])
        if want:
            rec.append(len(want & found) / len(want))
            zero += not found
        if row["q"] in whole:
            ranks = [i for i, u in enumerate(row["urls"], 1) if norm(pages[u][0]) == norm(row["q"])]
            rr.append(1 / ranks[0] if ranks else 0.0)
    return {"queries": len(queries), "recall": statistics.mean(rec), "zero_results": zero,
            "mrr_whole_titles": statistics.mean(rr), "search_ms_median": statistics.median(r["ms"] for r in got)}


def cold(browser, base: str, meter: Meter, queries: list[str]) -> dict:
    sizes, times, parts, focus = [], [], collections.Counter(), []
    rows = []
    for q in queries:
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(base + "/")
        page.wait_for_load_state("networkidle")
        meter.reset()
        page.click("#portal-search-input")
        page.wait_for_load_state("networkidle")  # focus loads pagefind.js, the wasm and shards.json
        focus.append(sum(meter.bytes.values()))
        meter.reset()
        t = time.perf_counter()
        page.keyboard.insert_text(q)
        page.wait_for_function(DONE, timeout=60_000)
        times.append((time.perf_counter() - t) * 1000)
        page.wait_for_load_state("networkidle")
        total = sum(meter.bytes.values())
        sizes.append(total + focus[-1])
        parts.update(meter.bytes)
        rows.append({"q": q, "kb": round(total / 1024), "focus_kb": round(focus[-1] / 1024), "ms": round(times[-1]),
                     "by_kind_kb": {k: round(v / 1024, 1) for k, v in meter.bytes.most_common()}})
        ctx.close()
    n = len(queries)
    return {"n": n, "focus_kb_median": round(statistics.median(focus) / 1024),
            "payload_kb_median": round(statistics.median(sizes) / 1024), "payload_kb_max": round(max(sizes) / 1024),
            "first_results_ms_median": round(statistics.median(times)), "first_results_ms_max": round(max(times)),
            "mean_kb_by_kind": {k: round(v / n / 1024, 1) for k, v in parts.most_common()}, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--cold", type=int, default=24, help="cold header-box queries (default 24)")
    ap.add_argument("--skip-recall", action="store_true")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--corpus-cache", type=Path,
                    help="pickle of the pages' visible text (slow to read at 21k): read if present, else written")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    t0 = time.perf_counter()
    if args.corpus_cache and args.corpus_cache.exists():
        pages = pickle.loads(args.corpus_cache.read_bytes())
    else:
        pages = corpus(args.site)
        if args.corpus_cache:
            args.corpus_cache.write_bytes(pickle.dumps(pages))
    queries, whole = draw_queries(pages)
    print(f"corpus: {len(pages)} searchable pages, {len(queries)} queries ({time.perf_counter() - t0:.0f} s)",
          flush=True)
    meter = Meter()
    srv, base = serve(args.site, meter)
    out: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        step = max(1, len(queries) // args.cold)
        out["cold"] = cold(browser, base, meter, queries[::step][: args.cold])
        c = out["cold"]
        print(f"cold header box, n={c['n']}: payload median {c['payload_kb_median']} KB (max {c['payload_kb_max']};"
              f" {c['focus_kb_median']} KB of it on focus: pagefind.js, wasm, shard 0 meta),"
              f" first results median {c['first_results_ms_median']} ms (max {c['first_results_ms_max']})", flush=True)
        print("  mean KB per query by kind:", c["mean_kb_by_kind"], flush=True)
        if not args.skip_recall:
            out["recall"] = recall(browser, base, pages, queries, whole)
            print("recall:", out["recall"], flush=True)
        browser.close()
    srv.shutdown()
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
