"""互动交流 and 政务新媒体 figures: reply times in working days per unit, the 19号 互动回应 conditions, 征集
without feedback, and what the 政务新媒体 registry shows about its accounts.

Thresholds (国办秘函〔2019〕19号, 政府网站与政务新媒体检查指标; sources in docs/interaction.md):
- 互动回应差 (single veto): within the year before the inspection day, a valid message left unanswered for more
  than 3 months. A reply given more than 3 months after the message counts too: it was unanswered for that long.
- 政务新媒体 内容不更新 (single veto for the account): nothing published in the 2 weeks before the inspection day.
- The reply target in working days (portal.yml `reply_workdays`, default 10) is the portal's own commitment,
  not a 19号 figure: a reply later than that is reported, not a veto.
- 调查征集: a consultation whose end date has passed without its 采纳情况 is reported (19号 scores 结果反馈).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..model.content import Consultation, Message
from ..stages.index import Index
from ..util.clock import reference_date
from ..util.workdays import Calendar

VETO_MONTHS = 3
LOOKBACK_DAYS = 365
NEWMEDIA_STALE_DAYS = 14


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)  # pragma: no cover


@dataclass
class UnitResponse:
    """One 受理单位's messages and consultations."""

    unit: str
    name: str
    messages: int = 0
    replied: int = 0
    open: int = 0
    workdays: list[int] = field(default_factory=list)  # per replied message
    late: int = 0  # replied (or still open) beyond reply_workdays
    veto: int = 0  # unanswered beyond 3 months within the year
    consultations: int = 0
    without_feedback: int = 0

    @property
    def average(self) -> float | None:
        return round(sum(self.workdays) / len(self.workdays), 1) if self.workdays else None

    @property
    def longest(self) -> int | None:
        return max(self.workdays) if self.workdays else None


@dataclass
class Interaction:
    """Everything the statistics and the inspection show about 互动交流 and 政务新媒体."""

    today: dt.date
    reply_workdays: int
    units: list[UnitResponse] = field(default_factory=list)  # units with messages or consultations
    late: list[dict[str, Any]] = field(default_factory=list)  # unit, id, title, received, replied, workdays
    unanswered: list[dict[str, Any]] = field(default_factory=list)  # the 19号 single-veto condition
    no_feedback: list[dict[str, Any]] = field(default_factory=list)  # unit, id, title, end, days
    accounts: list[dict[str, Any]] = field(default_factory=list)  # unit, name, platform, problem, veto


def interaction(ix: Index, today: dt.date | None = None) -> Interaction:
    """Measure 互动交流 and the 政务新媒体 registry on the index."""
    today = today or reference_date()
    portal = ix.portal
    cal = Calendar(portal.holidays, portal.makeup_workdays)
    out = Interaction(today, portal.reply_workdays)
    rows: dict[str, UnitResponse] = {}

    def row(uid: str) -> UnitResponse:
        if uid not in rows:
            u = ix.units.get(uid)
            rows[uid] = UnitResponse(uid, u.display_name if u else uid)
        return rows[uid]

    since = today - dt.timedelta(days=LOOKBACK_DAYS)
    for it in ix.items.values():
        if isinstance(it, Message):
            r = row(it.handler or it.unit)
            r.messages += 1
            answered = it.status == "已办结" and it.replied is not None
            end = it.replied if answered and it.replied else today
            days = cal.between(it.received, end)
            ref = {"unit": r.unit, "id": it.id, "title": it.title, "url": ix.item_urls[it.id],
                   "received": it.received.isoformat(), "replied": it.replied.isoformat() if answered else None,
                   "workdays": days}
            if answered:
                r.replied += 1
                r.workdays.append(days)
            else:
                r.open += 1
            if days > portal.reply_workdays:
                r.late += 1
                out.late.append(ref)
            if it.received >= since and end > add_months(it.received, VETO_MONTHS):
                r.veto += 1
                out.unanswered.append(ref)
        elif isinstance(it, Consultation):
            r = row(it.unit)
            r.consultations += 1
            if it.end < today and not it.feedback:
                r.without_feedback += 1
                out.no_feedback.append({"unit": r.unit, "id": it.id, "title": it.title, "url": ix.item_urls[it.id],
                                        "end": it.end.isoformat(), "days": (today - it.end).days})
    order = list(ix.units)
    out.units = sorted(rows.values(), key=lambda r: order.index(r.unit) if r.unit in order else len(order))
    for uid, a in ix.accounts:
        base = {"unit": uid, "name": a.name, "platform": a.platform, "account_id": a.account_id}
        if not a.owner:
            out.accounts.append({**base, "problem": "未登记主办单位", "veto": False})
        if a.status == "已关停" and a.listed:
            out.accounts.append({**base, "problem": "账号已关停，仍在门户公布", "veto": False})
        if a.status != "已关停" and a.last_update and (today - a.last_update).days > NEWMEDIA_STALE_DAYS:
            days = (today - a.last_update).days
            out.accounts.append({**base, "problem": f"{days} 天未更新（超过 {NEWMEDIA_STALE_DAYS} 天）", "veto": True})
    return out
