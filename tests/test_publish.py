"""`portal publish`: releases with hard links, an atomic `current` switch that survives SIGKILL mid-copy (nginx
keeps serving the previous release byte for byte), pruning, and rollback."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from generator.tools import publish as pub
from generator.tools.cli import main

from .conftest import ROOT
from .nginxctl import free_port, get, running

HOST = "www.haizhu.gov.cn"
CHANGED = ["index.html", "index.html.gz", "catalog/index.html", "assets/portal.css"]


def tiny(path, text: str):
    path.mkdir(parents=True, exist_ok=True)
    (path / "index.html").write_text(text, encoding="utf-8")
    (path / "same.txt").write_text("unchanged\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_sites(demo_site, tmp_path_factory):
    """The demo (release A) and a copy with a few files changed, one added and one removed (release B)."""
    b = tmp_path_factory.mktemp("siteb") / "site"
    shutil.copytree(demo_site, b)
    for rel in CHANGED:
        with open(b / rel, "ab") as f:
            f.write(b"\n<!-- release B -->\n")
    (b / "release-b.txt").write_text("B\n", encoding="utf-8")
    shutil.rmtree(b / "about")  # a page removed
    return demo_site, b


def sample(site, n: int = 300) -> list[str]:
    """Files to compare through nginx: the changed and removed ones and a fixed random sample of the rest."""
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
                   and not p.name.endswith(".gz") and not stub(p))
    chosen = [f for f in [*CHANGED, "about/index.html"] if not f.endswith(".gz")]
    return chosen + random.Random(19).sample([f for f in files if f not in chosen], n)


def stub(path) -> bool:
    """A redirect stub of an old portal path: nginx answers its URL with the 301 of the map instead."""
    return b'http-equiv="refresh"' in path.read_bytes()[:2000]  # any old suffix: .html, .shtml, .jsp …


def url_of(rel: str) -> str:
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def assert_serves(port, site, files) -> None:
    differ = []
    for rel in files:
        status, _, body = get(port, url_of(rel), HOST)
        if status != 200 or body != (site / rel).read_bytes():
            differ.append((rel, status))
    assert differ == []


def test_kill_mid_copy_keeps_serving_the_previous_release_then_publish_and_rollback(two_sites, tmp_path):
    a, b = two_sites
    dest = tmp_path / "www"
    first = pub.publish(a, dest, commit="aaaaaaa", now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert first.copied == first.files and first.release.name == "20260101T000000Z-aaaaaaa"
    assert pub.current(dest) == first.release

    port = free_port()
    conf = tmp_path / "portal.conf"
    assert main(["serve-config", str(a), "--root", str(dest / "current"), "--listen", f"127.0.0.1:{port}",
                 "--out", str(conf)]) == 0
    files = sample(a)
    with running(tmp_path / "nginx", conf, port):
        assert_serves(port, a, files)

        # SIGKILL the publish of B while it copies.
        proc = subprocess.Popen([sys.executable, "-m", "generator.tools.cli", "publish", str(b), str(dest),
                                 "--commit", "bbbbbbb"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        tmp = None
        while time.monotonic() < deadline and proc.poll() is None:
            tmp = next((p for p in (dest / "releases").glob(".tmp-*") if any(p.iterdir())), None)
            if tmp is not None:
                break
            time.sleep(0.002)
        assert tmp is not None, "the publish finished before it could be killed"
        assert_serves(port, a, [f for f in CHANGED if not f.endswith(".gz")])  # while it copies
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        assert pub.current(dest) == first.release
        assert [r.name for r in pub.releases(dest)] == [first.release.name]  # no half release is complete
        assert_serves(port, a, files)  # byte for byte, the changed files included

        # The next publish cleans up after the killed one and switches to B; unchanged files are hard links.
        second = pub.publish(b, dest, commit="bbbbbbb", now=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
        assert not list((dest / "releases").glob(".tmp-*"))
        assert pub.current(dest) == second.release
        assert second.copied == len(CHANGED) + 1 and second.linked == second.files - second.copied
        same = "assets/care.js"
        assert os.stat(first.release / same).st_ino == os.stat(second.release / same).st_ino
        assert os.stat(first.release / "index.html").st_ino != os.stat(second.release / "index.html").st_ino
        assert_serves(port, b, [f for f in files if f != "about/index.html"])
        assert get(port, "/about/", HOST)[0] == 404
        assert get(port, "/release-b.txt", HOST)[2] == b"B\n"

        # Rollback: A again, byte for byte.
        assert main(["publish", "--rollback", str(dest)]) == 0
        assert pub.current(dest) == first.release
        assert_serves(port, a, files)
        assert get(port, "/release-b.txt", HOST)[0] == 404


def test_keep_the_newest_releases_and_never_the_current_one(tmp_path):
    dest = tmp_path / "www"
    made = []
    for day in range(1, 5):
        site = tiny(tmp_path / f"s{day}", f"<p>{day}</p>")
        r = pub.publish(site, dest, keep=2, commit="c", now=dt.datetime(2026, 1, day, tzinfo=dt.UTC))
        made.append(r.release.name)
        assert (dest / "current" / "index.html").read_text() == f"<p>{day}</p>"
        assert r.linked == (1 if day > 1 else 0)  # same.txt
    assert [p.name for p in pub.releases(dest)] == made[-2:]
    assert pub.rollback(dest).name == made[-2]
    with pytest.raises(pub.PublishError):
        pub.rollback(dest)  # nothing older is kept
    # After a rollback the current (older) release survives pruning.
    r = pub.publish(tiny(tmp_path / "s5", "<p>5</p>"), dest, keep=2, commit="c",
                    now=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    assert pub.current(dest) == r.release and made[-2] not in [p.name for p in pub.releases(dest)]


def test_two_publishes_in_one_second_and_bad_input(tmp_path):
    dest = tmp_path / "www"
    site = tiny(tmp_path / "s", "<p>x</p>")
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    r1 = pub.publish(site, dest, commit="c", now=now)
    r2 = pub.publish(site, dest, commit="c", now=now)
    assert r1.release != r2.release and pub.current(dest) == r2.release
    assert main(["publish", str(tmp_path / "nothing"), str(dest)]) == 1
    assert pub.current(dest) == r2.release
    lock = pub._lock(dest)
    try:
        with pytest.raises(pub.PublishError):
            pub.publish(site, dest, commit="c")
    finally:
        lock.close()
