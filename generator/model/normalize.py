"""Normalization: a table of field processors (string in, canonical string out).

A processor never rejects: input it cannot understand is returned unchanged and the validator reports it.
Each processor returns ``(value, note)``; a non-empty note means the change is worth showing to the editor
(`portal check --show-normalized`), so they can fix the source. Which processors apply to a field is derived
from the schema in ``model.py`` (its type, vocabulary and ``norm=`` list) by :func:`processors_for`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from .content import FieldSpec

Processor = Callable[[str, "Context"], tuple[str, str]]


@dataclass
class Context:
    """What processors may look up: vocabularies (label → id) and unit names (name → id)."""

    vocab: dict[str, dict[str, str]] = field(default_factory=dict)  # vocab name -> {key: id}
    units: dict[str, tuple[str, bool]] = field(default_factory=dict)  # name -> (unit id, is former name)


@dataclass(frozen=True)
class Change:
    """A value the normalizer changed, with where it came from."""

    path: str
    line: int
    col: int
    field: str
    before: str
    after: str
    note: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.field}: “{self.before}” → “{self.after}”（{self.note}）"


# --------------------------------------------------------------------------- processors

_WS = re.compile(r"[ \t\u3000\u00a0]+")


def text(value: str, ctx: Context) -> tuple[str, str]:
    """Unicode NFC, trimmed; single-line values get inner whitespace runs collapsed."""
    value = value.rstrip("\n")  # the final newline of a `|` block scalar is YAML's, not the editor's
    out = unicodedata.normalize("NFC", value).replace("\r\n", "\n").strip(" \t\n\u3000\u00a0")
    if "\n" not in out:
        out = _WS.sub(" ", out)
    if out == value:
        return value, ""
    if unicodedata.normalize("NFC", value) != value:
        return out, "Unicode 规范化"
    return out, "去除多余空白"


_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


def code(value: str, ctx: Context) -> tuple[str, str]:
    """Full-width digits, letters and ASCII punctuation in codes → ASCII."""
    out = value.translate(_FULLWIDTH)
    return out, ("全角字符转半角" if out != value else "")


_DOCNO = re.compile(r"[\[\(（【［〔{｛]\s*((?:19|20)\d{2})\s*[\]\)）】］〕}｝]")


def doc_number(value: str, ctx: Context) -> tuple[str, str]:
    """文号 year brackets ([2019] (2019) 【2019】 …) → 〔2019〕, inner spaces dropped."""
    out = _DOCNO.sub(lambda m: f"〔{m.group(1)}〕", value)
    out = re.sub(r"\s+", "", out)
    return out, ("文号括号统一为〔〕" if out != value else "")


_DATE = re.compile(
    r"^\s*(?:(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2}))"
    r"(?:(?:\s+|T|(?<=日))\s*(上午|下午|中午|晚上|凌晨|早上)?\s*(\d{1,2})\s*(?:[:：时点]\s*(\d{1,2})?\s*分?)"
    r"(?:\s*[:：]\s*(\d{1,2})\s*秒?|\s*(\d{1,2})\s*秒)?)?\s*$"
)
_PM = {"下午", "晚上"}

#: What editors may write in a date field (shown by E105, `portal new --date` and the guide).
DATE_FORMS = ("2024-03-05、2024/3/5、2024.3.5、20240305、2024年3月5日；"
              "带时间：2024-03-05 09:30、2024年3月5日 上午9:30、2024年3月5日 14时30分")


def date(value: str, ctx: Context) -> tuple[str, str]:
    """Dates in Chinese and mixed formats → YYYY-MM-DD (or YYYY-MM-DD HH:MM when a time is given)."""
    v = value.translate(_FULLWIDTH)
    m = _DATE.match(v)
    if not m:
        return value, ""
    y, mo, d, y8, mo8, d8, half, hh, mm = m.groups()[:9]
    if y is None:
        y, mo, d = y8, mo8, d8
    out = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    if hh is not None:
        h = int(hh)
        if (half in _PM and h < 12) or (half == "中午" and h < 11):
            h += 12
        elif half == "凌晨" and h == 12:
            h = 0
        out += f" {h:02d}:{int(mm or 0):02d}"
    return out, ("日期格式统一" if out != value else "")


def vocab_term(name: str) -> Processor:
    """Labels and synonyms of a taxonomy vocabulary → the term id (silent: labels are first-class)."""

    def proc(value: str, ctx: Context) -> tuple[str, str]:
        table = ctx.vocab.get(name, {})
        return table.get(value) or table.get(value.lower()) or value, ""

    proc.__name__ = f"vocab_{name}"
    return proc


def unit_ref(value: str, ctx: Context) -> tuple[str, str]:
    """Unit names, short names and former names → unit id (a former name is worth telling)."""
    hit = ctx.units.get(value)
    if hit is None:
        return value, ""
    unit_id, former = hit
    return unit_id, ("曾用名换为单位编号" if former else "")


#: The table: processor name → function. Field specs name extra processors with `norm=(...)`.
PROCESSORS: dict[str, Processor] = {
    "text": text,
    "code": code,
    "doc_number": doc_number,
    "date": date,
    "units": unit_ref,
}


def processors_for(spec: FieldSpec) -> list[Processor]:
    """The processors applied, in order, to each scalar of a field."""
    procs: list[Processor] = [text]
    procs += [PROCESSORS[n] for n in spec.norm]
    if spec.kind in ("date", "datetime") and "date" not in spec.norm:
        procs.append(date)
    if spec.vocab == "units":
        procs.append(unit_ref)
    elif spec.vocab:
        procs.append(vocab_term(spec.vocab))
    return procs


def apply(procs: list[Processor], value: str, ctx: Context) -> tuple[str, list[str]]:
    """Run a value through processors; returns the canonical value and the notes of changes made."""
    notes = []
    for proc in procs:
        value, note = proc(value, ctx)
        if note:
            notes.append(note)
    return value, notes


def build_vocab_table(terms: list, ) -> dict[str, str]:
    """id, zh name and aliases of every term → id."""
    table: dict[str, str] = {}
    for t in terms:
        for key in (t.id, t.name, *t.aliases):
            table.setdefault(key, t.id)
            table.setdefault(key.lower(), t.id)
    return table
