"""Content assets (attachments, images) copied under their unit's URL, and the link table item bodies are
rewritten with (content-relative path → public URL)."""

from __future__ import annotations

from .base import Context, StaticFile, builder, unit_of_path


@builder(order=90)
def assets(ctx: Context) -> None:
    ix, site = ctx.ix, ctx.site
    for rel, path in sorted(ix.assets.items()):
        unit_id = unit_of_path(rel)
        if unit_id in ix.units and rel.startswith(ix.units[unit_id].path + "/"):
            url = ctx.asset_url(rel)
            site.files.append(StaticFile(url.lstrip("/"), source=str(path)))
            site.links[rel] = url
    for name in ("conac_image", "jiucuo_image"):  # the footer's 网站标识 images, checked by index (E210)
        file = getattr(ix.portal, name)
        if file:
            site.files.append(StaticFile(f"assets/identity/{file}", source=str(ix.assets[f"identity/{file}"])))
    for item_id, it in ix.items.items():
        site.links[it.rel] = ix.item_urls[item_id]
        site.links["@" + item_id] = ix.item_urls[item_id]  # `[…](@unit/column/slug)` links by id
