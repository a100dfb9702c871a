"""网页编辑: the CMS configuration is the content model, and the local backend saves what `portal check` accepts."""

from __future__ import annotations

import base64
import io
import random
import shutil
import tarfile
from pathlib import Path

import pytest
import yaml

from generator.model.content import GUIDE_ELEMENTS, Guide, Interpretation, Item, Policy, fields_of, item_class
from generator.stages.pipeline import check
from generator.tools import cms
from generator.tools.cmsbackend import AdminApp, LocalBackend, tidy
from generator.tools.scaffold import pinyin_slug

from .conftest import CONTENT, ROOT, free_port


@pytest.fixture(scope="module")
def demo():
    ix = check(CONTENT).index
    assert ix is not None
    return ix


def _field_ok(cls: type, spec, f: dict, ix, path: str) -> None:
    """One generated field against its model field."""
    assert f["name"] == spec.name, path
    assert f["label"] == spec.zh, path
    assert f.get("hint", "") == spec.help, path
    want_required = spec.required or (cls is Guide and any(e.key and e.fields == (spec.name,)
                                                            for e in GUIDE_ELEMENTS))
    assert f["required"] is want_required, path
    w = f["widget"]
    if w == "relation":
        assert (cls, spec.name) in {(Interpretation, "interprets"), (Policy, "replaced_by")} or \
            (spec.name == "matters" and issubclass(cls, Item)), path
        return
    if spec.vocab and w == "select":
        want = [u for u in ix.units] if spec.vocab == "units" else [t.id for t in ix.taxonomy.vocab(spec.vocab)]
        assert [o["value"] for o in f["options"]] == want, path
        assert f.get("multiple", False) is (spec.kind == "list"), path
        return
    assert not spec.vocab or not ix.taxonomy.vocab(spec.vocab), f"{path}: a vocabulary must be a select"
    if w in ("file", "image"):
        assert spec.kind == "str", path
        return
    kinds = {"list": "list", "record": "object", "int": "number", "bool": "boolean", "date": "datetime",
             "datetime": "datetime", "dict": "hidden"}
    assert w == kinds.get(spec.kind, w if w in ("string", "text") else "string/text"), path
    if spec.kind == "list" and spec.item_kind == "record":
        subs = fields_of(spec.record)
        assert [x["name"] for x in f["fields"]] == list(subs), path
        for x in f["fields"]:
            _field_ok(spec.record, subs[x["name"]], x, ix, f"{path}.{x['name']}")
    if spec.kind == "record":
        subs = fields_of(spec.record)
        assert [x["name"] for x in f["fields"]] == list(subs), path
        for x in f["fields"]:
            _field_ok(spec.record, subs[x["name"]], x, ix, f"{path}.{x['name']}")
    if spec.pattern:
        assert f["pattern"][0] == spec.pattern, path
    elif spec.max_len:
        assert f["pattern"][0] == f"^[\\s\\S]{{0,{spec.max_len}}}$", path
    if spec.kind == "date":
        assert f["format"] == "YYYY-MM-DD" and f["time_format"] is False, path
    if spec.kind == "int":
        assert f["value_type"] == "int", path


def test_every_collection_is_its_column_and_every_field_its_model_field(demo):
    """Each unit's collections are exactly the columns it may publish in (E214), each with every field of the
    column type's class, in order, with the model's label, help, required flag, vocabulary and pattern."""
    rng = random.Random(21)
    units = [*rng.sample(sorted(demo.units), 6), demo.portal.owner_unit]
    for uid in units:
        cfg = cms.unit_config(demo.portal, demo.taxonomy, demo.units, uid)
        cols = {c["name"]: c for c in cfg["collections"] if "folder" in c}
        unit = demo.units[uid]
        allowed = [c for c in demo.taxonomy.columns if c.open_to(unit, demo.portal.owner_unit)]
        assert list(cols) == [f"{uid}-{c.id}" for c in allowed]
        assert len(allowed) < len(demo.taxonomy.columns) or uid == demo.portal.owner_unit
        for col in allowed:
            c = cols[f"{uid}-{col.id}"]
            base = f"units/{unit.parent}/communities/{uid}" if unit.kind == "community" else f"units/{uid}"
            assert c["folder"] == f"content/{base}/{col.id}" and c["label"] == col.name
            cls = item_class(col.type)
            specs = fields_of(cls)
            names = [f["name"] for f in c["fields"]]
            assert names[-1] == "body" and c["fields"][-1]["widget"] == "markdown"
            assert names[1] == "type" and c["fields"][1]["default"] == col.type
            assert [n for n in names if n not in ("type", "body")] == [n for n in specs if n != "type"]
            for f in c["fields"]:
                if f["name"] in specs and f["name"] != "type":
                    _field_ok(cls, specs[f["name"]], f, demo, f"{uid}-{col.id}.{f['name']}")
        if unit.kind == "community":
            continue
        files = next(c for c in cfg["collections"] if "files" in c)
        assert [f["file"] for f in files["files"]] == [f"content/units/{uid}/unit.yml",
                                                       f"content/units/{uid}/matters.yml"]


