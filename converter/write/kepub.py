"""Kobo's KEPUB: the EPUB with the markup Kobo's own reading engine expects, as ``.kepub.epub``.

Kobo devices open a file named ``*.kepub.epub`` with their faster engine, which gives page numbers
per chapter, reading statistics and reliable highlights, but only if the text is marked up its way:

- every sentence wrapped in ``<span class="koboSpan" id="kobo.P.S">``, P counting the document's
  paragraphs (``p``, headings, list items, …) from 1 and S the sentences within one; the engine
  keeps reading positions and highlights by these ids;
- the body's content inside ``<div id="book-columns"><div id="book-inner">``, which it paginates;
- the cover marked with the ``cover-image`` property (the EPUB already has it).

The text itself is unchanged: the spans only cut it, they add and drop no character. Everything
else (package, navigation, metadata, cover) is the EPUB's, made by ``epub.write_epub``.
"""

from __future__ import annotations

import re

from lxml import etree

from converter.document import Work
from converter.write.epub import EpubOptions, Flavour, write_epub
from converter.write.render import XHTML_NS

#: Elements that open a new paragraph in Kobo's numbering.
_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "figcaption"})
#: Elements whose content is not running text.
_SKIPPED = frozenset({"script", "style", "svg", "math", "pre"})
# A sentence ends at . ! ? … (and their CJK forms), followed by any closing quotes or brackets,
# then spaces; CJK full stops need no space after them. The spaces stay with the sentence before.
_SENTENCE_END = re.compile(r"[.!?…‽]+[\"'”’»›)\]」』）]*\s+|[。！？]+[”’」』）]*\s*")
#: Kobo's own style hack: no margin on the paginated wrapper.
KOBO_CSS = "div#book-inner { margin-top: 0; margin-bottom: 0; }"


def write_kepub(work: Work, options: EpubOptions | None = None) -> bytes:
    """The complete KEPUB for ``work``: the EPUB with Kobo's markup in every content document."""
    return write_epub(work, options, KOBO)


def sentences(text: str) -> list[str]:
    """``text`` cut after each sentence; joined again, the pieces are ``text`` exactly."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > start and match.end() < len(text):
            pieces.append(text[start : match.end()])
            start = match.end()
    pieces.append(text[start:])
    return [piece for piece in pieces if piece]


def kobo_body(elements: list[etree._Element]) -> list[etree._Element]:
    """A document's body elements inside Kobo's two wrappers, every sentence in a koboSpan."""
    columns = etree.Element(f"{{{XHTML_NS}}}div", {"id": "book-columns"}, nsmap={None: XHTML_NS})
    inner = etree.SubElement(columns, f"{{{XHTML_NS}}}div", {"id": "book-inner"})
    inner.extend(elements)
    _Spanner().element(inner, in_paragraph=False)
    return [columns]


class _Spanner:
    """Walks a body in reading order, numbering paragraphs and sentences as Kobo does."""

    def __init__(self) -> None:
        self.paragraph = 0
        self.sentence = 0

    def element(self, element: etree._Element, in_paragraph: bool) -> etree._Element:
        """Add spans inside ``element``; returns what now stands in its place (itself, or the
        span wrapping it)."""
        name = etree.QName(element).localname
        if name in _SKIPPED:
            return element
        if name in _PARAGRAPHS:
            self._new_paragraph()
            in_paragraph = True
        if name == "img":  # an image is a paragraph of its own, so a reader can stop on it
            self._new_paragraph()
            return self._wrap_element(element)
        children = list(element)
        if element.text:
            spans = self._spans(element.text, element, in_paragraph)
            if spans:
                element.text = None
                for position, span in enumerate(spans):
                    element.insert(position, span)
        for child in children:
            if not isinstance(child.tag, str):  # comments, processing instructions
                continue
            child = self.element(child, in_paragraph)
            if child.tail:
                spans = self._spans(child.tail, element, in_paragraph)
                if spans:
                    child.tail = None
                    index = element.index(child)
                    for offset, span in enumerate(spans, start=1):
                        element.insert(index + offset, span)
        return element

    def _new_paragraph(self) -> None:
        self.paragraph += 1
        self.sentence = 0

    def _spans(self, text: str, parent: etree._Element, in_paragraph: bool) -> list[etree._Element]:
        """One koboSpan per sentence of ``text``; none for the spaces between blocks, so that
        inside a paragraph every character is in a span and outside one there are none."""
        if not text.strip() and not in_paragraph:
            return []
        if not in_paragraph:  # loose text in a div or section counts as a paragraph of its own
            self._new_paragraph()
        spans = []
        for piece in sentences(text):
            span = self._span(parent)
            span.text = piece
            spans.append(span)
        return spans

    def _span(self, parent: etree._Element) -> etree._Element:
        self.sentence += 1
        return parent.makeelement(
            f"{{{XHTML_NS}}}span", {"class": "koboSpan", "id": f"kobo.{self.paragraph}.{self.sentence}"}
        )

    def _wrap_element(self, element: etree._Element) -> etree._Element:
        parent = element.getparent()
        span = self._span(parent)
        tail, element.tail = element.tail, None
        parent.replace(element, span)
        span.tail = tail
        span.append(element)
        return span


#: The KEPUB as a flavour of the EPUB.
KOBO = Flavour(body=kobo_body, css=KOBO_CSS)
