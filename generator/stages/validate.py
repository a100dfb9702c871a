"""Stage 2 — validate: check each raw document against the schema in model.py and build typed records.

One walk over the schema does both jobs of a field: each raw scalar first goes through the field's
normalizer processors (normalize.py, the table) and then is type-checked and converted. Doing it in two walks
would mean declaring the same traversal twice. Diagnostics are collected, never raised; a document with an
error yields no record (it is skipped, the others go on) and its path is remembered in `Records.invalid`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from ..model.content import (
    ID_PATTERN,
    AccountList,
    Attachment,
    Community,
    Consultation,
    FieldSpec,
    Guide,
    Item,
    Matter,
    MatterList,
    Message,
    Policy,
    Portal,
    Redirect,
    RedirectList,
    Report,
    Source,
    Taxonomy,
    Topic,
    Unit,
    Visit,
    WordList,
    fields_of,
    item_class,
    missing_elements,
)
from ..model.diagnostics import ERROR, Diagnostic, diag
from ..model.normalize import DATE_FORMS, Change, Context, apply, build_vocab_table, processors_for
from ..util.clock import reference_date
from ..util.safety import scan_markdown, unsafe_text, unsafe_url
from ..util.suggest import did_you_mean
from .bodylinks import extract as extract_links
from .cache import CheckCache, Entry
from .load import Corpus, RawDoc
from .wording import WordChecker, digits, mask, personal_data, suggestion
from .xxgkchecks import check_openness, check_tables

_BAD = object()
_ID_RE = re.compile(ID_PATTERN)


@dataclass
class Records:
    """Typed, normalized records of the whole tree, plus what went wrong."""

    portal: Portal | None = None
    taxonomy: Taxonomy | None = None
    units: list[Unit] = field(default_factory=list)
    matters: list[Matter] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)  # content/redirects.yml
    wordlist: WordList | None = None  # content/wordlist.yml (校对词表)
    accounts: list[AccountList] = field(default_factory=list)  # units/<unit>/newmedia.yml (政务新媒体)
    topics: list[Topic] = field(default_factory=list)  # content/topics/<id>.yml (专题)
    assets: dict = field(default_factory=dict)  # content-relative path -> file (attachments, images)
    changes: list[Change] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    invalid: set[str] = field(default_factory=set)  # paths of documents skipped because of errors
    unit_folders: dict[str, str] = field(default_factory=dict)  # unit id -> unit.yml path (valid or not)
    item_files: int = 0  # item files found, valid or not


class _Doc:
    """Validation of one document: coerces fields, collects diagnostics and normalization changes."""

    def __init__(self, doc: RawDoc, ctx: Context, unit_ids: set[str], vocab_ids: dict[str, dict[str, str]],
                 overrides: dict[str, str] | None = None):
        self.doc, self.ctx, self.unit_ids, self.vocab_ids = doc, ctx, unit_ids, vocab_ids
        # Rule severities portal.yml overrides (`rules:`); a rule lowered to a warning no longer rejects a record.
        self.overrides = overrides or {}
        self.diags: list[Diagnostic] = list(doc.notes)
        self.changes: list[Change] = []
        self.failed = False

    def at(self, keypath: tuple) -> Source:
        for n in range(len(keypath), -1, -1):
            lc = self.doc.pos.get(tuple(keypath[:n]))
            if lc:
                return Source(self.doc.path, lc[0], lc[1])
        return Source(self.doc.path, 1, 1)

    def report(self, keypath: tuple, rule: str, detail: str = "", src: Source | None = None) -> None:
        d = diag(src or self.at(keypath), rule, detail)
        self.diags.append(d)
        if self.blocks(rule, d.severity):
            self.failed = True

    def blocks(self, rule: str, severity: str = ERROR) -> bool:
        """Whether a rule's diagnostic rejects the record (an error, unless portal.yml lowered it)."""
        return self.overrides.get(rule, severity) == ERROR

    # ------------------------------------------------------------------ records

    def record(self, cls: type, data: Any, keypath: tuple = (), exclude: tuple[str, ...] = ()) -> Any:
        """A dataclass instance from a mapping, or _BAD."""
        if not isinstance(data, dict):
            self.report(keypath, "E103", f"{_name(keypath)}应为键值对（字段: 值），实际是{_kind_zh(data)}")
            return _BAD
        specs = fields_of(cls)
        for key in data:
            if key not in specs or key in exclude:
                self.report((*keypath, key), "E101", f"“{key}”" + _suggest(key, specs, exclude))
        kwargs: dict[str, Any] = {}
        ok = True
        for name, spec in specs.items():
            if name in exclude:
                continue
            raw = data.get(name)
            if raw is None or (isinstance(raw, list | dict) and not raw and spec.required):
                if spec.required:
                    where = (*keypath, name) if name in data else keypath
                    self.report(where, spec.rule or "E102", f"{name}（{spec.zh}）")
                    ok = False
                continue
            value = self.value(spec, raw, (*keypath, name))
            if value is _BAD:
                ok = False
            elif value is not None:
                kwargs[name] = value
            elif spec.required:
                self.report((*keypath, name), spec.rule or "E107", f"{name}（{spec.zh}）")
                ok = False
        if not ok:
            return _BAD
        obj = cls(**kwargs)
        obj.src = self.at(keypath)
        obj.pos = self._positions(keypath)
        return obj

    def _positions(self, keypath: tuple) -> dict:
        """The positions under a key path, relative to it (grouped once per document: O(n), not O(n²))."""
        if not keypath:
            return self.doc.pos
        groups = self.__dict__.get("_groups")
        if groups is None:
            groups = {}
            for k, v in self.doc.pos.items():
                for n in range(1, min(len(k), 3) + 1):
                    groups.setdefault(k[:n], {})[k[n:]] = v
            self.__dict__["_groups"] = groups
        if len(keypath) <= 3:
            return groups.get(keypath, {})
        return {k[len(keypath):]: v for k, v in self.doc.pos.items() if k[:len(keypath)] == keypath}

    def value(self, spec: FieldSpec, raw: Any, keypath: tuple) -> Any:
        if spec.kind == "record":
            return self.record(spec.record, raw, keypath)
        if spec.kind == "dict":
            if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
                self.report(keypath, "E103", f"{spec.name}（{spec.zh}）应为 键: 值 的映射")
                return _BAD
            return dict(raw)
        if spec.kind == "list":
            if isinstance(raw, str) and (spec.item_kind == "str" or getattr(spec.record, "SHORTHAND", None)):
                raw = [raw]  # `tags: 政务公开` means a one-element list
            if not isinstance(raw, list):
                self.report(keypath, "E103", f"{spec.name}（{spec.zh}）应为列表，实际是{_kind_zh(raw)}")
                return _BAD
            out = []
            for i, v in enumerate(raw):
                if spec.item_kind == "record":
                    short = getattr(spec.record, "SHORTHAND", None)
                    if short and isinstance(v, str):
                        v = {short: v}  # `- 经营者身份证明` is a material with only its name
                    r = self.record(spec.record, v, (*keypath, i))
                else:
                    r = self.scalar(spec, v, (*keypath, i))
                if r is _BAD:
                    return _BAD
                if r is not None:
                    out.append(r)
            return out
        return self.scalar(spec, raw, keypath)

    def scalar(self, spec: FieldSpec, raw: Any, keypath: tuple) -> Any:
        if raw is None:
            return None
        if not isinstance(raw, str):
            hint = f"；只能写一个值，直接写在冒号后面，如 {spec.name}: …" if isinstance(raw, list) else ""
            self.report(keypath, "E103", f"{spec.name}（{spec.zh}）应为单个值，实际是{_kind_zh(raw)}{hint}")
            return _BAD
        value, notes = apply(_procs(spec), raw, self.ctx)
        if notes:
            src = self.at(keypath)
            self.changes.append(Change(src.path, src.line, src.col, ".".join(map(str, keypath)), raw, value,
                                       "，".join(notes)))
        if value == "":
            return None
        kind = spec.kind
        try:
            if kind == "int":
                if not re.fullmatch(r"-?\d{1,9}", value):
                    raise ValueError("应为整数")
                return int(value)
            if kind == "bool":
                low = value.lower()
                if low not in ("true", "false"):
                    raise ValueError(f"应为 true 或 false，不是“{value}”")
                return low == "true"
            if kind in ("date", "datetime"):
                return _parse_date(value, kind)
        except ValueError as e:
            rule = "E105" if kind in ("date", "datetime") else "E103"
            self.report(keypath, rule, f"{spec.name}（{spec.zh}）{str(e).replace(f'“{value}”', f'“{raw.strip()}”')}")
            return _BAD
        if spec.vocab == "units":
            if value not in self.unit_ids:
                self.report(keypath, "E201", f"“{value}”{did_you_mean(value, self.ctx.units)}")
                return _BAD
        elif spec.vocab:
            ids = self.vocab_ids.get(spec.vocab)
            if ids is not None and value not in ids:
                allowed = "、".join(ids.values())
                vocab_zh = _VOCAB_ZH.get(spec.vocab, spec.zh)
                hint = did_you_mean(value, [*ids.values(), *ids])
                self.report(keypath, "E104", f"{spec.name}（{spec.zh}）“{value}”不在“{vocab_zh}”的可选值中{hint}；"
                            f"可选：{allowed}")
                return _BAD
        problem = unsafe_text(value)
        if problem is None and spec.name in _URL_FIELDS and unsafe_url(value):
            problem = "链接使用了不安全的协议"
        if problem is not None:
            self.report(keypath, "E110", f"{spec.name}（{spec.zh}）{problem}")
            if self.blocks("E110") or spec.name in _URL_FIELDS:
                return _BAD  # lowered to a warning, text is published escaped; an unsafe link never is
        if spec.pattern and not re.fullmatch(spec.pattern, value):
            self.report(keypath, "E106", f"{spec.name}（{spec.zh}）“{value}”")
            return _BAD
        if spec.max_len and len(value) > spec.max_len:
            self.report(keypath, "E108", f"{spec.name}（{spec.zh}）{len(value)} 字，上限 {spec.max_len} 字")
            return _BAD
        return value


