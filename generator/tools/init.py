"""`portal init DIR`: a new content repository that `portal check` and `portal build` accept.

It holds mkdocs.yml (the Material theme, the portal plugin, an `overrides/` folder where any of the
generator's templates or assets can be replaced by a file of the same path), `content/` with portal.yml,
the unified taxonomy and one unit with one item, `pages/` (MkDocs' own pages), a pre-commit hook running
`portal check`, and the CI example as `.github/workflows/portal.yml`. The files come from
`generator/tools/starter/` (package data; files named `dot-x` are written as `.x`).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

STARTER = Path(__file__).resolve().parent / "starter"


def target_name(rel: Path) -> Path:
    """The path a starter file is written to (dot-x → .x in every part)."""
    return Path(*[("." + p[4:]) if p.startswith("dot-") else p for p in rel.parts])


def init(dest: Path) -> list[Path]:
    """Write the starter repository into dest (which must not hold a portal yet); returns the files written."""
    clash = [n for n in ("mkdocs.yml", "content") if (dest / n).exists()]
    if clash:
        raise FileExistsError(f"{dest} 中已有 {'、'.join(clash)}，不会覆盖")
    written = []
    for src in sorted(p for p in STARTER.rglob("*") if p.is_file()):
        out = dest / target_name(src.relative_to(STARTER))
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, out)
        written.append(out)
    return written


def cmd_init(args) -> int:
    dest = Path(args.dir)
    try:
        files = init(dest)
    except FileExistsError as e:
        print(f"portal init: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"portal init: 无法写入 {dest}：{e.strerror}", file=sys.stderr)
        return 2
    print(f"portal init: 已在 {dest} 创建内容仓库（{len(files)} 个文件）。")
    print(f"下一步：cd {dest} && portal check && portal build")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("init", help="create a content repository: mkdocs.yml, content/, overrides/, CI example")
    p.add_argument("dir", help="folder to create it in (may exist, but must not hold mkdocs.yml or content/)")
    p.set_defaults(func=cmd_init)
