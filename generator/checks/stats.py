"""Figures computed from the index: the e导通 statistics, the 谁起草、谁解读 sync report, catalog coverage,
update freshness and the service heat map. Pure functions of the Index (and a reference date), shared by the
statistics pages and the inspection report so both always show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..model.content import Interpretation, Policy
from ..stages.index import Index
from ..util.clock import reference_date

# --------------------------------------------------------------------------- 谁起草、谁解读


@dataclass
class SyncRow:
    """Normative policies of one unit in one year and how they were interpreted."""

    unit: str
    year: int
    normative: int = 0
    interpreted: int = 0
    same_day: int = 0


@dataclass
class Sync:
    """The sync report: rows per unit and year, totals, gaps and late interpretations."""

    rows: list[SyncRow] = field(default_factory=list)
    total: SyncRow = field(default_factory=lambda: SyncRow("", 0))
    gaps: list[Policy] = field(default_factory=list)  # normative, no interpretation
    late: list[tuple[Policy, Interpretation, int]] = field(default_factory=list)  # first interpretation, days late
    foreign: list[tuple[Policy, Interpretation]] = field(default_factory=list)  # interpreted by another unit


def sync_report(ix: Index) -> Sync:
    """Per unit and year: normative policies, those interpreted, those interpreted the same day."""
    rows: dict[tuple[str, int], SyncRow] = {}
    out = Sync()
    for it in ix.items.values():
        if not (isinstance(it, Policy) and it.normative):
            continue
        key = (it.unit, it.date.year)
        row = rows.setdefault(key, SyncRow(*key))
        row.normative += 1
        interps = ix.interpretations.get(it.id, [])
        drafters = {it.unit, *it.issuers}  # 谁起草、谁解读: a drafting unit (joint issuers too) interprets
        own = [i for i in interps if i.unit in drafters]
        out.foreign += [(it, i) for i in interps if i.unit not in drafters]
        if not own:
            out.gaps.append(it)
            continue
        row.interpreted += 1
        first = min(own, key=lambda i: i.date)
        days = (first.date.date() - it.date.date()).days
        if days <= 0:
            row.same_day += 1
        else:
            out.late.append((it, first, days))
    out.rows = sorted(rows.values(), key=lambda r: (r.unit, r.year))
    for r in out.rows:
        out.total.normative += r.normative
        out.total.interpreted += r.interpreted
        out.total.same_day += r.same_day
    out.gaps.sort(key=lambda p: (p.unit, p.date))
    return out


# --------------------------------------------------------------------------- e导通 figures


@dataclass
class Freshness:
    """When a unit last published in a column it is expected to keep up to date."""

    unit: str
    column: str
    last: dt.date | None
    days: int | None  # since last, at the reference date
    cadence: int

    @property
    def stale(self) -> bool:
        """Not updated within the column's cadence (a blank column is not 'stale', it is blank)."""
        return self.days is not None and self.days > self.cadence

    @property
    def blank(self) -> bool:
        """An expected column with nothing published."""
        return self.last is None


@dataclass
class Figures:
    """Everything the statistics pages show."""

    today: dt.date
    by_year: Counter = field(default_factory=Counter)
    by_column: Counter = field(default_factory=Counter)
    by_disclosure: Counter = field(default_factory=Counter)
    by_domain: Counter = field(default_factory=Counter)
    by_level: Counter = field(default_factory=Counter)
    by_unit: Counter = field(default_factory=Counter)
    unit_column: dict[tuple[str, str], int] = field(default_factory=dict)
    unit_column_year: dict[tuple[str, str, int], int] = field(default_factory=dict)
    catalog: dict[str, tuple[int, int]] = field(default_factory=dict)  # unit -> (matters, with content)
    uncovered: list[str] = field(default_factory=list)  # matter keys with no published item
    freshness: list[Freshness] = field(default_factory=list)


def figures(ix: Index, today: dt.date | None = None) -> Figures:
    """Counts by unit × column × year, by 五公开, domain and level, catalog coverage and freshness."""
    f = Figures(today=today or reference_date())
    ucy: Counter = Counter()
    for it in ix.items.values():
        unit = ix.units[it.unit]
        f.by_year[it.date.year] += 1
        f.by_column[it.column] += 1
        f.by_disclosure[it.disclosure or ""] += 1
        for d in it.domains:
            f.by_domain[d] += 1
        f.by_level[unit.level or ""] += 1
        f.by_unit[it.unit] += 1
        ucy[(it.unit, it.column, it.date.year)] += 1
    f.unit_column_year = dict(ucy)
    uc: Counter = Counter()
    for (u, c, _), n in ucy.items():
        uc[(u, c)] += n
    f.unit_column = dict(uc)
    covered = {k for k, its in ix.items_by_matter.items() if its}
    for m in ix.matters.values():
        if m.guide and m.guide in ix.items:
            covered.add(m.key)
    per_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for m in ix.matters.values():
        per_unit[m.unit][0] += 1
        if m.key in covered:
            per_unit[m.unit][1] += 1
        else:
            f.uncovered.append(m.key)
    f.catalog = {u: (a, b) for u, (a, b) in per_unit.items()}
    f.freshness = freshness(ix, f.today)
    return f


def freshness(ix: Index, today: dt.date) -> list[Freshness]:
    """For every unit and expected column: the last publish date and the days since."""
    out = []
    for unit in ix.units.values():
        for cid in ix.expected_columns(unit):
            column = ix.taxonomy.column(cid)
            if column is None:
                continue
            its = ix.by_unit_column.get((unit.id, cid), [])
            last = its[0].date.date() if its else None
            days = (today - last).days if last else None
            out.append(Freshness(unit.id, cid, last, days, column.cadence_days))
    return out


# --------------------------------------------------------------------------- service heat map


@dataclass
class HeatMap:
    """Visits per matter and month (from content/data/service-visits.csv), busiest matters first."""

    months: list[str] = field(default_factory=list)
    matters: list[str] = field(default_factory=list)  # matter keys, by total visits descending
    cells: dict[tuple[str, str], int] = field(default_factory=dict)  # (matter, month) -> visits
    totals: dict[str, int] = field(default_factory=dict)


def heat_map(ix: Index, top: int = 25) -> HeatMap:
    """Aggregate the visit rows (summing duplicates) into a month × matter grid of the busiest matters."""
    cells: Counter = Counter()
    for row in ix.visits:
        cells[(row.matter, row.month)] += row.count
    totals: Counter = Counter()
    for (m, _), n in cells.items():
        totals[m] += n
    hm = HeatMap()
    hm.matters = [m for m, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    keep = set(hm.matters)
    hm.months = sorted({mo for (m, mo) in cells if m in keep})
    hm.cells = {k: v for k, v in cells.items() if k[0] in keep}
    hm.totals = {m: totals[m] for m in hm.matters}
    return hm
