"""The `portal` command: check, new, schema, build, serve, linkcheck, inspect, codeowners, import, rules,
serve-config, publish."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path
from typing import NoReturn

from ..model import diagnostics as dg


def parse_date(value: str) -> dt.date:
    """A date written in any form a content file accepts (normalize.date); ValueError in Chinese otherwise."""
    from ..model.normalize import DATE_FORMS
    from ..model.normalize import date as norm_date

    iso, _ = norm_date(value, None)  # type: ignore[arg-type]
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", iso):
            raise ValueError(iso)
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        raise ValueError(f"日期“{value}”无法识别或不存在；可写：{DATE_FORMS}") from None


def _date(value: str) -> dt.date:
    try:
        return parse_date(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


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


def _content_files(wanted: list[Path]) -> list[Path]:
    """The content files (items, YAML data, CSV data) at or under the given paths."""
    out = []
    for w in wanted:
        for f in ([w] if w.is_file() else sorted(w.rglob("*"))):
            if f.is_file() and f.suffix in (".md", ".yml", ".yaml", ".csv") and not f.name.startswith("."):
                out.append(f)
    return out


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the content tree; report on PATHs only (cross-references still use the whole tree)."""
    from ..stages.pipeline import check

    result = check(args.content, today=args.today, strict_policy=args.strict_policy, use_cache=not args.no_cache)
    diags, changes = result.diagnostics, result.changes
    selected_files = None
    if args.paths:
        wanted = [Path(p).resolve() for p in args.paths]
        missing = [p for p, w in zip(args.paths, wanted, strict=True) if not w.exists()]
        if missing:
            print(f"portal check：文件或目录不存在：{'、'.join(missing)}", file=sys.stderr)
            return 2
        root = Path(args.content).resolve()
        outside = [p for p, w in zip(args.paths, wanted, strict=True) if w != root and root not in w.parents]
        if outside:
            print(f"portal check：不在内容目录 {root} 中，未检查：{'、'.join(outside)}", file=sys.stderr)
            return 2
        selected_files = _content_files(wanted)
        if not selected_files:
            print(f"portal check：{'、'.join(args.paths)} 中没有内容文件（.md、.yml、.csv），未检查任何文件",
                  file=sys.stderr)
            return 2
        selected = _selector(args.content, wanted)
        diags = [d for d in diags if selected(d.path)]
        changes = [c for c in changes if selected(c.path)]
    summary = result.summary()
    if selected_files is not None:  # what was checked is what is reported: the files named, not the tree
        summary = {"checked_files": len(selected_files), **summary}
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
        print("，".join(f"{_SUMMARY_ZH.get(k, k)} {v}" for k, v in summary.items()))
    return 1 if summary["errors"] else 0


def _new_disclosure_guide(args: argparse.Namespace, ix) -> int:
    """`portal new 信息公开指南 --unit U`: add the 指南 block to the unit's unit.yml."""
    from .scaffold import add_disclosure_guide, find_unit

    unit = find_unit(ix, args.unit)
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


#: The labels of `portal check`'s last line (the JSON summary keeps the English keys).
_SUMMARY_ZH = {"checked_files": "已检查文件", "units": "单位", "items": "文章", "matters": "事项",
               "errors": "错误", "warnings": "警告"}


def cmd_new(args: argparse.Namespace) -> int:
    """Scaffold an item in the right folder with every required field."""
    from ..stages.pipeline import check
    from .scaffold import XXGK_NAMES, Choice, choose, new_item

    day = None
    if args.date is not None:
        try:
            day = parse_date(args.date)
        except ValueError as e:
            print(f"portal new：{e}", file=sys.stderr)
            return 2
    result = check(args.content)
    ix = result.index
    if ix is None:
        print("portal new：content/portal.yml 或 content/taxonomy.yml 有错误，请先运行 portal check", file=sys.stderr)
        return 1
    if args.type in XXGK_NAMES:
        return _new_disclosure_guide(args, ix)
    if not args.title:
        print("portal new：请用 --title 填写标题", file=sys.stderr)
        return 2
    chosen = choose(ix, args.type, args.unit, args.column)
    if not isinstance(chosen, Choice):
        print(f"portal new：{chosen}", file=sys.stderr)
        return 2
    path = new_item(Path(args.content), chosen.unit.path, chosen.column, chosen.type, args.title, day)
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


