"""The one date every output records, chosen so that the same input always gives the same bytes."""

from __future__ import annotations

import datetime as dt
import os

from converter.document import Work

#: Used when nothing better is known: a fixed date, never the clock.
FALLBACK_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def build_time(work: Work, override: dt.datetime | None = None) -> dt.datetime:
    """The date an output records as made/modified: ``override`` if given, else
    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention), else the work's latest date
    (updated, completed, published), else ``FALLBACK_DATE``."""
    if override is not None:
        return override
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    stats = work.meta.stats
    for value in (stats.updated, stats.completed, stats.published):
        try:
            return dt.datetime.fromisoformat(value or "").replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    return FALLBACK_DATE
