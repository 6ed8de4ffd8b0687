"""The document tree: the one contract between the parser and every output.

Parsers only build these objects and backends only read them; nothing else passes between the stages.
All classes are frozen dataclasses holding tuples, so a ``Work`` can be shared between stages (and
worker processes) without anyone changing it behind another's back. Stages that transform a work
(typography, for one) return a new tree.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from operator import is_
from typing import Any, TypeAlias, TypeVar

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


# --- What each node holds: the one table every walk reads ----------------------------------------


class Holds(enum.Enum):
    """What a field of a node holds, which decides what a walk does with it."""

    TEXT = "text"  # a string the reader reads (a scene break's "oOo")
    LITERAL = "literal"  # no field: the slot's ``field`` is itself the text (a line break is a newline)
    INLINES = "inlines"  # a run of inlines
    BLOCKS = "blocks"  # a sequence of blocks
    PART = "part"  # one node of the work's own structure (its metadata)
    PARTS = "parts"  # a sequence of them (chapters, front and back matter)


@dataclass(frozen=True)
class Slot:
    """One field of a node that holds what a reader reads, and how it reads as plain text."""

    field: str
    holds: Holds
    #: For runs or blocks nested in tuples (a line group's lines, a list's items, a table's rows of
    #: cells), the separator between the items of each level, outermost first. Its length is how
    #: many tuples wrap the runs, which is all a walk needs to reach them.
    joins: tuple[str, ...] = ()


_RUN = (Slot("children", Holds.INLINES),)

#: Every node class and its slots in reading order. This is the one place that says where a node
#: keeps its children and its text: the walks below (``map_runs``, ``map_inlines``, ``iter_blocks``,
#: ``iter_inlines``, ``block_text``) read only this table, so a new node class needs one entry here
#: and no stage grows another ``isinstance`` chain. Fields left out are not read as text (a link's
#: URL, a list's typed numbers, a heading's level). A chapter's title and label and a work's title
#: are strings the stages that show them handle themselves (typography smartens titles only).
CONTENT: dict[type, tuple[Slot, ...]] = {
    Text: (Slot("text", Holds.TEXT),),
    Emphasis: _RUN,
    Strong: _RUN,
    Underline: _RUN,
    Strikethrough: _RUN,
    Superscript: _RUN,
    Subscript: _RUN,
    Link: _RUN,
    LineBreak: (Slot("\n", Holds.LITERAL),),
    Paragraph: (Slot("inlines", Holds.INLINES),),
    SceneBreak: (Slot("marker", Holds.TEXT),),
    ListBlock: (Slot("items", Holds.BLOCKS, ("\n",)),),
    BlockQuote: (Slot("blocks", Holds.BLOCKS),),
    Heading: (Slot("inlines", Holds.INLINES),),
    LineGroup: (Slot("lines", Holds.INLINES, ("\n",)),),
    Table: (Slot("rows", Holds.INLINES, ("\n", " ")),),
    # The marker's word comes first, as in "[Illustration: caption]".
    Illustration: (Slot("label", Holds.TEXT), Slot("caption", Holds.INLINES)),
    Metadata: (Slot("summary", Holds.BLOCKS),),
    Chapter: tuple(Slot(name, Holds.BLOCKS) for name in ("summary", "notes", "body", "end_notes")),
    Matter: (Slot("blocks", Holds.BLOCKS),),
    # The order the book shows them in: title page (summary, notes), front matter, chapters, ….
    Work: (
        Slot("meta", Holds.PART),
        Slot("notes", Holds.BLOCKS),
        Slot("front_matter", Holds.PARTS),
        Slot("chapters", Holds.PARTS),
        Slot("end_notes", Holds.BLOCKS),
        Slot("back_matter", Holds.PARTS),
    ),
}

Node: TypeAlias = Inline | Block | Metadata | Chapter | Matter | Work
NodeT = TypeVar("NodeT", bound=Node)
Run: TypeAlias = tuple[Inline, ...]


@dataclass(frozen=True)
class _Plan:
    """How to walk one node class, worked out once from ``CONTENT`` and the class's fields."""

    #: Each slot as (position among the class's fields, field name, what it holds, tuples deep).
    slots: tuple[tuple[int, str, Holds, int], ...]
    names: tuple[str, ...]  # every field, in the order the class takes them
    #: The slots that hold blocks and those that hold inlines, as (field name, tuples deep): what
    #: the iterators look at, found once rather than for every paragraph of a long work.
    blocks: tuple[tuple[str, int], ...]
    inlines: tuple[tuple[str, int], ...]

    def values(self, node: Any) -> list[Any]:
        """All of ``node``'s field values, in order: a changed copy is the class called on them,
        which costs half what ``dataclasses.replace`` does (and copying ``vars(node)`` would make
        each node keep a dict of its own)."""
        return [getattr(node, name) for name in self.names]


