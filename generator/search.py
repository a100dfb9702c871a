"""Post step — search: index the built site with Pagefind (extended: Chinese segmentation), in shards.

Pagefind's memory grows with the pages one process indexes (21,212 pages in one process: 5.4 GB), so the
searchable pages are split into shards of at most `max_pages`, **newest first**: shard 0 holds the undated
reference pages (units, catalog rows) and the most recent items, shard 1 the next older ones, and so on.
Each shard is indexed by its own Pagefind process (two at a time) from a tree of hard links to its pages, so
URLs stay the site's. Shard 0 is the bundle at /pagefind/ (Pagefind's default); the others go to
/pagefind/shards/<n>/. The browser merges them with `mergeIndex` — the header box only as many shards,
newest first, as it needs for its first results; the search page all of them.

Merged results equal one index's results because the query semantics are made shard-independent. For each
query term Pagefind takes every word the term is a prefix of; when there is none it falls back to the longest
word that is a prefix of the term — decided per index, so a shard lacking a word would add pages one index
would not. The build therefore writes the vocabulary (which shards hold which words, bucketed by their first
one or two characters under /pagefind/vocab/) and the browser applies the single-index rule globally: it
searches only the shards that match every term the way one index would. See docs/search.md.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import resource
import shutil
import struct
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import cbor2

DEFAULT_MAX_PAGES = 4000
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


def plan(pages: list[SearchPage], max_pages: int = DEFAULT_MAX_PAGES) -> list[Shard]:
    """Split pages into shards of at most max_pages: undated first, then by date, newest first.

    Shard sets travel to the browser as 31-bit masks, so a very large site gets bigger shards, not more.
    """
    max_pages = max(max_pages, -(-len(pages) // MAX_SHARDS))
    ordered = sorted(pages, key=lambda p: (p.date is not None, "" if p.date is None else _neg(p.date), p.path))
    chunks = [ordered[i:i + max_pages] for i in range(0, len(ordered), max(1, max_pages))]
    return [Shard(chunk, BUNDLE if n == 0 else f"{BUNDLE}/shards/{n}") for n, chunk in enumerate(chunks)]


def _neg(day: str) -> str:
    """A key that sorts ISO dates newest first."""
    return day.translate(str.maketrans("0123456789", "9876543210"))


def _link_tree(site: Path, shard: Shard, n: int) -> Path:
    """A directory of hard links to the shard's pages (same relative paths, so the same URLs)."""
    root = site / f".search-src-{n}"
    shutil.rmtree(root, ignore_errors=True)
    for page in shard.pages:
        dest = root / page.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site / page.path, dest)
        except OSError:  # another file system or no hard links: a copy does the same job
            shutil.copyfile(site / page.path, dest)
    return root


def _run(binary: str, site: Path, shard: Shard, n: int) -> int:
    src = _link_tree(site, shard, n)
    try:
        cmd = [binary, "--site", str(src), "--output-path", str(site / shard.output)]
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


def index_site(site_dir: str | Path, pages: list[SearchPage] | None = None, max_pages: int = DEFAULT_MAX_PAGES,
               jobs: int | None = None) -> SearchReport:
    """Index the built site; write /pagefind/, its shards, the vocabulary and /pagefind/shards.json."""
    t0 = time.perf_counter()
    site = Path(site_dir)
    shards = plan(scan(site) if pages is None else pages, max_pages)
    report = SearchReport(shards=shards)
    if not shards:
        return report
    binary = pagefind_binary()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with ThreadPoolExecutor(max_workers=jobs or min(2, os.cpu_count() or 1)) as pool:
        counts = list(pool.map(lambda a: _run(binary, site, *a), [(s, n) for n, s in enumerate(shards)]))
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report.pages = sum(counts)
    report.peak_rss_mb = max(before, after) / 1024  # ru_maxrss: KiB on Linux, the largest child so far
    write_vocabulary(site, shards)
    manifest = {
        "shards": [{"path": s.output + "/", "pages": len(s.pages), "newest": s.newest, "oldest": s.oldest}
                   for s in shards],
        "vocab": f"{BUNDLE}/vocab/",
        "buckets": VOCAB_BUCKETS,
    }
    (site / BUNDLE / "shards.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    report.seconds = time.perf_counter() - t0
    return report


def bucket(key: str) -> int:
    """FNV-1a over the UTF-16 code units of a prefix, mod VOCAB_BUCKETS (search.js computes the same)."""
    h = 0x811C9DC5
    for (unit,) in struct.iter_unpack("<H", key.encode("utf-16-le")):
        h = ((h ^ unit) * 0x01000193) & 0xFFFFFFFF
    return h % VOCAB_BUCKETS


def shard_words(site: Path, shard: Shard) -> set[str]:
    """Every word of one shard's index (Pagefind chunks: gzip, a signature, then CBOR)."""
    words: set[str] = set()
    for chunk in sorted((site / shard.output / "index").glob("*.pf_index")):
        raw = gzip.decompress(chunk.read_bytes())
        for entry in cbor2.loads(raw[12:])[0]:
            words.add(entry[0])
            for variant in entry[2] or []:
                words.add(variant[0])
    return words


def write_vocabulary(site: Path, shards: list[Shard]) -> None:
    """Which shards hold words starting with each 1- and 2-character prefix, in hashed JSON buckets."""
    singles: dict[str, int] = {}
    pairs: dict[str, dict[str, int]] = {}
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        per_shard = list(pool.map(lambda s: shard_words(site, s), shards))
    for n, words in enumerate(per_shard):
        bit = 1 << n
        for w in words:
            singles[w[0]] = singles.get(w[0], 0) | bit
            if len(w) == 1:
                singles["=" + w] = singles.get("=" + w, 0) | bit  # the one-character word itself
            else:
                group = pairs.setdefault(w[:2], {})
                group[w] = group.get(w, 0) | bit
    buckets: dict[int, dict[str, object]] = {}
    for c, mask in singles.items():
        buckets.setdefault(bucket(c[1:] if c.startswith("=") and len(c) > 1 else c), {})[c] = mask
    for prefix, words in pairs.items():
        buckets.setdefault(bucket(prefix), {})[prefix] = dict(sorted(words.items()))
    out = site / BUNDLE / "vocab"
    out.mkdir(parents=True, exist_ok=True)
    for b in range(VOCAB_BUCKETS):
        body = dict(sorted(buckets.get(b, {}).items()))
        (out / f"{b}.json").write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                                        encoding="utf-8")
