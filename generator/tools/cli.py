"""The `portal` command: check, new, schema, build, serve, linkcheck, inspect, codeowners, import, rules,
serve-config, publish."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from ..model import diagnostics as dg


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value}") from None


def _selector(content: str, wanted: list[Path]):
    """A test `path -> is it one of wanted or under one`. Diagnostics name files as `content/relative`;
    a wanted path inside the content tree is turned into that form once, so the test is a string compare
    (resolving each of the thousands of paths a tree's notes name cost a quarter of a one-file check)."""
    root = Path(content).resolve()
    prefixes, outside = [], []
    for w in wanted:
        try:
            rel = w.relative_to(root)
        except ValueError:
            outside.append(w)
            continue
        prefixes.append(str(Path(content) / rel))

    def selected(path: str) -> bool:
        if any(path == p or path.startswith(p.rstrip("/") + "/") for p in prefixes):
            return True
        if outside:
            p = Path(path).resolve()
            return any(p == w or w in p.parents for w in outside)
        return False

    return selected


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the content tree; report on PATHs only (cross-references still use the whole tree)."""
    from ..stages.pipeline import check

    result = check(args.content, today=args.today, strict_policy=args.strict_policy, use_cache=not args.no_cache)
    diags, changes = result.diagnostics, result.changes
    if args.paths:
        wanted = [Path(p).resolve() for p in args.paths]
        missing = [p for p in args.paths if not Path(p).exists()]
        if missing:
            print(f"portal check: no such file: {', '.join(missing)}", file=sys.stderr)
            return 2
        selected = _selector(args.content, wanted)
        diags = [d for d in diags if selected(d.path)]
        changes = [c for c in changes if selected(c.path)]
    summary = result.summary()
    summary["errors"] = sum(d.severity == dg.ERROR for d in diags)
    summary["warnings"] = sum(d.severity == dg.WARNING for d in diags)
    if args.format == "json":
        doc = json.loads(dg.format_json(diags, summary))
        if args.show_normalized:
            doc["normalized"] = [c.__dict__ for c in changes]
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        if diags:
            print(dg.format_text(diags))
        if args.show_normalized:
            for c in changes:
                print(f"{c}")
        print(", ".join(f"{k}: {v}" for k, v in summary.items()))
    return 1 if summary["errors"] else 0


def _new_disclosure_guide(args: argparse.Namespace, ix) -> int:
    """`portal new 信息公开指南 --unit U`: add the 指南 block to the unit's unit.yml."""
    from .scaffold import add_disclosure_guide

    unit = ix.units.get(args.unit)
    if unit is None and (Path(args.content) / "units" / args.unit / "unit.yml").exists():
        print(f"portal new: units/{args.unit}/unit.yml 有错误，请先运行 portal check 修正", file=sys.stderr)
        return 2
    if unit is None or unit.kind == "community":
        print(f"portal new: 未知单位“{args.unit}”（指南写在部门或街道的 unit.yml 中）", file=sys.stderr)
        return 2
    path = Path(args.content) / unit.path / "unit.yml"
    try:
        add_disclosure_guide(path, unit)
    except FileExistsError as e:
        print(f"portal new: {e}", file=sys.stderr)
        return 2
    print(path)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Scaffold an item in the right folder with every required field."""
    from ..stages.pipeline import check
    from .scaffold import XXGK_NAMES, new_item

    result = check(args.content)
    ix = result.index
    if ix is None:
        print("portal new: content/portal.yml 或 content/taxonomy.yml 有错误，请先运行 portal check", file=sys.stderr)
        return 1
    tax = ix.taxonomy
    type_id = args.type
    if type_id in XXGK_NAMES:
        return _new_disclosure_guide(args, ix)
    if not args.title:
        print("portal new: 请用 --title 填写标题", file=sys.stderr)
        return 2
    if tax.term("types", type_id) is None:
        ids = ", ".join(t.id for t in tax.types)
        print(f"portal new: 未知类型“{type_id}”，可选：{ids}", file=sys.stderr)
        return 2
    unit = ix.units.get(args.unit)
    if unit is None:
        print(f"portal new: 未知单位“{args.unit}”", file=sys.stderr)
        return 2
    column = args.column or next((c.id for c in sorted(tax.columns, key=lambda c: c.order) if c.type == type_id), None)
    if column is None or tax.column(column) is None:
        print(f"portal new: 请用 --column 指定栏目（类型“{type_id}”没有默认栏目）", file=sys.stderr)
        return 2
    path = new_item(Path(args.content), unit.path, column, type_id, args.title, args.date)
    print(path)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the JSON Schemas (one per file kind) for editors' IDEs."""
    from ..model.schema import schemas
    from ..stages.load import load
    from ..stages.validate import validate

    taxonomy = validate(load(args.content)).taxonomy
    if args.markdown:
        from ..model.schema import field_reference

        sys.stdout.write(field_reference(taxonomy))
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas(taxonomy).items():
        (out / f"{name}.schema.json").write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n",
                                                 encoding="utf-8")
        print(out / f"{name}.schema.json")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Validate, build into a temporary directory, run the post steps, swap into the site directory."""
    import logging

    from ..render.build import BuildFailed, build

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        result = build(args.config_file, args.site_dir, keep_going=args.keep_going,
                       strict_policy=args.strict_policy, content_dir=args.content, search=not args.no_search)
    except BuildFailed as e:
        print(f"portal build: 构建失败，未修改现有网站：{e}", file=sys.stderr)
        return 1
    if result.skipped:
        print(f"portal build: --keep-going 跳过了 {len(result.skipped)} 个有错误的文件：", file=sys.stderr)
        for path in result.skipped:
            print(f"  {path}", file=sys.stderr)
    errors = sum(d.severity == dg.ERROR for d in result.diagnostics)
    if result.search is not None:
        s = result.search
        print(f"portal build: search index: {s.pages} pages in {len(s.shards)} shard(s) ({s.reused} reused), "
              f"{s.seconds:.1f} s, peak RSS {s.peak_rss_mb:.0f} MB")
    if result.timings:
        print("portal build: phases: " + " · ".join(f"{k} {v:.1f} s" for k, v in result.timings.items()))
    print(f"portal build: {result.pages} pages in {result.seconds:.1f} s → {result.site_dir}"
          + (f" ({errors} errors skipped)" if errors else ""))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Live preview: build once, then rebuild only what each edit changed (see devserver.py)."""
    import logging

    from ..render.build import BuildFailed
    from .devserver import serve

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)
    host, _, port = args.dev_addr.rpartition(":")
    site_dir = args.site_dir or str(Path(args.config_file).resolve().parent / ".cache" / "preview")
    try:
        serve(args.config_file, args.content, site_dir, host=host or "127.0.0.1", port=int(port))
    except BuildFailed as e:
        print(f"portal serve: {e}", file=sys.stderr)
        return 1
    return 0


