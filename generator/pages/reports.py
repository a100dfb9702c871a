"""The 年报 roll-up: for each year, which units filed their 政府信息公开工作年度报告, when, and whether late.

条例 第五十条: each body publishes its annual report for year Y by 31 January of Y+1. A report's year is the
first four-digit year in its title (“…2025年政府信息公开工作年度报告”), else the year before it was published.
The units expected to file are those expected to publish in the reports column (taxonomy `expected`, or
a unit.yml `columns` list).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..model import urls
from ..model.content import Item
from ..util.clock import reference_date
from .base import Context, PageKind, PageSpec, builder, crumbs, day

REPORTS = PageKind("reports", "reports.html")
COLUMN = "reports"  # the taxonomy column of the annual reports

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")


def report_year(it: Item) -> int:
    """The year a report covers."""
    m = _YEAR.search(it.title)
    return int(m.group(1)) if m else it.date.year - 1


def deadline(year: int) -> dt.date:
    """The last day to publish the report of `year` (条例 第五十条)."""
    return dt.date(year + 1, 1, 31)


@dataclass
class Filing:
    unit: str  # display name
    unit_url: str
    kind: str  # 部门 / 街道
    report: dict[str, str] | None  # the list row of the report, or None when missing
    late: bool


@builder(order=87)
def reports(ctx: Context) -> None:
    ix = ctx.ix
    if ctx.tax.column(COLUMN) is None:
        return
    today = reference_date()
    by_unit_year: dict[tuple[str, int], Item] = {}
    for it in ix.by_column.get(COLUMN, []):  # newest first: keep the first report a unit filed for a year
        by_unit_year.setdefault((it.unit, report_year(it)), it)
    # Every year from the first report on to the last one due (a year nobody filed for is shown too).
    filed_years = {y for _, y in by_unit_year}
    last = today.year - 1 if deadline(today.year - 1) < today else today.year - 2
    years = set(range(min(filed_years, default=last), max([last, *filed_years]) + 1))
    expected = [u for u in ix.units.values() if COLUMN in ix.expected_columns(u)]
    index_rows = []
    for year in sorted(years, reverse=True):
        filings = []
        for unit in expected:
            it = by_unit_year.get((unit.id, year))
            filings.append(Filing(unit.display_name, ix.unit_urls[unit.id], ctx.tax.label("kinds", unit.kind),
                                  ctx.entry(it, False) if it else None,
                                  bool(it and it.date.date() > deadline(year))))
        due = deadline(year) < today
        filed = sum(f.report is not None for f in filings)
        late = sum(f.late for f in filings)
        summary = [("应报单位", len(filings)), ("已发布", filed), ("逾期发布", late),
                   ("未发布" if due else "尚未发布", len(filings) - filed)]
        title = f"{year}年政府信息公开工作年度报告发布情况"
        ctx.add(PageSpec(urls.reports_url(year), title, REPORTS, {
            "title": title, "year": year, "deadline": day(deadline(year)), "due": due, "summary": summary,
            "filings": filings, "years": [{"year": y, "url": urls.reports_url(y)} for y in sorted(years, reverse=True)],
            "crumbs": crumbs(("年报发布情况", urls.REPORTS), (f"{year}年", None)),
        }, {"ColumnName": "政府信息公开年报", "ColumnType": "信息公开", "ColumnDescription": title}))
        index_rows.append({"year": year, "url": urls.reports_url(year), "expected": len(filings), "filed": filed,
                           "late": late, "due": due})
    title = "政府信息公开工作年度报告发布情况"
    ctx.add(PageSpec(urls.REPORTS, title, REPORTS, {
        "title": title, "year": None, "rows": index_rows,
        "column": urls.column_url(COLUMN), "crumbs": crumbs(("年报发布情况", None)),
    }, {"ColumnName": "政府信息公开年报", "ColumnType": "信息公开", "ColumnDescription": title}))
