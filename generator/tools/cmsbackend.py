"""The CMS's local backend, served by `portal serve` at /admin/api/v1.

It speaks the protocol of `decap-server`'s local file-system mode (actions info, entriesByFolder,
entriesByFiles, getEntry, persistEntry, getMedia, getMediaFile, persistMedia, deleteFile(s),
getDeployPreview), so Decap CMS edits the checkout directly without Node. It adds what the portal's editors
need:

- it writes only inside content/ (a path that leaves it is refused);
- a new file named from a Chinese title gets the portal's pinyin name (`2026-12-03-haizhu-...md`, the name
  `portal new` would give); the CMS keeps using the name it asked for in this session;
- empty optional fields are dropped from the front matter (the CMS writes `field: ''`);
- after each save the content is checked as `portal check` would: when the saved file has errors, the save
  is undone and the editor sees the Chinese messages with their rule ids in the CMS's notification.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ..stages.load import SLUG_RE, split_front_matter


class Refused(Exception):
    """A request the backend will not carry out; the message (Chinese) goes to the editor."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _empty(v: Any) -> bool:
    return v is None or v == "" or v == [] or v == {}


def _prune(v: Any) -> Any:
    """Drop empty values from mappings (recursively) and empty entries from lists of mappings."""
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            x = _prune(x)
            if not _empty(x):
                out[k] = x
        return out
    if isinstance(v, list):
        return [p for p in (_prune(x) for x in v) if not _empty(p)]
    return v


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, s: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", s, style="|" if "\n" in s else None)


_Dumper.add_representer(str, _str)


def _tidy(raw: str) -> tuple[str, dict[str, Any]]:
    """(the file with empty optional fields removed, its front matter) — parsed once per save."""
    split = split_front_matter(raw)
    if split is None:
        return raw, {}
    head, body, _ = split
    data = yaml.safe_load(head) or {}
    if not isinstance(data, dict):
        return raw, {}
    data = _prune(data)
    from ..model.content import fields_of, item_class

    for name, spec in fields_of(item_class(str(data.get("type") or ""))).items():
        if spec.kind == "bool" and spec.default is False and data.get(name) is False:
            del data[name]  # the form's unticked box: the model's default, not worth a line
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n{body.lstrip(chr(10))}", data


def tidy(raw: str) -> str:
    """The CMS's Markdown file with empty optional fields removed (YAML re-written, field order kept)."""
    return _tidy(raw)[0]


_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):")


def _field_at(path: Path, line: int) -> str:
    """“发布日期（date）”: the front-matter field a message's line is in (the editor sees a form, not lines);
    “正文”for the body; the line number when the file is not front matter."""
    from ..model.content import ITEM_CLASSES, Item, fields_of

    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return f"第 {line} 行 "
    split = split_front_matter(text)
    if split is None:
        return f"第 {line} 行 "
    if line >= split[2]:  # at or after the body's first line
        return "正文 "
    lines = text.split("\n")
    labels = {n: s.zh for cls in (Item, *ITEM_CLASSES.values()) for n, s in fields_of(cls).items()}
    for i in range(line - 1, 0, -1):
        m = _KEY.match(lines[i])
        if m:
            return f"“{labels.get(m.group(1), m.group(1))}”（{m.group(1)}）"
    return f"第 {line} 行 "


