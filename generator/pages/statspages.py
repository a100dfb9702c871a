"""Emit the statistics and navigation pages (e导通): charts drawn as static SVG with the same numbers as
an HTML table below each chart. All figures come from stats.py.
"""

from __future__ import annotations

from typing import Any

from ..checks import disclosure, stats
from ..checks.interaction import interaction
from ..model import urls
from ..util import charts
from ..util.clock import reference_date
from ..util.markup import relative_url
from .base import Context, PageKind, PageSpec, builder, crumbs

STATS = PageKind("stats", "stats.html")


@builder(order=85)
def stats_pages(ctx: Context) -> None:
    StatsPages(ctx, ctx.diagnostics).emit()


def cell(text: Any, url: str | None = None, num: bool = False, cls: str = "") -> dict[str, Any]:
    """A table cell for the generic stats template."""
    return {"t": text, "u": url, "n": num, "c": cls}


def pct(part: int, whole: int) -> str:
    """A percentage with one decimal, or — when there is nothing to divide."""
    return f"{100 * part / whole:.1f}%" if whole else "—"


def subpages() -> list[dict[str, str]]:
    """The sub-navigation of the statistics pages (also used by generator/pages/reform.py)."""
    return [
        {"title": "总览", "url": urls.STATS},
        {"title": "单位×栏目×年度", "url": urls.stats_url("units")},
        {"title": "政策解读同步", "url": urls.stats_url("interpretation")},
        {"title": "事项清单覆盖", "url": urls.stats_url("catalog")},
        {"title": "更新及时性", "url": urls.stats_url("freshness")},
        {"title": "高频事项热力图", "url": urls.stats_url("services")},
        {"title": "改革成效", "url": urls.stats_url("reform")},
        {"title": "政府信息公开", "url": urls.stats_url("xxgk")},
        {"title": "网站巡查", "url": urls.INSPECTION},
        {"title": "年报发布情况", "url": urls.REPORTS},
    ]


