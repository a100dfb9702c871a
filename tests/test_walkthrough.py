"""An editor's session, scripted: every command run as the editor runs it, from inside their unit folder.

Each step is a real `portal` process (the console script), so root discovery, relative paths, exit codes and
the exact Chinese output are what an editor sees.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.tools.scaffold import BODY_PLACEHOLDER

from .conftest import item

PORTAL = Path(sys.executable).parent / "portal"


def run(cwd: Path, *args: str) -> tuple[int, str]:
    cmd = [str(PORTAL)] if PORTAL.exists() else [sys.executable, "-m", "generator.tools.cli"]
    p = subprocess.run([*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


@pytest.fixture
def unit_dir(tree):
    root = tree({"units/fgj/policies/2024-01-02-banfa.md": item(
        "title: 测试区促进投资办法\ndate: 2024-01-02\ndoc_number: 测发改〔2024〕1号\nnormative: true")})
    return root / "units" / "fgj"


def test_an_editor_publishes_news_and_an_interpretation_from_the_unit_folder(unit_dir, tmp_path_factory):
    # 1. a news item, named the way the editor thinks: column and unit in Chinese, a Chinese date
    rc, out = run(unit_dir, "new", "工作动态", "--unit", "区发展改革局", "--title", "项目推进会",
                  "--date", "2024年3月5日")
    assert rc == 0, out
    assert out.strip() == "content/units/fgj/news/2024-03-05-xiang-mu-tui-jin-hui.md"
    news = unit_dir / "news/2024-03-05-xiang-mu-tui-jin-hui.md"
    # 2. checking the unedited scaffold, by a path relative to the unit folder: the placeholder is named
    rc, out = run(unit_dir, "check", "news/2024-03-05-xiang-mu-tui-jin-hui.md")
    assert rc == 0 and "W215 占位文字未替换：正文仍是占位文字" in out and "已检查文件 1" in out
    text = news.read_text(encoding="utf-8").replace(BODY_PLACEHOLDER, "3月5日，区发展改革局召开项目推进会。")
    news.write_text(text, encoding="utf-8")
    rc, out = run(unit_dir / "news", "check", "2024-03-05-xiang-mu-tui-jin-hui.md")
    assert rc == 0 and out.strip().endswith("错误 0，警告 0"), out
    # 3. typical mistakes, each at its line, in Chinese
    news.write_text(text.replace("date: 2024-03-05", "date: 20240305").replace("title:", "标题：", 1),
                    encoding="utf-8")
    rc, out = run(unit_dir, "check", "news/")
    assert rc == 1 and "content/units/fgj/news/2024-03-05-xiang-mu-tui-jin-hui.md:2:3: E002 YAML 语法错误：" \
        "字段名后用了全角冒号“：”" in out
    news.write_text(text.replace("date: 2024-03-05", "date: 20240305")
                    .replace("召开项目推进会。", "召开项目推进会。\n\n![现场](files/xianchang.jpg)"), encoding="utf-8")
    rc, out = run(unit_dir, "check", "news")
    assert rc == 1 and "E216 正文链接或图片指向不存在的内容：图片“files/xianchang.jpg”指向的文件不存在" in out
    assert "E105" not in out  # 20240305 is a date
    (unit_dir / "news/files").mkdir()
    (unit_dir / "news/files/xianchang.jpg").write_bytes(b"\xff\xd8\xff")
    rc, out = run(unit_dir, "check", str(news))  # an absolute path works too
    assert rc == 0, out
    # 4. an interpretation that names its policy by the 文号, and links to it by id
    rc, out = run(unit_dir, "new", "政策解读", "--unit", "FGJ", "--title", "图解促进投资办法", "--date", "20240306")
    assert rc == 0, out
    interp = unit_dir.parent.parent.parent / out.strip()
    body = interp.read_text(encoding="utf-8").replace("interprets:  #", "interprets: 测发改[2024]1号  #")
    body = body.replace(BODY_PLACEHOLDER, "解读[《办法》](@fgj/policies/2024-01-02-banfa)。")
    interp.write_text(body, encoding="utf-8")
    rc, out = run(unit_dir, "check", "--show-normalized", "interpretations")
    assert rc == 0, out
    assert "interprets: “测发改[2024]1号” → “fgj/policies/2024-01-02-banfa”（文号换为文章编号）" in out
    # 5. a typo in a unit name is answered with the choices
    rc, out = run(unit_dir, "new", "news", "--unit", "区发展改革居", "--title", "x")
    assert rc == 2 and "您是否要写：“区发展改革局”" in out
    # 6. outside any project: one Chinese line, exit 2
    rc, out = run(tmp_path_factory.mktemp("nowhere"), "check")
    assert rc == 2 and len(out.strip().splitlines()) == 1 and "找不到门户项目" in out


@pytest.mark.parametrize("front", [
    "title: 通知\n标题：关于……的通知\n", "title: “区卫健局: 通知”\n", "title: a\nattachments:\n\t- file: a.pdf\n",
    "title: a\ndoc_number:海府办〔2024〕1号\n", 'title: "关于…的通知\ndate: 2024-03-05\n', "tags: 防汛\n- 应急\n",
])
def test_the_guide_quotes_the_yaml_messages_as_the_checker_prints_them(front):
    from generator.stages.load import _YamlError, parse_yaml

    guide = (Path(__file__).resolve().parent.parent / "docs" / "editors.md").read_text(encoding="utf-8")
    with pytest.raises(_YamlError) as e:
        parse_yaml(front)
    quoted = "E002 YAML 语法错误：" + e.value.detail
    assert quoted[:40] in guide, quoted
