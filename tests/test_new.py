"""`portal new` as a department editor uses it: Chinese names, any unit name, readable file names, never 要闻."""

from __future__ import annotations

import pytest

from generator.stages.pipeline import check
from generator.tools.cli import main
from generator.tools.scaffold import pinyin_slug

from .conftest import PORTAL_YML, UNIT_YML, item


@pytest.fixture
def site(tree, monkeypatch):
    root = tree({
        "portal.yml": None,
        "units/qzfb/unit.yml": "name: 测试区人民政府办公室\nshort_name: 区府办\nkind: department\n",
        "units/fgj/unit.yml": UNIT_YML,
    })
    (root / "portal.yml").write_text(PORTAL_YML + "owner_unit: qzfb\n", encoding="utf-8")
    monkeypatch.chdir(root / "units" / "fgj")  # an editor works inside their unit folder
    return root


def _new(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["new", *args])
    out = capsys.readouterr()
    return rc, out.out.strip(), out.err.strip()


@pytest.mark.parametrize(("what", "unit", "folder"), [
    ("工作动态", "区发展改革局", "news"),  # a column by its Chinese name, a unit by its short name
    ("news", "FGJ", "news"),  # the type `news` for a department is 工作动态, never 要闻; ids in any case
    ("政策文件", "测试区发展和改革局", "policies"),  # full name
    ("policy", "测试区发展计划局", "policies"),  # former name
    ("政策解读", "fgj", "interpretations"),
])
def test_names_and_aliases_land_in_the_units_own_column(site, capsys, what, unit, folder):
    rc, out, err = _new(capsys, what, "--unit", unit, "--title", "项目推进会", "--date", "2024年3月5日")
    assert rc == 0, err
    assert out == f"content/units/fgj/{folder}/2024-03-05-xiang-mu-tui-jin-hui.md"


def test_a_department_can_never_file_into_the_portal_owners_column(site, capsys):
    rc, _, err = _new(capsys, "news", "--unit", "fgj", "--column", "要闻", "--title", "x")
    assert rc == 2 and "只由门户主管单位发布" in err and "news（工作动态）" in err
    assert not (site / "units/fgj/headlines").exists()
    # written by hand, it is an error at check time
    (site / "units/fgj/headlines").mkdir()
    (site / "units/fgj/headlines/a.md").write_text(item("title: 动态\ndate: 2024-03-05"), encoding="utf-8")
    assert [d.rule for d in check(site).errors] == ["E214"]
    rc, out, _ = _new(capsys, "要闻", "--unit", "区府办", "--title", "全区会议")
    assert rc == 0 and "/qzfb/headlines/" in out  # the portal's owner may


def test_unknown_names_suggest_and_list_the_choices(site, capsys):
    rc, _, err = _new(capsys, "news", "--unit", "区发展改革居", "--title", "x")
    assert rc == 2 and "未知单位" in err and "您是否要写：“区发展改革局”" in err and "fgj（区发展改革局）" in err
    rc, _, err = _new(capsys, "工作动太", "--unit", "fgj", "--title", "x")
    assert rc == 2 and "您是否要写：“工作动态”" in err and "可选栏目" in err and "headlines" not in err
    rc, _, err = _new(capsys, "news", "--unit", "fgj", "--title", "x", "--date", "2026年13月2日")
    assert rc == 2 and "无法识别或不存在" in err and "20240305" in err


def test_scaffold_marks_required_fields_and_check_warns_on_the_placeholder(site, capsys):
    rc, path, _ = _new(capsys, "办事指南", "--unit", "fgj", "--title", "企业投资项目备案", "--date", "20240305")
    assert rc == 0
    text = (site.parent / path).read_text(encoding="utf-8")
    for name in ("basis", "conditions", "materials", "steps", "promised_days", "fees", "location", "phone"):
        assert f"\n{name}:  # 必填 " in text
    assert main(["check", path.removeprefix("content/units/fgj/")]) == 1
    out = capsys.readouterr().out
    e302 = next(line for line in out.splitlines() if "E302" in line)  # one line names every missing element
    assert out.count("E302") == 1 and "W215 占位文字未替换：正文仍是占位文字" in out
    for name in ("basis", "conditions", "materials", "steps", "promised_days", "fees", "location", "phone"):
        assert name in e302, name


def test_pinyin_slugs_are_readable_stable_and_unique():
    assert pinyin_slug("项目推进", "2026-11-20") == "2026-11-20-xiang-mu-tui-jin"
    assert (pinyin_slug("关于2024年Word文档的通知", "2024-01-02")
            == "2024-01-02-guan-yu-2024-nian-word-wen-dang-de-tong-zhi")
    assert pinyin_slug("绿色出行", "2024-01-02") == "2024-01-02-lv-se-chu-xing"
    assert pinyin_slug("项目推进", "2026-11-20", {"2026-11-20-xiang-mu-tui-jin"}) == "2026-11-20-xiang-mu-tui-jin-2"
    assert pinyin_slug("！？", "2026-11-20") == "2026-11-20-item"
    assert len(pinyin_slug("很" * 100, "2026-11-20")) <= 60
