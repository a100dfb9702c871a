"""`portal build`: validate → MkDocs build into a temporary directory → post steps → atomic swap into site/.

A failed build (bad content, an exception, Ctrl-C, SIGKILL) never touches the previous site/: output goes to
a sibling temporary directory that is exchanged with site/ in one `renameat2(RENAME_EXCHANGE)` call once
everything has passed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from ..model.diagnostics import Diagnostic
from .search import SearchIndexError, SearchReport

log = logging.getLogger("portal.build")
TMP_PREFIX = ".site-tmp-"


class BuildFailed(Exception):
    """The build did not produce a site; the previous site/ is untouched."""


@dataclass
class BuildResult:
    """What a build produced and measured."""

    site_dir: Path
    seconds: float = 0.0
    pages: int = 0
    skipped: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    search: SearchReport | None = None
    timings: dict[str, float] = field(default_factory=dict)  # phase -> seconds (see plugin._phase)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False when the platform cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name or not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd = -100
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if rc != 0:
        err = ctypes.get_errno()
        if err in (errno.ENOSYS, errno.EINVAL):
            return False
        raise OSError(err, os.strerror(err), str(a))
    return True


def swap_in(tmp: Path, site: Path) -> None:
    """Make tmp the new site/ atomically; the old site is removed afterwards."""
    if not site.exists():
        os.rename(tmp, site)
        return
    if _exchange(tmp, site):
        _remove_later(tmp)
        return
    old = site.with_name(site.name + ".old")  # fallback: two renames, the gap is as short as it can be
    shutil.rmtree(old, ignore_errors=True)
    os.rename(site, old)
    os.rename(tmp, site)
    shutil.rmtree(old, ignore_errors=True)


def _remove_later(path: Path) -> None:
    """Delete the previous site in the background: the new one is already in place (and a leftover is
    cleaned by the next build)."""
    try:
        subprocess.Popen(["rm", "-rf", "--", str(path)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)


def _clean_stale(parent: Path) -> None:
    """Remove temporary build directories left by killed builds (their process is gone)."""
    for p in parent.glob(TMP_PREFIX + "*"):
        try:
            pid = int(p.name.rsplit("-", 1)[1])
            os.kill(pid, 0)
        except (ValueError, IndexError, ProcessLookupError):
            shutil.rmtree(p, ignore_errors=True)
        except PermissionError:
            pass


_OS_ERRORS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "文件系统为只读",
    errno.EFBIG: "文件过大",
}


def describe_os_error(e: OSError) -> str:
    """An output error as an ops person needs it: what happened, where, and that site/ is untouched."""
    what = _OS_ERRORS.get(e.errno or 0, e.strerror or str(e))
    where = f"：{e.filename}" if e.filename else ""
    return f"写入输出时出错（{what}{where}）[errno {e.errno}]"


def load_portal_config(config_file: Path, content_dir: str | Path | None = None) -> tuple[Any, Any]:
    """mkdocs.yml loaded, with its portal plugin (content_dir overridden when given): (config, plugin)."""
    try:
        cfg = load_config(str(config_file))
    except MkDocsException as e:  # no mkdocs.yml here, or an invalid one: say so, not a traceback
        raise BuildFailed(f"无法读取站点配置 {config_file}：{e}（在项目目录运行，或用 -f 指定 mkdocs.yml）") from None
    plugin = cfg.plugins.get("portal")
    if plugin is None:
        raise BuildFailed("mkdocs.yml does not list the portal plugin")
    if content_dir is not None:
        plugin.config.content_dir = str(Path(content_dir).resolve())
    return cfg, plugin


def build(config_file: str | Path = "mkdocs.yml", site_dir: str | Path | None = None, *,
          keep_going: bool = False, strict_policy: bool = False,
          content_dir: str | Path | None = None, search: bool = True, fast_render: bool = True,
          precompress: bool = True) -> BuildResult:
    """Build the portal atomically into site_dir (default: the config's site_dir); `fast_render=False` lets
    MkDocs render every page (the reference path: same output, slower); `precompress` writes .gz files."""
    t0 = time.perf_counter()
    config_file = Path(config_file).resolve()
    cfg, plugin = load_portal_config(config_file, content_dir)
    site = Path(site_dir).resolve() if site_dir else Path(cfg.site_dir).resolve()
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BuildFailed(describe_os_error(e)) from None
    _clean_stale(site.parent)
    tmp = site.parent / f"{TMP_PREFIX}{site.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    cfg.site_dir = str(tmp)
    plugin.config.keep_going = keep_going
    plugin.config.search = search
    plugin.config.fast_render = fast_render and plugin.config.fast_render
    plugin.config.strict_policy = strict_policy
    try:
        try:
            mkdocs_build(cfg)
        except (MkDocsException, SearchIndexError) as e:
            checked = plugin.checked
            if checked is not None and (checked.index is None or checked.errors):
                raise BuildFailed(f"内容有 {len(checked.errors)} 处错误（见上方各行的规则编号），请修改后重试，"
                                  "或用 --keep-going 跳过有错误的文件") from None
            raise BuildFailed(f"MkDocs 构建出错：{e}") from None
        except OSError as e:
            raise BuildFailed(describe_os_error(e)) from None
        if precompress:
            from .precompress import precompress as write_gz

            write_gz(tmp)  # .gz beside each text file, for nginx's gzip_static (serveconf.py)
        result = BuildResult(site_dir=site)
        if plugin.checked is not None:
            result.diagnostics = plugin.checked.diagnostics
            if plugin.checked.index is not None:
                result.skipped = sorted(plugin.checked.index.skipped)
        result.pages = len(plugin.site.pages) if plugin.site else 0
        result.search = plugin.search_report
        result.timings = dict(plugin.timings)
        try:
            swap_in(tmp, site)
        except OSError as e:
            raise BuildFailed(describe_os_error(e)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.seconds = time.perf_counter() - t0
    return result
