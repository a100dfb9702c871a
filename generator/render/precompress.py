"""Gzip copies of a built site's text files (x.html → x.html.gz) for nginx's gzip_static: compressed once at
build time at the highest level, instead of per request. Byte-reproducible (no name, mtime 0 in the gzip
header), so unchanged files stay unchanged for `portal publish`'s hard links."""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

#: Text formats worth compressing (Pagefind's .pf_* chunks are gzip already).
SUFFIXES = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".map", ".pagefind"}
MIN_SIZE = 512  # below this the gzip header costs more than it saves


def _one(path: str) -> int:
    data = Path(path).read_bytes()
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    if len(packed) >= len(data):
        return 0
    tmp = path + ".gz.tmp"
    with open(tmp, "wb") as f:
        f.write(packed)
    os.replace(tmp, path + ".gz")
    return 1


def candidates(site: Path) -> list[str]:
    out = []
    for dirpath, _dirs, files in os.walk(site):
        for name in files:
            if os.path.splitext(name)[1] in SUFFIXES:
                p = os.path.join(dirpath, name)
                if os.path.getsize(p) >= MIN_SIZE:
                    out.append(p)
    return sorted(out)


def precompress(site: Path, workers: int | None = None) -> int:
    """Write the .gz files; the number written."""
    paths = candidates(site)
    workers = workers or min(4, os.cpu_count() or 1)
    if workers <= 1 or len(paths) < 200:
        return sum(_one(p) for p in paths)
    with ProcessPoolExecutor(workers) as pool:
        return sum(pool.map(_one, paths, chunksize=64))