def test_a_communitys_collections_are_in_its_streets_folder(demo):
    """Communities are edited where their files are (units/<street>/communities/<id>/); their names are in the
    street's unit.yml, so they have no own-files collection and no matters relation."""
    rng = random.Random(7)
    comms = [u for u in demo.units.values() if u.kind == "community"]
    assert comms
    for u in rng.sample(comms, min(5, len(comms))):
        cfg = cms.unit_config(demo.portal, demo.taxonomy, demo.units, u.id)
        base = f"content/units/{u.parent}/communities/{u.id}"
        assert all(c["folder"].startswith(base + "/") for c in cfg["collections"]), u.id
        assert all("files" not in c for c in cfg["collections"])
        for c in cfg["collections"]:
            m = next((f for f in c["fields"] if f["name"] == "matters"), None)
            assert m is None or m["widget"] == "list"
    published = {i.rel.rsplit("/", 2)[0] for i in demo.items.values() if demo.units[i.unit].kind == "community"}
    assert published and all((ROOT / "content" / p).is_dir() for p in published)
    assert all(p.startswith("units/") and "/communities/" in p for p in published)


def test_references_are_relations_to_the_units_own_collections(demo):
    uid = "fgj"
    cfg = cms.unit_config(demo.portal, demo.taxonomy, demo.units, uid)
    cols = {c["name"]: c for c in cfg["collections"]}
    interp = {f["name"]: f for f in cols["fgj-interpretations"]["fields"]}["interprets"]
    assert interp["collection"] == "fgj-policies" and interp["value_field"] == "fgj/policies/{{slug}}"
    # the value the relation stores is the policy's id, which `interprets` resolves without a change
    some = next(i for i in demo.items.values() if isinstance(i, Policy) and i.unit == uid)
    assert interp["value_field"].replace("{{slug}}", some.slug) == some.id
    guide = {f["name"]: f for f in cols["fgj-guides"]["fields"]}
    assert guide["matters"]["collection"] == "fgj-files" and guide["matters"]["file"] == "matters"
    assert guide["matters"]["value_field"] == "matters.*.id" and guide["matters"]["multiple"] is True
    att = {f["name"]: f for f in guide["attachments"]["fields"]}
    assert att["file"]["widget"] == "file"
    assert cols["fgj-news"]["media_folder"] == "files" and cols["fgj-news"]["public_folder"] == "files"
    assert cfg["locale"] == "zh_Hans" and cfg["backend"]["name"] == "proxy"


def test_a_new_model_field_appears_in_the_config(demo, monkeypatch):
    """Derived, not written: a field added to the model is in the generated configuration with its label."""
    import dataclasses

    from generator.model import content as model

    @dataclasses.dataclass(kw_only=True)
    class Extra(model.Policy):
        """政策文件（测试）."""

        reviewer: str | None = model.fld("审核人", "测试用字段", default=None)

    monkeypatch.setitem(model.ITEM_CLASSES, "policy", Extra)
    cfg = cms.unit_config(demo.portal, demo.taxonomy, demo.units, "fgj")
    pol = next(c for c in cfg["collections"] if c["name"] == "fgj-policies")
    f = next(f for f in pol["fields"] if f["name"] == "reviewer")
    assert f["label"] == "审核人" and f["required"] is False and f["widget"] == "string"


def test_server_backends(demo):
    g = cms.unit_config(demo.portal, demo.taxonomy, demo.units, "fgj",
                        backend=cms.Backend("gitea", "haizhu/portal", "https://git.example.gov.cn/"))
    assert g["backend"] == {"name": "gitea", "repo": "haizhu/portal", "branch": "main",
                            "base_url": "https://git.example.gov.cn", "api_root": "https://git.example.gov.cn/api/v1"}
    # a git server keeps the name it is given: date and time, which the portal's slug rule accepts
    assert g["collections"][0]["slug"] == "{{year}}-{{month}}-{{day}}-{{hour}}{{minute}}{{second}}"
    gl = cms.Backend("gitlab", "haizhu/portal", "https://gitlab.example.gov.cn", app_id="abc").config()
    assert gl["api_root"].endswith("/api/v4") and gl["auth_type"] == "pkce" and gl["app_id"] == "abc"