class LocalBackend:
    """Decap's local_fs protocol over the project folder, writing only under content/."""

    def __init__(self, root: Path, content: Path, check: Callable[[], Any] | None = None) -> None:
        self.root = root.resolve()
        self.content = content.resolve()
        self.check = check  # () -> Checked; None to skip the check after saving
        self.aliases: dict[str, str] = {}  # path the CMS asked for -> file written (pinyin name)
        self.lock = threading.Lock()

    # ------------------------------------------------------------------ paths

    def _file(self, rel: str) -> Path:
        rel = self.aliases.get(rel, rel)
        if not isinstance(rel, str) or not rel or rel.startswith("/") or "\\" in rel or "\0" in rel:
            raise Refused(f"路径无效：{rel!r}", 403)
        norm = posixpath.normpath(rel)
        if norm.startswith("..") or norm == ".":
            raise Refused(f"只能编辑 content/ 中的文件：{rel}", 403)
        path = (self.root / norm).resolve()
        if path != self.content and self.content not in path.parents:
            raise Refused(f"只能编辑 content/ 中的文件：{rel}", 403)
        return path

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _entry(self, rel: str, label: str | None = None) -> dict[str, Any]:
        try:
            data = self._file(rel).read_bytes()
        except (OSError, Refused):
            return {"data": None, "file": {"path": rel, "label": label, "id": None}}
        return {"data": data.decode("utf-8", "replace"), "file": {"path": rel, "label": label, "id": _sha(data)}}

    def _list(self, folder: str, extension: str, depth: int) -> list[str]:
        start = self._file(folder.rstrip("/"))
        out: list[str] = []

        def walk(d: Path, left: int) -> None:
            if left <= 0 or not d.is_dir():
                return
            for p in sorted(d.iterdir()):
                if p.name.startswith("."):
                    continue
                if p.is_dir():
                    walk(p, left - 1)
                elif p.name.endswith(extension):
                    out.append(self._rel(p))

        walk(start, depth)
        return out

    def _media(self, rel: str) -> dict[str, Any]:
        data = self._file(rel).read_bytes()
        return {"id": _sha(data), "content": base64.b64encode(data).decode(), "encoding": "base64",
                "path": rel, "name": posixpath.basename(rel)}

    # ------------------------------------------------------------------ saving

    def _target(self, rel: str, meta: dict[str, Any]) -> str:
        """Where a data file is written: a new file whose name is not a valid slug gets the pinyin name."""
        if rel in self.aliases or self._file(rel).exists():
            return self.aliases.get(rel, rel)
        folder, name = posixpath.split(rel)
        stem, dot, ext = name.rpartition(".")
        if not dot or SLUG_RE.match(stem):
            return rel
        from .scaffold import pinyin_slug

        title = str(meta.get("title") or stem)
        date = str(meta.get("date") or stem[:10])[:10]
        taken = {p.stem for p in self._file(folder).glob("*")} if self._file(folder).is_dir() else set()
        new = f"{folder}/{pinyin_slug(title, date, taken)}.{ext}"
        self.aliases[rel] = new
        return new

    def _errors_for(self, rels: list[str]) -> list[str]:
        """The check's errors in the files just written, each named by the form field it is on."""
        if self.check is None:
            return []
        checked = self.check()
        wanted = {str((self.root / r).resolve()): r for r in rels}
        out = []
        for d in checked.errors:
            rel = wanted.get(str(Path(d.path).resolve()))
            if rel is not None:
                out.append(f"{_field_at(self._file(rel), d.line)}{d.rule}：{d.message}")
        return out

    def _write_all(self, files: list[tuple[str, bytes]]) -> list[tuple[Path, bytes | None]]:
        """Write files; returns what was there before (None: new) to undo."""
        undo: list[tuple[Path, bytes | None]] = []
        for rel, data in files:
            path = self._file(rel)
            undo.append((path, path.read_bytes() if path.exists() else None))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return undo

    @staticmethod
    def _undo(undo: list[tuple[Path, bytes | None]]) -> None:
        for path, old in reversed(undo):
            if old is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(old)

    def persist(self, params: dict[str, Any]) -> dict[str, Any]:
        entry = params.get("entry")
        data_files = params.get("dataFiles") or ([entry] if entry else [])
        files: list[tuple[str, bytes]] = []
        for a in params.get("assets") or []:
            files.append((a["path"], base64.b64decode(a["content"]) if a.get("encoding") == "base64"
                          else str(a["content"]).encode("utf-8")))
        written: list[str] = []
        for f in data_files:
            raw, meta = _tidy(f["raw"]) if f["path"].endswith(".md") else (f["raw"], {})
            target = self._target(f.get("newPath") or f["path"], meta)
            files.append((target, raw.encode("utf-8")))
            written.append(target)
        undo = self._write_all(files)
        errors = self._errors_for(written)
        if errors:
            self._undo(undo)
            for rel, new in list(self.aliases.items()):
                if new in written and not self._file(new).exists():
                    del self.aliases[rel]
            raise Refused("未保存，请改正后再保存（portal check 的错误）：\n" + "\n".join(errors))
        for f in data_files:  # a renamed entry: remove the old file
            if f.get("newPath") and f["newPath"] != f["path"]:
                old = self._file(f["path"])
                if old.exists() and old != self._file(f["newPath"]):
                    old.unlink()
        return {"message": "entry persisted"}

    # ------------------------------------------------------------------ the protocol

    def handle(self, body: dict[str, Any]) -> tuple[int, Any]:
        """One request: (HTTP status, JSON body)."""
        action = body.get("action") if isinstance(body, dict) else None
        params = body.get("params") or {} if isinstance(body, dict) else {}
        try:
            with self.lock:
                return 200, self._do(action, params)
        except Refused as e:
            return e.status, {"error": str(e)}
        except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as e:
            return 500, {"error": f"{type(e).__name__}: {e}"}

    def _do(self, action: str | None, p: dict[str, Any]) -> Any:
        if action == "info":
            return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            return [self._entry(r) for r in self._list(p["folder"], p.get("extension", ""), int(p.get("depth", 1)))]
        if action == "entriesByFiles":
            return [self._entry(f["path"], f.get("label")) for f in p.get("files", [])]
        if action == "getEntry":
            return self._entry(p["path"])
        if action == "persistEntry":
            return self.persist(p)
        if action == "getMedia":  # attachments and images, not the entries beside them
            return [self._media(r) for r in self._list(p["mediaFolder"], "", 1)
                    if not r.endswith((".md", ".yml", ".yaml"))]
        if action == "getMediaFile":
            return self._media(p["path"])
        if action == "persistMedia":
            a = p["asset"]
            self._write_all([(a["path"], base64.b64decode(a["content"]))])
            return self._media(a["path"])
        if action == "deleteFile":
            self._file(p["path"]).unlink(missing_ok=True)
            return {"message": f"deleted file {p['path']}"}
        if action == "deleteFiles":
            for r in p.get("paths", []):
                self._file(r).unlink(missing_ok=True)
            return {"message": "deleted files"}
        if action == "getDeployPreview":
            return None
        raise Refused(f"不支持的操作：{action}")


