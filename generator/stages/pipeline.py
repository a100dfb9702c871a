"""The pipeline, top to bottom: load → validate (with normalize) → index → emit → render → post.

Each stage is one module with one public function; this file only strings them together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..model.diagnostics import ERROR, WARNING, Diagnostic, Report
from ..model.normalize import Change
from ..util.clock import reference_date
from ..util.gcpause import gc_paused
from . import redirects, synonyms
from .cache import CheckCache
from .index import Index, build_index
from .load import load
from .validate import Records, validate


@dataclass
class Checked:
    """The outcome of checking a content tree."""

    records: Records
    index: Index | None
    diagnostics: list[Diagnostic] = field(default_factory=list)  # severities resolved, sorted
    changes: list[Change] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        """Diagnostics of severity error."""
        return [d for d in self.diagnostics if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        """Diagnostics of severity warning."""
        return [d for d in self.diagnostics if d.severity == WARNING]

    def summary(self) -> dict:
        """Counts for the last line of `portal check`."""
        ix = self.index
        return {
            "units": len(ix.units) if ix else len(self.records.units),
            "items": self.records.item_files,
            "matters": len(ix.matters) if ix else len(self.records.matters),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }


def check(content_dir: str | Path = "content", *, today: dt.date | None = None,
          strict_policy: bool = False, display_base: str | Path | None = None, use_cache: bool = False,
          cache: CheckCache | None = None) -> Checked:
    """Load, validate, normalize and index a content tree; collect every diagnostic.

    `use_cache` reuses validated items that have not changed (for `portal check`; see cache.py); `cache`
    passes a cache object instead (`portal serve` keeps one in memory with whole records).
    """
    with gc_paused():  # tens of thousands of small, acyclic records: see util/gcpause.py
        return _check(Path(content_dir), today, strict_policy, display_base, use_cache, cache)


def _check(content_dir: Path, today: dt.date | None, strict_policy: bool, display_base: str | Path | None,
           use_cache: bool, cache: CheckCache | None) -> Checked:
    if cache is not None:
        cache.rekey(Path(content_dir), f"{today or reference_date()}")
    elif use_cache:
        base = Path(display_base).resolve() if display_base is not None else Path.cwd()
        cache = CheckCache.open(Path(content_dir), extra=f"{base}|{today or reference_date()}")
    corpus = load(content_dir, display_base=display_base, cache=cache)
    records = validate(corpus, today=today, cache=cache)
    if cache is not None:
        cache.forget_missing({d.rel for d in corpus.docs if d.rel})
        cache.save()
    index, cross = build_index(records)
    report = Report(list(records.diagnostics))  # the validation records keep their own list
    report.extend(cross)
    if index is not None:
        report.extend(redirects.collect(index)[1])
        report.extend(synonyms.collect(content_dir, None, display_base)[1])
    overrides = dict(records.portal.rules) if records.portal else {}
    if strict_policy:
        overrides["W301"] = ERROR
    return Checked(records, index, report.resolved(overrides), records.changes)
