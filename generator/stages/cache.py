"""A cache of validated item records for `portal check`, so checking one file in a 20,000-item tree is fast.

An item's record depends on its file, on the context every item is validated against (taxonomy.yml,
portal.yml and the units' unit.yml files) and on the generator's own code. The cache stores, per item file,
its stat signature and the context key, with the records, diagnostics and normalization changes validation
produced; a file is re-read and re-validated whenever any of those differ. Cross-references are always
recomputed on the whole tree (index), so reusing records never hides a dangling reference.
Cached records keep what cross-references read and drop free text (bodies, summaries, guide elements):
`portal check` does not need them, and builds do not use this cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..util.fsio import write_atomic

_VERSION = 1


def code_key() -> str:
    """A key that changes whenever the generator's source changes."""
    h = hashlib.sha1(str(_VERSION).encode())
    pkg = Path(__file__).resolve().parent
    for p in sorted(pkg.glob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def context_key(content: Path) -> str:
    """A key over the files every item is validated against."""
    h = hashlib.sha1()
    files = [content / "portal.yml", content / "taxonomy.yml", content / "wordlist.yml",
             *sorted((content / "units").glob("*/unit.yml"))]
    for p in files:
        try:
            h.update(p.relative_to(content).as_posix().encode())
            h.update(p.read_bytes())
        except OSError:
            h.update(b"-")
    return h.hexdigest()[:16]


def signature(st: os.stat_result) -> tuple[int, int, int]:
    """What identifies a file's content version without reading it."""
    return (st.st_mtime_ns, st.st_size, st.st_ino)


@dataclass
class Entry:
    """What validating one item file produced."""

    sig: tuple[int, int, int]
    records: list[Any] = field(default_factory=list)
    diagnostics: list[Any] = field(default_factory=list)
    changes: list[Any] = field(default_factory=list)


def _group(rel: str) -> str:
    """Cache files are split per unit folder, so a one-file change rewrites one small file."""
    parts = rel.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "units" else "_"


@dataclass
class CheckCache:
    """Entries per content-relative path, valid for one code key and one context key, stored per unit."""

    path: Path | None  # a folder; None: in memory only (`portal serve`)
    key: str = ""
    slim: bool = True  # keep only what cross-references read (False: whole records, for rebuilding pages)
    entries: dict[str, Entry] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)  # groups to rewrite

    @classmethod
    def open(cls, content: Path, cache_dir: Path | None = None, extra: str = "") -> CheckCache:
        """The cache for a content tree (in <content>/../.cache/portal/ by default); `extra` joins the key
        (the display base of diagnostic paths and the date future-date checks use)."""
        content = content.resolve()
        where = cache_dir or content.parent / ".cache" / "portal"
        name = hashlib.sha1(str(content).encode()).hexdigest()[:12]
        cache = cls(where / f"check-{name}")
        cache.key = f"{code_key()}-{context_key(content)}-{hashlib.sha1(extra.encode()).hexdigest()[:8]}"
        try:
            files = sorted(cache.path.glob("*.pickle"))
        except OSError:
            files = []
        for f in files:
            try:
                with open(f, "rb") as fh:
                    key, entries = pickle.load(fh)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
                continue
            if key == cache.key:
                cache.entries.update(entries)
        return cache

    @classmethod
    def memory(cls) -> CheckCache:
        """A cache that lives in the process and keeps whole records: what `portal serve` rebuilds from.
        Its key is set by the first check (`rekey`)."""
        return cls(None, slim=False)

    def rekey(self, content: Path, extra: str = "") -> None:
        """Drop every entry if the validation context changed (a unit.yml, taxonomy.yml, portal.yml, the date)."""
        key = f"{context_key(content.resolve())}-{extra}"
        if key != self.key:
            self.key = key
            self.entries.clear()

    def fresh(self, rel: str, st: os.stat_result) -> Entry | None:
        """The entry for a file if it is still valid."""
        e = self.entries.get(rel)
        return e if e is not None and e.sig == signature(st) else None

    def put(self, rel: str, entry: Entry) -> None:
        """Record a freshly validated file."""
        self.entries[rel] = entry
        self.dirty.add(_group(rel))

    def forget_missing(self, present: set[str]) -> None:
        """Drop entries of files that no longer exist."""
        for rel in set(self.entries) - present:
            del self.entries[rel]
            self.dirty.add(_group(rel))

    def save(self) -> None:
        """Rewrite the changed groups atomically (a crash leaves each file old or new, never torn)."""
        if not self.dirty or self.path is None:
            self.dirty.clear()
            return
        self.path.mkdir(parents=True, exist_ok=True)
        groups: dict[str, dict[str, Entry]] = {g: {} for g in self.dirty}
        for rel, e in self.entries.items():
            g = _group(rel)
            if g in groups:
                groups[g][rel] = e
        for g, entries in groups.items():
            target = self.path / f"{g}.pickle"
            if not entries:
                target.unlink(missing_ok=True)
                continue
            write_atomic(target, pickle.dumps((self.key, entries), protocol=pickle.HIGHEST_PROTOCOL))
        self.dirty.clear()
