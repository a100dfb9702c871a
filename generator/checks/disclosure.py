"""政府信息公开 figures over the index: which 第二十条 items each unit covers, and its 主动公开率."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.content import Article20Item, Unit
from ..stages.index import Index


@dataclass
class Coverage:
    """One 第二十条 item for one unit."""

    item: Article20Item
    count: int  # items the unit published in the item's columns
    exempt: str | None  # the unit's reason when it declared the item not applicable

    @property
    def state(self) -> str:
        if self.count:
            return "covered"
        return "exempt" if self.exempt else "missing"


def profile_complete(unit: Unit) -> bool:
    """第二十条第（二）项 (functions, address, hours, phone, leaders) is published by the unit page."""
    return bool(unit.responsibilities and unit.contact.phone and unit.contact.address and unit.leaders)


def coverage(ix: Index, unit: Unit) -> list[Coverage]:
    """The unit's coverage of every 第二十条 item."""
    exempt = {e.item: e.reason for e in unit.article20_exempt}
    out = []
    for a in ix.taxonomy.article20:
        if a.columns:
            count = sum(len(ix.by_unit_column.get((unit.id, c), [])) for c in a.columns)
        else:
            count = 1 if profile_complete(unit) else 0
        out.append(Coverage(a, count, exempt.get(a.id)))
    return out


def departments(ix: Index) -> list[Unit]:
    """The units the 第二十条 check applies to (departments and streets; communities publish 居务公开)."""
    return [u for u in ix.units.values() if u.kind in ("department", "street")]


@dataclass
class Openness:
    active: int = 0
    on_request: int = 0
    withheld: int = 0

    @property
    def total(self) -> int:
        return self.active + self.on_request + self.withheld

    @property
    def rate(self) -> float | None:
        """主动公开率: 主动公开 / all 公文 with a 公开属性 (None when the unit has none)."""
        return self.active / self.total if self.total else None


def openness(ix: Index) -> dict[str, Openness]:
    """公文-type items per unit by 公开属性."""
    gongwen = set(ix.taxonomy.gongwen)
    out: dict[str, Openness] = {}
    for it in ix.items.values():
        if it.type not in gongwen and it.openness == "active":
            continue
        o = out.setdefault(it.unit, Openness())
        if it.openness == "active":
            o.active += 1
        elif it.openness == "on-request":
            o.on_request += 1
        else:
            o.withheld += 1
    return out
