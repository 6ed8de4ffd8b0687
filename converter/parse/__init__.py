"""Parse stage: text -> ``Work``. Pure functions: a string in, a document tree out, no I/O.

Each layout is a function ``(lines) -> Work | None`` that returns ``None`` when the text is not in
its layout. ``LAYOUTS`` lists them in the order they are tried; the generic layout is last and
accepts everything, so every text parses.
"""

from __future__ import annotations

import dataclasses
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
    fallback_title: str = ""  # used when the text names no title (the file's name)

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
            return _apply_options(work, options)
    raise AssertionError("the generic layout accepts every text")


def parse_html(text: str, options: ParseOptions | None = None) -> Work:
    """Parse a whole HTML document (an AO3 download, any web page) into a ``Work``."""
    from converter.parse.html import read_html  # imported here: a plain-text run never needs it

    return _apply_options(read_html(xml_safe(text)), options or ParseOptions())


def _apply_options(work: Work, options: ParseOptions) -> Work:
    meta: Metadata = work.meta
    # A language the user names that is no BCP 47 tag is not trusted into the book (the CLI
    # refuses it before this): the text's own or the detected one is used instead.
    language = language_tag(options.language) if options.language else None
    meta = dataclasses.replace(
        meta,
        title=options.title or meta.title or options.fallback_title,
        authors=options.authors or meta.authors,
        language=language or meta.language or detect_language(_story_text(work)),
    )
    return dataclasses.replace(work, meta=meta)


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
