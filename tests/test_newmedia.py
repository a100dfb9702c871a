"""政务新媒体 registry: validated per unit, a portal page by unit and platform, and what the inspection reads."""

from __future__ import annotations

import datetime as dt

from generator.checks.interaction import interaction
from generator.pages.emit import emit
from generator.stages.pipeline import check

TODAY = dt.date(2026, 11, 28)
PNG = b"\x89PNG\r\n\x1a\n"

REGISTRY = """\
accounts:
  - platform: 微信公众号
    name: 测试发改
    account_id: cs_fgj
    qr: newmedia/fgj.png
    owner: fgj
    last_update: 2026-11-20
  - platform: 微博
    name: 测试发改微博
    account_id: csfgj
    last_update: 2026-10-01
  - platform: 抖音
    name: 已关停的号
    account_id: closed1
    owner: fgj
    status: 已关停
  - platform: 今日头条
    name: 已关停未撤下
    account_id: closed2
    owner: fgj
    status: 已关停
    listed: false
"""


def run(root):
    r = check(root, today=TODAY, display_base=root)
    return r, [(d.path, d.line, d.rule) for d in r.diagnostics]


def test_registry_page_groups_listed_accounts_by_unit_and_platform(tree):
    root = tree({"units/fgj/newmedia.yml": REGISTRY, "units/fgj/newmedia/fgj.png": PNG,
                 "units/ceshi/newmedia.yml": "accounts:\n  - {platform: 微信公众号, name: 测试街, account_id: csj, "
                                             "owner: ceshi}\n"})
    r, diags = run(root)
    assert diags == []
    site = emit(r.index, r.diagnostics)
    (page,) = [p for p in site.pages if p.url == "/newmedia/"]
    units = {u["id"]: {p["platform"]: [a["name"] for a in p["accounts"]] for p in u["platforms"]}
             for u in page.data["units"]}
    assert units == {"fgj": {"微信公众号": ["测试发改"], "微博": ["测试发改微博"]}, "ceshi": {"微信公众号": ["测试街"]}}
    assert page.data["units"][0]["platforms"][0]["accounts"][0]["qr"] == "/fgj/newmedia/fgj.png"
    assert any(f.dest == "fgj/newmedia/fgj.png" for f in site.files)


def test_inspection_reads_owner_closed_and_stale_accounts(tree):
    root = tree({"units/fgj/newmedia.yml": REGISTRY, "units/fgj/newmedia/fgj.png": PNG})
    r, _ = run(root)
    problems = {(a["name"], a["problem"].split("，")[0], a["veto"]) for a in interaction(r.index, TODAY).accounts}
    assert problems == {("测试发改微博", "未登记主办单位", False), ("测试发改微博", "58 天未更新（超过 14 天）", True),
                        ("已关停的号", "账号已关停", False)}


def test_bad_registries(tree):
    root = tree({
        "units/fgj/newmedia.yml": "accounts:\n  - {platform: 小红书, name: x, account_id: y}\n",
        "units/ceshi/newmedia.yml": "accounts:\n  - {platform: 微博, name: x, account_id: y, qr: newmedia/none.png}\n"
                                    "  - {platform: 微博, name: z, account_id: w, qr: ../fgj/unit.yml}\n",
    })
    _, diags = run(root)
    assert sorted(diags) == [("units/ceshi/newmedia.yml", 2, "E430"), ("units/ceshi/newmedia.yml", 3, "E209"),
                             ("units/fgj/newmedia.yml", 2, "E106")]
