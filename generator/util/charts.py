"""Static SVG charts drawn at build time (no chart library, no CDN). Every chart is paired on its page with
an HTML table of the same numbers; the SVG is labelled for assistive technology and points to that table.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

BAR = "#0b4a8b"
SCALE = ["#eef4fb", "#c6dbef", "#8fbfe0", "#4a8fc7", "#1d5f9e", "#0b3d6e"]  # light → dark, 6 steps
CHAR_W = 12  # px per CJK character at the chart font size


def _svg(chart_id: str, title: str, width: int, height: int, body: list[str]) -> str:
    # role=img hides its children from assistive technology, so a chart with links in it is a figure
    # (axe nested-interactive: a focusable link inside an image cannot be reached).
    role = "figure" if any(part.startswith("<a ") for part in body) else "img"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="portal-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="{role}" aria-labelledby="{chart_id}-t {chart_id}-d">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">图中数据见下方表格。</desc>' + "".join(body) + "</svg>"
    )


MAX_LABEL = 24  # characters; longer labels are shortened in the chart (the table keeps them whole)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _label_width(labels: list[str]) -> int:
    return max((len(_short(s)) for s in labels), default=2) * CHAR_W + 12


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int]], unit: str = "条") -> str:
    """Horizontal bars, one row per label, value printed at the end of each bar."""
    lw = _label_width([r[0] for r in rows])
    width, bar_h, gap, top = 680, 18, 8, 6
    height = top * 2 + len(rows) * (bar_h + gap)
    peak = max((v for _, v in rows), default=0) or 1
    span = width - lw - 80
    body = []
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = max(1, round(span * value / peak)) if value else 0
        body.append(
            f'<text x="{lw - 6}" y="{y + bar_h - 4}" text-anchor="end" font-size="12" fill="#1a1a1a">'
            f"{escape(_short(label))}</text>"
            f'<rect x="{lw}" y="{y}" width="{w}" height="{bar_h}" fill="{BAR}"><title>{escape(label)}：'
            f"{value}{unit}</title></rect>"
            f'<text x="{lw + w + 6}" y="{y + bar_h - 4}" font-size="12" fill="#1a1a1a">{value}</text>'
        )
    return _svg(chart_id, title, width, max(height, 30), body)


def column_chart(chart_id: str, title: str, rows: list[tuple[str, int]], unit: str = "条") -> str:
    """Vertical columns (e.g. items per year), labels under the axis."""
    width, height, left, bottom, top = 680, 240, 40, 28, 20
    n = max(len(rows), 1)
    slot = (width - left - 10) / n
    peak = max((v for _, v in rows), default=0) or 1
    plot = height - bottom - top
    body = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#4f5b67"/>']
    for i, (label, value) in enumerate(rows):
        h = round(plot * value / peak)
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        y = height - bottom - h
        body.append(
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{h}" fill="{BAR}"><title>{escape(label)}：'
            f"{value}{unit}</title></rect>"
            f'<text x="{x + w / 2:.1f}" y="{y - 4}" text-anchor="middle" font-size="11" fill="#1a1a1a">{value}</text>'
            f'<text x="{x + w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="12" '
            f'fill="#1a1a1a">{escape(label)}</text>'
        )
    return _svg(chart_id, title, width, height, body)


def shade(value: int, peak: int) -> int:
    """Colour step (0…5) of a cell; 0 only for zero."""
    if value <= 0 or peak <= 0:
        return 0
    return min(len(SCALE) - 1, 1 + int((len(SCALE) - 2) * value / peak + 0.5))


def heatmap(chart_id: str, title: str, rows: list[tuple[str, str | None]], cols: list[str],
            cells: dict[tuple[int, int], int]) -> str:
    """A row × column grid of intensities; rows are (label, link or None), cells keyed by (row, col) index."""
    lw = _label_width([r[0] for r in rows])
    cw, ch, top = 44, 22, 24
    width = lw + cw * len(cols) + 10
    height = top + ch * len(rows) + 6
    peak = max(cells.values(), default=0)
    body = []
    for j, col in enumerate(cols):
        body.append(f'<text x="{lw + j * cw + cw / 2:.0f}" y="{top - 8}" text-anchor="middle" font-size="11" '
                    f'fill="#1a1a1a">{escape(col)}</text>')
    for i, (label, link) in enumerate(rows):
        y = top + i * ch
        text = (f'<text x="{lw - 6}" y="{y + ch - 7}" text-anchor="end" font-size="12" fill="#0a4f9e">'
                f"{escape(_short(label))}</text>")
        body.append(f"<a href={quoteattr(link)}>{text}</a>" if link else text.replace("#0a4f9e", "#1a1a1a"))
        for j, col in enumerate(cols):
            v = cells.get((i, j), 0)
            step = shade(v, peak)
            fg = "#ffffff" if step >= 4 else "#1a1a1a"
            body.append(
                f'<rect x="{lw + j * cw}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="{SCALE[step]}" '
                f'data-value="{v}"><title>{escape(label)} {escape(col)}：{v}</title></rect>'
                f'<text x="{lw + j * cw + (cw - 2) / 2:.0f}" y="{y + ch - 8}" text-anchor="middle" font-size="10" '
                f'fill="{fg}">{v if v else ""}</text>'
            )
    return _svg(chart_id, title, width, height, body)


FLOW_W = 360  # a flowchart fits a 375 px screen; it scales down, never sideways
FLOW_CHARS = 16  # CJK characters per line inside a box


def _wrap(text: str, width: int = FLOW_CHARS) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def flowchart(chart_id: str, title: str, steps: list[tuple[str, str]]) -> str:
    """A vertical flowchart: one box per step (bold title, then its text wrapped), arrows between them.

    The page shows the same steps as an ordered list; the SVG's description says so.
    """
    body, y, pad, line = [], 8, 10, 18
    marker = f"{chart_id}-arrow"
    body.append(f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="8" '
                f'markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{BAR}"/></marker></defs>')
    for i, (head, text) in enumerate(steps):
        lines = _wrap(text)
        h = pad * 2 + line * (1 + len(lines))
        body.append(f'<rect x="4" y="{y}" width="{FLOW_W - 8}" height="{h}" rx="6" fill="#eef4fb" '
                    f'stroke="{BAR}" stroke-width="1.5"/>')
        body.append(f'<text x="{FLOW_W / 2}" y="{y + pad + 14}" text-anchor="middle" font-size="14" '
                    f'font-weight="bold" fill="#0b3d6e">{i + 1}. {escape(head)}</text>')
        for k, ln in enumerate(lines):
            body.append(f'<text x="{FLOW_W / 2}" y="{y + pad + 14 + line * (k + 1)}" text-anchor="middle" '
                        f'font-size="13" fill="#1a1a1a">{escape(ln)}</text>')
        y += h
        if i < len(steps) - 1:
            body.append(f'<line x1="{FLOW_W / 2}" y1="{y + 2}" x2="{FLOW_W / 2}" y2="{y + 20}" stroke="{BAR}" '
                        f'stroke-width="2" marker-end="url(#{marker})"/>')
            y += 26
    height = y + 8
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="portal-flow" viewBox="0 0 {FLOW_W} {height}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(title)}共{len(steps)}步，文字说明见图旁的步骤列表。</desc>'
        + "".join(body) + "</svg>"
    )
