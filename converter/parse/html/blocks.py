"""Block HTML -> blocks: paragraphs, breaks, quotes, lists, tables, headings.

``p`` is a ``Paragraph`` (centred when ``align=center``, ``text-align: center`` or ``<center>`` says
so), ``hr`` a ``SceneBreak``, as is a paragraph holding only a scene-break marker (``* * *``, ``oOo``,
see ``scene_break``); ``blockquote`` a ``BlockQuote``; ``ul``/``ol`` a ``ListBlock``; ``h1``-``h6`` a
``Heading``; ``pre`` a ``LineGroup``; ``table`` a ``Table``. ``div``, ``section`` and the like are
only containers. Text standing loose in a container is a paragraph of its own, and two ``<br>`` in a
row split it (pages that use ``<br><br>`` instead of paragraphs). An inline element wrapping blocks
(``<em><p>…</p></em>``) passes its look on to them.

Two kinds of placeholder come out alongside the blocks, for the layout to settle: ``Spacer``, a
paragraph with nothing visible in it (see ``spacers``), and ``ChapterMark``, a heading at the level
the layout splits chapters at.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import TypeAlias

from lxml import etree

from converter.document import (
    Block,
    BlockQuote,
    Heading,
    LineGroup,
    ListBlock,
    Paragraph,
    SceneBreak,
    Table,
    Text,
    plain_text,
)
from converter.parse.html.dom import text_of
from converter.parse.html.inlines import (
    BLOCK_TAGS,
    InlineCollector,
    Look,
    Piece,
    build_inlines,
    settle,
    tag_name,
    text_pieces,
    visible,
)
from converter.parse.scene_break import scene_break_marker

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: The spaces a page indents a paragraph's first line with by hand (``<p>&nbsp;&nbsp;Text``):
#: no-break, ideographic, en, em, figure and narrow no-break spaces, and plain spaces among them.
_HAND_INDENT = " \u00a0\u2002\u2003\u2007\u202f\u3000"
_LISTS = frozenset({"ul", "ol", "menu", "dir"})


@dataclass(frozen=True)
class Spacer:
    """A paragraph with nothing visible in it: ``<p>&nbsp;</p>``, ``<p><br></p>``, an image-only
    paragraph once the image is gone. A scene break or only spacing, decided per document."""


@dataclass(frozen=True)
class ChapterMark:
    """A heading at the level where the layout splits chapters; ``text`` is what it says."""

    text: str


Item: TypeAlias = Block | Spacer | ChapterMark


def blocks_only(items: list[Item]) -> tuple[Block, ...]:
    """The blocks among ``items``: spacers are only spacing here (notes, quotes, list items)."""
    return tuple(item for item in items if not isinstance(item, (Spacer, ChapterMark)))


class BlockReader:
    """Reads containers into items. One reader per document: it numbers the document's marks.
    ``chapter_tags`` names the heading tags that open chapters (none for a layout that knows its
    chapters otherwise)."""

    def __init__(self, chapter_tags: frozenset[str] = frozenset()) -> None:
        self.ids = itertools.count(1)
        self.inlines = InlineCollector(self.ids)
        self.chapter_tags = chapter_tags

    def read(self, container: etree._Element, look: Look | None = None, top: bool = True) -> list[Item]:
        """The items inside ``container``. ``top`` is true for the story's own flow, where spacers
        and chapter headings count; inside a quote, a list or a table they do not."""
        look = look or Look()
        items: list[Item] = []
        loose = text_pieces(container.text, look.marks)
        for child in container:
            tag = tag_name(child)
            if tag in BLOCK_TAGS or (tag and _holds_blocks(child)):
                items.extend(self._loose(loose, look))
                loose = []
                items.extend(self.block(child, look, top))
            elif tag:
                loose.extend(self.inlines.element(child, look))
            loose.extend(text_pieces(child.tail, look.marks))
        items.extend(self._loose(loose, look))
        return items if top else list(blocks_only(items))

    def block(self, element: etree._Element, look: Look, top: bool = True) -> list[Item]:
        """The items of one block-level element (or of an inline element that wraps blocks)."""
        tag = tag_name(element)
        inner = look.enter(element, self.ids)
        if top and tag in self.chapter_tags:
            return [ChapterMark(text_of(element))]
        if tag == "p" and not _holds_blocks(element):
            return [self.paragraph(self.inlines.content(element, inner), inner)]
        if tag in _HEADINGS:
            pieces = settle(self.inlines.content(element, inner))
            return [Heading(int(tag[1]), build_inlines(pieces))] if visible(pieces) else []
        if tag == "hr":
            return [SceneBreak()]
        if tag == "blockquote":
            blocks = blocks_only(self.read(element, inner, top=False))
            return [BlockQuote(blocks)] if blocks else []
        if tag in _LISTS:
            return self.list_block(element, inner)
        if tag == "pre":
            return self.preformatted(element)
        if tag == "table":
            return self.table(element, inner)
        return self.read(element, inner, top)

    def paragraph(self, pieces: list[Piece], look: Look) -> Paragraph | SceneBreak | Spacer:
        """One paragraph's pieces as a paragraph, a scene-break marker, or a spacer."""
        settled = settle(pieces)
        if not visible(settled):
            return Spacer()
        inlines = build_inlines(_without_hand_indent(settled))
        if all(piece.kind == "text" for piece in settled):
            marker = scene_break_marker(plain_text(inlines))
            if marker is not None:
                return SceneBreak(marker)
        return Paragraph(inlines, centered=look.centered)

    def list_block(self, element: etree._Element, look: Look) -> list[Item]:
        """A list's items; text or blocks standing between items join the item before them (the
        first item, when they come before any)."""
        items: list[tuple[Block, ...]] = []
        lead = blocks_only([self.paragraph(text_pieces(element.text, look.marks), look)])
        if lead:
            items.append(lead)
        for child in element:
            tag = tag_name(child)
            if tag == "li":
                items.append(blocks_only(self.read(child, look.enter(child, self.ids), top=False)))
            elif tag in BLOCK_TAGS or (tag and _holds_blocks(child)):
                # A list nested straight inside a list (no <li> around it) belongs to the item before.
                self._join_last(items, blocks_only(self.block(child, look, top=False)))
            elif tag:
                self._join_last(items, blocks_only([self.paragraph(self.inlines.element(child, look), look)]))
            self._join_last(items, blocks_only([self.paragraph(text_pieces(child.tail, look.marks), look)]))
        items = [item for item in items if item]
        if not items:
            return []
        start = (element.get("start") or "").strip()
        return [ListBlock(tag_name(element) == "ol", tuple(items), int(start) if start.isdigit() else 1)]

    @staticmethod
    def _join_last(items: list[tuple[Block, ...]], blocks: tuple[Block, ...]) -> None:
        if blocks and items:
            items[-1] += blocks
        elif blocks:
            items.append(blocks)

    def preformatted(self, element: etree._Element) -> list[Item]:
        """``<pre>`` keeps its lines as lines."""
        lines = "".join(element.itertext()).split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines:
            return []
        return [LineGroup(tuple((Text(line),) if line.strip() else () for line in lines))]

    def table(self, element: etree._Element, look: Look) -> list[Item]:
        """A table's rows of cells; leading rows of ``th`` only are its header. A caption is a
        centred paragraph before it."""
        items: list[Item] = []
        for caption in element.iterchildren("caption"):
            items.append(self.paragraph(self.inlines.content(caption, look), Look(look.marks, True)))
        # Text inside the table but outside every cell: a browser shows it before the table.
        items.append(self.paragraph(_outside_cells(element, look), look))
        rows: list[tuple[tuple, ...]] = []
        header_rows = 0
        for row in element.iter("tr"):
            if next(row.iterancestors("table")) is not element:
                continue  # a nested table's rows are read as its cell's text
            cells = [cell for cell in row if tag_name(cell) in ("td", "th")]
            inlines = tuple(
                build_inlines(settle(self.inlines.content(cell, look.enter(cell, self.ids))))
                for cell in cells
            )
            if not any(inlines):
                continue
            if header_rows == len(rows) and all(tag_name(cell) == "th" for cell in cells):
                header_rows += 1
            rows.append(inlines)
        if rows:
            items.append(Table(tuple(rows), header_rows))
        return [item for item in items if not isinstance(item, Spacer)]

    def _loose(self, pieces: list[Piece], look: Look) -> list[Item]:
        """Text standing loose in a container: paragraphs split at two or more ``<br>`` in a row;
        three or more leave a spacer as well (a blank line on a page made of line breaks)."""
        items: list[Item] = []
        for segment, breaks_after in _split_at_break_runs(pieces):
            if any(piece.kind == "text" and piece.text.strip(" ") for piece in segment):
                items.append(self.paragraph(segment, look))
            if breaks_after >= 3:
                items.append(Spacer())
        return items