class StatsPages:
    """Builds /stats/ and its sub-pages on the emitter."""

    def __init__(self, e: Context, diagnostics: list | None = None):
        self.e = e
        self.diagnostics = diagnostics or []
        self.ix = e.ix
        self.tax = e.tax
        self.f = stats.figures(self.ix)
        self.sync = stats.sync_report(self.ix)
        self.heat = stats.heat_map(self.ix)
        self.talk = e.shared("interaction", lambda: interaction(self.ix, reference_date()))

    def unit_name(self, uid: str) -> str:
        return self.ix.units[uid].display_name

    def add(
        self, url: str, title: str, sections: list[dict[str, Any]], summary: list[tuple[str, Any]], intro: str = ""
    ) -> None:
        trail = [("数据统计", urls.STATS), (title, None)] if url != urls.STATS else [("数据统计", None)]
        if url == urls.INSPECTION:
            trail = [("网站巡查", None)]
        self.e.add(
            PageSpec(
                url,
                title,
                STATS,
                {
                    "title": title,
                    "intro": intro,
                    "summary": summary,
                    "sections": sections,
                    "subpages": self.subpages(),
                    "as_of": self.f.today.isoformat(),
                    "crumbs": crumbs(*trail),
                },
                {"ColumnName": title, "ColumnType": "数据统计", "ColumnDescription": intro or title},
                nav=(70, "数据统计") if url == urls.STATS else None,
            )
        )

    def subpages(self) -> list[dict[str, str]]:
        extra = [{"title": "留言答复用时", "url": urls.stats_url("interaction")}] if self.talk.units else []
        return subpages() + extra

    def emit(self) -> None:
        self.overview()
        self.units_columns_years()
        self.interpretation()
        self.catalog()
        self.freshness()
        self.services()
        self.disclosure()
        self.inspection()
        self.interaction()

    def interaction(self) -> None:
        """Reply times in working days per 受理单位 (the figures `portal inspect` uses)."""
        t = self.talk
        if not t.units:
            return
        rows = [[cell(r.name, urls.interact_url(r.unit)), cell(r.messages, num=True), cell(r.replied, num=True),
                 cell(r.open, num=True), cell(r.average if r.average is not None else "—", num=True),
                 cell(r.longest if r.longest is not None else "—", num=True),
                 cell(r.late, num=True, cls="portal-bad" if r.late else ""),
                 cell(r.veto, num=True, cls="portal-bad" if r.veto else ""),
                 cell(r.without_feedback, num=True, cls="portal-bad" if r.without_feedback else "")]
                for r in t.units]
        days = [d for r in t.units for d in r.workdays]
        sections = [{"id": "reply-times", "title": "各单位留言答复用时（工作日）", "svg": "", "table": {
            "caption": f"留言答复用时（承诺 {t.reply_workdays} 个工作日内答复）",
            "head": ["受理单位", "留言", "已办结", "办理中", "平均用时", "最长用时", "超期", "超过3个月未答复",
                     "征集未反馈"],
            "rows": rows}}]
        summary = [("留言", sum(r.messages for r in t.units)), ("已办结", sum(r.replied for r in t.units)),
                   ("平均答复用时（工作日）", round(sum(days) / len(days), 1) if days else "—"),
                   ("超期答复", len(t.late)), ("超过3个月未答复", len(t.unanswered))]
        self.add(urls.stats_url("interaction"), "留言答复用时", sections, summary,
                 "网民留言从来信到答复的工作日数，按受理单位统计；节假日按 portal.yml 的 holidays 扣除。")

    # ------------------------------------------------------------------ pages

    def overview(self) -> None:
        f, tax, ix = self.f, self.tax, self.ix
        years = sorted(f.by_year)
        sections = [
            self.chart_section(
                "by-year", "按年度发布量", [(f"{y}", f.by_year[y]) for y in years], "年度", vertical=True
            ),
            self.chart_section(
                "by-disclosure",
                "按“五公开”类别",
                [(t.name, f.by_disclosure.get(t.id, 0)) for t in tax.disclosures],
                "类别",
            ),
            self.chart_section(
                "by-domain",
                "按重点领域（前15）",
                [
                    (tax.label("domains", d), n)
                    for d, n in sorted(f.by_domain.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
                ],
                "领域",
            ),
            self.chart_section("by-level", "按层级", [(t.name, f.by_level.get(t.id, 0)) for t in tax.levels], "层级"),
        ]
        cols = [c for c in self.e.columns if f.by_column.get(c.id)]
        rows = []
        for u in ix.units.values():
            if u.kind == "community" or not f.by_unit.get(u.id):
                continue
            rows.append(
                [cell(self.unit_name(u.id), ix.unit_urls[u.id])]
                + [
                    cell(
                        f.unit_column.get((u.id, c.id), 0),
                        urls.unit_column_url(ix.unit_urls[u.id], c.id) if f.unit_column.get((u.id, c.id)) else None,
                        num=True,
                    )
                    for c in cols
                ]
                + [cell(f.by_unit[u.id], num=True)]
            )
        community_total = sum(n for uid, n in f.by_unit.items() if ix.units[uid].kind == "community")
        sections.append(
            {
                "id": "unit-column",
                "title": "各单位各栏目信息量",
                "intro": f"部门和街道按栏目统计；社区居务公开另计 {community_total} 条。",
                "table": {
                    "caption": "各单位各栏目信息量",
                    "head": ["单位", *[c.name for c in cols], "合计"],
                    "rows": rows,
                },
            }
        )
        summary = [
            ("政府信息", len(ix.items)),
            ("发布单位", len([u for u in f.by_unit if f.by_unit[u]])),
            ("公开事项", len(ix.matters)),
            ("规范性文件解读率", pct(self.sync.total.interpreted, self.sync.total.normative)),
            ("事项覆盖率", pct(sum(b for _, b in f.catalog.values()), len(ix.matters))),
        ]
        self.add(
            urls.STATS,
            "数据统计",
            sections,
            summary,
            "全区政府信息公开数据总览：按年度、五公开类别、重点领域、层级和单位统计。",
        )

    def chart_section(
        self, sid: str, title: str, rows: list[tuple[str, int]], label: str, vertical: bool = False
    ) -> dict[str, Any]:
        svg = (charts.column_chart if vertical else charts.bar_chart)(f"chart-{sid}", title, rows)
        total = sum(v for _, v in rows)
        return {
            "id": sid,
            "title": title,
            "svg": svg,
            "table": {
                "caption": title,
                "head": [label, "信息数", "占比"],
                "rows": [[cell(k), cell(v, num=True), cell(pct(v, total), num=True)] for k, v in rows],
            },
        }

    def units_columns_years(self) -> None:
        f, ix = self.f, self.ix
        years = sorted(f.by_year, reverse=True)
        rows = []
        for u in ix.units.values():
            for c in self.e.columns:
                total = f.unit_column.get((u.id, c.id), 0)
                if not total:
                    continue
                rows.append(
                    [cell(self.unit_name(u.id), ix.unit_urls[u.id]),
                     cell(c.name, urls.unit_column_url(ix.unit_urls[u.id], c.id), cls="portal-nowrap")]
                    + [cell(f.unit_column_year.get((u.id, c.id, y), 0) or "", num=True) for y in years]
                    + [cell(total, num=True)]
                )
        self.add(
            urls.stats_url("units"),
            "单位×栏目×年度",
            [
                {
                    "id": "ucy",
                    "title": "各单位各栏目逐年信息量",
                    "table": {
                        "caption": "各单位各栏目逐年信息量",
                        "head": ["单位", "栏目", *[f"{y}年" for y in years], "合计"],
                        "rows": rows,
                    },
                }
            ],
            [("单位", len({r[0]["t"] for r in rows})), ("栏目组合", len(rows))],
        )

    def interpretation(self) -> None:
        s, ix = self.sync, self.ix
        rows = [
            [
                cell(self.unit_name(r.unit), ix.unit_urls[r.unit]),
                cell(r.year, num=True),
                cell(r.normative, num=True),
                cell(r.interpreted, num=True),
                cell(pct(r.interpreted, r.normative), num=True),
                cell(r.same_day, num=True),
                cell(pct(r.same_day, r.normative), num=True, cls="portal-bad" if r.same_day < r.normative else ""),
            ]
            for r in s.rows
        ]
        t = s.total
        sections: list[dict[str, Any]] = [
            {
                "id": "sync",
                "title": "各单位逐年解读情况",
                "intro": "按照“谁起草、谁解读”，规范性文件应由起草单位同步发布解读。同步解读指解读与文件同日发布。",
                "table": {
                    "caption": "各单位逐年解读情况",
                    "head": ["单位", "年度", "规范性文件", "已解读", "解读率", "同步解读", "同步解读率"],
                    "rows": rows,
                    "foot": [
                        cell("合计"),
                        cell(""),
                        cell(t.normative, num=True),
                        cell(t.interpreted, num=True),
                        cell(pct(t.interpreted, t.normative), num=True),
                        cell(t.same_day, num=True),
                        cell(pct(t.same_day, t.normative), num=True),
                    ],
                },
            },
            {
                "id": "gaps",
                "title": f"缺少解读的规范性文件（{len(s.gaps)}）",
                "list": [self.policy_entry(p) for p in s.gaps],
                "empty": "所有规范性文件均已由起草单位解读。",
            },
            {
                "id": "late",
                "title": f"解读晚于文件发布（{len(s.late)}）",
                "list": [self.policy_entry(p, f"晚 {days} 天：{i.title}", ix.item_urls[i.id]) for p, i, days in s.late],
                "empty": "没有解读晚于文件发布的情况。",
            },
        ]
        if s.foreign:
            sections.append(
                {
                    "id": "foreign",
                    "title": f"由非起草单位解读（{len(s.foreign)}）",
                    "list": [
                        self.policy_entry(p, f"解读单位：{self.unit_name(i.unit)}", ix.item_urls[i.id])
                        for p, i in s.foreign
                    ],
                }
            )
        self.add(
            urls.stats_url("interpretation"),
            "政策解读同步情况",
            sections,
            [
                ("规范性文件", t.normative),
                ("已解读", t.interpreted),
                ("解读率", pct(t.interpreted, t.normative)),
                ("同步解读率", pct(t.same_day, t.normative)),
                ("缺少解读", len(s.gaps)),
            ],
            "规范性文件与政策解读同步发布情况（谁起草、谁解读）。",
        )

    def policy_entry(self, p: Any, note: str = "", note_url: str | None = None) -> dict[str, Any]:
        return {
            "title": p.title,
            "url": self.ix.item_urls[p.id],
            "meta": f"{self.unit_name(p.unit)} · {p.doc_number or ''} · {p.date.strftime('%Y-%m-%d')}",
            "note": note,
            "note_url": note_url,
        }

    def catalog(self) -> None:
        f, ix = self.f, self.ix
        units = [u for u in ix.units if u in f.catalog]
        chart_rows = [
            (self.unit_name(u), round(100 * f.catalog[u][1] / f.catalog[u][0]) if f.catalog[u][0] else 0) for u in units
        ]
        rows = [
            [
                cell(self.unit_name(u), urls.facet_url("unit", u)),
                cell(f.catalog[u][0], num=True),
                cell(f.catalog[u][1], num=True),
                cell(pct(f.catalog[u][1], f.catalog[u][0]), num=True),
            ]
            for u in units
        ]
        uncovered = [ix.matters[k] for k in f.uncovered]
        total = len(ix.matters)
        covered = total - len(uncovered)
        self.add(
            urls.stats_url("catalog"),
            "事项清单覆盖情况",
            [
                {
                    "id": "coverage",
                    "title": "各单位事项覆盖率（%）",
                    "svg": charts.bar_chart("chart-coverage", "各单位事项覆盖率", chart_rows, unit="%"),
                    "table": {
                        "caption": "各单位事项覆盖率",
                        "head": ["单位", "事项数", "已有发布信息", "覆盖率"],
                        "rows": rows,
                    },
                },
                {
                    "id": "uncovered",
                    "title": f"尚无发布信息的事项（{len(uncovered)}）",
                    "intro": "以下事项在事项清单中，但还没有任何信息或办事指南关联到它们。",
                    "list": [
                        {"title": m.name, "url": urls.matter_url(m.unit, m.id), "meta": self.unit_name(m.unit)}
                        for m in uncovered
                    ],
                    "empty": "所有事项均有发布信息。",
                },
            ],
            [("公开事项", total), ("已有发布信息", covered), ("覆盖率", pct(covered, total))],
            "事项清单中的每一项是否已有对应的发布信息或办事指南。",
        )

    def freshness(self) -> None:
        ix = self.ix
        rows = []
        stale_by_unit: dict[str, int] = {}
        blank_by_unit: dict[str, int] = {}
        for fr in self.f.freshness:
            column = self.tax.column(fr.column)
            status = "空白" if fr.blank else ("超期" if fr.stale else "正常")
            if fr.stale:
                stale_by_unit[fr.unit] = stale_by_unit.get(fr.unit, 0) + 1
            if fr.blank:
                blank_by_unit[fr.unit] = blank_by_unit.get(fr.unit, 0) + 1
            rows.append(
                [
                    cell(self.unit_name(fr.unit), ix.unit_urls[fr.unit]),
                    cell(column.name if column else fr.column, urls.unit_column_url(ix.unit_urls[fr.unit], fr.column)),
                    cell(fr.last.isoformat() if fr.last else "—"),
                    cell(fr.days if fr.days is not None else "—", num=True),
                    cell(fr.cadence, num=True),
                    cell(status, cls="" if status == "正常" else "portal-bad"),
                ]
            )
        worst = sorted(
            set(stale_by_unit) | set(blank_by_unit),
            key=lambda u: (-(stale_by_unit.get(u, 0) + blank_by_unit.get(u, 0)), u),
        )
        chart_rows = [(self.unit_name(u), stale_by_unit.get(u, 0) + blank_by_unit.get(u, 0)) for u in worst[:20]]
        sections = [
            {
                "id": "worst",
                "title": "超期和空白栏目最多的单位",
                "svg": charts.bar_chart("chart-worst", "超期和空白栏目最多的单位", chart_rows, unit="个")
                if chart_rows
                else "",
                "table": {
                    "caption": "超期和空白栏目最多的单位",
                    "head": ["单位", "超期栏目", "空白栏目"],
                    "rows": [
                        [
                            cell(self.unit_name(u), ix.unit_urls[u]),
                            cell(stale_by_unit.get(u, 0), num=True),
                            cell(blank_by_unit.get(u, 0), num=True),
                        ]
                        for u in worst[:20]
                    ],
                },
                "empty": "没有超期或空白的栏目。",
            },
            {
                "id": "all",
                "title": "各单位应更新栏目",
                "intro": f"统计日期 {self.f.today.isoformat()}。"
                "更新要求见各栏目（动态、要闻 14 天，通知公告、政策文件 180 天）。",
                "table": {
                    "caption": "各单位应更新栏目",
                    "head": ["单位", "栏目", "最近更新", "距今天数", "更新要求（天）", "状态"],
                    "rows": rows,
                },
            },
        ]
        n_stale = sum(stale_by_unit.values())
        n_blank = sum(blank_by_unit.values())
        self.add(
            urls.stats_url("freshness"),
            "栏目更新及时性",
            sections,
            [("应更新栏目", len(rows)), ("超期", n_stale), ("空白", n_blank)],
            "按照国办秘函〔2019〕19号的更新要求，检查各单位应开设栏目的更新情况。",
        )

    def services(self) -> None:
        hm, ix = self.heat, self.ix
        page_url = urls.stats_url("services")
        names = []
        for key in hm.matters:
            m = ix.matters[key]
            guide = ix.guide_for(m)
            target = ix.item_urls[guide.id] if guide else urls.matter_url(m.unit, m.id)
            names.append((f"{m.name}（{self.unit_name(m.unit)}）", target))
        rows = [(label, relative_url(page_url, target)) for label, target in names]
        cells = {
            (i, j): hm.cells.get((key, month), 0)
            for i, key in enumerate(hm.matters)
            for j, month in enumerate(hm.months)
        }
        month_labels = [m[2:].replace("-", ".") for m in hm.months]
        table_rows = [
            [cell(label, target)]
            + [cell(hm.cells.get((key, month), 0), num=True) for month in hm.months]
            + [cell(hm.totals[key], num=True)]
            for (label, target), key in zip(names, hm.matters, strict=True)
        ]
        sections = [
            {
                "id": "heat",
                "title": "高频事项月度办件量",
                "intro": "颜色越深，当月办件量越大。事项名称链接到办事指南（无指南时链接到事项）。",
                "svg": charts.heatmap("chart-heat", "高频事项月度办件量热力图", rows, month_labels, cells)
                if hm.matters
                else "",
                "table": {"caption": "高频事项月度办件量", "head": ["事项", *hm.months, "合计"], "rows": table_rows},
                "empty": "暂无办件量数据（content/data/service-visits.csv）。",
            }
        ]
        self.add(
            page_url,
            "高频事项热力图",
            sections,
            [("统计事项", len(hm.matters)), ("月份", len(hm.months)), ("办件总量", sum(hm.totals.values()))],
            "根据政务服务办件量统计，展示群众和企业办理最多的事项。",
        )

    def disclosure(self) -> None:
        """/stats/xxgk/: each unit's 主动公开率 (公文 by 公开属性) and its coverage of the 15 items of 第二十条."""
        ix = self.ix
        rates = disclosure.openness(ix)
        rows = []
        total = disclosure.Openness()
        covered = exempt = missing = 0
        for u in disclosure.departments(ix):
            o = rates.get(u.id, disclosure.Openness())
            total.active += o.active
            total.on_request += o.on_request
            total.withheld += o.withheld
            states = [c.state for c in disclosure.coverage(ix, u)]
            covered += states.count("covered")
            exempt += states.count("exempt")
            missing += states.count("missing")
            rows.append([cell(self.unit_name(u.id), urls.unit_xxgk_url(ix.unit_urls[u.id])),
                         cell(o.total, num=True), cell(o.active, num=True), cell(o.on_request, num=True),
                         cell(o.withheld, num=True), cell(pct(o.active, o.total), num=True),
                         cell(states.count("covered"), num=True), cell(states.count("exempt"), num=True),
                         cell(states.count("missing"), num=True)])
        applicable = covered + missing
        sections = [{
            "id": "openness",
            "title": "各单位公开属性与法定主动公开内容",
            "intro": "公文类信息（政策文件、通知公告、规划计划）按公开属性统计；主动公开率 = 主动公开 ÷ 公文总数。"
                     "第二十条十五项内容：已公开 = 对应栏目有内容；不适用 = 单位已说明理由；缺项 = 其余。",
            "table": {"caption": "各单位公开属性与法定主动公开内容",
                      "head": ["单位", "公文", "主动公开", "依申请公开", "不予公开", "主动公开率",
                               "第二十条已公开", "不适用", "缺项"], "rows": rows},
        }]
        summary = [("公文", total.total), ("主动公开率", pct(total.active, total.total)),
                   ("法定内容覆盖率", pct(covered, applicable)), ("缺项", missing)]
        self.add(urls.stats_url("xxgk"), "政府信息公开", sections, summary,
                 "公开属性源头认定和《政府信息公开条例》第二十条法定主动公开内容的落实情况。")

    def inspection(self) -> None:
        """/inspection/: the inspection indicators and the yearly public figures (网站工作年度报表)."""
        from ..checks.inspection import PASS, inspect

        ix = self.ix
        rep = inspect(ix, self.diagnostics, self.f.today, figures=self.f, sync=self.sync, talk=self.talk)
        rows = []
        order = {uid: n for n, uid in enumerate(ix.units)}
        for f in sorted(rep.units, key=lambda f: order[f.unit]):
            rows.append(
                [
                    cell(self.unit_name(f.unit), ix.unit_urls[f.unit]),
                    cell(len(f.stale), num=True, cls="portal-bad" if f.stale else ""),
                    cell(f.stale_critical, num=True),
                    cell(len(f.blank), num=True, cls="portal-bad" if f.blank else ""),
                    cell(len(f.uninterpreted), num=True),
                    cell(len(f.guide_gaps), num=True),
                    cell(
                        f.verdict + ("：" + "；".join(f.reasons) if f.reasons else ""),
                        cls="" if f.verdict == PASS else "portal-bad",
                    ),
                ]
            )
        labels = {c.id: c.name for c in self.e.columns}
        year_rows = []
        for y in rep.yearly:
            cols = "、".join(
                f"{labels.get(c, c)} {n}" for c, n in sorted(y["columns"].items(), key=lambda kv: -kv[1])[:4]
            )
            year_rows.append(
                [
                    cell(f"{y['year']}年"),
                    cell(y["total"], num=True),
                    cell(y["normative"], num=True),
                    cell(y["interpretations"], num=True),
                    cell(y["guides"], num=True),
                    cell(cols),
                ]
            )
        home = (f"首页最近更新于 {rep.home_last}（{rep.home_days} 天前）" if rep.home_last else "首页尚无更新") + (
            "，超过 14 天，属单项否决情形。" if rep.home_stale else "，符合两周内更新的要求。"
        )
        t = rep.totals
        self.add(
            urls.INSPECTION,
            "网站巡查",
            [
                {"id": "home", "title": "首页更新", "intro": home},
                {
                    "id": "units",
                    "title": "各单位栏目更新情况",
                    "intro": "单项否决情形：动态、要闻类栏目 2 周、通知公告和政策文件类栏目 6 个月未更新累计 5 个以上；"
                    "应更新未更新栏目 10 个以上；空白栏目 5 个以上；办事指南要素缺失。",
                    "table": {
                        "caption": "各单位栏目更新情况",
                        "head": [
                            "单位",
                            "超期栏目",
                            "其中动态/通知/政策",
                            "空白栏目",
                            "缺少解读",
                            "指南要素缺失",
                            "结论",
                        ],
                        "rows": rows,
                    },
                },
                {
                    "id": "yearly",
                    "title": "年度发布情况",
                    "table": {
                        "caption": "年度发布情况",
                        "head": ["年度", "信息发布总数", "规范性文件", "政策解读", "办事指南", "主要栏目"],
                        "rows": year_rows,
                    },
                },
            ],
            [
                ("巡查单位", t["units"]),
                ("有否决风险", t["risky"]),
                ("超期栏目", t["stale"]),
                ("空白栏目", t["blank"]),
                ("缺少解读", t["uninterpreted"]),
            ],
            "按照国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》，检查首页和各单位栏目的更新情况。",
        )