#: Fields rendered as links (href): only http(s) passes their pattern; unsafe schemes get E110.
_URL_FIELDS = frozenset({"website", "online_url"})

_PROC_CACHE: dict[int, list] = {}

#: Vocabulary names as editors know them (E104 never shows an internal key such as `statuses`).
_VOCAB_ZH = {name: spec.zh for name, spec in fields_of(Taxonomy).items()}


def _procs(spec: FieldSpec) -> list:
    procs = _PROC_CACHE.get(id(spec))
    if procs is None:
        procs = _PROC_CACHE[id(spec)] = processors_for(spec)
    return procs


def _parse_date(value: str, kind: str) -> dt.date | dt.datetime:
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?: (\d{2}):(\d{2}))?", value)
    if not m:
        raise ValueError(f"“{value}”无法识别；可写：{DATE_FORMS}")
    try:
        day = dt.date.fromisoformat(m.group(1))
        if kind == "date":
            return day
        hh, mm = int(m.group(2) or 0), int(m.group(3) or 0)
        return dt.datetime(day.year, day.month, day.day, hh, mm)
    except ValueError:
        if not 0 <= int(m.group(2) or 0) < 24 or not 0 <= int(m.group(3) or 0) < 60:
            raise ValueError(f"“{value}”时间无效（时 0–23，分 0–59）") from None
        raise ValueError(f"“{value}”不是有效日期（月 1–12，日不超过当月天数）") from None


