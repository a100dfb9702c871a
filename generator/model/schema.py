"""JSON Schema for editors' IDEs and pre-commit, generated from the content model (never hand-written)."""

from __future__ import annotations

from typing import Any

from .content import FILE_CLASSES, GUIDE_ELEMENTS, ITEM_CLASSES, FieldSpec, Item, Portal, Taxonomy, Unit, fields_of

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def _enum(taxonomy: Taxonomy | None, vocab: str | None) -> list[str] | None:
    if taxonomy is None or not vocab or vocab == "units":
        return None
    values: list[str] = []
    for t in taxonomy.vocab(vocab):
        for v in (t.id, t.name, *t.aliases):
            if v not in values:
                values.append(v)
    return values


def _field(spec: FieldSpec, taxonomy: Taxonomy | None) -> dict[str, Any]:
    out: dict[str, Any] = {"title": spec.zh}
    if spec.help:
        out["description"] = spec.help
    scalar: dict[str, Any]
    if spec.kind == "int":
        scalar = {"type": ["integer", "string"]}
    elif spec.kind == "bool":
        scalar = {"type": "boolean"}
    elif spec.kind in ("date", "datetime"):
        scalar = {"type": "string", "examples": ["2019-07-10", "2019年7月10日"]}
    else:
        scalar = {"type": "string"}
        enum = _enum(taxonomy, spec.vocab)
        if enum:
            scalar["enum"] = enum
        if spec.pattern:
            scalar["pattern"] = spec.pattern
        if spec.max_len:
            scalar["maxLength"] = spec.max_len
    if spec.kind == "list":
        items = _object(spec.record, taxonomy) if spec.item_kind == "record" else scalar
        out.update({"type": "array", "items": items})
        if spec.item_kind == "str":  # a single value is accepted for a list of strings
            out = {"title": spec.zh, "description": spec.help, "anyOf": [{"type": "array", "items": items}, scalar]}
    elif spec.kind == "record":
        out.update(_object(spec.record, taxonomy))
    elif spec.kind == "dict":
        out.update({"type": "object", "additionalProperties": {"type": "string"}})
    else:
        out.update(scalar)
    if spec.default is not None and spec.kind not in ("list", "record", "dict"):
        out["default"] = spec.default
    return out


def _object(cls: type, taxonomy: Taxonomy | None, specs: dict[str, FieldSpec] | None = None) -> dict[str, Any]:
    specs = specs if specs is not None else fields_of(cls)
    return {
        "type": "object",
        "title": (cls.__doc__ or "").strip().rstrip("."),
        "properties": {n: _field(s, taxonomy) for n, s in specs.items()},
        "required": [n for n, s in specs.items() if s.required],
        "additionalProperties": False,
    }


def item_schema(taxonomy: Taxonomy | None) -> dict[str, Any]:
    """Item front matter: the union of every type's fields, with per-type required fields."""
    specs: dict[str, FieldSpec] = dict(fields_of(Item))
    for cls in ITEM_CLASSES.values():
        specs.update(fields_of(cls))
    obj = _object(Item, taxonomy, specs)
    obj["required"] = [n for n, s in fields_of(Item).items() if s.required]
    obj["allOf"] = [
        {
            "if": {"properties": {"type": {"const": type_id}}, "required": ["type"]},
            "then": {"required": [n for n, s in fields_of(cls).items() if s.required]},
        }
        for type_id, cls in ITEM_CLASSES.items()
    ]
    # A guide's 19号 key elements (E302): one field required, or any of an element's alternative fields.
    guide = next(c["then"] for c in obj["allOf"] if c["if"]["properties"]["type"]["const"] == "guide")
    for e in GUIDE_ELEMENTS:
        if e.key and e.fields[0] not in fields_of(Item):
            if len(e.fields) == 1:
                guide["required"].append(e.fields[0])
            else:
                guide.setdefault("allOf", []).append({"anyOf": [{"required": [f]} for f in e.fields]})
    return obj


def schemas(taxonomy: Taxonomy | None = None) -> dict[str, dict[str, Any]]:
    """All schemas by file name: every YAML file kind of the model (the visits file is CSV, no schema)."""
    out = {
        name: item_schema(taxonomy) if name == "item" else _object(cls, None if name == "taxonomy" else taxonomy)
        for name, cls in FILE_CLASSES.items()
        if name != "visits"
    }
    for name, s in out.items():
        s["$schema"] = SCHEMA_URI
        s["$id"] = f"https://portal.invalid/schemas/{name}.schema.json"
    return out


