"""Recall harness: ≥ 300 queries drawn with a fixed seed from the demo corpus, run in Chromium through the
site's own search (window.portalSearch → Pagefind JS API), against substring ground truth.

Ground truth for a query: the indexed pages whose visible title or body (the data-pagefind-body element
without data-pagefind-ignore parts, the hidden search-data block and the feed link, as BeautifulSoup reads it)
contains the query, compared after NFKC, lower case, one bracket form and collapsed white space.
CI fails when recall < 0.99, a query with ground truth gets no result, or MRR on whole titles < 0.95.
"""

from __future__ import annotations

import functools
import random
import re
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.render.search import scan
from generator.util import searchtext

SEED = 15
BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕"})
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{2,8}〔\d{4}〕\d+号")
NUMBER = re.compile(r"\d{3,}")


@functools.cache
def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().translate(BRACKETS).split())


def corpus(site: Path) -> dict[str, tuple[str, str]]:
    """URL → (title, title + body) of every indexed page, as a reader sees them."""
    pages = {}
    for page in scan(site):
        soup = BeautifulSoup((site / page.path).read_text(encoding="utf-8"), "html.parser")
        body = soup.find(attrs={"data-pagefind-body": True})
        drop = body.find_all(attrs={"data-pagefind-ignore": True}) + body.select(".portal-search-data, .portal-feed")
        for hidden in drop:
            hidden.decompose()
        h1 = body.find(attrs={"data-pagefind-meta": "title"})
        url = "/" + page.path.removesuffix("index.html")
        pages[url] = (h1.get_text("") if h1 else "", body.get_text(""))
    return pages


def draw_queries(pages: dict[str, tuple[str, str]]) -> tuple[list[str], list[str]]:
    """(all queries, whole-title queries), drawn with a fixed seed: unit names, title slices, body slices,
    文号 (half with [] brackets), numbers, whole titles."""
    rng = random.Random(SEED)
    urls = sorted(pages)
    titles = sorted({t for t, _ in pages.values() if t})
    bodies = [" ".join(pages[u][1].split()) for u in urls]

    def piece(text: str, lo: int, hi: int) -> str | None:
        if len(text) < lo:
            return None
        n = rng.randint(lo, min(hi, len(text)))
        start = rng.randrange(0, len(text) - n + 1)
        q = text[start : start + n].strip()
        return q if searchtext.runs(q) else None

    units = sorted({t for u, (t, _) in pages.items() if u.count("/") == 2 and not u.startswith("/catalog/")})
    queries: list[str] = rng.sample(units, min(40, len(units)))
    for source, count, lo, hi in ((titles, 100, 2, 12), (bodies, 120, 1, 20)):
        while count:
            q = piece(rng.choice(source), lo, hi)
            if q:
                queries.append(q)
                count -= 1
    docs = sorted({m for b in bodies for m in DOC_NUMBER.findall(norm(b))})
    for d in rng.sample(docs, min(30, len(docs))):
        queries.append(d.replace("〔", "[").replace("〕", "]") if rng.random() < 0.5 else d)
    numbers = sorted({m for b in bodies for m in NUMBER.findall(b)})
    queries += rng.sample(numbers, min(30, len(numbers)))
    whole = rng.sample(titles, 40)
    return queries + whole, whole


def truth(pages: dict[str, tuple[str, str]], q: str) -> set[str]:
    nq = norm(q)
    return {u for u, (t, b) in pages.items() if nq in norm(t) or nq in norm(b)}


RUN_ALL = """async (queries) => {
  const urls = new Map();  // result id -> URL, one fragment load per page
  const out = [];
  for (const q of queries) {
    const t0 = performance.now();
    const r = await window.portalSearch.search(q, {relaxed: false});
    const got = [];
    for (const x of r.results) {
      if (!urls.has(x.id)) urls.set(x.id, new URL((await x.data()).raw_url, location.href).pathname);
      got.push(urls.get(x.id));
    }
    out.push({q, urls: got, ms: performance.now() - t0, py: window.portalSearch.tokens(q)});
  }
  return out;
}"""


