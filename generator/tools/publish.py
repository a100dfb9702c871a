"""`portal publish SITE DEST`: put a built site on the web server as a release, switch to it atomically.

    DEST/releases/20261202T230500Z-2e6b95c/   one directory per release (UTC time, commit)
    DEST/current -> releases/20261202T230500Z-2e6b95c   what nginx serves (root DEST/current)

A release is written under a hidden temporary name and renamed when complete, then `current` is replaced in
one rename(2) of a new symlink over the old one: a reader (nginx resolves the link per request) sees the old
release or the new one, never a half-copied site, whatever happens to the publish (Ctrl-C, SIGKILL, a full
disk). Files equal to the current release's are hard links to it, so a release costs only what changed. The
newest `keep` releases are kept; `--rollback` points `current` at the release before it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import filecmp
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

RELEASES = "releases"
CURRENT = "current"
TMP = ".tmp-"


class PublishError(Exception):
    """The publish did not switch; `current` is unchanged."""


@dataclass
class Published:
    release: Path
    files: int = 0
    linked: int = 0
    copied: int = 0
    bytes_written: int = 0
    removed: list[str] | None = None


def releases(dest: Path) -> list[Path]:
    """Complete releases, oldest first (names start with the UTC time)."""
    root = dest / RELEASES
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def current(dest: Path) -> Path | None:
    """The release `current` points to, or None."""
    link = dest / CURRENT
    if not link.is_symlink():
        return None
    return (dest / os.readlink(link)).resolve()


def switch(dest: Path, release: Path) -> None:
    """Point DEST/current at release atomically (a new symlink renamed over the old one)."""
    tmp = dest / f"{TMP}current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(release, dest), tmp)
    os.replace(tmp, dest / CURRENT)
    _fsync_dir(dest)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit_id(cwd: Path | None = None) -> str:
    """The short commit of the working directory's git checkout, or "nocommit"."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=cwd, capture_output=True, text=True,
                             timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "nocommit"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "nocommit"


def _lock(dest: Path):
    f = open(dest / ".publish.lock", "w")  # noqa: SIM115 - held until the process ends or unlock
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.close()
        raise PublishError(f"another publish is running in {dest}") from None
    return f


def _clean_stale(dest: Path) -> None:
    """Half-written releases and link temporaries of publishes that were killed (we hold the lock)."""
    for p in [*(dest / RELEASES).glob(TMP + "*"), *dest.glob(TMP + "*")]:
        if p.is_symlink() or p.is_file():
            p.unlink()
        else:
            shutil.rmtree(p, ignore_errors=True)


def _copy_tree(site: Path, tmp: Path, prev: Path | None, result: Published) -> None:
    for dirpath, dirs, files in os.walk(site):
        dirs.sort()
        rel = os.path.relpath(dirpath, site)
        out = tmp / rel if rel != "." else tmp
        out.mkdir(exist_ok=True)
        for name in sorted(files):
            src = os.path.join(dirpath, name)
            target = out / name
            old = prev / rel / name if prev is not None else None
            result.files += 1
            if old is not None and old.is_file() and not old.is_symlink() \
                    and os.path.getsize(old) == os.path.getsize(src) and filecmp.cmp(old, src, shallow=False):
                os.link(old, target)
                result.linked += 1
            else:
                shutil.copyfile(src, target)
                result.copied += 1
                result.bytes_written += os.path.getsize(src)


def publish(site: Path, dest: Path, *, keep: int = 5, commit: str | None = None,
            now: dt.datetime | None = None) -> Published:
    """Copy site into a new release of dest, switch `current` to it, remove releases beyond the newest keep."""
    site, dest = Path(site).resolve(), Path(dest).resolve()
    if not (site / "index.html").is_file():
        raise PublishError(f"{site} is not a built site (no index.html); run portal build first")
    if keep < 2:
        raise PublishError("--keep must be at least 2 (the release and one to roll back to)")
    (dest / RELEASES).mkdir(parents=True, exist_ok=True)
    lock = _lock(dest)
    try:
        _clean_stale(dest)
        stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
        name = f"{stamp}-{commit or commit_id()}"
        final = dest / RELEASES / name
        n = 2
        while final.exists():
            final = dest / RELEASES / f"{name}.{n}"
            n += 1
        tmp = dest / RELEASES / f"{TMP}{final.name}"
        result = Published(release=final)
        _copy_tree(site, tmp, current(dest), result)
        os.sync()  # the files are on disk before anything points to them
        os.rename(tmp, final)
        _fsync_dir(dest / RELEASES)
        switch(dest, final)
        result.removed = prune(dest, keep)
        return result
    finally:
        lock.close()


def prune(dest: Path, keep: int) -> list[str]:
    """Remove the oldest releases beyond `keep`, never the current one."""
    cur = current(dest)
    removed = []
    for old in releases(dest)[:-keep]:
        if old.resolve() != cur:
            shutil.rmtree(old)
            removed.append(old.name)
    return removed


def rollback(dest: Path) -> Path:
    """Point `current` at the release before the current one; that release."""
    dest = Path(dest).resolve()
    lock = _lock(dest)
    try:
        cur = current(dest)
        older = [r for r in releases(dest) if cur is None or r.name < cur.name]
        if not older:
            raise PublishError(f"no release older than {cur.name if cur else '(none)'} in {dest / RELEASES}")
        switch(dest, older[-1])
        return older[-1]
    finally:
        lock.close()


def add_parser(subparsers) -> None:
    """Register `portal publish`."""
    p = subparsers.add_parser("publish", help="copy a built site into DEST/releases and switch DEST/current "
                                              "atomically (--rollback: back to the previous release)")
    p.add_argument("paths", nargs="+", metavar="SITE DEST", help="SITE DEST to publish; DEST alone with --rollback")
    p.add_argument("--keep", type=int, default=5, help="releases to keep (default 5)")
    p.add_argument("--commit", default=None, help="commit id for the release name (default: git rev-parse HEAD)")
    p.add_argument("--rollback", action="store_true", help="point current at the release before it")
    p.set_defaults(func=cmd_publish)


def cmd_publish(args) -> int:
    try:
        if args.rollback:
            if len(args.paths) != 1:
                print("portal publish --rollback DEST", file=sys.stderr)
                return 2
            back = rollback(Path(args.paths[0]))
            print(f"portal publish: current -> {RELEASES}/{back.name}")
            return 0
        if len(args.paths) != 2:
            print("portal publish SITE DEST", file=sys.stderr)
            return 2
        r = publish(Path(args.paths[0]), Path(args.paths[1]), keep=args.keep, commit=args.commit)
    except (PublishError, OSError) as e:
        print(f"portal publish: {e}; current is unchanged", file=sys.stderr)
        return 1
    print(f"portal publish: current -> {RELEASES}/{r.release.name}: {r.files} files, {r.linked} unchanged "
          f"(hard links), {r.copied} written ({r.bytes_written / 1e6:.1f} MB)"
          + (f"; removed {', '.join(r.removed)}" if r.removed else ""))
    return 0
