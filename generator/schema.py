"""JSON Schema for editors' IDEs and pre-commit, generated from the content model (never hand-written)."""

from __future__ import annotations

from typing import Any

from .model import ITEM_CLASSES, FieldSpec, Item, MatterList, Portal, Taxonomy, Unit, fields_of

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
        {"if": {"properties": {"type": {"const": type_id}}, "required": ["type"]},
         "then": {"required": [n for n, s in fields_of(cls).items() if s.required]}}
        for type_id, cls in ITEM_CLASSES.items()
    ]
    return obj


def schemas(taxonomy: Taxonomy | None = None) -> dict[str, dict[str, Any]]:
    """All schemas by file name (portal, taxonomy, unit, matters, item)."""
    out = {
        "portal": _object(Portal, taxonomy),
        "taxonomy": _object(Taxonomy, None),
        "unit": _object(Unit, taxonomy),
        "matters": _object(MatterList, taxonomy),
        "item": item_schema(taxonomy),
    }
    for name, s in out.items():
        s["$schema"] = SCHEMA_URI
        s["$id"] = f"https://portal.invalid/schemas/{name}.schema.json"
    return out
