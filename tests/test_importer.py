"""`portal import`: saved pages of three old-CMS layouts become valid items; re-imports skip; --update rewrites."""

from __future__ import annotations

import argparse
import os
import re
import shutil
from pathlib import Path

import pytest

from generator.stages.load import parse_yaml, split_front_matter
from generator.stages.pipeline import check
from generator.tools import importer
from generator.tools.cli import main as portal
from generator.util.markup import Markup

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).resolve().parent / "fixtures" / "import"
TRS = FIX / "trs" / "xxgk" / "201907" / "t20190710_5123456.html"
TABLE = FIX / "table" / "fgj" / "gzdt" / "show_88.htm"
MODERN = FIX / "modern" / "fgj" / "gzdt" / "content" / "post_7234567.html"
TRS_URL = "http://www.haizhu.gov.cn/xxgk/201907/t20190710_5123456.html"
TABLE_URL = "http://fgj.haizhu.gov.cn/gzdt/show.asp?id=88"
MODERN_URL = "https://www.haizhu.gov.cn/fgj/gzdt/content/post_7234567.html"  # its <link rel="canonical">

BOILERPLATE = ["当前位置", "所在位置", "您的位置", "首页", "打印", "关闭", "分享到", "主办", "承办", "网站标识码",
               "ICP", "公网安备", "网站声明", "浏览次数", "阅读次数", "字号", "字体", "相关新闻", "&nbsp;", "\xa0",
               "<font", "style=", "javascript"]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content tree with the real taxonomy and portal.yml, the portal's owner unit and one department."""
    root = tmp_path / "content"
    (root / "units" / "fgj").mkdir(parents=True)
    (root / "units" / "qzfb").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "taxonomy.yml", root / "taxonomy.yml")
    shutil.copy(ROOT / "content" / "portal.yml", root / "portal.yml")
    shutil.copytree(ROOT / "content" / "identity", root / "identity")  # the footer marks portal.yml names
    (root / "units" / "fgj" / "unit.yml").write_text(
        "name: 广州市海珠区发展和改革局\nshort_name: 区发展改革局\nkind: department\n", encoding="utf-8")
    (root / "units" / "qzfb" / "unit.yml").write_text(
        "name: 广州市海珠区人民政府办公室\nshort_name: 区府办\nkind: department\n", encoding="utf-8")
    return root


def run(content: Path, *argv: str) -> int:
    """`portal import …` through an argparse tree built like generator.tools.cli's, with importer.add_parser."""
    p = argparse.ArgumentParser(prog="portal")
    p.add_argument("--content", default=None)
    sub = p.add_subparsers(dest="command", required=True)
    importer.add_parser(sub)
    args = p.parse_args(["--content", str(content), "import", *argv])
    return args.func(args)


