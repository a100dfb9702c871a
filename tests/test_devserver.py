"""The preview's incremental rebuild and warm (cached) builds produce exactly what a clean build produces."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from generator.tools.devserver import DevServer

from .conftest import CONTENT, ROOT, build_site, item


def manifest(root: Path) -> dict[str, str]:
    """sha256 of every file under root, by relative path."""
    out = {}
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            p = Path(dirpath) / n
            out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def assert_same_tree(a: Path, b: Path) -> None:
    ma, mb = manifest(a), manifest(b)
    assert sorted(set(ma) - set(mb)) == [] and sorted(set(mb) - set(ma)) == []
    assert sorted(k for k in ma if ma[k] != mb[k]) == []


@pytest.fixture
def demo_copy(tmp_path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    return content


def some_item(content: Path, unit: str, column: str) -> Path:
    return sorted((content / "units" / unit / column).glob("*.md"))[0]


def test_rebuild_after_edits_equals_a_clean_build(demo_copy, tmp_path):
    dev = DevServer(ROOT / "mkdocs.yml", demo_copy, tmp_path / "preview")
    dev.build()

    # 1. a body edit: one page
    news = some_item(demo_copy, "fgj", "news")
    news.write_text(news.read_text(encoding="utf-8") + "\n## 补充说明\n\n预览中补充的一段话。\n", encoding="utf-8")
    dev.rebuild()
    assert not dev.last.full and dev.last.pages == 1
    page = news.relative_to(demo_copy / "units").with_suffix("")
    assert "预览中补充的一段话" in (tmp_path / "preview" / page / "index.html").read_text(encoding="utf-8")

    # 2. a title edit shows in the lists too; 3. a new item; 4. a removed item
    notice = some_item(demo_copy, "fgj", "notices")
    notice.write_text(notice.read_text(encoding="utf-8").replace("title: ", "title: 预览改名：", 1),
                      encoding="utf-8")
    (demo_copy / "units/fgj/news/2026-11-20-yulan-xinzeng.md").write_text(
        item("title: 预览中新增的一条动态\ndate: 2026-11-20\ntype: news"), encoding="utf-8")
    gone = sorted((demo_copy / "units/jyj/news").glob("*.md"))[-1]
    gone.unlink()
    dev.rebuild()
    assert not dev.last.full and dev.last.pages > 2 and dev.last.removed >= 1
    assert not (tmp_path / "preview" / gone.relative_to(demo_copy / "units").with_suffix("")).exists()

    # 5. a broken file: reported, the rest keeps building (keep going)
    (demo_copy / "units/fgj/news/2026-11-21-broken.md").write_text("---\ntitle: [未闭合\n---\n", encoding="utf-8")
    dev.rebuild()
    assert dev.last.errors == 1 and not dev.last.full

    clean = tmp_path / "clean"
    build_site(demo_copy, clean, search=False, keep_going=True, precompress=False)  # the preview has neither
    assert_same_tree(tmp_path / "preview", clean)


def test_unit_yml_edit_falls_back_to_a_full_build(demo_copy, tmp_path):
    dev = DevServer(ROOT / "mkdocs.yml", demo_copy, tmp_path / "preview")
    dev.build()
    unit = demo_copy / "units/fgj/unit.yml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("name: ", "name: 新", 1), encoding="utf-8")
    dev.rebuild()
    assert dev.last.full and "unit.yml" in dev.last.reason
    dev.rebuild()
    assert not dev.last.full and dev.last.pages == 0  # nothing changed since


def test_warm_build_equals_cold_build(demo_copy, tmp_path):
    """Markdown, QR and search-shard caches change nothing in the output (search index included)."""
    build_site(demo_copy, tmp_path / "cold")
    assert (demo_copy.parent / ".cache/portal/search").is_dir()
    result = build_site(demo_copy, tmp_path / "warm")
    assert result.search is not None and result.search.reused == len(result.search.shards)
    assert_same_tree(tmp_path / "cold", tmp_path / "warm")