def _plan(cls: type) -> _Plan:
    """The plan for ``cls``, from its entry in ``CONTENT`` and the order of its fields."""
    names = tuple(item.name for item in fields(cls))
    slots = tuple(
        (names.index(slot.field), slot.field, slot.holds, len(slot.joins))
        for slot in CONTENT[cls]
        if slot.holds is not Holds.LITERAL
    )
    blocks = tuple((name, depth) for _, name, holds, depth in slots if holds is Holds.BLOCKS)
    inlines = tuple((name, depth) for _, name, holds, depth in slots if holds is Holds.INLINES)
    return _Plan(slots, names, blocks, inlines)


_PLANS = {cls: _plan(cls) for cls in CONTENT}


# --- Walking the tree -----------------------------------------------------------------------------


def map_runs(tree: NodeT, change: Callable[[Run], Run]) -> NodeT:
    """``tree`` with every run of inlines passed through ``change``: pandoc's ``walk`` for the
    typeset stage. A run is a sequence that a block holds directly (a paragraph's inlines, one line
    of verse, a table cell, a caption), so ``change`` sees a sentence whole, marks and all, and can
    carry what it needs from one word to the next. A node none of whose runs changed is returned
    as it was (the same object), which saves a million-word work most of its copying."""

    def sequence(holds: Holds, value: Any) -> Any:
        if holds is Holds.INLINES:
            return change(value)
        if holds is Holds.PART:
            return _map_fields(value, _HOLD_RUNS, sequence)
        return _same_or(value, tuple([_map_fields(node, _HOLD_RUNS, sequence) for node in value]))

    return _map_fields(tree, _HOLD_RUNS, sequence)


def map_inlines(run: Run, visit: Callable[[Inline], Inline | None]) -> Run:
    """``run`` with each inline, in reading order, replaced by what ``visit`` returns for it.

    ``visit`` returns the node to put in its place, whose own children are then left alone (a link
    kept as written), or ``None`` to keep the node and visit its children in turn (a mark around
    words to change). Returns ``run`` itself when nothing changed."""
    return _same_or(run, tuple([_visit_inline(node, visit) for node in run]))


