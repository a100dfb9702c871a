"""“您是否要写：…” — the closest known names to something an editor typed (difflib, no dependencies)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.5) -> list[str]:
    """The candidates closest to `word`, best first (case-insensitive for ASCII)."""
    cands = list(dict.fromkeys(c for c in candidates if c))
    lowered = {c.lower(): c for c in cands}
    hits = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=cutoff)
    return [lowered[h] for h in hits]


def did_you_mean(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.5) -> str:
    """`；您是否要写：“a”、“b”？` or "" when nothing is close."""
    hits = closest(word, candidates, n, cutoff)
    return ("；您是否要写：" + "、".join(f"“{h}”" for h in hits) + "？") if hits else ""
