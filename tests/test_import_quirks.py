"""`portal import` on what real old pages do, and a page imported once however it comes back.

Fixtures in tests/fixtures/import/quirks/ (one page per quirk, see the README there).
"""

from __future__ import annotations

import shutil

import pytest

from .test_importer import FIX, ROOT, assert_checks, items, listing, read_item, run

Q = FIX / "quirks"


@pytest.fixture
def content(tmp_path):
    """The real taxonomy and portal.yml, and the department the pages come from."""
    root = tmp_path / "content"
    (root / "units" / "fgj").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "taxonomy.yml", root / "taxonomy.yml")
    shutil.copy(ROOT / "content" / "portal.yml", root / "portal.yml")
    shutil.copytree(ROOT / "content" / "identity", root / "identity")  # the footer marks portal.yml names
    (root / "units" / "fgj" / "unit.yml").write_text(
        "name: 广州市海珠区发展和改革局\nshort_name: 区发展改革局\nkind: department\n", encoding="utf-8")
    (root / "units" / "qzfb").mkdir()  # portal.yml's owner_unit
    (root / "units" / "qzfb" / "unit.yml").write_text("name: 广州市海珠区人民政府办公室\nkind: department\n",
                                                      encoding="utf-8")
    return root


def test_metadata_table_inside_the_content_container_is_read_and_kept_out_of_the_body(content, capsys):
    assert run(content, "--unit", "fgj", "--column", "policies", str(Q / "meta-table-inside.html")) == 0
    (path,) = items(content, "fgj", "policies")
    fm, body = read_item(path)
    assert (fm["doc_number"], fm["index_no"], fm["issued"], fm["date"]) == (
        "海发改〔2024〕3号", "007482644/2024-00012", "2024-03-01", "2024-03-05")
    assert "索引号" not in body and "发布机构" not in body and "|" not in body
    assert body.startswith("各街道办事处，区各有关单位：")
    assert_checks(content, capsys)


def test_meta_values_with_markup_are_stripped_not_refused(content, capsys):
    assert run(content, "--unit", "fgj", str(Q / "meta-markup.html")) == 0
    fm, _ = read_item(items(content, "fgj", "news")[0])
    assert fm["title"] == "海珠区开展2024年安全生产月活动" and fm["source"] == "海珠区应急管理局"
    assert_checks(content, capsys)


def test_word_pdf_print_close_rows_are_dropped(content, capsys):
    assert run(content, "--unit", "fgj", str(Q / "download-row.html")) == 0
    out = capsys.readouterr().out
    _, body = read_item(items(content, "fgj", "news")[0])
    for word in ("Word下载", "PDF下载", "打印", "关闭", ".doc", ".pdf"):
        assert word not in body
    assert "附件未找到" not in out  # the CMS's own exports are not attachments


def test_ideographic_spaces_between_chinese_characters_leave_the_title(content):
    assert run(content, "--unit", "fgj", str(Q / "ideographic-title.html")) == 0
    fm, _ = read_item(items(content, "fgj", "news")[0])
    assert fm["title"] == "海珠区召开2024年一季度经济运行分析会"


def test_pagination_links_and_the_editor_line_leave_the_body(content):
    assert run(content, "--unit", "fgj", str(Q / "pagination-editor.html")) == 0
    _, body = read_item(items(content, "fgj", "news")[0])
    assert body.rstrip().endswith("确保年内完成既定目标。")
    assert "下一页" not in body and "[1]" not in body and "责任编辑" not in body


def test_a_policy_imported_once_is_recognised_by_its_doc_number_in_another_column(content, tmp_path, capsys):
    assert run(content, "--unit", "fgj", "--column", "policies", str(Q / "meta-table-inside.html")) == 0
    (path,) = items(content, "fgj", "policies")
    capsys.readouterr()
    # again, from a list file with the department's old URL (not the canonical one), into the default column
    lst = listing(tmp_path, ("http://fgj.haizhu.gov.cn/zwgk/show.asp?id=9001", Q / "meta-table-inside.html"))
    assert run(content, "--unit", "fgj", str(lst)) == 0
    out = capsys.readouterr().out
    assert "[跳过]" in out and "文号 海发改[2024]3号 的文件 已导入为" in out and "（“政策文件”栏目）" in out
    assert items(content, "fgj", "news") == [] and items(content, "fgj", "policies") == [path]


def test_a_page_imported_without_url_is_recognised_by_title_and_date_when_it_comes_with_one(content, tmp_path,
                                                                                             capsys):
    saved = tmp_path / "saved.html"
    saved.write_text((Q / "pagination-editor.html").read_text(encoding="utf-8").replace(
        '<link rel="canonical" href="https://www.haizhu.gov.cn/fgj/gzdt/content/post_9005.html">', ""),
        encoding="utf-8")
    assert run(content, "--unit", "fgj", "--column", "notices", str(saved)) == 0
    capsys.readouterr()
    lst = listing(tmp_path, ("http://fgj.haizhu.gov.cn/gzdt/9005.html", saved))
    assert run(content, "--unit", "fgj", str(lst)) == 0
    out = capsys.readouterr().out
    assert "[跳过]" in out and "同标题同日期的文章" in out and "（“通知公告”栏目）" in out
    assert items(content, "fgj", "news") == []


def test_import_takes_the_unit_by_name_like_portal_new(content, capsys):
    assert run(content, "--unit", "区发展改革局", str(Q / "ideographic-title.html")) == 0
    assert len(items(content, "fgj", "news")) == 1
    assert run(content, "--unit", "区发展改革居", str(Q / "ideographic-title.html")) == 2
    assert "您是否要写：“区发展改革局”" in capsys.readouterr().err
