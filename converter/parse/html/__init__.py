"""HTML reader: the text of a web page or an archive's HTML download -> ``Work``.

A second reader beside the text parser, producing the same document tree, so every backend and
option works unchanged. Pure: a string in, a tree out; nothing is fetched. The page is parsed with
lxml's HTML parser and stripped to text and structure (``dom``); then the layouts in
``HTML_LAYOUTS`` are tried in order, AO3's download first, the generic reading last (it accepts
every page). Formatting maps onto the tree in ``inlines`` and ``blocks``; blank paragraphs are
settled in ``spacers``.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from converter.document import Work, blocks_text
from converter.errors import InputError
from converter.parse.html.ao3_download import read_ao3_download
from converter.parse.html.dom import load_document
from converter.parse.html.generic import read_generic_html

HtmlLayout = Callable[[etree._Element], "Work | None"]

#: HTML layouts in the order they are tried; each returns ``None`` for a page not in its layout.
HTML_LAYOUTS: tuple[tuple[str, HtmlLayout], ...] = (
    ("ao3-download", read_ao3_download),
    ("generic", read_generic_html),
)


def read_html(text: str) -> Work:
    """Read a whole HTML document into a ``Work``; ``InputError`` when it holds no text at all."""
    root = load_document(text)
    for _name, layout in HTML_LAYOUTS:
        work = layout(root)
        if work is not None:
            break
    else:
        raise AssertionError("the generic HTML layout accepts every page")
    texts = [work.notes, work.end_notes, work.meta.summary, *(chapter.body for chapter in work.chapters)]
    if not any(blocks_text(blocks).strip() for blocks in texts):
        raise InputError(
            None, "the page holds no text to read", "open it in a browser to check it is the work"
        )
    return work
