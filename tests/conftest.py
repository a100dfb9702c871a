"""Shared fixtures: content trees written inline in the test (tmp_path), with the real taxonomy."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

PORTAL_YML = """\
name: 测试区人民政府门户网站
domain: www.example.gov.cn
site_code: "4401050001"
icp: 粤ICP备00000000号
psb: 粤公网安备 44010502000000号
sponsor: 测试区人民政府办公室
organizer: 测试区政务服务数据管理局
"""

UNIT_YML = """\
name: 测试区发展和改革局
short_name: 区发展改革局
kind: department
aliases: [测试区发展计划局]
"""

STREET_YML = """\
name: 测试街道办事处
short_name: 测试街
kind: street
communities:
  - id: ceshi-a
    name: 甲社区居委会
"""


def write_tree(root: Path, files: dict[str, str | bytes], *, taxonomy: bool = True,
               portal: bool = True) -> Path:
    """Write a content tree: the real taxonomy, a small portal.yml, plus `files` (path -> text or bytes)."""
    root.mkdir(parents=True, exist_ok=True)
    if taxonomy:
        shutil.copy(CONTENT / "taxonomy.yml", root / "taxonomy.yml")
    if portal:
        (root / "portal.yml").write_text(PORTAL_YML, encoding="utf-8")
    for rel, body in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            p.write_bytes(body)
        else:
            p.write_text(textwrap.dedent(body), encoding="utf-8")
    return root


def item(front: str, body: str = "正文。\n") -> str:
    """An item file from a dedented front-matter block."""
    return "---\n" + textwrap.dedent(front).strip("\n") + "\n---\n" + body


@pytest.fixture
def tree(tmp_path):
    """Factory: tree({path: text}) -> content root in tmp_path."""

    def make(files: dict[str, str | bytes] | None = None, **kw) -> Path:
        base = {"units/fgj/unit.yml": UNIT_YML, "units/ceshi/unit.yml": STREET_YML}
        base.update(files or {})
        return write_tree(tmp_path / "content", {k: v for k, v in base.items() if v is not None}, **kw)

    return make
