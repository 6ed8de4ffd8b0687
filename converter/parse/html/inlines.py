"""Inline HTML -> inline nodes: the marks a reader sees, and white space as a browser shows it.

Elements and ``style`` declarations map onto the tree's marks:

- ``em`` ``i`` ``cite`` ``dfn`` ``var``, ``font-style: italic`` -> ``Emphasis``
- ``strong`` ``b``, ``font-weight: bold`` (or 600-900) -> ``Strong``
- ``u`` ``ins``, ``text-decoration: underline`` -> ``Underline``
- ``s`` ``del`` ``strike``, ``text-decoration: line-through`` -> ``Strikethrough``
- ``sup`` ``sub``, ``vertical-align: super|sub`` -> ``Superscript`` / ``Subscript``
- ``a href`` with an http(s) or mailto address -> ``Link`` (anything else stays text); ``br`` ->
  ``LineBreak``; every other inline element only passes its text through.

Emphasis inside emphasis toggles back to roman, as AO3 shows it and as typesetters set it: ``<em>a
<em>b</em> c</em>`` is italic a, roman b, italic c. A stray second ``<em>`` that wraps a whole chapter
therefore cannot italicise the rest of the book (FanFicFare's known bug with such AO3 chapters).

The walk yields a flat run of *pieces* (text with the stack of marks over it); white space is settled
on that run and the nested nodes are rebuilt from it, each source element one node. White space that
is only the source's indentation (a run holding a newline between two tags) follows CSS's rules
for segment breaks: none between two CJK characters, and none before closing punctuation or after
opening punctuation, so AO3's pretty-printed ``<em>libation</em>\\n  <span>, Martin`` reads
"libation, Martin" rather than "libation , Martin".
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from lxml import etree

from converter.document import (
    Emphasis,
    Inline,
    LineBreak,
    Link,
    Strikethrough,
    Strong,
    Subscript,
    Superscript,
    Text,
    Underline,
)
from converter.parse.lines import joins_without_space

#: Elements that start a block of their own; inside a run of inlines they end a line.
# fmt: off
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# fmt: on
_ITALIC_TAGS = frozenset({"em", "i", "cite", "dfn", "var"})
_TAG_MARKS = {
    "strong": "strong",
    "b": "strong",
    "u": "underline",
    "ins": "underline",
    "s": "strike",
    "del": "strike",
    "strike": "strike",
    "sup": "sup",
    "sub": "sub",
}
_NODES = {
    "em": Emphasis,
    "strong": Strong,
    "underline": Underline,
    "strike": Strikethrough,
    "sup": Superscript,
    "sub": Subscript,
}
_LINKABLE = ("http", "https", "mailto")
# HTML's white space (not the no-break space, which is a character the author typed).
_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")
_HTML_SPACE = " \t\n\r\f"
# Punctuation that hugs the word before it, and the word after it.
_CLOSING = set(",.;:!?)]}»›’”…、，。；：！？）】》」』")
_OPENING = set("([{«‹‘“（【《「『")
_DECLARATION = re.compile(r"\s*([a-z-]+)\s*:\s*([^;]+)")


def tag_name(element: etree._Element) -> str:
    """The element's lower-case tag name ("" for comments and the like)."""
    return element.tag.lower() if isinstance(element.tag, str) else ""


def is_block(element: etree._Element) -> bool:
    """True for an element that starts a block of its own."""
    return tag_name(element) in BLOCK_TAGS


@dataclass(frozen=True)
class Mark:
    """One source element (or styled span) that changes how the text inside it looks.
    ``ident`` tells two neighbouring ``<em>`` apart, so each stays its own node."""

    kind: str  # em, strong, underline, strike, sup, sub, link
    ident: int
    url: str = ""


