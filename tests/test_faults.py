"""Faults: a killed build, a full disk, a read-only file system, and reproducibility of clean builds."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.render.build import BuildFailed

from .conftest import CONTENT, ROOT, build_site, require
from .test_devserver import manifest

PORTAL = [sys.executable, "-m", "generator.tools.cli"]


def commit_epoch() -> str:
    """SOURCE_DATE_EPOCH as CI sets it: the last commit's time (a fixed date outside a git checkout)."""
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True,
                             text=True, check=True).stdout.strip()
        if out.isdigit():
            return out
    except (OSError, subprocess.CalledProcessError):
        pass
    return "1795000000"


def portal_build(content: Path, site: Path, *extra: str, env: dict | None = None) -> subprocess.Popen:
    cmd = [*PORTAL, "--content", str(content), "build", "--site-dir", str(site), *extra]
    return subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)


@pytest.mark.slow
def test_sigkill_at_random_points_leaves_the_last_good_site(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    site = tmp_path / "site"
    proc = portal_build(content, site)  # cold: fills the caches
    assert proc.wait() == 0, proc.stderr.read().decode()
    t0 = time.perf_counter()
    proc = portal_build(content, site)  # warm, like the builds killed below
    assert proc.wait() == 0, proc.stderr.read().decode()
    full = time.perf_counter() - t0
    good = manifest(site)
    rng = random.Random(20261128)
    killed = runs = 0
    # Until 20 builds were really interrupted: on a loaded machine a build's length varies by 2x, so a fixed
    # number of runs could let many finish before the kill (that proves nothing); 40 runs at most.
    while killed < 20 and runs < 40:
        runs += 1
        proc = portal_build(content, site)
        time.sleep(rng.uniform(0.05, full * 0.95))  # anywhere from start-up to the final swap
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the build and its Pagefind / worker children
            killed += 1
        proc.wait()
        assert manifest(site) == good
    assert killed >= 15, f"only {killed} of {runs} builds were interrupted"
    # The next build cleans what the killed ones left behind.
    proc = portal_build(content, site)
    assert proc.wait() == 0
    deadline = time.time() + 30  # the replaced site is removed in the background after the swap
    while list(tmp_path.glob(".site-tmp-*")) and time.time() < deadline:
        time.sleep(0.2)
    assert not list(tmp_path.glob(".site-tmp-*"))
    assert manifest(site) == good


@pytest.mark.slow
def test_two_clean_builds_are_byte_identical(tmp_path):
    """Separate processes, different hash seeds, cold caches, seconds apart: the same bytes."""
    sites = []
    for n, seed in enumerate(("1", "4242")):
        work = tmp_path / f"w{n}"
        shutil.copytree(CONTENT, work / "content")
        env = {"SOURCE_DATE_EPOCH": commit_epoch(), "PYTHONHASHSEED": seed}
        proc = portal_build(work / "content", work / "site", env=env)
        assert proc.wait() == 0, proc.stderr.read().decode()
        sites.append(manifest(work / "site"))
    a, b = sites
    assert sorted(set(a) ^ set(b)) == []
    assert sorted(k for k in a if a[k] != b[k]) == []
    combined = hashlib.sha256("".join(f"{k} {a[k]}\n" for k in sorted(a)).encode()).hexdigest()
    print(f"site manifest sha256 {combined} ({len(a)} files)")


def _mount_tmpfs(where: Path, size: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True, check=False)
    require("mount", proc.returncode == 0,
            f"a small tmpfs is how a full disk is made real (needs root): {proc.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path):
    where = tmp_path / "disk"
    mounted = []

    def make(size: str) -> Path:
        _mount_tmpfs(where, size)
        mounted.append(where)
        return where

    yield make
    for m in mounted:
        subprocess.run(["umount", "-l", str(m)], check=False)


def _tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def test_a_full_disk_is_a_clear_error_and_the_site_is_untouched(tmp_path, small_disk):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    probe = tmp_path / "probe"
    build_site(content, probe, search=False)
    need = _tree_size(probe)
    disk = small_disk(f"{int(need * 1.5) // 1024}k")  # room for one site, not for a second beside it
    site = disk / "site"
    shutil.copytree(probe, site)
    before = manifest(site)
    with pytest.raises(BuildFailed) as e:
        build_site(content, site, search=False)
    assert "磁盘空间不足" in str(e.value) and "errno 28" in str(e.value)
    assert manifest(site) == before
    assert not list(disk.glob(".site-tmp-*"))  # the partial output is gone, the space is back


def test_a_read_only_output_is_a_clear_error_and_the_site_is_untouched(tmp_path, small_disk):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    disk = small_disk("400m")
    site = disk / "site"
    build_site(content, site, search=False)
    before = manifest(site)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    with pytest.raises(BuildFailed) as e:
        build_site(content, site, search=False)
    assert "文件系统为只读" in str(e.value)
    assert manifest(site) == before


def test_cli_reports_an_output_error_in_one_line(tmp_path, small_disk):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    disk = small_disk("2m")
    proc = portal_build(content, disk / "site", "--no-search")
    _out, err = proc.communicate()
    assert proc.returncode == 1
    text = err.decode()
    assert "构建失败，未修改现有网站" in text and "磁盘空间不足" in text and "Traceback" not in text
