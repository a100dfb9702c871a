"""Property tests (hypothesis, 1,000 examples each): normalizers, the slug/URL builder and the sanitizer.

The loader's properties live in test_load.py. Each property states what must hold for *any* input.
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.model import normalize as n
from generator.model import urls
from generator.model.urls import slugify
from generator.stages.load import SLUG_RE
from generator.util.markup import Markup
from generator.util.safety import scan_html, scan_markdown

from .test_normalize import CTX

EXAMPLES = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------------------------------- normalizers


@EXAMPLES
@given(st.text(max_size=80))
def test_text_normalizer_is_idempotent_and_trims(raw):
    out, _ = n.text(raw, CTX)
    assert n.text(out, CTX) == (out, "")
    assert out == out.strip(" \t\n\u3000\u00a0")


@EXAMPLES
@given(st.text(max_size=40))
def test_code_and_doc_number_normalizers_are_idempotent(raw):
    for proc in (n.code, n.doc_number):
        out, note = proc(raw, CTX)
        assert proc(out, CTX) == (out, "")
        assert (note == "") == (out == raw)


@EXAMPLES
@given(st.text(max_size=30))
def test_unit_reference_normalizer_never_raises(raw):
    out, note = n.unit_ref(raw, CTX)
    assert isinstance(out, str) and isinstance(note, str)


# ---------------------------------------------------------------------------------------------- slugs and URLs


@EXAMPLES
@given(st.text(max_size=120), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_any_title_gives_a_valid_stable_slug_and_url(title, day):
    slug = slugify(title, day.isoformat())
    assert SLUG_RE.match(slug), slug  # a file name `portal check` accepts (E014)
    assert slug == slugify(title, day.isoformat())  # stable: the same title and date, the same URL
    url = urls.item_url(urls.unit_url("fgj"), "news", slug)
    assert re.fullmatch(r"/[a-z0-9-]+/[a-z0-9-]+/[a-z0-9-]+/", url)


@EXAMPLES
@given(st.lists(st.text(max_size=20), min_size=1, max_size=30))
def test_slugs_are_unique_within_a_folder(titles):
    taken: set[str] = set()
    for t in titles:  # same-day items, even with equal titles, get distinct slugs
        s = slugify(t, "2026-11-28", taken)
        assert s not in taken and SLUG_RE.match(s)
        taken.add(s)


# ---------------------------------------------------------------------------------------------- sanitizer

MD = Markup(["toc", "tables", "attr_list", "md_in_html", "admonition", "footnotes", "def_list"], {})

#: Pieces of hostile markup; hypothesis strings them together with arbitrary text in between.
HOSTILE = [
    "<script>", "</script>", "alert(1)", "<img src=x onerror=", "<svg onload=", "<svg><script>", "<iframe src=",
    "<a href=\"", "<a href='", "javascript:", "JaVaScRiPt:", "jav&#x09;ascript:", "&#106;avascript:",
    "&#x6A;avascript&#x3A;", "java\nscript:", "vbscript:", "data:text/html;base64,PHNjcmlwdD4=", "data:",
    "<style>", "style=\"x:expression(alert(1))\"", "<object data=", "<embed src=", "<math><mi xlink:href=",
    "<form action=", "<button formaction=", "<body onload=", "<details open ontoggle=", "\"", "'", ">", "<",
    "](", "[x](", "![y](", ")", "\n", "\n\n", "<div markdown=\"1\">", "</div>", "{: onclick=\"x\" }",
    "<base href=", "<meta http-equiv=refresh content=\"0;url=javascript:", "<!--", "-->", "<![CDATA[", "]]>",
    "`", "```\n", "<p/onmouseover=", "<a/href=", "&lt;script&gt;", "&quot;", "<noscript><p title=\"</noscript>",
]


@EXAMPLES
@given(st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), max_size=40).map("".join))
def test_sanitized_output_never_contains_an_executable_construct(text):
    html = MD.render(text).html
    page = f"<html><body><article>{html}</article></body></html>".encode()
    assert scan_html(page) == []
    assert "<script" not in html.lower() and "<iframe" not in html.lower() and "<svg" not in html.lower()


@EXAMPLES
@given(st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), max_size=40).map("".join))
def test_markdown_linter_never_raises_and_points_inside_the_body(text):
    for line, what in scan_markdown(text):
        assert 0 <= line <= text.count("\n") and what
