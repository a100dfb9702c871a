"""Pagefind search: what is indexed, Chinese queries, filters, shards, payload — in a real browser."""

from __future__ import annotations

import contextlib
import gzip
import json
import random
import re
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.render.search import MAX_SHARDS, SearchPage, index_site, plan, scan

from .conftest import CONTENT

SEED = "/qzfb/headlines/2019-07-10-sitongbada/"


def fragments(site: Path) -> list[dict]:
    out = []
    for f in sorted((site / "pagefind").rglob("*.pf_fragment")):
        raw = gzip.decompress(f.read_bytes())
        out.append(json.loads(raw[raw.index(b"{"):]))
    return out


def test_only_bodies_are_indexed_not_boilerplate(demo_site):
    frags = fragments(demo_site)
    assert len(frags) > 700
    for boiler in ("网站标识码", "粤ICP备", "当前位置", "关于本网", "订阅本单位信息"):
        assert not [f["url"] for f in frags if boiler in f["content"]], boiler
    urls = {f["url"] for f in frags}
    assert SEED in urls
    assert "/units/" not in urls and "/columns/news/" not in urls  # lists are navigation, not results
    seed = next(f for f in frags if f["url"] == SEED)
    assert seed["meta"]["title"] == "海珠区打造“四通八达”政务公开模式建设法治政府"
    assert seed["filters"]["unit"] == ["区政府办"] and seed["filters"]["year"] == ["2019"]
    assert seed["meta"]["date"] == "2019-07-10"


def test_policy_filters_carry_status(demo_site):
    frags = fragments(demo_site)
    statuses = {s for f in frags for s in f["filters"].get("status", [])}
    assert {"有效", "已废止", "已失效", "已修订"} <= statuses


