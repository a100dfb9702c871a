"""专题专栏 (a page kind defined in YAML, with its list and feed) and self-hosted video in item bodies."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pages.emit import emit
from generator.stages.pipeline import check
from generator.util.markup import is_local, sanitize
from generator.util.safety import scan_markdown

from .conftest import item

TODAY = dt.date(2026, 11, 28)
PNG = b"\x89PNG\r\n\x1a\n"


def run(root):
    r = check(root, today=TODAY, display_base=root)
    return r, [(d.path, d.line, d.rule) for d in r.diagnostics]


def news(title, date="2026-11-01", extra=""):
    return item(f"title: {title}\ndate: {date}\n{extra}")


def tree_with_items(tree, topics):
    return tree({
        "units/fgj/news/a.md": news("甲", extra="tags: [试点]\ndomains: [政务公开]"),
        "units/fgj/notices/b.md": news("乙", "2026-10-01", "tags: [试点]"),
        "units/ceshi/news/c.md": news("丙", "2026-09-01", "domains: [政务公开]"),
        "units/ceshi/communities/ceshi-a/news/d.md": news("丁", "2026-08-01", "tags: [试点]"),
        "units/fgj/news/e.md": news("戊", "2026-07-01"),
        "topics/banners/b.png": PNG,
        **{f"topics/{k}.yml": v for k, v in topics.items()},
    })


def test_items_are_gathered_by_each_condition_and_by_list(tree):
    root = tree_with_items(tree, {
        "tag": "title: 按关键词\ntags: [试点]\n",
        "both": "title: 关键词且栏目\ntags: [试点]\ncolumns: [news]\n",
        "domain": "title: 按领域\ndomains: [政务公开综合]\n",
        "unit": "title: 按单位\nunits: [测试街]\n",
        "list": "title: 清单\nitems: [fgj/news/e, fgj/notices/b]\n",
        "old": "title: 已归档\nitems: [fgj/news/e]\narchived: true\norder: 1\nbanner: banners/b.png\n",
    })
    r, diags = run(root)
    assert diags == []
    got = {t: [i.title for i in its] for t, its in r.index.topic_items.items()}
    assert got == {"old": ["戊"], "both": ["甲", "丁"], "domain": ["甲", "丙"], "list": ["乙", "戊"],
                   "tag": ["甲", "乙", "丁"], "unit": ["丙", "丁"]}
    site = emit(r.index, r.diagnostics)
    pages = {p.url: p for p in site.pages if p.kind.name == "topic"}
    index = pages["/topics/"].data["topics"]
    assert [t["title"] for t in index][-1] == "已归档"  # archived last, kept on record
    assert pages["/topics/old/"].data["archived"] and pages["/topics/old/"].data["banner"] == "/topics/banners/b.png"
    feeds = {f.dest: f.content for f in site.files if f.dest.startswith("feeds/topics/")}
    assert set(feeds) == {f"feeds/topics/{t}.xml" for t in ("tag", "both", "domain", "unit", "list", "old")}
    assert feeds["feeds/topics/tag.xml"].count(b"<entry>") == 3
    assert any(f.dest == "topics/banners/b.png" for f in site.files)


def test_bad_topics(tree):
    root = tree_with_items(tree, {
        "a": "title: 甲\nitems: [fgj/news/nope]\nbanner: banners/none.png\n",
        "b": "title: 乙\ndomains: [不存在的领域]\n",
        "page": "title: 丙\ntags: [x]\n",
        "Bad_Name": "title: 丁\n",
    })
    _, diags = run(root)
    assert sorted(diags) == [("topics/Bad_Name.yml", 1, "E014"), ("topics/a.yml", 2, "E213"),
                             ("topics/a.yml", 3, "E210"), ("topics/b.yml", 2, "E104"), ("topics/page.yml", 1, "E204")]


def test_video_keeps_local_sources_poster_and_captions():
    html = sanitize('<video src="files/a.mp4" poster="files/a.png" autoplay onplay="x()">'
                    '<source src="files/a.webm" type="video/webm">'
                    '<track kind="captions" src="files/a.vtt" srclang="zh" label="中文字幕" default></video>',
                    lambda u: "/u/" + u)
    assert 'src="/u/files/a.mp4"' in html and 'poster="/u/files/a.png"' in html
    assert '<source src="/u/files/a.webm" type="video/webm">' in html
    assert 'kind="captions" src="/u/files/a.vtt"' in html
    assert "<video controls preload=\"metadata\"" in html and "autoplay" not in html and "onplay" not in html


def test_video_never_loads_from_another_server():
    html = sanitize('<video src="https://cdn.example/a.mp4" poster="//cdn.example/p.jpg">'
                    '<source src="http://x.example/a.mp4"><track src="https://x.example/a.vtt"></video>')
    assert "example" not in html
    assert scan_markdown('<video src="https://cdn.example/a.mp4"></video>')[0][1].startswith("外部网站的 <video>")
    assert scan_markdown('<video src="files/a.mp4"></video>') == []


@settings(max_examples=80, deadline=None, derandomize=True)
@given(st.text(alphabet="abc:/.\\ \t%-", max_size=20))
def test_is_local_never_accepts_a_host_or_scheme(url):
    as_read = url.replace("\\", "/").replace(" ", "").replace("\t", "")
    if is_local(url):
        assert not as_read.startswith("//") and ":" not in as_read.split("/")[0]
    assert not is_local("\\\\cdn.example/a.mp4") and not is_local(" //cdn.example/a.mp4")
    assert not is_local("https://x/a.mp4") and is_local("files/a.mp4") and is_local("/u/files/a.mp4")


def test_external_video_in_a_body_is_reported(tree):
    root = tree({"units/fgj/interpretations/v.md": item(
        "title: 视频解读\ndate: 2026-11-01\ninterprets: fgj/policies/p\nform: 视频解读",
        '<video src="https://v.example/a.mp4"></video>\n'),
        "units/fgj/policies/p.md": news("政策")})
    _, diags = run(root)
    assert ("units/fgj/interpretations/v.md", 7, "E110") in diags


def test_video_markup_is_the_same_every_time():
    """Pages must be byte-identical between builds (the preview and the clean build are compared)."""
    src = '<video src="a.mp4" poster="a.png" width="640" height="360"><track kind="captions" src="a.vtt"></video>'
    assert len({sanitize(src, lambda u: "/x/" + u) for _ in range(30)}) == 1