# --------------------------------------------------------------------------- the bundle


def _tgz(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_fetch_checks_the_integrity_and_keeps_only_the_browser_files(tmp_path, monkeypatch):
    import hashlib

    monkeypatch.setenv("PORTAL_CACHE_DIR", str(tmp_path / "cache"))
    tgz = _tgz({"package/dist/decap-cms.js": b"main", "package/dist/12.decap-cms.js": b"chunk",
                "package/dist/12.cms.js": b"dup", "package/dist/decap-cms.js.map": b"map",
                "package/dist/x.wasm": b"wasm", "package/README.md": b"r", "package/dist/sub/evil.js": b"e"})
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tgz).digest()).decode()
    bundle = cms.Bundle("decap-cms", "9.9.9", integrity, "decap-cms.js")
    where = cms.fetch(bundle, tarball=tgz)
    assert sorted(p.name for p in where.iterdir() if not p.name.startswith(".")) == \
        ["12.decap-cms.js", "decap-cms.js", "x.wasm"]
    assert cms.bundle_ready(bundle) == where
    with pytest.raises(cms.BundleError, match="校验失败"):
        cms.fetch(bundle, tarball=tgz + b"x")
    assert cms.bundle_ready(bundle) == where  # a failed fetch keeps the good copy


# --------------------------------------------------------------------------- the local backend


@pytest.fixture
def project(tmp_path):
    """A copy of the demo's content (the backend writes into it)."""
    root = tmp_path / "proj"
    shutil.copytree(CONTENT, root / "content")
    return root


def _backend(project: Path) -> LocalBackend:
    """As `portal serve` makes it: the check keeps a memory cache, so a save re-validates only what changed."""
    from generator.stages.cache import CheckCache

    cache = CheckCache.memory()
    return LocalBackend(project, project / "content", check=lambda: check(project / "content", cache=cache))


def _md(front: dict, body: str = "正文第一段。\n") -> str:
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body


def test_a_new_entry_gets_the_pinyin_name_and_passes_check(project, monkeypatch):
    monkeypatch.chdir(project)
    b = _backend(project)
    asked = "content/units/fgj/news/2026-11-20-区发展改革局召开项目推进会.md"
    raw = _md({"title": "区发展改革局召开项目推进会", "type": "news", "date": "2026-11-20 09:30", "summary": "",
               "tags": [], "attachments": [], "featured": False})
    status, out = b.handle({"action": "persistEntry", "params": {"entry": {"path": asked, "raw": raw},
                                                                  "assets": []}})
    assert status == 200, out
    written = project / "content/units/fgj/news" / (pinyin_slug("区发展改革局召开项目推进会", "2026-11-20") + ".md")
    assert written.name.startswith("2026-11-20-qu-fa-zhan-gai-ge-ju-zhao-kai")
    assert written.is_file(), sorted(p.name for p in written.parent.iterdir())[-3:]
    text = written.read_text(encoding="utf-8")
    assert "summary" not in text and "tags" not in text and "attachments" not in text  # empty: dropped
    # the CMS keeps reading and saving under the name it asked for
    status, entry = b.handle({"action": "getEntry", "params": {"path": asked}})
    assert entry["data"] == text and entry["file"]["path"] == asked
    result = check(project / "content")
    assert [d for d in result.diagnostics if "zhao-kai-xiang-mu" in d.path] == []


def test_a_save_with_errors_is_undone_and_the_editor_reads_why(project, monkeypatch):
    monkeypatch.chdir(project)
    b = _backend(project)
    path = "content/units/fgj/interpretations/2026-11-21-jiedu.md"
    raw = _md({"title": "解读", "date": "2026-11-21", "interprets": "fgj/policies/no-such-policy"})
    status, out = b.handle({"action": "persistEntry", "params": {"entry": {"path": path, "raw": raw},
                                                                  "assets": []}})
    assert status == 422 and "未保存" in out["error"]
    assert "“解读的政策”（interprets）E202" in out["error"]
    assert not (project / path).exists()
    # an existing file keeps its old text
    old = next((project / "content/units/fgj/news").glob("*.md"))
    before = old.read_bytes()
    rel = old.relative_to(project).as_posix()
    bad = _md({"title": "", "date": "2026-11-21"})
    status, out = b.handle({"action": "persistEntry", "params": {"entry": {"path": rel, "raw": bad},
                                                                  "assets": []}})
    assert status == 422 and old.read_bytes() == before