def _name(keypath: tuple) -> str:
    return f"{'.'.join(map(str, keypath))} " if keypath else "文件内容"


def _kind_zh(v: Any) -> str:
    if isinstance(v, dict):
        return "键值对"
    if isinstance(v, list):
        return "列表"
    if v is None:
        return "空值"
    return f"文字“{str(v)[:20]}”"


def _suggest(key: str, specs: dict[str, FieldSpec], exclude: tuple[str, ...]) -> str:
    names = [n for n in specs if n not in exclude]
    for n in names:
        if specs[n].zh == key:
            return f"，应写作 {n}"
    # a Chinese key that is part of a label: 来源 → 信息来源 (source), 日期 → 发布日期/成文日期/…
    partial = [n for n in names if len(key) >= 2 and key in specs[n].zh] if not key.isascii() else []
    if len(partial) == 1:
        return f"，应写作 {partial[0]}（{specs[partial[0]].zh}）"
    if partial:
        return "；您是否要写：" + "、".join(f"{n}（{specs[n].zh}）" for n in partial) + "？"
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.7)
    if close:
        return f"，是否应为 {close[0]}？"
    return "，可用字段：" + ", ".join(names)


# --------------------------------------------------------------------------- context from raw data


def _raw_terms(data: Any, vocab: str) -> list:
    """Terms of a vocabulary read defensively from raw taxonomy data (before it is validated)."""

    class T:
        def __init__(self, d: dict):
            self.id = str(d.get("id") or "")
            self.name = str(d.get("name") or self.id)
            al = d.get("aliases") or []
            self.aliases = [a for a in al if isinstance(a, str)] if isinstance(al, list) else []

    if not isinstance(data, dict) or not isinstance(data.get(vocab), list):
        return []
    return [T(d) for d in data[vocab] if isinstance(d, dict) and isinstance(d.get("id"), str)]


