"""Stage 3 — index: the whole catalog in memory, cross-references checked on the complete set.

Everything later stages need is gathered here before anything is written: items by unit, column and year,
policy ↔ interpretation pairs, matter ↔ item links, the URL table (one source per URL), the unit hierarchy.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from ..model import urls
from ..model.content import (
    Account,
    Guide,
    Interpretation,
    Item,
    Matter,
    Message,
    Policy,
    Portal,
    Source,
    Taxonomy,
    Topic,
    Unit,
    Visit,
)
from ..model.diagnostics import Diagnostic, diag
from ..model.normalize import Change, code, doc_number
from ..util.suggest import closest, did_you_mean
from . import bodylinks
from .validate import Records

_YEAR = re.compile(r"^\d{4}$")


@dataclass
class Index:
    """The validated portal: lookups every page generator and report reads from."""

    portal: Portal
    taxonomy: Taxonomy
    units: dict[str, Unit] = field(default_factory=dict)  # in directory order
    items: dict[str, Item] = field(default_factory=dict)  # newest first
    matters: dict[str, Matter] = field(default_factory=dict)  # key unit/id
    unit_urls: dict[str, str] = field(default_factory=dict)
    item_urls: dict[str, str] = field(default_factory=dict)
    urls: dict[str, Source] = field(default_factory=dict)  # every public URL -> its source
    by_unit: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    by_unit_column: dict[tuple[str, str], list[Item]] = field(default_factory=lambda: defaultdict(list))
    by_column: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    communities: dict[str, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    interpretations: dict[str, list[Interpretation]] = field(default_factory=lambda: defaultdict(list))
    items_by_matter: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    matters_by_unit: dict[str, list[Matter]] = field(default_factory=lambda: defaultdict(list))
    attachments: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # item id -> [(content rel, name)]
    images: dict[str, str] = field(default_factory=dict)  # item id -> content rel of its 题图
    forms: dict[tuple[str, str], str] = field(default_factory=dict)  # (guide id, path as written) -> content rel
    sub_matters: dict[str, list[Matter]] = field(default_factory=lambda: defaultdict(list))  # 一级 key -> 二级
    assets: dict = field(default_factory=dict)
    visits: list[Visit] = field(default_factory=list)  # service visits whose matter exists
    redirects: object = None
    skipped: set[str] = field(default_factory=set)  # source paths not published because of errors
    accounts: list[tuple[str, Account]] = field(default_factory=list)  # (unit id, 政务新媒体 account)
    qr: dict[int, str] = field(default_factory=dict)  # id(account) -> content-relative QR image path
    topics: dict[str, Topic] = field(default_factory=dict)  # 专题 by id, in their order
    topic_items: dict[str, list[Item]] = field(default_factory=dict)  # 专题 id -> its items, newest first

    def guide_for(self, m: Matter) -> Guide | None:
        """A matter's service guide: the one it names, else the first guide published under it."""
        named = self.items.get(m.guide) if m.guide else None
        if isinstance(named, Guide):
            return named
        return next((it for it in self.items_by_matter.get(m.key, []) if isinstance(it, Guide)), None)

    def expected_columns(self, unit: Unit) -> list[str]:
        """Columns a unit is expected to publish in (unit.yml `columns`, else the taxonomy's `expected`)."""
        if unit.columns is not None:
            return list(unit.columns)
        return [c.id for c in self.taxonomy.columns if unit.kind in c.expected]