@pytest.mark.parametrize("path", ["../outside.md", "content/../mkdocs.yml", "/etc/passwd", "content/units/../../x",
                                  "mkdocs.yml", "content\\units\\x.md"])
def test_nothing_outside_content_is_read_or_written(project, path):
    (project / "mkdocs.yml").write_text("secret", encoding="utf-8")
    b = _backend(project)
    status, out = b.handle({"action": "persistEntry",
                            "params": {"entry": {"path": path, "raw": "x"}, "assets": []}})
    assert status == 403, (path, out)
    status, out = b.handle({"action": "getMediaFile", "params": {"path": path}})
    assert status == 403
    status, out = b.handle({"action": "getEntry", "params": {"path": path}})
    assert out["data"] is None
    assert (project / "mkdocs.yml").read_text(encoding="utf-8") == "secret"


def test_listing_media_and_attachments(project, monkeypatch):
    monkeypatch.chdir(project)
    b = _backend(project)
    status, entries = b.handle({"action": "entriesByFolder",
                                "params": {"folder": "content/units/fgj/policies", "extension": "md", "depth": 1}})
    on_disk = sorted(p.name for p in (project / "content/units/fgj/policies").glob("*.md"))
    assert status == 200 and sorted(e["file"]["path"].rsplit("/", 1)[1] for e in entries) == on_disk
    pdf = b"%PDF-1.4 test"
    path = "content/units/fgj/policies/2026-11-22-ceshi-zhengce.md"
    raw = _md({"title": "测试政策", "date": "2026-11-22", "doc_number": "海发改〔2026〕9号",
               "attachments": [{"file": "files/ceshi.pdf", "title": "测试附件"}]})
    status, out = b.handle({"action": "persistEntry", "params": {
        "entry": {"path": path, "raw": raw},
        "assets": [{"path": "content/units/fgj/policies/files/ceshi.pdf", "content": base64.b64encode(pdf).decode(),
                    "encoding": "base64"}]}})
    assert status == 200, out
    assert (project / "content/units/fgj/policies/files/ceshi.pdf").read_bytes() == pdf
    status, media = b.handle({"action": "getMedia", "params": {"mediaFolder": "content/units/fgj/policies/files"}})
    assert "ceshi.pdf" in [m["name"] for m in media]
    status, media = b.handle({"action": "getMedia", "params": {"mediaFolder": "content/units/fgj/policies"}})
    assert status == 200 and not [m for m in media if m["name"].endswith(".md")]  # entries are not media
    assert b.handle({"action": "nonsense"})[0] == 422


def test_tidy_keeps_order_and_values():
    raw = "---\ntitle: 标题\ndate: 2026-11-20\nsummary: ''\nsteps:\n- name: 申请\n  detail: ''\n- {}\n---\n\n正文\n"
    out = tidy(raw)
    assert out == "---\ntitle: 标题\ndate: 2026-11-20\nsteps:\n- name: 申请\n---\n正文\n"


