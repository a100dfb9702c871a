"""`portal import`: turn saved pages of the old department and street sites into content items.

A SOURCE is a saved page (.html/.htm/.shtml), a folder of them (recursive), or a list file of
`old-URL <TAB> saved-file` lines. Each page is decoded (UTF-8, GBK/GB18030, Big5), its article is found
(known CMS containers first, then a text-density search), metadata is read from the 47号 meta tags, the
信息公开 header table and the `发布时间：… 来源：…` line, and the body becomes clean Markdown. Images and
attachments are copied next to the item. Existing items are never overwritten: an old URL already in a
unit's `legacy_urls` is skipped unless `--update` is given, which rewrites that same file.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import codecs
import datetime as dt
import hashlib
import os
import re
import shutil
import sys
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from ..model.content import GUIDE_ELEMENTS, Guide, Item, Policy, fields_of, item_class
from ..model.normalize import Context, apply, processors_for
from ..model.urls import slugify
from ..util.fsio import write_atomic

if TYPE_CHECKING:
    from bs4 import Tag

# bs4, Markdown, PyYAML and the model are imported where they are used: `portal` builds its argument parser
# with add_parser() for every command, and importing them here would slow down `portal check` for nothing.

PAGE_SUFFIXES = frozenset({".html", ".htm", ".shtml"})
ATTACHMENT_SUFFIXES = frozenset({
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".wps", ".ofd",
    ".ppt", ".pptx", ".et", ".dps", ".rar", ".7z", ".csv", ".txt",
})
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg"})
MAX_PAGE_BYTES = 20 * 1024 * 1024
DEFAULT_COLUMN = "news"

# Fields the importer owns in front matter; on --update every other key an editor added is kept.
_OWNED = ("title", "type", "date", "source", "author", "doc_number", "index_no", "issued", "effective", "expires",
          "attachments", "legacy_urls")

_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2028\u2029\u2060\ufeff]")


class PageError(Exception):
    """A page that cannot be imported; the message (Chinese) says why."""


class UsageError(Exception):
    """Wrong arguments (unknown unit or column); the command exits with 2."""


# --------------------------------------------------------------------------- decoding

_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENC_RE = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_CODECS = {
    "utf-8": "utf-8", "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
    # Browsers decode every GB label as GB18030 (a superset), which covers characters like 珺 and 镕
    # that are outside GB2312 but were typed into "gb2312" pages all the same.
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "gb_2312": "gb18030",
    "gb18030": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030", "chinese": "gb18030", "csgb2312": "gb18030",
    "iso-ir-58": "gb18030", "windows-936": "gb18030",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "cn-big5": "big5hkscs", "x-x-big5": "big5hkscs",
    "csbig5": "big5hkscs",
}
_MAX_REPLACEMENTS = 5


def declared_charset(raw: bytes) -> str | None:
    """The charset a page declares (meta charset, http-equiv content-type or XML declaration), lower-case."""
    head = raw[:16384]
    m = _CHARSET_RE.search(head) or _XML_ENC_RE.search(head)
    return m.group(1).decode("ascii", "replace").lower().strip(" ;\"'") if m else None


def decode_html(raw: bytes) -> tuple[str, str, str]:
    """Decode a saved page: (text, codec used, note for the report); PageError when it is not text."""
    if not raw.strip():
        raise PageError("文件为空")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(codec), codec, ""
            except UnicodeDecodeError:
                raise PageError("文件以 Unicode 标记开头，但内容无法解码") from None
    if b"\x00" in raw[:65536]:
        raise PageError("不是网页（二进制文件）")
    declared = declared_charset(raw)
    codec = _CODECS.get(declared or "")
    if codec is None and declared:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            codec = None
    order = [codec] if codec in ("utf-8", "gb18030", "big5hkscs") else []
    order += [c for c in ("utf-8", "gb18030") if c not in order]
    if codec and codec not in order:
        order.append(codec)
    for c in order:
        try:
            text = raw.decode(c)
        except UnicodeDecodeError:
            continue
        return text, c, ""
    # A few broken bytes (a truncated save) are replaced as a browser would; more means a wrong guess.
    best = order[0]
    text = raw.decode(best, errors="replace")
    bad = text.count("\ufffd")
    if bad <= _MAX_REPLACEMENTS:
        return text, best, f"有 {bad} 处字节无法按 {best} 解码，已替换为 �"
    raise PageError("无法识别文件编码（不是 UTF-8、GBK/GB18030 或所声明的编码）")


# --------------------------------------------------------------------------- text helpers


def _norm(text: str) -> str:
    """Whitespace-collapsed, trimmed text (no zero-width characters)."""
    return re.sub(r"\s+", " ", _ZERO_WIDTH.sub("", text)).strip()


def _squash(text: str) -> str:
    """Text without any whitespace (for comparing titles and labels)."""
    return re.sub(r"\s+", "", _ZERO_WIDTH.sub("", text))


def _cjk_text(el: Tag) -> str:
    """An element's text on one line; the space a line break leaves between Chinese characters is dropped."""
    text = _norm(el.get_text(" "))
    return re.sub(rf"(?<=[{_CJK}]) (?=[{_CJK}])", "", text)


def _line(text: str) -> str:
    """A line of text for label parsing: runs of two or more blanks (&nbsp; padding) stay visible as two."""
    text = _ZERO_WIDTH.sub("", text)
    return re.sub(r"\s+", lambda m: "  " if len(m.group()) > 1 else " ", text).strip()


_DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*日?"
    r"(?:\s*(?:T|\s)?\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?!\d))?"
)
_URL_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/]?(0[1-9]|1[0-2])[-/]?(0[1-9]|[12]\d|3[01])(?!\d)")


def parse_date(text: str) -> str | None:
    """The first valid date in a text as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM` (None when there is none)."""
    for m in _DATE_RE.finditer(text.translate(_FULLWIDTH)):
        y, mo, d, hh, mm = m.groups()
        try:
            day = dt.date(int(y), int(mo), int(d))
        except ValueError:
            continue
        out = day.isoformat()
        if hh is not None and int(hh) < 24 and int(mm) < 60 and (int(hh), int(mm)) != (0, 0):
            out += f" {int(hh):02d}:{int(mm):02d}"
        return out
    return None


# --------------------------------------------------------------------------- labels

# (label, field, strong). Strong labels are specific enough to trust anywhere near the article; weak ones
# ("日期", "时间", "发布机构") only in the metadata table or the lines between the title and the body.
_LABEL_DEFS: list[tuple[str, str, bool]] = [
    ("发布时间", "date", True), ("发布日期", "date", True), ("公开日期", "date", True), ("发表时间", "date", True),
    ("发稿时间", "date", True), ("更新时间", "date", False), ("生成日期", "date", False),
    ("录入时间", "date", False), ("日期", "date", False), ("时间", "date", False),
    ("成文日期", "issued", True), ("发文日期", "issued", True),
    ("信息来源", "source", True), ("文章来源", "source", True), ("稿件来源", "source", True),
    ("来源", "source", True), ("发布机构", "publisher", False), ("发布单位", "publisher", False),
    ("发文机关", "publisher", False), ("发文单位", "publisher", False),
    ("作者", "author", True), ("撰稿人", "author", True), ("撰稿", "author", True), ("供稿", "author", True),
    ("发文字号", "doc_number", True), ("发文文号", "doc_number", True), ("文号", "doc_number", True),
    ("索引号", "index_no", True),
    # Traditional spellings (Big5 pages).
    ("發布時間", "date", True), ("發布日期", "date", True), ("發佈時間", "date", True), ("發佈日期", "date", True),
    ("來源", "source", True), ("資料來源", "source", True), ("發文字號", "doc_number", True),
    ("文號", "doc_number", True), ("索引號", "index_no", True),
    # Stop labels: recognised so their values do not run into the fields above.
    ("浏览次数", "", False), ("浏览量", "", False), ("点击数", "", False), ("点击率", "", False),
    ("访问量", "", False), ("阅读次数", "", False), ("阅读数", "", False), ("字号", "", False),
    ("字体", "", False), ("分类", "", False), ("主题分类", "", False), ("体裁分类", "", False),
    ("关键词", "", False), ("责任编辑", "", False), ("编辑", "", False), ("有效性", "", False),
    ("生效日期", "effective", True), ("施行日期", "effective", True), ("失效日期", "expires", True),
    ("名称", "", False), ("标题", "", False),
    ("所属主题", "", False), ("主题词", "", False), ("组配分类", "", False), ("服务对象", "", False),
]
_LABELS = {name: (fld, strong) for name, fld, strong in _LABEL_DEFS}
#: Fields a 信息公开 header table holds; a table inside the body with two of them is that header, not content.
_META_TABLE_FIELDS = frozenset({"index_no", "publisher", "doc_number", "issued", "date"})


