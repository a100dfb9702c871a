"""Wording checks on published text: personal data in 互动交流 text, and the accuracy check (校对词表).

Both run inside validation (stages/validate.py), so their diagnostics are cached with the item like every other
diagnostic of the file; the check cache's context key covers content/wordlist.yml, so editing the list
re-checks every item.

- Personal data (E401, E402): 18-digit 居民身份证号码 (a plausible birth date; the check digit is not required,
  a mistyped number is still personal data), mobile numbers (1[3-9] + 9 digits) and landline numbers
  (0 + area code + 7–8 digits). Numbers that are published anyway — a unit's or the portal's contact phone
  and fax in unit.yml/portal.yml — are allowed.
- Accuracy (E420 error entries, W421 warning entries): each entry of content/wordlist.yml is a wrong form,
  its correction, a kind and a severity. A match inside one of the entry's `allow` forms (or inside its
  correction, when the correction contains the wrong form) is not an error. Quotations are exempt inline:
  a line with ``<!-- 引文 -->``, or every line between ``<!-- 引文开始 -->`` and ``<!-- 引文结束 -->``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..model.content import WordEntry

_ID = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]"
                 r"(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<![\d-])(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3})[- ]?[2-9]\d{6,7}(?![\d-])")


def digits(s: str) -> str:
    """The digits of a phone number, for comparing spellings (020-8908 9000 = 02089089000)."""
    return re.sub(r"\D", "", s)


def personal_data(text: str, allowed: frozenset[str] | set[str] = frozenset()) -> list[tuple[int, str, str]]:
    """(offset, rule, found) for every ID number (E401) and phone number (E402) not in `allowed` (digits)."""
    out = []
    taken: list[tuple[int, int]] = []
    for m in _ID.finditer(text):
        out.append((m.start(), "E401", m.group()))
        taken.append(m.span())
    for rx in (_MOBILE, _LANDLINE):
        for m in rx.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            d = digits(m.group())
            if d in allowed or (d.startswith("86") and d[2:] in allowed):
                continue
            out.append((m.start(), "E402", m.group()))
            taken.append(m.span())
    return sorted(out)


def mask(found: str) -> str:
    """A number as shown in a diagnostic: enough to find it, not enough to copy it on (a log is public too)."""
    return found[:3] + "*" * max(0, len(found) - 5) + found[-2:] if len(found) > 6 else found


# --------------------------------------------------------------------------- accuracy


@dataclass(frozen=True)
class Hit:
    """One accuracy finding: offset in the text, the entry, the text matched."""

    offset: int
    entry: WordEntry


class WordChecker:
    """Finds the wrong forms of a word list in text, in one regex pass."""

    def __init__(self, entries: Iterable[WordEntry]):
        self.entries = {e.wrong: e for e in entries if e.wrong}
        self.allow = {w: [a for a in (*e.allow, e.right or "") if a and w in a and a != w]
                      for w, e in self.entries.items()}
        words = sorted(self.entries, key=len, reverse=True)
        self.rx = re.compile("|".join(map(re.escape, words))) if words else None

    def __bool__(self) -> bool:
        return self.rx is not None

    def find(self, text: str) -> Iterator[Hit]:
        """The hits in one piece of text (no quotation handling: see `lines`)."""
        if self.rx is None:
            return
        for m in self.rx.finditer(text):
            w = m.group()
            if any(_covers(text, m.start(), w, a) for a in self.allow[w]):
                continue
            yield Hit(m.start(), self.entries[w])

    def lines(self, body: str) -> Iterator[tuple[int, int, Hit]]:
        """(0-based line, 0-based column, hit) over a Markdown body, skipping quotations marked inline."""
        if self.rx is None:
            return
        quoting = False
        for n, line in enumerate(body.split("\n")):
            if "<!-- 引文开始 -->" in line:
                quoting = True
            if "<!-- 引文结束 -->" in line:
                quoting = False
                continue
            if quoting or "<!-- 引文 -->" in line:
                continue
            for hit in self.find(line):
                yield n, hit.offset, hit


def _covers(text: str, pos: int, wrong: str, allowed: str) -> bool:
    """Whether an allowed longer form occurs in `text` over the match of `wrong` at `pos`."""
    k = allowed.find(wrong)
    while k >= 0:
        start = pos - k
        if start >= 0 and text.startswith(allowed, start):
            return True
        k = allowed.find(wrong, k + 1)
    return False


def suggestion(e: WordEntry) -> str:
    """The diagnostic detail of a hit: what was found, the correction and where the entry comes from."""
    msg = f"“{e.wrong}”（{e.kind}）"
    msg += f"应为“{e.right}”" if e.right else "为禁用表述，请删除或改写"
    if e.note:
        msg += f"；依据：{e.note}"
    return msg