def _unit_names(docs: list[RawDoc]) -> dict[str, tuple[str, bool]]:
    """Unit ids plus name → id lookups from raw unit.yml data (communities included)."""
    names: dict[str, tuple[str, bool]] = {}

    def add(uid: str, d: dict) -> None:
        names.setdefault(uid, (uid, False))
        for k in ("name", "short_name"):
            if isinstance(d.get(k), str):
                names.setdefault(d[k].strip(), (uid, False))
        if isinstance(d.get("aliases"), list):
            for a in d["aliases"]:
                if isinstance(a, str):
                    names.setdefault(a.strip(), (uid, True))

    for doc in docs:
        if doc.kind != "unit" or not isinstance(doc.data, dict):
            continue
        add(doc.unit, doc.data)
        comms = doc.data.get("communities")
        if isinstance(comms, list):
            for c in comms:
                if isinstance(c, dict) and isinstance(c.get("id"), str):
                    add(c["id"], c)
    return names


# --------------------------------------------------------------------------- the stage


def validate(corpus: Corpus, *, today: dt.date | None = None, cache: CheckCache | None = None) -> Records:
    """Validate and normalize every document of a loaded corpus into typed records.

    With a check cache, items the loader did not read come from their cache entry, and freshly validated
    items are stored in it.
    """
    rec = Records(assets=corpus.assets, item_files=corpus.item_files)
    rec.diagnostics.extend(corpus.diagnostics)
    by_kind: dict[str, list[RawDoc]] = {}
    for doc in corpus.docs:
        by_kind.setdefault(doc.kind, []).append(doc)

    raw_tax = by_kind.get("taxonomy", [RawDoc("taxonomy", "")])[0].data
    ctx = Context()
    vocab_ids: dict[str, dict[str, str]] = {}
    for v in Taxonomy.VOCABS:
        terms = _raw_terms(raw_tax, v)
        ctx.vocab[v] = build_vocab_table(terms)
        vocab_ids[v] = {t.id: t.name for t in terms}
    ctx.units = _unit_names(corpus.docs)
    rec.unit_folders = dict(corpus.unit_dirs)
    unit_ids = {uid for uid, _ in ctx.units.values()}

    overrides: dict[str, str] = {}  # portal.yml `rules:`, once portal.yml is validated

    def run(doc: RawDoc, cls: type, **kw: Any) -> tuple[_Doc, Any]:
        v = _Doc(doc, ctx, unit_ids, vocab_ids, overrides)
        obj = v.record(cls, doc.data, **kw)
        return v, obj

    def finish(v: _Doc, obj: Any) -> bool:
        rec.diagnostics.extend(v.diags)
        rec.changes.extend(v.changes)
        if v.failed or obj is _BAD:
            rec.invalid.add(v.doc.path)
            return False
        return True

    for doc in by_kind.get("taxonomy", []):
        v, obj = run(doc, Taxonomy)
        if finish(v, obj):
            rec.taxonomy = obj
    for doc in by_kind.get("portal", []):
        v, obj = run(doc, Portal)
        if finish(v, obj):
            rec.portal = obj
            overrides = dict(obj.rules)
    for doc in by_kind.get("visits", []):
        v = _Doc(doc, ctx, unit_ids, vocab_ids, overrides)  # one per file: rows share its position groups
        for i, row in enumerate(doc.data):
            v.failed = False  # a bad row rejects itself, not the rows after it
            if "__bad__" in row:
                v.report((i,), "E015", row["__bad__"])
                continue
            obj = v.record(Visit, row, (i,))
            if obj is not _BAD and not v.failed:
                rec.visits.append(obj)
        rec.diagnostics.extend(v.diags)
        rec.changes.extend(v.changes)
    for doc in by_kind.get("redirects", []):
        v, obj = run(doc, RedirectList)
        if finish(v, obj):
            rec.redirects = obj.redirects
    checker = WordChecker(())
    for doc in by_kind.get("wordlist", []):
        v, obj = run(doc, WordList)
        if finish(v, obj):
            rec.wordlist = obj
            rec.diagnostics.extend(_wordlist_problems(obj))
            checker = WordChecker(obj.words)
    for doc in by_kind.get("newmedia", []):
        v, obj = run(doc, AccountList)
        if finish(v, obj):
            obj.unit = doc.unit
            rec.accounts.append(obj)
    for doc in by_kind.get("topic", []):
        v, obj = run(doc, Topic)
        if finish(v, obj):
            obj.id = doc.slug
            rec.topics.append(obj)
    public_numbers = _public_numbers(corpus.docs)
    for doc in by_kind.get("unit", []):
        v, obj = run(doc, Unit)
        if not _ID_RE.match(doc.unit):
            v.report((), "E106", f"单位编号（目录名）“{doc.unit}”只能使用小写字母、数字和连字符")
        if finish(v, obj):
            rec.units.extend(_unit_records(obj, doc))
    for doc in by_kind.get("matters", []):
        if doc.cached is not None:
            rec.diagnostics.extend(doc.cached.diagnostics)
            rec.changes.extend(doc.cached.changes)
            rec.matters.extend(doc.cached.records)
            if not doc.cached.records and any(d.severity == ERROR for d in doc.cached.diagnostics):
                rec.invalid.add(doc.path)
            continue
        v, obj = run(doc, MatterList)
        ok = finish(v, obj)
        matters = []
        if ok:
            assert isinstance(obj, MatterList)
            for m in obj.matters:
                m.unit = doc.unit
                m.key = f"{doc.unit}/{m.id}"
                matters.append(m)
            rec.matters.extend(matters)
        if cache is not None and doc.sig:
            cache.put(doc.rel, Entry(doc.sig, [_slim(m) if cache.slim else m for m in matters], v.diags, v.changes))

    tax = rec.taxonomy
    units_by_id = {u.id: u for u in rec.units}
    tolerance = rec.portal.future_tolerance_days if rec.portal else 1
    today = today or reference_date()
    for doc in by_kind.get("item", []):
        if doc.cached is not None:
            e = doc.cached
            rec.diagnostics.extend(e.diagnostics)
            rec.changes.extend(e.changes)
            if e.records:
                rec.items.extend(e.records)
            else:
                rec.invalid.add(doc.path)
            continue
        v = _Doc(doc, ctx, unit_ids, vocab_ids, overrides)
        obj = _item(v, doc, tax, ctx, today, tolerance)
        if obj is not None and tax is not None and rec.portal is not None:
            col, unit = tax.column(doc.column), units_by_id.get(doc.unit)
            if col is not None and unit is not None and not col.open_to(unit, rec.portal.owner_unit):
                v.report((), "E214", f"“{col.name}”只由门户主管单位发布，"
                         f"{unit.display_name}的文章请放在 news（工作动态）等本单位栏目")
        if obj is not None:
            _wording(v, doc, obj, checker, public_numbers)
        ok = finish(v, obj if obj is not None else _BAD)
        if ok:
            rec.items.append(obj)
        if cache is not None and doc.sig:
            cache.put(doc.rel, Entry(doc.sig, [_slim(obj) if cache.slim else obj] if ok else [], v.diags, v.changes))
    return rec


