"""Favicon and touch icons from a simple SVG (circles and polygons only), in pure Python: a supersampling
rasterizer, a PNG writer (zlib) and an ICO writer (PNG-compressed entries, read by every browser since 2010).

The theme's `favicon.ico` and `apple-touch-icon.png` (`generator/render/theme/`) are written by
`python -m generator.util.icons` from `assets/emblem.svg`; `tests/test_reader.py` checks the committed files
are what this module makes of the emblem. No imaging library is needed for three shapes.
"""

from __future__ import annotations

import math
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass
from pathlib import Path

RGBA = tuple[int, int, int, int]
SAMPLES = 4  # 4 x 4 samples per pixel


@dataclass(frozen=True)
class Shape:
    """A filled circle, a stroked circle (ring) or a filled polygon, in viewBox units."""

    kind: str  # "disc", "ring", "polygon"
    colour: RGBA
    cx: float = 0.0
    cy: float = 0.0
    r: float = 0.0
    width: float = 0.0
    points: tuple[tuple[float, float], ...] = ()

    def covers(self, x: float, y: float) -> bool:
        if self.kind == "disc":
            return (x - self.cx) ** 2 + (y - self.cy) ** 2 <= self.r ** 2
        if self.kind == "ring":
            return abs(math.hypot(x - self.cx, y - self.cy) - self.r) <= self.width / 2
        inside = False  # even-odd rule
        pts = self.points
        j = len(pts) - 1
        for i in range(len(pts)):
            (xi, yi), (xj, yj) = pts[i], pts[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
        return inside


def colour(value: str) -> RGBA | None:
    value = value.strip()
    if not value or value == "none":
        return None
    m = re.fullmatch(r"#([0-9a-fA-F]{6})", value)
    if not m:
        raise ValueError(f"unsupported colour {value!r} (write #rrggbb)")
    n = int(m.group(1), 16)
    return (n >> 16, (n >> 8) & 255, n & 255, 255)


def parse_svg(text: str) -> tuple[float, list[Shape]]:
    """The viewBox size (square) and the shapes of a simple SVG, in document order."""
    root = ET.fromstring(text)
    box = [float(v) for v in root.get("viewBox", "0 0 64 64").replace(",", " ").split()]
    size = box[2]
    shapes: list[Shape] = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        fill = colour(el.get("fill", "#000000"))
        if tag == "circle":
            cx, cy, r = (float(el.get(k, "0")) - o for k, o in (("cx", box[0]), ("cy", box[1]), ("r", 0)))
            if fill:
                shapes.append(Shape("disc", fill, cx, cy, r))
            stroke = colour(el.get("stroke", "none"))
            if stroke:
                shapes.append(Shape("ring", stroke, cx, cy, r, float(el.get("stroke-width", "1"))))
        elif tag == "polygon" and fill:
            nums = [float(v) for v in el.get("points", "").replace(",", " ").split()]
            pts = tuple((nums[i] - box[0], nums[i + 1] - box[1]) for i in range(0, len(nums) - 1, 2))
            shapes.append(Shape("polygon", fill, points=pts))
    return size, shapes


def rasterize(size: float, shapes: list[Shape], px: int) -> list[list[RGBA]]:
    """px x px pixels (straight alpha), each the average of SAMPLES² samples."""
    scale = size / px
    rows = []
    offsets = [(k + 0.5) / SAMPLES for k in range(SAMPLES)]
    for y in range(px):
        row = []
        for x in range(px):
            acc = [0.0, 0.0, 0.0, 0.0]
            for oy in offsets:
                for ox in offsets:
                    sx, sy = (x + ox) * scale, (y + oy) * scale
                    top = next((s.colour for s in reversed(shapes) if s.covers(sx, sy)), None)
                    if top:
                        acc[0] += top[0]
                        acc[1] += top[1]
                        acc[2] += top[2]
                        acc[3] += 1
            n = SAMPLES * SAMPLES
            if acc[3]:
                row.append((round(acc[0] / acc[3]), round(acc[1] / acc[3]), round(acc[2] / acc[3]),
                            round(255 * acc[3] / n)))
            else:
                row.append((0, 0, 0, 0))
        rows.append(row)
    return rows


def png(pixels: list[list[RGBA]], background: RGBA | None = None) -> bytes:
    """A PNG (8-bit RGBA, or RGB over `background`), deterministic bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    h, w = len(pixels), len(pixels[0])
    raw = bytearray()
    for row in pixels:
        raw.append(0)
        for r, g, b, a in row:
            if background:
                br, bg, bb, _ = background
                raw += bytes((round((r * a + br * (255 - a)) / 255), round((g * a + bg * (255 - a)) / 255),
                              round((b * a + bb * (255 - a)) / 255)))
            else:
                raw += bytes((r, g, b, a))
    ctype = 2 if background else 6
    header = struct.pack(">IIBBBBB", w, h, 8, ctype, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
            + chunk(b"IEND", b""))


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file of PNG entries: [(size, png bytes)]."""
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    body = b""
    for size, data in images:
        out += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset + len(body))
        body += data
    return out + body


def icons(svg_text: str) -> dict[str, bytes]:
    """favicon.ico (16, 32, 48 px) and apple-touch-icon.png (180 px on white: iOS shows no transparency)."""
    size, shapes = parse_svg(svg_text)
    favicon = ico([(px, png(rasterize(size, shapes, px))) for px in (16, 32, 48)])
    touch = png(rasterize(size, shapes, 180), background=(255, 255, 255, 255))
    return {"favicon.ico": favicon, "apple-touch-icon.png": touch}


def main(argv: list[str]) -> None:
    """python -m generator.util.icons THEME_DIR: write the icons next to THEME_DIR/assets/emblem.svg."""
    theme = Path(argv[0])
    for name, data in icons((theme / "assets" / "emblem.svg").read_text(encoding="utf-8")).items():
        (theme / name).write_bytes(data)


if __name__ == "__main__":
    main(sys.argv[1:])
