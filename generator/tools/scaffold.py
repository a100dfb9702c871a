"""`portal new`: write a correctly placed item with every required field marked for the editor to fill."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..model.content import (
    BODY_PLACEHOLDER,
    Column,
    DisclosureGuide,
    Item,
    Term,
    Unit,
    fields_of,
    item_class,
)
from ..util.suggest import did_you_mean


@dataclass
class Choice:
    """Where `portal new` writes: the unit, its column, the item type."""

    unit: Unit
    column: str
    type: str


def _names(t: Term) -> list[str]:
    return [t.id, t.name, *t.aliases]


def find_unit(ix, text: str) -> Unit | None:
    """A unit by id (any case), full name, short name or former name."""
    key = text.strip()
    if key in ix.units:
        return ix.units[key]
    for u in ix.units.values():
        if key.lower() == u.id or key in (u.name, u.short_name, *u.aliases):
            return u
    return None


def _unit_choices(ix) -> str:
    return "、".join(f"{u.id}（{u.display_name}）" for u in ix.units.values() if u.kind != "community")


def choose(ix, what: str, unit_text: str, column_text: str | None) -> Choice | str:
    """Resolve `portal new WHAT --unit U [--column C]` to a Choice, or a Chinese message listing the choices.

    WHAT is a column or a type, by id, Chinese name or alias (`工作动态`, `news`, `政策文件`). The column is never
    one the unit may not publish in (a portal-only column such as 要闻 belongs to the portal's owner).
    """
    tax = ix.taxonomy
    owner = ix.portal.owner_unit if ix.portal else None
    unit = find_unit(ix, unit_text)
    if unit is None:
        names = [n for u in ix.units.values() for n in (u.id, u.name, u.short_name or "", *u.aliases)]
        return f"未知单位“{unit_text}”{did_you_mean(unit_text, names)}\n可写单位编号、全称或简称：{_unit_choices(ix)}"
    columns = sorted(tax.columns, key=lambda c: c.order)
    open_cols = [c for c in columns if c.open_to(unit, owner)]
    col_list = "、".join(f"{c.id}（{c.name}）" for c in open_cols)

    def find_column(text: str) -> Column | None:
        return next((c for c in columns if text in _names(c) or text.lower() in _names(c)), None)

    column = find_column(what)
    type_id = column.type if column else next((t.id for t in tax.types if what in _names(t)
                                               or what.lower() in _names(t)), None)
    if type_id is None:
        cands = [n for c in columns for n in _names(c)] + [n for t in tax.types for n in _names(t)]
        return (f"未知栏目或类型“{what}”{did_you_mean(what, cands)}\n可选栏目：{col_list}\n"
                f"可选类型：{'、'.join(f'{t.id}（{t.name}）' for t in tax.types)}")
    if column_text:
        column = find_column(column_text)
        if column is None:
            return f"未知栏目“{column_text}”{did_you_mean(column_text, [n for c in columns for n in _names(c)])}\n" \
                   f"可选栏目：{col_list}"
        if item_class(column.type) is not item_class(type_id):
            return f"“{column.name}”栏目放的是{tax.label('types', column.type)}，不能放{tax.label('types', type_id)}"
    if column is None:  # a type: the unit's column for it, one it is expected to run first
        fits = [c for c in open_cols if c.type == type_id]
        fits.sort(key=lambda c: (not (c.portal_only and unit.id == owner),  # the owner's news are 要闻
                                 not (unit.kind in c.expected or (unit.columns and c.id in unit.columns)), c.order))
        if not fits:
            return f"{unit.display_name}没有放{tax.label('types', type_id)}的栏目，请用 --column 指定：{col_list}"
        column = fits[0]
    if not column.open_to(unit, owner):
        return (f"“{column.name}”（{column.id}）只由门户主管单位发布，{unit.display_name}不能在此发布（E214）；"
                f"可选栏目：{col_list}")
    return Choice(unit, column.id, type_id)


# --------------------------------------------------------------------------- file names

_ASCII_WORD = re.compile(r"[a-z0-9]+")


def pinyin_slug(title: str, date: str, taken: set[str] | frozenset[str] = frozenset(), max_len: int = 60) -> str:
    """`2026-11-20-xiangmu-tuijin`: the date and the title in pinyin (toneless), one syllable per hyphen.

    Stable (same title and date, same name) and unique within `taken` (-2, -3, … on a clash); a title with
    nothing to spell falls back to `<date>-item`.
    """
    from pypinyin import Style, lazy_pinyin  # a pinned dependency; imported late (its dictionary is big)

    text = unicodedata.normalize("NFKC", title).lower()
    words: list[str] = []
    for syl in lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: [" ".join(_ASCII_WORD.findall(s))]):
        words += _ASCII_WORD.findall(syl.replace("ü", "v"))
    slug = date
    for w in words:
        if len(slug) + 1 + len(w) > max_len:
            break
        slug += "-" + w
    if slug == date:
        slug += "-item"
    base, n = slug, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


# --------------------------------------------------------------------------- the file


def _yaml_str(value: str) -> str:
    """Quote a string for YAML when it could be misread."""
    if not value or value[0] in "!&*[]{}|>'\"%@`#,?:-" or ": " in value or " #" in value:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def front_matter(type_id: str, title: str, date: str) -> str:
    """Front matter for a new item of a type: required fields first, each marked 必填, then optional ones.

    A required field is left empty (E102, E302 for a guide's elements, until filled) and the body holds a
    placeholder `portal check` reports (W215), so an unedited scaffold cannot publish quietly.
    """
    cls = item_class(type_id)
    lines = ["---", f"title: {_yaml_str(title)}  # 必填 标题", f"type: {type_id}",
             f"date: {date}  # 必填 发布日期，如 2024-03-05 或 2024年3月5日 上午9:30"]
    optional = []
    for name, spec in fields_of(cls).items():
        if name in ("title", "type", "date"):
            continue
        comment = f"{spec.zh}" + (f"：{spec.help}" if spec.help else "")
        if spec.required:
            shape = "（列表：每项一行，以“- ”开头）" if spec.kind == "list" else ""
            lines.append(f"{name}:  # 必填 {comment}{shape}")  # left empty: E102/E302 until filled
        elif cls is not Item and name not in fields_of(Item):
            optional.append(f"# {name}:  {comment}")
    lines += ["source:  # 选填 信息来源（ContentSource），缺省为本单位",
              "summary:  # 选填 摘要：列表和搜索结果中显示的一两句话", *optional, "---", "",
              BODY_PLACEHOLDER, ""]
    return "\n".join(lines)


def new_item(content: Path, unit_path: str, column: str, type_id: str, title: str,
             date: dt.date | None = None) -> Path:
    """Create the file under content/<unit_path>/<column>/ and return its path (never overwrites)."""
    day = (date or dt.date.today()).isoformat()
    folder = content / unit_path / column
    folder.mkdir(parents=True, exist_ok=True)
    taken = {p.stem for p in folder.rglob("*.md")}
    slug = pinyin_slug(title, day, taken)
    path = folder / f"{slug}.md"
    path.write_text(front_matter(type_id, title, day), encoding="utf-8")
    return path


#: Names `portal new` accepts for the 政府信息公开指南 (it lives in unit.yml, not in a column).
XXGK_NAMES = ("xxgk", "信息公开指南", "政府信息公开指南")


def disclosure_guide_block(unit: Unit) -> str:
    """An `xxgk:` block for unit.yml: values the unit's contact already has, every other required field marked."""
    c = unit.contact
    known = {"address": c.address, "postcode": c.postcode, "hours": c.hours, "phone": c.phone, "fax": c.fax,
             "email": c.email}
    lines = ["", "# 政府信息公开指南（《中华人民共和国政府信息公开条例》第十二条）", "xxgk:"]
    for name, spec in fields_of(DisclosureGuide).items():
        value = known.get(name)
        if name == "methods":
            lines += ["  methods:  # 必填 申请方式：每种方式一项", "    - name: 网上申请",
                      "      how:  # 必填 向哪里提交、需要提交什么", "    - name: 信函申请",
                      "      how:  # 必填", "    - name: 当面申请", "      how:  # 必填"]
        elif name == "updated":
            lines.append(f"  updated: {dt.date.today().isoformat()}")
        elif value:
            lines.append(f"  {name}: {_yaml_str(str(value))}")
        elif spec.required and spec.default is None:
            lines.append(f"  {name}:  # 必填 {spec.zh}：{spec.help}")
        else:
            lines.append(f"  # {name}:  {spec.zh}（可选）：{spec.help}")
    return "\n".join(lines) + "\n"


def add_disclosure_guide(unit_yml: Path, unit: Unit) -> None:
    """Append the 指南 block to a unit.yml that has none (raises FileExistsError when it has one)."""
    text = unit_yml.read_text(encoding="utf-8")
    if unit.xxgk is not None or "\nxxgk:" in "\n" + text:
        raise FileExistsError(f"{unit_yml} 中已有 xxgk（政府信息公开指南），请直接修改")
    unit_yml.write_text(text.rstrip("\n") + "\n" + disclosure_guide_block(unit), encoding="utf-8")