#: Fields whose positions the index reports against; the only positions a cached item keeps.
_INDEX_FIELDS = frozenset({"interprets", "matters", "replaced_by", "normative", "attachments", "guide", "materials",
                           "parent"})


#: Free-text fields no cross-reference reads; a cached record leaves them out (`portal check` only).
_TEXT_FIELDS = frozenset({"body", "summary", "source", "author", "tags", "content", "basis", "conditions",
                          "process", "time_limit", "fees", "location", "online_url", "index_no", "steps", "faq",
                          "hours", "fee_basis", "appointment", "reply", "feedback"})


def _slim(rec: Any) -> Any:
    """A copy for the check cache: no free text, and positions only where the index may report."""
    blank = {f.name: ([] if isinstance(getattr(rec, f.name), list) else "")
             for f in dataclasses.fields(rec) if f.name in _TEXT_FIELDS and f.init}
    out = dataclasses.replace(rec, **blank)
    out.src = rec.src
    out.pos = {k: v for k, v in rec.pos.items() if not k or k[0] in _INDEX_FIELDS}
    return out


def _unit_records(unit: Unit, doc: RawDoc) -> list[Unit]:
    """The unit itself plus one Unit record per community it declares."""
    unit.id = doc.unit
    unit.path = doc.rel.rsplit("/", 1)[0]
    if unit.level is None:
        unit.level = {"department": "district", "street": "street", "community": "community"}.get(unit.kind)
    out = [unit]
    for c in unit.communities:
        out.append(_community_unit(c, unit))
    return out


