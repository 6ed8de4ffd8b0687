"""FanFicFare layout: the plain-text output of FanFicFare (and of fanficdownloader before it).

It reads::

    Title

    by Author

    Category: Harry Potter
    Rating: T
    Summary: One line, or several when FanFicFare wrapped it…

    TABLE OF CONTENTS

    First Chapter

    Second Chapter

    <TAB>First Chapter

    text…

    End file.

Chapter headings are the table's entries, each set on a line of its own after a tab. The table
itself is navigation, not story: it is dropped (the book makes its own). Labels with no field of
their own (Status, Packaged, Author URL) are kept as the title page's other facts.
"""

from __future__ import annotations

import re

from converter.document import Metadata, SeriesRef, Stats, TagGroup, TagKind, Work
from converter.languages import language_tag
from converter.parse.blocks import parse_blocks
from converter.parse.chapter_heading import HeadingMatch
from converter.parse.generic import HeadingLine, parse_body
from converter.parse.lines import profile_text, split_chunks

_TOC = "TABLE OF CONTENTS"
_END = "End file."
_LABEL = re.compile(r"^(?P<label>[A-Z][A-Za-z ]{1,24}):\s*(?P<value>.*)$")
_TAGS = {
    "rating": TagKind.RATING, "warnings": TagKind.WARNING, "category": TagKind.FANDOM,
    "fandom": TagKind.FANDOM, "fandoms": TagKind.FANDOM, "relationships": TagKind.RELATIONSHIP,
    "ships": TagKind.RELATIONSHIP, "pairings": TagKind.RELATIONSHIP, "characters": TagKind.CHARACTER,
    "genre": TagKind.FREEFORM, "genres": TagKind.FREEFORM, "freeform tags": TagKind.FREEFORM,
}  # fmt: skip


def parse_fanficfare(lines: list[str]) -> Work | None:
    """Parse FanFicFare's text output, or return ``None`` when the text is not one."""
    stripped = [line.strip() for line in lines]
    if _TOC not in stripped[:2000]:
        return None
    toc = stripped.index(_TOC)
    last = max((i for i, line in enumerate(stripped) if line), default=0)
    if stripped[last] != _END and not any(line.startswith("\t") for line in lines[toc:]):
        return None
    head = [line for line in stripped[:toc] if line]
    # FanFicFare always writes "Title", "by Author", then labelled lines.
    if (
        len(head) < 2
        or not head[1].lower().startswith("by ")
        or (len(head) > 2 and not _LABEL.match(head[2]))
    ):
        return None
    title = head[0]
    byline = head[1][3:].strip()
    fields = _fields(head[2:])
    # The table lists the chapter titles; each chapter opens with its title after a tab.
    entries: list[str] = []
    index = toc + 1
    while index < len(lines) and not lines[index].startswith("\t"):
        if stripped[index]:
            entries.append(stripped[index])
        index += 1
    headings: list[HeadingLine] = []
    for position in range(index, last):
        line = lines[position]
        if line.startswith("\t") and len(headings) < len(entries) and line.strip() == entries[len(headings)]:
            headings.append(HeadingLine(position, HeadingMatch("fanficfare", "", line.strip())))
    if entries and not headings:
        return None
    end = last if stripped[last] == _END else len(lines)
    profile = profile_text(split_chunks(lines[index:end]))
    front, chapters = parse_body(lines, index, end, profile, headings=headings)
    furniture = [_TOC, *entries] + ([_END] if end == last else [])
    meta = _metadata(title, byline, fields, profile, furniture)
    if byline:
        furniture.append("by")
    return Work(meta=meta, chapters=chapters, front_matter=front, furniture=tuple(furniture))


def _fields(lines: list[str]) -> list[tuple[str, str]]:
    """``Label: value`` lines; a line without a label continues the previous value (a wrapped
    summary)."""
    fields: list[tuple[str, str]] = []
    for line in lines:
        match = _LABEL.match(line)
        if match:
            fields.append((match["label"].strip(), match["value"].strip()))
        elif fields:
            label, value = fields[-1]
            fields[-1] = (label, f"{value} {line}".strip())
    return fields


def _metadata(
    title: str, byline: str, fields: list[tuple[str, str]], profile, dropped: list[str]
) -> Metadata:
    """Fields to metadata. The labels of fields the title page shows under its own labels
    ("Story URL" becomes "Source") are recorded as furniture."""
    tags: dict[TagKind, list[str]] = {}
    written: dict[TagKind, str] = {}
    stats: dict[str, str] = {}
    other: list[tuple[str, str]] = []
    values: dict[str, str] = {}
    for label, value in fields:
        key = label.lower()
        if key in _TAGS:
            tags.setdefault(_TAGS[key], []).extend(v.strip() for v in value.split(",") if v.strip())
            written.setdefault(_TAGS[key], label)
        elif key in ("published", "updated", "words", "chapters"):
            stats[key] = value
        elif key in ("language", "summary", "story url", "publisher", "series"):
            values[key] = value
            dropped.append(label)
        else:
            other.append((label, value))
    words = stats.get("words", "").replace(",", "")
    series = ()
    if values.get("series"):
        match = re.match(r"^(?P<name>.+?)\s*\[(?P<position>\d+)\]$", values["series"])
        series = (
            (SeriesRef(match["name"], int(match["position"])),) if match else (SeriesRef(values["series"]),)
        )
    return Metadata(
        title=title,
        authors=tuple(a.strip() for a in byline.split(",") if a.strip()),
        language=language_tag(values["language"]) if values.get("language") else None,
        summary=parse_blocks([values["summary"]], profile) if values.get("summary") else (),
        tags=tuple(TagGroup(kind, tuple(tags[kind]), written[kind]) for kind in TagKind if kind in tags),
        series=series,
        stats=Stats(
            published=stats.get("published"),
            updated=stats.get("updated"),
            words=int(words) if words.isdigit() else None,
            chapters=stats.get("chapters"),
        ),
        source_url=values.get("story url"),
        publisher=values.get("publisher"),
        other=tuple(other),
    )
