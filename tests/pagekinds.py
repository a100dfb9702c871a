"""One page of every kind the demo build produces (generator/kinds.py), for the browser tests."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from .conftest import CONTENT


@functools.cache
def demo_kinds() -> dict[str, str]:
    """kind -> URL path of one demo page of that kind, from the build's own page specs (check + emit)."""
    from generator.pages import kinds
    from generator.pages.emit import emit
    from generator.stages.pipeline import check
    from generator.util.clock import reference_date

    checked = check(CONTENT, today=reference_date())
    assert checked.index is not None
    with tempfile.TemporaryDirectory() as cache:
        site = emit(checked.index, checked.diagnostics, Path(cache))
    return kinds.examples(site.pages)
