"""`portal new`: write a correctly placed item with every required field marked for the editor to fill."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..model.content import DisclosureGuide, Item, Unit, fields_of, item_class
from ..model.urls import slugify


def _yaml_str(value: str) -> str:
    """Quote a string for YAML when it could be misread."""
    if not value or value[0] in "!&*[]{}|>'\"%@`#,?:-" or ": " in value or " #" in value:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def front_matter(type_id: str, title: str, date: str) -> str:
    """Front matter for a new item of a type: required fields first (blank ones marked), then a hint list."""
    cls = item_class(type_id)
    lines = ["---", f"title: {_yaml_str(title)}", f"type: {type_id}", f"date: {date}"]
    optional = []
    for name, spec in fields_of(cls).items():
        if name in ("title", "type", "date"):
            continue
        comment = f"# {spec.zh}" + (f"：{spec.help}" if spec.help else "")
        if spec.required:
            shape = "（列表：每项一行，以“- ”开头）" if spec.kind == "list" else ""
            lines.append(f"{name}:  # 必填 {comment[2:]}{shape}")
        elif cls is not Item and name not in fields_of(Item):
            optional.append(f"# {name}:  {comment[2:]}")
    lines += ["source:  # 信息来源，缺省为本单位", "summary:  # 摘要（可选）", *optional, "---", "",
              "正文从这里开始。", ""]
    return "\n".join(lines)


def new_item(content: Path, unit_path: str, column: str, type_id: str, title: str,
             date: dt.date | None = None) -> Path:
    """Create the file under content/<unit_path>/<column>/ and return its path (never overwrites)."""
    day = (date or dt.date.today()).isoformat()
    folder = content / unit_path / column
    folder.mkdir(parents=True, exist_ok=True)
    taken = {p.stem for p in folder.rglob("*.md")}
    slug = slugify(title, day, taken)
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