def build_index(rec: Records) -> tuple[Index | None, list[Diagnostic]]:
    """Index the records and check cross-references; None when portal.yml or taxonomy.yml is unusable."""
    diags: list[Diagnostic] = []
    if rec.portal is None or rec.taxonomy is None:
        return None, diags
    ix = Index(portal=rec.portal, taxonomy=rec.taxonomy, assets=rec.assets, redirects=rec.redirects)
    ix.skipped = set(rec.invalid)
    column_ids = {c.id for c in rec.taxonomy.columns}

    # Units: unique ids, not reserved, parents resolve without cycles.
    seen: dict[str, Unit] = {}
    rank = {"department": 0, "street": 1, "community": 2}
    for u in sorted(rec.units, key=lambda u: (rank.get(u.kind, 3), u.order, u.id)):
        if u.id in seen:
            diags.append(diag(u.src, "E203", f"单位编号“{u.id}”已用于 {seen[u.id].src}"))
            continue
        if u.id in urls.RESERVED or u.id in column_ids:
            diags.append(diag(u.src, "E205", f"“{u.id}”"))
            continue
        seen[u.id] = u
    ix.units = seen
    for u in seen.values():
        street = u.parent if u.kind == "community" else None
        ix.unit_urls[u.id] = urls.unit_url(u.id, street)
        _claim(ix, diags, ix.unit_urls[u.id], u.src)
        if u.kind == "community" and u.parent:
            ix.communities[u.parent].append(u)
    for u in seen.values():
        chain, p = [u.id], u.parent
        while p:
            if p in chain:
                diags.append(diag(u.where("parent"), "E208", " → ".join([*chain, p])))
                break
            chain.append(p)
            p = ix.units[p].parent if p in ix.units else None

    # Matters: unique per unit.
    for m in rec.matters:
        if m.unit not in ix.units:
            if m.unit not in rec.unit_folders:
                diags.append(diag(m.src, "E201", f"“{m.unit}”没有 unit.yml"))
            continue
        if m.key in ix.matters:
            diags.append(diag(m.src, "E203", f"事项编号“{m.id}”已用于 {ix.matters[m.key].src}"))
            continue
        ix.matters[m.key] = m
        ix.matters_by_unit[m.unit].append(m)
        _claim(ix, diags, urls.matter_url(m.unit, m.id), m.src)

    # Items: unit exists, URL unique, attachments safe and present.
    items = sorted(rec.items, key=lambda i: (i.date, i.id), reverse=True)
    for it in items:
        problem = _unit_problem(it, ix, rec)
        if problem:
            if problem[0]:
                diags.append(diag(it.src, *problem))
            ix.skipped.add(it.src.path)
            continue
        if _YEAR.match(it.slug) or it.slug == "page":
            diags.append(diag(it.src, "E204", f"文件名“{it.slug}”与列表分页或年度归档网址冲突"))
            ix.skipped.add(it.src.path)
            continue
        url = urls.item_url(ix.unit_urls[it.unit], it.column, it.slug)
        if not _claim(ix, diags, url, it.src):
            ix.skipped.add(it.src.path)
            continue
        if it.id in ix.items:  # same id from two sub-folders; _claim already reported the URL clash
            continue
        files = _attachments(it, ix, diags)
        if isinstance(it, Guide) and not _forms(it, ix, diags):
            files = None
        image = _image(it, ix, diags)
        if image is False:
            files = None
        if files is None:
            ix.skipped.add(it.src.path)
            continue
        ix.attachments[it.id] = files
        if image:
            ix.images[it.id] = image
        ix.items[it.id] = it
        ix.item_urls[it.id] = url

    for it in ix.items.values():
        ix.by_unit[it.unit].append(it)
        ix.by_unit_column[(it.unit, it.column)].append(it)
        ix.by_column[it.column].append(it)

    for it in ix.items.values():
        if isinstance(it, Message) and not it.handler:
            it.handler = it.unit
    _check_references(ix, diags, rec.changes)
    bodylinks.check(ix, diags)
    _accounts(ix, rec, diags)
    _topics(ix, rec, diags)
    _identity(ix, diags)
    for v in rec.visits:
        if v.matter in ix.matters:
            ix.visits.append(v)
        else:
            diags.append(diag(v.where("matter"), "E207", f"“{v.matter}”"))
    return ix, diags


def _unit_problem(it: Item, ix: Index, rec: Records) -> tuple[str, str] | None:
    """Why an item's unit cannot take it: (rule, detail), ("", "") to skip silently, or None."""
    parts = it.rel.split("/")  # units/<unit>/... or units/<street>/communities/<community>/...
    street = parts[1] if len(parts) > 3 and parts[2] == "communities" else None
    unit = ix.units.get(it.unit)
    if street is None:
        if unit is not None and unit.kind != "community":
            return None
        if it.unit in rec.unit_folders:
            return "", ""  # its unit.yml has errors, reported there
        return "E201", f"目录“{it.unit}”中没有 unit.yml"
    if unit is not None and unit.kind == "community" and unit.parent == street:
        return None
    if street not in ix.units:
        return ("", "") if street in rec.unit_folders else ("E201", f"目录“{street}”中没有 unit.yml")
    return "E211", f"“{it.unit}”不是“{street}”下辖的社区"


