"""Search tokens: the deterministic text → words mapping that the index and the browser's query share.

Pagefind segments Chinese pages with jieba and queries with the browser's Intl.Segmenter, so the same string
is cut differently in a page and in a query. Instead, every searchable page also carries a block of our own
tokens, and the search page (overrides/assets/search.js, `tokens()` there is the JS twin of this module)
turns the query into the same tokens and looks for them at the same relative positions (see `cover`):

- text is NFKC-normalized and lower-cased; it is cut into *runs* of letters and digits (any script), so
  punctuation, brackets (〔〕 [] ［］) and spaces only separate runs;
- a run becomes its overlapping character bigrams, then an end marker (its last character + END): "海府办"
  → 海府 府办 办$. Consecutive runs give consecutive tokens, so a phrase of tokens = a substring, modulo the
  punctuation between runs;
- a character is written as a prefix-free ASCII code (Pagefind indexes lower-case alphanumeric words whole):
  3 base-36 digits for U+3400…U+DE1F (all common CJK), "y"+c for [0-9a-z], "z"+4 base-36 digits otherwise;
  END is "zzzzz", beyond any code point. A one-character query is the prefix `ns + code`, which matches
  exactly the bigrams that start with that character (and its end marker);
- a page's tokens start with a **title slot** of TITLE_SLOT positions: the title's tokens, HEAD_END, the
  文号's tokens and HEAD_END (policies), then FILLER words; the body's tokens follow. A match at a position
  below TITLE_SLOT is a match in the title (or 文号), and a match that starts a head and ends at a HEAD_END is
  the whole title (or 文号): the browser ranks both without another index.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

BODY = "qj"
HEAD_END = "qo"  # after the title's (and the 文号's) tokens in the slot
FILLER = "qp"  # pads the title slot
TITLE_SLOT = 128  # positions of the title slot; a title longer than that ranks as a body match past it
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
_GAP = "\x01"  # between runs in tokens(); a control character, never part of a run
_TABLE[ord(_GAP)] = _GAP + "\0"


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
    found = runs(text)
    if not found:
        return []
    # One translate and one split for the whole text (not one per run: a page has hundreds of runs): runs
    # joined by _GAP, every character followed by NUL; a pair whose second item is the gap is the run's end.
    items = (_GAP.join(found) + _GAP).translate(_TABLE).split("\0")
    return [ns + a + (END if b == _GAP else b) for a, b in itertools.pairwise(items) if a != _GAP]


def title_slot(*heads: str) -> list[str]:
    """The first TITLE_SLOT words of a page: each head's (title, 文号) tokens and HEAD_END, then FILLER.

    HEAD_END sorts between the BODY tokens and FILLER, whose long posting closes Pagefind's index chunk right
    after it: the browser's one HEAD_END lookup per shard loads a small chunk."""
    toks = [t for h in heads if h for t in (*tokens(h), HEAD_END)][:TITLE_SLOT]
    return toks + [FILLER] * (TITLE_SLOT - len(toks))


def query_tokens(query: str, ns: str = BODY) -> list[list[str]]:
    """Tokens of a query, one list per whitespace-separated part; token i of a part must be at position p + i.

    Runs followed by punctuation inside the part end with their end marker; the last run does not (the page
    may continue it). A last run of one character is a prefix word (`ns + code`): it matches every token that
    begins with that character, at its position.
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
            elif len(codes) == 1:
                toks.append(ns + codes[0])
        if toks:
            parts.append(toks)
    return parts


def first_code(word: str) -> str:
    """A BODY token's namespace and first character's code: what a one-character query looks up."""
    n = len(BODY)
    return word[: n + {"y": 2, "z": 5}.get(word[n], 3)]


def cover(n: int) -> list[int]:
    """The offsets of a part's n tokens that the browser searches: every other one and the last.

    Token i is the pair of characters i and i+1, so these pairs cover every character of the part: found at the
    same relative positions in a page, they spell the part there (search.js `cover` is the twin)."""
    out = list(range(0, n, 2))
    if out and out[-1] != n - 1:
        out.append(n - 1)
    return out


def contains(text: str, query: str) -> bool:
    """Does search find `query` in `text`? The browser's decision (search.js `searchPart`) on one text whose
    tokens sit at positions 0, 1, …: for every part, its covering tokens at the same relative positions (a
    prefix word matches every token it begins). Substring search modulo punctuation between runs."""
    where: dict[str, set[int]] = {}
    for pos, tok in enumerate(tokens(text)):
        where.setdefault(tok, set()).add(pos)

    def locs(t: str) -> set[int]:
        if first_code(t) == t:  # one character's code: a prefix word
            return set().union(*(v for k, v in where.items() if k.startswith(t)))
        return where.get(t, set())

    for toks in query_tokens(query):
        idx = cover(len(toks))
        sets = [locs(toks[i]) for i in idx]
        if not any(all(p + i in s for i, s in zip(idx, sets, strict=True)) for p in sets[0]):
            return False
    return True
