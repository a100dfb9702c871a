"""`portal new`: write a correctly placed item with every required field marked for the editor to fill."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..model.content import GUIDE_ELEMENTS, Guide, Item, fields_of, item_class
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
    # A guide's 19号 key elements are required (E302) though no single field is; the other national elements
    # are written blank for the editor to fill (W325 names the ones left).
    key = {e.fields[0] for e in GUIDE_ELEMENTS if e.key} if cls is Guide else set()
    national = {e.fields[0] for e in GUIDE_ELEMENTS} if cls is Guide else set()
    for name, spec in fields_of(cls).items():
        if name in ("title", "type", "date"):
            continue
        comment = f"# {spec.zh}" + (f"：{spec.help}" if spec.help else "")
        if name in national and name not in key:
            lines.append(f"{name}:  # 建议填写 {comment[2:]}")
        elif spec.required or name in key:
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