@pytest.mark.browser
def test_recall_on_substring_ground_truth(browser, demo_site, serve):
    pages = corpus(demo_site)
    queries, whole = draw_queries(pages)
    assert len(queries) >= 300
    page = browser.new_page()
    page.goto(serve(demo_site) + "/about/")
    page.wait_for_function("() => window.portalSearch !== undefined")
    runs = page.evaluate(RUN_ALL, queries)
    page.close()
    recalls, zero, precise, missed = [], [], [], []
    for r in runs:
        assert r["py"] == searchtext.query_tokens(r["q"]), r["q"]  # search.js and searchtext.py agree
        expected = truth(pages, r["q"])
        assert expected, r["q"]  # every drawn query occurs somewhere
        got = set(r["urls"])
        recalls.append(len(expected & got) / len(expected))
        if recalls[-1] < 1:
            missed.append((r["q"], sorted(expected - got)[:3]))
        if not got:
            zero.append(r["q"])
        precise.append(len(expected & got) / len(got) if got else 0.0)
    # tiers: a page whose visible title contains the query (as search reads text: punctuation between runs
    # is not compared) never ranks below one that has it only in the body
    inversions = []
    for r in runs:
        in_title = [searchtext.contains(pages[u][0], r["q"]) for u in r["urls"] if u in pages]
        if False in in_title and True in in_title[in_title.index(False):]:
            inversions.append(r["q"])
    mrr = []
    by_q = {r["q"]: r["urls"] for r in runs}
    for q in whole:
        ranks = [i for i, u in enumerate(by_q[q], 1) if norm(pages[u][0]) == norm(q)]
        mrr.append(1 / ranks[0] if ranks else 0.0)
    recall = sum(recalls) / len(recalls)
    summary = (f"queries {len(runs)} · recall {recall:.4f} · zero-result {len(zero)} · "
               f"precision {sum(precise) / len(precise):.4f} · MRR(titles, n={len(whole)}) {sum(mrr) / len(mrr):.4f} · "
               f"median {sorted(r['ms'] for r in runs)[len(runs) // 2]:.0f} ms · "
               f"title/body inversions {len(inversions)}")
    print(summary)
    assert recall >= 0.99, (summary, missed[:10])
    assert zero == [], (summary, zero)
    assert sum(mrr) / len(mrr) >= 0.95, summary
    assert inversions == [], inversions


@pytest.mark.browser
def test_synonyms_and_short_names_find_each_other(browser, demo_site, serve):
    """Every form of every group (content/synonyms.yml + unit names) finds the pages of all its forms."""
    import json

    pages = corpus(demo_site)
    files = sorted((demo_site / "pagefind" / "synonyms").glob("*.json"))
    all_groups = {tuple(g) for f in files for g in json.loads(f.read_text(encoding="utf-8")).values()}
    groups = [list(g) for g in sorted(all_groups) if sum(bool(truth(pages, f)) for f in g) >= 2]
    units = [g for g in groups if g[0].startswith("广州市海珠区")]
    own = [g for g in groups if not g[0].startswith("广州市海珠区")]
    assert len(own) >= 3 and len(units) >= 10, (own, len(units))
    forms = [f for g in own + random.Random(SEED).sample(units, 10) for f in g]
    page = browser.new_page()
    page.goto(serve(demo_site) + "/about/")
    page.wait_for_function("() => window.portalSearch !== undefined")
    got = {r["q"]: set(r["urls"]) for r in page.evaluate(RUN_ALL, forms)}
    page.close()
    checked = 0
    for g in own + units:
        for a in g:
            if a not in got:
                continue
            for b in g:
                missing = truth(pages, b) - got[a]
                assert not missing, (a, b, sorted(missing)[:3])
                checked += 1
    assert checked >= 30
