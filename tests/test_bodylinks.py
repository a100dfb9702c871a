"""Body links and images are checked at the source line (E216); `@id` links render to the item's URL."""

from __future__ import annotations

from generator.stages.pipeline import check
from generator.util.markup import link_resolver

from .conftest import item

POLICY = item("title: 办法\ndate: 2020-01-01")


def _e216(root):
    return [(d.path.split("/", 1)[1] if "/" in d.path else d.path, d.line, d.col, d.message)
            for d in check(root, display_base=root.parent).diagnostics if d.rule == "E216"]


def test_missing_image_is_reported_at_its_markdown_line_and_column(tree):
    body = "第一段。\n\n![示意图](files/missing.png)\n\n见[附件](files/a.pdf)。\n"
    root = tree({"units/fgj/news/a.md": item("title: 动态\ndate: 2020-01-01", body),
                 "units/fgj/news/files/a.pdf": b"%PDF-1.4\n", "units/fgj/news/files/missing.jpg": b"x"})
    [(path, line, col, msg)] = _e216(root)
    assert (path, line, col) == ("units/fgj/news/a.md", 7, 8)  # 4 lines of front matter, body line 3
    assert "图片“files/missing.png”指向的文件不存在" in msg and "您是否要写：“files/missing.jpg”" in msg


def test_links_to_other_items_by_id_path_url_and_the_wrong_ways(tree):
    body = ("[一](@fgj/policies/p)\n[二](../policies/p.md)\n[三](content/units/fgj/policies/p.md)\n"
            "[四](fgj/policies/p)\n[五](@fgj/policies/q)\n[六](https://example.org/x)\n`[七](nope.md)`\n")
    root = tree({"units/fgj/policies/p.md": POLICY,
                 "units/fgj/news/a.md": item("title: 动态\ndate: 2020-01-01", body)})
    found = {line - 4: msg for _, line, _, msg in _e216(root)}
    assert sorted(found) == [3, 4, 5]  # @id, relative path, external and code are fine
    assert "请写 @编号：“@fgj/policies/p”" in found[3]
    assert "请写 @编号：“@fgj/policies/p”" in found[4]
    assert "没有编号为“fgj/policies/q”的文章；您是否要写：“@fgj/policies/p”？" in found[5]


def test_at_id_links_render_relative_to_the_page():
    links = {"@fgj/policies/p": "/fgj/policies/p/", "units/fgj/news/files/a.pdf": "/fgj/news/files/a.pdf"}
    resolve = link_resolver("units/fgj/news", "/fgj/news/a/", links.get)
    assert resolve("@fgj/policies/p#di-yi-tiao") == "../../policies/p/#di-yi-tiao"
    assert resolve("files/a.pdf") == "../files/a.pdf"


def test_at_id_link_survives_markdown_and_the_sanitizer():
    from generator.util.markup import Markup

    links = {"@fgj/policies/p": "/fgj/policies/p/"}
    html = Markup().render("[办法](@fgj/policies/p)", link_resolver("units/fgj/news", "/fgj/news/a/", links.get)).html
    assert '<a href="../../policies/p/">办法</a>' in html


def test_linkcheck_maps_a_broken_link_back_to_the_markdown_line(tree, tmp_path, capsys):
    from generator.tools.cli import main

    root = tree({"units/fgj/news/a.md": item("title: 动态\ndate: 2020-01-01", "正文。\n\n![图](files/missing.png)\n")})
    site = tmp_path / "site"
    (site / "fgj/news/a").mkdir(parents=True)
    (site / "index.html").write_text('<a href="fgj/news/a/">a</a>', encoding="utf-8")
    (site / "fgj/news/a/index.html").write_text('<p><img src="../files/missing.png"></p>', encoding="utf-8")
    assert main(["--content", str(root), "linkcheck", str(site)]) == 1
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "源文件" in x)
    assert line.strip().endswith("content/units/fgj/news/a.md:7:6")


def test_links_to_item_urls_of_this_portal_are_checked(tree):
    body = ("[一](https://www.example.gov.cn/fgj/policies/p/)\n[二](/fgj/policies/q/)\n"
            "[三](https://www.example.gov.cn/fgj/policies/pp/)\n[四](/fgj/policies/2020/)\n[五](/columns/news/)\n"
            "[六](https://other.example.org/fgj/policies/q/)\n")
    root = tree({"units/fgj/policies/p.md": POLICY,
                 "units/fgj/news/a.md": item("title: 动态\ndate: 2020-01-01", body)})
    found = {line - 4: msg for _, line, _, msg in _e216(root)}
    assert sorted(found) == [2, 3]  # a year archive, a portal list and another site are not items
    assert "门户中没有这个网址的文章" in found[2]
    assert "您是否要写：“@fgj/policies/p”？" in found[3]
