"""`portal serve` shows an error page at a broken item's URL (not a 404) and the real page once it is fixed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

from generator.tools.devserver import DevServer

from .conftest import ROOT, free_port, item

BROKEN = item("title: 区卫健局开展义诊活动\ndate: 2026年13月2日")
FIXED = item("title: 区卫健局开展义诊活动\ndate: 2026年1月2日")


def test_error_page_replaces_the_404_and_goes_away_when_fixed(tree, tmp_path, monkeypatch):
    root = tree({"units/fgj/news/a.md": BROKEN})
    monkeypatch.chdir(root.parent)
    dev = DevServer(ROOT / "mkdocs.yml", root, tmp_path / "preview")
    dev.build()
    page = tmp_path / "preview/fgj/news/a/index.html"
    text = page.read_text(encoding="utf-8")
    assert "content/units/fgj/news/a.md:3:1" in text and "E105" in text and "日期无法识别" in text
    assert "<mark>   3 | date: 2026年13月2日</mark>" in text  # the offending line, highlighted
    (root / "units/fgj/news/a.md").write_text(FIXED, encoding="utf-8")
    dev.rebuild()
    text = page.read_text(encoding="utf-8")
    assert "区卫健局开展义诊活动" in text and "E105" not in text
    (root / "units/fgj/news/a.md").write_text(BROKEN, encoding="utf-8")
    dev.rebuild()
    assert "E105" in page.read_text(encoding="utf-8")
    (root / "units/fgj/news/a.md").unlink()  # a deleted file leaves no stale error page behind
    dev.rebuild()
    assert not page.exists()


def _wait_http(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"preview did not start: {url}")


def test_browser_shows_the_error_then_the_page_by_itself(browser, tree, tmp_path):
    root = tree({"units/fgj/news/a.md": BROKEN})
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.tools.cli", "--content", str(root), "serve", "-f", str(ROOT / "mkdocs.yml"),
         "--site-dir", str(tmp_path / "preview"), "-a", f"127.0.0.1:{port}"],
        cwd=root.parent, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_http(base + "/")
        page = browser.new_page()
        response = page.goto(base + "/fgj/news/a/")
        assert response.status == 200
        body = page.inner_text("body")
        assert "content/units/fgj/news/a.md:3:1" in body and "E105" in body and "日期无法识别" in body
        assert "date: 2026年13月2日" in body
        (root / "units/fgj/news/a.md").write_text(FIXED, encoding="utf-8")
        # no reload by the test: the live-reload script in the error page brings the real page back
        page.wait_for_function("() => document.title.includes('区卫健局开展义诊活动')", timeout=60_000)
        assert "E105" not in page.inner_text("body")
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_a_broken_unit_yml_shows_its_errors_on_the_units_item_pages(tree, tmp_path, monkeypatch):
    root = tree({"units/fgj/news/a.md": FIXED})
    monkeypatch.chdir(root.parent)
    dev = DevServer(ROOT / "mkdocs.yml", root, tmp_path / "preview")
    dev.build()
    page = tmp_path / "preview/fgj/news/a/index.html"
    assert "区卫健局开展义诊活动" in page.read_text(encoding="utf-8")
    unit_yml = root / "units/fgj/unit.yml"
    good = unit_yml.read_text(encoding="utf-8")
    unit_yml.write_text(good.replace("kind: department", "kind: 局"), encoding="utf-8")
    dev.rebuild()
    text = page.read_text(encoding="utf-8")
    assert "content/units/fgj/unit.yml:" in text and "E104" in text and "kind: 局" in text
    unit_yml.write_text(good, encoding="utf-8")
    dev.rebuild()
    assert "E104" not in page.read_text(encoding="utf-8")