def _unit_names(content: str) -> dict[str, str]:
    """First URL segment -> unit name, when the content tree is at hand (for grouping link reports)."""
    from ..stages.pipeline import check

    if not Path(content).is_dir():
        return {}
    ix = check(content).index
    if ix is None:
        return {}
    return {url.strip("/").split("/")[-1]: ix.units[uid].name for uid, url in ix.unit_urls.items()}


def cmd_linkcheck(args: argparse.Namespace) -> int:
    """Check every internal link and #fragment of a built site (and, with --external, the external ones)."""
    from collections import defaultdict

    from ..checks.linkcheck import check_external, check_site

    site = Path(args.site_dir)
    if not site.is_dir():
        print(f"portal linkcheck: no such directory: {site}", file=sys.stderr)
        return 2
    hosts = set(args.host or [])
    report = check_site(site, hosts)
    names = _unit_names(args.content) if report.broken else {}  # labels for the groups of broken links only
    groups: dict[str, list] = defaultdict(list)
    for b in report.broken:
        groups[b.page.split("/", 1)[0] if "/" in b.page else ""].append(b)
    failed = bool(report.broken)
    out: dict = {"summary": report.summary(), "broken": []}
    for key in sorted(groups):
        label = names.get(key, key or "网站根目录")
        if args.format == "text":
            print(f"{label}（{key or '/'}）")
        for b in groups[key]:
            out["broken"].append({"unit": key, "page": b.page, "link": b.link, "reason": b.reason})
            if args.format == "text":
                print(f"  {b}")
    if args.external:
        results = check_external(report.external, args.cache, max_age_days=args.max_age,
                                 fail_after_days=args.fail_after, timeout=args.timeout)
        counts: dict[str, int] = defaultdict(int)
        for r in results:
            counts[r.category] += 1
            if r.category not in ("ok", "skipped") and args.format == "text":
                flag = "失败" if r.fails_build else "提示"
                print(f"  外部链接{flag}：{r.url} → {r.category} {r.detail}（见 {', '.join(r.pages[:3])}）")
        failed = failed or any(r.fails_build for r in results)
        ext = ", ".join(f"{k}: {counts[k]}" for k in ("ok", "redirected", "broken", "timeout", "skipped"))
        out["external"] = [r.__dict__ for r in results]
        if args.format == "text":
            print(f"external: {len(results)} ({ext})")
    if args.format == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(report.summary())
    return 1 if failed else 0


