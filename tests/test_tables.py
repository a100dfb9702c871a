"""Tables in article bodies: scroll inside the column at phone width, a styled header row, W217 when too long."""

from __future__ import annotations

from generator.stages.pipeline import check

from .conftest import build_site, item


def _table(rows: int, cols: int) -> str:
    head = "|" + "|".join(f"第{c + 1}列标题" for c in range(cols)) + "|\n"
    sep = "|" + "|".join("---" for _ in range(cols)) + "|\n"
    body = "".join("|" + "|".join(f"数据{r}-{c}很长的单元格内容" for c in range(cols)) + "|\n" for r in range(rows))
    return head + sep + body


def test_a_very_long_table_gets_a_warning_suggesting_an_attachment(tree):
    root = tree({"units/fgj/finance/a.md": item("title: 预算\ndate: 2024-01-01", "说明。\n\n" + _table(400, 11)),
                 "units/fgj/finance/b.md": item("title: 预算二\ndate: 2024-01-01", _table(100, 3))})
    diags = [d for d in check(root, display_base=root).diagnostics if d.rule == "W217"]
    assert [(d.path, d.line) for d in diags] == [("units/fgj/finance/a.md", 7)]
    assert "400 行 × 11 列" in diags[0].message and diags[0].severity == "warning"


def test_wide_table_scrolls_inside_the_column_with_a_header_row(browser, serve, tree, tmp_path):
    root = tree({"units/fgj/finance/a.md": item("title: 部门预算\ndate: 2024-01-01", "说明。\n\n" + _table(30, 11))})
    site = tmp_path / "site"
    build_site(root, site, search=False)
    base = serve(site)
    ctx = browser.new_context(viewport={"width": 375, "height": 800})
    page = ctx.new_page()
    page.goto(base + "/fgj/finance/a/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1  # the page does not
    wrap = page.locator(".md-typeset .table-wrap")
    assert wrap.count() == 1
    # the table scrolls inside the column (our wrapper, or Material's scroller within it once its script ran)
    assert page.evaluate("""(() => { const w = document.querySelector('.table-wrap');
        return [w, ...w.querySelectorAll('*')].some(e => getComputedStyle(e).overflowX === 'auto'
                                                      && e.scrollWidth > e.clientWidth + 100); })()""")
    th_bg, td_bg = page.evaluate("""(() => {
        const th = document.querySelector('.table-wrap thead th'), td = document.querySelector('.table-wrap tbody td');
        return [getComputedStyle(th).backgroundColor, getComputedStyle(td).backgroundColor]; })()""")
    assert th_bg != td_bg and th_bg not in ("rgba(0, 0, 0, 0)", "transparent")
    ctx.close()