def _vocab_note(spec: FieldSpec, taxonomy: Taxonomy | None) -> str:
    if spec.vocab == "units":
        return "单位编号或名称"
    if spec.vocab and taxonomy is not None:
        return " / ".join(t.name for t in taxonomy.vocab(spec.vocab))
    return ""


def _kind_zh(spec: FieldSpec) -> str:
    base = {
        "str": "文字",
        "int": "整数",
        "bool": "true/false",
        "date": "日期",
        "datetime": "日期（可含时间）",
        "record": "键值对",
        "dict": "键值对",
    }
    if spec.kind == "list":
        return "列表" if spec.item_kind == "str" else "列表（每项为键值对）"
    return base.get(spec.kind, spec.kind)


def field_reference(taxonomy: Taxonomy | None = None) -> str:
    """The editors' field reference (Markdown, Chinese), generated from the model."""
    from .content import (
        Account,
        Attachment,
        Community,
        Consultation,
        Contact,
        Guide,
        Interpretation,
        Leader,
        Matter,
        Message,
        Policy,
        Redirect,
        Topic,
        Visit,
        WordEntry,
    )

    sections = [
        ("文章（所有类型通用）", "content/units/<单位>/<栏目>/<文件名>.md 的 front matter", Item, ()),
        ("政策文件（policy）另有的字段", "栏目 policies", Policy, tuple(fields_of(Item))),
        ("政策解读（interpretation）另有的字段", "栏目 interpretations", Interpretation, tuple(fields_of(Item))),
        ("办事指南（guide）另有的字段", "栏目 guides；19号要素必填（E302），其余缺少时提示（W325）", Guide,
         tuple(fields_of(Item))),
        ("网民留言（message）另有的字段", "栏目 messages；标题写来信主题，正文写来信内容", Message,
         tuple(fields_of(Item))),
        ("意见征集（consultation）另有的字段", "栏目 consultations；正文写征集说明", Consultation,
         tuple(fields_of(Item))),
        ("附件（attachments 的每一项）", "", Attachment, ()),
        ("单位（unit.yml）", "content/units/<单位>/unit.yml", Unit, ()),
        ("社区（unit.yml 中 communities 的每一项）", "", Community, ()),
        ("领导（leaders 的每一项）", "", Leader, ()),
        ("联系方式（contact）", "", Contact, ()),
        ("事项清单（matters.yml 中 matters 的每一项）", "content/units/<单位>/matters.yml", Matter, ()),
        (
            "办事量数据（service-visits.csv 的每一行）",
            "content/data/service-visits.csv，表头 matter,month,count",
            Visit,
            (),
        ),
        ("门户标识（portal.yml）", "content/portal.yml，由区政务公开办维护", Portal, ()),
        ("旧网址跳转（redirects.yml 中 redirects 的每一项）", "content/redirects.yml（可选），由区政务公开办维护",
         Redirect, ()),
        ("政务新媒体账号（newmedia.yml 中 accounts 的每一项）", "content/units/<单位>/newmedia.yml", Account, ()),
        ("校对词表（wordlist.yml 中 words 的每一项）", "content/wordlist.yml，由区政务公开办维护", WordEntry, ()),
        ("专题（topics 目录中的每个文件）", "content/topics/<编号>.yml，由区政务公开办维护", Topic, ()),
    ]
    out = ["<!-- 由 `portal schema --markdown` 生成，请勿手工修改；测试会检查是否最新。 -->", ""]
    for title, where, cls, skip in sections:
        out += [f"### {title}", ""]
        if where:
            out += [f"位置：{where}", ""]
        out += ["| 字段 | 名称 | 必填 | 类型 | 说明 | 可选值 |", "| --- | --- | --- | --- | --- | --- |"]
        for name, spec in fields_of(cls).items():
            if name in skip:
                continue
            req = "是" if spec.required else ""
            note = _vocab_note(spec, taxonomy).replace("|", "/")
            out.append(f"| `{name}` | {spec.zh} | {req} | {_kind_zh(spec)} | {spec.help} | {note} |")
        out.append("")
    return "\n".join(out)
