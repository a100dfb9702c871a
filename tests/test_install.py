"""The generator as a content repository uses it: a wheel with the theme, installed outside the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.tools.init import STARTER, target_name

ROOT = Path(__file__).resolve().parent.parent


def test_the_starter_taxonomy_is_the_portal_taxonomy():
    """A new repository starts with the unified taxonomy, not a drifting copy of an old one."""
    assert (STARTER / "content" / "taxonomy.yml").read_bytes() == (ROOT / "content" / "taxonomy.yml").read_bytes()
    assert target_name(Path("dot-github/workflows/portal.yml")) == Path(".github/workflows/portal.yml")


@pytest.mark.slow
def test_wheel_installs_and_runs_init_check_build_in_a_fresh_venv(tmp_path):
    # Build from a copy without build products: an in-tree build reuses build/lib, which can hold modules left
    # there by another branch, and the wheel would then carry files the repository does not have.
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "site", "site.*", ".cache", "*.egg-info", "__pycache__", "artifacts"))
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(src)],
                   check=True, cwd=tmp_path)
    wheel = next(dist.glob("portal_generator-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("generator/render/theme/main.html", "generator/render/theme/item.html",
                   "generator/render/theme/assets/portal.css", "generator/render/theme/assets/emblem.svg",
                   "generator/tools/starter/content/taxonomy.yml", "generator/tools/starter/mkdocs.yml",
                   "generator/tools/starter/dot-github/workflows/portal.yml"):
        assert needed in names, needed

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                    "-c", str(ROOT / "requirements.lock"), str(wheel)], check=True, cwd=tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
    portal = str(venv / "bin" / "portal")

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run([portal, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)

    repo = tmp_path / "repo"
    r = run("init", str(repo), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for f in ("mkdocs.yml", "content/portal.yml", "content/taxonomy.yml", ".pre-commit-config.yaml",
              ".github/workflows/portal.yml", "overrides"):
        assert (repo / f).exists(), f
    r = run("check", cwd=repo)
    assert r.returncode == 0 and "错误 0" in r.stdout, r.stdout + r.stderr
    # Any template can be overridden from the content repository.
    (repo / "overrides" / "partials").mkdir(parents=True, exist_ok=True)
    (repo / "overrides" / "partials" / "portal-footer.html").write_text(
        '<footer class="portal-footer">本地页脚-override-marker</footer>\n', encoding="utf-8")
    r = run("build", cwd=repo)
    assert r.returncode == 0, r.stdout + r.stderr
    home = (repo / "site" / "index.html").read_text(encoding="utf-8")
    assert "本地页脚-override-marker" in home
    assert (repo / "site" / "assets" / "portal.css").exists()
    assert "示例区政府门户网站集约化平台上线运行" in home
    imported = subprocess.run([str(venv / "bin" / "python"), "-c", "import generator; print(generator.__file__)"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert str(venv) in imported and str(ROOT) not in imported
