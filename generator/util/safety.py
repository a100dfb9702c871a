"""Find executable constructs in editors' content, so `portal check` can point at them (rule E110).

This is a linter, not the defence: item bodies are sanitized with an allowlist (nh3, markup.py) and every
front-matter value is HTML-escaped by the templates, so nothing found here could reach a reader anyway. The
point is to tell an editor (or a reviewer of a suspicious commit) *where* the problem is, at `path:line`,
and to keep such a file out of the site until it is fixed.

What counts, after HTML entity decoding (`&#106;avascript:` is `javascript:`) and with whitespace and
control characters removed from URLs (`jav&#x09;ascript:` is `javascript:` to a browser):

- elements that run code or load active content: script, iframe, object, embed, svg, math, style, link,
  meta, base, form, frame, frameset, applet, template;
- `on*` event-handler attributes, and `style` attributes with `expression(`, `url(` or `javascript:`;
- links and sources with the schemes javascript:, vbscript:, livescript: or data:;
- `<video>`, `<audio>`, `<source>`, `<track>` loading from another server (the sanitizer drops such a source:
  a portal page makes no request elsewhere).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

_ELEMENTS = ("script", "iframe", "object", "embed", "svg", "math", "style", "link", "meta", "base", "form",
             "frame", "frameset", "applet", "template")
_ELEMENT = re.compile(r"<\s*(" + "|".join(_ELEMENTS) + r")\b", re.I)
_TAG = re.compile(r"""<\s*/?\s*[a-z][a-z0-9-]*(?:\s+[a-z][a-z0-9:_-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*"""
                  r"""\s*/?\s*>""", re.I)
_HANDLER = re.compile(r"<[a-z][^<>]*?[\s/\"'](on[a-z]+)\s*=", re.I)
_STYLE = re.compile(r"""\bstyle\s*=\s*(["']?)[^"'>]*?(expression\s*\(|url\s*\(|javascript:)""", re.I)
_URL_SPOTS = re.compile(
    r"""\]\(\s*<?(?P<md>[^)\s>]*)"""  # [text](url) and ![alt](url)
    r"""|^\s{0,3}\[[^\]]+\]:\s*<?(?P<ref>\S+?)>?(?:\s|$)"""  # [ref]: url
    r"""|<(?P<auto>[a-z][a-z0-9+.-]{1,31}:[^\s<>]*)>"""  # <scheme:...>
    r"""|\b(?:href|src|action|formaction|xlink:href|background|poster|data|srcset)\s*=\s*"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))""",  # raw HTML attributes
    re.I | re.M,
)
_CTRL = re.compile(r"[\x00-\x20\x7f]+")
_EXTERNAL_MEDIA = re.compile(r"""<\s*(video|audio|source|track)\b[^>]*?\b(?:src|poster)\s*=\s*["']?\s*"""
                             r"""(?:[a-z][a-z0-9+.-]*:|//)""", re.I)
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:")
#: Quick test: text with none of these cannot match any pattern above.
_MAYBE = re.compile(r"[<:&]")


def unsafe_url(url: str) -> bool:
    """Whether a URL (as written, possibly entity-encoded) has a scheme that runs code or embeds content."""
    plain = _CTRL.sub("", html.unescape(url)).lower()
    return plain.startswith(UNSAFE_SCHEMES)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos)


def scan_markdown(body: str) -> list[tuple[int, str]]:
    """(line offset within the body, what was found) for every unsafe construct, in order.

    Entity-encoded markup (`&lt;script&gt;`) is text, not markup, in Markdown and HTML alike, so elements and
    attributes are looked for in the source as written; URLs are decoded first, as a browser decodes an
    attribute value before using it.
    """
    if not _MAYBE.search(body):
        return []
    found: list[tuple[int, str]] = []
    for m in _ELEMENT.finditer(body):
        found.append((m.start(), f"<{m.group(1).lower()}> 元素"))
    for m in _HANDLER.finditer(body):
        found.append((m.start(1), f"事件属性 {m.group(1).lower()}"))
    for m in _STYLE.finditer(body):
        found.append((m.start(2), f"style 中的 {m.group(2).lower().rstrip('( ')}"))
    for m in _URL_SPOTS.finditer(body):
        url = next(v for v in m.groupdict().values() if v is not None)
        if unsafe_url(url):
            scheme = _CTRL.sub("", html.unescape(url)).lower().split(":", 1)[0]
            found.append((m.start(), f"{scheme}: 链接"))
    for m in _EXTERNAL_MEDIA.finditer(body):
        found.append((m.start(), f"外部网站的 <{m.group(1).lower()}> 地址（视频只能使用本单位目录中的文件）"))
    out: list[tuple[int, str]] = []
    for pos, what in sorted(found):
        entry = (_line(body, pos), what)
        if entry not in out:
            out.append(entry)
    return out


def unsafe_text(value: str) -> str | None:
    """For a plain-text field: what makes it unsafe (an HTML tag, even entity-encoded), or None."""
    if not _MAYBE.search(value):
        return None
    for text in (value, html.unescape(value)):
        m = _TAG.search(text)
        if m:
            return f"含有 HTML 标签“{m.group(0)[:40]}”"
    return None


# --------------------------------------------------------------------------- the built site

_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "background", "poster", "data",
                   "srcset", "cite", "longdesc", "manifest", "icon")


def scan_html(raw: bytes, rel: str = "") -> list[str]:
    """Executable constructs in one built page: a `<script>` inside the page content or loading from another
    host, any `on*` attribute, any javascript:/vbscript:/data: URL. The theme's own scripts (outside the
    content `<article>`, same-site or inline) are what the portal needs to work and are allowed."""
    import lxml.html

    if not raw.strip():
        return []
    doc = lxml.html.document_fromstring(raw)
    found = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag == "script":
            src = el.get("src") or ""
            in_article = any(a.tag == "article" for a in el.iterancestors())
            if in_article:
                found.append(f"{rel}: <script> in the page content")
            elif "//" in src.split("?")[0]:
                found.append(f"{rel}: <script src={src!r}> from another host")
        for name, value in el.attrib.items():
            low = name.lower()
            if low.startswith("on"):
                found.append(f"{rel}: <{tag} {low}=…>")
            elif low in _URL_ATTRIBUTES and unsafe_url(value):
                found.append(f"{rel}: <{tag} {low}={value[:40]!r}>")
            elif low == "style" and re.search(r"expression\s*\(|javascript:", value, re.I):
                found.append(f"{rel}: <{tag} style={value[:40]!r}>")
    return found


def scan_site(site_dir: str | Path) -> list[str]:
    """scan_html over every .html file of a built site (what the security test asserts is empty)."""
    root = Path(site_dir)
    out: list[str] = []
    for path in sorted(root.rglob("*.html")):
        out += scan_html(path.read_bytes(), path.relative_to(root).as_posix())
    return out
