#!/usr/bin/env python3
"""The baseline for benchmarks: the same items as a vanilla MkDocs + Material site, as a plain user publishes.

    python bench/baseline.py --content /tmp/bench/content --out /tmp/bench/baseline
    .venv/bin/mkdocs build -f /tmp/bench/baseline/mkdocs.yml -d /tmp/bench/baseline-site

Each item of a portal content tree (`units/**/<column>/**/*.md`) becomes one Markdown page with its title as
`# H1`, a small metadata list (发布机构, 日期, 文号 if any) and the body. The page sits at the same relative path
as the portal's item page (`<unit>/<column>/<slug>/`, communities `<street>/<community>/<column>/<slug>/`),
so both sites can be compared page by page. The nav lists every item page grouped by unit and column, the
theme is Material with `navigation.prune`, and search is Material's built-in plugin with `lang: zh` (Material
segments Chinese with jieba when it is installed, as its documentation says: `pip install jieba`).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

try:  # libyaml's loader when available: 20,000 front matters parse noticeably faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Item:
    """One item of the content tree, located the way the portal locates it."""

    rel: str  # content-relative path of the .md file
    page: str  # site-relative directory of its page, e.g. "qzfb/news/2025-06-12-jiaoyu"
    unit: str  # unit id (the street for community items)
    community: str | None  # community id, or None
    column: str  # column id


def item_page(rel: str) -> tuple[str, str, str | None, str] | None:
    """Map a content-relative item path to (page dir, unit, community, column); None when it is not an item."""
    parts = rel.split("/")
    if len(parts) < 4 or parts[0] != "units" or not parts[-1].endswith(".md"):
        return None
    slug = parts[-1][:-3]
    if parts[2] == "communities":  # units/<street>/communities/<community>/<column>/[<year>/]<slug>.md
        if len(parts) < 6:
            return None
        street, community, column = parts[1], parts[3], parts[4]
        return f"{street}/{community}/{column}/{slug}", street, community, column
    unit, column = parts[1], parts[2]  # units/<unit>/<column>/[<year>/]<slug>.md
    return f"{unit}/{column}/{slug}", unit, None, column


def find_items(content: Path) -> list[Item]:
    """Every item file of a content tree, sorted by path (deterministic)."""
    out: list[Item] = []
    units = content / "units"
    for root, dirs, files in os.walk(units):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            rel = Path(root, name).relative_to(content).as_posix()
            mapped = item_page(rel)
            if mapped is not None:
                out.append(Item(rel, *mapped))
    out.sort(key=lambda i: i.rel)
    return out


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split `---` YAML front matter from the Markdown body."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            meta = yaml.load(text[4:end], Loader=_Loader) or {}
            return (meta if isinstance(meta, dict) else {}), text[end + 5:]
    return {}, text


def sort_key(date: str) -> tuple[int, ...]:
    """A sortable key from the free-form dates editors write (2024-05-10, 2024年5月10日, 2024/05/10 09:30)."""
    return tuple(int(d) for d in _DIGITS.findall(date)[:5])


def _load_yaml(path: Path) -> dict:
    """A YAML mapping, or {} when the file is missing or not a mapping."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except FileNotFoundError:
        return {}
    return data if isinstance(data, dict) else {}


def jieba_available() -> bool:
    """Whether Material's search plugin will segment Chinese with jieba (in this interpreter)."""
    return importlib.util.find_spec("jieba") is not None


def page_markdown(meta: dict, body: str, publisher: str) -> str:
    """One item as a plain Material page: # title, a metadata list, the body."""
    title = str(meta.get("title") or "").strip() or "（无标题）"
    lines = [f"# {title}", "", f"- 发布机构：{meta.get('source') or publisher}", f"- 日期：{meta.get('date') or ''}"]
    if meta.get("doc_number"):
        lines.append(f"- 文号：{meta['doc_number']}")
    return "\n".join(lines) + "\n\n" + body.strip("\n") + "\n"


