"""The inspection report (巡查): the national inspection indicators (国办秘函〔2019〕19号) measured on the
content and, when given, on the built site — per unit and for the portal, with single-veto verdicts.

Single-veto thresholds (any one makes a unit 有单项否决风险):
- ≥ 5 time-critical columns not updated in time (动态/要闻 within 14 days, 通知公告/政策文件 within 180 days:
  the taxonomy columns whose cadence is at most 180 days);
- ≥ 10 columns that should be updated but are not (any expected column past its cadence);
- ≥ 5 blank columns (an expected column with nothing published).
Portal level: the home page (the newest 要闻/动态/通知公告) not updated within 14 days is a single veto.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from ..model.diagnostics import Diagnostic
from ..stages.index import Index
from ..util.clock import reference_date
from . import annual, disclosure, stats
from .interaction import Interaction, interaction
from .linkcheck import LinkReport

HOME_CADENCE = 14
HOME_COLUMNS = ("headlines", "news", "notices")
TIME_CRITICAL_CADENCE = 180
VETO_STALE_CRITICAL = 5
VETO_STALE_ANY = 10
VETO_BLANK = 5
PASS, RISK = "合格", "有单项否决风险"


@dataclass
class UnitFindings:
    """Everything found for one unit."""

    unit: str
    name: str
    kind: str
    stale: list[dict[str, Any]] = field(default_factory=list)  # column, last, days, cadence
    stale_critical: int = 0
    blank: list[str] = field(default_factory=list)  # column names
    guide_gaps: list[str] = field(default_factory=list)  # "path:line 缺少…"
    undated: list[str] = field(default_factory=list)
    uninterpreted: list[dict[str, str]] = field(default_factory=list)  # title, url
    one_way: list[dict[str, str]] = field(default_factory=list)  # policy/interpretation not linked back
    broken_links: int = 0
    uncovered_matters: int = 0
    late_replies: list[dict[str, Any]] = field(default_factory=list)  # beyond portal.yml reply_workdays
    unanswered: list[dict[str, Any]] = field(default_factory=list)  # > 3 months within a year: 互动回应差
    no_feedback: list[dict[str, Any]] = field(default_factory=list)  # 征集 ended without 采纳情况
    wording: list[str] = field(default_factory=list)  # E420 findings: "path:line:col message" (严重错误)
    newmedia: list[dict[str, Any]] = field(default_factory=list)  # registry findings
    article20_missing: list[str] = field(default_factory=list)  # 第二十条 items with no column or content
    annual_report: str | None = None  # the last due 年报 missing or late (条例 第五十条)
    no_disclosure_guide: bool = False  # no 政府信息公开指南 in unit.yml (条例 第十二条)
    blank_folders: list[str] = field(default_factory=list)  # where a blank column's items would go
    uncovered: list[str] = field(default_factory=list)  # "matters.yml:line 事项编号 名称"
    broken: list[str] = field(default_factory=list)  # "page → link（源文件 path:line:col）"
    verdict: str = PASS
    reasons: list[str] = field(default_factory=list)


@dataclass
class Inspection:
    """The whole report."""

    today: str
    home_last: str | None
    home_days: int | None
    home_stale: bool
    units: list[UnitFindings]
    totals: dict[str, int]
    yearly: list[dict[str, Any]]  # the 网站工作年度报表-style public figures
    links_checked: bool = False
    pages: int = 0
    links: int = 0
    broken: int = 0

    @property
    def risky(self) -> list[UnitFindings]:
        """Units with a single-veto risk."""
        return [u for u in self.units if u.verdict == RISK]

    @property
    def verdict(self) -> str:
        """The portal's verdict: at risk when the home page is stale or any unit is."""
        return RISK if (self.home_stale or self.risky) else PASS

    def to_json(self) -> str:
        """Machine-readable form."""
        doc = asdict(self)
        doc["verdict"] = self.verdict
        return json.dumps(doc, ensure_ascii=False, indent=2, default=str)


