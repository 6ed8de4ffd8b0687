"""Splitting a very long chapter into several EPUB documents, so older readers cope.

Adobe's reading engine (in many Kobo, Sony and library apps) and early Kindles refuse or crawl
through content documents of more than about 300 KB; a fan-fiction chapter of 40,000 words is
that size. A chapter whose XHTML exceeds ``MAX_DOCUMENT_BYTES`` is cut between its blocks, at a
scene break where one falls in the second half of a piece (the break then opens the next
document, where the reader sees it as the new scene's ornament), otherwise at a paragraph
boundary. The pieces keep one table-of-contents entry, the first piece's. A single paragraph
longer than the limit is never cut inside.
"""

from __future__ import annotations

import dataclasses

from lxml import etree

from converter.write.render import Part

#: The largest content document wanted; a margin below the 300 KB that old engines choke on.
MAX_DOCUMENT_BYTES = 250_000
#: Room for a document's head, body and wrappers around the blocks.
_DOCUMENT_OVERHEAD = 1_000


def split_part(part: Part, limit: int = MAX_DOCUMENT_BYTES) -> list[Part]:
    """``part`` as one or more parts of at most about ``limit`` bytes of XHTML each; only chapters
    are split. The first part is ``part`` itself (same name, same table-of-contents entry); the
    others are named ``<name>-02``, ``<name>-03``… and continue its text."""
    if part.kind != "chapter" or len(etree.tostring(part.element)) + _DOCUMENT_OVERHEAD <= limit:
        return [part]
    section = part.element
    text = next((child for child in section if "chapter-text" in child.get("class", "").split()), None)
    if text is None:
        return [part]
    blocks = list(text)
    sizes = [_size(block) for block in blocks]
    before = sum(_size(child) for child in section if child is not text) + _DOCUMENT_OVERHEAD
    starts = _piece_starts(blocks, sizes, before, limit)
    if len(starts) == 1:
        return [part]

    pieces = [part]
    ends = [*starts[1:], len(blocks)]
    for number, (start, end) in enumerate(zip(starts[1:], ends[1:], strict=True), start=2):
        continued = etree.Element(section.tag, {"class": "chapter chapter-continued"}, nsmap=section.nsmap)
        holder = etree.SubElement(continued, text.tag, {"class": "chapter-text continued"})
        holder.extend(blocks[start:end])  # moves them out of the first piece
        pieces.append(dataclasses.replace(part, name=f"{part.name}-{number:02d}", element=continued))
    # The chapter's end notes close its last piece.
    for child in list(section)[list(section).index(text) + 1 :]:
        continued.append(child)
    return pieces


def _size(element: etree._Element) -> int:
    """The bytes ``element`` takes inside its document. Serialised alone, an element repeats the
    namespace declarations its document makes once; those are not counted."""
    alone = etree.tostring(element)
    declarations = len(etree.tostring(etree.Element(element.tag, nsmap=element.nsmap))) - len(
        f"<{etree.QName(element).localname}/>"
    )
    return len(alone) - declarations


def _piece_starts(
    blocks: list[etree._Element], sizes: list[int], first_overhead: int, limit: int
) -> list[int]:
    """The index of the block that opens each piece (the first is always 0)."""
    total = [0]  # total[i]: the size of blocks[:i]
    for size in sizes:
        total.append(total[-1] + size)
    starts = [0]
    used = first_overhead
    for index, size in enumerate(sizes):
        if used + size > limit and index > starts[-1]:
            cut = _scene_break_between(blocks, total, starts[-1], index, limit) or index
            starts.append(cut)
            used = _DOCUMENT_OVERHEAD + total[index] - total[cut]
        used += size
    return starts


def _scene_break_between(
    blocks: list[etree._Element], total: list[int], start: int, end: int, limit: int
) -> int | None:
    """The last scene break in ``blocks[start + 1:end]`` that leaves the piece before it at least
    half full."""
    for index in range(end - 1, start, -1):
        if total[index] - total[start] < limit // 2:
            return None
        if "scene-break" in blocks[index].get("class", "").split():
            return index
    return None
