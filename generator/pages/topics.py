"""专题专栏: /topics/ (every 专题, current first, archived ones kept on record) and /topics/<id>/ (intro, banner,
the items it gathers) with an Atom feed per 专题 (feeds/topics/<id>.xml). Which items belong is decided in the
index (stages/index.py::topic_matches): by tag, domain, unit, column, or an explicit list."""

from __future__ import annotations

from ..model import urls
from .base import Context, PageKind, PageSpec, StaticFile, builder, crumbs
from .feeds import FEED_SIZE, atom

TOPIC = PageKind("topic", "topic.html")


def topic_feed_path(topic_id: str) -> str:
    """Site-relative path of a 专题's feed."""
    return f"feeds/topics/{topic_id}.xml"


@builder(order=86)
def topics(ctx: Context) -> None:
    ix = ctx.ix
    if not ix.topics:
        return
    for rel, path in sorted(ix.assets.items()):  # banners live in content/topics/, outside every unit
        if rel.startswith("topics/"):
            ctx.site.files.append(StaticFile(rel, source=str(path)))
    meta = {"ColumnName": "专题专栏", "ColumnType": "专题专栏", "ColumnDescription": "专题专栏"}
    rows = []
    for t in ix.topics.values():
        its = ix.topic_items.get(t.id, [])
        url = urls.topic_url(t.id)
        banner = f"/topics/{t.banner}" if t.banner else None
        feed = topic_feed_path(t.id)
        ctx.add(PageSpec(url, t.title, TOPIC, {
            "title": t.title, "intro": [p for p in (t.intro or "").split("\n") if p.strip()], "banner": banner,
            "archived": t.archived, "entries": [ctx.entry(it) for it in its], "feed": "/" + feed,
            "crumbs": crumbs(("专题专栏", urls.TOPICS), (t.title, None)),
        }, {**meta, "ColumnName": t.title, "ColumnDescription": (t.intro or t.title).split("\n")[0]}))
        entries = [{"title": it.title, "url": ix.item_urls[it.id], "date": it.date, "summary": it.summary or "",
                    "author": it.source or ix.units[it.unit].name} for it in its[:FEED_SIZE]]
        ctx.site.files.append(StaticFile(feed, atom(ix.portal, feed, f"{ix.portal.name} · {t.title}", url, entries)))
        rows.append({"title": t.title, "url": url, "archived": t.archived, "count": len(its),
                     "latest": ctx.entry(its[0])["date"] if its else None})
    rows.sort(key=lambda r: r["archived"])  # stable: current 专题 first, each group in the declared order
    ctx.add(PageSpec(urls.TOPICS, "专题专栏", TOPIC, {
        "title": "专题专栏", "topics": rows, "crumbs": crumbs(("专题专栏", None)),
    }, meta, footer="专题专栏"))
