"""The PDF's document as one self-contained HTML5 file: what ``--html`` writes.

The PDF backend builds one XHTML document of the whole book and a list of style sheets
(``pdf.print_document``); this module puts the sheets inline into the document's head, in cascade
order (``screen.css`` among them: screen-only rules, so the page reads well in a browser without
changing the PDF). So a reader's browser shows what the PDF was made from, and the benchmark can
time WeasyPrint alone on ficexport's own input (``weasyprint book.html book.pdf``).

It is serialised as HTML5, not XML: browsers and WeasyPrint read it with an HTML parser, which takes
``<p/>`` as an unclosed ``<p>``. Nothing here imports WeasyPrint.
"""

from __future__ import annotations

from lxml import etree

from converter.write.render import XHTML_NS


def self_contained_html(xhtml: bytes, sheets: list[str]) -> str:
    """``xhtml`` (a whole document) with ``sheets`` inline in its head, in cascade order."""
    root = etree.fromstring(xhtml)
    head = root.find(f"{{{XHTML_NS}}}head")
    for css in sheets:
        if css:
            style = etree.SubElement(head, f"{{{XHTML_NS}}}style")
            style.text = _style_text(css)
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
        if not isinstance(element.tag, str):
            continue
        element.tag = etree.QName(element).localname
        for name in [name for name in element.attrib if name.startswith("{")]:
            del element.attrib[name]
    etree.cleanup_namespaces(root)