@dataclass(frozen=True)
class Look:
    """What the ancestors of a point in the tree say about its look: the marks over it and, for
    blocks, whether they are centred."""

    marks: tuple[Mark, ...] = ()
    centered: bool = False

    def has(self, kind: str) -> bool:
        return any(mark.kind == kind for mark in self.marks)

    def enter(self, element: etree._Element, ids: itertools.count) -> Look:
        """The look inside ``element``: its tag first, then its ``align`` and ``style``."""
        look = self
        tag = tag_name(element)
        if tag in _ITALIC_TAGS:
            look = look._without("em") if look.has("em") else look._with("em", ids)
        elif tag in _TAG_MARKS:
            look = look._with(_TAG_MARKS[tag], ids)
        elif tag == "a":
            url = (element.get("href") or "").strip()
            if urlsplit(url).scheme.lower() in _LINKABLE and not look.has("link"):
                look = replace(look, marks=(*look.marks, Mark("link", next(ids), url)))
        elif tag == "center":
            look = replace(look, centered=True)
        align = (element.get("align") or "").strip().lower()
        if align:
            look = replace(look, centered=align == "center")
        for name, value in _DECLARATION.findall((element.get("style") or "").lower()):
            look = look._styled(name, value.strip(), ids)
        return look

    def _with(self, kind: str, ids: itertools.count) -> Look:
        if self.has(kind):  # <strong> inside <strong> is just as bold
            return self
        return replace(self, marks=(*self.marks, Mark(kind, next(ids))))

    def _without(self, kind: str) -> Look:
        return replace(self, marks=tuple(mark for mark in self.marks if mark.kind != kind))

    def _styled(self, name: str, value: str, ids: itertools.count) -> Look:
        if name == "font-style":
            return self._with("em", ids) if value in ("italic", "oblique") else self._without("em")
        if name == "font-weight":
            bold = value in ("bold", "bolder") or (value.isdigit() and int(value) >= 600)
            return self._with("strong", ids) if bold else self._without("strong")
        if name in ("text-decoration", "text-decoration-line"):
            look = self
            if "underline" in value:
                look = look._with("underline", ids)
            if "line-through" in value:
                look = look._with("strike", ids)
            return look
        if name == "vertical-align" and value in ("super", "sub"):
            return self._with(value, ids)
        if name == "text-align":
            return replace(self, centered=value == "center")
        return self


@dataclass(frozen=True)
class Piece:
    """A stretch of a block's content with the marks over it. ``kind`` is ``text``, ``soft`` (white
    space that is only the source's indentation) or ``break`` (a ``<br>``)."""

    text: str
    marks: tuple[Mark, ...]
    kind: str = "text"


def text_pieces(text: str | None, marks: tuple[Mark, ...]) -> list[Piece]:
    """The pieces of one text node: collapsed white space, or a soft piece for indentation."""
    if not text:
        return []
    if not text.strip(_HTML_SPACE):
        return [Piece(" ", marks, "soft" if "\n" in text else "text")]
    return [Piece(_SPACE_RUN.sub(" ", text), marks)]


class InlineCollector:
    """Walks inline content into pieces; ``ids`` numbers the marks of one document."""

    def __init__(self, ids: itertools.count) -> None:
        self.ids = ids

    def content(self, element: etree._Element, look: Look) -> list[Piece]:
        """The pieces inside ``element`` (its text and children, not its tail), seen with ``look``."""
        pieces = text_pieces(element.text, look.marks)
        for child in element:
            pieces.extend(self.element(child, look))
            pieces.extend(text_pieces(child.tail, look.marks))
        return pieces

    def element(self, element: etree._Element, look: Look) -> list[Piece]:
        """The pieces of ``element`` itself, without its tail."""
        tag = tag_name(element)
        if not tag:
            return []
        if tag == "br":
            return [Piece("", look.marks, "break")]
        inner = self.content(element, look.enter(element, self.ids))
        if tag in BLOCK_TAGS:  # a block inside a run of text (a paragraph in a table cell) is a line
            return [Piece("", look.marks, "break"), *inner, Piece("", look.marks, "break")]
        return inner


