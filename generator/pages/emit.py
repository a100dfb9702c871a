"""Stage 4 — emit: every generated page as a plain structure for a template, plus static files and the nav.

Pages are described, not rendered: a PageSpec carries its kind (template, how it is rendered and indexed)
and the data the template lays out. Every module of this package that registers a builder (`@builder`)
takes part: emit imports them all, runs the builders in order and returns the Site.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from ..stages.index import Index
from ..util.gcpause import without_gc
from .base import Context, Site, builders


def _import_page_modules() -> None:
    """Import every module of the pages package (each registers its builders)."""
    package = __name__.rsplit(".", 1)[0]
    for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
        importlib.import_module(f"{package}.{info.name}")


@without_gc  # hundreds of thousands of small, acyclic dicts: see util/gcpause.py
def emit(ix: Index, diagnostics: list | None = None, cache: Path | None = None) -> Site:
    """Describe every page, static file and the nav of the portal (diagnostics feed the statistics and
    inspection pages; `cache` is a folder where expensive, content-addressed outputs are kept across builds)."""
    _import_page_modules()
    ctx = Context(ix, diagnostics, cache)
    for build in builders():
        build(ctx)
    return ctx.site