@cache
def _label_re() -> re.Pattern[str]:
    """`标签：` for every label (spaces allowed between its characters, as in `索 引 号：`), longest first."""
    return re.compile("(" + "|".join("[ \u3000\u00a0]*".join(map(re.escape, name))
                                     for name in sorted(_LABELS, key=len, reverse=True)) + r")\s*[:：]")


_VALUE_CUT = re.compile(r"\s{2,}|[|｜【】\[\]]|[ \u3000\u00a0]{2,}")
_EMPTY_VALUES = frozenset({"", "无", "暂无", "-", "—", "/", "本站", "本网", "原创", "未知", "null", "none"})


def _segments(line: str) -> Iterator[tuple[str, str, bool, str]]:
    """(label, field, strong, value) for each `标签：值` in a line of text."""
    matches = list(_label_re().finditer(line))
    for i, m in enumerate(matches):
        label = _squash(m.group(1))
        fld_name, strong = _LABELS[label]
        # A generic label inside a longer word ("办公时间") is not a label.
        if not strong and m.start() > 0 and re.match(f"[{_CJK}]", line[m.start() - 1]) and \
                line[m.start() - 1] not in "：:，。；、】）)":
            continue
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        value = _VALUE_CUT.split(line[m.end():end].strip(), maxsplit=1)[0]
        yield label, fld_name, strong, value.strip(" \t\u3000\u00a0：:，,;；()（）")


def _unlabeled_date(line: str) -> str | None:
    """A date in an info line that is not the value of another label (成文日期, 生效日期, 浏览次数 …)."""
    text = line.translate(_FULLWIDTH)
    labels = [(m.start(), _LABELS[_squash(m.group(1))][0]) for m in _label_re().finditer(text)]
    for m in _DATE_RE.finditer(text):
        owner = [fld_name for pos, fld_name in labels if pos < m.start()]
        if owner and owner[-1] != "date":
            continue
        found = parse_date(m.group(0))
        if found:
            return found
    return None


_DOCNO_RE = re.compile(
    rf"[{_CJK}A-Za-z]{{1,14}}\s*[〔\[［(（【]\s*(?:19|20)\d{{2}}\s*[〕\]］)）】]\s*第?\s*\d{{1,5}}\s*号"
)


# --------------------------------------------------------------------------- page structure

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
                        "embed", "svg", "math", "input", "button", "select", "textarea", "audio", "video",
                        "canvas", "map", "head", "title", "meta", "link", "base"})
_BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "center",
                         "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody",
                         "tfoot", "tr", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
                         "form", "fieldset", "figure", "figcaption", "address", "body", "html"})
_PARA_BREAKERS = ["p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
                  "blockquote", "pre", "dl", "center"]
_CONTAINERS = frozenset({"div", "td", "th", "article", "section", "main", "body", "form", "center",
                         "blockquote"})
# Page chrome by class or id: a word at the start of a name or after - or _ ("bottom_btn", "main-nav"). Whole-page
# headers only when the name starts with header/top ("article-header" holds the title and stays).
_CHROME_RE = re.compile(
    r"(^|[-_])(footer|foot|copyright|sidebar|crumbs?|breadcrumbs?|banner|bottom|share|location|position|dqwz|"
    r"related|xglj|toolbar|bdshare|jiathis|bshare|fenxiang|qrcode|erweima|prevnext|sxp|fontsize|font-size|zihao|"
    r"dibu|friendlink|yqlj|menu|nav|navbar|logo|weizhi)"
    r"|^(header|top)([-_\d]|$|bar|nav|wrap)|bdshare|jiathis|breadcrumb|copyright"
)
_CHROME_TAGS = frozenset({"header", "footer", "nav", "aside"})
_BODY_SELECTORS = (
    ".TRS_Editor", ".TRS_UEDITOR", ".trs_editor_view", "#UCAP-CONTENT", ".article-content", ".article_content",
    ".articleContent", ".art-content", ".news-content", ".news_content", ".newsContent", ".detail-content",
    ".detail_content", ".content-text", ".content_text", ".zwnr", "#zwnr", ".zw-con", ".zw_con", ".conTxt",
    ".con_txt", ".wzcon", ".xl_content", ".pages_content", ".view_content", "#zoom", "#Zoom", "#fontzoom",
    ".zoom", "#zw", ".zw",
)

_PRINT_TOKEN = re.compile(
    r"[【\[]\s*(?:打印本页|打印此页|打印文章|打印页面|打印|关闭窗口|关闭本页|关闭页面|关闭|返回顶部|返回|"
    r"收藏本页|加入收藏|收藏|保存本页|我要纠错|纠错)\s*[】\]]"
)
_FONT_SIZE = re.compile(r"(?:字体|字号)\s*[:：]?\s*[【\[]?\s*大\s*中\s*小\s*[】\]]?")
_CRUMB_RE = re.compile(r"^\s*(?:当前位置|所在位置|您的位置|您现在的位置|您当前的位置|您当前位置|现在的位置|"
                       r"当前的位置|位置)\s*[:：]")
_CRUMB2_RE = re.compile(r"^\s*(?:首页|网站首页)\s*[>»＞›/→]")
_FOOTER_STRONG = re.compile(r"网站标识码|ICP\s*备|ICP\s*证|公网安备|版权所有|Copyright|©|网站声明|"
                            r"网站地图|技术支持\s*[:：]", re.I)
_FOOTER_PAIR = (re.compile(r"主办(?:单位)?\s*[:：]"), re.compile(r"承办(?:单位)?\s*[:：]"))
_NAV_TEXT = re.compile(r"^\s*(?:上一篇|下一篇|上一条|下一条|分享到|扫一扫|相关链接|相关文章|相关新闻|"
                       r"打印本页|关闭窗口)")
_PRINT_WORDS = frozenset({"打印", "打印本页", "打印此页", "关闭", "关闭窗口", "关闭本页", "返回", "返回顶部",
                          "收藏", "加入收藏", "分享", "大", "中", "小",
                          # the old CMS's own exports of the page, not attachments
                          "word下载", "pdf下载", "wps下载", "下载word", "下载pdf", "word版", "pdf版",
                          "下载word版", "下载pdf版"})
_TAG_RE = re.compile(r"<[^>]*>")
# the end of old article pages: pagination of a split article ([1] [2] 下一页) and the 责任编辑 line
_PAGER = re.compile(r"^(?:[\[【]?\s*\d{1,3}\s*[\]】]?|上一页|下一页|首页|尾页|末页|共\s*\d+\s*页|\s)+$")
_EDITOR_LINE = re.compile(r"^[（(【\[]?\s*(?:责任编辑|责编|编辑)\s*[:：][^。，]{0,20}?[）)】\]]?$")
# spaces an old CMS put between Chinese characters of a title (海珠区　召开　2024年)
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef])[ \u3000\u00a0]+"
                        r"(?=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\d])"
                        r"|(?<=\d)[ \u3000\u00a0]+(?=[\u3400-\u4dbf\u4e00-\u9fff])")
_SITE_STRONG = re.compile(r"网站|门户|政府网|官网|首页|信息网|政务网")
_SITE_LIKE = re.compile(r"(网站|门户|政府网|官网|首页|信息网|政务网|人民政府|政府|网|局|委|委员会|办公室|办|"
                        r"街道办事处|街道|中心|分局|公开|动态|新闻|通知公告|政策文件)$")
_TITLE_SEP = re.compile(r"\s*(?:_|\||｜|\s[-–—－]\s)\s*")
_TITLE_CLASS = re.compile(r"title|(^|[-_\s])(bt|tit|biaoti|headline|heading)(\d*)($|[-_\s])", re.I)
_SUBTITLE_CLASS = re.compile(r"sub-?_?title|fbt|futitle|subhead", re.I)


def _boilerplate_string(text: str) -> bool:
    """Footer, breadcrumb and info-line text, which never counts as article text when looking for the body."""
    return bool(_FOOTER_STRONG.search(text) or _CRUMB_RE.match(text) or _label_re().search(text) or
                any(p.search(text) for p in _FOOTER_PAIR))


def _names(el: Tag) -> list[str]:
    attrs = el.attrs or {}
    cls = attrs.get("class") or []
    if isinstance(cls, str):
        cls = cls.split()
    return [n.lower() for n in [*cls, str(attrs.get("id") or "")] if n]


def _tokens(el: Tag) -> str:
    return " ".join(_names(el))


