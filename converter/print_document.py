"""The one HTML document a whole book is typeset from as pages: the PDF's input and the ``--html`` file.

Every part of the work (title page, chapters, notes, matter) goes into one ``<body>``, and the style
sheets go inline into its head in cascade order (``base.css``, ``pdf.css``, ``screen.css``, the user's
``--style`` last). The PDF backend hands exactly this text to WeasyPrint; ``--html`` writes exactly
this text to a file. So a reader's browser shows what the PDF was made from, and the benchmark can time
WeasyPrint alone on ficexport's own input (``weasyprint book.html book.pdf``).

It is serialised as HTML5, not XML: WeasyPrint and browsers both read it with an HTML parser, which
takes ``<p/>`` as an unclosed ``<p>`` and ``&gt;`` inside ``<style>`` as two literal characters.
Nothing here imports WeasyPrint, so writing HTML costs no more than writing an EPUB.
"""

from __future__ import annotations

from lxml import etree

from converter.document import Work, blocks_text
from converter.render import render_work, xhtml_root
from converter.reproducible import build_time
from converter.stylesheets import stylesheet

#: The built-in sheets of the paged document, in cascade order (``screen.css`` applies to screens
#: only, so it does not change the PDF).
PRINT_STYLESHEETS = ("base.css", "pdf.css", "screen.css")


def print_document(work: Work, user_css: str = "") -> str:
    """The whole work as one HTML5 document with its style sheets inline."""
    meta = work.meta
    language = meta.language or "en"
    created = build_time(work).strftime("%Y-%m-%dT%H:%M:%SZ")
    metas = [
        ("author", ", ".join(meta.authors)),
        ("dcterms.created", created),
        ("dcterms.modified", created),
        ("generator", "ficexport"),
    ]
    if meta.summary:
        metas.append(("description", " ".join(blocks_text(meta.summary).split())))
    keywords = [tag for group in meta.tags for tag in group.values]
    if keywords:
        metas.append(("keywords", ", ".join(keywords)))
    sheets = [stylesheet(name) for name in PRINT_STYLESHEETS]
    if user_css:
        sheets.append(user_css)
    root = xhtml_root(
        meta.title or "Untitled",
        language,
        [part.element for part in render_work(work)],
        metas=tuple(metas),
        styles=tuple(_style_text(css) for css in sheets),
    )
    _as_html(root)
    return etree.tostring(root, method="html", encoding="unicode", doctype="<!DOCTYPE html>")


def _style_text(css: str) -> str:
    """CSS made safe inside ``<style>``: a ``</style>`` in a user's sheet must not end the element
    (``<\\/`` is the same two characters to a CSS parser)."""
    return css.replace("</", "<\\/")


def _as_html(root: etree._Element) -> None:
    """Turn the renderer's XHTML tree into a plain HTML tree in place: elements without a namespace
    (so lxml's HTML serialiser knows ``<br>`` and ``<meta>`` are void and ``<style>`` is raw text),
    and no namespaced attributes (``epub:type`` means nothing outside an EPUB; ``lang`` already
    stands beside ``xml:lang``)."""
    for element in root.iter():
        element.tag = etree.QName(element).localname
        for name in [name for name in element.attrib if name.startswith("{")]:
            del element.attrib[name]
    etree.cleanup_namespaces(root)
