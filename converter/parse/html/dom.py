"""HTML text -> a safe lxml tree: the page's text and structure, none of its machinery.

lxml's HTML parser (libxml2) reads whatever a browser or an archive saved, closing what the author
left open. Before any layout looks at the tree, everything that is not text for a reader is cut out
with its content: scripts, styles, frames, embedded objects, forms' controls and every image (an
ebook made here carries no remote pictures, and a picture carries no words). Event-handler
attributes (``onclick``, ``onerror``) are removed too, although no attribute is ever copied to an
output. Nothing is fetched: the parser is told not to use the network, and no URL is ever opened.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from converter.characters import xml_safe
from converter.errors import InputError
from converter.parse.html.inlines import BLOCK_TAGS

#: Elements dropped with everything inside them: code, presentation, embedded content, controls.
UNSAFE_ELEMENTS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "param",
    "svg",
    "math",
    "canvas",
    "img",
    "picture",
    "source",
    "audio",
    "video",
    "track",
    "map",
    "area",
    "input",
    "button",
    "select",
    "textarea",
    "link",
    "base",
)
# A str handed to lxml may not carry an XML encoding declaration: the text is decoded already.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# huge_tree: libxml2 otherwise stops reading at depth 256, and a page of unclosed <font> tags
# (old HTML has thousands) would silently lose every word after that point.
_PARSER = lxml_html.HTMLParser(
    remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=True
)
#: Nesting deeper than this is an artefact of unclosed tags, not structure: below it, elements are
#: flattened into their text (blocks leaving line breaks), so the readers' walks stay shallow.
MAX_DEPTH = 200


def load_document(text: str) -> lxml_html.HtmlElement:
    """Parse ``text`` as HTML and strip it down to text and structure; ``<html>`` is returned."""
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        root = lxml_html.document_fromstring(text, parser=_PARSER)
    except etree.ParserError:
        raise InputError(None, "the HTML holds no elements at all", "check that it is a web page") from None
    etree.strip_elements(root, *UNSAFE_ELEMENTS, with_tail=False)
    for element in root.iter():
        for name in [name for name in element.attrib if name.lower().startswith("on")]:
            del element.attrib[name]
        _make_xml_safe(element)
    for element in _at_depth(root, MAX_DEPTH):
        _flatten(element)
    return root


def _make_xml_safe(element: etree._Element) -> None:
    """Clean what character references (``&#1;``, ``&#xD800;``) put past the text's own cleaning:
    the parser decodes them into characters XML cannot hold."""
    if element.text and (text := xml_safe(element.text)) != element.text:
        element.text = text
    if element.tail and (tail := xml_safe(element.tail)) != element.tail:
        element.tail = tail
    for name, value in element.attrib.items():
        if (cleaned := xml_safe(value)) != value:
            element.attrib[name] = cleaned


def _at_depth(root: etree._Element, depth: int) -> list[etree._Element]:
    """The elements exactly ``depth`` levels below ``root`` (found without recursion)."""
    found = []
    stack = [(root, 0)]
    while stack:
        element, level = stack.pop()
        if level == depth:
            found.append(element)
        else:
            stack.extend((child, level + 1) for child in element if isinstance(child.tag, str))
    return found


def _flatten(element: etree._Element) -> None:
    """Strip every tag below ``element``, keeping all text; two line breaks stand where each block
    began, so paragraphs stay apart."""
    tags = set()
    for descendant in element.iterdescendants():
        if not isinstance(descendant.tag, str):
            continue
        tags.add(descendant.tag)
        if descendant.tag in BLOCK_TAGS:
            descendant.addprevious(etree.Element("br"))
            descendant.addprevious(etree.Element("br"))
            descendant.tail = "\n" + (descendant.tail or "")
    etree.strip_tags(element, *(tags - {"br"}))


def has_class(element: etree._Element, name: str) -> bool:
    """True when ``element``'s ``class`` attribute lists ``name``."""
    return name in (element.get("class") or "").split()


def text_of(element: etree._Element) -> str:
    """The element's visible text with white space collapsed (as a browser shows it)."""
    return " ".join("".join(element.itertext()).split())