def iter_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every block in reading order, each before the blocks inside it (a quote, then its paragraphs)."""
    for block in blocks:
        yield block
        for name, depth in _PLANS[type(block)].blocks:
            for inner in _sequences(getattr(block, name), depth):
                yield from iter_blocks(inner)


def iter_runs(blocks: Iterable[Block]) -> Iterator[Run]:
    """Every run of inlines that ``blocks`` hold, at any depth, in reading order."""
    for block in iter_blocks(blocks):
        for name, depth in _PLANS[type(block)].inlines:
            yield from _sequences(getattr(block, name), depth)


def iter_inlines(run: Iterable[Inline]) -> Iterator[Inline]:
    """Every inline of ``run`` in reading order, each before those inside it (a mark, then its words)."""
    for node in run:
        yield node
        for name, _ in _PLANS[type(node)].inlines:
            yield from iter_inlines(getattr(node, name))


#: The slots ``map_runs`` goes into: everything that leads to a run of inlines.
_HOLD_RUNS = (Holds.INLINES, Holds.BLOCKS, Holds.PART, Holds.PARTS)
_HOLD_INLINES = (Holds.INLINES,)
#: Changes the value of one slot; given what the slot holds, and the value at its innermost depth.
_SlotMapper: TypeAlias = Callable[[Holds, Any], Any]


def _map_fields(node: NodeT, kinds: tuple[Holds, ...], mapper: _SlotMapper) -> NodeT:
    """``node`` with each slot that holds one of ``kinds`` passed through ``mapper``, or ``node``
    itself when nothing changed.

    Written for speed, as every walk runs through it once per node of a million-word work: the
    mappers are plain functions, not closures that refer to each other (a cycle of them made for
    every run is garbage that only the cycle collector frees, and its passes over a large tree cost
    more than the walk), and a changed node is built from its fields by position."""
    plan = _PLANS[type(node)]
    values: list[Any] | None = None
    for index, name, holds, depth in plan.slots:
        if holds in kinds:
            old = getattr(node, name)
            new = mapper(holds, old) if depth == 0 else _map_nested(old, holds, depth, mapper)
            if new is not old:
                values = values or plan.values(node)
                values[index] = new
    return node if values is None else type(node)(*values)


def _visit_inline(node: Inline, visit: Callable[[Inline], Inline | None]) -> Inline:
    """What ``map_inlines`` puts in ``node``'s place."""
    new = visit(node)
    if new is not None:
        return new
    return _map_fields(node, _HOLD_INLINES, lambda _, run: map_inlines(run, visit))


def _map_nested(value: Any, holds: Holds, depth: int, mapper: _SlotMapper) -> Any:
    """``value`` with ``mapper`` applied to each sequence found ``depth`` tuples down."""
    if depth == 0:
        return mapper(holds, value)
    return _same_or(value, tuple([_map_nested(item, holds, depth - 1, mapper) for item in value]))


def _same_or(old: tuple[Any, ...], new: tuple[Any, ...]) -> tuple[Any, ...]:
    """``old`` when ``new`` holds the very same items, else ``new``: unchanged trees stay shared."""
    return old if all(map(is_, old, new)) else new


def _sequences(value: Any, depth: int) -> Iterator[tuple[Any, ...]]:
    """The sequences found ``depth`` tuples down in ``value`` (a list's items, a table's cells)."""
    if depth == 0:
        yield value
    else:
        for item in value:
            yield from _sequences(item, depth - 1)


# --- Reading text back out ------------------------------------------------------------------------


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The characters a reader sees in ``inlines``, without marks (a line break is a newline)."""
    if len(inlines) == 1 and type(inlines[0]) is Text:  # most paragraphs: one run of text
        return inlines[0].text
    return "".join([node.text if type(node) is Text else node_text(node) for node in inlines])


def node_text(node: Inline | Block) -> str:
    """The text of one inline or block: its slots in reading order, a space between two that hold
    text (an illustration's label and caption), blocks and lines separated by newlines."""
    slots = CONTENT[type(node)]
    if len(slots) == 1:  # most nodes: no parts to join
        return _slot_text(node, slots[0])
    parts = [_slot_text(node, slot) for slot in slots]
    return " ".join(part for part in parts if part)


def block_text(block: Block) -> str:
    """The text of one block, blocks and lines separated by newlines."""
    if type(block) is Paragraph:  # most blocks: skip the table
        return plain_text(block.inlines)
    return node_text(block)


def blocks_text(blocks: tuple[Block, ...]) -> str:
    """The text of several blocks, one per line."""
    return "\n".join(block_text(block) for block in blocks)


def _slot_text(node: Inline | Block, slot: Slot) -> str:
    """The text one slot of ``node`` holds."""
    if slot.holds is Holds.LITERAL:
        return slot.field
    return _nested_text(getattr(node, slot.field), slot.holds, slot.joins)


def _nested_text(value: Any, holds: Holds, joins: tuple[str, ...]) -> str:
    """The text of a slot's value, each level of tuples joined by its separator."""
    if joins:
        return joins[0].join(_nested_text(item, holds, joins[1:]) for item in value)
    if holds is Holds.INLINES:
        return plain_text(value)
    if holds is Holds.BLOCKS:
        return blocks_text(value)
    return value