def _without_hand_indent(pieces: list[Piece]) -> list[Piece]:
    """A paragraph's settled pieces less the spaces its first line opens with. The style sheet
    indents a paragraph itself (or sets it as a block): kept, a hand-typed indent would add to that
    indent, twice the width, or indent a paragraph that should start flush. The text reader drops
    a line's leading spaces the same way."""
    out = list(pieces)
    while out:
        text = out[0].text.lstrip(_HAND_INDENT) if out[0].kind == "text" else ""
        if text:
            out[0] = replace(out[0], text=text)
            break
        out.pop(0)  # a run of indent alone, or a line break it leaves at the paragraph's start
    return out


def _split_at_break_runs(pieces: list[Piece]) -> list[tuple[list[Piece], int]]:
    """Cut a run of pieces where two or more line breaks follow each other (blank text between
    them does not count); each segment comes with the number of breaks after it."""
    segments: list[tuple[list[Piece], int]] = []
    current: list[Piece] = []
    pending: list[Piece] = []
    breaks = 0
    for piece in pieces:
        blank = piece.kind != "break" and not piece.text.strip(" \t\n\r\f")
        if piece.kind == "break" or (breaks and blank):
            breaks += piece.kind == "break"
            pending.append(piece)
            continue
        if breaks >= 2:
            segments.append((current, breaks))
            current = []
        else:
            current.extend(pending)
        pending, breaks = [], 0
        current.append(piece)
    segments.append((current, breaks))
    return segments


def _outside_cells(table: etree._Element, look: Look) -> list[Piece]:
    """The text of a table's own structure (``table``, ``tbody``, ``tr``…) that stands outside its
    cells and captions, in reading order, each run apart from the next."""
    pieces: list[Piece] = []

    def visit(part: etree._Element) -> None:
        pieces.extend([*text_pieces(part.text, look.marks), Piece(" ", look.marks)])
        for child in part:
            if tag_name(child) in ("thead", "tbody", "tfoot", "tr"):
                visit(child)
            pieces.extend([*text_pieces(child.tail, look.marks), Piece(" ", look.marks)])

    visit(table)
    return pieces


def _holds_blocks(element: etree._Element) -> bool:
    """True when an element (an ``em``, a ``span``) has block-level elements inside it."""
    return any(tag_name(descendant) in BLOCK_TAGS for descendant in element.iterdescendants())