def inspect(
    ix: Index,
    diagnostics: list[Diagnostic] | None = None,
    today: dt.date | None = None,
    links: LinkReport | None = None,
    site_pages: dict[str, str] | None = None,
    figures: stats.Figures | None = None,
    sync: stats.Sync | None = None,
    talk: Interaction | None = None,
) -> Inspection:
    """Measure the inspection indicators. `site_pages` (url -> HTML) enables the both-ways link check;
    `figures` and `sync` pass what the statistics pages already computed for the same index and day."""
    today = today or reference_date()
    diagnostics = diagnostics or []
    tax = ix.taxonomy
    figures = figures if figures is not None and figures.today == today else stats.figures(ix, today)
    sync = sync if sync is not None else stats.sync_report(ix)
    talk = talk if talk is not None and talk.today == today else interaction(ix, today)
    units: dict[str, UnitFindings] = {}
    for u in ix.units.values():
        if u.kind != "community":
            units[u.id] = UnitFindings(u.id, u.name, tax.label("kinds", u.kind))

    for fr in figures.freshness:
        f = units.get(fr.unit)
        if f is None:
            continue
        column = tax.column(fr.column)
        name = column.name if column else fr.column
        folder = f"content/{ix.units[fr.unit].path}/{fr.column}/" if fr.unit in ix.units else ""
        if fr.blank:
            f.blank.append(name)
            f.blank_folders.append(folder)
        elif fr.stale:
            newest = ix.by_unit_column.get((fr.unit, fr.column), [])
            f.stale.append(
                {
                    "column": name,
                    "last": fr.last.isoformat() if fr.last else None,
                    "days": fr.days,
                    "cadence": fr.cadence,
                    "folder": folder,
                    "newest": str(newest[0].src) if newest else "",
                }
            )
            if fr.cadence <= TIME_CRITICAL_CADENCE:
                f.stale_critical += 1

    folder_units = {u.path: u.id for u in ix.units.values()}
    for d in diagnostics:
        owner = _owner(d.path, folder_units)
        f = units.get(owner) if owner else None
        if f is None:
            continue
        if d.rule == "E302":
            f.guide_gaps.append(f"{d.path}:{d.line} {d.message}")
        elif d.rule in ("E102", "E105") and "date（" in d.message:
            f.undated.append(f"{d.path}:{d.line}")
        elif d.rule == "E420" and d.severity == "error":  # not when portal.yml lowered it
            f.wording.append(f"{d.path}:{d.line}:{d.col} {d.message}")

    for key, rows in (("late_replies", talk.late), ("unanswered", talk.unanswered),
                      ("no_feedback", talk.no_feedback), ("newmedia", talk.accounts)):
        for r in rows:
            owner = _street_or_self(ix, r["unit"])
            if owner in units:
                getattr(units[owner], key).append(r)

    for p in sync.gaps:
        owner = _street_or_self(ix, p.unit)
        if owner in units:
            units[owner].uninterpreted.append({"title": p.title, "url": ix.item_urls[p.id], "source": str(p.src)})
    if site_pages is not None:
        for policy_id, interps in ix.interpretations.items():
            purl = ix.item_urls[policy_id]
            for it in interps:
                iurl = ix.item_urls[it.id]
                forward = _links_to(site_pages.get(purl, ""), purl, iurl)
                back = _links_to(site_pages.get(iurl, ""), iurl, purl)
                if not (forward and back):
                    owner = _street_or_self(ix, ix.items[policy_id].unit)
                    if owner in units:
                        units[owner].one_way.append({"policy": purl, "interpretation": iurl,
                                                     "policy_source": str(ix.items[policy_id].src),
                                                     "interpretation_source": str(it.src)})

    if links is not None:
        for b in links.broken:
            owner = _street_or_self(ix, b.page.split("/", 1)[0])
            if owner in units:
                from ..stages.bodylinks import source_of

                units[owner].broken_links += 1
                where = source_of(ix, b.page, b.link)
                units[owner].broken.append(f"{b.page} → {b.link}" + (f"（源文件 {where}）" if where else ""))
    for key in figures.uncovered:
        owner = _street_or_self(ix, key.split("/", 1)[0])
        if owner in units:
            units[owner].uncovered_matters += 1
            m = ix.matters.get(key)
            if m is not None:
                units[owner].uncovered.append(f"{m.src.path}:{m.src.line} {m.id} {m.name}")

    last_year = annual.last_due_year(today)
    for filing in annual.filings(ix, last_year):
        f = units.get(filing.unit.id)
        if f is None:
            continue
        if filing.report is None:
            f.annual_report = f"{last_year}年度报告未发布（应于 {annual.deadline(last_year).isoformat()} 前发布）"
        elif filing.late:
            f.annual_report = (f"{last_year}年度报告 {filing.report.date.date().isoformat()} 发布，晚于 "
                               f"{annual.deadline(last_year).isoformat()}")
    for u in disclosure.departments(ix):
        f = units.get(u.id)
        if f is not None:
            f.no_disclosure_guide = u.xxgk is None
            f.article20_missing = [f"{c.item.article} {c.item.name}" for c in disclosure.coverage(ix, u)
                                   if c.state == "missing"]

    for f in units.values():
        if f.stale_critical >= VETO_STALE_CRITICAL:
            f.reasons.append(
                f"动态、要闻、通知公告、政策文件类栏目未及时更新 {f.stale_critical} 个（≥{VETO_STALE_CRITICAL}）"
            )
        if len(f.stale) >= VETO_STALE_ANY:
            f.reasons.append(f"应更新未更新栏目 {len(f.stale)} 个（≥{VETO_STALE_ANY}）")
        if len(f.blank) >= VETO_BLANK:
            f.reasons.append(f"空白栏目 {len(f.blank)} 个（≥{VETO_BLANK}）")
        if f.guide_gaps:
            f.reasons.append(f"办事指南要素缺失 {len(f.guide_gaps)} 处")
        if f.one_way:
            f.reasons.append(f"政策文件与解读未相互关联 {len(f.one_way)} 处")
        if f.unanswered:
            f.reasons.append(f"互动回应差：一年内有 {len(f.unanswered)} 条留言超过 3 个月未答复")
        if f.wording:
            f.reasons.append(f"严重错误：校对词表查出 {len(f.wording)} 处错误表述")
        stale_accounts = [a for a in f.newmedia if a["veto"]]
        if stale_accounts:
            f.reasons.append(f"政务新媒体超过 2 周未更新 {len(stale_accounts)} 个")
        f.verdict = RISK if f.reasons else PASS

    home = [it for c in HOME_COLUMNS for it in ix.by_column.get(c, [])[:1]]
    home_last = max((it.date.date() for it in home), default=None)
    home_days = (today - home_last).days if home_last else None
    yearly = _yearly(ix)
    ordered = sorted(units.values(), key=lambda f: (f.verdict == PASS, -len(f.reasons), f.unit))
    totals = {
        "units": len(units),
        "risky": sum(f.verdict == RISK for f in units.values()),
        "stale": sum(len(f.stale) for f in units.values()),
        "blank": sum(len(f.blank) for f in units.values()),
        "guide_gaps": sum(len(f.guide_gaps) for f in units.values()),
        "undated": sum(len(f.undated) for f in units.values()),
        "uninterpreted": len(sync.gaps),
        "one_way": sum(len(f.one_way) for f in units.values()),
        "broken_links": len(links.broken) if links else 0,
        "uncovered_matters": len(figures.uncovered),
        "late_replies": len(talk.late),
        "unanswered": len(talk.unanswered),
        "no_feedback": len(talk.no_feedback),
        "wording": sum(len(f.wording) for f in units.values()),
        "newmedia": len(talk.accounts),
        "article20_missing": sum(len(f.article20_missing) for f in units.values()),
        "annual_reports": sum(f.annual_report is not None for f in units.values()),
        "no_disclosure_guide": sum(f.no_disclosure_guide for f in units.values()),
    }
    return Inspection(
        today=today.isoformat(),
        home_last=home_last.isoformat() if home_last else None,
        home_days=home_days,
        home_stale=home_days is None or home_days > HOME_CADENCE,
        units=ordered,
        totals=totals,
        yearly=yearly,
        links_checked=links is not None,
        pages=links.pages if links else 0,
        links=links.links if links else 0,
        broken=len(links.broken) if links else 0,
    )


