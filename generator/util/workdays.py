"""Working days (工作日) between two dates: Monday to Friday, minus statutory holidays, plus 调休 working weekends.

The 留言办理 time limits are counted in working days. The holiday calendar changes every year (国务院办公厅
publishes it each November), so it is data: portal.yml `holidays` and `makeup_workdays`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


class Calendar:
    """A working-day calendar."""

    def __init__(self, holidays: Iterable[str | dt.date] = (), makeup: Iterable[str | dt.date] = ()):
        self.holidays = {_day(d) for d in holidays}
        self.makeup = {_day(d) for d in makeup}

    def is_workday(self, d: dt.date) -> bool:
        if d in self.makeup:
            return True
        return d.weekday() < 5 and d not in self.holidays

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (the day a message arrives does not count);
        0 when `end` is not after `start`."""
        if end <= start:
            return 0
        days = (end - start).days
        weeks, rest = divmod(days, 7)
        n = weeks * 5
        d = start + dt.timedelta(days=weeks * 7)
        for _ in range(rest):
            d += dt.timedelta(days=1)
            n += d.weekday() < 5
        n -= sum(1 for h in self.holidays if start < h <= end and h.weekday() < 5)
        n += sum(1 for m in self.makeup if start < m <= end and m.weekday() >= 5)
        return n


def _day(d: str | dt.date) -> dt.date:
    return d if isinstance(d, dt.date) else dt.date.fromisoformat(d)
