"""政务新媒体: the portal page of every listed account, grouped by unit and platform, with its QR code
(the registries are content/units/<unit>/newmedia.yml; what the inspection reads is in checks/interaction.py)."""

from __future__ import annotations

from ..model import urls
from ..model.content import PLATFORMS
from .base import Context, PageKind, PageSpec, builder, crumbs

NEWMEDIA = PageKind("newmedia", "newmedia.html")


@builder(order=89)
def newmedia(ctx: Context) -> None:
    ix = ctx.ix
    if not ix.accounts:
        return
    groups: dict[str, dict[str, list]] = {}
    for uid, a in ix.accounts:
        if not a.listed or a.status == "已关停":
            continue
        groups.setdefault(uid, {}).setdefault(a.platform, []).append({
            "name": a.name, "account_id": a.account_id, "status": a.status, "url": a.url,
            "qr": ctx.asset_url(ix.qr[id(a)]) if id(a) in ix.qr else None,
            "owner": ix.units[a.owner].display_name if a.owner in ix.units else None,
        })
    units = []
    for uid in ix.units:  # directory order
        if uid in groups:
            platforms = [{"platform": p, "accounts": groups[uid][p]} for p in PLATFORMS if p in groups[uid]]
            units.append({"unit": ix.units[uid].display_name, "url": ix.unit_urls[uid], "id": uid,
                          "platforms": platforms})
    counts = [(p, sum(len(u_p["accounts"]) for u in units for u_p in u["platforms"] if u_p["platform"] == p))
              for p in PLATFORMS]
    title = "政务新媒体"
    ctx.add(PageSpec(urls.NEWMEDIA, title, NEWMEDIA, {
        "title": title, "units": units, "counts": [(p, n) for p, n in counts if n],
        "total": sum(n for _, n in counts), "crumbs": crumbs((title, None)),
    }, {"ColumnName": title, "ColumnType": "互动交流", "ColumnDescription": "全区各单位开设的政务新媒体账号"},
        footer=title))
