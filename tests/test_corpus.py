"""Golden diagnostics for the bad-input corpus: exact rule id and path:line for every case."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from generator.stages.pipeline import check

from .conftest import CONTENT

HERE = Path(__file__).resolve().parent / "corpus" / "bad"
GOLDEN = HERE.parent / "bad-expected.txt"


def make_bad_tree(dest: Path) -> Path:
    """The committed corpus plus the cases git cannot hold: a 50 MB file and symlinks out of the tree."""
    shutil.copytree(HERE, dest, symlinks=True)
    shutil.copy(CONTENT / "taxonomy.yml", dest / "taxonomy.yml")
    with open(dest / "units/bad/news/huge.md", "wb") as f:
        f.write(b"---\ntitle: huge\ndate: 2020-01-01\n---\n")
        f.truncate(50 * 1024 * 1024)
    outside = dest.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.md").write_text("---\ntitle: 秘密\ndate: 2020-01-01\n---\n", encoding="utf-8")
    (outside / "secret.pdf").write_bytes(b"%PDF-1.4\n")
    os.symlink(outside / "secret.md", dest / "units/bad/news/symlink-out.md")
    (dest / "units/bad/news/files").mkdir()
    os.symlink(outside / "secret.pdf", dest / "units/bad/news/files/linked.pdf")
    (dest / "units/bad/news/attach-symlink.md").write_text(
        "---\ntitle: 一\ndate: 2020-01-01\nattachments:\n  - file: files/linked.pdf\n---\n", encoding="utf-8")
    return dest


def run_corpus(tmp_path: Path):
    root = make_bad_tree(tmp_path / "content")
    return root, check(root, today=dt.date(2026, 11, 28), display_base=root)


def test_bad_corpus_matches_golden_diagnostics(tmp_path):
    _, result = run_corpus(tmp_path)
    got = [f"{d.path}:{d.line}: {d.rule}" for d in result.diagnostics]
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text("\n".join(got) + "\n", encoding="utf-8")
    want = GOLDEN.read_text(encoding="utf-8").splitlines()
    assert got == want


def test_every_bad_file_gets_a_diagnostic_and_good_units_survive(tmp_path):
    root, result = run_corpus(tmp_path)
    reported = {d.path for d in result.diagnostics}
    for p in sorted((root / "units" / "bad").rglob("*.md")):
        rel = p.relative_to(root).as_posix()
        if "same-slug" in rel and "2020" in rel:
            continue  # the first claimant of a URL keeps it; the other file is reported
        assert rel in reported, f"no diagnostic for {rel}"
    ix = result.index
    assert {"good/news/2020-01-01-ok", "good/news/2020-01-02-bom", "good/policies/2020-01-01-p",
            "good/interpretations/2020-01-01-i"} <= set(ix.items)
    assert "good" in ix.units and "bad" in ix.units


@pytest.mark.parametrize("case", ["billion-laughs", "deep", "huge"])
def test_hostile_files_fail_fast(tmp_path, case):
    import time

    from generator.stages.load import load

    root = make_bad_tree(tmp_path / "content")
    t = time.perf_counter()
    load(root, display_base=root)
    assert time.perf_counter() - t < 5
