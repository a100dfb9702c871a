"""The fixed tables of a 年报 (国办公开办函〔2021〕30号) laid out as the official format prints them, for the
report's own page and the portal-wide roll-up (partials/annual-tables.html renders them)."""

from __future__ import annotations

from typing import Any

from ..model.content import (
    ActiveTable,
    AnnualTables,
    ApplicantRow,
    DocRow,
    RequestTable,
    ReviewRow,
    ReviewTable,
    fields_of,
)


def table_rows(t: AnnualTables) -> dict[str, Any]:
    """Table two, three and four as header and rows of cells."""
    a: ActiveTable = t.active
    active = {
        "docs": [[fields_of(ActiveTable)[n].zh, *(getattr(getattr(a, n), c) for c in fields_of(DocRow))]
                 for n in ("regulations", "normative")],
        "decisions": [[fields_of(ActiveTable)[n].zh.split("（")[0], getattr(a, n)]
                      for n in ("licensing", "punishment", "enforcement")],
        "fees": a.fees,
    }
    columns = [*ApplicantRow.COLUMNS, "total"]
    requests = [[fields_of(RequestTable)[n].zh, *(getattr(getattr(t.requests, n), c) for c in columns)]
                for n in fields_of(RequestTable)]
    reviews = [[getattr(getattr(t.reviews, n), p) for p in (*ReviewRow.PARTS, "total")]
               for n in fields_of(ReviewTable)]
    return {"active": active, "requests": requests, "reviews": reviews}
