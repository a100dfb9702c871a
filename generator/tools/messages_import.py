"""`portal import-messages`: answered messages from a CSV export of a 留言 system → message items.

The column map (docs/interaction.md) names, for each message field, the headers a 留言 system may use;
`--map FILE` (YAML, `field: 表头`) overrides it for one export. Rows marked not public (是否公开 = 否) are
skipped. ID and phone numbers are replaced by “（个人信息已隐去）” (the unit's own published phone and fax stay):
the validator rejects them (E401/E402), and an import should not produce files that fail. Existing files are
kept unless `--update`.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..model import urls
from ..model.content import MESSAGE_CATEGORIES
from ..model.normalize import Context, date
from ..stages.wording import digits, personal_data

#: message field → headers a 留言 system export may use (first match wins).
COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "number": ("信件编号", "留言编号", "编号", "查询码"),
    "title": ("来信主题", "留言标题", "信件标题", "标题", "主题"),
    "body": ("来信内容", "留言内容", "信件内容", "内容"),
    "received": ("来信日期", "留言时间", "提交时间", "来信时间", "写信时间"),
    "handler": ("受理单位", "办理单位", "承办单位"),
    "replied": ("答复日期", "回复时间", "答复时间", "办结时间"),
    "reply": ("答复内容", "回复内容", "办理结果"),
    "category": ("类别", "留言类型", "信件类型", "诉求类型"),
    "status": ("办理状态", "状态", "处理状态"),
    "public": ("是否公开", "公开"),
}
REQUIRED = ("title", "received")

STATUS = {"已办结": "已办结", "办结": "已办结", "已回复": "已办结", "已答复": "已办结", "已处理": "已办结",
          "办理中": "办理中", "处理中": "办理中", "转办中": "办理中",
          "已受理": "已受理", "待处理": "已受理", "未回复": "已受理", "待回复": "已受理"}
NOT_PUBLIC = {"否", "不公开", "0", "false", "n", "no"}
REDACTED = "（个人信息已隐去）"


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # existed, not --update
    skipped: list[str] = field(default_factory=list)  # "第 N 行：why"
    redacted: int = 0


def resolve_columns(header: list[str], overrides: dict[str, str] | None = None) -> dict[str, int]:
    """field → column index, from the map (and the overrides); a field without a column is left out."""
    index = {h.strip().lstrip("\ufeff"): i for i, h in enumerate(header)}
    out: dict[str, int] = {}
    for name, candidates in COLUMN_MAP.items():
        wanted = [overrides[name]] if overrides and name in overrides else list(candidates)
        for h in wanted:
            if h in index:
                out[name] = index[h]
                break
    return out


def _category(value: str) -> str:
    v = value.strip().rstrip("类")
    return v if v in MESSAGE_CATEGORIES else ("其他" if v else "咨询")


def _day(value: str) -> str | None:
    out, _ = date(value.strip(), Context())
    m = re.match(r"^\d{4}-\d{2}-\d{2}", out)
    return m.group() if m else None


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def import_messages(text: str, unit_dir: Path, *, overrides: dict[str, str] | None = None, update: bool = False,
                    public_numbers: set[str] | None = None) -> Outcome:
    """Write one message item per CSV row into `unit_dir/messages/`."""
    out = Outcome()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        out.skipped.append("文件为空")
        return out
    cols = resolve_columns(rows[0], overrides)
    missing = [f for f in REQUIRED if f not in cols]
    if missing:
        out.skipped.append("缺少列：" + "、".join(f"{f}（{'/'.join(COLUMN_MAP[f])}）" for f in missing))
        return out
    allowed = public_numbers or set()

    def clean(v: str) -> str:
        found = personal_data(v, allowed)
        for _off, _rule, s in sorted(found, key=lambda f: -f[0]):
            i = v.rfind(s)
            v = v[:i] + REDACTED + v[i + len(s):]
        out.redacted += len(found)
        return v.strip()

    folder = unit_dir / "messages"
    for n, row in enumerate(rows[1:], 2):
        if not any(c.strip() for c in row):
            continue
        values = {f: row[i].strip() for f, i in cols.items() if i < len(row)}
        get = values.get
        if (get("public") or "").lower() in NOT_PUBLIC:
            out.skipped.append(f"第 {n} 行：不公开")
            continue
        received = _day(get("received") or "")
        if not get("title") or not received:
            out.skipped.append(f"第 {n} 行：缺少来信主题或来信日期")
            continue
        replied = _day(get("replied") or "") if get("replied") else None
        reply = clean(get("reply") or "")
        status = STATUS.get(get("status") or "", "已办结" if reply and replied else "已受理")
        if status == "已办结" and not (reply and replied):
            status = "办理中"
        number = re.sub(r"[^a-z0-9]+", "-", (get("number") or "").lower()).strip("-")
        slug = f"{received}-{number}"[:100] if number else urls.slugify(get("title") or "", received)
        path = folder / f"{slug}.md"
        if path.exists() and not update:
            out.kept.append(path)
            continue
        fm = [f"title: {_q(clean(get('title') or ''))}", f"date: {replied or received}", f"received: {received}",
              f"category: {_category(get('category') or '')}", f"status: {status}"]
        if get("handler"):
            fm.append(f"handler: {_q(get('handler') or '')}")
        if replied and status == "已办结":
            fm.append(f"replied: {replied}")
        if reply:
            fm.append(f"reply: {_q(reply)}")
        body = clean(get("body") or "")
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + "\n".join(fm) + "\n---\n" + (body + "\n" if body else ""), encoding="utf-8")
        out.written.append(path)
    return out


def _unit_numbers(unit_dir: Path) -> set[str]:
    try:
        data: Any = yaml.safe_load((unit_dir / "unit.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return set()
    contact = data.get("contact") if isinstance(data, dict) else None
    if not isinstance(contact, dict):
        return set()
    return {digits(str(contact[k])) for k in ("phone", "fax") if contact.get(k)}


def cmd_import_messages(args: argparse.Namespace) -> int:
    unit_dir = Path(args.content) / "units" / args.unit
    if not (unit_dir / "unit.yml").is_file():
        print(f"没有单位目录：{unit_dir}")
        return 2
    overrides = None
    if args.map:
        overrides = yaml.safe_load(Path(args.map).read_text(encoding="utf-8")) or {}
        unknown = [k for k in overrides if k not in COLUMN_MAP]
        if unknown:
            print("列映射中的未知字段：" + "、".join(unknown) + "；可用：" + "、".join(COLUMN_MAP))
            return 2
    raw = Path(args.csv).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")  # 留言 systems often export GBK
    out = import_messages(text, unit_dir, overrides=overrides, update=args.update,
                          public_numbers=_unit_numbers(unit_dir))
    for p in out.written:
        print(f"写入 {p}")
    for s in out.skipped:
        print(f"跳过 {s}")
    print(f"导入 {len(out.written)} 条，保留已有 {len(out.kept)} 条，跳过 {len(out.skipped)} 条，"
          f"隐去个人信息 {out.redacted} 处")
    return 1 if out.skipped and not out.written else 0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register `portal import-messages`."""
    p = subparsers.add_parser("import-messages", help="import answered messages from a 留言 system CSV export")
    p.add_argument("--unit", required=True, help="unit id whose messages column receives the items")
    p.add_argument("--content", default="content", help="content folder (default: content)")
    p.add_argument("--map", default=None, help="YAML column map overriding the default: field: 表头")
    p.add_argument("--update", action="store_true", help="rewrite messages already imported (same file)")
    p.add_argument("csv", help="the CSV export (UTF-8 or GBK)")
    p.set_defaults(func=cmd_import_messages)
    return p
