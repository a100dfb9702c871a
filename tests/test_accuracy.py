"""The accuracy check (校对词表, content/wordlist.yml): planted errors are all found at path:line:col with the
correction, the demo content has no false positive, quotations and allowed forms are exempt, the list is
validated."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model.content import WordEntry
from generator.stages.pipeline import check
from generator.stages.wording import WordChecker

from .conftest import CONTENT, item

TODAY = dt.date(2026, 11, 28)
WORDS = yaml.safe_load((CONTENT / "wordlist.yml").read_text(encoding="utf-8"))["words"]


def run(root):
    r = check(root, today=TODAY, display_base=root)
    return r, [(d.path, d.line, d.col, d.rule) for d in r.diagnostics]


def test_the_demo_content_has_no_false_positive():
    r = check(CONTENT, today=TODAY, display_base=CONTENT.parent)
    hits = [str(d) for d in r.diagnostics if d.rule in ("E420", "W421", "E422")]
    assert hits == []
    assert len(r.records.wordlist.words) == len(WORDS) >= 40


def test_every_planted_error_is_found_where_it_is(tree):
    files = {"wordlist.yml": (CONTENT / "wordlist.yml").read_text(encoding="utf-8")}
    for n, w in enumerate(WORDS):
        files[f"units/fgj/news/p{n}.md"] = item("title: 工作动态\ndate: 2026-11-01",
                                                f"第一段。\n\n本区各单位认真{w['wrong']}，取得成效。\n")
    root = tree(files)
    r, diags = run(root)
    found = {(p, line, col, rule) for p, line, col, rule in diags}
    expected = {(f"units/fgj/news/p{n}.md", 7, 8, "E420" if w.get("severity", "error") == "error" else "W421")
                for n, w in enumerate(WORDS)}
    assert found == expected  # 100% of planted errors, nothing else
    by_path = {d.path: d.message for d in r.diagnostics}
    for n, w in enumerate(WORDS):
        assert f"“{w['wrong']}”" in by_path[f"units/fgj/news/p{n}.md"]
        if w.get("right"):
            assert f"应为“{w['right']}”" in by_path[f"units/fgj/news/p{n}.md"]


def test_title_and_summary_positions_and_severity(tree):
    wl = "words:\n  - {wrong: 部暑, right: 部署}\n  - {wrong: 帐号, right: 账号, severity: warning}\n"
    root = tree({"wordlist.yml": wl,
                 "units/fgj/news/a.md": item("title: 全面部暑整改工作\ndate: 2026-11-01\nsummary: 公布帐号。")})
    r, diags = run(root)
    # 1-based columns of the characters: `title: ` is 7 wide, 部 is the value's third character
    assert diags == [("units/fgj/news/a.md", 2, 10, "E420"), ("units/fgj/news/a.md", 4, 12, "W421")]
    assert "fgj/news/a" in r.index.items  # reported, still published
    from generator.checks.inspection import inspect

    f = next(u for u in inspect(r.index, r.diagnostics, TODAY).units if u.unit == "fgj")
    assert len(f.wording) == 1 and any("严重错误" in reason for reason in f.reasons)  # the warning is not a veto


def test_quotations_and_allowed_forms_are_exempt(tree):
    wl = ("words:\n  - {wrong: 中华民国, kind: 政治表述}\n"
          "  - {wrong: 海珠区城市管理局, right: 海珠区城市管理和综合执法局, allow: [海珠区城市管理局（现]}\n"
          "  - {wrong: 管理局, right: 管理局长}\n")
    body = ("引用：“中华民国二十年” <!-- 引文 -->\n"
            "<!-- 引文开始 -->\n中华民国档案\n<!-- 引文结束 -->\n"
            "原海珠区城市管理局（现区城管执法局）。\n"
            "区管理局长出席。\n"
            "中华民国\n")
    root = tree({"wordlist.yml": wl, "units/fgj/news/a.md": item("title: 一\ndate: 2026-11-01", body)})
    _, diags = run(root)
    # only the last line; 管理局长 is the correction itself, so it is never an error
    assert diags == [("units/fgj/news/a.md", 11, 1, "E420")]


def test_the_word_list_is_validated(tree):
    wl = ("words:\n  - {wrong: 部暑, right: 部署}\n  - {wrong: 部暑, right: 部署}\n  - {wrong: 同样, right: 同样}\n"
          "  - {wrong: 错, right: 对}\n")
    _, diags = run(tree({"wordlist.yml": wl}))
    assert sorted((line, rule) for _, line, _, rule in diags) == [(3, "E422"), (4, "E422"), (5, "E422")]
    _, diags = run(tree({"wordlist.yml": "words:\n  - {wrong: 按排, severity: fatal}\n"}))
    assert [(line, rule) for _, line, _, rule in diags] == [(2, "E106")]
    _, diags = run(tree({"wordlist.yml": "words:\n  - {wrong: 既使, kind: 别字, 正确: 即使}\n"}))
    assert sorted(rule for *_, rule in diags) == ["E101", "E106"]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(prefix=st.text(alphabet="本区各单位认真落实工作，。的", max_size=30),
       suffix=st.text(alphabet="本区各单位认真落实工作，。的", max_size=30),
       word=st.sampled_from([w["wrong"] for w in WORDS]))
def test_a_planted_word_is_found_at_its_offset(prefix, suffix, word):
    checker = WordChecker(WordEntry(**{k: v for k, v in w.items() if k in ("wrong", "right", "allow")})
                          for w in WORDS)
    text = prefix + word + suffix
    offsets = [h.offset for h in checker.find(text) if h.entry.wrong == word]
    assert len(prefix) in offsets


def test_editing_the_word_list_rechecks_cached_items(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root, ignore=shutil.ignore_patterns("units"))
    (root / "units" / "fgj").mkdir(parents=True)
    shutil.copy(CONTENT / "units" / "fgj" / "unit.yml", root / "units" / "fgj" / "unit.yml")
    (root / "units" / "fgj" / "news").mkdir()
    (root / "units" / "fgj" / "news" / "a.md").write_text(item("title: 一\ndate: 2026-11-01", "海珠新风貌\n"),
                                                          encoding="utf-8")
    first = check(root, today=TODAY, display_base=tmp_path, use_cache=True)
    assert [d.rule for d in first.diagnostics if d.rule == "E420"] == []
    wl = Path(root / "wordlist.yml")
    wl.write_text(wl.read_text(encoding="utf-8") + "  - {wrong: 新风貌, right: 新面貌}\n", encoding="utf-8")
    second = check(root, today=TODAY, display_base=tmp_path, use_cache=True)
    assert [d.rule for d in second.diagnostics if d.rule == "E420"] == ["E420"]
