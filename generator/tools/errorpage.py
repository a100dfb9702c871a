"""The preview's error page: what `portal serve` shows at an item's URL while its file has errors.

Without it a broken file's page simply disappears (404) and the reason is only in the terminal. The page lists
each diagnostic (path:line:col, rule, Chinese message) with the offending lines of the file; the live-reload
script the preview server injects into every HTML page brings the real page back once the file is fixed.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..model import urls
from ..model.diagnostics import RULES, Diagnostic

_CSS = """body{font:16px/1.6 system-ui,"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:0;background:#fff5f5;
color:#1a1a1a}main{max-width:60rem;margin:2rem auto;padding:0 1rem}h1{color:#b00020;font-size:1.5rem}
.diag{background:#fff;border-left:4px solid #b00020;padding:.75rem 1rem;margin:1rem 0}
.where{font-family:monospace;font-weight:bold}.rule{background:#b00020;color:#fff;padding:0 .4rem;border-radius:3px}
pre{background:#f6f6f6;padding:.5rem;overflow-x:auto}mark{background:#ffd6d6}"""


def item_url(rel: str) -> str | None:
    """The public URL an item file would have (content-relative posix path), None for non-item files."""
    parts = rel.split("/")
    if len(parts) < 4 or parts[0] != "units" or not rel.endswith(".md"):
        return None
    slug = parts[-1][:-3]
    if parts[2] == "communities" and len(parts) >= 6:
        return urls.item_url(urls.unit_url(parts[3], parts[1]), parts[4], slug)
    return urls.item_url(urls.unit_url(parts[1]), parts[2], slug)


def _excerpt(file: Path, line: int, around: int = 2) -> str:
    try:
        lines = file.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return ""
    out = []
    for n in range(max(1, line - around), min(len(lines), line + around) + 1):
        text = f"{n:>4} | {html.escape(lines[n - 1])}"
        out.append(f"<mark>{text}</mark>" if n == line else text)
    return "<pre>" + "\n".join(out) + "</pre>"


def render(diags: list[Diagnostic], base: Path) -> str:
    """A self-contained HTML page (no theme, no external assets) listing diagnostics (paths relative to base)."""
    items = []
    for d in diags:
        file = base / d.path
        sev = "错误" if d.severity == "error" else "警告"
        items.append(
            f'<section class="diag"><p><span class="where">{html.escape(d.path)}:{d.line}:{d.col}</span> '
            f'<span class="rule">{d.rule}</span> {sev}：{html.escape(RULES[d.rule].title)}</p>'
            f"<p>{html.escape(d.message)}</p>{_excerpt(file, d.line)}"
            f"<p>如何修改：{html.escape(RULES[d.rule].help)}</p></section>")
    return ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            f"<title>内容有错误 — 预览</title><style>{_CSS}</style></head><body><main>"
            "<h1>这篇内容有错误，暂时无法预览</h1>"
            f"<p>修改并保存文件后，本页会自动刷新。共 {len(diags)} 处：</p>{''.join(items)}</main></body></html>\n")
