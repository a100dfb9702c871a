"""网页编辑: the Decap CMS configuration, derived from the content model, and its self-hosted bundle.

Nothing here is hand-written per field: every collection is a unit × column (or one of the unit's own YAML
files), every field comes from `fields_of(...)` of the class that reads the file, with its zh label, help
text, required flag, vocabulary (as a select), pattern and kind. `tests/test_cms.py` compares the generated
configuration with the model field by field, so the two cannot drift apart.

The editor itself is Decap CMS from npm at a pinned version whose sha512 `integrity` is recorded below;
`portal cms fetch` downloads the tarball from the npm registry, checks it and keeps the browser bundle in the
user's cache. Why Decap and not Sveltia: docs/cms.md.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.content import (
    GUIDE_ELEMENTS,
    Attachment,
    FieldSpec,
    Guide,
    Interpretation,
    Item,
    Material,
    MatterList,
    Policy,
    Portal,
    Taxonomy,
    Unit,
    fields_of,
    item_class,
)

# --------------------------------------------------------------------------- the bundle


@dataclass(frozen=True)
class Bundle:
    """An npm package whose browser files are served under /admin/."""

    package: str
    version: str
    integrity: str  # npm's dist.integrity of the tarball (sha512, base64)
    entry: str  # the script the admin page loads

    @property
    def tarball(self) -> str:
        return f"{self.package}/-/{self.package}-{self.version}.tgz"

    def wanted(self, name: str) -> bool:
        """The files of dist/ the browser needs: the entry, its webpack chunks and wasm (no source maps, no
        second copy of the same bundle under the cms.js name)."""
        base = name.rsplit("/", 1)[-1]
        return (base == self.entry or base.endswith("." + self.entry) or base.endswith(".wasm")) \
            and not base.endswith(".map")


DECAP = Bundle("decap-cms", "3.16.3",
               "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==",
               "decap-cms.js")

DEFAULT_REGISTRY = "https://registry.npmjs.org"


def cache_dir(bundle: Bundle = DECAP) -> Path:
    """Where the checked bundle is kept: $PORTAL_CACHE_DIR, else $XDG_CACHE_HOME/portal, else ~/.cache/portal."""
    root = os.environ.get("PORTAL_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "portal")
    return Path(root) / f"{bundle.package}-{bundle.version}"


def bundle_ready(bundle: Bundle = DECAP) -> Path | None:
    """The folder holding the bundle, or None when `portal cms fetch` has not been run."""
    d = cache_dir(bundle)
    return d if (d / bundle.entry).is_file() and (d / ".integrity").is_file() else None


class BundleError(Exception):
    """The bundle could not be fetched or did not match its recorded checksum (message in Chinese)."""


def verify(data: bytes, integrity: str) -> None:
    algo, _, want = integrity.partition("-")
    got = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if got != want:
        raise BundleError(f"下载的文件校验失败：应为 {integrity}，实为 {algo}-{got}（可能被篡改或镜像不一致）")


def fetch(bundle: Bundle = DECAP, registry: str | None = None, tarball: bytes | None = None) -> Path:
    """Download (or take `tarball`), check the integrity, unpack the browser files into the cache."""
    if tarball is None:
        registry = (registry or os.environ.get("PORTAL_NPM_REGISTRY") or DEFAULT_REGISTRY).rstrip("/")
        url = f"{registry}/{bundle.tarball}"
        try:
            with urllib.request.urlopen(url, timeout=120) as r:
                tarball = r.read()
        except OSError as e:
            raise BundleError(f"无法下载 {url}：{e}（内网可设置 PORTAL_NPM_REGISTRY 为 npm 镜像地址）") from e
    verify(tarball, bundle.integrity)
    dest = cache_dir(bundle)
    tmp = dest.with_name(dest.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for m in tar.getmembers():
            if m.isfile() and m.name.startswith("package/dist/") and "/" not in m.name[len("package/dist/"):] \
                    and bundle.wanted(m.name):
                src = tar.extractfile(m)
                assert src is not None
                (tmp / m.name.rsplit("/", 1)[-1]).write_bytes(src.read())
    (tmp / ".integrity").write_text(bundle.integrity + "\n", encoding="utf-8")
    if dest.exists():
        shutil.rmtree(dest)
    tmp.rename(dest)
    return dest


# --------------------------------------------------------------------------- fields → widgets

#: Fields that hold a file next to the entry (widget `file`) or an image (widget `image`).
FILE_FIELDS = {(Attachment, "file"), (Material, "form"), (Material, "sample")}
IMAGE_FIELDS = {(Item, "image")}
#: Fields an editor writes as paragraphs (widget `text`, not a one-line `string`).
TEXT_FIELDS = {"summary", "responsibilities", "resume", "duties", "conditions", "basis", "content", "how",
               "detail", "a", "note", "scope", "fees", "complaint", "reason"}
#: The body of an item, after the front matter.
BODY = {"name": "body", "label": "正文", "widget": "markdown", "required": True,
        "hint": "正文；小标题用“## 一、……”，不要重复标题"}


def _owner(cls: type, name: str) -> type:
    """The class that declares field `name` (Attachment.file, not a subclass)."""
    for base in cls.__mro__:
        if name in getattr(base, "__annotations__", {}):
            return base
    return cls


@dataclass
class Context:
    """What the widgets of one unit need: vocabularies and the unit's collections for relations."""

    taxonomy: Taxonomy
    units: dict[str, Unit]
    unit: str
    policies_column: str | None  # the unit's column of policy documents (for 解读 → 政策), if any
    matters: str | None  # the unit's file collection holding matters.yml (None: a community has none)

    def options(self, vocab: str) -> list[dict[str, str]]:
        if vocab == "units":
            return [{"label": u.display_name, "value": uid} for uid, u in self.units.items()]
        return [{"label": t.name, "value": t.id} for t in self.taxonomy.vocab(vocab)]