def listing(tmp_path: Path, *rows: tuple[str, Path | str]) -> Path:
    """A list file of `old-URL <TAB> saved-file` lines, saved files written relative to the list file."""
    path = tmp_path / "pages.tsv"
    lines = ["# 原网址\t保存的文件"]
    for url, saved in rows:
        lines.append(f"{url}\t{os.path.relpath(saved, tmp_path)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def items(content: Path, unit: str, column: str) -> list[Path]:
    """The Markdown items of a column."""
    return sorted((content / "units" / unit / column).glob("*.md"))


def read_item(path: Path) -> tuple[dict, str]:
    """(front matter, body) of a written item."""
    parts = split_front_matter(path.read_text(encoding="utf-8"))
    assert parts is not None, path
    return parse_yaml(parts[0])[0], parts[1].lstrip("\n")  # the project's strict YAML: every scalar stays a string


def assert_checks(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The tree passes `portal check` (the real command, exit 0, no errors)."""
    result = check(content)
    assert [str(d) for d in result.errors] == []
    capsys.readouterr()
    assert portal(["--content", str(content), "check"]) == 0
    assert "错误 0，" in capsys.readouterr().out


# --------------------------------------------------------------------------- encodings


def test_gb2312_declared_page_is_decoded_as_gb18030():
    raw = TRS.read_bytes()
    assert importer.declared_charset(raw) == "gb2312"
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")  # 珺 and 镕 are outside GB2312: the fixture really needs the superset
    text, codec, note = importer.decode_html(raw)
    assert codec == "gb18030" and note == ""
    assert "珺琦产业" in text and "朱镕" in text


def test_undeclared_gbk_big5_and_bom_pages_are_detected():
    raw = TABLE.read_bytes()
    assert importer.declared_charset(raw) is None
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text, codec, _ = importer.decode_html(raw)
    assert codec == "gb18030" and "粮食安全宣传周" in text

    big5 = '<html><head><meta charset="big5"><title>臺灣</title></head><body><p>發布日期：2019年07月10日</p></body>'
    text, codec, _ = importer.decode_html(big5.encode("big5"))
    assert codec == "big5hkscs" and "發布日期" in text

    text, codec, _ = importer.decode_html("\ufeff<p>海珠区</p>".encode())
    assert codec == "utf-8" and text == "<p>海珠区</p>"


def test_empty_and_binary_files_are_refused():
    with pytest.raises(importer.PageError, match="文件为空"):
        importer.decode_html(b" \n\t")
    with pytest.raises(importer.PageError, match="二进制"):
        importer.decode_html((FIX / "broken" / "binary.htm").read_bytes())


# --------------------------------------------------------------------------- the three layouts


def test_trs_page_into_policies(content, tmp_path, capsys):
    lst = listing(tmp_path, (TRS_URL, TRS))
    assert run(content, "--unit", "qzfb", "--column", "policies", str(lst)) == 0
    out = capsys.readouterr().out
    (path,) = items(content, "qzfb", "policies")
    fm, body = read_item(path)
    slug = path.stem
    assert fm["title"] == "广州市海珠区人民政府办公室关于印发海珠区促进珺琦产业发展若干措施的通知"
    assert fm["type"] == "policy"
    assert fm["date"] == "2019-07-10"  # the header table's 发布日期, not the 成文 date in the body
    assert fm["source"] == "广州市海珠区人民政府办公室"  # 发布机构
    assert fm["doc_number"] == "海府办〔2019〕12号"
    assert fm["index_no"] == "007482644/2019-00123"
    assert fm["effective"] == "2019-08-01"
    assert "author" not in fm
    assert fm["legacy_urls"] == [TRS_URL]
    assert slug == importer.slugify(fm["title"], "2019-07-10")

    # The attachment sits outside the TRS editor (in #zoom's 附件 block); the image is root-relative.
    pdf = f"files/{slug}/p020190710412345678901.pdf"
    assert fm["attachments"] == [{"file": pdf, "title": "海珠区促进珺琦产业发展若干措施（政策解读版）.pdf"}]
    assert (path.parent / pdf).read_bytes() == (TRS.parent / "P020190710412345678901.pdf").read_bytes()
    img = f"files/{slug}/haizhu-map.png"
    assert (path.parent / img).read_bytes() == (FIX / "trs" / "images" / "2019" / "haizhu-map.png").read_bytes()
    assert f"![海珠区珺琦产业布局示意图]({img})" in body

    assert "各街道办事处，区政府各部门、各直属机构：" in body
    assert "（联系人：朱镕，电话：020-89089102）" in body
    assert "## 一、总体要求" in body and "## 二、支持措施" in body
    assert "1. 对新落户本区的珺琦企业" in body and "3. 对企业租用办公用房的" in body
    assert "本措施自2019年8月1日起施行" in body
    assert fm["title"] not in body
    for junk in [*BOILERPLATE, "索引号", "发布机构", "综合政务", "政务公开", "走进海珠", "TRS_Editor", "<o:p>"]:
        assert junk not in body, junk
    assert "[已导入]" in out and str(path.name) in out and "未找到：作者" in out
    assert_checks(content, capsys)


def test_table_layout_page(content, tmp_path, capsys):
    lst = listing(tmp_path, (TABLE_URL, TABLE))
    assert run(content, "--unit", "fgj", str(lst)) == 0
    (path,) = items(content, "fgj", "news")
    fm, body = read_item(path)
    slug = path.stem
    assert fm["title"] == "区发改局开展2019年粮食安全宣传周活动"  # <title> without " - 海珠区发展和改革局"
    assert fm["type"] == "news"
    assert fm["date"] == "2019-10-16"
    assert fm["source"] == "区发展改革局"
    assert fm["author"] == "粮食和物资储备科"
    assert fm["legacy_urls"] == [TABLE_URL]
    assert "doc_number" not in fm and "attachments" not in fm

    assert body.startswith("10月16日是第39个世界粮食日")  # no title, info line or breadcrumb first
    assert "向市民发放宣传资料2000余份" in body
    assert "| 日期 | 地点 | 内容 |" in body
    assert "| 10月17日 | 江海街道各社区 | 科学储粮进社区 |" in body
    assert "一、持续开展粮食安全宣传教育；" in body and "二、加强粮食储备和应急保障能力建设。" in body
    img = f"files/{slug}/20191016_01.jpg"
    assert f"![]({img})" in body
    assert (path.parent / img).read_bytes() == (FIX / "table" / "uploadfiles" / "201910" / Path(img).name).read_bytes()
    for junk in [*BOILERPLATE, "发布时间", "工作动态", "区发改局召开2019年上半年工作总结会议", "正文", "bgcolor"]:
        assert junk not in body, junk

    html = Markup(["toc", "tables"]).render(body).html  # the body renders as the portal renders it
    assert "<td>海珠湿地</td>" in html and "<th>日期</th>" in html
    assert_checks(content, capsys)


def test_modern_page_with_attachments_and_canonical_url(content, capsys):
    assert run(content, "--unit", "fgj", str(FIX / "modern")) == 0  # a folder; no list file
    out = capsys.readouterr().out
    (path,) = items(content, "fgj", "news")
    fm, body = read_item(path)
    slug = path.stem
    assert fm["title"] == "海珠区2021年一季度经济运行情况"
    assert fm["date"] == "2021-04-20 10:30"
    assert fm["source"] == "海珠区发展和改革局"
    assert fm["legacy_urls"] == [MODERN_URL]  # from <link rel="canonical">

    pdf, xlsx = fm["attachments"]
    assert pdf == {"file": f"files/{slug}/2021q1-report.pdf", "title": "《2021年一季度经济运行分析报告》"}
    assert xlsx["title"] == "一季度主要指标.xlsx"
    assert re.fullmatch(rf"files/{slug}/[a-z0-9][a-z0-9._-]*\.xlsx", xlsx["file"])  # ASCII-safe name
    src = MODERN.parent / "files"
    assert (path.parent / pdf["file"]).read_bytes() == (src / "2021q1-report.pdf").read_bytes()
    assert (path.parent / xlsx["file"]).read_bytes() == (src / "一季度主要指标.xlsx").read_bytes()
    assert f"[《2021年一季度经济运行分析报告》]({pdf['file']})" in body
    assert f"![一季度主要指标增速](files/{slug}/2021q1-chart.png)" in body
    assert (path.parent / "files" / slug / "2021q1-chart.png").is_file()

    assert body.startswith("2021年一季度，全区实现地区生产总值512.36亿元")
    assert "## 一、主要指标" in body and "## 二、重点领域" in body  # h3 → ## (h1 is the page title)
    assert "| 指标 | 绝对值（亿元） | 同比增长（%） |" in body
    assert "| 社会消费品零售总额 | 263.10 | 27.3 |" in body
    assert "- 规模以上工业增加值增长 **21.5%**，其中高技术制造业增长35.8%；" in body
    for junk in [*BOILERPLATE, "发布时间", "海珠区2020年国民经济和社会发展统计公报", "微信", "微博"]:
        assert junk not in body, junk
    assert "未找到：作者" in out and "原网址" not in out.split("未找到：")[1].splitlines()[0]
    assert_checks(content, capsys)


# --------------------------------------------------------------------------- duplicates and --update


def test_reimport_skips_and_update_rewrites_the_same_file(content, capsys):
    assert run(content, "--unit", "fgj", str(MODERN)) == 0
    (path,) = items(content, "fgj", "news")
    # The editor adds keywords and edits the text after the import.
    text = path.read_text(encoding="utf-8").replace("legacy_urls:", "tags: [经济运行]\nlegacy_urls:", 1)
    text = text.replace("经济运行开局良好", "经济运行开局良好（编辑补充）")
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()

    assert run(content, "--unit", "fgj", str(MODERN)) == 0
    out = capsys.readouterr().out
    assert "[跳过]" in out and MODERN_URL in out and "--update" in out
    assert "跳过 1 篇（重复）" in out and "导入 0 篇" in out
    assert path.read_text(encoding="utf-8") == text  # untouched
    assert items(content, "fgj", "news") == [path]

    assert run(content, "--unit", "fgj", "--update", str(MODERN)) == 0
    out = capsys.readouterr().out
    assert "[已更新]" in out and path.name in out
    assert items(content, "fgj", "news") == [path]  # same slug, same file
    fm, body = read_item(path)
    assert "（编辑补充）" not in body and "经济运行开局良好" in body
    assert fm["tags"] == ["经济运行"]  # fields the importer does not own are kept
    assert fm["legacy_urls"] == [MODERN_URL]
    assert len(fm["attachments"]) == 2
    copied = sorted(p.name for p in (path.parent / "files" / path.stem).iterdir())
    assert copied == sorted([*(Path(a["file"]).name for a in fm["attachments"]), "2021q1-chart.png"])

    # --update with another --column still rewrites the item where it is.
    assert run(content, "--unit", "fgj", "--column", "notices", "--update", str(MODERN)) == 0
    assert "按原栏目更新" in capsys.readouterr().out
    assert items(content, "fgj", "news") == [path] and not items(content, "fgj", "notices")
    assert read_item(path)[0]["type"] == "news"
    assert_checks(content, capsys)


def test_page_without_old_url_is_deduplicated_by_title_and_date(content, tmp_path, capsys):
    page = tmp_path / "saved" / "t20190710_5123456.html"
    page.parent.mkdir()
    shutil.copy(TRS, page)  # no list file, no canonical link: the old URL is unknown
    assert run(content, "--unit", "qzfb", "--column", "policies", str(page)) == 0
    out = capsys.readouterr().out
    (path,) = items(content, "qzfb", "policies")
    fm, _ = read_item(path)
    assert "legacy_urls" not in fm
    assert "未找到：作者、原网址" in out
    assert "图片未找到：/images/2019/haizhu-map.png" in out  # no site root above the copy
    assert "附件未找到：./P020190710412345678901.pdf" in out

    assert run(content, "--unit", "qzfb", "--column", "policies", str(page)) == 0
    assert "[跳过]" in capsys.readouterr().out
    assert items(content, "qzfb", "policies") == [path]
    assert_checks(content, capsys)


def test_same_title_from_another_old_url_gets_its_own_file(content, tmp_path, capsys):
    lst = listing(tmp_path, (TABLE_URL, TABLE), (TABLE_URL.replace("88", "1088"), TABLE))
    assert run(content, "--unit", "fgj", str(lst)) == 0
    first, second = sorted(items(content, "fgj", "news"), key=lambda p: len(p.name))
    assert second.stem == first.stem + "-2"
    assert read_item(first)[0]["legacy_urls"] != read_item(second)[0]["legacy_urls"]
    assert_checks(content, capsys)


# --------------------------------------------------------------------------- the report


def test_report_lists_imported_failed_and_missing_fields(content, tmp_path, capsys):
    lst = FIX / "pages.tsv"  # TRS + table page with their old URLs, and a binary file
    assert run(content, "--unit", "fgj", str(lst), str(FIX / "broken")) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    trs = next(i for i, ln in enumerate(lines) if "t20190710_5123456.html" in ln)
    assert lines[trs].startswith("[已导入]") and lines[trs + 1].strip() == "未找到：作者"
    assert any(ln.startswith("[失败]") and "binary.htm：不是网页（二进制文件）" in ln for ln in lines)
    assert any(ln.startswith("[失败]") and "empty.html：文件为空" in ln for ln in lines)
    assert lines[-1] == "导入完成：导入 2 篇，更新 0 篇，跳过 0 篇（重复），失败 3 篇"
    assert len(items(content, "fgj", "news")) == 2  # the broken pages did not stop the others
    assert_checks(content, capsys)


def test_bad_list_lines_missing_files_and_list_pages_fail_alone(content, tmp_path, capsys):
    column_list = tmp_path / "gzdt.html"
    column_list.write_text(
        "<html><head><meta charset='utf-8'><title>工作动态_海珠区发展和改革局</title></head><body><ul class='list'>"
        + "".join(f"<li><a href='{n}.html'>区发改局工作动态第{n}条</a><span>2019-07-0{n}</span></li>"
                  for n in range(1, 8))
        + "</ul></body></html>", encoding="utf-8")
    no_date = tmp_path / "nodate.html"
    no_date.write_text("<html><head><meta charset='utf-8'><title>关于调整办事窗口的公告</title></head><body>"
                       "<h1>关于调整办事窗口的公告</h1><div class='article-content'><p>自即日起，企业投资项目备案"
                       "窗口调整至区政务服务中心三楼。</p></div></body></html>", encoding="utf-8")
    lst = tmp_path / "old.txt"
    lst.write_text(f"{TABLE_URL}\tnope.html\nnot-a-url\t{TABLE}\njust-one-field\n", encoding="utf-8")
    assert run(content, "--unit", "fgj", str(lst), str(column_list), str(no_date), str(TABLE)) == 1
    out = capsys.readouterr().out
    assert "old.txt:1 nope.html：文件不存在" in out
    assert "原网址格式不对：not-a-url" in out
    assert "old.txt:3：列表行格式应为：原网址<TAB>保存的文件" in out
    assert "gzdt.html：看起来是栏目列表页，不是文章" in out
    assert "nodate.html：缺少必填字段：发布日期" in out and "未找到：发布日期、来源、作者、原网址" in out
    assert "失败 5 篇" in out and "导入 1 篇" in out
    assert_checks(content, capsys)


@pytest.mark.parametrize("written", ["海发改〔2020〕3号", "海发改[2020]3号"])
def test_doc_number_near_the_top_and_meta_url(content, tmp_path, capsys, written):
    # a 文号 as old sites wrote it is stored as `portal check` normalizes it (〔〕 brackets)
    page = tmp_path / "f.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>关于印发2020年价格监测工作方案的通知_海珠区发展和改革局</title>"
        "<meta name='url' content='http://fgj.haizhu.gov.cn/zcwj/content/post_42.html'></head><body>"
        "<div class='title'>关于印发2020年价格监测工作方案的通知</div>"
        "<div class='info'>日期：2020年02月14日&nbsp;&nbsp;点击数：77</div>"
        f"<div id='UCAP-CONTENT'><p style='text-align:center'>{written}</p><p>各有关单位：</p>"
        "<p>现将《2020年价格监测工作方案》印发给你们，请遵照执行。</p>"
        "<p>附件：<a href='/attach/fangan.docx'>2020年价格监测工作方案.docx</a></p></div></body></html>",
        encoding="utf-8")
    assert run(content, "--unit", "fgj", "--column", "policies", str(page)) == 0
    out = capsys.readouterr().out
    (path,) = items(content, "fgj", "policies")
    fm, body = read_item(path)
    assert fm["title"] == "关于印发2020年价格监测工作方案的通知"
    assert fm["date"] == "2020-02-14"
    assert fm["doc_number"] == "海发改〔2020〕3号"
    assert fm["legacy_urls"] == ["http://fgj.haizhu.gov.cn/zcwj/content/post_42.html"]
    # The attachment is not in the saved page: the body links to it on the old site, the report says so.
    assert "[2020年价格监测工作方案.docx](http://fgj.haizhu.gov.cn/attach/fangan.docx)" in body
    assert "附件未找到：/attach/fangan.docx" in out and "attachments" not in fm
    assert "点击数" not in body
    assert_checks(content, capsys)


# --------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(("argv", "message"), [
    (["--unit", "nope"], "未知单位“nope”"),
    (["--unit", "fgj", "--column", "nope"], "未知栏目“nope”"),
    (["--unit", "fgj", "--column", "guides"], "无法导入，请用 portal new 创建"),
])
def test_usage_errors_exit_2(content, capsys, argv, message):
    assert run(content, *argv, str(MODERN)) == 2
    err = capsys.readouterr().err
    assert message in err
    assert not list((content / "units").rglob("*.md"))


def test_written_item_that_fails_portal_check_is_reported(content, tmp_path, capsys):
    page = tmp_path / "future.html"
    page.write_text("<html><head><meta charset='utf-8'><title>关于2099年工作安排的通知</title>"
                    "<meta name='PubDate' content='2099-01-05'></head><body><div class='TRS_Editor'>"
                    "<p>各单位：现将2099年工作安排通知如下，请认真组织实施。</p></div></body></html>", encoding="utf-8")
    assert run(content, "--unit", "fgj", str(page)) == 1
    out = capsys.readouterr().out
    assert "[失败]" in out and "未通过 portal check" in out and "E303" in out
    (path,) = items(content, "fgj", "news")  # kept for the editor to correct, named in the report
    assert path.name in out


def test_empty_folder_is_reported(content, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert run(content, "--unit", "fgj", str(tmp_path / "empty")) == 1
    assert "文件夹中没有网页" in capsys.readouterr().out


# --------------------------------------------------------------------------- HTML → Markdown


def test_word_html_spanned_tables_nested_lists_and_escaping(tmp_path):
    html = """<html><head><meta charset="utf-8"><title>测试</title></head><body><div class="TRS_Editor">
    <p class=MsoNormal><![if !supportLists]><span>1.<span>&nbsp;&nbsp; </span></span><![endif]>第一项<o:p></o:p></p>
    <table border=1><tr><td colspan=2><b>项目汇总表</b></td></tr><tr><td>道路改造</td><td>1,200</td></tr></table>
    <ul><li>一级<ul><li>二级甲</li><li>二级乙</li></ul></li><li>一级二</li></ul>
    <p>含有*星号*、_下划线_、[方括号]和&lt;尖括号&gt;的文字</p>
    <p>- 以横线开头</p><p><b>一、</b><b>总体要求</b></p>
    <p><a href="http://www.gd.gov.cn/">广东省人民政府</a> <a href="javascript:void(0)">无效链接</a></p>
    </div></body></html>"""
    page = importer.Page(html, tmp_path / "x.html")
    page.clean_body()
    assets = importer.Assets(tmp_path / "x.html", None, "files/s/", tmp_path / "files", update=False)
    md = importer.to_markdown(page.body, assets)
    assert "1\\. 第一项" in md
    assert '<td colspan="2"><strong>项目汇总表</strong></td>' in md
    assert "- 一级\n    - 二级甲\n    - 二级乙\n- 一级二" in md
    assert "\\- 以横线开头" in md and "**一、总体要求**" in md
    assert "[广东省人民政府](http://www.gd.gov.cn/) 无效链接" in md
    html_out = Markup(["toc", "tables"]).render(md).html
    assert "<p>含有*星号*、_下划线_、[方括号]和&lt;尖括号&gt;的文字</p>" in html_out
    assert '<td colspan="2"><strong>项目汇总表</strong></td>' in html_out
    assert "<li>二级甲</li>" in html_out and "<p>- 以横线开头</p>" in html_out


@pytest.mark.parametrize(("text", "date"), [
    ("发布时间：2019-07-10 09:30:15", "2019-07-10 09:30"),
    ("2019年07月10日", "2019-07-10"),
    ("日期:2019.7.1", "2019-07-01"),
    ("２０１９－０７－１０", "2019-07-10"),
    ("2019-02-30 或 2019/03/01", "2019-03-01"),
    ("浏览次数：20190710", None),
])
def test_parse_date(text, date):
    assert importer.parse_date(text) == date


def test_safe_names_are_ascii_and_keep_the_extension():
    assert importer.safe_name("P020190710412345678901.PDF", "file") == "p020190710412345678901.pdf"
    name = importer.safe_name("附件1：海珠区计划表.xlsx", "file")
    assert re.fullmatch(r"file-[0-9a-f]{6}\.xlsx", name)
    assert importer.safe_name("附件1：海珠区计划表.xlsx", "file") == name  # stable
    assert importer.safe_name("Report 2021 (final).docx", "file") == "report-2021-final.docx"


def test_an_old_url_is_one_page_however_spelled_and_whichever_unit_imports_it(content, tmp_path, capsys):
    # The redirect table keys old URLs host-lowercased and percent-encoded, across all units (E221): the
    # importer's "already imported" test uses the same key, so no spelling makes a second item.
    raw = "http://fgj.haizhu.gov.cn/新闻/show.asp?id=88"
    encoded = "HTTP://FGJ.haizhu.gov.cn/%E6%96%B0%E9%97%BB/show.asp?id=88"
    assert run(content, "--unit", "fgj", str(listing(tmp_path, (raw, TABLE)))) == 0
    (path,) = items(content, "fgj", "news")
    capsys.readouterr()
    assert run(content, "--unit", "fgj", str(listing(tmp_path, (encoded, TABLE)))) == 0
    assert "跳过 1 篇（重复）" in capsys.readouterr().out
    for extra in ((), ("--update",)):
        assert run(content, "--unit", "qzfb", *extra, str(listing(tmp_path, (encoded, TABLE)))) == 0
        out = capsys.readouterr().out
        assert "其他单位" in out and path.name in out, out
    assert items(content, "fgj", "news") == [path] and not items(content, "qzfb", "news")
    assert_checks(content, capsys)