def settle(pieces: list[Piece]) -> list[Piece]:
    """Settle white space over a block's pieces as a browser would: soft pieces resolved, spaces
    collapsed across element boundaries, none at the block's edges or around a line break."""
    out: list[Piece] = []
    for index, piece in enumerate(pieces):
        if piece.kind == "soft":
            if _soft_space_vanishes(out, pieces, index):
                continue
            piece = replace(piece, kind="text")
        if piece.kind == "break":
            _strip_trailing_space(out)
            out.append(piece)
            continue
        text = piece.text
        if text.startswith(" ") and (not out or out[-1].kind == "break" or out[-1].text.endswith(" ")):
            text = text[1:]
        if text:
            out.append(replace(piece, text=text))
    _strip_trailing_space(out)
    while out and out[0].kind == "break":
        out.pop(0)
    while out and out[-1].kind == "break":
        out.pop()
    return _tidy_marks(out)


def _soft_space_vanishes(out: list[Piece], pieces: list[Piece], index: int) -> bool:
    before = out[-1].text[-1:] if out and out[-1].kind == "text" else ""
    after = ""
    for following in pieces[index + 1 :]:
        if following.kind == "break":
            break
        if following.kind == "text" and following.text.strip(_HTML_SPACE):
            after = following.text.lstrip(_HTML_SPACE)[:1]
            break
    if not before or not after or before == " ":
        return True
    if after in _CLOSING or before in _OPENING:
        return True
    return joins_without_space(before, after)


def _strip_trailing_space(out: list[Piece]) -> None:
    while out and out[-1].kind == "text" and out[-1].text.endswith(" "):
        text = out[-1].text.rstrip(" ")
        if text:
            out[-1] = replace(out[-1], text=text)
            return
        out.pop()


def _tidy_marks(pieces: list[Piece]) -> list[Piece]:
    """Marks over nothing visible are dropped (an ``<em>&nbsp;</em>`` is no emphasis); a line break
    keeps only the marks it shares with both neighbours; equal neighbours merge."""
    tidy: list[Piece] = []
    for index, piece in enumerate(pieces):
        if (piece.kind == "text" and not piece.text.strip()) or piece.kind == "break":
            piece = replace(piece, marks=_common(_marks_at(pieces, index - 1), _marks_at(pieces, index + 1)))
        if tidy and piece.kind == "text" and tidy[-1].kind == "text" and tidy[-1].marks == piece.marks:
            tidy[-1] = replace(tidy[-1], text=tidy[-1].text + piece.text)
        else:
            tidy.append(piece)
    return tidy


def _marks_at(pieces: list[Piece], index: int) -> tuple[Mark, ...]:
    return pieces[index].marks if 0 <= index < len(pieces) else ()


def _common(first: tuple[Mark, ...], second: tuple[Mark, ...]) -> tuple[Mark, ...]:
    """The marks two stacks share from the outside in."""
    shared = 0
    while shared < min(len(first), len(second)) and first[shared] == second[shared]:
        shared += 1
    return first[:shared]


def build_inlines(pieces: list[Piece], depth: int = 0) -> tuple[Inline, ...]:
    """Rebuild nested nodes from settled pieces: consecutive pieces under the same mark (the same
    source element) become one node."""
    nodes: list[Inline] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if len(piece.marks) <= depth:
            nodes.append(LineBreak() if piece.kind == "break" else Text(piece.text))
            index += 1
            continue
        mark = piece.marks[depth]
        end = index
        while end < len(pieces) and len(pieces[end].marks) > depth and pieces[end].marks[depth] == mark:
            end += 1
        children = build_inlines(pieces[index:end], depth + 1)
        nodes.append(Link(mark.url, children) if mark.kind == "link" else _NODES[mark.kind](children))
        index = end
    return tuple(nodes)


def visible(pieces: list[Piece]) -> bool:
    """True when the pieces hold a character a reader sees (not only spaces and no-break spaces)."""
    return any(
        piece.kind == "text" and piece.text.strip().strip("\u200b\u200c\u200d\u2060\ufeff")
        for piece in pieces
    )
