"""The dates every output records, chosen so that the same input always gives the same bytes and no
date is ever made up.

A book's date comes, in order, from:

1. the text itself: its latest stated date (AO3's Published/Updated/Completed, Project Gutenberg's
   release and "Most recently updated" dates). These are part of the input's bytes, so they are
   already reproducible, and they say when the story last changed, which is what a reader wants;
2. ``SOURCE_DATE_EPOCH``, the reproducible-builds convention: it stands in for dates the tool would
   otherwise take from its surroundings (a file's mtime, which a checkout or a copy resets, or the
   clock), never for a date the text states. It is not used to clamp the text's dates: a text
   saying it was updated later than the epoch is trusted as written;
3. the input file's modification time, which the pipeline records on the tree (``file_time``):
   the same bytes with the same mtime give the same book;
4. only for a work built in code with none of these: the time it is made, as the
   reproducible-builds spec expects of a tool with nothing better (set ``SOURCE_DATE_EPOCH`` for
   fixed bytes).
"""

from __future__ import annotations

import datetime as dt
import os
import re

from converter.document import Metadata, Work

# "2023-04-14", "1998-06", "1998": an ISO date only as precise as the text gives it.
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def build_time(work: Work, override: dt.datetime | None = None) -> dt.datetime:
    """The date an output records as made/modified: ``override`` if given, else the order in the
    module's docstring."""
    if override is not None:
        return override
    stated = [moment for moment in map(_moment, _stated_dates(work.meta)) if moment is not None]
    if stated:
        return max(stated)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    if work.meta.file_time is not None:
        return dt.datetime.fromtimestamp(work.meta.file_time, tz=dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def publication_date(meta: Metadata) -> str | None:
    """The text's own date for ``dc:date``: when it says it was first published (AO3's Published,
    Gutenberg's release date), else the first other date it states (updated, completed, revised);
    ``None`` when it states none (a file's mtime is no publication date)."""
    for value in (meta.stats.published, meta.released, *_stated_dates(meta)):
        if _moment(value) is not None:
            return value
    return None


def _stated_dates(meta: Metadata) -> tuple[str | None, ...]:
    stats = meta.stats
    return (stats.updated, stats.completed, stats.published, meta.revised, meta.released)


def _moment(value: str | None) -> dt.datetime | None:
    """An ISO date or time as UTC (a date alone is midnight on its first day: ``1998-06`` is
    1 June 1998), or ``None`` for anything else."""
    text = (value or "").strip()
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return dt.datetime(year, month, day, tzinfo=dt.UTC)
    except ValueError:
        return None
