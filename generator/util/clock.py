"""The build's notion of "today": one place, so builds are reproducible and dates are Beijing dates."""

from __future__ import annotations

import datetime as dt
import os

#: The portal's clock: China Standard Time (UTC+8, no daylight saving), whatever the build machine's zone.
CST = dt.timezone(dt.timedelta(hours=8), "CST")


def reference_date() -> dt.date:
    """The date a build is made for (freshness, future-date checks, statistics): SOURCE_DATE_EPOCH when set
    (reproducible builds: CI sets it from the last commit), else now; both as a date in Beijing time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), CST).date()
    return dt.datetime.now(CST).date()
