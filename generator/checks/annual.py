"""年报 filing: which units filed their 政府信息公开工作年度报告 for a year, when, and whether on time.

条例 第五十条: each body publishes its annual report for year Y by 31 January of Y+1. A report's year is
its `year` field, else the first four-digit year in its title (“…2025年政府信息公开工作年度报告”), else the
year before it was published. The units expected to file are those expected to publish in the reports
column (taxonomy `expected`, or a unit.yml `columns` list).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..model.content import Item, Unit
from ..stages.index import Index

COLUMN = "reports"  # the taxonomy column of the annual reports
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")


def report_year(it: Item) -> int:
    """The year a report covers."""
    year = getattr(it, "year", None)
    if year:
        return year
    m = _YEAR.search(it.title)
    return int(m.group(1)) if m else it.date.year - 1


def deadline(year: int) -> dt.date:
    """The last day to publish the report of `year` (条例 第五十条)."""
    return dt.date(year + 1, 1, 31)


@dataclass
class Filing:
    unit: Unit
    report: Item | None  # None: missing

    @property
    def late(self) -> bool:
        return self.report is not None and self.report.date.date() > deadline(report_year(self.report))


def expected_units(ix: Index) -> list[Unit]:
    return [u for u in ix.units.values() if COLUMN in ix.expected_columns(u)]


def reports_by_unit_year(ix: Index) -> dict[tuple[str, int], Item]:
    """The report each unit filed for each year (the newest first: one per unit and year)."""
    out: dict[tuple[str, int], Item] = {}
    for it in ix.by_column.get(COLUMN, []):
        out.setdefault((it.unit, report_year(it)), it)
    return out


def years(ix: Index, today: dt.date) -> list[int]:
    """Every year from the first report on to the last one due, newest first (a year nobody filed for too)."""
    filed = {y for _, y in reports_by_unit_year(ix)}
    last = last_due_year(today)
    return sorted(range(min(filed, default=last), max([last, *filed]) + 1), reverse=True)


def last_due_year(today: dt.date) -> int:
    """The newest year whose report deadline has passed."""
    return today.year - 1 if deadline(today.year - 1) < today else today.year - 2


def filings(ix: Index, year: int) -> list[Filing]:
    """Each expected unit's filing for a year."""
    reports = reports_by_unit_year(ix)
    return [Filing(u, reports.get((u.id, year))) for u in expected_units(ix)]
