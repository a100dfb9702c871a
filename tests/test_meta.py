"""Meta-tests: the model, the rules and the docs stay consistent with each other."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from generator.model import content as model
from generator.model import diagnostics
from generator.model.content import all_record_classes, fields_of

ROOT = Path(__file__).resolve().parent.parent


def test_every_schema_field_has_a_zh_label_and_help():
    missing = [(c.__name__, n) for c in all_record_classes() for n, s in fields_of(c).items()
               if not s.zh or not s.help or not re.search(r"[\u4e00-\u9fff]", s.zh + s.help)]
    assert missing == []


def test_every_vocab_reference_names_a_taxonomy_vocabulary():
    known = set(model.Taxonomy.VOCABS) | {"units"}
    bad = [(c.__name__, n, s.vocab) for c in all_record_classes() for n, s in fields_of(c).items()
           if s.vocab and s.vocab not in known]
    assert bad == []


def test_rules_doc_is_generated_and_current():
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert doc == diagnostics.rules_markdown(), "run: portal rules --markdown > docs/rules.md"
    for rule_id in diagnostics.RULES:
        assert f"| {rule_id} |" in doc


def test_every_rule_is_emitted_somewhere():
    """A rule nobody can trigger is dead documentation."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "generator").rglob("*.py")
                     if p.name != "diagnostics.py")
    unused = [r for r in diagnostics.RULES if f'"{r}"' not in code]
    assert unused == []


def test_every_stage_module_exports_its_function():
    for module, fn in [("load", "load"), ("validate", "validate"), ("index", "build_index"),
                       ("pipeline", "check")]:
        mod = importlib.import_module(f"generator.stages.{module}")
        assert callable(getattr(mod, fn)), module


def test_rule_ids_are_well_formed():
    for rule in diagnostics.RULES.values():
        assert re.fullmatch(r"[EW]\d{3}", rule.id)
        assert rule.id[0] == ("E" if rule.severity == "error" else "W")


def test_editors_guide_field_reference_is_current():
    from generator.model.schema import field_reference
    from generator.stages.load import load
    from generator.stages.validate import validate

    taxonomy = validate(load(ROOT / "content")).taxonomy
    guide = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    marker = "以下内容由系统根据内容模型自动生成。\n\n"
    assert marker in guide
    assert guide.split(marker, 1)[1] == field_reference(taxonomy), \
        "regenerate the field reference: portal schema --markdown (see docs/editors.md)"


def test_ci_example_runs_the_portal_commands():
    import yaml

    doc = yaml.safe_load((ROOT / "docs" / "ci-example.yml").read_text(encoding="utf-8"))
    steps = doc["jobs"]["check-build-inspect"]["steps"]
    script = "\n".join(s.get("run", "") for s in steps)
    for command in ("portal check", "portal build", "portal linkcheck site", "portal inspect", "--external"):
        assert command in script, command
    assert any(s.get("uses", "").startswith("actions/upload-artifact") and "inspection.json" in s["with"]["path"]
               for s in steps)


def test_ci_runs_make_test_and_checks_the_demo_links():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in script and "portal linkcheck site" in script