def test_admin_app_serves_the_picker_and_a_generated_config(project, demo, monkeypatch):
    app = AdminApp(project, project / "content", lambda: (demo.portal, demo.taxonomy, demo.units))
    seen = {}

    def start(status, headers):
        seen["status"] = status

    def get(path):
        body = app({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, start)
        return seen["status"], b"".join(body or []).decode("utf-8")

    status, html = get("/admin/")
    assert status.startswith("200") and 'href="fgj/"' in html and demo.units["fgj"].display_name in html
    status, page = get("/admin/fgj/")
    assert 'rel="cms-config-url"' in page and "../decap/decap-cms.js" in page and "http" not in page
    status, text = get("/admin/fgj/config.yml")
    assert yaml.safe_load(text) == cms.unit_config(demo.portal, demo.taxonomy, demo.units, "fgj")
    assert get("/admin/nosuchunit/")[0].startswith("404")
    assert app({"PATH_INFO": "/news/", "REQUEST_METHOD": "GET"}, start) is None


def test_serve_prints_where_the_units_editor_is(tmp_path):
    content = ROOT / "content"
    assert cms.editor_hint(content, content / "units" / "fgj" / "news", "127.0.0.1", 8000).startswith(
        "网页编辑：http://127.0.0.1:8000/admin/fgj/")
    assert cms.editor_hint(content, ROOT, "127.0.0.1", 8000).startswith("网页编辑：http://127.0.0.1:8000/admin/")


# --------------------------------------------------------------------------- in a real browser


def _wait(pred, timeout: float = 120, what: str = "") -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out: {what}")


def _http_ok(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.mark.browser
def test_an_editor_publishes_news_a_policy_with_attachment_and_its_interpretation(browser, tmp_path):
    """`portal serve`, /admin/fgj/ in Chromium with every non-local request blocked: a news item, a policy with
    an uploaded attachment, its 解读 chosen through the relation widget; the files pass `portal check` with no
    diagnostic, the preview rebuilds the pages, and a wrong date is refused with the check's Chinese message."""
    import os
    import subprocess
    import sys

    from .conftest import require

    require("Decap CMS bundle", cms.bundle_ready() is not None, "run `portal cms fetch` (done by .ci/run)")
    work = tmp_path / "proj"
    shutil.copytree(CONTENT, work / "content")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.tools.cli", "--content", str(work / "content"), "serve",
         "-f", str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "preview"), "-a", f"127.0.0.1:{port}"],
        cwd=work, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=log, stderr=subprocess.STDOUT)
    external: list[str] = []
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")

    def route(r):
        if r.request.url.startswith(base):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    units = work / "content" / "units" / "fgj"

    def open_new(collection: str) -> None:
        page.goto("about:blank")
        page.goto(f"{base}/admin/fgj/#/collections/{collection}/new")
        page.locator('input[id^="title-field-"]').first.wait_for()

    def publish() -> None:
        page.get_by_role("button", name="发布").first.click()
        page.get_by_text("立即发布").click()

    def body(text: str) -> None:
        page.locator('[data-slate-editor="true"]').first.click()
        page.keyboard.type(text)

    try:
        _wait(lambda: _http_ok(base + "/admin/"), 180, "portal serve")
        page.goto(base + "/admin/fgj/")
        page.get_by_role("button", name="登录").click()
        page.get_by_text("工作动态").first.wait_for()

        open_new("fgj-news")
        page.locator('input[id^="title-field-"]').fill("区发展改革局召开重点项目推进会")
        page.locator('input[id^="date-field-"]').fill("2026-11-20T09:30")
        body("11月20日，区发展改革局召开全区重点项目推进会，部署年底前重点项目建设。")
        publish()
        page.get_by_text("内容已保存").wait_for()
        news = units / "news" / (pinyin_slug("区发展改革局召开重点项目推进会", "2026-11-20") + ".md")
        _wait(news.is_file, 30, "news file")

        open_new("fgj-policies")
        page.locator('input[id^="title-field-"]').fill("海珠区促进数字经济发展若干措施")
        page.locator('input[id^="date-field-"]').fill("2026-11-21T10:00")
        page.locator('input[id^="doc_number-field-"]').fill("海发改〔2026〕21号")
        page.get_by_text("新增附件").click()
        page.get_by_text("选择文件").first.click()
        pdf = tmp_path / "shuzi-jingji.pdf"
        pdf.write_bytes(b"%PDF-1.4\n% measures\n")
        page.locator('input[type="file"]').set_input_files(str(pdf))
        page.get_by_text("选用已选中项目").click()
        page.locator('input[id^="title-field-"]').nth(1).fill("措施全文")
        body("为加快数字经济发展，制定以下措施。")
        publish()
        page.get_by_text("内容已保存").wait_for()
        policy = units / "policies" / (pinyin_slug("海珠区促进数字经济发展若干措施", "2026-11-21") + ".md")
        _wait(policy.is_file, 30, "policy file")
        assert (units / "policies" / "files" / "shuzi-jingji.pdf").read_bytes() == pdf.read_bytes()

        open_new("fgj-interpretations")
        page.locator('input[id^="title-field-"]').fill("《海珠区促进数字经济发展若干措施》解读")
        page.locator('input[id^="date-field-"]').fill("2026-11-21T11:00")
        page.locator('[id^="interprets-field-"]').click()
        page.keyboard.type("数字经济")
        page.get_by_text("海珠区促进数字经济发展若干措施", exact=True).first.wait_for()
        page.keyboard.press("Enter")
        body("一、出台背景：落实省市数字经济部署。")
        publish()
        page.get_by_text("内容已保存").wait_for()
        interp = next((units / "interpretations").glob("2026-11-21-*.md"))

        # a mistake the form cannot see: the check refuses it, in Chinese, naming the field
        open_new("fgj-news")
        page.locator('input[id^="title-field-"]').fill("日期写错的动态")
        page.locator('input[id^="date-field-"]').fill("2031-01-01T09:00")
        body("正文。")
        publish()
        alert = page.get_by_text("E303")
        alert.wait_for()
        assert "发布日期" in page.inner_text("body") and "未保存" in page.inner_text("body")
        assert list((units / "news").glob("2031-*")) == []

        # the files are as an editor would write them, and `portal check` has nothing to say about them
        meta = yaml.safe_load(policy.read_text(encoding="utf-8").split("---")[1])
        assert meta["doc_number"] == "海发改〔2026〕21号"
        assert meta["attachments"] == [{"file": "files/shuzi-jingji.pdf", "title": "措施全文"}]
        assert "featured" not in meta and "summary" not in meta
        imeta = yaml.safe_load(interp.read_text(encoding="utf-8").split("---")[1])
        assert imeta["interprets"] == f"fgj/policies/{policy.stem}"
        result = check(work / "content")
        mine = [d for d in result.diagnostics if any(p.name in d.path for p in (news, policy, interp))]
        assert mine == [], [str(d) for d in mine]
        assert result.errors == []

        # the preview rebuilt: the policy page shows the attachment and links to its interpretation
        policy_url = f"{base}/fgj/policies/{policy.stem}/"
        _wait(lambda: _http_ok(policy_url), 120, "policy page in the preview")
        page.goto(policy_url)
        text = page.inner_text("main")
        assert "海发改〔2026〕21号" in text and "措施全文" in text and "解读" in text
        page.goto(f"{base}/fgj/news/{news.stem}/")
        assert "部署年底前重点项目建设" in page.inner_text("main")
        assert external == []
    finally:
        ctx.close()
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_the_unit_is_found_from_the_folder_the_editor_is_in(demo):
    content = ROOT / "content"
    comm = next(u for u in demo.units.values() if u.kind == "community")
    assert cms.unit_of(content, content / comm.path / "news", demo.units) == comm.id
    assert cms.unit_of(content, content / "units" / "fgj", demo.units) == "fgj"
    assert cms.unit_of(content, content / "units", demo.units) is None
    assert cms.unit_of(content, ROOT / "docs", demo.units) is None
    assert cms.unit_of(content, content / "units" / "no-such-unit", demo.units) is None


