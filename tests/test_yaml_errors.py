"""YAML mistakes editors make: a Chinese message at the line of the mistake, with what to do (one test per cause)."""

from __future__ import annotations

from generator.stages.load import load


def _e002(tree, front: str):
    """Write one item whose front matter is `front` (lines after the opening ---) and return its E002."""
    root = tree({"units/fgj/news/a.md": "---\n" + front + "---\n正文。\n"})
    diags = load(root, display_base=root).diagnostics
    assert [d.rule for d in diags] == ["E002"], diags
    d = diags[0]
    assert d.message.startswith("YAML 语法错误：")
    assert not any(w in d.message for w in ("mapping", "token", "scanning", "expected")), d.message  # no English
    return d


def test_full_width_colon_is_named_at_its_own_line(tree):
    d = _e002(tree, "title: 通知\n标题：关于……的通知\ndate: 2024-03-05\n")
    assert (d.line, d.col) == (3, 3)  # file line 3 (line 2 of the front matter), at the ：
    assert "全角冒号" in d.message and "title: 标题" in d.message


def test_full_width_quotes_around_a_value_with_a_colon(tree):
    d = _e002(tree, "title: “区卫健局: 通知”\ndate: 2024-03-05\n")
    assert d.line == 2
    assert "全角引号" in d.message and '半角引号' in d.message


def test_tab_indentation_is_called_a_tab(tree):
    d = _e002(tree, "title: 通知\ndate: 2024-03-05\nattachments:\n\t- file: a.pdf\n")
    assert (d.line, d.col) == (5, 1)
    assert "Tab" in d.message and "空格" in d.message


def test_tab_inside_an_indented_block(tree):
    d = _e002(tree, "title: 通知\ndate: 2024-03-05\nattachments:\n  - file: a.pdf\n  \ttitle: 附件\n")
    assert (d.line, d.col) == (6, 3)
    assert "Tab" in d.message


def test_missing_space_after_colon(tree):
    d = _e002(tree, "title: 通知\ndoc_number:海府办〔2024〕1号\ndate: 2024-03-05\n")
    assert d.line == 3
    assert "冒号后缺少空格" in d.message and "doc_number: 海府办〔2024〕1号" in d.message


def test_unclosed_quote_points_at_the_opening_quote(tree):
    d = _e002(tree, 'title: "关于做好防汛工作的通知\ndate: 2024-03-05\nsummary: 摘要\n')
    assert (d.line, d.col) == (2, 8)
    assert "引号没有闭合" in d.message


def test_list_item_where_a_value_was_already_given(tree):
    d = _e002(tree, "title: 通知\ndate: 2024-03-05\ntags: 防汛\n- 应急\n")
    assert d.line == 5
    assert "列表项" in d.message and "tags:" in d.message


def test_list_where_a_single_value_is_expected_is_explained(tree):
    from generator.stages.validate import validate

    root = tree({"units/fgj/news/a.md": "---\ntitle:\n  - 通知一\n  - 通知二\ndate: 2024-03-05\n---\n正文。\n"})
    diags = [d for d in validate(load(root, display_base=root)).diagnostics if d.rule == "E103"]
    assert len(diags) == 1 and diags[0].line == 2  # the title: line
    assert "应为单个值，实际是列表" in diags[0].message and "直接写在冒号后面" in diags[0].message


def test_colons_in_block_text_are_not_blamed(tree):
    # a ： inside a `|` block is text; the real mistake (a stray list item) is found below it
    d = _e002(tree, "title: 通知\ndate: 2024-03-05\nsummary: |\n  说明：见附件\ntags: 防汛\n- 应急\n")
    assert d.line == 7 and "列表项" in d.message
