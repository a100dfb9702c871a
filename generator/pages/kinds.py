"""Page kinds: the distinct layouts the build produces, one name per (template, variant).

A kind is what a reviewer would call a different page: a column list and its year archive share list.html but
show different controls (the year switcher's current year), a catalog facet page has a filter bar the full
catalog does not. Tests that must see every layout (accessibility, CSP) take one page of each kind from the
build's page specs, so a new template or variant is covered without editing them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Pages MkDocs or the server produce outside the page specs, with an example address each.
EXTRA = {
    "404": "/no-such-page/",  # the server answers with 404.html
    "search-results": "/search/?q=政务公开",  # /search/ with results rendered by search.js
}


def page_kind(spec: Any) -> str:
    """The kind of one PageSpec (see the module docstring)."""
    stem = spec.kind.name
    d = spec.data or {}
    variant = ""
    if stem == "list":
        variant = "year" if d.get("year") else ""
        if "/page/" in spec.url:
            variant = (variant + "-paged").lstrip("-")
    elif stem == "item":
        variant = str(d.get("type") or "")
        if getattr(spec, "item", None) is not None and "<video" in spec.item.body:
            variant += "-video"  # the sanitizer's <video>, <source> and <track>
    elif stem == "catalog":
        variant = "facet" if d.get("filter") else ""
    elif stem == "handbook":
        variant = "" if d.get("units") else "unit"
    elif stem == "directory":
        variant = "level" if d.get("level") else ""
    elif stem == "unit":
        variant = "street" if d.get("communities") else ""
    elif stem in ("xxgk", "unit-xxgk"):
        variant = str(d.get("view") or "") if stem == "xxgk" else ""
    elif stem == "reports":
        variant = "year" if d.get("year") else ""
    elif stem == "topic":
        variant = "" if "topics" in d else "one"
    elif stem == "interact":
        variant = "facet" if "/by/" in spec.url else ("" if spec.url == "/interact/" else "unit")
    elif stem == "stats":
        variant = spec.url.strip("/").rsplit("/", 1)[-1] if spec.url != "/stats/" else ""
    return f"{stem}-{variant}" if variant else stem


def examples(specs: Iterable[Any]) -> dict[str, str]:
    """kind -> the URL of one page of that kind (the smallest URL, so the choice is stable), plus EXTRA."""
    out: dict[str, str] = {}
    for spec in specs:
        kind = page_kind(spec)
        if kind not in out or spec.url < out[kind]:
            out[kind] = spec.url
    out.update(EXTRA)
    return dict(sorted(out.items()))
