"""Posting files of one search shard: what the header box reads instead of Pagefind's word index.

Pagefind stores its words in chunks of a fixed 20,000 locations, so every word a query looks up costs a whole
chunk (~25 KB gzip in a 2,000-page shard) however rare it is, plus the shard's meta file (~20 KB) and the
WebAssembly module (~75 KB) before the first result. The header box only needs, for each covering token of the
query (see searchtext.cover), the pages and positions where it occurs. So after Pagefind has indexed a shard,
this module reads the shard's own index back (the same tokens at the same positions) and writes it again in
small pieces:

- ``post/<h>.json``: the postings of the BODY tokens whose FNV-1a hash is ``h`` (mod the shard's bucket count),
  as Pagefind stores them: ``{token: [[page delta, [weight marker < 0, position deltas…], []], …]}`` (copied,
  not re-encoded: re-encoding 2 million locations a shard in Python cost seconds per shard);
- ``post/order.json``: Pagefind's page numbers newest first (its date sort reversed; the undated reference
  pages sort as 0000-00-00, so last): the browser shows the newest matches first;
- ``post/pages/<k>.json``: pages 256·k … 256·k+255 as ``[fragment, title tokens, 文号 tokens]``: the Pagefind
  fragment to show, and the lengths of the heads in the title slot (a match that starts a head and is as long
  as it is the whole title or 文号, which ranks first).

A query downloads one posting file per covering token (about 5 KB) per shard it searches, and the page rows of
the results it shows. The files are part of the shard's bundle, so a cached shard reuses them. The full
/search/ page (filters, counts, every result) keeps using Pagefind.
"""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import cbor2
import orjson

from ..util import searchtext

SIGNATURE = b"pagefind_dcd"  # before the CBOR of every Pagefind file, inside its gzip
PAGE_ROWS = 256
TARGET_PAGES = 1000  # (token, page) pairs per posting file: a median file of ~2-4 KB gzip at 20k items
MAX_BUCKETS = 1024  # files a shard: each costs the build a file to write, link into the cache and compress


def bucket(key: str, count: int) -> int:
    """FNV-1a over the UTF-16 code units of a key, mod the bucket count (search.js computes the same)."""
    h = 0x811C9DC5
    for (unit,) in struct.iter_unpack("<H", key.encode("utf-16-le")):
        h = ((h ^ unit) * 0x01000193) & 0xFFFFFFFF
    return h % count


def read_pagefind(path: Path):
    """The CBOR of one Pagefind file (meta, index chunk, filter): gzip, the signature, then CBOR."""
    return cbor2.loads(gzip.decompress(path.read_bytes())[len(SIGNATURE):])


def _locations(entries: list) -> dict[int, list[int]]:
    """One word's Pagefind postings: page number → absolute positions (page numbers and positions are
    delta-coded; negative values are weight markers)."""
    out: dict[int, list[int]] = {}
    page = 0
    for delta, locs, _meta in entries:
        page += delta
        pos = 0
        mine = out.setdefault(page, [])
        for v in locs:
            if v >= 0:
                pos += v
                mine.append(pos)
    return out


def buckets_for(pairs: int) -> int:
    """Posting files for a shard: a power of two giving about TARGET_PAGES (token, page) pairs a file."""
    b = 1
    while b < MAX_BUCKETS and b * TARGET_PAGES < pairs:
        b *= 2
    return b


def write(bundle: Path) -> tuple[int, set[str]]:
    """Write ``post/`` into a canonicalized Pagefind bundle; returns the posting bucket count and the bundle's
    BODY tokens (the shard's vocabulary)."""
    entry = orjson.loads((bundle / "pagefind-entry.json").read_bytes())
    (info,) = entry["languages"].values()
    meta = read_pagefind(bundle / f"pagefind.{info['hash']}.pf_meta")
    pages = meta[1]  # [fragment hash, word count] by Pagefind page number
    by_date = dict(meta[4]).get("date") or list(range(len(pages)))
    heads: dict[int, list[int]] = {}
    postings: dict[str, list] = {}
    pairs = 0
    for first, last, chunk in meta[2]:  # chunks hold sorted word ranges: skip those without a token
        holds_body = first < searchtext.BODY + "\U0010ffff" and last >= searchtext.BODY
        if not (holds_body or first <= searchtext.HEAD_END <= last):
            continue  # only visible-text words
        for item in read_pagefind(bundle / "index" / f"{chunk}.pf_index")[0]:
            word, entries = item[0], item[1]
            if word == searchtext.HEAD_END:
                for p, locs in _locations(entries).items():
                    heads[p] = [x for x in locs if x < searchtext.TITLE_SLOT]
            elif word.startswith(searchtext.BODY):
                postings[word] = entries  # Pagefind's own lists, written out as they are: no Python loop
                pairs += len(entries)
    count = buckets_for(pairs)
    files: dict[int, dict[str, list]] = {}
    for word in sorted(postings):
        files.setdefault(bucket(word, count), {})[word] = postings[word]
    out = bundle / "post"
    (out / "pages").mkdir(parents=True, exist_ok=True)
    for h, body in files.items():
        (out / f"{h}.json").write_bytes(orjson.dumps(body))  # compact JSON, written in C
    (out / "order.json").write_bytes(orjson.dumps(by_date[::-1]))
    rows = []
    for p, (fragment, _words) in enumerate(pages):
        ends = heads.get(p, [])
        title = ends[0] if ends else 0
        doc = ends[1] - title - 1 if len(ends) > 1 else 0
        rows.append([fragment, title, doc])
    for k in range(0, len(rows), PAGE_ROWS):
        (out / "pages" / f"{k // PAGE_ROWS}.json").write_bytes(orjson.dumps(rows[k : k + PAGE_ROWS]))
    return count, set(postings)