def write_baseline(content: Path, out: Path, site_name: str = "政府门户网站（MkDocs + Material 基准）") -> dict:
    """Write `out/mkdocs.yml` and `out/docs/` from a portal content tree; returns counts."""
    content, out = Path(content), Path(out)
    if out.exists():
        shutil.rmtree(out)
    docs = out / "docs"
    docs.mkdir(parents=True)

    taxonomy = _load_yaml(content / "taxonomy.yml")
    col_name = {c["id"]: c.get("name", c["id"]) for c in taxonomy.get("columns", [])}
    col_order = {c["id"]: (c.get("order", 0), c["id"]) for c in taxonomy.get("columns", [])}

    # Units (name, order) and communities (name) from unit.yml files.
    units: dict[str, dict] = {}
    community_name: dict[tuple[str, str], str] = {}
    for path in sorted((content / "units").glob("*/unit.yml")):
        data = _load_yaml(path)
        uid = path.parent.name
        units[uid] = {"name": data.get("name", uid), "order": data.get("order", 10**6)}
        for c in data.get("communities") or []:
            if isinstance(c, dict) and "id" in c:
                community_name[(uid, c["id"])] = c.get("name", c["id"])

    # Pages; nav entries grouped unit -> [community ->] column -> items (newest first).
    groups: dict[tuple[str, str | None, str], list[tuple[tuple[int, ...], str, str]]] = {}
    written = 0
    made: set[Path] = set()
    for it in find_items(content):
        meta, body = split_front_matter((content / it.rel).read_text(encoding="utf-8"))
        publisher = (community_name.get((it.unit, it.community), it.community) if it.community
                     else units.get(it.unit, {}).get("name", it.unit))
        dest = docs / f"{it.page}.md"
        if dest.parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(dest.parent)
        dest.write_text(page_markdown(meta, body, str(publisher)), encoding="utf-8")
        written += 1
        title = str(meta.get("title") or it.page.rsplit("/", 1)[-1])
        groups.setdefault((it.unit, it.community, it.column), []).append(
            (sort_key(str(meta.get("date") or "")), it.page, title))

    def column_sections(unit: str, community: str | None) -> list[dict]:
        """The nav sections of one unit (or community): one per column, newest item first."""
        cols = sorted({c for (u, m, c) in groups if u == unit and m == community},
                      key=lambda c: col_order.get(c, (10**6, c)))
        out_: list[dict] = []
        for c in cols:
            entries = sorted(groups[(unit, community, c)], key=lambda e: (tuple(-x for x in e[0]), e[1]))
            out_.append({col_name.get(c, c): [{t: f"{p}.md"} for _, p, t in entries]})
        return out_

    nav: list[dict] = [{"首页": "index.md"}]
    for uid in sorted(units, key=lambda u: (units[u]["order"], u)):
        sections = column_sections(uid, None)
        communities = sorted({m for (u, m, _) in groups if u == uid and m is not None})
        sections += [{community_name.get((uid, m), m): column_sections(uid, m)} for m in communities]
        if sections:
            nav.append({units[uid]["name"]: sections})

    (docs / "index.md").write_text(
        f"# {site_name}\n\n本站用 MkDocs + Material 原样发布与门户相同的 {written} 篇信息，"
        "按单位和栏目列在导航中，作为门户生成器的性能基准。\n", encoding="utf-8")

    config = {
        "site_name": site_name,
        "docs_dir": "docs",
        "use_directory_urls": True,
        "theme": {"name": "material", "features": ["navigation.prune"], "font": False, "language": "zh"},
        "plugins": [{"search": {"lang": "zh"}}],
        "nav": nav,
    }
    (out / "mkdocs.yml").write_text(
        "# Generated by bench/baseline.py: a vanilla MkDocs + Material site with the benchmark's items.\n"
        + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return {"pages": written, "units": len(nav) - 1, "jieba": jieba_available()}


def main(argv: list[str] | None = None) -> int:
    """Command line: write the baseline site sources for a content tree."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--content", required=True, help="a portal content tree (e.g. from bench/corpus.py)")
    ap.add_argument("--out", required=True, help="folder for mkdocs.yml and docs/ (replaced)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    c = write_baseline(Path(args.content), Path(args.out))
    print(f"baseline: {c['pages']} item pages, {c['units']} units in the nav, "
          f"jieba: {'yes' if c['jieba'] else 'no'}, {time.perf_counter() - t0:.1f}s → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
