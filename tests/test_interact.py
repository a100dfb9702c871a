"""互动交流: messages and consultations as content, personal data kept out, reply times in working days, the
19号 互动回应 conditions in `portal inspect`, and the portal-wide, per-unit and filtered pages."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checks.inspection import inspect
from generator.checks.interaction import add_months, interaction
from generator.pages.emit import emit
from generator.stages.pipeline import check
from generator.stages.wording import personal_data
from generator.util.workdays import Calendar

from .conftest import UNIT_YML, item

TODAY = dt.date(2026, 11, 28)
FGJ = UNIT_YML + "contact:\n  phone: 020-89089111\n"


def run(root):
    r = check(root, today=TODAY, display_base=root)
    return r, [(d.path, d.line, d.rule) for d in r.diagnostics]


def message(received="2026-11-02", replied="2026-11-06", status="已办结", reply="已答复。", extra=""):
    fm = f"title: 咨询停车收费\ndate: 2026-11-10\nreceived: {received}\nstatus: {status}\n"
    if replied:
        fm += f"replied: {replied}\n"
    if reply:
        fm += f"reply: {reply}\n"
    return item(fm + extra, "请问停车场收费标准？\n")


def test_a_message_and_a_consultation_are_typed_by_their_column(tree):
    root = tree({
        "units/fgj/unit.yml": FGJ,
        "units/fgj/messages/m1.md": message(extra="category: 投诉\nhandler: 测试街\n"),
        "units/fgj/consultations/c1.md": item("""
            title: 征求意见
            date: 2026-10-01
            start: 2026-10-01
            end: 2026年10月31日
            draft: files/draft.pdf
            feedback: 收到意见5条，采纳2条。
        """),
        "units/fgj/consultations/files/draft.pdf": b"%PDF-1.4\n",
    })
    r, diags = run(root)
    assert diags == []
    m = r.index.items["fgj/messages/m1"]
    assert (type(m).__name__, m.category, m.handler, m.received) == ("Message", "投诉", "ceshi", dt.date(2026, 11, 2))
    c = r.index.items["fgj/consultations/c1"]
    assert (type(c).__name__, c.end) == ("Consultation", dt.date(2026, 10, 31))
    assert r.index.attachments["fgj/consultations/c1"] == [("units/fgj/consultations/files/draft.pdf", "征求意见稿")]


def test_id_and_phone_numbers_are_rejected_where_they_are(tree):
    root = tree({
        "units/fgj/unit.yml": FGJ,
        "units/fgj/messages/id.md": message(reply="经核实，身份证号440105199003071234的申请人已办结。"),
        "units/fgj/messages/mobile.md": item(
            "title: 咨询\ndate: 2026-11-10\nreceived: 2026-11-02\nstatus: 办理中\n",
            "第一行。\n请回电 138 0013 8000 联系我。\n"),
        "units/fgj/messages/landline.md": message(reply="请致电 020-83334444 查询。"),
        "units/fgj/messages/public.md": message(reply="请致电本局 020-89089111 咨询。"),
    })
    r, diags = run(root)
    assert ("units/fgj/messages/id.md", 7, "E401") in diags
    assert ("units/fgj/messages/mobile.md", 8, "E402") in diags  # the body's second line
    assert ("units/fgj/messages/landline.md", 7, "E402") in diags
    assert not [d for d in diags if "public" in d[0]]
    published = set(r.index.items)
    assert published == {"fgj/messages/public"}  # the others are not published
    text = "\n".join(str(d) for d in r.diagnostics)
    assert "440105199003071234" not in text and "13800138000" not in text  # the diagnostic masks the number


def test_message_and_consultation_rules(tree):
    root = tree({
        "units/fgj/messages/early.md": message(received="2026-11-06", replied="2026-11-02"),
        "units/fgj/messages/noreply.md": message(reply=None, replied=None),
        "units/fgj/messages/badstatus.md": message(extra="category: 表扬\n"),
        "units/fgj/consultations/c.md": item("title: 征集\ndate: 2026-10-01\nstart: 2026-10-05\nend: 2026-10-01"),
    })
    _, diags = run(root)
    rules = {(p.rsplit("/", 1)[1], rule) for p, _, rule in diags}
    assert rules == {("early.md", "E403"), ("noreply.md", "E404"), ("badstatus.md", "E106"), ("c.md", "E403")}


@settings(max_examples=60, deadline=None, derandomize=True)
@given(start=st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)), span=st.integers(0, 60))
def test_working_days_count_weekdays_after_the_start(start, span):
    end = start + dt.timedelta(days=span)
    expected = sum((start + dt.timedelta(days=k)).weekday() < 5 for k in range(1, span + 1))
    assert Calendar().between(start, end) == expected


def test_holidays_and_makeup_days():
    cal = Calendar(["2026-10-01", "2026-10-02", "2026-10-05"], ["2026-10-10"])
    # 30 Sep (Wed) → 12 Oct (Mon): 8 weekdays, minus 3 holidays, plus the working Saturday
    assert cal.between(dt.date(2026, 9, 30), dt.date(2026, 10, 12)) == 6


@settings(max_examples=40, deadline=None, derandomize=True)
@given(d=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
def test_add_months_stays_in_the_month(d):
    later = add_months(d, 3)
    assert (later.year * 12 + later.month) - (d.year * 12 + d.month) == 3
    assert later.day == d.day or later.day < d.day


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.text(alphabet="0123456789 -，。的号码", max_size=40))
def test_personal_data_never_reports_a_public_number(text):
    found = personal_data(text + " 020-89089111", {"02089089111"})
    assert all("89089111" not in f for _, _, f in found)


def test_inspection_flags_late_replies_unanswered_messages_and_missing_feedback(tree):
    root = tree({
        "units/fgj/messages/ontime.md": message(received="2026-11-02", replied="2026-11-06"),  # 4 working days
        "units/fgj/messages/late.md": message(received="2026-10-01", replied="2026-10-30"),  # 21 working days
        "units/fgj/messages/open.md": message(received="2026-07-01", replied=None, reply=None, status="办理中"),
        "units/fgj/consultations/done.md": item("title: 已反馈\ndate: 2026-10-01\nstart: 2026-10-01\nend: 2026-10-20\n"
                                                "feedback: 采纳3条。"),
        "units/fgj/consultations/none.md": item("title: 未反馈\ndate: 2026-10-01\nstart: 2026-10-01\nend: 2026-10-20"),
        "units/fgj/consultations/running.md": item("title: 征集中\ndate: 2026-11-01\nstart: 2026-11-01\n"
                                                   "end: 2026-12-20"),
    })
    r, diags = run(root)
    assert diags == []
    talk = interaction(r.index, TODAY)
    (row,) = talk.units
    assert (row.messages, row.replied, row.open, sorted(row.workdays), row.late, row.veto) == (3, 2, 1, [4, 21], 2, 1)
    assert (row.average, row.longest) == (12.5, 21)
    assert [m["id"] for m in talk.unanswered] == ["fgj/messages/open"]
    assert [c["id"] for c in talk.no_feedback] == ["fgj/consultations/none"]
    report = inspect(r.index, r.diagnostics, TODAY)
    f = next(u for u in report.units if u.unit == "fgj")
    assert f.verdict == "有单项否决风险"
    assert any("互动回应差" in reason for reason in f.reasons)
    assert report.totals["late_replies"] == 2 and report.totals["no_feedback"] == 1


def test_a_reply_after_three_months_counts_as_unanswered(tree):
    root = tree({"units/fgj/messages/slow.md": message(received="2026-03-02", replied="2026-06-03")})
    r, _ = run(root)
    assert [m["id"] for m in interaction(r.index, TODAY).unanswered] == ["fgj/messages/slow"]
    root2 = tree({"units/fgj/messages/slow.md": message(received="2025-03-02", replied="2025-06-03")})
    r2, _ = run(root2)
    assert interaction(r2.index, TODAY).unanswered == []  # outside the year before the inspection day


def test_pages_portal_unit_and_filters(tree):
    root = tree({
        "units/fgj/messages/a.md": message(extra="category: 建议\n"),
        "units/fgj/messages/b.md": message(status="办理中", reply=None, replied=None),
        "units/ceshi/messages/c.md": message(),
        "units/fgj/consultations/c1.md": item("title: 征集\ndate: 2026-10-01\nstart: 2026-10-01\nend: 2026-10-20"),
    })
    r, diags = run(root)
    assert diags == []
    site = emit(r.index, r.diagnostics)
    pages = {p.url: p for p in site.pages if p.kind.name == "interact"}
    assert set(pages) == {"/interact/", "/interact/fgj/", "/interact/ceshi/", "/interact/by/category/zixun/",
                          "/interact/by/category/jianyi/", "/interact/by/status/banjie/",
                          "/interact/by/status/banli/", "/interact/by/year/2026/"}
    assert len(pages["/interact/"].data["messages"]) == 3
    assert [m["title"] for m in pages["/interact/by/status/banli/"].data["messages"]] == ["咨询停车收费"]
    assert {m["url"] for m in pages["/interact/fgj/"].data["messages"]} == {"/fgj/messages/a/", "/fgj/messages/b/"}
    assert pages["/interact/fgj/"].data["consultations"][0]["state"] in ("已截止，待反馈", "征集中", "已反馈", "未开始")
    (stats_page,) = [p for p in site.pages if p.url == "/stats/interaction/"]
    table = stats_page.data["sections"][0]["table"]
    assert [row[0]["t"] for row in table["rows"]] == ["区发展改革局", "测试街"]
    assert [row[1]["t"] for row in table["rows"]] == [2, 1]  # messages per 受理单位
    item_page = next(p for p in site.pages if p.url == "/fgj/messages/a/")
    assert item_page.data["reply"]["text"] == "已答复。"


EXPORT = """\ufeff信件编号,留言标题,留言内容,留言时间,办理单位,回复时间,回复内容,信件类型,处理状态,是否公开
HZ2026-0012,咨询积分入学材料,我的电话13800138000，请问需要什么材料？,2026/11/13 09:20:11,区发展改革局,\
2026/11/19,请致电 020-89089111 咨询。,咨询类,已回复,是
HZ2026-0013,投诉噪音,夜间施工噪音扰民,2026-11-14,区发展改革局,,,投诉,处理中,是
HZ2026-0014,不公开的信,内容,2026-11-15,区发展改革局,,,咨询,待处理,否
,缺日期,内容,,区发展改革局,,,咨询,待处理,是
"""


def test_csv_import_writes_valid_messages_and_hides_personal_data(tree):
    from generator.tools.messages_import import import_messages

    root = tree({"units/fgj/unit.yml": FGJ})
    out = import_messages(EXPORT, root / "units" / "fgj", public_numbers={"02089089111"})
    assert [p.name for p in out.written] == ["2026-11-13-hz2026-0012.md", "2026-11-14-hz2026-0013.md"]
    assert out.redacted == 1 and len(out.skipped) == 2
    r, diags = run(root)
    assert diags == []
    m = r.index.items["fgj/messages/2026-11-13-hz2026-0012"]
    assert (m.category, m.status, m.replied, m.handler) == ("咨询", "已办结", dt.date(2026, 11, 19), "fgj")
    assert "13800138000" not in m.body and "（个人信息已隐去）" in m.body
    assert "020-89089111" in m.reply  # the unit's published number stays
    assert r.index.items["fgj/messages/2026-11-14-hz2026-0013"].status == "办理中"
    again = import_messages(EXPORT, root / "units" / "fgj")
    assert again.written == [] and len(again.kept) == 2


def test_csv_import_column_map_override(tree):
    from generator.tools.messages_import import import_messages

    root = tree({})
    text = "主题词,日期\n路灯不亮,2026-11-01\n"
    assert import_messages(text, root / "units" / "fgj").written == []
    out = import_messages(text, root / "units" / "fgj", overrides={"title": "主题词", "received": "日期"})
    assert len(out.written) == 1
    _, diags = run(root)
    assert diags == []


def test_import_messages_command(tree, tmp_path, capsys):
    from generator.tools.cli import main

    root = tree({"units/fgj/unit.yml": FGJ})
    export = tmp_path / "export.csv"
    export.write_bytes(EXPORT.encode("gb18030"))  # 留言 systems often export GBK
    assert main(["import-messages", "--unit", "fgj", "--content", str(root), str(export)]) == 0
    assert "导入 2 条" in capsys.readouterr().out
    assert main(["import-messages", "--unit", "nope", "--content", str(root), str(export)]) == 2
