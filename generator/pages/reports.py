"""The 年报 roll-up: for each year, which units filed their 政府信息公开工作年度报告, when, and whether late,
with the portal-wide sum of the structured tables (see checks/annual.py for the rules)."""

from __future__ import annotations

from ..checks import annual
from ..model import urls
from ..model.content import Report
from ..stages.xxgkchecks import rollup
from ..util.clock import reference_date
from .annualtables import table_rows
from .base import Context, PageKind, PageSpec, builder, crumbs, day

REPORTS = PageKind("reports", "reports.html")


@builder(order=87)
def reports(ctx: Context) -> None:
    ix = ctx.ix
    if ctx.tax.column(annual.COLUMN) is None:
        return
    today = reference_date()
    all_years = annual.years(ix, today)
    index_rows = []
    meta = {"ColumnName": "政府信息公开年报", "ColumnType": "信息公开"}
    for year in all_years:
        filings = annual.filings(ix, year)
        rows = [{"unit": f.unit.display_name, "unit_url": ix.unit_urls[f.unit.id],
                 "kind": ctx.tax.label("kinds", f.unit.kind),
                 "report": ctx.entry(f.report, False) if f.report else None, "late": f.late} for f in filings]
        due = annual.deadline(year) < today
        filed = sum(f.report is not None for f in filings)
        late = sum(f.late for f in filings)
        structured = [f.report.tables for f in filings if isinstance(f.report, Report) and f.report.tables]
        summary = [("应报单位", len(filings)), ("已发布", filed), ("逾期发布", late),
                   ("未发布" if due else "尚未发布", len(filings) - filed)]
        title = f"{year}年政府信息公开工作年度报告发布情况"
        ctx.add(PageSpec(urls.reports_url(year), title, REPORTS, {
            "title": title, "year": year, "deadline": day(annual.deadline(year)), "due": due, "summary": summary,
            "filings": rows, "years": [{"year": y, "url": urls.reports_url(y)} for y in all_years],
            "tables": table_rows(rollup(structured)) if structured else None, "structured": len(structured),
            "crumbs": crumbs(("年报发布情况", urls.REPORTS), (f"{year}年", None)),
        }, meta | {"ColumnDescription": title}))
        index_rows.append({"year": year, "url": urls.reports_url(year), "expected": len(filings), "filed": filed,
                           "late": late, "due": due})
    title = "政府信息公开工作年度报告发布情况"
    ctx.add(PageSpec(urls.REPORTS, title, REPORTS, {
        "title": title, "year": None, "rows": index_rows,
        "column": urls.column_url(annual.COLUMN), "crumbs": crumbs(("年报发布情况", None)),
    }, meta | {"ColumnDescription": title}))
