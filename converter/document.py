"""The document tree: the one contract between the parser and every output.

Parsers only build these objects and backends only read them; nothing else passes between the stages.
All classes are frozen dataclasses holding tuples, so a ``Work`` can be shared between stages (and
worker processes) without anyone changing it behind another's back. Stages that transform a work
(typography, for one) return a new tree.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TypeAlias

# --- Inlines --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A run of plain characters."""

    text: str


@dataclass(frozen=True)
class Emphasis:
    """Stressed text, usually set in italics (``*word*``, ``_word_``, ``<em>``)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    """Strongly stressed text, usually bold (``**word**``, ``<strong>``)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Underline:
    """Underlined text (``<u>`` in an HTML source)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strikethrough:
    """Struck-out text (``<s>``, ``<del>``)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Superscript:
    """Raised text (``<sup>``)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Subscript:
    """Lowered text (``<sub>``)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A hyperlink; ``children`` is what the reader sees, ``url`` where it points."""

    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class LineBreak:
    """A forced line break inside a paragraph."""


Inline: TypeAlias = (
    Text | Emphasis | Strong | Underline | Strikethrough | Superscript | Subscript | Link | LineBreak
)
#: Inline containers that hold ``children`` and only change how they look.
MARKS = (Emphasis, Strong, Underline, Strikethrough, Superscript, Subscript)

# --- Blocks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text."""

    inlines: tuple[Inline, ...]
    centered: bool = False


@dataclass(frozen=True)
class SceneBreak:
    """A break between scenes. ``marker`` keeps the author's own marker when it holds words
    ("oOo", "xXx") so no word is lost; a marker made only of symbols is replaced by the ornament."""

    marker: str = ""


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list; each item is a tuple of blocks.

    ``markers`` keeps a numbered list's numbers as the author typed them ("1.", "2)", "10."), so they
    read as written even when they skip or repeat; a bulleted list needs none."""

    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1
    markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class BlockQuote:
    """Quoted or set-apart material (a letter, an epigraph, an e-mail)."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Heading:
    """A heading inside a chapter's body (a Markdown ``##`` under the chapter heading)."""

    level: int
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class LineGroup:
    """Lines that must stay lines: verse, lyrics, a text-message exchange, an address."""

    lines: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class Table:
    """A simple table from an HTML source: rows of cells, each cell a run of inlines (a cell's
    paragraphs joined by line breaks). The first ``header_rows`` rows are headings. No spans, no
    nested tables: a story's table is a timetable or a chat log, not a layout grid."""

    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    header_rows: int = 0


@dataclass(frozen=True)
class Illustration:
    """A picture the text only names ("[Illustration: caption]"): its caption stands in for it."""

    caption: tuple[Inline, ...]
    label: str = "Illustration"  # the marker's word as written ("Illustration", "ILLUSTRATION")


Block: TypeAlias = (
    Paragraph | SceneBreak | ListBlock | BlockQuote | Heading | LineGroup | Table | Illustration
)

# --- The work -------------------------------------------------------------------------------------


class TagKind(enum.Enum):
    """AO3's tag fields, in the order AO3 shows them; the value is the singular label."""

    RATING = "Rating"
    WARNING = "Archive Warning"
    CATEGORY = "Category"
    FANDOM = "Fandom"
    RELATIONSHIP = "Relationship"
    CHARACTER = "Character"
    FREEFORM = "Additional Tags"

    @property
    def plural(self) -> str:
        """The label AO3 uses when the field holds several tags."""
        return {
            TagKind.RATING: "Ratings",
            TagKind.WARNING: "Archive Warnings",
            TagKind.CATEGORY: "Categories",
            TagKind.FANDOM: "Fandoms",
            TagKind.RELATIONSHIP: "Relationships",
            TagKind.CHARACTER: "Characters",
            TagKind.FREEFORM: "Additional Tags",
        }[self]


@dataclass(frozen=True)
class TagGroup:
    """The tags of one field, in the author's order. A field the text names with no tags (a copy
    that lost its links) is left out of a parsed work, its label kept as furniture; a work page's
    label as written is kept, since the archive already chose singular or plural by the count."""

    kind: TagKind
    values: tuple[str, ...]
    written_label: str = ""  # the label as the source wrote it ("Characters")

    @property
    def label(self) -> str:
        """The label as the source wrote it, else AO3's: plural for several tags."""
        if self.written_label:
            return self.written_label
        return self.kind.plural if len(self.values) > 1 else self.kind.value


@dataclass(frozen=True)
class SeriesRef:
    """Membership in a series: "Part 2 of Name"."""

    name: str
    position: int | None = None


@dataclass(frozen=True)
class Stats:
    """AO3's stats line: facts about the work, never typeset as story text.

    Dates are ISO strings (``YYYY-MM-DD``) as AO3 writes them; ``chapters`` is kept as written
    ("3/?") because the unknown total matters to a reader."""

    published: str | None = None
    updated: str | None = None
    completed: str | None = None
    words: int | None = None
    chapters: str | None = None
    comments: int | None = None
    kudos: int | None = None
    bookmarks: int | None = None
    hits: int | None = None