def _is_hidden(el: Tag) -> bool:
    attrs = el.attrs or {}
    style = str(attrs.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or "hidden" in attrs


def _has_chrome_class(el: Tag) -> bool:
    return any(_CHROME_RE.search(n) for n in _names(el))


def _is_chrome(el: Tag) -> bool:
    """Page chrome (site header, navigation, footer, share bar); <header>/<footer> of an <article> are not."""
    if el.name in _CHROME_TAGS and el.find_parent("article") is None:
        return True
    return _has_chrome_class(el)


def _ancestors(el: Tag | None) -> list[Tag]:
    out: list[Tag] = []
    while el is not None:
        out.append(el)
        el = el.parent
    return out


def _inside(el: Tag, container: Tag) -> bool:
    return any(a is container for a in _ancestors(el))


def _lca(a: Tag, b: Tag) -> Tag:
    ids = {id(x) for x in _ancestors(a)}
    for x in _ancestors(b):
        if id(x) in ids:
            return x
    return b


@dataclass
class Fields:
    """What the importer found on one page (None where it found nothing)."""

    title: str | None = None
    date: str | None = None
    source: str | None = None
    author: str | None = None
    doc_number: str | None = None
    index_no: str | None = None
    issued: str | None = None
    effective: str | None = None
    expires: str | None = None
    url: str | None = None  # the page's own address (canonical link or meta url)
    notes: list[str] = field(default_factory=list)


class Page:
    """A parsed saved page: its metadata fields and article body, ready to render as Markdown."""

    def __init__(self, text: str, path: Path):
        from bs4 import BeautifulSoup, Comment

        self.path = path
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.soup = BeautifulSoup(text, "lxml")
        if self.soup.find(True) is None:
            raise PageError("不是网页（没有 HTML 内容）")
        self.meta = self._meta()
        self.fields = Fields()
        self.fields.url = self._own_url()
        for el in self.soup.find_all(["script", "style", "noscript", "template"]):
            el.decompose()
        for c in self.soup.find_all(string=lambda s: isinstance(s, Comment)):
            c.extract()
        self.order = {id(el): i for i, el in enumerate(self.soup.find_all(True))}
        self.body = self._find_body()
        self.title_el: Tag | None = None
        self.meta_tables: list[Tag] = []  # 信息公开 header tables found inside the body
        if self.body is not None:
            self._title()
            self._metadata()

    # ------------------------------------------------------------------ meta and URL

    def _meta(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for m in self.soup.find_all("meta"):
            key = str(m.get("name") or m.get("property") or m.get("itemprop") or "").strip().lower()
            value = _norm(_TAG_RE.sub("", str(m.get("content") or "")))  # `<span …>标题</span>` in a meta tag
            if key and value and key not in out:
                out[key] = value
        return out

    def _own_url(self) -> str | None:
        candidates = [str(link.get("href") or "") for link in self.soup.find_all("link")
                      if "canonical" in [r.lower() for r in (link.get("rel") or [])]]
        candidates += [self.meta.get(k, "") for k in ("url", "og:url", "pageurl")]
        for c in candidates:
            c = c.strip()
            parts = urlsplit(c)
            if parts.scheme in ("http", "https") and parts.netloc and parts.path.strip("/"):
                return c
        return None

    # ------------------------------------------------------------------ body

    def _find_body(self) -> Tag | None:
        for sel in _BODY_SELECTORS:
            found = [el for el in self.soup.select(sel) if self._has_content(el) and not self._in_chrome(el)]
            if found:
                return max(found, key=lambda el: len(_squash(el.get_text())))
        articles = [a for a in self.soup.find_all("article") if self._has_content(a)]
        if len(articles) == 1 and self._link_density(articles[0]) < 0.5:
            return articles[0]
        return self._densest()

    @staticmethod
    def _in_chrome(el: Tag) -> bool:
        return any(_is_chrome(a) for a in _ancestors(el) if a is not el and a.name != "[document]")

    @staticmethod
    def _has_content(el: Tag) -> bool:
        if len(_squash(el.get_text())) >= 10:
            return True
        return el.find("img") is not None or any(
            Path(urlsplit(str(a.get("href") or "")).path).suffix.lower() in ATTACHMENT_SUFFIXES
            for a in el.find_all("a"))

    @staticmethod
    def _link_density(el: Tag) -> float:
        total = len(_squash(el.get_text()))
        links = sum(len(_squash(a.get_text())) for a in el.find_all("a"))
        return links / total if total else 1.0

    def looks_like_list(self) -> bool:
        """Whether the body is a column's list of links (a list page saved with the articles), not an article."""
        assert self.body is not None
        links = [a for a in self.body.find_all("a") if _squash(a.get_text())]
        if len(links) < 5:
            return False
        total = len(_squash(self.body.get_text()))
        link_chars = sum(len(_squash(a.get_text())) for a in links)
        return link_chars / max(total, 1) > 0.3 and (total - link_chars) / len(links) < 30

    def _densest(self) -> Tag | None:
        """The container holding the most non-link text (paragraph-like divs credit their parent)."""
        from bs4 import Comment

        scores: dict[int, int] = {}
        elements: dict[int, Tag] = {}
        para_div: dict[int, bool] = {}
        chrome: dict[int, bool] = {}

        def is_chrome(el: Tag) -> bool:
            key = id(el)
            if key not in chrome:
                chrome[key] = _is_chrome(el) or _is_hidden(el) or \
                    (el.parent is not None and el.parent.name != "[document]" and is_chrome(el.parent))
            return chrome[key]

        for s in self.soup.find_all(string=True):
            n = len(_squash(str(s)))
            if not n or isinstance(s, Comment) or _boilerplate_string(str(s)):
                continue
            el = s.parent
            if el is None or el.find_parent("a") is not None or el.name == "a" or is_chrome(el):
                continue
            while el is not None and el.name != "[document]":
                if el.name in _CONTAINERS:
                    if el.name != "div":
                        break
                    key = id(el)
                    if key not in para_div:
                        para_div[key] = el.find(_PARA_BREAKERS) is None
                    if not para_div[key]:
                        break
                el = el.parent
            if el is None or el.name == "[document]":
                continue
            scores[id(el)] = scores.get(id(el), 0) + n
            elements[id(el)] = el
        if not scores:
            return None
        best_id = max(scores, key=lambda k: scores[k])
        return elements[best_id] if scores[best_id] >= 10 else None

    # ------------------------------------------------------------------ title

    def _title(self) -> None:
        assert self.body is not None
        body_pos = self.order.get(id(self.body), 0)
        leading = self._leading_blocks(3)
        cands: list[Tag] = []
        for el in self.soup.find_all(True):
            if el.name in ("html", "body", "head", "title") or el is self.body:
                continue
            if el.name not in ("h1", "h2", "h3") and not _TITLE_CLASS.search(_tokens(el)):
                continue
            if _inside(self.body, el) or self._in_chrome(el) or el.find_parent("a") is not None:
                continue
            if _inside(el, self.body) and not any(_inside(el, b) for b in leading):
                continue
            text = _norm(el.get_text(" "))
            if not 2 <= len(text) <= 200 or _label_re().search(text) or _CRUMB_RE.match(text) or \
                    (_SITE_STRONG.search(text) and len(text) < 16):
                continue
            if cands and _inside(el, cands[-1]) and \
                    _squash(el.get_text()) == _squash(cands[-1].get_text()):
                continue  # keep the outermost element of a nested title
            cands.append(el)
        before = [c for c in cands if self.order.get(id(c), 0) <= body_pos or _inside(c, self.body)]

        target = self.meta.get("articletitle") or self.meta.get("title") or None
        page_title = self._page_title()
        title: str | None = None
        el: Tag | None = None
        for want in (target, page_title):
            if not want:
                continue
            w = _squash(want).rstrip(".…")
            exact = [c for c in cands if _squash(c.get_text()) == _squash(want)]
            partial = [c for c in cands if len(w) >= 6 and len(_squash(c.get_text())) >= 6 and
                       (_squash(c.get_text()).startswith(w) or w.startswith(_squash(c.get_text())))]
            if exact:
                el = next((c for c in reversed(exact) if any(c is b for b in before)), exact[-1])
                title = want
            elif partial:  # <title> truncated or with a suffix the split missed: the heading is whole
                el = partial[-1]
                title = want if want is target else _cjk_text(el)
            else:  # trust the meta tag or <title>; find where the page shows it, for the zones
                title = want
                el = self._element_with_text(want)
            break
        if title is None and before:
            def rank(c: Tag) -> tuple[int, int]:
                strong = c.name == "h1" or (bool(_TITLE_CLASS.search(_tokens(c))) and
                                            not _SUBTITLE_CLASS.search(_tokens(c)))
                return (1 if strong else 0, self.order.get(id(c), 0))
            el = max(before, key=rank)
            title = _cjk_text(el)
        self.title_el = el
        if title:
            title = _CJK_SPACE.sub("", _norm(title))
            if len(title) > 200:
                self.fields.notes.append("标题超过 200 字，已截断")
                title = title[:200]
        self.fields.title = title or None

    def _page_title(self) -> str | None:
        t = self.soup.find("title")
        text = _norm(t.get_text()) if t else ""
        if not text:
            return None
        parts = [p for p in _TITLE_SEP.split(text) if p.strip()]
        if len(parts) == 1:  # "标题-某某局": a dash without spaces separates only a site-like suffix
            tail = re.split(r"[-－—]+", text)
            if len(tail) > 1 and _SITE_LIKE.search(tail[-1].strip()) and len(tail[-1].strip()) < 30:
                parts = [text[: len(text) - len(tail[-1])].rstrip("-－— "), tail[-1]]
        if not parts:
            return None
        if len(parts) == 1:
            return None if _SITE_STRONG.search(parts[0]) and len(parts[0]) < 20 else parts[0]
        first = parts[0]
        if not (_SITE_STRONG.search(first) and len(first) < 30):
            return first
        for p in parts[1:]:
            if not (_SITE_LIKE.search(p) and len(p) < 30):
                return p
        return None

    def _element_with_text(self, text: str) -> Tag | None:
        """The outermost element outside the body whose whole text is `text` (where the page shows a title)."""
        want = _squash(text)
        found: Tag | None = None
        for el in self.soup.find_all(True):
            if el.name in ("html", "head", "title", "body") or self._in_chrome(el):
                continue
            if self.body is not None and (_inside(el, self.body) or _inside(self.body, el)):
                continue
            if _squash(el.get_text()) == want and (found is None or not _inside(el, found)):
                found = el
        return found

    # ------------------------------------------------------------------ metadata

    def _leading_blocks(self, n: int) -> list[Tag]:
        """The first `n` non-empty leaf blocks of the body (where titles and info lines hide)."""
        assert self.body is not None
        out: list[Tag] = []
        for el in self.body.find_all(True):
            if el.name not in _BLOCK_TAGS or el.name in ("table", "tbody", "thead", "tr", "ul", "ol", "dl"):
                continue
            if el.find(_PARA_BREAKERS) is not None or not _squash(el.get_text()):
                continue
            if any(_inside(el, o) for o in out):
                continue
            out.append(el)
            if len(out) >= n:
                break
        return out

    def _zone_lines(self) -> tuple[list[str], list[str], list[str]]:
        """Text lines of the article area outside the body: (before the title, title→body, after the body)."""
        from bs4 import Comment, NavigableString, Tag

        assert self.body is not None
        scope = _lca(self.title_el, self.body) if self.title_el is not None else self.body.parent or self.body
        if scope is self.body:
            scope = self.body.parent or self.body
        zones: dict[str, list[str]] = {"pre": [], "title": [], "post": []}
        state = "pre" if self.title_el is not None and _inside(self.title_el, scope) else "title"
        buf: list[str] = []

        def flush() -> None:
            line = _line("".join(buf))
            if line:
                zones[state].append(line)
            buf.clear()

        def walk(el: Tag) -> None:
            nonlocal state
            for child in el.children:
                if isinstance(child, NavigableString):
                    if not isinstance(child, Comment):
                        buf.append(str(child))
                    continue
                if not isinstance(child, Tag):
                    continue
                if child is self.body:
                    flush()
                    state = "post"
                    continue
                if child is self.title_el:
                    flush()
                    state = "title"
                    continue
                if child.name in _SKIP_TAGS or _is_hidden(child):
                    continue
                if child.name == "br":
                    flush()
                    continue
                protected = (self.title_el is not None and _inside(self.title_el, child)) or \
                    _inside(self.body, child)
                if not protected and _is_chrome(child) and \
                        not re.search(r"info|meta|attr|source|time|date", _tokens(child)):
                    continue
                block = child.name in _BLOCK_TAGS
                if block:
                    flush()
                walk(child)
                if block or child.name in ("span", "font", "label", "em", "i", "b", "strong"):
                    buf.append("  ")  # inline siblings like <span>来源：x</span><span>时间：y</span>
                if block:
                    flush()
            return None

        walk(scope)
        flush()
        return zones["pre"], zones["title"], zones["post"]

    def _kv_tables(self) -> list[tuple[str, str]]:
        """(label, value) pairs from metadata tables (信息公开 header) outside the body."""
        assert self.body is not None
        pairs: list[tuple[str, str]] = []
        for table in self.soup.find_all("table"):
            inner = _inside(table, self.body)
            if _inside(self.body, table) or (inner and len(table.find_all("tr")) > 8):
                continue
            found: list[tuple[str, str]] = []
            for tr in table.find_all("tr"):
                if tr.find_parent("table") is not table:
                    continue
                cells = [c for c in tr.find_all(["td", "th"]) if c.find_parent("tr") is tr]
                for i, cell in enumerate(cells[:-1]):
                    label = _squash(cell.get_text()).rstrip(":：")
                    if label in _LABELS:
                        found.append((label, _norm(cells[i + 1].get_text(" "))))
                for cell in cells:  # "发布日期：2019-07-10" in one cell
                    for lab, _f, _s, value in _segments(_line(cell.get_text(" "))):
                        found.append((lab, value))
            labels = {lab for lab, _v in found}
            if inner and len({_LABELS[lab][0] for lab in labels} & _META_TABLE_FIELDS) < 2:
                continue  # a data table in the article, not the 信息公开 header some templates put inside it
            if len(labels) >= 2:
                pairs += found
                if inner:
                    self.meta_tables.append(table)  # read here, kept out of the body by clean_body
        for dl in self.soup.find_all("dl"):  # <dl><dt>文号</dt><dd>…</dd></dl>
            if _inside(dl, self.body):
                continue
            for dt_el in dl.find_all("dt"):
                label = _squash(dt_el.get_text()).rstrip(":：")
                dd = dt_el.find_next_sibling("dd")
                if label in _LABELS and dd is not None:
                    pairs.append((label, _norm(dd.get_text(" "))))
        return pairs

    def _metadata(self) -> None:
        f = self.fields
        m = self.meta
        pre, title_zone, post = self._zone_lines()
        blocks = self._leading_blocks(6)
        if self.title_el is not None and _inside(self.title_el, self.body):
            # The heading is inside the body: the short lines right after it are the info line.
            after = [b for b in blocks if self.order.get(id(b), 0) > self.order.get(id(self.title_el), 0)
                     and not _inside(b, self.title_el)]
            for b in after:
                line = _line(b.get_text(" "))
                if len(line) > 100:
                    break
                title_zone = [*title_zone, line]
        leading = [_line(b.get_text(" ")) for b in blocks[:5]]
        # Candidates: (field, value, rank); lower rank wins. Meta tags, then the header table, then lines
        # between title and body, then strong labels above the title, in the body's first lines, after it.
        cands: list[tuple[str, str, int]] = []
        for key, fld_name in (("pubdate", "date"), ("publishdate", "date"), ("firstpublishedtime", "date"),
                              ("contentsource", "source"), ("source", "source"), ("docnumber", "doc_number")):
            if m.get(key):
                cands.append((fld_name, m[key], 0))
        for label, value in self._kv_tables():
            fld_name, strong = _LABELS[label]
            if fld_name:
                cands.append((fld_name, value, 1 if strong else 2))
        for rank, lines, strong_only in ((3, title_zone, False), (5, pre, True), (6, leading, True),
                                         (7, post, True)):
            for line in lines:
                for _label, fld_name, strong, value in _segments(line):
                    if fld_name and (strong or not strong_only):
                        cands.append((fld_name, value, rank + (0 if strong else 1)))

        def pick(name: str, check: Callable[[str], str | None]) -> str | None:
            for _n, value, _r in sorted((c for c in cands if c[0] == name), key=lambda c: c[2]):
                out = check(value)
                if out:
                    return out
            return None

        def text_value(limit: int) -> Callable[[str], str | None]:
            def check(value: str) -> str | None:
                v = _norm(value)
                dm = _DATE_RE.search(v)
                if dm and dm.start() > 0:  # "来源：区发改局 2019-07-10"
                    v = v[:dm.start()].strip()
                if v.lower() in _EMPTY_VALUES or len(v) > limit or parse_date(v) == v:
                    return None
                return v
            return check

        f.date = pick("date", parse_date)
        if f.date is None:  # an unlabeled date in the info line ("2021年11月9日 来源：…")
            for line in title_zone:
                f.date = _unlabeled_date(line) if len(line) <= 120 else None
                if f.date:
                    break
        f.source = pick("source", text_value(60)) or pick("publisher", text_value(60))
        f.author = pick("author", text_value(30))
        f.index_no = pick("index_no", text_value(60))
        f.issued = pick("issued", lambda v: (parse_date(v) or "")[:10] or None)
        f.effective = pick("effective", lambda v: (parse_date(v) or "")[:10] or None)
        f.expires = pick("expires", lambda v: (parse_date(v) or "")[:10] or None)
        f.doc_number = pick("doc_number", lambda v: _norm(v) if text_value(60)(v) and re.search(r"\d", v)
                            else None)
        if f.doc_number is None:
            for line in [*title_zone, *leading[:3]]:
                dm = _DOCNO_RE.search(line)
                if dm and len(_squash(line)) <= len(_squash(dm.group(0))) + 8:
                    f.doc_number = _squash(dm.group(0))
                    break

    # ------------------------------------------------------------------ cleaning

    def clean_body(self) -> None:
        """Drop the title, info lines and boilerplate (print/close, share, breadcrumbs, footers) from the body."""
        from bs4 import Comment, NavigableString

        body = self.body
        assert body is not None
        for table in self.meta_tables:
            table.decompose()
        if self.title_el is not None and _inside(self.title_el, body):
            self.title_el.decompose()
        title = _squash(self.fields.title or "")
        for el in self._leading_blocks(6):
            text = _norm(el.get_text(" "))
            sq = _squash(text)
            if title and (sq == title or (sq.startswith(title) and len(sq) - len(title) < 4)):
                el.decompose()
                continue
            labels = [(fld_name, strong) for _l, fld_name, strong, _v in _segments(text)]
            if len(text) < 200 and any(strong and f in ("date", "source", "author") for f, strong in labels):
                el.decompose()
                continue
            if len(text) < 40 and parse_date(text) and not re.sub(r"[\d\s\-/:.年月日时分秒]", "", text):
                el.decompose()
                continue
            break
        for el in list(body.find_all(True)):
            if getattr(el, "decomposed", False) or el.parent is None:
                continue
            if el.name in _SKIP_TAGS or _is_hidden(el):
                el.decompose()
                continue
            text = _norm(el.get_text(" "))
            if _is_chrome(el) and len(text) < 300:
                el.decompose()
                continue
            if el.name == "a":
                href = str(el.get("href") or "").strip().lower()
                word = _squash(text).strip("【】[]").lower()
                if word in _PRINT_WORDS or (href.startswith("javascript:") and
                                            re.search(r"print|close|打印|关闭", href + word)):
                    el.decompose()
                continue
            if el.name not in _BLOCK_TAGS and el.name not in ("span", "font"):
                continue
            if self._boilerplate(text):
                el.decompose()
        for s in list(body.find_all(string=True)):
            if isinstance(s, NavigableString) and not isinstance(s, Comment):
                new = _FONT_SIZE.sub("", _PRINT_TOKEN.sub("", str(s)))
                if new != str(s):
                    s.replace_with(new)

    @staticmethod
    def _boilerplate(text: str) -> bool:
        if not text:
            return False
        rest = _squash(_FONT_SIZE.sub("", _PRINT_TOKEN.sub("", text)))
        if not rest and (_PRINT_TOKEN.search(text) or _FONT_SIZE.search(text)):
            return True
        if len(text) < 200 and _CRUMB_RE.match(text):
            return True
        if len(text) < 150 and (_CRUMB2_RE.match(text) or _NAV_TEXT.match(text)):
            return True
        if len(text) < 400 and _FOOTER_STRONG.search(text):
            return True
        if len(text) < 100 and _PAGER.match(text) and re.search(r"\d|下一页", text):
            return True
        if len(text) < 40 and _EDITOR_LINE.match(text.strip()):
            return True
        return len(text) < 300 and all(p.search(text) for p in _FOOTER_PAIR)

    def attachment_links(self) -> list[Tag]:
        """Attachment links of the article area outside the body (e.g. a 附件 list under the TRS editor)."""
        assert self.body is not None
        scope = _lca(self.title_el, self.body) if self.title_el is not None else self.body.parent
        if scope is None or scope is self.body:
            scope = self.body.parent or self.body
        if scope.name in ("body", "html", "[document]"):
            # The title is far from the body: look only next to the body.
            scope = self.body.parent or self.body
        out = []
        for a in scope.find_all("a"):
            if _inside(a, self.body) or self._in_chrome(a):
                continue
            if Path(unquote(urlsplit(str(a.get("href") or "")).path)).suffix.lower() in ATTACHMENT_SUFFIXES:
                out.append(a)
        return out


# --------------------------------------------------------------------------- assets


def safe_name(name: str, kind: str) -> str:
    """An ASCII-safe file name keeping the extension (a hash of the name when too little ASCII is left)."""
    name = unicodedata.normalize("NFKC", name).strip()
    stem, ext = os.path.splitext(name)
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._").lower()
    s = re.sub(r"-{2,}", "-", s)[:60].strip("-._")
    if len(re.sub(r"[^a-z0-9]", "", s)) < 3:
        s = f"{kind}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"
    return f"{s}.{ext}" if ext else s


class Assets:
    """Resolves a page's links and images to local files and names their copies next to the item."""

    def __init__(self, page_path: Path, old_url: str | None, prefix: str, files_dir: Path, update: bool):
        self.page_dir = Path(os.path.abspath(page_path)).parent
        self.old_url = old_url
        self.prefix = prefix  # "files/<slug>/"
        self.files_dir = files_dir
        self.update = update
        self.copies: dict[str, Path | bytes] = {}  # name -> source file or data
        self.by_source: dict[str, str] = {}  # resolved source key -> name
        self.attachments: list[dict[str, str]] = []
        self.warnings: list[str] = []

    def local(self, url: str) -> Path | None:
        """The saved file a URL points to (relative to the page; root-relative found by walking up)."""
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") or url.startswith("//"):
            own = urlsplit(self.old_url) if self.old_url else None
            if own is None or (parts.hostname or "").lower() != (own.hostname or "").lower():
                return None
            path = parts.path or "/"
        elif parts.scheme:
            return None
        else:
            path = parts.path
        path = unquote(path)
        if not path or path.endswith("/"):
            return None
        if path.startswith("/"):
            rel = path.lstrip("/")
            bases = [self.page_dir, *[p for p in self.page_dir.parents if p != p.parent]]
            candidates = [b / rel for b in bases]
        else:
            candidates = [self.page_dir / path]
        for c in candidates:
            tries = [c.with_name(c.name + "?" + parts.query)] if parts.query else []
            for t in [*tries, c]:
                try:
                    if t.is_file():
                        return t
                except OSError:
                    continue
        return None

    def _name_for(self, key: str, original: str, kind: str, data: Path | bytes) -> str:
        if key in self.by_source:
            return self.by_source[key]
        base = safe_name(original, kind)
        name, n = base, 2
        stem, ext = os.path.splitext(base)
        while name in self.copies or (not self.update and self._clashes(name, data)):
            name = f"{stem}-{n}{ext}"
            n += 1
        self.copies[name] = data
        self.by_source[key] = name
        return name

    def _clashes(self, name: str, data: Path | bytes) -> bool:
        """A file of that name is already next to the item with other content (never overwrite it)."""
        target = self.files_dir / name
        if not target.exists():
            return False
        content = data if isinstance(data, bytes) else data.read_bytes()
        return target.read_bytes() != content

    def image(self, src: str) -> str | None:
        """Relative path of an image's copy, or None (reported) when the file is not in the saved page."""
        src = src.strip()
        if src.startswith("data:"):
            m = re.match(r"data:image/(png|jpe?g|gif|webp|bmp);base64,(.*)$", src, re.S | re.I)
            if not m:
                return None
            try:
                data = base64.b64decode(m.group(2), validate=False)
            except (binascii.Error, ValueError):
                return None
            digest = hashlib.sha1(data).hexdigest()[:6]
            ext = m.group(1).lower().replace("jpeg", "jpg")
            return self.prefix + self._name_for("data:" + digest, f"image-{digest}.{ext}", "image", data)
        if not src:
            return None
        path = self.local(src)
        if path is None or path.suffix.lower() not in IMAGE_SUFFIXES:
            self.warnings.append(f"图片未找到：{src}")
            return None
        return self.prefix + self._name_for(str(path.resolve()), path.name, "image", path)

    def link(self, href: str, label: str) -> str | None:
        """The Markdown target of a link: a copied attachment, an absolute URL, or None (text only)."""
        href = href.strip()
        if not href or href.startswith("#"):
            return None
        parts = urlsplit(href)
        if parts.scheme and parts.scheme.lower() not in ("http", "https", "mailto", "tel"):
            return None
        if parts.scheme:
            target: str | None = href
        elif href.startswith("//"):
            target = "https:" + href
        else:
            target = urljoin(self.old_url, href) if self.old_url else None
        if Path(unquote(parts.path)).suffix.lower() in ATTACHMENT_SUFFIXES:
            rel = self.attachment(href, label, report=False)
            if rel:
                return rel
            where = f"正文中链接到 {target}" if target else "正文中只保留了链接文字"
            self.warnings.append(f"附件未找到：{href}（{where}）")
        return target

    def attachment(self, href: str, label: str, report: bool = True) -> str | None:
        """Copy an attachment link's file; its relative path (listed in front matter) or None if missing."""
        path = self.local(href.strip())
        if path is None:
            if report:
                self.warnings.append(f"附件未找到：{href}")
            return None
        original = unquote(Path(urlsplit(href).path).name) or path.name
        name = self._name_for(str(path.resolve()), path.name if path.name else original, "file", path)
        rel = self.prefix + name
        if all(a["file"] != rel for a in self.attachments):
            title = _norm(label) or original
            self.attachments.append({"file": rel, "title": title})
        return rel

    def write(self) -> None:
        """Copy every collected file into the item's files folder."""
        if not self.copies:
            return
        self.files_dir.mkdir(parents=True, exist_ok=True)
        for name, data in self.copies.items():
            target = self.files_dir / name
            if isinstance(data, bytes):
                target.write_bytes(data)
            elif not target.exists() or target.read_bytes() != data.read_bytes():
                shutil.copyfile(data, target)


# --------------------------------------------------------------------------- HTML → Markdown

_MD_ESCAPE = re.compile(r"([\\`*_\[\]{}])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def _esc(text: str) -> str:
    text = _MD_ESCAPE.sub(r"\\\1", text)
    return _ENTITY.sub("&amp;", text).replace("<", "&lt;")


def _esc_line_start(line: str) -> str:
    if re.match(r"^(#{1,6}(\s|$)|[>+\-]|!!!)", line):
        return "\\" + line
    m = re.match(r"^(\d+)([.)])(\s)", line)
    if m:
        return m.group(1) + "\\" + line[len(m.group(1)):]
    if line.startswith(("=", ":", "|")):
        return f"&#{ord(line[0])};" + line[1:]
    return line


def _finish(text: str) -> str:
    text = re.sub(rf"(?<=[{_CJK}])[ \t\r\f\v]*\n\s*(?=[{_CJK}])", "", text)
    text = _norm(text).replace("****", "")
    return text


def _md_url(url: str) -> str:
    return quote(url, safe=":/?#[]@!$&'*+,;=%~")


def _span(el: Tag, attr: str) -> int:
    try:
        return max(1, int(str(el.get(attr) or "1").strip() or "1"))
    except ValueError:
        return 1


class _Converter:
    """Body HTML → Markdown blocks (paragraphs, headings, lists, tables; formatting kept, styles dropped)."""

    def __init__(self, assets: Assets, shift: int):
        self.assets = assets
        self.shift = shift
        self.out: list[str] = []
        self.buf: list[str] = []

    def sub(self) -> _Converter:
        return _Converter(self.assets, self.shift)

    def blocks(self, el: Tag) -> list[str]:
        self.children(el)
        self.flush()
        return [b for b in self.out if b.strip()]

    def flush(self) -> None:
        text = _finish("".join(self.buf))
        self.buf.clear()
        if text:
            self.out.append(_esc_line_start(text))

    def block(self, text: str) -> None:
        self.flush()
        if text.strip():
            self.out.append(text)

    def inline(self, el: Tag) -> str:
        return " ".join(self.sub().blocks(el))

    def children(self, el: Tag) -> None:
        from bs4 import Comment, NavigableString, Tag

        for child in el.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.buf.append(_esc(str(child)))
            elif isinstance(child, Tag):
                self.node(child)

    def node(self, el: Tag) -> None:
        name = el.name
        if name in _SKIP_TAGS or _is_hidden(el):
            return
        if name == "br":
            self.flush()
        elif name == "hr":
            self.block("* * *")
        elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = self.inline(el)
            level = max(2, min(6, int(name[1]) + self.shift))
            self.block(f"{'#' * level} {text}" if text else "")
        elif name in ("ul", "ol"):
            self.block(self.list(el))
        elif name == "table":
            self.table(el)
        elif name == "pre":
            code = el.get_text().strip("\n")
            self.block(f"```\n{code}\n```" if code.strip() else "")
        elif name == "blockquote":
            inner = self.sub().blocks(el)
            self.block("\n>\n".join("\n".join("> " + ln for ln in b.split("\n")) for b in inner))
        elif name == "dt":
            text = self.inline(el)
            self.block(f"**{text}**" if text else "")
        elif name == "img":
            self.image(el)
        elif name in _BLOCK_TAGS:
            self.flush()
            self.children(el)
            self.flush()
        elif el.find(list(_BLOCK_TAGS - {"br"})) is not None:
            self.children(el)  # <font><p>…</p></font>: formatting around blocks is dropped
        elif name == "a":
            self.link(el)
        elif name in ("strong", "b"):
            self.wrap(el, "**")
        elif name in ("em", "i"):
            self.wrap(el, "*")
        elif name in ("sup", "sub"):
            text = self.inline(el)
            if text:
                self.buf.append(f"<{name}>{text}</{name}>")
        elif name == "code":
            text = _norm(el.get_text())
            if text:
                self.buf.append(f"`{text}`")
        else:
            self.children(el)

    def wrap(self, el: Tag, mark: str) -> None:
        if el.find("img") is not None:
            self.children(el)
            return
        text = self.inline(el)
        if text:
            self.buf.append(f"{mark}{text}{mark}")

    def image(self, el: Tag) -> None:
        src = str(el.get("src") or el.get("data-src") or el.get("original") or "")
        rel = self.assets.image(src)
        if rel:
            alt = _norm(str(el.get("alt") or el.get("title") or "")).replace("[", "").replace("]", "")
            self.buf.append(f"![{alt}]({_md_url(rel)})")

    def link(self, el: Tag) -> None:
        href = str(el.get("href") or "")
        if el.find("img") is not None and not _squash(el.get_text()):
            self.children(el)  # an image wrapped in a link to its larger version: keep the image
            return
        label = _norm(el.get_text(" "))
        text = self.inline(el)
        if not text:
            return
        target = self.assets.link(href, label)
        self.buf.append(f"[{text}]({_md_url(target)})" if target else text)

    def list(self, el: Tag) -> str:
        ordered = el.name == "ol"
        try:
            n = int(str(el.get("start") or "1"))
        except ValueError:
            n = 1
        items: list[str] = []
        for li in el.find_all(True, recursive=False):
            if li.name in ("ul", "ol"):
                nested = self.list(li)
                if nested and items:
                    items[-1] += "\n" + "\n".join("    " + ln for ln in nested.split("\n"))
                continue
            parts = self.sub().blocks(li)
            if not parts:
                continue
            marker = f"{n}." if ordered else "-"
            first, *rest = parts
            lines = [f"{marker} " + first.replace("\n", "\n    ")]
            lines += ["    " + b.replace("\n", "\n    ") for b in rest]
            sep = "\n" if all(b.lstrip().startswith(("- ", "1.")) or re.match(r"\d+\.", b) for b in rest) \
                else "\n\n"
            items.append(sep.join(lines))
            n += 1
        return "\n".join(items)

    def table(self, el: Tag) -> None:
        rows = [tr for tr in el.find_all("tr") if tr.find_parent("table") is el]
        cells = [[c for c in tr.find_all(["td", "th"], recursive=False)] for tr in rows]
        cells = [r for r in cells if r]
        if not cells:
            self.flush()
            self.children(el)
            self.flush()
            return
        nested = any(c.find("table") is not None for r in cells for c in r)
        if nested or all(len(r) <= 1 for r in cells):  # a layout table: its cells are just blocks
            for r in cells:
                for c in r:
                    self.flush()
                    self.children(c)
                    self.flush()
            return
        self.flush()
        caption = el.find("caption")
        if caption is not None and caption.find_parent("table") is el:
            text = self.inline(caption)
            if text:
                self.out.append(f"**{text}**")
        md = [[self.sub().blocks(c) for c in r] for r in cells]
        md = [(r, m) for r, m in zip(cells, md, strict=True) if any(m)]
        if not md:
            return
        spans = any(_span(c, "colspan") > 1 or _span(c, "rowspan") > 1 for r, _m in md for c in r)
        multiline = any((len(parts) > 1 and any(p.startswith(("- ", "#", ">", "```")) for p in parts))
                        or any("\n" in p for p in parts) for _r, m in md for parts in m)
        if spans or multiline:
            self.out.append(self.html_table(md))
            return
        width = max(len(m) for _r, m in md)
        lines = []
        for i, (_r, m) in enumerate(md):
            row = ["<br>".join(parts).replace("|", "\\|") for parts in m]
            if i == 0:  # header cells are bold already
                row = [c[2:-2] if re.fullmatch(r"\*\*[^*]+\*\*", c) else c for c in row]
            row += [""] * (width - len(row))
            lines.append("| " + " | ".join(row) + " |")
            if i == 0:
                lines.append("|" + "|".join([" --- "] * width) + "|")
        self.out.append("\n".join(lines))

    @staticmethod
    def html_table(md: list[tuple[list[Tag], list[list[str]]]]) -> str:
        import markdown

        conv = markdown.Markdown(extensions=["tables"])
        out = ["<table>"]
        for r, m in md:
            tds = []
            for c, parts in zip(r, m, strict=True):
                conv.reset()
                html = conv.convert("\n\n".join(parts)) if parts else ""
                html = re.sub(r"^<p>(.*)</p>$", r"\1", html.replace("\n", ""), flags=re.S)
                attrs = "".join(f' {a}="{_span(c, a)}"' for a in ("colspan", "rowspan") if _span(c, a) > 1)
                tag = "th" if c.name == "th" else "td"
                tds.append(f"<{tag}{attrs}>{html}</{tag}>")
            out.append("<tr>" + "".join(tds) + "</tr>")
        out.append("</table>")
        return "\n".join(out)


def to_markdown(body: Tag, assets: Assets) -> str:
    """Convert a cleaned body element to Markdown; headings are shifted so the highest is `##` (h1 is the title)."""
    levels = [int(h.name[1]) for h in body.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    shift = 2 - min(levels) if levels else 0
    blocks = _Converter(assets, shift).blocks(body)
    out: list[str] = []
    for b in blocks:
        if not out or b != out[-1] or b.startswith("!["):
            out.append(b)
    return "\n\n".join(out).strip() + "\n" if out else ""


# --------------------------------------------------------------------------- sources


@dataclass
class PageSource:
    """One page to import: the saved file, its old URL when known, and how to name it in the report."""

    path: Path
    url: str | None
    label: str
    error: str = ""


def _display(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def _read_list(path: Path) -> list[PageSource]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    out: list[PageSource] = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t", 1) if "\t" in line else line.split(None, 1)
        label = f"{_display(path)}:{n}"
        if len(parts) != 2 or not parts[1].strip():
            out.append(PageSource(path, None, label, "列表行格式应为：原网址<TAB>保存的文件"))
            continue
        url, saved = parts[0].strip(), parts[1].strip()
        target = (path.parent / saved)
        label = f"{label} {saved}"
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            out.append(PageSource(target, None, label, f"原网址格式不对：{url}"))
        elif not target.is_file():
            out.append(PageSource(target, url, label, "文件不存在"))
        else:
            out.append(PageSource(target, url, label))
    return out


def collect_sources(args: list[str]) -> list[PageSource]:
    """Expand SOURCE arguments (pages, folders, list files) into pages to import, in a stable order."""
    out: list[PageSource] = []
    for arg in args:
        p = Path(arg)
        if p.is_dir():
            pages = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in PAGE_SUFFIXES and
                           not any(part.endswith(("_files", ".files")) or part.startswith(".")
                                   for part in q.relative_to(p).parts[:-1]))
            out += [PageSource(q, None, _display(q)) for q in pages]
            if not pages:
                out.append(PageSource(p, None, arg, "文件夹中没有网页（.html、.htm、.shtml）"))
        elif not p.exists():
            out.append(PageSource(p, None, arg, "文件不存在"))
        elif p.suffix.lower() in PAGE_SUFFIXES:
            out.append(PageSource(p, None, _display(p)))
        else:
            try:
                out += _read_list(p)
            except OSError as e:
                out.append(PageSource(p, None, arg, f"无法读取列表文件：{e.strerror or e}"))
    seen: set[tuple[str, str | None]] = set()
    unique = []
    for s in out:
        key = (str(s.path.resolve()) if not s.error else s.label, s.url)
        if key not in seen:
            seen.add(key)
            unique.append(s)
    return unique


# --------------------------------------------------------------------------- report


@dataclass
class Outcome:
    """What happened to one page."""

    label: str
    status: str  # imported | updated | skipped | failed
    path: str = ""
    reason: str = ""
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_STATUS_ZH = {"imported": "已导入", "updated": "已更新", "skipped": "跳过", "failed": "失败"}


@dataclass
class Report:
    """The outcome of one import run."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        """Number of pages with a status."""
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> bool:
        """Whether any page failed."""
        return self.count("failed") > 0

    def text(self) -> str:
        """The report for editors (Chinese), one block per page and a summary line last."""
        lines = []
        for o in self.outcomes:
            head = f"[{_STATUS_ZH[o.status]}] {o.label}"
            if o.path:
                head += f" → {o.path}"
            if o.reason:
                head += f"：{o.reason}"
            lines.append(head)
            if o.missing:
                lines.append(f"    未找到：{'、'.join(o.missing)}")
            lines += [f"    注意：{n}" for n in o.notes]
        summary = (f"导入完成：导入 {self.count('imported')} 篇，更新 {self.count('updated')} 篇，"
                   f"跳过 {self.count('skipped')} 篇（重复），失败 {self.count('failed')} 篇")
        lines.append(summary)
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the import


def _url_key(url: str) -> str:
    """An old URL as the redirect table keys it (so two spellings of one URL are one page)."""
    from ..stages.redirects import normalize

    return normalize(url) or url.strip()


def _doc_number_key(number: str) -> str:
    """A 文号 as the model normalizes it (海发改[2020]3号 and 海发改〔2020〕3号 are one document)."""
    from ..model.normalize import code, doc_number

    return doc_number(code(number.strip(), Context())[0], Context())[0]


@dataclass
class _Existing:
    path: Path
    slug: str
    column: str
    data: dict
    unit: str


_DATE_KEYS = frozenset({"date", "issued", "effective", "expires"})


def _yaml_value(key: str, value: Any) -> str:
    import yaml

    if key in _DATE_KEYS and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", value):
        return f"{key}: {value}\n"
    return yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, default_flow_style=False,
                          width=1_000_000)


def front_matter(data: dict[str, Any]) -> str:
    """Front matter text (between --- fences) for an item's fields, in the given order."""
    return "---\n" + "".join(_yaml_value(k, v) for k, v in data.items() if v not in (None, "", [])) + "---\n"


class Importer:
    """Imports pages into one unit and column of a content tree."""

    def __init__(self, content: str | Path, unit: str, column: str | None = None, update: bool = False):
        from ..stages.load import load
        from ..stages.validate import validate

        self.content = Path(content)
        corpus = load(self.content, display_base=self.content)
        records = validate(corpus)
        tax = records.taxonomy
        if tax is None:
            raise UsageError("content/taxonomy.yml 有错误，请先运行 portal check")
        units = {u.id: u for u in records.units}
        for u in records.units:  # a unit by id in any case, full name, short name or former name
            if unit not in units and (unit.lower() == u.id or unit in (u.name, u.short_name, *u.aliases)):
                unit = u.id
        if unit not in units:
            if unit in records.unit_folders:
                raise UsageError(f"单位“{unit}”的 unit.yml 有错误，请先运行 portal check")
            from ..util.suggest import did_you_mean

            names = [n for u in records.units for n in (u.id, u.name, u.short_name or "")]
            raise UsageError(f"未知单位“{unit}”{did_you_mean(unit, names)}")
        self.unit = units[unit]
        column = column or DEFAULT_COLUMN
        col = tax.column(column)
        if col is None:
            raise UsageError(f"未知栏目“{column}”，可选：{', '.join(c.id for c in tax.columns)}")
        self.tax = tax
        self.column = col
        self.cls = item_class(col.type)
        extra = [n for n, s in fields_of(self.cls).items() if s.required and n not in fields_of(Item)]
        if self.cls is Guide:  # the 19号 key elements: required together (E302), never in an old page's markup
            extra += [e.fields[0] for e in GUIDE_ELEMENTS if e.key]
        if extra:
            raise UsageError(f"“{col.name}”栏目的文章有网页中没有的必填字段（{'、'.join(extra)}），"
                             "无法导入，请用 portal new 创建")
        self.update = update
        self.column_dir = self.content / self.unit.path / col.id
        prefix = self.unit.path + "/"
        self.by_url: dict[str, _Existing] = {}
        self.by_title: dict[tuple[str, str], _Existing] = {}
        self.by_doc_number: dict[str, _Existing] = {}  # 文号, normalized: the same document in any column
        for doc in corpus.docs:
            if doc.kind != "item":
                continue
            data = doc.data if isinstance(doc.data, dict) else {}
            ex = _Existing(self.content / doc.rel, doc.slug, doc.column, data, doc.unit)
            urls = data.get("legacy_urls") or []
            for u in [urls] if isinstance(urls, str) else urls:  # old URLs are one key space for all units
                if isinstance(u, str) and u.strip():
                    self.by_url.setdefault(_url_key(u), ex)
            if not doc.rel.startswith(prefix) or doc.unit != unit:
                continue
            title, day = data.get("title"), parse_date(str(data.get("date") or ""))
            if isinstance(title, str) and day:
                self.by_title.setdefault((_squash(title), day[:10]), ex)
            number = data.get("doc_number")
            if isinstance(number, str) and number.strip():
                self.by_doc_number.setdefault(_doc_number_key(number), ex)
        self.taken = {p.stem for p in self.column_dir.rglob("*.md")} if self.column_dir.is_dir() else set()
        self.written: list[tuple[Outcome, Path]] = []

    def run(self, sources: list[PageSource]) -> Report:
        """Import every source; then check the written items with the real validator."""
        report = Report()
        for src in sources:
            if src.error:
                report.outcomes.append(Outcome(src.label, "failed", reason=src.error))
                continue
            try:
                outcome = self.one(src)
            except PageError as e:
                outcome = Outcome(src.label, "failed", reason=str(e))
            except Exception as e:  # one bad page must not stop the others
                outcome = Outcome(src.label, "failed", reason=f"内部错误：{type(e).__name__}: {e}")
            report.outcomes.append(outcome)
        if self.written:
            self.verify()
        return report

    def verify(self) -> None:
        """Run `portal check` over the tree; a written item with errors is reported as failed."""
        from ..model.diagnostics import ERROR
        from ..stages.pipeline import check

        result = check(self.content, display_base=self.content)
        for outcome, path in self.written:
            rel = path.relative_to(self.content).as_posix()
            errors = [d for d in result.diagnostics if d.severity == ERROR and d.path == rel]
            if errors:
                outcome.status = "failed"
                outcome.reason = "已写入，但未通过 portal check，请修改：" + "；".join(
                    f"{d.line}:{d.col} {d.rule} {d.message}" for d in errors[:3])

    def _already(self, url: str | None, f: Fields) -> tuple[_Existing | None, str]:
        """The item this page was already imported as, in any column, and what gave it away: the old URL, the
        文号, or the title and date (unless both pages have old URLs and they differ: then they are two pages
        that happen to share a title, like a notice republished each year)."""
        if url and _url_key(url) in self.by_url:
            return self.by_url[_url_key(url)], f"原网址 {url}"
        if f.doc_number and _doc_number_key(f.doc_number) in self.by_doc_number:
            return self.by_doc_number[_doc_number_key(f.doc_number)], f"文号 {f.doc_number} 的文件"
        ex = self.by_title.get((_squash(f.title or ""), (f.date or "")[:10]))
        if ex is not None and not (url and ex.data.get("legacy_urls")):
            return ex, f"同标题同日期的文章（{f.title}）"
        return None, ""

    def one(self, src: PageSource) -> Outcome:
        """Import one page (raises PageError for pages that cannot be imported)."""

        try:
            size = src.path.stat().st_size
            if size > MAX_PAGE_BYTES:
                raise PageError(f"文件过大（{size // 1024} KB）")
            raw = src.path.read_bytes()
        except OSError as e:
            raise PageError(f"无法读取文件：{e.strerror or e}") from None
        text, _codec, enc_note = decode_html(raw)
        page = Page(text, src.path)
        f = page.fields
        notes = [enc_note] if enc_note else []
        notes += f.notes
        url = src.url or f.url
        if page.body is None:
            raise PageError("未找到正文")
        if f.date is None and url:
            m = _URL_DATE_RE.search(urlsplit(url).path)
            if m:
                try:
                    f.date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
                    notes.append("网页中没有发布日期，已按原网址中的日期填写，请核对")
                except ValueError:
                    pass
        missing = [zh for zh, value in (("标题", f.title), ("发布日期", f.date), ("来源", f.source),
                                        ("作者", f.author)) if not value]
        if page.looks_like_list():
            raise PageError("看起来是栏目列表页，不是文章")
        if not f.title or not f.date:
            need = "、".join(zh for zh, v in (("标题", f.title), ("发布日期", f.date)) if not v)
            missing += [] if url else ["原网址"]
            return Outcome(src.label, "failed", reason=f"缺少必填字段：{need}", missing=missing, notes=notes)

        existing, what = self._already(url, f)
        if existing is not None and existing.unit != self.unit.id:
            return Outcome(src.label, "skipped", reason=f"{what} 已由其他单位导入为 "
                                                        f"{_display(existing.path)}，不能在本单位导入或更新")
        if existing is not None and not self.update:
            col = self.tax.column(existing.column)
            where = f"（“{col.name}”栏目）" if col is not None else ""
            return Outcome(src.label, "skipped", reason=f"{what} 已导入为 {_display(existing.path)}{where}，"
                                                        "如需重新导入请加 --update")
        column = self.column
        other = self.tax.column(existing.column) if existing is not None else None
        if other is not None and other.id != column.id:  # --update keeps an item in its column
            column = other
            notes.append(f"该文章在“{column.name}”栏目，按原栏目更新")
        is_policy = issubclass(item_class(column.type), Policy)
        if is_policy and not f.doc_number:
            missing.append("文号")
        if not url:
            missing.append("原网址")
        if existing is not None:
            dest, slug, keep = existing.path, existing.slug, existing.data
        else:
            slug = slugify(f.title, f.date[:10], self.taken)
            dest, keep = self.column_dir / f"{slug}.md", {}
        files_dir = dest.parent / "files" / slug
        assets = Assets(src.path, url, f"files/{slug}/", files_dir, update=existing is not None)

        outside = page.attachment_links()
        page.clean_body()
        body_md = to_markdown(page.body, assets)
        for a in outside:
            assets.attachment(str(a.get("href") or ""), _norm(a.get_text(" ")))
        if not body_md.strip() and not assets.attachments:
            raise PageError("未找到正文")
        notes += assets.warnings

        data: dict[str, Any] = {
            "title": f.title, "type": column.type, "date": f.date, "source": f.source, "author": f.author,
        }
        if is_policy:
            data.update(doc_number=f.doc_number, index_no=f.index_no, issued=f.issued, effective=f.effective,
                        expires=f.expires)
        specs = fields_of(item_class(column.type))
        for k, v in data.items():  # as `portal check` will normalize them, so the file needs no fixing later
            if isinstance(v, str) and k in specs:
                data[k] = apply(processors_for(specs[k]), v, Context())[0]
        data["attachments"] = assets.attachments
        urls = [url] if url else []
        old = keep.get("legacy_urls") or []
        for u in [old] if isinstance(old, str) else old:
            if isinstance(u, str) and _url_key(u) not in {_url_key(x) for x in urls}:
                urls.append(u)
        data["legacy_urls"] = urls
        for k, v in keep.items():
            if k not in _OWNED and k not in data:
                data[k] = v
        text_out = front_matter(data) + "\n" + body_md

        assets.write()
        dest.parent.mkdir(parents=True, exist_ok=True)
        if existing is None:
            with open(dest, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(text_out)
            self.taken.add(slug)
        else:
            write_atomic(dest, text_out.encode("utf-8"))
        outcome = Outcome(src.label, "updated" if existing is not None else "imported", path=_display(dest),
                          missing=missing, notes=notes)
        ex = _Existing(dest, slug, column.id, data, self.unit.id)
        if url:
            self.by_url[_url_key(url)] = ex
        self.by_title[(_squash(f.title), f.date[:10])] = ex
        if f.doc_number:
            self.by_doc_number[_doc_number_key(f.doc_number)] = ex
        self.written.append((outcome, dest))
        return outcome


def import_pages(content: str | Path, unit: str, sources: list[str], column: str | None = None,
                 update: bool = False) -> Report:
    """Import SOURCE arguments into a unit's column; raises UsageError for an unknown unit or column."""
    importer = Importer(content, unit, column, update)
    return importer.run(collect_sources(sources))


# --------------------------------------------------------------------------- command line


def cmd_import(args: argparse.Namespace) -> int:
    """`portal import`: import saved old-site pages; 0 when nothing failed, 1 otherwise, 2 for usage errors."""
    content = getattr(args, "content", None) or "content"
    try:
        report = import_pages(content, args.unit, args.sources, args.column, args.update)
    except UsageError as e:
        print(f"portal import: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(report.text())
    return 1 if report.failed else 0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the `import` sub-command on an argparse subparsers object."""
    p = subparsers.add_parser("import", help="import saved pages of the old sites as items")
    p.add_argument("--unit", required=True, help="unit id (folder name)")
    p.add_argument("--column", default=None, help=f"column id (default: {DEFAULT_COLUMN})")
    p.add_argument("--update", action="store_true",
                   help="rewrite items already imported from the same old URL (same file)")
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="saved page (.html/.htm/.shtml), folder of pages, or list file of URL<TAB>file lines")
    p.set_defaults(func=cmd_import)
    return p