def widget(cls: type, spec: FieldSpec, ctx: Context, *, required: bool | None = None) -> dict[str, Any]:
    """The Decap field for one model field."""
    out: dict[str, Any] = {"name": spec.name, "label": spec.zh,
                           "required": spec.required if required is None else required}
    if spec.help:
        out["hint"] = spec.help
    owner = _owner(cls, spec.name)
    reference = (cls is Interpretation and spec.name == "interprets") or (cls is Policy and spec.name == "replaced_by")
    if reference and ctx.policies_column:  # the id of a policy is unit/column/slug
        out.update(widget="relation", collection=f"{ctx.unit}-{ctx.policies_column}",
                   value_field=f"{ctx.unit}/{ctx.policies_column}/{{{{slug}}}}",
                   search_fields=["title", "doc_number"], display_fields=["title"])
        return out
    if spec.name == "matters" and issubclass(cls, Item) and ctx.matters:
        out.update(widget="relation", collection=ctx.matters, file="matters", value_field="matters.*.id",
                   search_fields=["matters.*.name", "matters.*.id"], display_fields=["matters.*.name"],
                   multiple=True)
        return out
    if (owner, spec.name) in FILE_FIELDS:
        out.update(widget="file", choose_url=False)
        return out
    if (owner, spec.name) in IMAGE_FIELDS:
        out.update(widget="image", choose_url=False)
        return out
    if spec.vocab and (spec.vocab == "units" or ctx.taxonomy.vocab(spec.vocab)):
        out.update(widget="select", options=ctx.options(spec.vocab))
        if spec.kind == "list":
            out["multiple"] = True
        return out
    if spec.kind == "list":
        out["widget"] = "list"
        if spec.item_kind == "record" and spec.record is not None:
            sub = fields_of(spec.record)
            out["fields"] = [widget(spec.record, s, ctx) for s in sub.values()]
            first = next(iter(sub))
            out["summary"] = f"{{{{fields.{first}}}}}"
        return out
    if spec.kind == "record" and spec.record is not None:
        out.update(widget="object", collapsed=not spec.required,
                   fields=[widget(spec.record, s, ctx) for s in fields_of(spec.record).values()])
        return out
    if spec.kind == "int":
        out.update(widget="number", value_type="int")
    elif spec.kind == "bool":
        out["widget"] = "boolean"
    elif spec.kind == "date":
        out.update(widget="datetime", format="YYYY-MM-DD", date_format="YYYY-MM-DD", time_format=False)
    elif spec.kind == "datetime":
        out.update(widget="datetime", format="YYYY-MM-DD HH:mm", date_format="YYYY-MM-DD", time_format="HH:mm")
    elif spec.kind == "dict":
        out["widget"] = "hidden"
    else:
        out["widget"] = "text" if spec.name in TEXT_FIELDS else "string"
    if spec.pattern:
        out["pattern"] = [spec.pattern, f"格式不对：{spec.help or spec.zh}"]
    elif spec.max_len:
        out["pattern"] = [f"^[\\s\\S]{{0,{spec.max_len}}}$", f"不超过 {spec.max_len} 个字"]
    if spec.default not in (None, "") and spec.kind in ("str", "int", "bool"):
        out["default"] = spec.default
    return out


