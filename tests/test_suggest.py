"""“您是否要写：…” and references written the ways editors write them (id, path, URL, 文号)."""

from __future__ import annotations

import pytest

from generator.stages.pipeline import check
from generator.tools.cli import main

from .conftest import item

INTERPRETS_NO = item("title: 解读\ndate: 2020-01-02\ninterprets: 测发改〔2020〕3号")
POLICY = item("title: 办法\ndate: 2020-01-01\ndoc_number: 测发改[2020]3号\nnormative: true")


def _diags(root, rule):
    return [d for d in check(root).diagnostics if d.rule == rule]


@pytest.mark.parametrize("written", [
    "fgj/policies/2020-01-01-banfa",  # the id
    "content/units/fgj/policies/2020-01-01-banfa.md",  # the content path, as an editor's file manager shows it
    "units/fgj/policies/2020-01-01-banfa.md",
    "../policies/2020-01-01-banfa.md",  # relative to the interpretation
    "https://www.example.gov.cn/fgj/policies/2020-01-01-banfa/",  # the public URL
    "/fgj/policies/2020-01-01-banfa/",
    "测发改〔2020〕3号",  # the 文号, in any bracket style
    "测发改[2020]3号",
])
def test_interprets_accepts_id_path_url_and_doc_number(tree, written):
    root = tree({"units/fgj/policies/2020-01-01-banfa.md": POLICY,
                 "units/fgj/interpretations/i.md": item(f"title: 解读\ndate: 2020-01-02\ninterprets: \"{written}\"")})
    result = check(root)
    assert [str(d) for d in result.errors] == []
    assert [i.id for i in result.index.interpretations["fgj/policies/2020-01-01-banfa"]] == ["fgj/interpretations/i"]
    shown = [c for c in result.changes if c.field == "interprets"]
    if written != "fgj/policies/2020-01-01-banfa":
        assert [(c.before, c.after) for c in shown] == [(written, "fgj/policies/2020-01-01-banfa")]


def test_a_typo_in_a_reference_suggests_the_id(tree):
    root = tree({"units/fgj/policies/2020-01-01-banfa.md": POLICY,
                 "units/fgj/interpretations/i.md": item("title: 解读\ndate: 2020-01-02\n"
                                                        "interprets: fgj/policies/2020-01-01-banfs")})
    [d] = _diags(root, "E202")
    assert "您是否要写：“fgj/policies/2020-01-01-banfa”？" in d.message


def test_an_ambiguous_doc_number_is_not_guessed(tree):
    root = tree({"units/fgj/policies/a.md": POLICY, "units/fgj/policies/b.md": POLICY,
                 "units/fgj/interpretations/i.md": INTERPRETS_NO})
    assert len(_diags(root, "E202")) == 1


def test_unknown_unit_suggests_the_closest_name(tree):
    root = tree({"units/fgj/policies/p.md": item("title: 办法\ndate: 2020-01-01\nissuers: [区发展改革居]")})
    [d] = _diags(root, "E201")
    assert "您是否要写：“区发展改革局”" in d.message


def test_vocabulary_value_suggests_and_names_no_internal_key(tree):
    root = tree({"units/fgj/policies/p.md": item("title: 办法\ndate: 2020-01-01\nstatus: 已废至")})
    [d] = _diags(root, "E104")
    assert "您是否要写：“已废止”" in d.message and "文件有效性" in d.message and "statuses" not in d.message


def test_column_folder_suggests(tree):
    root = tree({"units/fgj/new/p.md": item("title: 动态\ndate: 2020-01-01")})
    [d] = _diags(root, "E104")
    assert "您是否要写：“news”" in d.message and "news（工作动态）" in d.message


def test_chinese_field_name_is_mapped_to_its_key(tree):
    root = tree({"units/fgj/news/p.md": item("title: 动态\ndate: 2020-01-01\n来源: 区发展改革局")})
    [d] = _diags(root, "E101")
    assert "应写作 source（信息来源）" in d.message


def test_show_normalized_prints_the_reference_change(tree, monkeypatch, capsys):
    root = tree({"units/fgj/policies/2020-01-01-banfa.md": POLICY,
                 "units/fgj/interpretations/i.md": INTERPRETS_NO})
    monkeypatch.chdir(root.parent)
    assert main(["check", "--show-normalized"]) == 0
    expected = "interprets: “测发改〔2020〕3号” → “fgj/policies/2020-01-01-banfa”（文号换为文章编号）"
    assert expected in capsys.readouterr().out
