"""The benchmark corpus is what `make bench` and the 20k measurements build: it must pass `portal check`."""

from __future__ import annotations

import json
from datetime import date

from bench.corpus import generate
from generator.tools.cli import main


def test_small_corpus_checks_without_errors(tmp_path, monkeypatch, capsys):
    content = tmp_path / "content"
    counts = generate(content, 120, seed=3, today=date(2026, 11, 28))
    assert counts["items"] == 120
    monkeypatch.chdir(tmp_path)
    code = main(["--content", str(content), "check", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    errors = [d for d in doc["diagnostics"] if d["severity"] == "error"]
    assert errors == [] and code == 0, errors[:5]