def _guide_required(name: str) -> bool | None:
    """A 办事指南 field that alone fills a 19号 key element is required in the form (E302 otherwise)."""
    for e in GUIDE_ELEMENTS:
        if e.key and e.fields == (name,):
            return True
    return None


def item_fields(cls: type[Item], ctx: Context) -> list[dict[str, Any]]:
    """Every front-matter field of an item class, then the body."""
    out = []
    for name, spec in fields_of(cls).items():
        if name == "type":  # the column's type; set once for the collection (below)
            continue
        out.append(widget(cls, spec, ctx, required=_guide_required(name) if cls is Guide else None))
    return [*out, dict(BODY)]


# --------------------------------------------------------------------------- the configuration


@dataclass(frozen=True)
class Backend:
    """Where the CMS saves: `local` (portal serve's own backend) or a git server."""

    name: str = "local"  # local | gitea | gitlab
    repo: str = ""  # owner/name on the git server
    base_url: str = ""  # https://git.example.gov.cn
    branch: str = "main"
    app_id: str = ""  # GitLab OAuth application id (PKCE)

    def config(self) -> dict[str, Any]:
        if self.name == "local":
            return {"name": "proxy", "proxy_url": "/admin/api/v1", "branch": self.branch}
        out: dict[str, Any] = {"name": self.name, "repo": self.repo, "branch": self.branch}
        if self.base_url:
            out["base_url"] = self.base_url.rstrip("/")
            out["api_root"] = self.base_url.rstrip("/") + ("/api/v1" if self.name == "gitea" else "/api/v4")
        if self.name == "gitlab":
            out["auth_type"] = "pkce"
            if self.app_id:
                out["app_id"] = self.app_id
        return out


def columns_for(taxonomy: Taxonomy, portal: Portal, unit: Unit) -> list:
    """The columns a unit may publish in (E214 refuses the others)."""
    return [c for c in taxonomy.columns if c.open_to(unit, portal.owner_unit)]


def unit_config(portal: Portal, taxonomy: Taxonomy, units: dict[str, Unit], unit_id: str, *,
                content_prefix: str = "content", backend: Backend = Backend()) -> dict[str, Any]:
    """The Decap configuration for one unit's editors: its columns and its own YAML files."""
    unit = units[unit_id]
    # a community's folder is inside its street's (unit.path says where); its name and contacts are in the
    # street's unit.yml, so it has no unit.yml or matters.yml of its own
    community = unit.kind == "community"
    base = f"{content_prefix}/{unit.path or 'units/' + unit_id}"
    cols = columns_for(taxonomy, portal, unit)
    policy_col = next((c for c in cols if c.type == "policy"), None)
    ctx = Context(taxonomy, units, unit_id, policy_col.id if policy_col else None,
                  None if community else f"{unit_id}-files")
    # Locally the file is named from the title (Chinese) and `portal serve` renames it to the portal's pinyin
    # slug when it is first saved (cmsbackend.py); a git server takes the name as given, so it gets the date
    # and time, which the portal's slug rule accepts.
    slug = ("{{year}}-{{month}}-{{day}}-{{slug}}" if backend.name == "local"
            else "{{year}}-{{month}}-{{day}}-{{hour}}{{minute}}{{second}}")
    collections: list[dict[str, Any]] = []
    for col in cols:
        cls = item_class(col.type)
        fields = item_fields(cls, ctx)
        fields.insert(1, {"name": "type", "label": "内容类型", "widget": "hidden", "default": col.type,
                          "required": False})
        collections.append({
            "name": f"{unit_id}-{col.id}", "label": col.name, "label_singular": col.name,
            "description": col.description or "", "folder": f"{base}/{col.id}", "create": True,
            "extension": "md", "format": "frontmatter",
            "slug": slug,
            "identifier_field": "title", "summary": "{{date | date('YYYY-MM-DD')}}　{{title}}",
            "sortable_fields": ["date", "title"],
            "media_folder": "files", "public_folder": "files",
            "fields": fields,
        })
    if ctx.matters is not None:
        collections.append(_own_files(ctx.matters, unit_id, base, ctx))
    return {
        "backend": backend.config(),
        "locale": "zh_Hans",
        "site_url": f"{portal.scheme}://{portal.domain}",
        "media_folder": f"{base}/files", "public_folder": "files",
        "slug": {"encoding": "unicode" if backend.name == "local" else "ascii", "clean_accents": False,
                 "sanitize_replacement": "-"},
        "collections": collections,
    }


