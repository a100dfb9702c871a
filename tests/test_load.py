"""Stage 1: the strict reader keeps what the editor typed and turns bad input into diagnostics."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.stages.load import load, parse_yaml, split_front_matter

from .conftest import item


@pytest.mark.parametrize("text", ["NO", "on", "1.10", "010", "2019-07-10", "1:20", "0x1F", "1e3", ".inf", "yes"])
def test_plain_scalars_stay_strings(text):
    data, _ = parse_yaml(f"a: {text}\n")
    assert data == {"a": text}


def test_nulls_and_quoted_empty():
    data, _ = parse_yaml('a:\nb: ~\nc: null\nd: ""\ne: "null"\n')
    assert data == {"a": None, "b": None, "c": None, "d": "", "e": "null"}


def test_positions_are_recorded_for_every_field():
    _, pos = parse_yaml("title: x\nlist:\n  - a\n  - b: 1\n")
    assert pos[("title",)] == (1, 1)
    assert pos[("list",)] == (2, 1)
    assert pos[("list", 0)] == (3, 5)
    assert pos[("list", 1, "b")] == (4, 5)


def _one(root, rule=None):
    c = load(root, display_base=root)
    assert len(c.diagnostics) == 1, c.diagnostics
    d = c.diagnostics[0]
    if rule:
        assert d.rule == rule, d
    return d


def test_duplicate_key_is_an_error_at_the_second_key(tree):
    root = tree({"units/fgj/news/a.md": item("title: 一\ndate: 2020-01-01\ntitle: 二")})
    d = _one(root, "E003")
    assert (d.path, d.line) == ("units/fgj/news/a.md", 4)
    assert "第 2 行" in d.message


def test_tab_indentation_is_a_syntax_error_with_line(tree):
    root = tree({"units/fgj/unit.yml": "name: 甲\nkind: department\ncontact:\n\tphone: 1\n"})
    d = _one(root, "E002")
    assert d.line == 4


def test_bom_is_stripped(tree):
    root = tree({"units/fgj/news/a.md": "\ufeff" + item("title: 一\ndate: 2020-01-01")})
    c = load(root, display_base=root)
    assert not c.diagnostics
    assert [d.data["title"] for d in c.docs if d.kind == "item"] == ["一"]


@pytest.mark.parametrize(("raw", "hint"), [
    ("标题：政务公开".encode("gbk"), "GBK"),
    ("標題：政務公開資訊".encode("big5"), "GBK"),  # Big5 bytes also decode as GB18030; the hint names both
    ("---\ntitle: 一\n---\n".encode("utf-16"), "UTF-16"),
])
def test_non_utf8_files_are_named_not_crashed(tree, raw, hint):
    root = tree({"units/fgj/news/a.md": b"---\ntitle: " + raw + b"\ndate: 2020-01-01\n---\n"
                 if hint != "UTF-16" else raw})
    d = _one(root, "E001")
    assert d.path == "units/fgj/news/a.md"
    assert hint in d.message


def test_nul_bytes_empty_and_oversized_files(tree, tmp_path):
    root = tree({
        "units/fgj/news/nul.md": b"---\ntitle: a\x00b\n---\n",
        "units/fgj/news/empty.md": b"  \n",
    })
    big = root / "units/fgj/news/big.md"
    big.write_bytes(b"---\ntitle: x\n---\n" + b"a" * (3 * 1024 * 1024))
    rules = sorted((d.path.rsplit("/", 1)[1], d.rule) for d in load(root, display_base=root).diagnostics)
    assert rules == [("big.md", "E005"), ("empty.md", "E009"), ("nul.md", "E008")]


def test_billion_laughs_is_rejected_fast(tree):
    lol = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lol.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    root = tree({"units/fgj/unit.yml": "\n".join(lol) + "\n"})
    t = time.perf_counter()
    d = _one(root, "E004")
    assert time.perf_counter() - t < 1.0
    assert d.path == "units/fgj/unit.yml"


def test_deep_nesting_is_rejected(tree):
    root = tree({"units/fgj/unit.yml": "a: " + "[" * 5000 + "]" * 5000 + "\n"})
    _one(root, "E006")
    root2 = tree({"units/fgj/unit.yml": "a: " + "[" * 40 + "]" * 40 + "\n"})
    _one(root2, "E006")


def test_unsupported_tags(tree):
    root = tree({"units/fgj/unit.yml": "name: !!python/object:os.system ls\n"})
    _one(root, "E010")


def test_front_matter_missing_or_unclosed(tree):
    root = tree({"units/fgj/news/a.md": "title: x\n"})
    assert _one(root, "E007").line == 1
    root = tree({"units/fgj/news/a.md": "---\ntitle: x\n"})
    _one(root, "E007")


def test_front_matter_lines_are_file_lines():
    fm, body, body_line = split_front_matter("---\na: 1\nb: 2\n---\n正文\n")
    assert (fm, body, body_line) == ("a: 1\nb: 2", "正文\n", 5)


def test_bad_file_names_and_unknown_files(tree):
    root = tree({"units/fgj/news/政务公开.md": item("title: x\ndate: 2020-01-01"),
                 "units/fgj/readme.txt": "x"})
    rules = sorted(d.rule for d in load(root, display_base=root).diagnostics)
    assert rules == ["E013", "E014"]


def test_symlink_outside_content_is_refused(tree, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text(item("title: 秘密\ndate: 2020-01-01"), encoding="utf-8")
    root = tree()
    (root / "units/fgj/news").mkdir(parents=True)
    (root / "units/fgj/news/link.md").symlink_to(outside)
    d = _one(root, "E011")
    assert d.path == "units/fgj/news/link.md"
    assert not [doc for doc in load(root, display_base=root).docs if doc.kind == "item"]


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=200))
def test_any_text_either_loads_or_yields_a_diagnostic(text):
    """Property: parse_yaml never lets an exception other than its own diagnostic escape."""
    from generator.stages.load import _YamlError

    try:
        parse_yaml(text)
    except _YamlError as e:
        assert e.rule.startswith("E0") or e.rule == "E103"


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_in_a_file_load_or_diagnose(tmp_path_factory, raw):
    root = tmp_path_factory.mktemp("c")
    p = root / "units" / "fgj" / "news"
    p.mkdir(parents=True)
    (p / "a.md").write_bytes(b"---\n" + raw + b"\n---\n")
    c = load(root, display_base=root)
    assert len(c.docs) + len(c.diagnostics) >= 1