def _community_unit(c: Community, street: Unit) -> Unit:
    u = Unit(name=c.name, short_name=c.short_name, kind="community", level="community", parent=street.id,
             aliases=c.aliases, contact=c.contact, leaders=c.leaders, editors=c.editors or street.editors)
    u.id = c.id
    u.path = f"{street.path}/communities/{c.id}"
    u.src, u.pos = c.src, c.pos
    return u


def _item(v: _Doc, doc: RawDoc, tax: Taxonomy | None, ctx: Context, today: dt.date, tolerance: int) -> Any:
    data = doc.data
    if not isinstance(data, dict):
        v.report((), "E103", f"front matter 应为键值对，实际是{_kind_zh(data)}")
        return None
    _placeholders(v, doc)  # before the schema: an unfilled scaffold has errors too, and this says why
    column = tax.column(doc.column) if tax else None
    if tax is not None and column is None:
        names = [n for c in tax.columns for n in (c.id, c.name)]
        v.report((), "E104", f"栏目目录“{doc.column}”不是统一栏目{did_you_mean(doc.column, names)}；"
                 f"可用目录名：{'、'.join(f'{c.id}（{c.name}）' for c in tax.columns)}")
        return None
    type_id = data.get("type")
    if isinstance(type_id, str):
        type_id, _ = apply(_procs(fields_of(Item)["type"]), type_id, ctx)  # as the field itself is normalized
    else:
        type_id = column.type if column else None
    cls = item_class(type_id)
    obj = v.record(cls, data)
    if obj is _BAD:
        return None
    assert isinstance(obj, Item)
    obj.type = obj.type or (column.type if column else None)
    obj.disclosure = obj.disclosure or (column.disclosure if column else None)
    obj.unit, obj.column, obj.slug = doc.unit, doc.column, doc.slug
    obj.id = f"{doc.unit}/{doc.column}/{doc.slug}"
    obj.body, obj.body_line, obj.rel = doc.body, doc.body_line, doc.rel
    obj.links = extract_links(doc.body, doc.body_line)  # kept by the check cache: index checks them (E216)
    _long_tables(v, doc)
    for line, what in scan_markdown(doc.body):  # lowered to a warning, the body is published sanitized
        v.report((), "E110", f"正文含有：{what}", src=Source(doc.path, doc.body_line + line, 1))
    if column is not None and item_class(column.type) is not cls:
        v.report(("type",), "E212", f"{_type_label(tax, obj.type)}不能放在“{column.name}”栏目")
    if obj.date.date() > today + dt.timedelta(days=tolerance):
        v.report(("date",), "E303", obj.date.strftime("%Y-%m-%d"))
    for keypath, rule, message in check_openness(obj):
        v.report(keypath, rule, message)
    if isinstance(obj, Report) and obj.tables is not None:
        for keypath, rule, message in check_tables(obj.tables):
            v.report(keypath, rule, message)
    if isinstance(obj, Policy):
        if obj.normative and not obj.doc_number:
            v.report(("normative",), "E305")
        if obj.status == "amended" and not obj.replaced_by:
            v.report(("status",), "W306")
    if isinstance(obj, Guide):
        check_guide(v, obj)
    return obj


