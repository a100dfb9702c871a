"""Search synonyms: content/synonyms.yml (editable groups of equivalent forms) plus every unit's full name,
short name and former names from unit.yml. search.js searches all forms of a group when the query is one of
them, so a short form finds pages written with the full form and back (低保 ↔ 最低生活保障).

synonyms.yml is a list of groups, each a list of at least two forms:

    - [低保, 最低生活保障]
    - [12345, 政务服务便民热线, 12345热线]

Groups that share a form are merged. Rules: E230 (format), E231 (a form listed twice).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model.diagnostics import Diagnostic, diag
from ..util import searchtext

FILE = "synonyms.yml"


@dataclass(frozen=True)
class _Where:
    path: str
    line: int
    col: int


def key(form: str) -> str:
    """Forms are compared by their runs of letters and digits (brackets, spaces and case do not count)."""
    return "|".join(searchtext.runs(form))


def _display(path: Path, base: str | Path | None) -> str:
    try:
        return os.path.relpath(path, base if base is not None else Path.cwd())
    except ValueError:
        return str(path)


def load_file(path: Path, display_base: str | Path | None = None) -> tuple[list[list[str]], list[Diagnostic]]:
    """The groups of a synonyms.yml and the problems found in it."""
    shown = _display(path, display_base)
    diags: list[Diagnostic] = []
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        mark = getattr(e, "problem_mark", None)
        where = _Where(shown, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1)
        return [], [diag(where, "E230", "YAML 无法解析")]
    if root is None:
        return [], []
    at = lambda node: _Where(shown, node.start_mark.line + 1, node.start_mark.column + 1)  # noqa: E731
    if not isinstance(root, yaml.SequenceNode):
        return [], [diag(at(root), "E230", "文件应为同义词组的列表，每组写成 [简称, 全称, …]")]
    groups: list[list[str]] = []
    seen: dict[str, _Where] = {}
    for node in root.value:
        if not isinstance(node, yaml.SequenceNode) or not all(isinstance(v, yaml.ScalarNode) for v in node.value):
            diags.append(diag(at(node), "E230", "每组应为词语列表，如 [低保, 最低生活保障]"))
            continue
        forms = []
        for v in node.value:
            text = str(v.value).strip()
            k = key(text)
            if not k:
                diags.append(diag(at(v), "E230", f"“{text}”不含文字或数字"))
                continue
            if k in seen:
                diags.append(diag(at(v), "E231", f"“{text}”已在第 {seen[k].line} 行列出"))
                continue
            seen[k] = at(v)
            forms.append(text)
        if len(forms) < 2:
            diags.append(diag(at(node), "E230", "每组至少两个词语"))
            continue
        groups.append(forms)
    return groups, diags


def collect(content_dir: str | Path, ix=None, display_base: str | Path | None = None
            ) -> tuple[list[list[str]], list[Diagnostic]]:
    """All synonym groups (synonyms.yml, then units' names), merged where they share a form, and the problems
    of synonyms.yml."""
    path = Path(content_dir) / FILE
    groups, diags = load_file(path, display_base) if path.exists() else ([], [])
    if ix is not None:
        for unit in ix.units.values():
            forms = [f for f in [unit.name, unit.short_name or "", *unit.aliases] if f]
            if len({key(f) for f in forms}) > 1:
                groups.append(forms)
    return merge(groups), diags


def merge(groups: list[list[str]]) -> list[list[str]]:
    """Union of groups that share a form (by key), each form once, in first-seen order."""
    parent = list(range(len(groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, g in enumerate(groups):
        for f in g:
            k = key(f)
            if k in owner:
                parent[find(i)] = find(owner[k])
            else:
                owner[k] = i
    merged: dict[int, dict[str, str]] = {}
    for i, g in enumerate(groups):
        bucket = merged.setdefault(find(i), {})
        for f in g:
            bucket.setdefault(key(f), f)
    return [list(b.values()) for _, b in sorted(merged.items())]


def table(groups: list[list[str]]) -> dict:
    """The browser's table: the groups, and each form's key → its group."""
    return {"groups": groups, "index": {key(f): n for n, g in enumerate(groups) for f in g}}


BUCKETS = 64


def write(folder: Path, groups: list[list[str]], bucket) -> int:
    """The table in BUCKETS JSON files, by FNV-1a of each form's key (`bucket(key, count)`, as the search
    vocabulary), so a query fetches one small file: {key: [the forms of its group]}. Returns the count."""
    files: dict[int, dict[str, list[str]]] = {}
    for g in groups:
        for f in g:
            files.setdefault(bucket(key(f), BUCKETS), {})[key(f)] = g
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(BUCKETS):
        (folder / f"{n}.json").write_text(json.dumps(files.get(n, {}), ensure_ascii=False, separators=(",", ":"),
                                                     sort_keys=True), encoding="utf-8")
    return BUCKETS
