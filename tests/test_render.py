"""The fast renderer cannot drift from MkDocs: the whole demo is built both ways and compared page by page."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from generator.render import fastrender
from tests.conftest import CONTENT, build_site


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> tuple[Path, Path, object]:
    base = tmp_path_factory.mktemp("render")
    fast = build_site(CONTENT, base / "fast", search=False)
    build_site(CONTENT, base / "full", search=False, fast_render=False)
    return base / "fast", base / "full", fast


def test_every_page_is_identical_with_and_without_the_fast_renderer(both):
    fast, full, _ = both
    a = {p.relative_to(fast).as_posix() for p in fast.rglob("*") if p.is_file()}
    b = {p.relative_to(full).as_posix() for p in full.rglob("*") if p.is_file()}
    assert a == b
    differ = [rel for rel in sorted(a) if (fast / rel).read_bytes() != (full / rel).read_bytes()]
    assert differ == []


def test_the_comparison_covers_every_fast_page_kind(both):
    """Each kind the fast renderer writes (item, list, unit, matter …) is among the compared pages."""
    from generator.pages.base import PageKind
    from generator.pages.emit import _import_page_modules

    _import_page_modules()
    import gc

    kinds = {o.name for o in gc.get_objects() if isinstance(o, PageKind) and o.fast}
    assert {"item", "list", "unit", "matter"} <= kinds
    fast, _, _ = both
    samples = {"item": "fgj/policies", "list": "columns/news/index.html", "unit": "fgj/index.html",
               "matter": "catalog/fgj"}
    for kind in kinds & set(samples):
        assert list(fast.glob(samples[kind] + ("" if samples[kind].endswith(".html") else "/*/index.html"))), kind


def test_other_versions_fall_back_to_mkdocs_with_one_warning(tmp_path, monkeypatch, caplog):
    monkeypatch.setitem(fastrender.VERIFIED, "mkdocs-material", "0.0.1")
    assert "mkdocs-material 0.0.1" in fastrender.unverified_versions()
    from tests.test_build import fixture_tree

    content = fixture_tree(tmp_path / "content")
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.portal"):
        result = build_site(content, tmp_path / "site", search=False)
    warnings = [r for r in caplog.records if "verified" in r.getMessage()]
    assert len(warnings) == 1
    assert result.pages > 0 and (tmp_path / "site" / "index.html").exists()
    assert fastrender.unverified_versions() != ""
