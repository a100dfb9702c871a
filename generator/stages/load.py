"""Stage 1 — load: read content/ into raw documents that remember the position of every field.

The YAML reader is strict on purpose: every plain scalar stays the string the editor typed (`NO`, `on`,
`1.10`, `010`, `2019-07-10`, `1:20`), duplicate keys are errors, aliases and nesting are bounded, and a file
that is not UTF-8 is a diagnostic naming the file, never an exception. Types come later, from the schema.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..model.content import Source
from ..model.diagnostics import Diagnostic, diag
from .cache import signature

#: Line breaks as YAML counts them (a lone \r is a line break too), so marks and lines agree.
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _yaml_line(text: str, n: int) -> str:
    """Line n (0-based, as a YAML mark counts) of a document, or '' past its end."""
    lines = _YAML_BREAK.split(text)
    return lines[n] if 0 <= n < len(lines) else ""

MAX_YAML_BYTES = 5 * 1024 * 1024  # a big department's matters.yml is ~1 MB
MAX_ITEM_BYTES = 2 * 1024 * 1024  # the longest real policy documents are a few hundred KB
MAX_DEPTH = 32
MAX_ALIASES = 64
MAX_NODES = 200_000

_CORE_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp",
                                                   "seq", "map", "merge")}
_NULLS = {"", "~", "null", "Null", "NULL"}
_FENCE = re.compile(r"^---[ \t]*\r?$")
_END_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*\r?$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")

try:  # libyaml's composer is ~10x faster; the pure-Python one behaves the same
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - wheels ship libyaml
    _Base = yaml.SafeLoader

_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """No implicit typing at all: every untagged scalar is a string (the schema types it later).

    Besides keeping `NO`, `1.10` and `2019-07-10` as typed, skipping YAML's implicit resolvers makes composing
    about twice as fast (libyaml calls back into Python's resolver for every scalar).
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


@dataclass
class RawDoc:
    """One content file as read: plain data (dict/list/str/None), positions, and its place in the tree."""

    kind: str  # portal | taxonomy | unit | matters | item | redirects
    path: str  # display path, e.g. content/units/fgj/news/2019-07-10-x.md
    data: Any = None
    pos: dict = field(default_factory=dict)  # key path tuple -> (line, col), 1-based
    body: str = ""
    body_line: int = 0
    unit: str = ""  # unit id the file belongs to (community id for community files)
    street: str = ""  # for community files: the street folder
    column: str = ""
    slug: str = ""
    rel: str = ""  # path relative to content/, posix
    sig: tuple = ()  # stat signature, when a check cache is in use
    cached: Any = None  # a still-valid cache entry: the file was not read
    notes: list = field(default_factory=list)  # warnings about the file itself (a BOM), reported by validation

    @property
    def src(self) -> Source:
        """The document's own position (first line of its data)."""
        lc = self.pos.get((), (1, 1))
        return Source(self.path, lc[0], lc[1])


@dataclass
class Corpus:
    """Everything load found: documents, non-content files (attachments, images), diagnostics."""

    root: Path
    docs: list[RawDoc] = field(default_factory=list)
    assets: dict[str, Path] = field(default_factory=dict)  # content-relative posix path -> file
    unit_dirs: dict[str, str] = field(default_factory=dict)  # unit folder -> its unit.yml (parsed or not)
    item_files: int = 0  # Markdown items found, readable or not
    diagnostics: list[Diagnostic] = field(default_factory=list)


class _YamlError(Exception):
    def __init__(self, rule: str, line: int, col: int, detail: str = ""):
        super().__init__(detail)
        self.rule, self.line, self.col, self.detail = rule, line, col, detail


# --------------------------------------------------------------------------- strict YAML


class _Builder:
    """Turns a composed node graph into plain data, recording positions; enforces the limits."""

    def __init__(self, line_offset: int):
        self.line_offset = line_offset
        self.pos: dict[tuple, tuple[int, int]] = {}
        self.seen: set[int] = set()
        self.aliases = 0
        self.nodes = 0

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        m = node.start_mark
        return (m.line + 1 + self.line_offset, m.column + 1)

    def build(self, node: yaml.Node, path: tuple = (), depth: int = 0) -> Any:
        self.nodes += 1
        if id(node) in self.seen:  # composed aliases share the anchored node
            self.aliases += 1
        else:
            self.seen.add(id(node))
        if self.aliases > MAX_ALIASES or self.nodes > MAX_NODES:
            raise _YamlError("E004", *self.mark(node), f"超过 {MAX_ALIASES} 个别名或 {MAX_NODES} 个节点")
        if depth > MAX_DEPTH:
            raise _YamlError("E006", *self.mark(node), f"超过 {MAX_DEPTH} 层")
        if node.tag not in _CORE_TAGS:
            raise _YamlError("E010", *self.mark(node), node.tag)
        if isinstance(node, yaml.ScalarNode):
            if not node.style and node.value in _NULLS:  # plain style: None (Python) or "" (libyaml)
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            out = []
            for i, child in enumerate(node.value):
                self.pos[(*path, i)] = self.mark(child)
                out.append(self.build(child, (*path, i), depth + 1))
            return out
        result: dict[str, Any] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                raise _YamlError("E103", *self.mark(knode), "字段名必须是文字")
            key = knode.value
            if key in result:
                first = self.pos[(*path, key)][0]
                raise _YamlError("E003", *self.mark(knode), f"“{key}”已在第 {first} 行出现")
            self.pos[(*path, key)] = self.mark(knode)
            result[key] = self.build(vnode, (*path, key), depth + 1)
        return result


_KEY_LINE = re.compile(r"^\s*(?:-\s+)?(?:\"[^\"]*\"|'[^']*'|[^\s:#'\"-][^:#]*?)\s*:(?:\s|$)")
_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):(?=[^\s:/])")
_BLOCK_START = re.compile(r":\s*[|>][-+0-9]*\s*(?:#.*)?$")