def _claim(ix: Index, diags: list[Diagnostic], url: str, src: Source) -> bool:
    """Register a public URL for a source; a second claimant is an error naming both."""
    prev = ix.urls.get(url)
    if prev is not None and prev != src:
        diags.append(diag(src, "E204", f"{url} 已由 {prev} 生成"))
        return False
    ix.urls[url] = src
    return True


def _forms(g: Guide, ix: Index, diags: list[Diagnostic]) -> bool:
    """Resolve the 表格 and 样表 files of a guide's materials into `ix.forms`; False if any is unsafe or missing."""
    base = posixpath.dirname(g.rel)
    unit_dir = ix.units[g.unit].path + "/"
    ok = True
    for i, m in enumerate(g.materials):
        for kind in ("form", "sample"):
            f = getattr(m, kind)
            if not f:
                continue
            f = f.replace("\\", "/")
            target = posixpath.normpath(posixpath.join(base, f))
            if f.startswith("/") or ".." in f.split("/") or "://" in f or not target.startswith(unit_dir) \
                    or target not in ix.assets:
                what = "表格" if kind == "form" else "样表"
                diags.append(diag(g.where("materials", i, kind), "E324", f"“{m.name}”的{what}“{f}”"))
                ok = False
                continue
            ix.forms[(g.id, getattr(m, kind))] = target
    return ok


def _inside_unit(it: Item, ix: Index, file: str) -> str | None:
    """The content path of a file an item names (relative to the item), or None when it leaves the unit folder."""
    f = file.replace("\\", "/")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(it.rel), f))
    if f.startswith("/") or re.match(r"^[A-Za-z]:", f) or ".." in f.split("/") or "://" in f or \
            not target.startswith(ix.units[it.unit].path + "/"):
        return None
    return target


def _image(it: Item, ix: Index, diags: list[Diagnostic]) -> str | bool | None:
    """The 题图's content path; None without one; False (not published) when unsafe, missing or without its
    alternative text — a picture a screen reader cannot describe is not put on the home page."""
    if not it.image:
        return None
    target = _inside_unit(it, ix, it.image)
    if target is None:
        diags.append(diag(it.where("image"), "E209", f"“{it.image}”"))
        return False
    if target not in ix.assets:
        diags.append(diag(it.where("image"), "E210", f"“{it.image}”"))
        return False
    if not (it.image_alt or "").strip():
        diags.append(diag(it.where("image"), "E218", f"“{it.image}”"))
        return False
    return target


def _attachments(it: Item, ix: Index, diags: list[Diagnostic]) -> list[tuple[str, str]] | None:
    """Resolve attachment paths inside the unit's folder; None if any is unsafe or missing."""
    out = []
    ok = True
    for i, a in enumerate(it.attachments):
        f = a.file.replace("\\", "/")
        target = _inside_unit(it, ix, a.file)
        if target is None:
            diags.append(diag(it.where("attachments", i), "E209", f"“{a.file}”"))
            ok = False
            continue
        if target not in ix.assets:
            diags.append(diag(it.where("attachments", i), "E210", f"“{a.file}”"))
            ok = False
            continue
        out.append((target, a.title or posixpath.basename(f)))
    return out if ok else None


