"""Search tokens: the deterministic text → words mapping that the index and the browser's query share.

Pagefind segments Chinese pages with jieba and queries with the browser's Intl.Segmenter, so the same string
is cut differently in a page and in a query. Instead, every searchable page also carries a block of our own
tokens, and the search page (overrides/assets/search.js, `tokens()` there is the JS twin of this module)
turns the query into the same tokens and runs them as one exact phrase:

- text is NFKC-normalized and lower-cased; it is cut into *runs* of letters and digits (any script), so
  punctuation, brackets (〔〕 [] ［］) and spaces only separate runs;
- a run becomes its overlapping character bigrams, then an end marker (its last character + END): "海府办"
  → 海府 府办 办$. Consecutive runs give consecutive tokens, so a phrase of tokens = a substring, modulo the
  punctuation between runs;
- a character is written as a prefix-free ASCII code (Pagefind indexes lower-case alphanumeric words whole):
  3 base-36 digits for U+3400…U+DE1F (all common CJK), "y"+c for [0-9a-z], "z"+4 base-36 digits otherwise;
  END is "zzzzz", beyond any code point. A one-character query is the prefix `ns + code`, which matches
  exactly the bigrams that start with that character (and its end marker);
- three namespaces keep roles apart: BODY (title, body and the extra terms), TITLE (the title only) and
  EXACT (one word per page: a hash of the whole normalized title).
"""

from __future__ import annotations

import itertools
import re
import unicodedata

BODY = "qj"
TITLE = "qh"
EXACT = "qx"
END = "zzzzz"
SENTINEL = "qzz"  # last word of the token block: the visible text follows it in Pagefind's fragment

_RUN = re.compile(r"[^\W_]+")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_CJK_BASE = 0x3400
_CJK_SPAN = 34 * 36 * 36


def _b36(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, 36)
        out.append(_DIGITS[r])
    return "".join(reversed(out))


_CODES: dict[str, str] = {}


def code(ch: str) -> str:
    """The prefix-free ASCII code of one character."""
    c = _CODES.get(ch)
    if c is None:
        cp = ord(ch)
        if _CJK_BASE <= cp < _CJK_BASE + _CJK_SPAN:
            c = _b36(cp - _CJK_BASE, 3)
        elif ch in _DIGITS:
            c = "y" + ch
        else:
            c = "z" + _b36(cp, 4)
        _CODES[ch] = c
    return c


class _CodeTable(dict):
    """ord(ch) → code + NUL, filled on first use: str.translate turns a run into its codes in C."""

    def __missing__(self, cp: int) -> str:
        value = self[cp] = code(chr(cp)) + "\0"
        return value


_TABLE = _CodeTable()


# NFKC's own mappings of full-width ASCII and the ideographic space, applied first with str.translate: most
# Chinese text is NFKC-normal after them, and the quick check then spares the full normalization.
_WIDE = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}


def normalize(text: str) -> str:
    text = text.translate(_WIDE)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def runs(text: str) -> list[str]:
    """The runs of letters and digits of a text, normalized."""
    return _RUN.findall(normalize(text))


def tokens(text: str, ns: str = BODY) -> list[str]:
    """Index tokens of a text: each run's bigrams, then its end marker."""
    out: list[str] = []
    for run in runs(text):
        codes = run.translate(_TABLE).split("\0")
        codes[-1] = END  # the split leaves "" after the last code: the end marker takes its place
        out += [ns + a + b for a, b in itertools.pairwise(codes)]
    return out


def fnv(text: str, seed: int) -> int:
    """FNV-1a (32-bit) over code points (search.js computes the same)."""
    h = seed
    for ch in text:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h


def exact_key(title: str) -> str:
    """The one EXACT word of a title: two FNV-1a hashes of its runs joined by '|'."""
    norm = "|".join(runs(title))
    return EXACT + _b36(fnv(norm, 0x811C9DC5), 7) + _b36(fnv(norm, 0x050C5D1F), 7)


def query_tokens(query: str, ns: str = BODY) -> list[list[str]]:
    """Tokens of a query, one list per whitespace-separated part (each part is searched as a phrase).

    Runs followed by punctuation inside the part end with their end marker; the last run does not (the page
    may continue it). A last run of one character is a prefix word (`ns + code`), searched alone when it is
    the whole part; after other tokens it is left out (a necessary condition is kept, exactness is not).
    """
    parts = []
    for part in normalize(query).split():
        found = list(_RUN.finditer(part))
        toks: list[str] = []
        for m in found:
            codes = [code(ch) for ch in m.group()]
            toks += [ns + codes[i] + codes[i + 1] for i in range(len(codes) - 1)]
            if m.end() < len(part):
                toks.append(ns + codes[-1] + END)
            elif len(codes) == 1 and not toks:
                toks.append(ns + codes[0])
        if toks:
            parts.append(toks)
    return parts