def _wordlist_problems(wl: WordList) -> list[Diagnostic]:
    """E422: entries that cannot work (duplicates, a correction equal to the wrong form, a one-character form)."""
    out, seen = [], {}
    for i, e in enumerate(wl.words):
        where = e.src if e.src.path else wl.where("words", i)
        if e.wrong in seen:
            out.append(diag(where, "E422", f"“{e.wrong}”已在第 {seen[e.wrong]} 行出现"))
        seen.setdefault(e.wrong, where.line)
        if e.right == e.wrong:
            out.append(diag(where, "E422", f"“{e.wrong}”的正确写法与错误写法相同"))
        if len(e.wrong) < 2:
            out.append(diag(where, "E422", f"“{e.wrong}”只有一个字，会误报大量正常文字"))
    return out


def _public_numbers(docs: list[RawDoc]) -> set[str]:
    """Phone and fax numbers published anyway (contact blocks of portal.yml and unit.yml): not personal data."""
    out: set[str] = set()

    def contact(d: Any) -> None:
        if isinstance(d, dict):
            for k in ("phone", "fax"):
                if isinstance(d.get(k), str):
                    out.update(digits(p) for p in re.split(r"[，,、/；;]", d[k]) if digits(p))

    for doc in docs:
        if doc.kind in ("portal", "unit") and isinstance(doc.data, dict):
            contact(doc.data.get("contact"))
            for c in doc.data.get("communities") or [] if doc.kind == "unit" else []:
                if isinstance(c, dict):
                    contact(c.get("contact"))
    return out


def _wording(v: _Doc, doc: RawDoc, it: Item, checker: WordChecker, public_numbers: set[str]) -> None:
    """Personal data in 互动交流 text (E401/E402, the record is not published), the accuracy check on every
    item (E420/W421: reported, the record is still published) and the 互动交流 cross-field rules."""
    texts: list[tuple[str, str]] = [("title", it.title), ("summary", it.summary or "")]
    if isinstance(it, Message):
        texts.append(("reply", it.reply or ""))
    if isinstance(it, Consultation):
        texts.append(("feedback", it.feedback or ""))
    if isinstance(it, Message | Consultation):
        for name, text in texts:
            for off, rule, found in personal_data(text, public_numbers):
                v.report((name,), rule, f"{name}：“{mask(found)}”", src=_field_at(v, doc, name, text, off))
        for line, text in enumerate(it.body.split("\n")):
            for off, rule, found in personal_data(text, public_numbers):
                v.report((), rule, f"正文：“{mask(found)}”", src=Source(doc.path, it.body_line + line, off + 1))
        _interaction_rules(v, it)
    if checker:
        for name, text in texts:
            for hit in checker.find(text):
                v.diags.append(_accuracy(_field_at(v, doc, name, text, hit.offset), hit.entry))
        for line, col, hit in checker.lines(it.body):
            v.diags.append(_accuracy(Source(doc.path, it.body_line + line, col + 1), hit.entry))


def _accuracy(src: Source, entry: Any) -> Diagnostic:
    return diag(src, "E420" if entry.severity == ERROR else "W421", suggestion(entry))


def _field_at(v: _Doc, doc: RawDoc, name: str, text: str, offset: int) -> Source:
    """Where a character of a field's value is: the key's line, after `name: ` (a block value: the lines below)."""
    key = v.at((name,))
    if key.path != doc.path or (name,) not in doc.pos:
        return key
    before = text[:offset]
    if "\n" not in text:
        return Source(doc.path, key.line, key.col + len(name) + 2 + offset)
    return Source(doc.path, key.line + 1 + before.count("\n"), len(before) - before.rfind("\n"))


def _interaction_rules(v: _Doc, it: Item) -> None:
    """Dates in order (E403), a closed message has its reply (E404), the draft becomes an attachment."""
    if isinstance(it, Message):
        if it.replied and it.replied < it.received:
            v.report(("replied",), "E403", f"答复日期 {it.replied} 早于来信日期 {it.received}")
        if it.status == "已办结" and not (it.reply and it.replied):
            missing = "、".join(n for n, val in (("reply（答复内容）", it.reply), ("replied（答复日期）", it.replied))
                               if not val)
            v.report(("status",), "E404", missing)
    if isinstance(it, Consultation):
        if it.end < it.start:
            v.report(("end",), "E403", f"截止日期 {it.end} 早于开始日期 {it.start}")
        if it.feedback_date and it.feedback_date < it.end:
            v.report(("feedback_date",), "E403", f"反馈日期 {it.feedback_date} 早于截止日期 {it.end}")
        if it.draft:
            a = Attachment(file=it.draft, title="征求意见稿")
            a.src, a.pos = it.where("draft"), {}
            it.attachments.append(a)
