"""What Archive of Our Own writes about a work, in one place: its field labels, its section headings,
and the small forms inside them ("Part 2 of Name", "Chapter 3: Title", the stats line, the byline).

Two readers meet these words: the text reader (``ao3_page``, a page or a download copied as text) and
the HTML reader (``html.ao3_download``, the file AO3 gives for "Download -> HTML"). AO3 prints the
same words in both, so both look them up here: a label AO3 adds, or a form it changes, is taught to
the project once. Only tables and pure functions over strings live here; where a line or an element
stands is each reader's own business.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from converter.document import SeriesRef, Stats, TagKind

# --- Field labels ---------------------------------------------------------------------------------

#: Every way AO3 labels a tag field, in lower case, with the field it names. A work page picks the
#: singular or the plural by the count ("Character:" over one name, "Characters:" over two), and a
#: download prints the singular everywhere; "Additional Tag" is the singular seen in copies.
TAG_LABELS: Mapping[str, TagKind] = MappingProxyType(
    {
        **{label.lower(): kind for kind in TagKind for label in (kind.value, kind.plural)},
        "additional tag": TagKind.FREEFORM,
    }
)

#: The stats AO3 prints in its "Stats:" field, in its order, in lower case. "Updated" stands on a
#: work in progress and "Completed" on a finished one with several chapters.
STAT_LABELS: tuple[str, ...] = (
    "published",
    "updated",
    "completed",
    "words",
    "chapters",
    "comments",
    "kudos",
    "bookmarks",
    "hits",
)


class FieldKind(enum.Enum):
    """What a field of AO3's metadata block holds, which decides how a reader keeps its value."""

    TAG = "tag"  # a tag field: Rating … Additional Tags
    LANGUAGE = "language"
    SERIES = "series"
    COLLECTIONS = "collections"
    STATS = "stats"  # the "Stats:" field, every stat in its value
    STAT = "stat"  # one stat standing as a field of its own ("Words: 1,234" on its own line)


#: The labels that are not tags, in lower case. "Collection" is the singular a work in one
#: collection shows.
_OTHER_LABELS: Mapping[str, FieldKind] = MappingProxyType(
    {
        "language": FieldKind.LANGUAGE,
        "series": FieldKind.SERIES,
        "collections": FieldKind.COLLECTIONS,
        "collection": FieldKind.COLLECTIONS,
        "stats": FieldKind.STATS,
    }
)

#: Every label of AO3's metadata block, in lower case: tag fields, then the stats, then the rest.
FIELD_LABELS: tuple[str, ...] = (*TAG_LABELS, *STAT_LABELS, *_OTHER_LABELS)


def label_key(label: str) -> str:
    """A label as the tables above hold it: "Characters:" -> "characters". Readers meet labels with
    and without the colon and in any case; the key is what they compare."""
    return label.strip().rstrip(":").strip().lower()


def field_kind(label: str) -> FieldKind | None:
    """The kind of field a label opens, or ``None`` for a label AO3 does not print in its
    metadata block; a reader keeps each kind's value in its own way."""
    key = label_key(label)
    if key in TAG_LABELS:
        return FieldKind.TAG
    if key in STAT_LABELS:
        return FieldKind.STAT
    return _OTHER_LABELS.get(key)


def split_values(text: str) -> list[str]:
    """A field's entries from its text: AO3 separates tags (and collections) with commas, and a tag
    never holds one, so the commas are the boundaries. Empty entries are left out."""
    return [value.strip() for value in text.split(",") if value.strip()]


# --- Series -----------------------------------------------------------------------------------------

# "Part 2 of Name", several of them run together as "Part 1 of One, Part 3 of Other" when a work
# belongs to more than one series: a name ends where the next part begins.
_SERIES_PART = re.compile(
    r"Part\s+(?P<position>\d+)\s+of\s+(?P<name>.+?)\s*(?=,\s*Part\s+\d+\s+of\s|$)", re.IGNORECASE
)


def series_refs(text: str) -> list[SeriesRef]:
    """The series a "Series:" value names ("Part 2 of Name"), in order. The value is AO3's own text
    with any navigation ("← Previous Work", "Next Work →") already taken out by the reader."""
    return [SeriesRef(match["name"].strip(), int(match["position"])) for match in _SERIES_PART.finditer(text)]


# --- Stats ------------------------------------------------------------------------------------------

_STAT = re.compile(r"(?P<label>" + "|".join(STAT_LABELS) + r")\s*:\s*(?P<value>[^\s]+)", re.IGNORECASE)