def test_cms_write_gives_a_git_server_the_admin_folder(tmp_path, monkeypatch, capsys):
    """`portal cms write DIR --backend gitea`: the picker, each unit's page and configuration, the bundle."""
    import hashlib

    from generator.tools.cli import main

    monkeypatch.setenv("PORTAL_CACHE_DIR", str(tmp_path / "cache"))
    tgz = _tgz({"package/dist/decap-cms.js": b"main", "package/dist/7.decap-cms.js": b"chunk"})
    fake = cms.Bundle("decap-cms", cms.DECAP.version,
                      "sha512-" + base64.b64encode(hashlib.sha512(tgz).digest()).decode(), "decap-cms.js")
    cms.fetch(fake, tarball=tgz)
    monkeypatch.chdir(ROOT)
    out = tmp_path / "admin"
    assert main(["cms", "write", str(out), "--backend", "gitea"]) == 2  # a server needs the repository
    assert "--repo" in capsys.readouterr().err
    assert main(["cms", "write", str(out), "--backend", "gitea", "--repo", "haizhu/portal",
                 "--base-url", "https://git.example.gov.cn", "--unit", "区发展改革局", "--unit", "wjj"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["decap", "fgj", "index.html", "wjj"]
    cfg = yaml.safe_load((out / "fgj" / "config.yml").read_text(encoding="utf-8"))
    assert cfg["backend"]["name"] == "gitea" and cfg["backend"]["repo"] == "haizhu/portal"
    assert (out / "decap" / "7.decap-cms.js").read_bytes() == b"chunk"
    assert main(["cms", "config", "--unit", "没有这个单位"]) == 2
    assert "未知单位" in capsys.readouterr().err
    assert main(["cms", "config", "--unit", "区发改局"]) == 2  # a slip: the names it resembles
    assert "您是否要写：“区发展改革局”" in capsys.readouterr().err
