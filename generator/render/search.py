"""Post step — search: index the built site with Pagefind, in shards, through our own search tokens.

Pagefind's memory grows with the pages one process indexes (21,212 pages in one process: 5.4 GB), so the
searchable pages are split into shards of at most `max_pages` by publication month, filled from the oldest
month on (so adding new items leaves older shards unchanged), and numbered **newest first**: shard 0 holds
the most recent items and the undated reference pages (units, catalog rows), shard 1 the next older ones.
Each shard is indexed by its own Pagefind process (two at a time) from a tree of token pages (below), so
URLs stay the site's. Shard 0 is the bundle at /pagefind/ (Pagefind's default); the others go to
/pagefind/shards/<n>/. The browser merges them with `mergeIndex` — the header box only as many shards,
newest first, as it needs for its first results; the search page all of them.

Pagefind does not see the built pages themselves but small token pages (`token_page`): the searchable
element without its ignored parts, preceded by a block of search tokens (CJK bigrams and more, see
searchtext.py) and marked lang="zxx" so Pagefind neither segments nor stems. The browser turns a query into the
same tokens and searches them as an exact phrase: recall is that of a substring search. Every token is a whole
word of fixed shape, so a sharded search returns what one index would; the build also writes the vocabulary of
body tokens (which shards hold each token, hashed JSON buckets under /pagefind/vocab/), so the browser searches
only the shards that hold every token of the query. After Pagefind, each shard's own index is written again as
small posting files (postings.py), which the header box reads instead of Pagefind. See docs/search.md.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html as html_lib
import json
import os
import pickle
import re
import resource
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import cbor2

from ..util import searchtext
from ..util.gcpause import gc_paused
from . import postings
from .postings import SIGNATURE, bucket, read_pagefind

DEFAULT_MAX_PAGES = 2000
BUNDLE = "pagefind"
VOCAB_BUCKETS = 512
MAX_SHARDS = 31
_SORT_DATE = re.compile(rb'data-pagefind-sort="date:(\d{4}-\d{2}-\d{2})"')


class SearchIndexError(Exception):
    """Pagefind failed; the build must not publish a site without search."""


@dataclass(frozen=True)
class SearchPage:
    """A searchable page: its HTML file (site-relative) and its date (None for reference pages)."""

    path: str
    date: str | None = None


@dataclass
class Shard:
    """The pages one Pagefind process indexes, and where its bundle goes."""

    pages: list[SearchPage]
    output: str  # site-relative bundle path

    @property
    def newest(self) -> str | None:
        """The newest dated page of the shard."""
        return max((p.date for p in self.pages if p.date), default=None)

    @property
    def oldest(self) -> str | None:
        """The oldest dated page of the shard."""
        return min((p.date for p in self.pages if p.date), default=None)


@dataclass
class SearchReport:
    """What indexing did and what it cost."""

    shards: list[Shard] = field(default_factory=list)
    pages: int = 0  # pages Pagefind indexed
    reused: int = 0  # shards taken from the cache
    seconds: float = 0.0
    peak_rss_mb: float = 0.0  # the largest single indexing process


def pagefind_binary() -> str:
    """Path of the extended Pagefind binary shipped in the pagefind_bin_extended wheel."""
    from pagefind.service import _must_get_executable  # the wheel's own lookup (extended first)

    return str(_must_get_executable().resolve())


def scan(site: Path) -> list[SearchPage]:
    """Find the searchable pages of a built site (those with data-pagefind-body) and their dates."""
    pages = []
    for dirpath, dirnames, filenames in os.walk(site):
        dirnames[:] = [d for d in dirnames if d != BUNDLE and not d.startswith(".")]
        for fn in filenames:
            if fn.endswith(".html"):
                p = Path(dirpath) / fn
                raw = p.read_bytes()
                if b"data-pagefind-body" in raw:
                    m = _SORT_DATE.search(raw)
                    pages.append(SearchPage(p.relative_to(site).as_posix(), m.group(1).decode() if m else None))
    return pages


def _newest_first(p: SearchPage) -> tuple:
    return (p.date is not None, [-ord(c) for c in p.date or ""], p.path)


def plan(pages: list[SearchPage], max_pages: int = DEFAULT_MAX_PAGES) -> list[Shard]:
    """Split pages into shards of at most ~max_pages, whole months filled from the oldest, newest first.

    Filling from the oldest month keeps a shard's pages the same when newer items are added, so its index
    can be reused from the cache. Shard sets travel to the browser as 31-bit masks, so a very large site gets
    bigger shards, not more.
    """
    max_pages = max(max_pages, -(-len(pages) // (MAX_SHARDS - 1)), 1)
    while True:  # whole months leave shards part-empty: grow the shard size until the count fits the mask
        bins = _fill(pages, max_pages)
        if len(bins) <= MAX_SHARDS:
            break
        max_pages += -(-max_pages // 8)
    # Newest shard first; inside a shard, reference pages first, then newest first.
    bins = [sorted(b, key=_newest_first) for b in reversed(bins) if b]
    return [Shard(b, BUNDLE if n == 0 else f"{BUNDLE}/shards/{n}") for n, b in enumerate(bins)]


def _fill(pages: list[SearchPage], max_pages: int) -> list[list[SearchPage]]:
    """Bins of whole months from the oldest (a month larger than a bin is split), then the undated pages."""
    months: dict[str, list[SearchPage]] = {}
    undated = sorted((p for p in pages if not p.date), key=lambda p: p.path)
    for p in sorted((p for p in pages if p.date), key=lambda p: (p.date, p.path)):
        months.setdefault(p.date[:7], []).append(p)
    bins: list[list[SearchPage]] = []
    current: list[SearchPage] = []
    for month in sorted(months):  # oldest first
        group = months[month]
        if current and len(current) + len(group) > max_pages:
            bins.append(current)
            current = []
        while len(group) > max_pages:  # a month bigger than a shard is split
            bins.append(group[:max_pages])
            group = group[max_pages:]
        current = current + group
    # The newest shard also holds the reference pages, which have no date: the header box searches it alone
    # first. When both do not fit, the newest whole months that fit join the reference pages (the newest pages
    # if not even one month fits) and the older months of `current` make a shard of their own.
    if len(current) + len(undated) > max_pages and len(undated) < max_pages:
        room = max_pages - len(undated)
        cut = len(current)
        while cut > 0:  # step back a whole month at a time while the months after `cut` fit in `room`
            start = cut - 1
            while start > 0 and current[start - 1].date[:7] == current[cut - 1].date[:7]:
                start -= 1
            if len(current) - start > room:
                break
            cut = start
        if cut == len(current):
            cut = len(current) - room
        bins.append(current[:cut])
        current = current[cut:]
    if len(current) + len(undated) <= max_pages:
        bins.append(current + undated)
    else:
        bins.append(current)
        chunks = [undated[i : i + max_pages] for i in range(0, len(undated), max_pages)]
        bins.extend(reversed(chunks))  # reversed in plan(), so the first chunk is the newest shard
    return [b for b in bins if b]


_BODY_OPEN = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*\bdata-pagefind-body\b[^>]*>")
_IGNORED = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*\bdata-pagefind-ignore\b[^>]*>")
_TERMS = re.compile(r'<p data-pagefind-weight="0\.5">(.*?)</p>', re.S)
_TITLE = re.compile(r"<h1\b[^>]*data-pagefind-meta=\"title\"[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]*>")
_FEED = re.compile(r'<a class="portal-feed"[^>]*>[^<]*</a>')
_HAS_SORT = "data-pagefind-sort="
_DOC_NUMBER = re.compile(r'<th scope="row">文号</th>\s*<td>([^<]+)</td>')


def _element_end(html: str, name: str, start: int) -> int:
    """Index just after the element whose start tag ends at `start` (same-name nesting counted)."""
    pattern = re.compile(rf"<(/?){re.escape(name)}\b[^>]*>")
    depth = 1
    for m in pattern.finditer(html, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return len(html)


def _text(fragment: str) -> str:
    return html_lib.unescape(_TAG.sub("", fragment))


def source_page(raw: str) -> tuple[str, str, str, str] | None:
    """What Pagefind should see of a built page: (the searchable element's HTML without its ignored parts and
    the extra-terms paragraph, the title, the extra terms, a policy's 文号). None without a searchable body."""
    at = raw.find("data-pagefind-body")
    m = _BODY_OPEN.match(raw, raw.rfind("<", 0, at)) if at >= 0 else None
    if m is None:
        return None
    body = raw[m.start():_element_end(raw, m.group(1), m.end())]
    doc = _DOC_NUMBER.search(body)  # in the ignored metadata table
    while True:  # drop data-pagefind-ignore elements (Pagefind ignores them too); the first is the outermost
        ig = _IGNORED.search(body, 1)
        if ig is None:
            break
        body = body[: ig.start()] + body[_element_end(body, ig.group(1), ig.end()):]
    body = _FEED.sub("", body)  # "订阅本单位信息" is navigation, not the unit's text
    terms = ""
    t = _TERMS.search(body)
    if t is not None:
        terms = html_lib.unescape(t.group(1))
        body = body[: t.start()] + body[t.end():]
    title = _TITLE.search(body)
    return (body, _text(title.group(1)) if title else "", terms, html_lib.unescape(doc.group(1)) if doc else "")


def token_page(raw: str, words: set[str] | None = None) -> str | None:
    """A small HTML page for Pagefind: the page's searchable element with a leading block of search tokens
    (see searchtext.py), lang="zxx" (no linguistic content: Pagefind neither segments nor stems) and a sort
    key on every page (Pagefind drops pages without the key when sorting). The page's BODY tokens are added
    to `words` (the shard's vocabulary)."""
    src = source_page(raw)
    if src is None:
        return None
    body, title, terms, doc = src
    heads = [title, doc] if doc else [title]  # a policy's 文号 ranks like its title
    slot = searchtext.title_slot(*heads)
    body_toks = searchtext.tokens(_text(body))
    for w in terms.split():
        if len(w) > 1:  # single characters of names add nothing to bigrams
            body_toks += searchtext.tokens(w)
    if words is not None:
        words.update(body_toks)
        words.update(t for t in slot if t.startswith(searchtext.BODY))
    toks = [*slot, *body_toks, searchtext.SENTINEL]
    open_end = body.index(">") + 1
    sort = "" if _HAS_SORT in body else '<span data-pagefind-sort="date:0000-00-00"></span>'
    return (f'<!doctype html><html lang="zxx"><head><meta charset="utf-8"><title></title></head><body>'
            f'{body[:open_end]}<p>{" ".join(toks)}</p>{sort}{body[open_end:]}</body></html>')


def _link_tree(site: Path, shard: Shard, n: int) -> Path:
    """A directory of token pages (same relative paths, so the same URLs) for one shard."""
    root = site / f".search-src-{n}"
    shutil.rmtree(root, ignore_errors=True)
    made: set[Path] = set()
    for page in shard.pages:
        dest = root / page.path
        if dest.parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(dest.parent)
        raw = (site / page.path).read_text(encoding="utf-8")
        dest.write_text(token_page(raw) or raw, encoding="utf-8")
    return root


def _run(binary: str, site: Path, shard: Shard, n: int, out: Path) -> int:
    src = _link_tree(site, shard, n)
    try:
        cmd = [binary, "--site", str(src), "--output-path", str(out)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    finally:
        shutil.rmtree(src, ignore_errors=True)
    if proc.returncode != 0:
        raise SearchIndexError(f"pagefind failed on shard {n}:\n{proc.stderr or proc.stdout}")
    for line in proc.stdout.splitlines():
        line = line.strip()
        if line.startswith("Indexed ") and line.endswith(" pages"):
            return int(line.split()[1])
    return 0


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def canonicalize(bundle: Path) -> None:
    """Make a Pagefind bundle byte-for-byte reproducible.

    Pagefind writes filter values in hash-map order, so two runs on the same pages differ in the filter
    chunks, and therefore in their content-hashed names, the meta file that lists them and the entry file.
    Sorting the filter values and the filter list, and naming files after their sorted content, removes that.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for lang, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read_pagefind(meta_path)
        renamed = {}
        for name, chunk in meta[3]:
            path = bundle / "filter" / f"{chunk}.pf_filter"
            data = read_pagefind(path)
            data[1] = sorted(data[1], key=lambda v: v[0])
            raw = SIGNATURE + cbor2.dumps(data)
            new = f"{lang}_{hashlib.sha1(raw).hexdigest()[:7]}"
            path.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(_gz(raw))
            renamed[name] = new
        meta[3] = sorted([name, renamed[name]] for name, _ in meta[3])
        raw = SIGNATURE + cbor2.dumps(meta)
        new_meta = f"{lang}_{hashlib.sha1(raw).hexdigest()[:13]}"
        meta_path.unlink()
        (bundle / f"pagefind.{new_meta}.pf_meta").write_bytes(_gz(raw))
        info["hash"] = new_meta
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _shard_key(site: Path, shard: Shard, version: str) -> str:
    """What a shard's index depends on: the pages' paths and bytes, and the Pagefind version."""
    h = hashlib.sha1(version.encode())
    for page in sorted(shard.pages, key=lambda p: p.path):
        h.update(page.path.encode())
        h.update(hashlib.sha1((site / page.path).read_bytes()).digest())
    return h.hexdigest()


def _copy_tree(src: Path, dest: Path) -> None:
    """Hard-link (or copy) a bundle into place."""
    for dirpath, _dirs, files in os.walk(src):
        rel = Path(dirpath).relative_to(src)
        (dest / rel).mkdir(parents=True, exist_ok=True)
        for fn in files:
            target = dest / rel / fn
            try:
                os.link(Path(dirpath) / fn, target)
            except OSError:
                shutil.copyfile(Path(dirpath) / fn, target)


def _index_shard(binary: str, site: Path, shard: Shard, n: int,
                 cache: Path | None) -> tuple[int, set[str], bool, str, int]:
    """Index one shard (or reuse its cached bundle); returns (pages, words, from cache, cache key, posting
    buckets)."""
    out = site / shard.output
    key = _shard_key(site, shard, _version()) if cache is not None else ""
    slot = cache / key if cache is not None else None
    if slot is not None and (slot / "words.pickle").exists():
        _copy_tree(slot / "bundle", out)
        with open(slot / "words.pickle", "rb") as f:
            count, words, buckets = pickle.load(f)
        return count, words, True, key, buckets
    tmp = site / f".search-out-{n}"
    shutil.rmtree(tmp, ignore_errors=True)
    count = _run(binary, site, shard, n, tmp)
    canonicalize(tmp)
    buckets, words = postings.write(tmp)  # the words: the shard's BODY tokens, read from its index
    if slot is not None:
        staging = slot.with_name(slot.name + f".tmp{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        _copy_tree(tmp, staging / "bundle")
        with open(staging / "words.pickle", "wb") as f:
            pickle.dump((count, words, buckets), f, protocol=pickle.HIGHEST_PROTOCOL)
        shutil.rmtree(slot, ignore_errors=True)
        os.replace(staging, slot)
    _move_tree(tmp, out)
    return count, words, False, key, buckets


def _move_tree(src: Path, dest: Path) -> None:
    """Move a fresh bundle into place: one rename when nothing is there yet (a shard bundle is thousands of
    files; linking and then unlinking each cost seconds a shard), else file by file into the existing tree
    (/pagefind/ may already hold /pagefind/shards/ of a shard that finished first)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(src, dest)  # fails when dest exists (not empty, or a concurrent shard just created it)
        return
    except OSError:
        pass
    _copy_tree(src, dest)
    shutil.rmtree(src, ignore_errors=True)


@functools.cache
def _version() -> str:
    """Pagefind's version and our post-processing's, for cache keys: the source of the tokenizer and of the
    token pages is part of it, so a change to either never reuses a bundle built the old way."""
    import inspect
    from importlib.metadata import version

    code = hashlib.sha1()
    for obj in (searchtext, source_page, token_page, canonicalize, postings):
        code.update(inspect.getsource(obj).encode())
    return f"pagefind-{version('pagefind_bin_extended')}|{code.hexdigest()[:12]}"


def index_site(site_dir: str | Path, pages: list[SearchPage] | None = None, max_pages: int = DEFAULT_MAX_PAGES,
               jobs: int | None = None, cache: str | Path | None = None,
               synonyms: list[list[str]] | None = None) -> SearchReport:
    """Index the built site; write /pagefind/, its shards, the vocabulary and /pagefind/shards.json.

    With `cache`, a shard whose pages are byte-identical to a previous build's reuses that build's bundle.
    """
    with gc_paused():  # word sets of hundreds of thousands of strings, no cycles: spare the collector
        return _index_site(site_dir, pages, max_pages, jobs, cache, synonyms)


def _index_site(site_dir: str | Path, pages: list[SearchPage] | None, max_pages: int, jobs: int | None,
                cache: str | Path | None, synonyms: list[list[str]] | None = None) -> SearchReport:
    t0 = time.perf_counter()
    site = Path(site_dir)
    shards = plan(scan(site) if pages is None else pages, max_pages)
    report = SearchReport(shards=shards)
    if not shards:
        return report
    binary = pagefind_binary()
    cache_dir = Path(cache) if cache is not None else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with ThreadPoolExecutor(max_workers=jobs or min(2, os.cpu_count() or 1)) as pool:
        results = list(pool.map(lambda a: _index_shard(binary, site, a[1], a[0], cache_dir), enumerate(shards)))
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report.pages = sum(r[0] for r in results)
    report.reused = sum(r[2] for r in results)
    report.peak_rss_mb = max(before, after) / 1024  # ru_maxrss: KiB on Linux, the largest child so far
    buckets = write_vocabulary(site, [r[1] for r in results])
    if cache_dir is not None:  # keep only the shards this build used
        keep = {r[3] for r in results}
        for old in cache_dir.glob("*"):
            if old.name not in keep and ".tmp" not in old.name:
                shutil.rmtree(old, ignore_errors=True)
    manifest = {
        "shards": [{"path": s.output + "/", "pages": len(s.pages), "newest": s.newest, "oldest": s.oldest,
                    "post": r[4]} for s, r in zip(shards, results, strict=True)],
        "page_rows": postings.PAGE_ROWS,
        "vocab": f"{BUNDLE}/vocab/",
        "buckets": buckets,
        "title_slot": searchtext.TITLE_SLOT,
    }
    if synonyms:
        from ..stages import synonyms as syn

        shutil.rmtree(site / BUNDLE / "synonyms", ignore_errors=True)
        manifest["synonym_buckets"] = syn.write(site / BUNDLE / "synonyms", synonyms, bucket)
        manifest["synonyms"] = f"{BUNDLE}/synonyms/"
    (site / BUNDLE / "shards.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    report.seconds = time.perf_counter() - t0
    return report


def shard_words_in(bundle: Path) -> set[str]:
    """Every BODY search token of one bundle's index (Pagefind chunks: gzip, a signature, then CBOR)."""
    words: set[str] = set()
    for chunk in sorted((bundle / "index").glob("*.pf_index")):
        for entry in read_pagefind(chunk)[0]:
            if entry[0].startswith(searchtext.BODY):
                words.add(entry[0])
    return words


def vocab_buckets(keys: int) -> int:
    """Bucket count for a vocabulary: about 200 keys a bucket, a power of two between 16 and 8192."""
    b = 16
    while b < 8192 and b * 200 < keys:
        b *= 2
    return b


def write_vocabulary(site: Path, per_shard: list[set[str]]) -> int:
    """Which shards hold each BODY token and each first character, in hashed JSON buckets; returns the
    bucket count. search.js looks up every query token: a token no shard holds means no result, and only
    the shards holding all of them are searched."""
    masks: dict[str, int] = {}
    for n, words in enumerate(per_shard):
        bit = 1 << n
        for w in words:
            masks[w] = masks.get(w, 0) | bit
            p = searchtext.first_code(w)
            masks[p] = masks.get(p, 0) | bit
    count = vocab_buckets(len(masks))
    buckets: dict[int, dict[str, int]] = {}
    for key, mask in masks.items():
        buckets.setdefault(bucket(key, count), {})[key] = mask
    out = site / BUNDLE / "vocab"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    for b in range(count):
        body = dict(sorted(buckets.get(b, {}).items()))
        (out / f"{b}.json").write_text(json.dumps(body, separators=(",", ":")), encoding="utf-8")
    return count