# --------------------------------------------------------------------------- /admin/ in the preview server

_TYPES = {".html": "text/html; charset=utf-8", ".yml": "text/yaml; charset=utf-8", ".js": "text/javascript",
          ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json"}


class AdminApp:
    """The /admin/ part of `portal serve`: the unit picker, each unit's CMS page and configuration (generated
    from the current content on every request), the bundle from the cache, and the local backend."""

    PREFIX = "/admin/"

    def __init__(self, root: Path, content: Path, state: Callable[[], tuple[Any, Any, dict]],
                 check: Callable[[], Any] | None = None) -> None:
        self.root, self.content = root.resolve(), content.resolve()
        self.state = state  # () -> (portal, taxonomy, units) of the last build
        self.backend = LocalBackend(self.root, self.content, check)

    def content_prefix(self) -> str:
        return self.content.relative_to(self.root).as_posix()

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes] | None:
        """The response for a request under /admin/, or None to let the preview serve it."""
        import json

        from . import cms

        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if not path.startswith(self.PREFIX) and path != self.PREFIX.rstrip("/"):
            return None
        rest = path[len(self.PREFIX):] if path.startswith(self.PREFIX) else ""
        method = environ.get("REQUEST_METHOD", "GET")

        def send(status: int, body: bytes, ctype: str) -> list[bytes]:
            reason = {200: "OK", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
                      422: "Unprocessable Entity", 500: "Internal Server Error"}.get(status, "")
            start_response(f"{status} {reason}", [("Content-Type", ctype), ("Cache-Control", "no-store"),
                                                  ("Content-Length", str(len(body)))])
            return [body]

        if rest == "api/v1":
            if method != "POST":
                return send(405, b"POST only", "text/plain")
            try:
                size = int(environ.get("CONTENT_LENGTH") or 0)
                body = json.loads(environ["wsgi.input"].read(size) or b"{}")
            except (ValueError, OSError):
                return send(422, json.dumps({"error": "请求无效"}).encode(), "application/json")
            status, out = self.backend.handle(body)
            return send(status, json.dumps(out, ensure_ascii=False).encode("utf-8"), "application/json")
        if rest.startswith("decap/"):
            ready = cms.bundle_ready()
            name = rest[len("decap/"):]
            if ready is None or "/" in name or not (ready / name).is_file():
                return send(404, "编辑器未安装：请运行 portal cms fetch".encode(), "text/plain; charset=utf-8")
            return send(200, (ready / name).read_bytes(), _TYPES.get(Path(name).suffix, "application/octet-stream"))
        portal, taxonomy, units = self.state()
        if rest == "":
            return send(200, cms.index_page(units, cms.bundle_ready() is not None).encode("utf-8"), _TYPES[".html"])
        unit, _, file = rest.partition("/")
        if unit not in units:
            return send(404, f"没有编号为“{unit}”的单位".encode(), "text/plain; charset=utf-8")
        if file in ("", "index.html"):
            return send(200, cms.unit_page(units[unit]).encode("utf-8"), _TYPES[".html"])
        if file == "config.yml":
            cfg = cms.unit_config(portal, taxonomy, units, unit, content_prefix=self.content_prefix())
            return send(200, cms.dump(cfg).encode("utf-8"), _TYPES[".yml"])
        return send(404, b"not found", "text/plain")
