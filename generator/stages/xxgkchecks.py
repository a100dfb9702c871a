"""Checks of the 政府信息公开 records that span several fields: a document's 公开属性 and its reason, and the
arithmetic of a 年报's fixed tables (国办公开办函〔2021〕30号 format).

Each check returns (keypath, rule, message) tuples; validate.py reports them at the field's source line.
"""

from __future__ import annotations

from typing import Any

from ..model.content import AnnualTables, ApplicantRow, Item, RequestTable, ReviewRow, fields_of

Finding = tuple[tuple[Any, ...], str, str]


def check_openness(it: Item) -> list[Finding]:
    """A document that is not 主动公开 states why (条例 第十四条至第十六条)."""
    if it.openness != "active" and not it.exemption:
        return [(("openness",), "E410", "")]
    if it.openness == "active" and it.exemption:
        return [(("exemption",), "W411", "")]
    return []


def _zh(cls: type, name: str) -> str:
    return fields_of(cls)[name].zh


def check_tables(t: AnnualTables) -> list[Finding]:
    """Rows and totals of the fixed tables agree."""
    out: list[Finding] = []
    req = t.requests
    rows = [n for n in fields_of(RequestTable)]
    for name in rows:  # the total column of every row is the sum of the applicant columns
        row: ApplicantRow = getattr(req, name)
        parts = sum(getattr(row, c) for c in ApplicantRow.COLUMNS)
        if row.total != parts:
            out.append((("tables", "requests", name, "total"), "E412",
                        f"“{_zh(RequestTable, name)}”总计 {row.total}，各类申请人之和 {parts}"))
    for col in (*ApplicantRow.COLUMNS, "total"):
        label = _zh(ApplicantRow, col)
        results = sum(getattr(getattr(req, r), col) for r in RequestTable.RESULTS)
        total = getattr(req.results_total, col)
        if total != results:
            out.append((("tables", "requests", "results_total", col), "E413",
                        f"“{label}”列：办理结果总计 {total}，各项之和 {results}"))
        inflow = getattr(req.new, col) + getattr(req.carried_in, col)
        outflow = total + getattr(req.carried_out, col)
        if inflow != outflow:
            out.append((("tables", "requests", "carried_out", col), "E414",
                        f"“{label}”列：本年新收 {getattr(req.new, col)} + 上年结转 {getattr(req.carried_in, col)} = "
                        f"{inflow}，办理结果总计 {total} + 结转下年 {getattr(req.carried_out, col)} = {outflow}"))
    for name in fields_of(type(t.reviews)):
        row: ReviewRow = getattr(t.reviews, name)
        parts = sum(getattr(row, p) for p in ReviewRow.PARTS)
        if row.total != parts:
            out.append((("tables", "reviews", name, "total"), "E415",
                        f"“{_zh(type(t.reviews), name)}”总计 {row.total}，各项之和 {parts}"))
    return out


def rollup(tables: list[AnnualTables]) -> AnnualTables:
    """The sum of several units' tables (the portal-wide figures of a year)."""
    total = AnnualTables()

    def add(into: Any, other: Any) -> None:
        for name in fields_of(type(into)):
            a, b = getattr(into, name), getattr(other, name)
            if isinstance(a, int):
                setattr(into, name, a + b)
            elif isinstance(a, str):
                setattr(into, name, _fmt(float(a) + float(b)))
            else:
                add(a, b)

    for t in tables:
        add(total, t)
    return total


def _fmt(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")