class _References:
    """Resolves how editors write a reference to an item: its id, its content path (absolute or relative to
    the referring file, with or without .md), its public URL, or a policy's 文号 — each only when it names
    exactly one item. Anything else is reported with the closest ids."""

    def __init__(self, ix: Index):
        self.ix = ix
        self.by_rel = {it.rel.removesuffix(".md"): it.id for it in ix.items.values()}
        self.by_url = {u: i for i, u in ix.item_urls.items()}
        by_no: dict[str, list[str]] = defaultdict(list)
        for it in ix.items.values():
            if isinstance(it, Policy) and it.doc_number:
                by_no[it.doc_number].append(it.id)
        self.by_doc_number = by_no

    def resolve(self, value: str, it: Item) -> tuple[str | None, str]:
        """(item id, how it was written) — how is "" for an id; id None when nothing or several match."""
        v = value.strip()
        if v in self.ix.items:
            return v, ""
        if "://" in v or (v.startswith("/") and not v.endswith(".md")):
            path = urlparse(v).path or "/"
            hit = self.by_url.get(path if path.endswith("/") else path + "/")
            return hit, "网址换为文章编号"
        if v.endswith(".md") or v.startswith(("./", "../", "content/", "units/")):
            rel = v.removeprefix("content/")
            if not rel.startswith("units/"):
                rel = posixpath.normpath(posixpath.join(posixpath.dirname(it.rel), v))
            return self.by_rel.get(rel.removesuffix(".md")), "文件路径换为文章编号"
        no, _ = doc_number(code(v, None)[0], None)  # type: ignore[arg-type]
        ids = self.by_doc_number.get(no, [])
        return (ids[0] if len(ids) == 1 else None), "文号换为文章编号"

    def suggest(self, value: str, kinds: tuple[type, ...]) -> str:
        """“您是否要写：…” over the ids (and 文号) of the items of the wanted kinds."""
        cands = [i for i, x in self.ix.items.items() if isinstance(x, kinds)]
        hits = closest(value.strip(), cands, n=3, cutoff=0.6)
        if not hits:
            numbers = {no: ids[0] for no, ids in self.by_doc_number.items() if len(ids) == 1}
            hits = [numbers[h] for h in closest(value.strip(), numbers, n=3, cutoff=0.6)]
        return ("；您是否要写：" + "、".join(f"“{h}”" for h in hits) + "？") if hits else ""


def _resolve_field(refs: _References, it: Any, field_name: str, changes: list[Change]) -> str | None:
    """Resolve a reference field in place (normalized to the id, the change noted for --show-normalized)."""
    value = getattr(it, field_name)
    target, how = refs.resolve(value, it) if isinstance(it, Item) else (value if value in refs.ix.items else None, "")
    if target is not None and target != value:
        src = it.where(field_name)
        changes.append(Change(src.path, src.line, src.col, field_name, value, target, how))
        setattr(it, field_name, target)
    return target


def _check_references(ix: Index, diags: list[Diagnostic], changes: list[Change]) -> None:
    """Policy ↔ interpretation, matters, replaced_by: references must land on the right kind of record."""
    refs = _References(ix)
    for it in ix.items.values():
        if isinstance(it, Interpretation):
            target = ix.items.get(_resolve_field(refs, it, "interprets", changes) or "")
            if target is None:
                diags.append(diag(it.where("interprets"), "E202",
                                  f"“{it.interprets}”不是任何政策文件的编号、路径、网址或文号"
                                  + refs.suggest(it.interprets, (Policy,))))
            elif not isinstance(target, Policy):
                diags.append(diag(it.where("interprets"), "E206", f"“{it.interprets}”"))
            else:
                ix.interpretations[target.id].append(it)
                drafters = {target.unit, *target.issuers}  # joint issuers drafted it too
                if it.unit not in drafters:
                    diags.append(diag(it.where("interprets"), "W304",
                                      f"政策由“{target.unit}”起草，解读由“{it.unit}”发布"))
        for i, ref in enumerate(it.matters):
            key = ref if "/" in ref else f"{it.unit}/{ref}"
            if key not in ix.matters:
                diags.append(diag(it.where("matters", i), "E207", f"“{ref}”" + did_you_mean(
                    ref, [m.id for m in ix.matters_by_unit.get(it.unit, [])] or list(ix.matters))))
            else:
                ix.items_by_matter[key].append(it)
        if isinstance(it, Policy) and it.replaced_by:
            if _resolve_field(refs, it, "replaced_by", changes) is None:
                diags.append(diag(it.where("replaced_by"), "E213",
                                  f"“{it.replaced_by}”" + refs.suggest(it.replaced_by, (Policy,))))
            else:
                chain, cur = [it.id], it.replaced_by
                while cur:
                    if cur in chain:
                        diags.append(diag(it.where("replaced_by"), "E208", " → ".join([*chain, cur])))
                        break
                    chain.append(cur)
                    nxt = ix.items.get(cur)
                    cur = nxt.replaced_by if isinstance(nxt, Policy) else None
    for it in ix.items.values():
        if isinstance(it, Policy) and it.normative and not ix.interpretations.get(it.id):
            diags.append(diag(it.where("normative"), "W301", f"“{it.title}”"))
    for m in ix.matters.values():
        if m.parent:
            up = ix.matters.get(f"{m.unit}/{m.parent}")
            if up is None:
                diags.append(diag(m.where("parent"), "E207", f"“{m.parent}”不在本单位事项清单中"))
            elif up is m or up.parent:
                diags.append(diag(m.where("parent"), "E327", f"“{m.id}”的上级“{up.id}”" +
                                  ("是它自己" if up is m else "本身是二级事项")))
            else:
                ix.sub_matters[up.key].append(m)
        if m.guide:
            g = ix.items.get(m.guide)
            if g is None or not isinstance(g, Guide):
                diags.append(diag(m.where("guide"), "E213", f"“{m.guide}”不是办事指南"))