def _chinese_logging(level: int) -> None:
    """Log lines an editor reads start with 警告/错误/信息, not WARNING/ERROR/INFO."""
    import logging

    names = {"DEBUG": "调试", "INFO": "信息", "WARNING": "警告", "ERROR": "错误", "CRITICAL": "严重错误"}

    class Zh(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return f"{names.get(record.levelname, record.levelname)} {record.getMessage()}"

    handler = logging.StreamHandler()
    handler.setFormatter(Zh())
    logging.basicConfig(level=level, handlers=[handler])


def cmd_build(args: argparse.Namespace) -> int:
    """Validate, build into a temporary directory, run the post steps, swap into the site directory."""
    import logging

    from ..render.build import BuildFailed, build

    _chinese_logging(logging.WARNING)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        result = build(args.config_file, args.site_dir, keep_going=args.keep_going,
                       strict_policy=args.strict_policy, content_dir=args.content, search=not args.no_search)
    except BuildFailed as e:
        print(f"portal build：构建失败，未修改现有网站：{e}", file=sys.stderr)
        return 1
    if result.skipped:
        print(f"portal build：--keep-going 跳过了 {len(result.skipped)} 个有错误的文件：", file=sys.stderr)
        for path in result.skipped:
            print(f"  {path}", file=sys.stderr)
    errors = sum(d.severity == dg.ERROR for d in result.diagnostics)
    if result.search is not None:
        s = result.search
        print(f"portal build：搜索索引 {s.pages} 页，{len(s.shards)} 个分片（复用 {s.reused} 个），"
              f"{s.seconds:.1f} 秒，内存峰值 {s.peak_rss_mb:.0f} MB")
    if result.timings:
        print("portal build：各阶段用时 " + " · ".join(f"{k} {v:.1f} 秒" for k, v in result.timings.items()))
    print(f"portal build：{result.pages} 个页面，用时 {result.seconds:.1f} 秒 → {result.site_dir}"
          + (f"（跳过了 {errors} 处错误）" if errors else ""))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Live preview: build once, then rebuild only what each edit changed (see devserver.py)."""
    import logging

    from ..render.build import BuildFailed
    from .devserver import serve

    _chinese_logging(logging.INFO)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)
    host, _, port = args.dev_addr.rpartition(":")
    site_dir = args.site_dir or str(Path(args.config_file).resolve().parent / ".cache" / "preview")
    from .cms import editor_hint

    hint = editor_hint(Path(args.content).resolve(), Path(getattr(args, "cwd", ".")).resolve(),
                       host or "127.0.0.1", int(port))
    try:
        serve(args.config_file, args.content, site_dir, host=host or "127.0.0.1", port=int(port), banner=hint)
    except BuildFailed as e:
        print(f"portal serve: {e}", file=sys.stderr)
        return 1
    return 0


def _index(content: str):
    """The content tree's index, when it is at hand (to name units and map links back to their source)."""
    from ..stages.pipeline import check

    if not Path(content).is_dir():
        return None
    return check(content).index


def cmd_linkcheck(args: argparse.Namespace) -> int:
    """Check every internal link and #fragment of a built site (and, with --external, the external ones)."""
    from collections import defaultdict

    from ..checks.linkcheck import check_external, check_site
    from ..stages import bodylinks

    site = Path(args.site_dir)
    if not site.is_dir():
        print(f"portal linkcheck：目录不存在：{site}", file=sys.stderr)
        return 2
    hosts = set(args.host or [])
    report = check_site(site, hosts)
    ix = _index(args.content) if report.broken else None  # unit names and source lines, for broken links only
    names = {url.strip("/").split("/")[-1]: ix.units[uid].name for uid, url in ix.unit_urls.items()} if ix else {}
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
            source = bodylinks.source_of(ix, b.page, b.link) if ix else ""
            out["broken"].append({"unit": key, "page": b.page, "link": b.link, "reason": b.reason,
                                  "source": source})
            if args.format == "text":
                print(f"  {b}" + (f"\n    源文件：{source}" if source else ""))
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
            print(f"外部链接 {len(results)} 个（{ext}）")
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
    unit = None
    if args.unit:
        from ..util.suggest import did_you_mean
        from .scaffold import find_unit

        u = find_unit(result.index, args.unit)
        if u is None or u.kind == "community":
            names = [n for x in result.index.units.values() for n in (x.id, x.name, x.short_name or "")]
            print(f"portal inspect：未知单位“{args.unit}”{did_you_mean(args.unit, names)}", file=sys.stderr)
            return 2
        unit = u.id
    report = inspect(result.index, result.diagnostics, args.today, links, pages)
    if args.format == "json":
        if unit is not None:
            report.units = [f for f in report.units if f.unit == unit]
        print(report.to_json())
    else:
        print(format_text(report, unit))
    if args.fail_on_risk and (report.verdict == RISK if unit is None
                              else any(f.verdict == RISK for f in report.units if f.unit == unit)):
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


_ARGPARSE_ZH = (
    ("the following arguments are required: ", "缺少参数："),
    ("unrecognized arguments: ", "无法识别的参数："),
    ("invalid choice: ", "无效的选项："),
    ("(choose from ", "（可选："),
    ("expected one argument", "需要一个值"),
    ("argument ", "参数 "),
)


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors in Chinese (one line, exit 2), like every other message editors see."""

    def error(self, message: str) -> NoReturn:
        for en, zh in _ARGPARSE_ZH:
            message = message.replace(en, zh)
        self.exit(2, f"{self.prog}：命令写法有误：{message}（用 {self.prog} -h 查看用法）\n")


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for docs and tests)."""
    p = _Parser(prog="portal", description="Consolidated government portal generator")
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

    n = sub.add_parser("new", help="scaffold an item: portal new 工作动态 --unit 区卫健局 --title 标题 "
                                    "(or the unit's 政府信息公开指南: portal new 信息公开指南 --unit UNIT)")
    n.add_argument("type", help="column or type, by id or Chinese name: 工作动态, news, 政策文件, policy, 政策解读 …")
    n.add_argument("--unit", required=True, help="unit id (folder name), short name or full name")
    n.add_argument("--title", help="title (required for items)")
    n.add_argument("--column", help="column id or name (default: the unit's column for TYPE)")
    n.add_argument("--date", default=None, help="publish date in any form a file accepts (default: today)")
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
    ins.add_argument("--unit", default=None, help="one unit (id, short or full name): every finding listed")
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

    from .cms import add_parser as add_cms

    add_cms(sub)

    r = sub.add_parser("rules", help="list the rules")
    r.add_argument("--markdown", action="store_true", help="print docs/rules.md")
    r.set_defaults(func=cmd_rules)
    return p


#: Path-valued options per command: a value the editor typed is relative to where they typed it.
_PATH_OPTIONS: dict[str, tuple[str, ...]] = {
    "check": ("paths",), "schema": ("out",), "build": ("site_dir", "config_file"),
    "serve": ("config_file", "site_dir"), "linkcheck": ("site_dir", "cache"), "inspect": ("site",),
    "codeowners": ("out",), "import": ("sources",), "cms": ("out",),
}
#: Commands that work without a project (a built site, or nothing at all).
_NO_PROJECT_NEEDED = {"rules", "linkcheck"}


def find_root(start: Path) -> Path | None:
    """The project root: the nearest folder at or above `start` with content/portal.yml (or mkdocs.yml and
    content/), found the way git finds .git, so `portal` works from inside any unit folder."""
    start = start.resolve()
    for d in (start, *start.parents):
        if (d / "content" / "portal.yml").is_file() or ((d / "mkdocs.yml").is_file() and (d / "content").is_dir()):
            return d
    return None


def _absolute_paths(p: argparse.ArgumentParser, args: argparse.Namespace, cwd: Path) -> None:
    """Make the path options the editor typed absolute (defaults stay relative to the project root)."""
    sub = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    defaults = {a.dest: a.default for a in sub.choices[args.command]._actions}
    for name in _PATH_OPTIONS.get(args.command, ()):
        value = getattr(args, name, None)
        if value is None or value == defaults.get(name) or value == "-":
            continue
        if isinstance(value, list):
            setattr(args, name, [str(cwd / v) for v in value])
        else:
            setattr(args, name, str(cwd / value))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `portal` console script.

    Without --content the project root is looked up from the current folder upwards; the command then runs
    from the root (paths in messages read `content/units/…`), with the paths the editor typed kept meaning
    what they meant where they typed them.
    """
    p = parser()
    args = p.parse_args(argv)
    cwd = Path.cwd()
    if args.content is not None or args.command == "init":  # init creates a project where it is told
        return args.func(args)
    root = find_root(cwd)
    for named in getattr(args, "paths", None) or ():  # `portal check /abs/path/x.md` from anywhere
        if root is None and (cwd / named).exists():
            root = find_root((cwd / named).parent)
    if root is None:
        if args.command in _NO_PROJECT_NEEDED:
            args.content = "content"
            return args.func(args)
        print(f"portal {args.command}：在 {cwd} 及其上级目录中找不到门户项目（应有 content/portal.yml），"
              "请在项目目录中运行，或用 --content 指定内容目录", file=sys.stderr)
        return 2
    _absolute_paths(p, args, cwd)
    args.cwd = str(cwd)  # where the editor typed the command (serve opens that unit's editor)
    if args.command != "build":
        args.content = "content"
    if root == cwd:
        return args.func(args)
    os.chdir(root)
    try:
        return args.func(args)
    finally:
        os.chdir(cwd)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