def _owner(path: str, folders: dict[str, str]) -> str | None:
    """The unit whose content folder holds a diagnostic's file."""
    marker = "units/"
    i = path.find(marker)
    if i < 0:
        return None
    rel = path[i:]
    best = None
    for folder, uid in folders.items():
        if rel.startswith(folder + "/") and (best is None or len(folder) > len(best[0])):
            best = (folder, uid)
    return best[1] if best else None


def _street_or_self(ix: Index, unit_id: str) -> str:
    """Communities report through their street."""
    u = ix.units.get(unit_id)
    return u.parent if u is not None and u.kind == "community" and u.parent else unit_id


def _links_to(html: str, from_url: str, to_url: str) -> bool:
    """Does a page's HTML link to a URL (relative or absolute)?"""
    from ..util.markup import relative_url

    return f'href="{relative_url(from_url, to_url)}"' in html or f'href="{to_url}"' in html


def _yearly(ix: Index) -> list[dict[str, Any]]:
    """Per year: items published, by column, interpretations, guides, normative policies (年度报表 figures)."""
    from ..model.content import Guide, Interpretation, Policy

    years: dict[int, dict[str, Any]] = {}
    for it in ix.items.values():
        y = years.setdefault(
            it.date.year,
            {"year": it.date.year, "total": 0, "columns": {}, "interpretations": 0, "guides": 0, "normative": 0},
        )
        y["total"] += 1
        y["columns"][it.column] = y["columns"].get(it.column, 0) + 1
        y["interpretations"] += isinstance(it, Interpretation)
        y["guides"] += isinstance(it, Guide)
        y["normative"] += isinstance(it, Policy) and it.normative
    return [years[y] for y in sorted(years, reverse=True)]