def _own_files(name: str, unit_id: str, base: str, ctx: Context) -> dict[str, Any]:
    """The unit's unit.yml and matters.yml as a file collection (the target of the matters relation)."""
    return {
        "name": name, "label": "本单位信息与事项清单", "editor": {"preview": False},
        "files": [
            {"name": "unit", "label": f"单位信息（{unit_id}/unit.yml）", "file": f"{base}/unit.yml",
             "fields": [widget(Unit, s, ctx) for s in fields_of(Unit).values()]},
            {"name": "matters", "label": "事项清单（matters.yml）", "file": f"{base}/matters.yml",
             "fields": [widget(MatterList, s, ctx) for s in fields_of(MatterList).values()]},
        ],
    }


# --------------------------------------------------------------------------- the /admin/ pages

_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
{head}</head>
<body>
{body}</body>
</html>
"""

_STYLE = """<style>
body { font: 16px/1.6 system-ui, "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif; margin: 0 auto;
  max-width: 56rem; padding: 1rem; color: #1a1a1a; }
h1 { font-size: 1.5rem; color: #8c1c13; border-bottom: 3px solid #8c1c13; padding-bottom: .4rem; }
h2 { font-size: 1.15rem; margin-top: 1.5rem; }
ul { display: flex; flex-wrap: wrap; gap: .5rem; list-style: none; padding: 0; }
a { color: #0b4f9c; } li a { display: block; padding: .4rem .7rem; border: 1px solid #9bb3d1; border-radius: 3px;
  text-decoration: none; } li a:hover, li a:focus { background: #eaf1fa; text-decoration: underline; }
.note { background: #fff4e5; border-left: 4px solid #b25e00; padding: .6rem .8rem; }
code { background: #f2f2f2; padding: 0 .25em; }
</style>
"""


def index_page(units: dict[str, Unit], ready: bool) -> str:
    """/admin/: pick the unit to edit (each unit's editors see only its own columns)."""
    groups: dict[str, list[tuple[str, Unit]]] = {}
    for uid, u in units.items():
        groups.setdefault(u.kind, []).append((uid, u))
    names = {"department": "部门", "street": "街道", "community": "社区"}
    body = ["<h1>网页编辑：请选择本单位</h1>",
            "<p>保存后文章写入本地内容目录，预览自动更新；保存前按 <code>portal check</code> 的规则检查，"
            "有错误时不保存并提示原因。</p>"]
    if not ready:
        body.append('<p class="note" role="alert">编辑器尚未安装：请在项目目录运行 <code>portal cms fetch</code>'
                    "（从 npm 下载并校验 Decap CMS），然后刷新本页。</p>")
    for kind, members in groups.items():
        body.append(f"<h2>{names.get(kind, kind)}</h2><ul>")
        body += [f'<li><a href="{uid}/">{u.display_name}</a></li>' for uid, u in members]
        body.append("</ul>")
    return _PAGE.format(title="网页编辑", head=_STYLE, body="\n".join(body) + "\n")


def unit_page(unit: Unit) -> str:
    """/admin/<unit>/: the CMS, reading ./config.yml, loading the bundle from ../decap/."""
    return _PAGE.format(title=f"网页编辑 · {unit.display_name}",
                        head='<link href="config.yml" type="text/yaml" rel="cms-config-url">\n',
                        body=f'<script src="../decap/{DECAP.entry}"></script>\n')


def dump(config: dict[str, Any]) -> str:
    import yaml

    return "# 由 portal cms 从内容模型生成，请勿手工修改\n" + yaml.safe_dump(
        config, allow_unicode=True, sort_keys=False, width=1000)


def admin_files(portal: Portal, taxonomy: Taxonomy, units: dict[str, Unit], *, content_prefix: str = "content",
                backend: Backend = Backend(), only: list[str] | None = None) -> dict[str, bytes]:
    """Every file of the /admin/ folder except the bundle: path (relative to /admin/) → bytes."""
    chosen = {u: units[u] for u in (only or units) if u in units}
    out = {"index.html": index_page(chosen, True).encode("utf-8")}
    for uid, unit in chosen.items():
        out[f"{uid}/index.html"] = unit_page(unit).encode("utf-8")
        out[f"{uid}/config.yml"] = dump(unit_config(portal, taxonomy, units, uid, content_prefix=content_prefix,
                                                    backend=backend)).encode("utf-8")
    return out


# --------------------------------------------------------------------------- the command


def unit_of(content: Path, cwd: Path, units: dict[str, Unit] | None = None) -> str | None:
    """The unit whose folder `cwd` is in (a community inside its street's folder), or None."""
    try:
        parts = cwd.relative_to(content / "units").parts
    except ValueError:
        return None
    if len(parts) >= 3 and parts[1] == "communities":
        found = parts[2]
    elif parts:
        found = parts[0]
    else:
        return None
    return found if units is None or found in units else None


def editor_hint(content: Path, cwd: Path, host: str, port: int) -> str:
    """The line `portal serve` prints: where the web editor is (the unit's own when run from its folder)."""
    here = unit_of(content, cwd)
    unit = f"{here}/" if here else ""
    ready = "" if bundle_ready() else "（首次使用请先运行 portal cms fetch 安装编辑器）"
    return f"网页编辑：http://{host}:{port}/admin/{unit}{ready}"


def _backend(args: Any) -> Backend:
    return Backend(args.backend, args.repo or "", args.base_url or "", args.branch, args.app_id or "")




def cmd_cms(args: Any) -> int:
    import sys

    if args.action == "fetch":
        try:
            where = fetch(registry=args.registry)
        except BundleError as e:
            print(f"portal cms fetch：{e}", file=sys.stderr)
            return 1
        print(f"Decap CMS {DECAP.version}（{DECAP.integrity[:19]}…，校验通过）→ {where}")
        return 0
    from ..stages.pipeline import check
    from ..util.suggest import did_you_mean
    from .scaffold import find_unit

    ix = check(args.content).index
    if ix is None:
        print("portal cms：content/portal.yml、taxonomy.yml 或单位文件有错误，请先运行 portal check", file=sys.stderr)
        return 1
    portal, taxonomy, units = ix.portal, ix.taxonomy, ix.units
    backend = _backend(args)
    if backend.name != "local" and not backend.repo:
        print("portal cms：--backend gitea/gitlab 需要 --repo（如 haizhu/portal）和 --base-url", file=sys.stderr)
        return 2
    found = {text: find_unit(ix, text) for text in args.unit or []}  # an id, full, short or former name
    unknown = [text for text, u in found.items() if u is None]
    if unknown:
        names = [n for u in units.values() for n in (u.id, u.name, u.short_name or "", *u.aliases)]
        hints = "".join(did_you_mean(text, names) for text in unknown)
        print(f"portal cms：未知单位“{'、'.join(unknown)}”{hints}（可写单位编号、全称或简称）", file=sys.stderr)
        return 2
    wanted = [u.id for u in found.values() if u is not None]
    if not wanted and args.action == "config":  # run from inside a unit's folder: that unit
        here = unit_of(Path(args.content).resolve(), Path(getattr(args, "cwd", ".")).resolve(), units)
        wanted = [here] if here else []
    prefix = Path(args.content).as_posix().strip("/") or "content"
    if args.action == "config":
        if len(wanted) != 1:
            print("portal cms config：请用 --unit 指定一个单位", file=sys.stderr)
            return 2
        sys.stdout.write(dump(unit_config(portal, taxonomy, units, wanted[0], content_prefix=prefix,
                                          backend=backend)))
        return 0
    ready = bundle_ready()
    if ready is None:
        print("portal cms write：编辑器尚未安装，请先运行 portal cms fetch", file=sys.stderr)
        return 1
    out = Path(args.out)
    files = admin_files(portal, taxonomy, units, content_prefix=prefix, backend=backend, only=wanted or None)
    for f in sorted(ready.iterdir()):
        if not f.name.startswith("."):
            files[f"decap/{f.name}"] = f.read_bytes()
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    print(f"portal cms write：{len(files)} 个文件 → {out}")
    return 0


def add_parser(sub: Any) -> None:
    c = sub.add_parser("cms", help="网页编辑: fetch the Decap CMS bundle, print or write its configuration")
    c.add_argument("action", choices=("fetch", "config", "write"),
                   help="fetch: download and verify the editor; config: one unit's config.yml; "
                        "write: the whole /admin/ folder for a git server")
    c.add_argument("out", nargs="?", default="admin", help="write: output folder (default: admin)")
    c.add_argument("--unit", action="append", help="unit id (repeatable; write: default all units)")
    c.add_argument("--backend", choices=("local", "gitea", "gitlab"), default="local",
                   help="local: portal serve saves into the checkout; gitea/gitlab: commits to the git server")
    c.add_argument("--repo", default=None, help="owner/name on the git server")
    c.add_argument("--base-url", default=None, help="the git server, e.g. https://git.haizhu.gov.cn")
    c.add_argument("--branch", default="main")
    c.add_argument("--app-id", default=None, help="GitLab OAuth application id (PKCE login)")
    c.add_argument("--registry", default=None, help="npm registry or mirror (default $PORTAL_NPM_REGISTRY or npmjs)")
    c.set_defaults(func=cmd_cms)