def _suspect_lines(text: str, last: int) -> list[tuple[int, str]]:
    """(0-based index, line) of the lines up to `last` that hold YAML structure (block-scalar text skipped)."""
    out, block_indent = [], None
    for i, line in enumerate(_YAML_BREAK.split(text)[: last + 1]):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped.strip() or indent > block_indent:
                continue
            block_indent = None
        if not stripped.strip() or stripped.startswith("#"):
            continue
        out.append((i, line))
        if _BLOCK_START.search(line):
            block_indent = indent
    return out


def explain_yaml_error(text: str, e: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """Where an editor's YAML mistake is (0-based line, 1-based col) and what to do, in Chinese.

    PyYAML reports where parsing gave up, often a line after the mistake (a full-width colon on line 2
    is noticed on line 3), so the lines up to that point are searched for the usual causes first.
    """
    m = e.problem_mark or e.context_mark
    at = m.line if m else 0
    col = (m.column + 1) if m else 1
    problem, context = (e.problem or "").strip(), (e.context or "").strip()
    lines = _suspect_lines(text, at)
    for i, line in lines:  # a tab in the indentation
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in lead:
            return i, lead.index("\t") + 1, "这一行用 Tab 键缩进；YAML 只能用空格缩进，请把 Tab 换成空格（每层两格）"
    if context == "while scanning a quoted scalar" and e.context_mark is not None:
        cm = e.context_mark
        quote = _yaml_line(text, cm.line)[cm.column: cm.column + 1] or "\""
        return (cm.line, cm.column + 1,
                f"引号没有闭合：这一行的 {quote} 之后没有对应的结束引号 {quote}，请在值的末尾补上")
    for i, line in lines:
        if _KEY_LINE.match(line):
            continue
        if "：" in line.split("#", 1)[0]:
            return (i, line.index("：") + 1,
                    "字段名后用了全角冒号“：”；请改为半角冒号加空格，如 title: 标题")
        hit = _NO_SPACE.match(line)
        if hit:
            return (i, hit.end(1) + 2,
                    f"冒号后缺少空格：请写成 {hit.group(1)}: {line[hit.end(1) + 1:].strip()}")
    line = _yaml_line(text, at)
    if ("found '-'" in problem or "sequence entries are not allowed" in problem
            or (line.lstrip().startswith("- ") and "expected key" in problem)):
        return (at, col, "这里出现了列表项（以“- ”开头），但上面的字段已经写了值。要写列表，请把字段名单独写一行"
                "（如 tags:），下面每项一行，以“  - ”开头；只有一个值时直接写在冒号后面")
    if "mapping values are not allowed" in problem:
        if any(q in line for q in "“”‘’"):
            return (at, col, "值中含有“: ”（冒号加空格）；全角引号“”不起引号作用，"
                    "请用半角引号把整个值括起来，如 title: \"关于……: ……\"")
        return (at, col, "这一行出现了第二个“: ”（冒号加空格）；值中含冒号时，请用半角引号把整个值括起来")
    if "could not find expected ':'" in problem:
        return at, col, "缺少“: ”：每个字段写成 字段名: 值（半角冒号后加一个空格）"
    if "found unexpected end of stream" in problem:
        return at, col, "文件意外结束：检查引号、方括号、花括号是否成对"
    if "did not find expected" in problem or "expected <block end>" in problem:
        return at, col, "缩进不一致：同一层的字段要左对齐，列表项“- ”要比字段名多缩进两个空格或对齐"
    if "found undefined alias" in problem:
        return at, col, "值以 * 开头会被当作别名；请用引号把整个值括起来"
    if "cannot start any token" in problem:
        ch = problem.split("'")[1] if "'" in problem else ""
        return at, col, f"值不能以 {ch} 开头；请用半角引号把整个值括起来"
    return at, col, f"无法解析，请检查这一行的冒号、缩进和引号（{problem or e}）"


def parse_yaml(text: str, line_offset: int = 0) -> tuple[Any, dict]:
    """Parse one YAML document strictly; returns (data, positions) or raises _YamlError."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        problem = (e.problem or str(e)).strip()
        if "nesting depth" in problem:
            m = e.problem_mark or e.context_mark
            raise _YamlError("E006", (m.line + 1 + line_offset) if m else 1 + line_offset,
                             (m.column + 1) if m else 1, problem) from None
        line, col, detail = explain_yaml_error(text, e)
        raise _YamlError("E002", line + 1 + line_offset, col, detail) from None
    except yaml.YAMLError as e:
        raise _YamlError("E002", 1 + line_offset, 1, str(e).strip()) from None
    except RecursionError:  # pure-Python composer on pathological input
        raise _YamlError("E006", 1 + line_offset, 1, "") from None
    if node is None:
        return None, {(): (1 + line_offset, 1)}
    b = _Builder(line_offset)
    b.pos[()] = b.mark(node)
    data = b.build(node)
    return data, b.pos


# --------------------------------------------------------------------------- files


def _decode(raw: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    """UTF-8 text (BOM stripped) or a diagnostic explaining the encoding problem."""
    src = Source(path, 1, 1)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, diag(src, "E001", "文件是 UTF-16 编码")
    if b"\x00" in raw:
        nul = raw.index(b"\x00")
        line = raw.count(b"\n", 0, nul) + 1
        return None, diag(Source(path, line, 1), "E008")
    try:
        return raw.decode("utf-8"), None  # a BOM decodes to U+FEFF: the caller strips it and notes it (W016)
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        hint = ""
        for enc, name in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
            try:
                raw.decode(enc)
                hint = f"看起来是 {name} 编码，请另存为 UTF-8"
                break
            except UnicodeDecodeError:
                continue
        return None, diag(Source(path, line, 1), "E001", hint or f"第 {e.start} 字节无法解码")


def read_text(fs_path: Path, path: str, limit: int) -> tuple[str | None, Diagnostic | None]:
    """Read a content file as UTF-8 text, enforcing the size limit."""
    try:
        size = fs_path.stat().st_size
        if size > limit:
            return None, diag(Source(path, 1, 1), "E005", f"{size // 1024} KB，上限 {limit // 1024} KB")
        raw = fs_path.read_bytes()
    except OSError as e:
        return None, diag(Source(path, 1, 1), "E012", e.strerror or str(e))
    if not raw.strip():
        return None, diag(Source(path, 1, 1), "E009")
    return _decode(raw, path)


def _bom(text: str, path: str) -> tuple[str, list[Diagnostic]]:
    """Strip a UTF-8 byte-order mark, noting it (harmless here, but other tools choke on it)."""
    if text.startswith("\ufeff"):
        return text[1:], [diag(Source(path, 1, 1), "W016")]
    return text, []


def load_yaml_file(fs_path: Path, path: str, kind: str, **where: str) -> tuple[RawDoc | None, Diagnostic | None]:
    """Read one YAML data file (portal.yml, taxonomy.yml, unit.yml, matters.yml)."""
    text, d = read_text(fs_path, path, MAX_YAML_BYTES)
    if d:
        return None, d
    text, notes = _bom(text, path)
    try:
        data, pos = parse_yaml(text)
    except _YamlError as e:
        return None, diag(Source(path, e.line, e.col), e.rule, e.detail)
    return RawDoc(kind=kind, path=path, data=data, pos=pos, notes=notes, **where), None


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split `---` front matter from the body: (yaml, body, body's first line) or None."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return None
    for i in range(1, len(lines)):
        if _END_FENCE.match(lines[i]):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    return None


VISITS_HEADER = ["matter", "month", "count"]


def load_csv_file(fs_path: Path, path: str, kind: str, header: list[str]) -> tuple[RawDoc | None, Diagnostic | None]:
    """Read a CSV data file into rows of strings; positions are (row index, column name) -> (line, col)."""
    text, d = read_text(fs_path, path, MAX_YAML_BYTES)
    if d:
        return None, d
    text, notes = _bom(text, path)
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as e:
        return None, diag(Source(path, reader.line_num, 1), "E015", str(e))
    if not rows or [h.strip() for h in rows[0]] != header:
        return None, diag(Source(path, 1, 1), "E015", "表头应为 " + ",".join(header))
    data, pos = [], {(): (1, 1)}
    for i, row in enumerate(rows[1:]):
        line = i + 2
        if not any(cell.strip() for cell in row):
            continue
        n = len(data)
        data.append(dict(zip(header, (c.strip() for c in row), strict=False)) if len(row) == len(header)
                    else {"__bad__": f"第 {line} 行有 {len(row)} 列，应为 {len(header)} 列"})
        pos[(n,)] = (line, 1)
        col = 1
        for h, cell in zip(header, row, strict=False):
            pos[(n, h)] = (line, col)
            col += len(cell) + 1
    return RawDoc(kind=kind, path=path, data=data, pos=pos, notes=notes), None


def load_item_file(fs_path: Path, path: str, **where: str) -> tuple[RawDoc | None, Diagnostic | None]:
    """Read one Markdown item: front matter (strict YAML, positions shifted by the fence) and body."""
    text, d = read_text(fs_path, path, MAX_ITEM_BYTES)
    if d:
        return None, d
    text, notes = _bom(text, path)
    parts = split_front_matter(text)
    if parts is None:
        return None, diag(Source(path, 1, 1), "E007")
    fm, body, body_line = parts
    try:
        data, pos = parse_yaml(fm, line_offset=1)
    except _YamlError as e:
        return None, diag(Source(path, e.line, e.col), e.rule, e.detail)
    if data is None:
        return None, diag(Source(path, 1, 1), "E007", "front matter 为空")
    return RawDoc(kind="item", path=path, data=data, pos=pos, body=body, body_line=body_line, notes=notes,
                  **where), None


# --------------------------------------------------------------------------- the tree


def _entries(d: Path | str) -> list[os.DirEntry]:
    with os.scandir(d) as it:
        return sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)


class _Walker:
    def __init__(self, root: Path, display_base: Path, cache: Any = None):
        self.root = root.resolve()
        self.base = display_base
        self.cache = cache
        self.corpus = Corpus(root=root)
        # string prefixes: the walk touches every file, and pathlib costs ~10 µs per path
        self._root_prefix = str(root).rstrip(os.sep) + os.sep
        self._base_prefix = str(display_base).rstrip(os.sep) + os.sep

    def disp(self, p: Path | str) -> str:
        """Display path: relative to the display base when inside it."""
        s = str(p)
        if s.startswith(self._base_prefix):
            s = s[len(self._base_prefix):]
        return s.replace(os.sep, "/")

    def rel(self, p: Path | str) -> str:
        """Path relative to content/, posix."""
        s = str(p)
        return s[len(self._root_prefix):].replace(os.sep, "/") if s.startswith(self._root_prefix) else s

    def add(self, result: tuple[RawDoc | None, Diagnostic | None]) -> None:
        doc, d = result
        if doc is not None:
            self.corpus.docs.append(doc)
        if d is not None:
            self.corpus.diagnostics.append(d)

    def problem(self, p: Path | str, rule: str, detail: str = "") -> None:
        self.corpus.diagnostics.append(diag(Source(self.disp(p), 1, 1), rule, detail))

    def safe(self, e: os.DirEntry) -> bool:
        """Symlinks are allowed only when they resolve inside content/."""
        if not e.is_symlink():
            return True
        target = self.outside(e.path)
        if target is None:
            return True
        self.problem(e.path, "E011", f"指向 {target}")
        return False

    def walk(self) -> Corpus:
        root = self.corpus.root
        for name, kind in (("portal.yml", "portal"), ("taxonomy.yml", "taxonomy"), ("redirects.yml", "redirects"),
                           ("wordlist.yml", "wordlist")):
            p = root / name
            if p.exists() or kind not in ("redirects", "wordlist"):
                self.add(load_yaml_file(p, self.disp(p), kind))
        topics = root / "topics"
        if topics.is_dir():
            self.topics_dir(topics)
        identity = root / "identity"  # the footer's 网站标识 images (portal.yml conac_image, jiucuo_image)
        if identity.is_dir():
            for e in _entries(identity):
                if e.is_file() and self.safe(e):
                    self.corpus.assets[self.rel(e.path)] = Path(e.path)
        visits = root / "data" / "service-visits.csv"
        if visits.exists():
            self.add(load_csv_file(visits, self.disp(visits), "visits", VISITS_HEADER))
        units = root / "units"
        if units.is_dir():
            for e in _entries(units):
                if not self.safe(e):
                    continue
                if e.is_dir():
                    self.unit_dir(Path(e.path), unit=e.name)
                else:
                    self.problem(e.path, "E013", "units 目录中只能有单位目录")
        return self.corpus

    def unit_dir(self, d: Path, unit: str, street: str = "") -> None:
        where = {"unit": unit, "street": street}
        for e in _entries(d):
            if not self.safe(e):
                continue
            p = Path(e.path)
            rel = self.rel(e.path)
            if e.is_file() and e.name == "unit.yml" and not street:
                self.corpus.unit_dirs[unit] = self.disp(p)
                self.add(load_yaml_file(p, self.disp(p), "unit", rel=rel, **where))
            elif e.is_file() and e.name == "matters.yml":
                self.cached_or_read(
                    e, rel, lambda p=p, rel=rel: load_yaml_file(p, self.disp(p), "matters", rel=rel, **where),
                    kind="matters", where=where)
            elif e.is_file() and e.name == "newmedia.yml":
                self.add(load_yaml_file(p, self.disp(p), "newmedia", rel=rel, **where))
            elif e.is_dir() and e.name == "communities" and not street:
                for c in _entries(p):
                    if not self.safe(c):
                        continue
                    if c.is_dir():
                        self.unit_dir(Path(c.path), unit=c.name, street=unit)
                    else:
                        self.problem(c.path, "E013", "communities 目录中只能有社区目录")
            elif e.is_dir():
                self.column_dir(p, column=e.name, **where)
            else:
                self.problem(p, "E013", e.name)

    def topics_dir(self, d: Path) -> None:
        """content/topics/: one <id>.yml per 专题; any other file (a banner image) is an asset."""
        for e in _entries(d):
            if not self.safe(e):
                continue
            p = Path(e.path)
            if e.is_dir():
                for f in p.rglob("*"):
                    if f.is_file() and self.outside(str(f)) is None:
                        self.corpus.assets[self.rel(f)] = f
            elif e.name.endswith(".yml"):
                slug = e.name[:-4]
                if not SLUG_RE.match(slug):
                    self.problem(p, "E014", e.name)
                    continue
                self.add(load_yaml_file(p, self.disp(p), "topic", rel=self.rel(p), slug=slug))
            else:
                self.corpus.assets[self.rel(p)] = p

    def outside(self, path: str) -> Path | None:
        """The target of a symlink that leaves content/, else None."""
        target = Path(path).resolve()
        return None if target == self.root or self.root in target.parents else target

    def column_dir(self, d: Path | str, column: str, unit: str, street: str) -> None:
        for e in _entries(d):
            if e.is_symlink():
                target = self.outside(e.path)
                if target is not None:
                    self.problem(e.path, "E011", f"指向 {target}")
                    continue
                if e.is_dir():
                    continue  # a symlinked folder inside content/ would be walked twice
            if e.is_dir():
                self.column_dir(e.path, column, unit, street)
                continue
            name = e.name
            if not name.endswith(".md"):
                self.corpus.assets[self.rel(e.path)] = Path(e.path)
                continue
            self.corpus.item_files += 1
            slug = name[:-3]
            if not SLUG_RE.match(slug):
                self.problem(e.path, "E014", name)
                continue
            where = {"unit": unit, "street": street, "column": column, "slug": slug, "rel": self.rel(e.path)}
            disp = self.disp(e.path)
            self.cached_or_read(e, where["rel"], lambda e=e, disp=disp, where=where: load_item_file(
                Path(e.path), disp, **where), kind="item", where=where)

    def cached_or_read(self, e: os.DirEntry, rel: str, read: Any, kind: str, where: dict) -> None:
        """Reuse a file's still-valid cache entry, or read it (remembering its signature for the cache)."""
        if self.cache is None:  # no stat call without a cache: a build reads every file anyway
            self.add(read())
            return
        st = e.stat()
        entry = self.cache.fresh(rel, st)
        if entry is not None:
            fields = {k: v for k, v in where.items() if k != "rel"}
            self.corpus.docs.append(RawDoc(kind=kind, path=self.disp(e.path), cached=entry, rel=rel, **fields))
            return
        doc, diagnostic = read()
        if doc is not None:
            doc.sig = signature(st)
        self.add((doc, diagnostic))


def load(content_dir: str | Path, display_base: str | Path | None = None, cache: Any = None) -> Corpus:
    """Read the whole content tree; problems become diagnostics, never exceptions.

    With a check cache, item files whose cached validation is still valid are not read (see cache.py).
    """
    root = Path(content_dir)
    base = Path(display_base) if display_base is not None else Path.cwd()
    if not root.is_absolute():
        root = (Path.cwd() / root)
    return _Walker(root, base.resolve() if base.is_absolute() else (Path.cwd() / base).resolve(), cache).walk()