#: A body table longer than this many rows is better published as an attachment (W217).
LONG_TABLE_ROWS = 100
_ROW_TAG = re.compile(r"<tr\b", re.I)


def _long_tables(v: _Doc, doc: RawDoc) -> None:
    """W217 at the first line of every Markdown or HTML table longer than LONG_TABLE_ROWS rows."""
    lines = doc.body.split("\n")
    n = 0
    while n < len(lines):
        if lines[n].lstrip().startswith("|"):
            start, cols = n, lines[n].strip().strip("|").count("|") + 1
            while n < len(lines) and lines[n].lstrip().startswith("|"):
                n += 1
            rows = n - start - 2  # header and separator lines
            if rows > LONG_TABLE_ROWS:
                v.report((), "W217", f"正文表格有 {rows} 行 × {cols} 列",
                         src=Source(doc.path, doc.body_line + start, 1))
            continue
        if "<table" in lines[n].lower():
            start, rows = n, 0
            while n < len(lines) and "</table" not in lines[n].lower():
                rows += len(_ROW_TAG.findall(lines[n]))
                n += 1
            if n < len(lines):
                rows += len(_ROW_TAG.findall(lines[n]))
            if rows > LONG_TABLE_ROWS + 1:
                v.report((), "W217", f"正文表格有 {rows} 行", src=Source(doc.path, doc.body_line + start, 1))
        n += 1


def _placeholders(v: _Doc, doc: RawDoc) -> None:
    """W215 at every scaffold placeholder the editor left in place (front matter and body)."""
    from ..model.content import PLACEHOLDER

    def walk(value: Any, keypath: tuple) -> None:
        if isinstance(value, str) and PLACEHOLDER in value:
            v.report(keypath, "W215", f"{'.'.join(map(str, keypath))} 仍是“{PLACEHOLDER}”")
        elif isinstance(value, dict):
            for k, x in value.items():
                walk(x, (*keypath, k))
        elif isinstance(value, list):
            for i, x in enumerate(value):
                walk(x, (*keypath, i))

    walk(doc.data, ())
    for n, line in enumerate(doc.body.split("\n")):
        if PLACEHOLDER in line or "正文从这里开始" in line:
            v.report((), "W215", "正文仍是占位文字“正文从这里开始”", src=Source(doc.path, doc.body_line + n, 1))
            break
def check_guide(v: _Doc, g: Guide) -> None:
    """The 办事指南 rules: elements (GUIDE_ELEMENTS), time limits, 容缺受理, visits, ranges."""
    key, other = missing_elements(g, named=True)
    if key:
        v.report((), "E302", "、".join(key))
    if other:
        v.report((), "W325", "请补充 " + "、".join(other))
    if g.legal_days is not None and g.promised_days is not None and g.promised_days > g.legal_days:
        v.report(("promised_days",), "E321", f"承诺 {g.promised_days} 个工作日，法定 {g.legal_days} 个工作日")
    if g.tolerance and not g.tolerance_materials:
        v.report(("tolerance",), "E322")
    names = {m.name for m in g.materials}
    for i, t in enumerate(g.tolerance_materials):
        if t not in names:
            v.report(("tolerance_materials", i), "E323", f"“{t}”")
    if g.visits == 0 and not g.online_url:
        v.report(("visits",), "E326")
    for name in ("legal_days", "promised_days", "visits"):
        n = getattr(g, name)
        if n is not None and n < 0:
            v.report((name,), "E328", f"{name}（{fields_of(Guide)[name].zh}）为 {n}")
    if g.online_depth is not None and not 1 <= g.online_depth <= 4:
        v.report(("online_depth",), "E328", f"online_depth（网上办理深度）为 {g.online_depth}，应为 1–4")
    for i, m in enumerate(g.materials):
        if m.copies < 1:
            v.report(("materials", i, "copies"), "E328", f"“{m.name}”的份数为 {m.copies}")


def _type_label(tax: Taxonomy | None, type_id: str | None) -> str:
    return tax.label("types", type_id) if tax else (type_id or "")
