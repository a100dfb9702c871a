"""改革成效: the 政务服务 reform figures, computed from the catalog and the guides (docs/services.md).

A matter counts through the guide that serves it (`Index.guide_for`): its 到现场次数, 容缺受理 flag, 法定 and
承诺 time limits and online handling. Every figure has a definition (`DEFINITIONS`) shown beside its table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..model.content import Guide
from ..stages.index import Index

#: figure id → its zh definition (shown on the page under the table).
DEFINITIONS = {
    "types": "公开事项按事项性质（权力类型，matters.yml 的 power）和事项类别（权责清单、公共服务）计数；"
             "二级事项单独计数。",
    "visits": "有办事指南且填写了到办事现场次数（visits）的事项中：到现场 0 次为“零跑动”，不超过 1 次为“最多跑一次”"
              "（含零跑动）。占比 = 事项数 ÷ 填写了到现场次数的事项数。",
    "tolerance": "办事指南 tolerance 为 true（可容缺受理，且列明了可容缺材料）的事项数，按实施单位统计。",
    "speed": "同时填写了法定和承诺办结时限（工作日）的事项：压缩时限 = Σ（法定 − 承诺）；"
             "提速率 = Σ（法定 − 承诺）÷ Σ 法定；"
             "提速事项为承诺时限短于法定时限的事项。",
    "online": "办事指南填写了网上办理地址的事项为“可网上办理”；网上办理深度为 4 级的为“全程网办”。",
}


@dataclass
class UnitReform:
    """One unit's figures (all counts are matters)."""

    matters: int = 0
    guided: int = 0
    visits_known: int = 0
    zero_visit: int = 0
    one_visit: int = 0  # at most one visit, zero included
    tolerance: int = 0
    timed: int = 0
    sped_up: int = 0
    legal_days: int = 0
    promised_days: int = 0
    online: int = 0
    full_online: int = 0

    @property
    def saved_days(self) -> int:
        return self.legal_days - self.promised_days


@dataclass
class Reform:
    """The portal's reform figures: totals plus one `UnitReform` per unit with matters."""

    total: UnitReform = field(default_factory=UnitReform)
    units: dict[str, UnitReform] = field(default_factory=dict)
    by_power: Counter = field(default_factory=Counter)  # power id ("" = not stated) → matters
    by_category: Counter = field(default_factory=Counter)
    by_unit_power: Counter = field(default_factory=Counter)  # (unit, power) → matters
    sub_matters: int = 0


def figures(ix: Index) -> Reform:
    """Compute every 改革成效 figure from the index."""
    r = Reform()
    for m in ix.matters.values():
        u = r.units.setdefault(m.unit, UnitReform())
        r.by_power[m.power or ""] += 1
        r.by_category[m.category] += 1
        r.by_unit_power[(m.unit, m.power or "")] += 1
        r.sub_matters += bool(m.parent)
        g = ix.guide_for(m)
        for t in (u, r.total):
            _add(t, g)
    return r


def _add(t: UnitReform, g: Guide | None) -> None:
    t.matters += 1
    if g is None:
        return
    t.guided += 1
    if g.visits is not None:
        t.visits_known += 1
        t.zero_visit += g.visits == 0
        t.one_visit += g.visits <= 1
    t.tolerance += bool(g.tolerance and g.tolerance_materials)
    if g.legal_days is not None and g.promised_days is not None:
        t.timed += 1
        t.legal_days += g.legal_days
        t.promised_days += g.promised_days
        t.sped_up += g.promised_days < g.legal_days
    if g.online_url:
        t.online += 1
        t.full_online += g.online_depth == 4


def share(part: int, whole: int) -> str:
    """A percentage with one decimal, or — when there is nothing to divide."""
    return f"{100 * part / whole:.1f}%" if whole else "—"