def cmd_inspect(args: argparse.Namespace) -> int:
    """The inspection report (国办秘函〔2019〕19号 indicators), per unit and for the portal."""
    from ..checks.inspection import RISK, format_text, inspect
    from ..checks.linkcheck import check_site
    from ..model.urls import url_to_path
    from ..stages.pipeline import check

    result = check(args.content, today=args.today, strict_policy=args.strict_policy)
    if result.index is None:
        print(dg.format_text(result.diagnostics), file=sys.stderr)
        return 1
    links = pages = None
    if args.site:
        site = Path(args.site)
        ix = result.index
        links = check_site(site, [ix.portal.domain])
        pages = {}  # the both-ways link check reads policies with interpretations, and those interpretations
        for url in {ix.item_urls[p] for p in ix.interpretations} | {
                ix.item_urls[i.id] for its in ix.interpretations.values() for i in its}:
            f = site / url_to_path(url)
            if f.exists():
                pages[url] = f.read_text(encoding="utf-8")
    report = inspect(result.index, result.diagnostics, args.today, links, pages)
    print(report.to_json() if args.format == "json" else format_text(report))
    if args.fail_on_risk and report.verdict == RISK:
        return 1
    return 0


def cmd_codeowners(args: argparse.Namespace) -> int:
    """Write CODEOWNERS mapping each unit's folder to its editor group(s)."""
    from ..stages.pipeline import check
    from .codeowners import codeowners

    ix = check(args.content).index
    if ix is None:
        print("portal codeowners: content/portal.yml 或 taxonomy.yml 有错误", file=sys.stderr)
        return 1
    text, orphans = codeowners(ix, Path(args.content).as_posix().rstrip("/"))
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
        print(args.out)
    for uid in orphans:
        print(f"portal codeowners: 单位“{uid}”没有填写 editors，由门户管理组负责", file=sys.stderr)
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    """Print the rule reference."""
    if args.markdown:
        sys.stdout.write(dg.rules_markdown())
    else:
        for r in dg.RULES.values():
            print(f"{r.id}  {r.severity:7}  {r.title}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for docs and tests)."""
    p = argparse.ArgumentParser(prog="portal", description="Consolidated government portal generator")
    p.add_argument("--content", default=None, help="content folder (default: content, or mkdocs.yml's for build)")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="validate content: path:line:col: RULE 说明")
    c.add_argument("paths", nargs="*", help="report only on these files or folders")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--show-normalized", action="store_true", help="print values the normalizer changed")
    c.add_argument("--strict-policy", action="store_true", help="a normative policy without interpretation is an error")
    c.add_argument("--today", type=_date, default=None, help="date used for future-date checks (YYYY-MM-DD)")
    c.add_argument("--no-cache", action="store_true", help="re-read every file (the cache only skips unchanged ones)")
    c.set_defaults(func=cmd_check)

    n = sub.add_parser("new", help="scaffold an item: portal new TYPE --unit UNIT --title 标题 "
                                    "(or the unit's 政府信息公开指南: portal new 信息公开指南 --unit UNIT)")
    n.add_argument("type", help="item type id, e.g. news, notice, policy, interpretation, guide; or 信息公开指南")
    n.add_argument("--unit", required=True, help="unit id (folder name)")
    n.add_argument("--title", help="title (required for items)")
    n.add_argument("--column", help="column id (default: the column whose type is TYPE)")
    n.add_argument("--date", type=_date, default=None, help="publish date (default: today)")
    n.set_defaults(func=cmd_new)

    s = sub.add_parser("schema", help="write JSON Schemas for editors' IDEs")
    s.add_argument("--out", default="schemas", help="output folder (default: schemas)")
    s.add_argument("--markdown", action="store_true", help="print the editors' field reference instead")
    s.set_defaults(func=cmd_schema)

    b = sub.add_parser("build", help="build the portal into site/ (atomic: a failed build keeps the old site)")
    b.add_argument("--site-dir", default=None, help="output directory (default: site_dir of mkdocs.yml)")
    b.add_argument("-f", "--config-file", default="mkdocs.yml")
    b.add_argument("--keep-going", action="store_true", help="build the rest when some content has errors")
    b.add_argument("--no-search", action="store_true", help="skip the Pagefind index (quicker previews)")
    b.add_argument("--strict-policy", action="store_true", help="a normative policy without interpretation is an error")
    b.set_defaults(func=cmd_build)

    sv = sub.add_parser("serve", help="live preview that rebuilds only what an edit changed (no search index)")
    sv.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="host:port (default 127.0.0.1:8000)")
    sv.add_argument("-f", "--config-file", default="mkdocs.yml")
    sv.add_argument("--site-dir", default=None, help="preview output (default: .cache/preview, never site/)")
    sv.set_defaults(func=cmd_serve)

    lk = sub.add_parser("linkcheck", help="check internal links and #fragments of a built site")
    lk.add_argument("site_dir")
    lk.add_argument("--external", action="store_true", help="also check external links (cached, rate-limited)")
    lk.add_argument("--cache", default=".cache/links.json", help="external link cache (default .cache/links.json)")
    lk.add_argument("--max-age", type=float, default=7, help="days a cached result stays fresh (default 7)")
    lk.add_argument("--fail-after", type=float, default=3,
                    help="days a link that was fine recently may fail before the check fails (default 3)")
    lk.add_argument("--timeout", type=float, default=10, help="seconds per request (default 10)")
    lk.add_argument("--host", action="append", help="treat absolute URLs on this host as internal")
    lk.add_argument("--format", choices=("text", "json"), default="text")
    lk.set_defaults(func=cmd_linkcheck)

    ins = sub.add_parser("inspect", help="the inspection report: stale and blank columns, single-veto risk")
    ins.add_argument("--today", type=_date, default=None, help="inspection date (YYYY-MM-DD)")
    ins.add_argument("--format", choices=("text", "json"), default="text")
    ins.add_argument("--site", default=None, help="built site: adds broken links and both-way link checks")
    ins.add_argument("--strict-policy", action="store_true")
    ins.add_argument("--fail-on-risk", action="store_true", help="exit 1 when there is a single-veto risk")
    ins.set_defaults(func=cmd_inspect)

    co = sub.add_parser("codeowners", help="write CODEOWNERS: each unit's folder to its editor groups")
    co.add_argument("--out", default="-", help="output file (default: stdout)")
    co.set_defaults(func=cmd_codeowners)

    from .importer import add_parser as add_import
    from .init import add_parser as add_init
    from .messages_import import add_parser as add_import_messages

    add_import(sub)
    add_import_messages(sub)
    add_init(sub)

    from .serveconf import add_parser as add_serve_config

    add_serve_config(sub)

    from .publish import add_parser as add_publish

    add_publish(sub)

    r = sub.add_parser("rules", help="list the rules")
    r.add_argument("--markdown", action="store_true", help="print docs/rules.md")
    r.set_defaults(func=cmd_rules)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `portal` console script."""
    args = parser().parse_args(argv)
    if args.content is None and args.command != "build":
        args.content = "content"
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