#: What an editor does about each kind of finding.
FIX_HINTS = {
    "stale": "在该栏目发布新内容（portal new 栏目名 --unit 单位），或在 taxonomy.yml 中核对更新周期",
    "blank": "在该栏目目录中发布第一篇内容；本单位确实不开设该栏目时，在 unit.yml 的 columns 中列出实际开设的栏目",
    "guide": "补齐办事指南的各项要素（见 portal check 的 E302）",
    "uninterpreted": "发布解读（portal new 政策解读 --unit 单位），interprets 写政策的编号或文号",
    "one_way": "在政策页面链接解读、在解读页面链接政策（正文中写 [标题](@编号)）",
    "uncovered": "发布与该事项相关的内容，并在其 matters 字段写事项编号；或在 matters.yml 的 guide 中写办事指南编号",
    "broken": "修改源文件中的链接（portal check 报告 E216 的行）",
}


def _thresholds(f: UnitFindings) -> str:
    return (f"时效栏目超期 {f.stale_critical}/{VETO_STALE_CRITICAL}，应更新未更新 {len(f.stale)}/{VETO_STALE_ANY}，"
            f"空白栏目 {len(f.blank)}/{VETO_BLANK}（达到任一门槛即单项否决）")


def format_text(report: Inspection, unit: str | None = None) -> str:
    """The report for people (Chinese). With `unit`, that unit only, every count expanded into its list."""
    lines = [f"巡查日期：{report.today}"]
    if unit is None:
        if report.home_last:
            state = (f"超过 {HOME_CADENCE} 天未更新（单项否决）" if report.home_stale
                     else f"正常（门槛：{HOME_CADENCE} 天）")
            lines.append(f"首页最近更新：{report.home_last}（{report.home_days} 天前），{state}")
        else:
            lines.append("首页没有任何要闻、动态或通知公告（单项否决）")
    if report.links_checked:
        lines.append(f"链接检查：{report.pages} 个页面，{report.links} 个链接，失效 {report.broken} 个")
    t = report.totals
    if unit is None:
        lines.append(
            f"单位：{t['units']} 个，有单项否决风险 {t['risky']} 个；超期栏目 {t['stale']} 个，"
            f"空白栏目 {t['blank']} 个，缺少解读的规范性文件 {t['uninterpreted']} 件，"
            f"未关联事项 {t['uncovered_matters']} 项，法定主动公开内容缺项 {t['article20_missing']} 项，"
            f"年报未按时发布 {t['annual_reports']} 个单位"
            "（用 --unit 单位编号 列出每一项）"
        )
        lines.append(
            f"互动交流：超期答复 {t['late_replies']} 条，超过 3 个月未答复 {t['unanswered']} 条，"
            f"未反馈采纳情况的征集 {t['no_feedback']} 项；严重错误 {t['wording']} 处；政务新媒体问题 {t['newmedia']} 个"
        )
    lines.append("")
    for f in report.units:
        if unit is not None and f.unit != unit:
            continue
        if unit is None and f.verdict == PASS and not (f.stale or f.blank or f.uninterpreted or f.broken_links
                                                       or f.annual_report or f.no_disclosure_guide
                                                       or f.late_replies or f.no_feedback or f.newmedia):
            continue
        lines.append(f"{f.name}（{f.unit}）：{f.verdict}；{_thresholds(f)}")
        for r in f.reasons:
            lines.append(f"  否决风险：{r}")
        for s in f.stale:
            src = f"，最新一篇 {s['newest']}" if s.get("newest") else ""
            lines.append(f"  超期：{s['column']} 最近更新 {s['last']}，{s['days']} 天（要求 {s['cadence']} 天）"
                         f"，目录 {s.get('folder', '')}{src}")
        if f.stale:
            lines.append(f"    怎么办：{FIX_HINTS['stale']}")
        for b, folder in zip(f.blank, f.blank_folders or [""] * len(f.blank), strict=False):
            lines.append(f"  空白：{b}" + (f"（目录 {folder}）" if folder else ""))
        if f.blank:
            lines.append(f"    怎么办：{FIX_HINTS['blank']}")
        for g in f.guide_gaps:
            lines.append(f"  办事指南：{g}")
        if f.guide_gaps:
            lines.append(f"    怎么办：{FIX_HINTS['guide']}")
        for p in f.uninterpreted:
            lines.append(f"  缺少解读：{p['title']} {p.get('source') or p['url']}")
        if f.uninterpreted:
            lines.append(f"    怎么办：{FIX_HINTS['uninterpreted']}")
        for w in f.one_way:
            lines.append(f"  未相互关联：{w.get('policy_source') or w['policy']} ↔ "
                         f"{w.get('interpretation_source') or w['interpretation']}")
        if f.one_way:
            lines.append(f"    怎么办：{FIX_HINTS['one_way']}")
        if f.broken_links:
            lines.append(f"  失效链接：{f.broken_links} 个")
            if unit is not None:
                lines += [f"    {b}" for b in f.broken]
            lines.append(f"    怎么办：{FIX_HINTS['broken']}")
        if f.uncovered_matters:
            lines.append(f"  未关联事项：{f.uncovered_matters} 项")
            if unit is not None:
                lines += [f"    {m}" for m in f.uncovered]
            lines.append(f"    怎么办：{FIX_HINTS['uncovered']}")
        for m in f.unanswered:
            lines.append(f"  超过 3 个月未答复：{m['title']}（来信 {m['received']}）{m['url']}")
        for m in f.late_replies:
            state = f"答复 {m['replied']}" if m["replied"] else "尚未答复"
            lines.append(f"  超期答复：{m['title']}（来信 {m['received']}，{state}，{m['workdays']} 个工作日）")
        for c in f.no_feedback:
            lines.append(f"  征集未反馈：{c['title']}（{c['end']} 截止，{c['days']} 天未公开采纳情况）{c['url']}")
        for w in f.wording:
            lines.append(f"  严重错误：{w}")
        for a in f.newmedia:
            lines.append(f"  政务新媒体：{a['platform']}“{a['name']}” {a['problem']}")
        if f.annual_report:
            lines.append(f"  年报：{f.annual_report}")
        if f.no_disclosure_guide:
            lines.append("  未发布政府信息公开指南")
            lines.append("    怎么办：在 unit.yml 中填写 xxgk；portal new 信息公开指南 --unit 单位 可生成模板")
        if f.article20_missing:
            lines.append(f"  法定主动公开内容缺项：{len(f.article20_missing)} 项")
            if unit is not None:
                lines += [f"    {a}" for a in f.article20_missing]
            lines.append("    怎么办：在对应栏目发布该项内容；本单位确无该项内容的，"
                         "在 unit.yml 的 article20_exempt 中说明理由")
    lines.append("")
    if unit is None:
        lines.append(f"结论：{report.verdict}")
    else:
        found = next((f for f in report.units if f.unit == unit), None)
        lines.append(f"结论：{found.verdict if found else PASS}")
    return "\n".join(lines)
