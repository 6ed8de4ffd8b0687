"""Parse stage: text -> ``Work``. Pure functions: a string in, a document tree out, no I/O.

Each layout is a function ``(lines) -> Work | None`` that returns ``None`` when the text is not in
its layout. ``LAYOUTS`` lists them in the order they are tried; the generic layout is last and
accepts everything, so every text parses.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from converter.characters import xml_safe
from converter.document import Metadata, Work, blocks_text
from converter.languages import SAMPLE_CHARS, detect_language, language_tag
from converter.parse.ao3_page import parse_ao3_page
from converter.parse.fanficfare import parse_fanficfare
from converter.parse.flattened import parse_flattened
from converter.parse.generic import parse_generic
from converter.parse.gutenberg import parse_gutenberg

Layout = Callable[[list[str]], "Work | None"]

#: Layouts in the order they are tried. Archive layouts first: each looks for its own furniture and
#: says no quickly; the generic layout takes whatever is left.
LAYOUTS: tuple[tuple[str, Layout], ...] = (
    # FanFicFare before AO3: its "Rating: K+" / "Category:" lines would pass for AO3's fields.
    ("fanficfare", parse_fanficfare),
    ("ao3", parse_ao3_page),
    ("gutenberg", parse_gutenberg),
    ("flattened", parse_flattened),
    ("generic", parse_generic),
)


@dataclass(frozen=True)
class ParseOptions:
    """What the user tells the parser that the text cannot: overrides and fallbacks."""

    title: str | None = None  # --title: wins over the text's own
    authors: tuple[str, ...] = ()  # --author: wins over the text's own
    language: str | None = None  # --language: wins over the text's own
    fallback_title: str = ""  # used when the text names no title (the file's name, made readable)

    def __post_init__(self) -> None:
        # These come from the command line and file names: they may hold control codes or the
        # lone surrogates of undecodable bytes, which the text itself is cleaned of below.
        object.__setattr__(self, "title", xml_safe(self.title) if self.title is not None else None)
        object.__setattr__(self, "authors", tuple(xml_safe(author) for author in self.authors))
        object.__setattr__(self, "language", xml_safe(self.language) if self.language is not None else None)
        object.__setattr__(self, "fallback_title", xml_safe(self.fallback_title))


def parse(text: str, options: ParseOptions | None = None) -> Work:
    """Parse a whole text (``\\n`` line ends) into a ``Work``."""
    options = options or ParseOptions()
    lines = xml_safe(text).split("\n")
    for _name, layout in LAYOUTS:
        work = layout(lines)
        if work is not None:
            return _apply_options(_without_empty_tags(work), options)
    raise AssertionError("the generic layout accepts every text")


def parse_html(text: str, options: ParseOptions | None = None) -> Work:
    """Parse a whole HTML document (an AO3 download, any web page) into a ``Work``."""
    from converter.parse.html import read_html  # imported here: a plain-text run never needs it

    return _apply_options(_without_empty_tags(read_html(xml_safe(text))), options or ParseOptions())


def _apply_options(work: Work, options: ParseOptions) -> Work:
    meta: Metadata = work.meta
    # A language the user names that is no BCP 47 tag is not trusted into the book (the CLI
    # refuses it before this): the text's own or the detected one is used instead.
    language = language_tag(options.language) if options.language else None
    meta = dataclasses.replace(
        meta,
        title=options.title or meta.title or readable_title(options.fallback_title),
        authors=options.authors or meta.authors,
        language=language or meta.language or detect_language(_story_text(work)),
    )
    return dataclasses.replace(work, meta=meta)


def _without_empty_tags(work: Work) -> Work:
    """``work`` without the tag fields that hold no tags. A page copy that lost its links keeps
    the labels ("Rating:", "Characters:") with nothing after them; a label alone says nothing about
    the work, so no title page or outline shows it. The labels are kept as furniture, so the book
    still accounts for every word of the input."""
    empty = tuple(group.label for group in work.meta.tags if not group.values)
    if not empty:
        return work
    meta = dataclasses.replace(work.meta, tags=tuple(group for group in work.meta.tags if group.values))
    return dataclasses.replace(work, meta=meta, furniture=work.furniture + empty)


#: File-format words that a file's name may end in ("story_utf8", "pg1342-crlf"): what the file
#: is, not what the work is called. Only these, only at the end.
_FILE_FURNITURE = re.compile(
    r"(?:[\s_.-]+(?:crlf|lf|utf-?8|utf-?16(?:le|be)?|cp\d{3,4}|latin-?1|ascii|bom|txt|html?))+$",
    re.IGNORECASE,
)
#: A dot between words ("story.final"), not in initials ("A.Z.") or numbers ("v1.2").
_WORD_DOT = re.compile(r"(?<=[^\W\d_]{2})\.(?=[^\W\d_])")
#: Underscores and hyphens between words; a hyphen between digits stays ("2024-01-05").
_SEPARATORS = re.compile(r"_+|(?<!\d)-+|-+(?!\d)")
#: Words a title in lower case keeps in lower case, except as its first or last word.
_MINOR_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on", "or"}
    | {"per", "the", "to", "via", "vs", "with"}
)


def readable_title(stem: str) -> str:
    """A title a reader can read, made from a file's name when the text names none.

    ``my_fic-title_v2`` reads ``My Fic Title V2``: underscores (and, in a name with no spaces,
    hyphens and dots between words) become spaces, and trailing file-format words (``crlf``,
    ``utf8``) go, unless the name is nothing else. A name typed all in lower case gets capitals,
    but not on small words like "and" between its first word and its last; a name with a capital
    anywhere keeps its case as typed ("iPhone_story"), and scripts without case (CJK) are left as
    they are. A name already spaced keeps its hyphens and dots ("Spider-Man fic"). Output files
    keep the input's own name: this is only the title."""
    name = _FILE_FURNITURE.sub("", stem)
    if _FILE_FURNITURE.fullmatch(f"_{name}"):  # a name made only of such words is all there is
        name = stem
    spaced = " " in name.strip()
    name = name.replace("_", " ") if spaced else _SEPARATORS.sub(" ", _WORD_DOT.sub(" ", name))
    words = name.split()
    if not words:
        return stem.strip()
    if any(character.isupper() for character in name):
        return " ".join(words)
    last = len(words) - 1
    return " ".join(
        word if 0 < number < last and word in _MINOR_WORDS else word[:1].upper() + word[1:]
        for number, word in enumerate(words)
    )


def _story_text(work: Work) -> str:
    """The story's text from its beginning, chapter by chapter, as far as the language detector
    reads (a long work's whole text would take longer to gather than to detect)."""
    texts: list[str] = []
    length = 0
    for chapter in work.chapters:
        texts.append(blocks_text(chapter.body))
        length += len(texts[-1]) + 1
        if length >= SAMPLE_CHARS:
            break
    return "\n".join(texts)