def parse_stats(text: str, dropped: list[str] | None = None) -> Stats:
    """AO3's stats line ("Published: 2023-05-25 Words: 11,326 Chapters: 2/2 …") as ``Stats``: the
    facts a book records about the work instead of typesetting them. A stat given twice is shown
    once, its repeat recorded in ``dropped`` so that the book still accounts for every word."""
    values: dict[str, str] = {}
    for match in _STAT.finditer(text):
        if match["label"].lower() in values:
            if dropped is not None:
                dropped.append(match.group(0))
        else:
            values[match["label"].lower()] = match["value"]

    def number(key: str) -> int | None:
        # AO3 groups thousands with commas ("11,326"); a locale's copy may use dots.
        digits = values.get(key, "").replace(",", "").replace(".", "")
        return int(digits) if digits.isdigit() else None

    return Stats(
        published=values.get("published"),
        updated=values.get("updated"),
        completed=values.get("completed"),
        words=number("words"),
        chapters=values.get("chapters"),
        comments=number("comments"),
        kudos=number("kudos"),
        bookmarks=number("bookmarks"),
        hits=number("hits"),
    )


# --- Chapter headings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChapterHeading:
    """AO3's heading over a chapter: "Chapter 3: Title", or "Chapter 3" for an untitled one."""

    number: str  # the digits as written
    title: str = ""

    @property
    def label(self) -> str:
        """The numbering as AO3 prints it, which the book keeps apart from the title."""
        return f"Chapter {self.number}"


_CHAPTER_HEADING = re.compile(r"^Chapter\s+(?P<number>\d+)(?:\s*:\s*(?P<title>.*\S))?\s*$")


def chapter_heading(text: str) -> ChapterHeading | None:
    """The heading ``text`` is when it is AO3's "Chapter N[: Title]" form, else ``None``. Only the
    form AO3 prints: whether such a line really opens a chapter is for the reader to confirm."""
    match = _CHAPTER_HEADING.match(text) if text.startswith("Chapter") else None
    if match is None:
        return None
    return ChapterHeading(match["number"], (match["title"] or "").strip())


# --- Bylines and section headings -------------------------------------------------------------------

_BY = re.compile(r"^by\s+", re.IGNORECASE)


def byline_authors(text: str) -> tuple[str, ...]:
    """The names on a byline ("by pseud (user), other" -> both): AO3 prints "by" before the
    creators and commas between them."""
    return tuple(split_values(_BY.sub("", text.strip())))


#: The headings AO3's downloads print over the notes of a work and of its chapters (in the HTML file,
#: the EPUB and the PDF alike), as printed, with the notes each opens. A reader of HTML compares them
#: in lower case; a line of text copied from a download matches one exactly.
NOTE_HEADINGS: Mapping[str, str] = MappingProxyType(
    {
        "Summary": "summary",
        "Notes": "notes",
        "Chapter Summary": "summary",
        "Chapter Notes": "notes",
        "Chapter End Notes": "chapter-end-notes",
        "End Notes": "work-end-notes",
    }
)

#: AO3's headings over the lists after a work; the book's back matter keeps them as titles.
SERIES_HEADING = "Series this work belongs to"
INSPIRED_HEADING = "Works inspired by this one"


# --- Associations -----------------------------------------------------------------------------------

# A line of the preface's associations area: AO3's own wording ("Translation into Русский available:
# Title by someone", "A translation of Title by someone.", "Inspired by Title by Author.", "In response
# to a prompt by someone in the Name collection.") or an author's ("A [podfic] of this work exists:
# …", "Podfic of this work by …", "Translated into 中文 by …"). A bullet may lead it in a copied list.
_RELATED = r"\[?(?:podfic|audiobook|audio version|fanart|fan art|translation|cover art)\]?"
_ASSOCIATION = re.compile(
    r"^(?:[•*\-–]\s+)?(?:"
    r"Translation into \S.{0,60}? available\s*:"
    r"|A translation of\s+\S"
    r"|Translated (?:in)?to\s+\S.{0,60}?\bby\s+\S"
    r"|Inspired by\s+\S.*\bby\s+\S"
    r"|(?:Inspired by|A translation of) a work in an unrevealed collection"
    r"|In response to a prompt by\s+\S"
    rf"|(?:(?:An?|The)\s+)?{_RELATED}\s+(?:version\s+)?(?:of|for) this work\b"
    rf"|(?:(?:An?|The)\s+)?{_RELATED}\s+(?:(?:is|are|now)\s+)*available\b"
    r")",
    re.IGNORECASE,
)
# An association is one line of AO3's list, not a paragraph of prose that opens "Inspired by".
_ASSOCIATION_MAX = 300


def is_association(text: str) -> bool:
    """True for one line of the work's associations ("Inspired by Title by Author."): they are about
    the work, so a reader keeps them with its notes, never as the byline or a chapter's story."""
    text = text.strip()
    return len(text) <= _ASSOCIATION_MAX and "\n" not in text and _ASSOCIATION.match(text) is not None