@dataclass(frozen=True)
class Metadata:
    """What is known about a work beyond its text."""

    title: str = ""
    authors: tuple[str, ...] = ()
    language: str | None = None  # BCP 47, e.g. "en"
    summary: tuple[Block, ...] = ()
    tags: tuple[TagGroup, ...] = ()  # AO3 order
    series: tuple[SeriesRef, ...] = ()
    collections: tuple[str, ...] = ()
    stats: Stats = field(default_factory=Stats)
    source_url: str | None = None
    publisher: str | None = None
    #: Dates the text states outside AO3's stats (Project Gutenberg's "Release date" and "Most
    #: recently updated"), ISO and only as precise as written ("1998-06" for "June, 1998").
    released: str | None = None
    revised: str | None = None
    #: The input file's modification time (whole seconds since the epoch), set by the pipeline, not
    #: the parser: the book's date when the text states none (see ``reproducible.build_time``).
    file_time: int | None = None
    #: Facts the source states that have no field of their own (FanFicFare's "Status: Complete"),
    #: as (label, value) pairs in the source's order; shown on the title page.
    other: tuple[tuple[str, str], ...] = ()

    def tag_values(self, kind: TagKind) -> tuple[str, ...]:
        """All tags of one field (empty when the work has none)."""
        return next((group.values for group in self.tags if group.kind is kind), ())


@dataclass(frozen=True)
class Chapter:
    """One chapter. ``number`` counts from 1 in reading order.

    ``label`` is the heading's numbering as the source wrote it ("Chapter 3", "CHAPTER III.",
    "Prologue"), kept so no word of the heading is lost; ``title`` is the name after it ("Part 1").
    Either may be empty: a one-shot has neither."""

    number: int
    title: str = ""
    label: str = ""
    summary: tuple[Block, ...] = ()
    notes: tuple[Block, ...] = ()
    body: tuple[Block, ...] = ()
    end_notes: tuple[Block, ...] = ()
    #: Depth in the table of contents: 0 for a top-level unit, 1 for a chapter inside a ``BOOK I``
    #: or ``ACT I`` heading before it (and so on). A part heading is a chapter of its own, often
    #: with an empty body, followed by its deeper chapters.
    level: int = 0
    #: Where the heading stood in the input (1-based line of the text after decoding, ``None``
    #: when the source has no lines, as HTML), and why the parser took it for a heading: shown by
    #: ``--outline`` so a wrong split can be traced to its evidence.
    heading_line: int | None = None
    evidence: tuple[str, ...] = ()
    #: The label as the table of contents shows it, when the series writes it otherwise here: one
    #: "CHAPTER II" among "CHAPTER"s for a heading typed "Chapter II" (the heading keeps its words).
    contents_label: str = ""

    @property
    def display_title(self) -> str:
        """The heading a reader sees in a table of contents ("Chapter 3: Title"); may be empty."""
        label = self.contents_label or self.label
        if label and self.title:
            return f"{label}: {self.title}"
        return label or self.title


class MatterKind(enum.Enum):
    """What a piece of front or back matter is, so backends can label and place it."""

    PREFACE = "preface"  # a book's own preface or foreword, before the story
    DISCLAIMER = "disclaimer"
    SOURCE_HEADER = "source-header"  # e.g. Project Gutenberg's header
    SOURCE_LICENSE = "source-license"  # e.g. Project Gutenberg's licence
    SERIES = "series"  # AO3's "Series this work belongs to"
    INSPIRED = "inspired"  # AO3's "Works inspired by this one"
    CONTENTS = "contents"  # a book's own table of contents or list of illustrations, kept as written
    TITLE_PAGE = "title-page"  # a book's own title page (title, byline, edition lines)
    OTHER = "other"


@dataclass(frozen=True)
class Matter:
    """Front or back matter that is not story: kept, placed and labelled, never mixed into a chapter."""

    kind: MatterKind
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Work:
    """A whole work: what a parser produces and every backend consumes."""

    meta: Metadata
    chapters: tuple[Chapter, ...]
    notes: tuple[Block, ...] = ()  # the work's beginning notes
    end_notes: tuple[Block, ...] = ()  # the work's end notes
    front_matter: tuple[Matter, ...] = ()
    back_matter: tuple[Matter, ...] = ()
    #: The lines the layout dropped as page furniture ("Actions", "Chapter Text", a table of
    #: contents the book replaces), as written: never shown, kept so that "nothing lost" can be
    #: checked exactly (input words = the book's words + these).
    furniture: tuple[str, ...] = ()


# --- Reading text back out ------------------------------------------------------------------------


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The characters a reader sees in ``inlines``, without marks (a line break is a newline)."""
    if len(inlines) == 1 and type(inlines[0]) is Text:  # most paragraphs: one run of text
        return inlines[0].text
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, LineBreak):
            parts.append("\n")
        elif isinstance(node, Text):
            parts.append(node.text)
        else:
            parts.append(plain_text(node.children))
    return "".join(parts)


def block_text(block: Block) -> str:
    """The text of one block, blocks and lines separated by newlines."""
    if isinstance(block, (Paragraph, Heading)):
        return plain_text(block.inlines)
    if isinstance(block, SceneBreak):
        return block.marker
    if isinstance(block, LineGroup):
        return "\n".join(plain_text(line) for line in block.lines)
    if isinstance(block, BlockQuote):
        return blocks_text(block.blocks)
    if isinstance(block, Table):
        return "\n".join(" ".join(plain_text(cell) for cell in row) for row in block.rows)
    if isinstance(block, Illustration):
        return " ".join(part for part in (block.label, plain_text(block.caption)) if part)
    return "\n".join(blocks_text(item) for item in block.items)


def blocks_text(blocks: tuple[Block, ...]) -> str:
    """The text of several blocks, one per line."""
    return "\n".join(block_text(block) for block in blocks)
