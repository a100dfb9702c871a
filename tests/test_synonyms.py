"""content/synonyms.yml: validated with rule ids, merged with the units' names."""

from __future__ import annotations

from generator.stages.synonyms import collect, load_file, merge, table

from .conftest import CONTENT


def test_bad_tables_are_reported_with_rule_ids(tmp_path):
    path = tmp_path / "synonyms.yml"
    path.write_text("- [低保, 最低生活保障]\n- [低保, 社会救助]\n- 单独一个\n- [医保, \"!!\"]\n", encoding="utf-8")
    groups, diags = load_file(path, tmp_path)
    assert groups == [["低保", "最低生活保障"]]
    found = {(d.line, d.rule) for d in diags}
    assert (2, "E231") in found  # 低保 already in line 1
    assert (3, "E230") in found  # not a list
    assert (4, "E230") in found  # "!!" has no letters or digits; the group is left with one form
    path.write_text("- [a, b\n", encoding="utf-8")
    assert [d.rule for d in load_file(path)[1]] == ["E230"]


def test_the_demo_table_is_clean_and_units_join_it():
    groups, diags = collect(CONTENT)
    assert diags == []
    assert ["低保", "最低生活保障"] in groups


def test_groups_sharing_a_form_merge_and_forms_compare_by_runs():
    merged = merge([["区卫健局", "广州市海珠区卫生健康局"], ["卫健局", "区卫健局"],
                    ["海府办〔2019〕12号", "海府办[2019]12号"]])
    assert merged == [["区卫健局", "广州市海珠区卫生健康局", "卫健局"], ["海府办〔2019〕12号"]]
    assert table(merged)["index"]["卫健局"] == 0
