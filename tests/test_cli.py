"""`portal check`, `portal new`, `portal schema`, `portal rules` as an editor and pre-commit use them."""

from __future__ import annotations

import json
import os
import re

import pytest

from generator.tools.cli import main

from .conftest import item


@pytest.fixture
def in_dir(monkeypatch):
    def go(path):
        monkeypatch.chdir(path)
    return go


def test_check_text_output_sorted_with_summary(tree, in_dir, capsys):
    root = tree({
        "units/fgj/news/b.md": item("title: 一\ndate: 2019-02-30"),
        "units/fgj/news/a.md": item("title: 一\ndate: 2019-01-01\nfoo: 1"),
    })
    in_dir(root.parent)
    assert main(["check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("content/units/fgj/news/a.md:4:1: E101 未知字段：“foo”")
    assert out[1].startswith("content/units/fgj/news/b.md:3:1: E105 日期无法识别")
    assert out[-1] == "单位 3，文章 2，事项 0，错误 2，警告 0"


def test_check_json_has_the_same_diagnostics(tree, in_dir, capsys):
    root = tree({"units/fgj/news/a.md": item("title: 一\ndate: 2019-01-01\nfoo: 1")})
    in_dir(root.parent)
    assert main(["check", "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [(d["path"], d["line"], d["col"], d["rule"], d["severity"]) for d in doc["diagnostics"]] == [
        ("content/units/fgj/news/a.md", 4, 1, "E101", "error")]
    assert doc["summary"]["errors"] == 1


def test_check_exit_codes(tree, in_dir, capsys):
    root = tree({"units/fgj/news/a.md": item("title: 一\ndate: 2019-01-01")})
    in_dir(root.parent)
    assert main(["check"]) == 0
    with pytest.raises(SystemExit) as e:
        main(["check", "--format", "xml"])
    assert e.value.code == 2
    assert main(["check", "content/units/nope.md"]) == 2


def test_check_paths_reports_only_those_files_but_resolves_the_tree(tree, in_dir, capsys):
    root = tree({
        "units/fgj/policies/p.md": item("title: 办法\ndate: 2020-01-01"),
        "units/fgj/interpretations/i.md": item("title: 解读\ndate: 2020-01-01\ninterprets: fgj/policies/p"),
        "units/fgj/news/bad.md": item("title: 一\ndate: 2019-01-01\nfoo: 1"),
    })
    in_dir(root.parent)
    assert main(["check", "content/units/fgj/interpretations/i.md"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["已检查文件 1，单位 3，文章 3，事项 0，错误 0，警告 0"]
    assert main(["check", "content/units/fgj/news"]) == 1
    capsys.readouterr()
    # the same file named absolutely, a folder with a trailing slash, and `./`: the same selection
    for arg in (str(root / "units/fgj/news/bad.md"), "content/units/fgj/news/", "./content/units/fgj/"):
        assert main(["check", arg]) == 1
        assert capsys.readouterr().out.splitlines()[0].startswith("content/units/fgj/news/bad.md:")
    assert main(["check", "content/units/fgj/policies/"]) == 0


def test_show_normalized(tree, in_dir, capsys):
    root = tree({"units/fgj/policies/p.md": item("title: 办法\ndate: 2020年1月2日\ndoc_number: 海发改[2020]1号")})
    in_dir(root.parent)
    assert main(["check", "--show-normalized"]) == 0
    out = capsys.readouterr().out
    assert "content/units/fgj/policies/p.md:3:1: date: “2020年1月2日” → “2020-01-02”（日期格式统一）" in out
    assert "海发改〔2020〕1号" in out


def test_new_then_fill_then_check(tree, in_dir, capsys):
    root = tree()
    in_dir(root.parent)
    assert main(["new", "guide", "--unit", "fgj", "--title", "企业投资项目备案", "--date", "2026-11-01"]) == 0
    path = capsys.readouterr().out.strip()
    assert path.startswith("content/units/fgj/guides/2026-11-01-") and path.endswith(".md")
    assert main(["check", path]) == 1
    out = capsys.readouterr().out
    assert out.count("E302") == 1  # one diagnostic naming every missing 19号 element
    for element in ("设定依据", "受理条件", "申请材料", "办理流程", "办理时限", "收费标准", "办理地点和时间",
                    "咨询电话"):
        assert element in out
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for key, value in [("basis", "《条例》"), ("conditions", "企业"), ("steps", "网上申报"), ("promised_days", "0"),
                       ("fees", "不收费"), ("location", "区政务服务中心"), ("phone", "020-12345678")]:
        text = text.replace(f"{key}:  #", f"{key}: {value}  #", 1)
    text = re.sub(r"(?m)^materials:.*$", "materials:\n  - 备案申请表", text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    assert main(["check", path]) == 0
    assert main(["new", "policy", "--unit", "fgj", "--title", "关于推进政务公开的通知"]) == 0
    assert "/policies/" in capsys.readouterr().out
    assert main(["new", "nope", "--unit", "fgj", "--title", "x"]) == 2


def test_schema_is_written_from_the_model(tree, in_dir, tmp_path, capsys):
    root = tree()
    in_dir(root.parent)
    assert main(["schema", "--out", str(tmp_path / "s")]) == 0
    names = sorted(os.listdir(tmp_path / "s"))
    assert names == ["item.schema.json", "matters.schema.json", "newmedia.schema.json", "portal.schema.json",
                     "redirects.schema.json", "taxonomy.schema.json", "topic.schema.json", "unit.schema.json",
                     "wordlist.schema.json"]
    item_schema = json.loads((tmp_path / "s" / "item.schema.json").read_text(encoding="utf-8"))
    assert item_schema["properties"]["title"]["title"] == "标题"
    assert item_schema["additionalProperties"] is False
    assert "执行公开" in item_schema["properties"]["disclosure"]["enum"]
    guide = next(c for c in item_schema["allOf"] if c["if"]["properties"]["type"]["const"] == "guide")
    assert "phone" in guide["then"]["required"]


def test_rules_markdown(capsys):
    assert main(["rules", "--markdown"]) == 0
    assert "| E101 | 错误 | 未知字段 |" in capsys.readouterr().out


def test_check_cache_reuses_unchanged_items_and_sees_changes(tree, in_dir, capsys):
    root = tree({
        "units/fgj/policies/p.md": item("title: 办法\ndate: 2020-01-01\nnormative: true\ndoc_number: 测〔2020〕1号"),
        "units/fgj/interpretations/i.md": item("title: 解读\ndate: 2020-01-01\ninterprets: fgj/policies/p"),
    })
    in_dir(root.parent)
    assert main(["check"]) == 0
    assert list((root.parent / ".cache" / "portal").glob("check-*/fgj.pickle"))
    capsys.readouterr()
    # an unchanged tree: same answer from the cache
    assert main(["check"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "单位 3，文章 2，事项 0，错误 0，警告 0"
    # deleting the interpretation must surface W301 on the cached policy
    (root / "units/fgj/interpretations/i.md").unlink()
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "W301" in out and out.splitlines()[-1].endswith("警告 1")
    # editing a file is seen
    p = root / "units/fgj/policies/p.md"
    p.write_text(p.read_text(encoding="utf-8").replace("date: 2020-01-01", "date: 去年"), encoding="utf-8")
    assert main(["check"]) == 1
    assert "E105" in capsys.readouterr().out
    # a changed unit.yml (context) invalidates every cached record
    (root / "units/fgj/unit.yml").write_text("name: 测试区发展和改革局\nkind: 局\n", encoding="utf-8")
    assert main(["check"]) == 1
    assert "E104" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["build", "serve"])
def test_without_a_config_is_one_clear_line(tmp_path, in_dir, capsys, command):
    in_dir(tmp_path)
    assert main([command]) == 2  # no project at or above here: one Chinese line, exit 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "找不到门户项目" in err[0]
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "portal.yml").write_text("name: x\n", encoding="utf-8")
    assert main([command]) == 1  # a project without its mkdocs.yml
    err = [line for line in capsys.readouterr().err.strip().splitlines() if not line.startswith("INFO")]
    assert len(err) == 1 and "无法读取站点配置" in err[0] and "mkdocs.yml" in err[0]
    assert not (tmp_path / "site").exists()


def test_show_normalized_is_the_same_from_the_check_cache(tree, in_dir, capsys):
    # the second run takes every file's record from the cache; its normalization notes must come along
    matters = ("matters:\n- id: QT-001\n  name: 政府信息公开　 指南\n  content: 公开指南\n  basis: 条例\n"
               "  time_limit: 20个工作日\n  channels: [政府网站]\n  audience: 全社会\n  mode: 主动\n"
               "  levels: [区级]\n  disclosure: 管理公开\n  category: 权责清单\n  domain: 政务公开综合\n")
    root = tree({"units/fgj/matters.yml": matters,
                 "units/fgj/policies/p.md": item("title: 办法\ndate: 2020年1月2日")})
    in_dir(root.parent)
    runs = []
    for _ in range(2):
        main(["check", "--show-normalized"])
        runs.append([line for line in capsys.readouterr().out.splitlines() if "→" in line])
    assert runs[0] == runs[1]
    assert any(line.startswith("content/units/fgj/matters.yml:3:") for line in runs[0]), runs[0]
    assert any(line.startswith("content/units/fgj/policies/p.md:") for line in runs[0]), runs[0]


def test_check_finds_the_project_from_a_unit_folder_and_checks_what_it_names(tree, in_dir, capsys, tmp_path_factory):
    root = tree({"units/fgj/news/a.md": item("title: 一\ndate: 2019-13-01")})
    in_dir(root / "units" / "fgj")
    assert main(["check", "news/a.md"]) == 1  # relative to the unit folder, like git
    out = capsys.readouterr().out
    assert "content/units/fgj/news/a.md:3:1: E105" in out and "已检查文件 1" in out
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    in_dir(elsewhere)
    assert main(["check", str(root / "units/fgj/news/a.md")]) == 1  # absolute, from outside the project
    assert "E105" in capsys.readouterr().out
    assert main(["check"]) == 2  # no project here: one Chinese line, never a green summary
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "找不到门户项目" in err[0]
    in_dir(root / "units" / "fgj")
    (root / "units/fgj/news/notes.txt").write_text("x", encoding="utf-8")
    assert main(["check", "news/notes.txt"]) == 2  # not a content file: nothing checked is not a pass
    assert "未检查任何文件" in capsys.readouterr().err
    assert main(["check", "/etc"]) == 2
    assert "不在内容目录" in capsys.readouterr().err


def test_strict_policy_prints_the_severity_it_counts(tree, in_dir, capsys):
    root = tree({"units/fgj/policies/p.md": item("title: 办法\ndate: 2020-01-01\ndoc_number: 测发改〔2020〕1号\n"
                                                 "normative: true")})
    in_dir(root.parent)
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert ": W301 规范性文件缺少政策解读" in out and out.splitlines()[-1].endswith("错误 0，警告 1")
    assert main(["check", "--strict-policy"]) == 1
    out = capsys.readouterr().out
    assert ": W301（按错误处理） 规范性文件缺少政策解读" in out and out.splitlines()[-1].endswith("错误 1，警告 0")


def test_a_failed_build_speaks_chinese(tree, in_dir, capsys, tmp_path):
    root = tree({"units/fgj/news/a.md": item("title: 一\ndate: 2026年13月2日")})
    in_dir(root.parent)
    from .conftest import ROOT

    rc = main(["--content", str(root), "build", "-f", str(ROOT / "mkdocs.yml"), "--no-search",
               "--site-dir", str(tmp_path / "site")])
    assert rc == 1
    err = capsys.readouterr().err
    assert "Aborted" not in err and "BuildError" not in err and "WARNING" not in err
    assert "构建失败，未修改现有网站：内容有 1 处错误" in err


def test_usage_errors_are_one_chinese_line(capsys):
    with pytest.raises(SystemExit) as e:
        main(["new", "news", "--title", "x"])
    assert e.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["portal new：命令写法有误：缺少参数：--unit（用 portal new -h 查看用法）"]
