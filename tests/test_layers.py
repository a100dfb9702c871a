"""The package's layers: imports go one way, no cycles, no private names across modules, docs match code."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import generator

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "generator"
#: The layers, lowest first (generator/__init__.py and docs/architecture.md say the same).
LAYERS = ["util", "model", "stages", "checks", "pages", "render", "tools"]


def modules() -> dict[str, Path]:
    """Dotted name (generator.x.y) -> file, for every module of the package."""
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        parts = p.relative_to(ROOT).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    return out


def imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, imported names, line) of every import in a module, at any depth."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            names = [a.name for a in node.names]
            if target.startswith("generator"):
                known = modules()
                for n in names:  # `from . import feeds` imports a module
                    if f"{target}.{n}" in known:
                        out.append((f"{target}.{n}", [], node.lineno))
                        names = [x for x in names if x != n]
                out.append((target, names, node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("generator")]
    return out


def layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_lives_in_a_layer():
    loose = [n for n in modules() if n != "generator" and layer(n) is None]
    assert loose == []
    assert {p.name for p in PKG.iterdir() if p.is_dir() and not p.name.startswith("__")} == set(LAYERS)


def test_imports_only_go_down_the_layers():
    upward = []
    for name, path in modules().items():
        own = layer(name)
        for target, _, line in imports(name, path):
            theirs = layer(target)
            if own and theirs and LAYERS.index(theirs) > LAYERS.index(own):
                upward.append(f"{path.relative_to(ROOT)}:{line} {own} imports {target}")
    assert upward == []


def test_no_private_name_is_imported_from_another_module():
    private = [f"{path.relative_to(ROOT)}:{line} {target}.{n}"
               for name, path in modules().items() for target, names, line in imports(name, path)
               for n in names if n.startswith("_") and target != name]
    assert private == []


def test_no_import_cycles():
    known = modules()
    graph = {name: {t for t, _, _ in imports(name, path) if t in known and t != name and not
                    (name.startswith(t + ".") or t == "generator")}
             for name, path in known.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(n: str, stack: list[str]) -> None:
        state[n] = 1
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                cycles.append([*stack[stack.index(m):], m])
            elif m not in state:
                visit(m, [*stack, m])
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [n])
    assert cycles == []


def test_the_layering_test_catches_an_upward_import(tmp_path, monkeypatch):
    """A module of a lower layer importing a higher one is reported (the test above can fail)."""
    fake = tmp_path / "generator" / "util" / "bad.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from ..pages.base import PageSpec\nfrom ..model.urls import _SLUG_CHARS\n")
    got = imports("generator.util.bad", fake)
    assert ("generator.pages.base", ["PageSpec"], 1) in got
    assert LAYERS.index(layer(got[0][0])) > LAYERS.index("util")
    assert any(n.startswith("_") for _, names, _ in got for n in names)


def test_the_package_docstring_lists_the_layers_in_order():
    doc = generator.__doc__ or ""
    found = [m.group(1) for m in re.finditer(r"^    (\w+)\s{2,}", doc, re.M)]
    assert found == LAYERS


def test_architecture_doc_names_only_modules_and_functions_that_exist():
    """Every `generator/x/y.py` and `module.function` the architecture doc names exists in the code."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    files = set(re.findall(r"`(generator/[\w/]+\.py)(?:::\w+)?`", doc))
    assert len(files) >= 20
    missing = [f for f in files if not (ROOT / f).exists()]
    assert missing == []
    for f, fn in re.findall(r"`(generator/[\w/]+\.py)::(\w+)`", doc):
        mod = importlib.import_module(f[:-3].replace("/", "."))
        assert hasattr(mod, fn), f"{f}::{fn}"
    layers = re.findall(r"^\| `(\w+)/` \|", doc, re.M)
    assert layers == LAYERS
