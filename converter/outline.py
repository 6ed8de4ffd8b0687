"""What the parser understood, as plain data: ``ficexport FILE --outline`` and the golden tests.

The outline is the work's document tree reduced to what a person checks at a glance: metadata, and for
each chapter its heading, word count, scene breaks and notes. ``outline()`` returns JSON-ready data
(the schema is documented in the README and is stable: keys are only ever added, and every key is
there for every work, empty or not, so a script need not test for it); ``format_outline()`` prints it
for a terminal, where a line with nothing to say is left out: the title, author, language and
chapters are always shown ("(none)" is worth knowing there), a tag group, the summary and the notes
only when they hold something.
"""

from __future__ import annotations

import re
from typing import Any

from converter.document import Block, Chapter, Matter, SceneBreak, Work, blocks_text, iter_blocks

#: Version of the outline's JSON schema.
SCHEMA_VERSION = 1

# CJK, kana and Hangul count a word per character, as word counters for those languages do.
_CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+(?:['’][^\W_{_CJK}]+)*")


def count_words(text: str) -> int:
    """Words in ``text``: runs of letters and digits (``don't`` is one), each CJK character one."""
    return len(_WORD.findall(text))


def _words(blocks: tuple[Block, ...]) -> int:
    return count_words(blocks_text(blocks))


def _scene_breaks(blocks: tuple[Block, ...]) -> int:
    """Scene breaks at any depth: one inside a quoted letter still divides the chapter's scenes."""
    return sum(type(block) is SceneBreak for block in iter_blocks(blocks))


def _chapter(chapter: Chapter) -> dict[str, Any]:
    return {
        "number": chapter.number,
        "label": chapter.label,
        "title": chapter.title,
        "level": chapter.level,
        "words": _words(chapter.body),
        "scene_breaks": _scene_breaks(chapter.body),
        "summary_words": _words(chapter.summary),
        "notes_words": _words(chapter.notes),
        "end_notes_words": _words(chapter.end_notes),
        "heading_line": chapter.heading_line,
        "evidence": list(chapter.evidence),
    }


def _matter(matter: Matter) -> dict[str, Any]:
    return {"kind": matter.kind.value, "title": matter.title, "words": _words(matter.blocks)}


def outline(work: Work) -> dict[str, Any]:
    """The work reduced to JSON-ready data (see the README for the schema)."""
    meta = work.meta
    stats = {key: value for key, value in vars(meta.stats).items() if value is not None}
    return {
        "schema": SCHEMA_VERSION,
        "title": meta.title,
        "authors": list(meta.authors),
        "language": meta.language,
        "tags": [{"label": group.label, "values": list(group.values)} for group in meta.tags],
        "series": [{"name": ref.name, "position": ref.position} for ref in meta.series],
        "collections": list(meta.collections),
        "stats": stats,
        "source_url": meta.source_url,
        "other": [{"label": label, "value": value} for label, value in meta.other],
        "summary_words": _words(meta.summary),
        "notes_words": _words(work.notes),
        "end_notes_words": _words(work.end_notes),
        "front_matter": [_matter(m) for m in work.front_matter],
        "chapters": [_chapter(c) for c in work.chapters],
        "back_matter": [_matter(m) for m in work.back_matter],
        "words": sum(_words(c.body) for c in work.chapters),
    }


#: The word counts of a work's or a chapter's summary and notes, and their labels.
_NOTES = (("summary_words", "Summary"), ("notes_words", "Notes"), ("end_notes_words", "End notes"))


def format_outline(data: dict[str, Any]) -> str:
    """The outline as a person reads it in a terminal."""
    lines: list[str] = []

    def row(label: str, value: str) -> None:
        lines.append(f"{label + ':':<17}{value}")

    row("Title", data["title"] or "(none)")
    row("Author", ", ".join(data["authors"]) or "(none)")
    row("Language", data["language"] or "(unknown)")
    for group in data["tags"]:
        if group["values"]:
            row(group["label"], ", ".join(group["values"]))
    for ref in data["series"]:
        row("Series", (f"Part {ref['position']} of " if ref["position"] else "") + ref["name"])
    if data["collections"]:
        row("Collections", ", ".join(data["collections"]))
    if data["stats"]:
        row("Stats", ", ".join(f"{key}: {value}" for key, value in data["stats"].items()))
    if data["source_url"]:
        row("Source", data["source_url"])
    for item in data["other"]:
        row(item["label"], item["value"])
    for key, label in _NOTES:
        if data[key]:
            row(label, _plural(data[key], "word"))
    for matter in data["front_matter"]:
        row("Front matter", f"{matter['title'] or matter['kind']} ({_plural(matter['words'], 'word')})")
    row("Chapters", f"{len(data['chapters'])}, {_plural(data['words'], 'word')}")
    for chapter in data["chapters"]:
        indent = "  " * chapter.get("level", 0)  # a chapter inside a part, under it
        lines.append(f"  {indent}{chapter['number']:>3}. {_chapter_line(chapter)}")
        if chapter.get("heading_line"):  # why the parser took the line for a heading
            why = "; ".join(chapter.get("evidence", ()))
            lines.append(f"  {indent}       line {chapter['heading_line']}" + (f": {why}" if why else ""))
    for matter in data["back_matter"]:
        row("Back matter", f"{matter['title'] or matter['kind']} ({_plural(matter['words'], 'word')})")
    return "\n".join(lines)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _chapter_line(chapter: dict[str, Any]) -> str:
    heading = ": ".join(part for part in (chapter["label"], chapter["title"]) if part) or "(untitled)"
    extras = [_plural(chapter["words"], "word")]
    if chapter["scene_breaks"]:
        extras.append(_plural(chapter["scene_breaks"], "scene break"))
    for key, label in _NOTES:
        if chapter[key]:
            extras.append(f"{label.lower()} {_plural(chapter[key], 'word')}")
    return f"{heading} ({'; '.join(extras)})"
