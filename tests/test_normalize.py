"""The normalizer table: each processor changes only what it is meant to."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import normalize as n
from generator.model.content import Item, Policy, fields_of

CTX = n.Context(
    vocab={"disclosures": n.build_vocab_table([type("T", (), {"id": "execution", "name": "执行公开",
                                                                "aliases": ["执行"]})()])},
    units={"fgj": ("fgj", False), "区发展改革局": ("fgj", False), "区发展计划局": ("fgj", True)},
)


@pytest.mark.parametrize(("raw", "want"), [
    ("2019-07-10", "2019-07-10"),
    ("2019-7-10", "2019-07-10"),
    ("2019/07/10", "2019-07-10"),
    ("2019.07.10", "2019-07-10"),
    ("2019年7月10日", "2019-07-10"),
    ("2019年07月10日", "2019-07-10"),
    ("２０１９年７月１０日", "2019-07-10"),
    ("2019-07-10 9:30", "2019-07-10 09:30"),
    ("2019年7月10日 09时30分", "2019-07-10 09:30"),
    ("2019-07-10T09:30:00", "2019-07-10 09:30"),
    ("七月十日", "七月十日"),  # not understood: left for the validator to report
    ("2019-07", "2019-07"),
])
def test_dates(raw, want):
    assert n.date(raw, CTX)[0] == want


@pytest.mark.parametrize(("raw", "want"), [
    ("海府办[2019]12号", "海府办〔2019〕12号"),
    ("海府办(2019)12号", "海府办〔2019〕12号"),
    ("海府办（2019）12号", "海府办〔2019〕12号"),
    ("海府办【2019】12号", "海府办〔2019〕12号"),
    ("海府办 〔2019〕 12号", "海府办〔2019〕12号"),
    ("海府办〔2019〕12号", "海府办〔2019〕12号"),
])
def test_doc_numbers(raw, want):
    value, _ = n.apply(n.processors_for(fields_of(Policy)["doc_number"]), raw, CTX)
    assert value == want


def test_full_width_codes_and_text():
    assert n.code("０２０－８９０８９０００", CTX)[0] == "020-89089000"
    assert n.text("  政务  公开\u3000", CTX) == ("政务 公开", "去除多余空白")
    assert n.text("第一行\n第二行\n", CTX) == ("第一行\n第二行", "")  # block scalar's last newline is silent
    decomposed = "e\u0301"
    assert n.text(decomposed, CTX) == ("\u00e9", "Unicode 规范化")


def test_vocab_labels_are_silent_and_former_unit_names_are_reported():
    assert n.vocab_term("disclosures")("执行公开", CTX) == ("execution", "")
    assert n.vocab_term("disclosures")("执行", CTX) == ("execution", "")
    assert n.unit_ref("区发展改革局", CTX) == ("fgj", "")
    assert n.unit_ref("区发展计划局", CTX) == ("fgj", "曾用名换为单位编号")
    assert n.unit_ref("未知单位", CTX) == ("未知单位", "")


def test_processors_follow_the_schema():
    names = [p.__name__ for p in n.processors_for(fields_of(Item)["date"])]
    assert names == ["text", "date"]
    names = [p.__name__ for p in n.processors_for(fields_of(Policy)["issuers"])]
    assert names == ["text", "unit_ref"]
    names = [p.__name__ for p in n.processors_for(fields_of(Item)["title"])]
    assert names == ["text"]


@settings(max_examples=1000, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.sampled_from(["{y}-{m}-{d}", "{y}/{m:02d}/{d:02d}", "{y}.{m}.{d}", "{y}年{m}月{d}日",
                        "{y}年{m:02d}月{d:02d}日"]),
       st.one_of(st.none(), st.tuples(st.integers(0, 23), st.integers(0, 59))))
def test_date_normalizer_roundtrip(day, fmt, time):
    """Property: every accepted spelling of a date (and time) normalizes to the ISO form."""
    raw = fmt.format(y=day.year, m=day.month, d=day.day)
    want = day.isoformat()
    if time:
        raw += f" {time[0]}:{time[1]:02d}"
        want += f" {time[0]:02d}:{time[1]:02d}"
    assert n.date(raw, CTX)[0] == want


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=60))
def test_date_normalizer_never_raises_and_is_idempotent(raw):
    out, _ = n.date(raw, CTX)
    assert n.date(out, CTX)[0] == out


@pytest.mark.parametrize(("typed", "iso"), [
    ("20240305", "2024-03-05"),
    ("2024年3月5日 上午9:30", "2024-03-05 09:30"),
    ("2024年3月5日 下午3:30", "2024-03-05 15:30"),
    ("2024年3月5日下午3点", "2024-03-05 15:00"),
    ("2024年3月5日 14时30分", "2024-03-05 14:30"),
    ("2019-07-10 09:30:15", "2019-07-10 09:30"),
    ("２０２４年３月５日", "2024-03-05"),
])
def test_every_documented_date_form(typed, iso):


    assert n.date(typed, n.Context())[0] == iso


def test_portal_new_date_accepts_what_files_accept():
    from generator.model.normalize import DATE_FORMS
    from generator.tools.cli import parse_date

    for form in DATE_FORMS.replace("带时间：", "").replace("；", "、").split("、"):
        assert parse_date(form).year == 2024, form
    with pytest.raises(ValueError, match="无法识别或不存在"):
        parse_date("2026年13月2日")


@settings(derandomize=True, deadline=None, max_examples=300)
@given(day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)),
       hour=st.integers(0, 23), minute=st.integers(0, 59),
       form=st.sampled_from(["{y}-{m}-{d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y}{mm}{dd}", "{y}年{m}月{d}日"]),
       clock=st.sampled_from(["", " {H}:{M:02d}", " {half}{h}:{M:02d}", " {H}时{M}分"]))
def test_every_date_form_normalizes_to_the_same_day_and_time(day, hour, minute, form, clock):
    half, h = ("上午", hour) if hour < 12 else ("下午", hour - 12 if hour > 12 else 12)
    if clock and "{half}" in clock and hour == 0:
        half, h = "上午", 0
    text = form.format(y=day.year, m=day.month, d=day.day, mm=f"{day.month:02d}", dd=f"{day.day:02d}")
    text += clock.format(H=hour, M=minute, half=half, h=h)
    iso = n.date(text, n.Context())[0]
    expected = day.isoformat() + (f" {hour:02d}:{minute:02d}" if clock else "")
    assert iso == expected, text