def test_shards_take_every_page_once_newest_first(demo_site):
    pages = scan(demo_site)
    assert len(pages) == len(fragments(demo_site))
    shards = plan(pages, max_pages=300)
    assert sorted(p.path for s in shards for p in s.pages) == sorted(p.path for p in pages)
    assert all(len(s.pages) <= 300 for s in shards)
    assert shards[0].output == "pagefind" and shards[1].output == "pagefind/shards/1"
    undated = [p for p in pages if p.date is None]
    flat = [p for s in shards for p in s.pages]
    assert flat[: len(undated)] == sorted(undated, key=lambda p: p.path)  # reference pages first
    dated = [p.date for p in flat[len(undated):]]
    assert dated == sorted(dated, reverse=True)  # then newest first, so shard 0 answers most queries


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=30), st.integers(0, 1900), st.integers(300, 2000))
def test_reference_pages_join_the_newest_months(per_month, undated, max_pages):
    """Shard 0 holds the reference pages and, when they leave room, the newest whole months (the newest pages if
    not one month fits), so the header box usually searches one shard; no shard is over the limit."""
    pages = [SearchPage(f"u/{i}") for i in range(undated)]
    for m, n in enumerate(per_month):
        pages += [SearchPage(f"d/{m}/{i}", f"{2000 + m // 12}-{m % 12 + 1:02d}-{i % 28 + 1:02d}") for i in range(n)]
    assume(pages)
    shards = plan(pages, max_pages)
    assert sorted(p.path for s in shards for p in s.pages) == sorted(p.path for p in pages)
    assert all(len(s.pages) <= max(max_pages, -(-len(pages) // (MAX_SHARDS - 1))) for s in shards)
    if undated < max_pages:
        first = shards[0].pages
        assert sum(p.date is None for p in first) == undated
        if len(pages) > undated:
            assert shards[0].newest is not None  # some dated pages are in shard 0
            older = [p.date for s in shards[1:] for p in s.pages]
            assert not older or min(p.date for p in first if p.date) >= max(older)


def search_in_browser(browser, base: str, queries: list[str], filters: dict | None = None) -> dict[str, list[str]]:
    """Run queries through the site's own search.js (window.portalSearch) and return all result URLs."""
    page = browser.new_page()
    page.goto(base + "/about/")
    page.wait_for_function("() => window.portalSearch !== undefined")
    out = {}
    for q in queries:
        out[q] = page.evaluate(
            """async ([q, filters]) => {
                 const r = await window.portalSearch.search(q, {filters: filters || {}});
                 const data = await Promise.all(r.results.map(x => x.data()));
                 return data.map(d => new URL(d.url, location.href).pathname);
               }""", [q, filters or {}])
    page.close()
    return out


QUERIES = ["政务公开", "营业执照", "区住建局", "赤岗", "海府办〔2019〕12号", "医保", "老旧小区改造", "四通八达", "琶洲"]


@pytest.mark.browser
def test_chinese_queries_as_citizens_type_them(browser, demo_site, serve):
    got = search_in_browser(browser, serve(demo_site), QUERIES)
    assert SEED in got["政务公开"][:10]
    assert got["四通八达"][0] == SEED  # a title term ranks its page first
    assert got["海府办〔2019〕12号"][0] == "/qzfb/policies/2019-06-20-yishenqing-gongkai-guicheng/"
    assert any("/scjgj/" in u for u in got["营业执照"][:3])
    # names the browser's segmenter splits into single characters still find their unit's pages
    assert sum("/chigang/" in u for u in got["赤岗"]) >= 10
    assert sum("/zjj/" in u for u in got["区住建局"]) >= 10
    assert all(got[q] for q in QUERIES)


@pytest.mark.browser
def test_sharded_index_returns_the_same_set_as_one_index(browser, demo_site, serve, tmp_path):
    sharded = tmp_path / "site"
    shutil.copytree(demo_site, sharded, ignore=shutil.ignore_patterns("pagefind"))
    report = index_site(sharded, max_pages=300)
    assert len(report.shards) >= 5
    assert report.pages == len(fragments(demo_site))
    one = search_in_browser(browser, serve(demo_site), QUERIES)
    many = search_in_browser(browser, serve(sharded), QUERIES)
    for q in QUERIES:
        assert set(many[q]) == set(one[q]), q


@pytest.mark.browser
def test_header_box_results_filters_and_payload(browser, demo_site, serve):
    base = serve(demo_site)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/")
    page.wait_for_load_state("networkidle")
    sizes: list[int] = []
    hosts: set[str] = set()

    def on_response(r):
        hosts.add(r.url.split("/")[2])
        with contextlib.suppress(Exception):  # redirects and aborted requests carry no body
            sizes.append(len(r.body()))

    page.on("response", on_response)
    start = time.perf_counter()
    page.click("#portal-search-input")
    page.keyboard.type("政务公开")
    page.wait_for_selector("#portal-search-list li a", timeout=2000)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"first results after {elapsed:.2f} s"
    transferred = sum(sizes)
    assert transferred < 400_000, transferred  # pagefind.js + wasm + meta + chunks + 8 fragments
    assert hosts == {base.split("/")[2]}, hosts
    first = page.locator("#portal-search-list li").first
    # relevance: titles containing the query first (newest first among them), the match highlighted
    assert first.locator(".portal-result__title mark").first.inner_text() == "政务公开"
    assert first.locator(".portal-result__meta").inner_text().count(" · ") == 2  # unit · column · date
    assert first.locator(".portal-result__excerpt mark").count() >= 1
    # Enter goes to the full page; a filter narrows the results
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector("#portal-search-results li")
    total = int(page.inner_text("#portal-search-summary").split("找到 ")[1].split(" ")[0])
    page.select_option("select[name=unit]", "区政府办")
    summary = "document.querySelector('#portal-search-summary').textContent"
    page.wait_for_function(f"() => (t => t.includes('找到 ') && !t.includes('找到 {total} '))({summary})")
    narrowed = int(page.inner_text("#portal-search-summary").split("找到 ")[1].split(" ")[0])
    assert 0 < narrowed < total
    assert "unit=" in page.url
    # sort by date: newest first
    page.select_option("select[name=sort]", "date")
    page.wait_for_selector("#portal-search-page[data-query*='sort=date']")
    metas = page.locator("#portal-search-results .portal-result__meta").all_inner_texts()
    days = [m.split(" · ")[-1] for m in metas if re.fullmatch(r"\d{4}-\d{2}-\d{2}", m.split(" · ")[-1])]
    assert len(days) >= 5 and days == sorted(days, reverse=True)
    assert len(metas) == min(10, narrowed)  # only the last run's rows: an earlier run's never append late
    # two changes in a row, the second before the first run has shown its rows: only the second's rows
    page.select_option("select[name=unit]", "")
    page.select_option("select[name=sort]", "")
    page.wait_for_selector("#portal-search-page[data-query='q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80']")
    hrefs = page.locator("#portal-search-results li a").evaluate_all("as => as.map(a => a.href)")
    assert len(hrefs) == len(set(hrefs)) == min(10, total), hrefs
    assert errors == [], errors
    page.close()


@pytest.mark.browser
def test_result_page_highlights_the_query(browser, demo_site, serve):
    page = browser.new_page()
    page.goto(serve(demo_site) + SEED + "?highlight=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80")
    page.wait_for_selector("#portal-main mark", timeout=3000)
    assert "政务" in page.locator("#portal-main mark").first.inner_text()
    page.close()


def test_demo_content_has_the_seed_article():
    assert (CONTENT / "units/qzfb/headlines/2019-07-10-sitongbada.md").exists()


def test_shard_count_never_exceeds_the_browser_mask():
    """Shard sets travel as 31-bit masks: a large site gets bigger shards, never a 32nd one."""
    from generator.render.search import MAX_SHARDS

    pages = [SearchPage(f"u/news/{y}-{m:02d}-{d:03d}/index.html", f"{y}-{m:02d}-01")
             for y in range(2019, 2027) for m in range(1, 13) for d in range(1050)]
    pages += [SearchPage(f"u{n}/index.html", None) for n in range(1200)]
    shards = plan(pages, max_pages=2000)
    assert len(shards) <= MAX_SHARDS
    assert sorted(p.path for s in shards for p in s.pages) == sorted(p.path for p in pages)


def test_pagefind_indexes_the_tokens_unchanged(demo_site):
    """Every BODY token the build computed is a word of the index, as written (no segmentation, no stemming),
    and the published vocabulary lists exactly those words; the fragments' titles are the visible titles."""
    from generator.render.search import bucket, shard_words_in, token_page
    from generator.util import searchtext

    words: set[str] = set()
    for page in scan(demo_site):
        token_page((demo_site / page.path).read_text(encoding="utf-8"), words)
    manifest = json.loads((demo_site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    indexed = set().union(*(shard_words_in(demo_site / s["path"]) for s in manifest["shards"]))
    assert words == indexed  # every shard's bundle together (the demo has more pages than one shard takes)
    per_shard = [shard_words_in(demo_site / s["path"]) for s in manifest["shards"]]
    sample = sorted(words)[::97]
    for w in sample:  # the vocabulary maps a word to the mask of the shards that hold it
        table = json.loads((demo_site / "pagefind" / "vocab" / f"{bucket(w, manifest['buckets'])}.json").read_text())
        assert table[w] == sum(1 << i for i, s in enumerate(per_shard) if w in s), w
    assert searchtext.query_tokens("海府办[2019]12号") == searchtext.query_tokens("海府办〔2019〕12号")
    seed = next(f for f in fragments(demo_site) if f["url"] == SEED)
    words = seed["content"].split()
    # the title slot first (title tokens, HEAD_END, filler up to TITLE_SLOT), then the body's tokens
    title = searchtext.tokens(seed["meta"]["title"])
    assert words[: len(title) + 1] == [*title, searchtext.HEAD_END]
    pad = searchtext.TITLE_SLOT - len(title) - 1
    assert words[len(title) + 1 : searchtext.TITLE_SLOT] == [searchtext.FILLER] * pad
    assert words[searchtext.TITLE_SLOT].startswith(searchtext.BODY)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet="海珠区卫健局a1，〔〕 ", min_size=1, max_size=40), st.data())
def test_covering_tokens_find_every_substring_and_only_substrings(text, data):
    """Searching every other token (and the last) at fixed offsets is still an exact substring search: every
    substring of a page is found, and whatever is found occurs in the page's letters and digits."""
    from generator.util import searchtext

    start = data.draw(st.integers(0, len(text) - 1))
    piece = text[start : data.draw(st.integers(start + 1, len(text)))]
    if searchtext.runs(piece) and " " not in piece:
        assert searchtext.contains(text, piece), (text, piece)
    other = data.draw(st.text(alphabet="海珠区卫健局a1", min_size=1, max_size=6))
    if searchtext.contains(text, other):
        assert other in "".join(searchtext.runs(text)), (text, other)


def test_cover_takes_every_other_token_and_the_last():
    from generator.util import searchtext

    assert [searchtext.cover(n) for n in range(1, 7)] == [[0], [0, 1], [0, 2], [0, 2, 3], [0, 2, 4], [0, 2, 4, 5]]


QUICK_BOTH = """async (queries) => {
  const path = async (x) => new URL((await x.data()).url, location.href).pathname;
  const urls = async (r) => Promise.all(r.results.map(path));
  const out = [];
  for (const q of queries) {
    const own = await window.portalSearch.search(q, {quick: 8, relaxed: false});
    const pf = await window.portalSearch.search(q, {quick: 8, relaxed: false, engine: "pagefind"});
    out.push({q, own: await urls(own), pf: await urls(pf), engine: own.engine, complete: [own.complete, pf.complete]});
  }
  return out;
}"""


@pytest.mark.browser
def test_header_box_postings_find_what_pagefind_finds(browser, demo_site, serve, tmp_path):
    """The header box reads our own posting files (generator/render/postings.py) instead of Pagefind's word
    index: on random queries over a demo split into many shards, the same pages, the same walk over the shards,
    and the whole-title page first whenever Pagefind ranks one first."""
    from tests.test_search_recall import corpus, draw_queries, norm

    sharded = tmp_path / "site"
    shutil.copytree(demo_site, sharded, ignore=shutil.ignore_patterns("pagefind"))
    report = index_site(sharded, max_pages=300)
    assert len(report.shards) >= 5
    pages = corpus(sharded)
    queries, whole = draw_queries(pages)
    rng = random.Random(41)
    sample = rng.sample(queries, 120) + rng.sample(whole, 20)
    page = browser.new_page()
    page.goto(serve(sharded) + "/about/")
    page.wait_for_function("() => window.portalSearch !== undefined")
    runs = page.evaluate(QUICK_BOTH, sample)
    page.close()
    own_engine = 0
    for r in runs:
        assert set(r["own"]) == set(r["pf"]), r["q"]
        assert r["complete"][0] == r["complete"][1], r["q"]
        assert len(r["own"]) == len(set(r["own"])), r["q"]
        if r["pf"] and norm(pages[r["pf"][0]][0]) == norm(r["q"]):
            assert norm(pages[r["own"][0]][0]) == norm(r["q"]), r["q"]
        own_engine += r["engine"] == "postings"
    assert own_engine >= 0.9 * len(runs)  # the rest: one-character prefixes, which Pagefind answers


def test_posting_files_hold_every_token_at_its_position(demo_site):
    """post/ of every shard, decoded as search.js decodes it, gives each page exactly the positions of its
    search tokens (the token block Pagefind indexed), pages newest first, and the page rows the lengths of the
    title and 文号 in the title slot."""
    from generator.render.search import bucket, source_page, token_page
    from generator.util import searchtext

    manifest = json.loads((demo_site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    by_url, dates = {}, {}
    for n, shard in enumerate(manifest["shards"]):
        base = demo_site / shard["path"]
        rows = [row for f in sorted((base / "post" / "pages").glob("*.json"), key=lambda p: int(p.stem))
                for row in json.loads(f.read_text(encoding="utf-8"))]
        assert len(rows) == shard["pages"]
        for i, (frag, title, doc) in enumerate(rows):
            data = json.loads(gzip.decompress((base / "fragment" / f"{frag}.pf_fragment").read_bytes())[12:])
            by_url[data["url"]] = (n, i, title, doc)
            dates.setdefault(n, []).append(data["meta"].get("date", ""))
    for n, ds in dates.items():  # order.json: newest first, undated reference pages last
        order = json.loads((demo_site / manifest["shards"][n]["path"] / "post" / "order.json").read_text())
        assert sorted(order) == list(range(len(ds)))
        ordered = [ds[p] for p in order]
        dated = [d for d in ordered if d]
        assert dated == sorted(dated, reverse=True) and ordered == dated + [""] * (len(ds) - len(dated)), n
    decoded: dict[tuple[int, str], dict[int, list[int]]] = {}

    def positions(n: int, token: str) -> dict[int, list[int]]:
        if (n, token) not in decoded:
            shard = manifest["shards"][n]
            path = demo_site / shard["path"] / "post" / f"{bucket(token, shard['post'])}.json"
            out, page = {}, 0
            for delta, locs, _ in json.loads(path.read_text(encoding="utf-8")).get(token, []):
                page += delta
                deltas = [v for v in locs if v >= 0]  # a negative value is a weight marker
                out[page] = [sum(deltas[: j + 1]) for j in range(len(deltas))]
            decoded[n, token] = out
        return decoded[n, token]

    sample = random.Random(7).sample(scan(demo_site), 60)
    for p in sample:
        raw = (demo_site / p.path).read_text(encoding="utf-8")
        words = re.search(r"<p>([^<]*)</p>", token_page(raw)).group(1).split()
        n, i, title_len, doc_len = by_url["/" + p.path.removesuffix("index.html")]
        _body, title, _terms, doc = source_page(raw)
        size = len(searchtext.tokens(title))
        assert title_len == (size if size < searchtext.TITLE_SLOT else 0), p.path
        assert doc_len == (len(searchtext.tokens(doc)) if doc else 0), p.path
        expected: dict[str, list[int]] = {}
        for at, w in enumerate(words):
            if w.startswith(searchtext.BODY):
                expected.setdefault(w, []).append(at)
        assert expected
        for w, at in expected.items():
            assert positions(n, w).get(i) == at, (p.path, w)