def _accounts(ix: Index, rec: Records, diags: list[Diagnostic]) -> None:
    """政务新媒体 registries: the unit exists, QR images are inside the unit folder and present (E209/E430)."""
    for reg in rec.accounts:
        unit = ix.units.get(reg.unit)
        if unit is None:
            continue
        for i, a in enumerate(reg.accounts):
            ix.accounts.append((unit.id, a))
            if not a.qr:
                continue
            f = a.qr.replace("\\", "/")
            target = posixpath.normpath(posixpath.join(unit.path, f))
            if f.startswith("/") or ".." in f.split("/") or "://" in f or not target.startswith(unit.path + "/"):
                diags.append(diag(reg.where("accounts", i, "qr"), "E209", f"“{a.qr}”"))
            elif target not in ix.assets:
                diags.append(diag(reg.where("accounts", i, "qr"), "E430", f"“{a.qr}”"))
            else:
                ix.qr[id(a)] = target


def topic_matches(ix: Index, t: Topic, it: Item) -> bool:
    """Whether an item belongs to a 专题 by its conditions (each given condition must hold; any value of one)."""
    conds = (t.tags, t.domains, t.units, t.columns)
    if not any(conds):
        return False
    unit = ix.units.get(it.unit)
    units = {it.unit, unit.parent} if unit is not None and unit.kind == "community" else {it.unit}
    return ((not t.tags or bool(set(t.tags) & set(it.tags)))
            and (not t.domains or bool(set(t.domains) & set(it.domains)))
            and (not t.units or bool(set(t.units) & units))
            and (not t.columns or it.column in t.columns))


def _identity(ix: Index, diags: list[Diagnostic]) -> None:
    """The footer's 网站标识 images named in portal.yml are files in content/identity/ (E210)."""
    for name in ("conac_image", "jiucuo_image"):
        file = getattr(ix.portal, name)
        if file and f"identity/{file}" not in ix.assets:
            diags.append(diag(ix.portal.where(name), "E210", f"“{file}”（应放在 content/identity/ 中）"))
            setattr(ix.portal, name, None)


def _topics(ix: Index, rec: Records, diags: list[Diagnostic]) -> None:
    """专题: listed items exist (E213), the banner is present (E210); each topic's items, newest first."""
    for t in sorted(rec.topics, key=lambda t: (t.order, t.id)):
        if t.id in urls.RESERVED_TOPICS:
            diags.append(diag(t.src, "E204", f"专题编号“{t.id}”与专题列表网址冲突"))
            continue
        ix.topics[t.id] = t
        if t.banner:
            target = posixpath.normpath(posixpath.join("topics", t.banner.replace("\\", "/")))
            if not target.startswith("topics/") or target not in ix.assets:
                diags.append(diag(t.where("banner"), "E210", f"“{t.banner}”"))
                t.banner = None
        explicit = []
        for i, ref in enumerate(t.items):
            if ref in ix.items:
                explicit.append(ref)
            else:
                diags.append(diag(t.where("items", i), "E213", f"“{ref}”"))
        chosen = set(explicit)
        ix.topic_items[t.id] = [it for it in ix.items.values() if it.id in chosen or topic_matches(ix, t, it)]
