"""Post step — search: index the built site with Pagefind (extended: Chinese segmentation), in shards.

Pagefind's memory grows with the pages one process indexes, so large sites are split into shards: groups of
top-level folders (units, catalog, …) of at most `max_pages` HTML files each, indexed by separate processes
(two at a time on two cores). Shard 0 is the bundle at /pagefind/ (Pagefind's default); the others go to
/pagefind/shards/<n>/ and are merged in the browser with `mergeIndex` (listed in /pagefind/shards.json).
Every page lands in exactly one shard.

Merged results equal one index's results because the query semantics are made shard-independent. For each
query term Pagefind takes every word the term is a prefix of; when there is none it falls back to the longest
word that is a prefix of the term — decided per index, so a shard lacking a word would add pages one index
would not. The build therefore writes the vocabulary (which shards hold which words, bucketed by their first
one or two characters under /pagefind/vocab/) and the browser applies the single-index rule globally: it
keeps only the shards that match every term the way one index would. See docs/search.md.
"""

from __future__ import annotations

import gzip
import json
import os
import resource
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


class SearchIndexError(Exception):
    """Pagefind failed; the build must not publish a site without search."""


@dataclass
class Shard:
    """A group of top-level folders indexed by one Pagefind process."""

    folders: list[str]
    pages: int
    output: str  # site-relative bundle path

    @property
    def glob(self) -> str:
        """Pagefind's --glob for these folders."""
        if len(self.folders) == 1:
            return f"{self.folders[0]}/**/*.html"
        return "{" + ",".join(self.folders) + "}/**/*.html"


@dataclass
class SearchReport:
    """What indexing did and what it cost."""

    shards: list[Shard] = field(default_factory=list)
    pages: int = 0  # pages Pagefind indexed (those with data-pagefind-body)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0  # the largest single indexing process


def pagefind_binary() -> str:
    """Path of the extended Pagefind binary shipped in the pagefind_bin_extended wheel."""
    from pagefind.service import _must_get_executable  # the wheel's own lookup (extended first)

    return str(_must_get_executable().resolve())


def plan(site: Path, max_pages: int = DEFAULT_MAX_PAGES) -> list[Shard]:
    """Pack the site's top-level folders into shards of at most max_pages HTML files (largest first)."""
    counts: dict[str, int] = {}
    for entry in sorted(os.scandir(site), key=lambda e: e.name):
        if entry.is_dir() and entry.name != BUNDLE and not entry.name.startswith("."):
            n = sum(1 for _, _, files in os.walk(entry.path) for f in files if f.endswith(".html"))
            if n:
                counts[entry.name] = n
    bins: list[list[str]] = []
    sizes: list[int] = []
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        for i, size in enumerate(sizes):
            if size + n <= max_pages:
                bins[i].append(name)
                sizes[i] += n
                break
        else:
            bins.append([name])
            sizes.append(n)
    return [Shard(sorted(b), s, BUNDLE if i == 0 else f"{BUNDLE}/shards/{i}")
            for i, (b, s) in enumerate(zip(bins, sizes, strict=True))]


def _run(binary: str, site: Path, shard: Shard) -> tuple[int, str]:
    cmd = [binary, "--site", str(site), "--glob", shard.glob, "--output-path", str(site / shard.output)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SearchIndexError(f"pagefind failed on {shard.glob}:\n{proc.stderr or proc.stdout}")
    indexed = 0
    for line in proc.stdout.splitlines():
        line = line.strip()
        if line.startswith("Indexed ") and line.endswith(" pages"):
            indexed = int(line.split()[1])
    return indexed, proc.stdout


def index_site(site_dir: str | Path, max_pages: int = DEFAULT_MAX_PAGES, jobs: int | None = None) -> SearchReport:
    """Index the built site; write /pagefind/ and its shards, and /pagefind/shards.json for the browser."""
    t0 = time.perf_counter()
    site = Path(site_dir)
    shards = plan(site, max_pages)
    binary = pagefind_binary()
    report = SearchReport(shards=shards)
    if not shards:
        return report
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with ThreadPoolExecutor(max_workers=jobs or min(2, os.cpu_count() or 1)) as pool:
        results = list(pool.map(lambda s: _run(binary, site, s), shards))
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report.pages = sum(n for n, _ in results)
    write_vocabulary(site, shards)
    report.peak_rss_mb = max(before, after) / 1024  # ru_maxrss: KiB on Linux, the largest child so far
    manifest = {"shards": [s.output + "/" for s in shards], "vocab": f"{BUNDLE}/vocab/", "buckets": VOCAB_BUCKETS}
    (site / BUNDLE / "shards.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    report.seconds = time.perf_counter() - t0
    return report


def bucket(key: str) -> int:
    """FNV-1a over the UTF-16 code units of a prefix, mod VOCAB_BUCKETS (search.js computes the same)."""
    raw = key.encode("utf-16-le")
    h = 0x811C9DC5
    for (unit,) in struct.iter_unpack("<H", raw):
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
        buckets.setdefault(bucket(c.lstrip("=") or c), {})[c] = mask
    for prefix, words in pairs.items():
        buckets.setdefault(bucket(prefix), {})[prefix] = dict(sorted(words.items()))
    out = site / BUNDLE / "vocab"
    out.mkdir(parents=True, exist_ok=True)
    for b in range(VOCAB_BUCKETS):
        body = dict(sorted(buckets.get(b, {}).items()))
        (out / f"{b}.json").write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                                        encoding="utf-8")
