"""The printed book as XHTML: what WeasyPrint typesets into the PDF and what ``--html`` writes.

It is the renderer's parts (the same XHTML and ``styles/base.css`` as the EPUB) plus what a printed
book needs: a contents page after the title page, whose page numbers the style sheet fills in
(``target-counter``; a book laid out in groups has them written in, ``pdf_groups``); a running head
for each part; bookmarks (the parts the EPUB's table of contents lists); the document metadata
WeasyPrint writes into the PDF. ``print_stylesheets`` gives the sheets in cascade order:
``base.css``, ``pdf.css`` (pages, running heads, bookmarks), the page size's own sheet
(``page-a5.css``, ...), ``screen.css``, the options' overrides, the user's.

The book is kept as its pieces (``PrintBook``) until a writer asks for a document: the PDF writer
lays a long book out in groups of parts (``pdf_groups``), each its own document. Nothing here
imports WeasyPrint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from converter.document import Work, blocks_text
from converter.write.print_options import PdfOptions
from converter.write.render import XHTML_NS, Part, nested_list, render_work, xhtml_root
from converter.write.reproducible import build_time
from converter.write.stylesheets import stylesheet

#: The longest running head, in characters, at type of this size in points or smaller; a longer
#: title is cut at a word with an ellipsis. Larger type (--font-size) allows proportionally fewer.
RUNNING_HEAD_CHARACTERS = 48
RUNNING_HEAD_TYPE_SIZE = 10.0
#: The longest pair of words, in characters, the title page's title keeps together on its last line
#: at type of RUNNING_HEAD_TYPE_SIZE or smaller, short enough to fit one line of the narrowest page
#: even in capitals; a longer pair may break apart rather than run off the page.
KEEP_TOGETHER_CHARACTERS = 20
#: The deepest bookmark level pdf.css styles; deeper chapters are bookmarked at this level.
MAX_OUTLINE_LEVEL = 6


@dataclass
class PrintBook:
    """The printed book in pieces: its head (title, language, ``<meta>`` pairs) and its body
    elements in reading order, the book's own title page and (for a work of more than one chapter)
    the contents page in ``front``, every later part in ``parts``. Each part opens a page."""

    title: str
    language: str
    metas: tuple[tuple[str, str], ...]
    front: list[etree._Element]
    parts: list[etree._Element]

    def document(self, body: list[etree._Element] | None = None) -> etree._Element:
        """An ``<html>`` document holding ``body`` (default: the whole book) under this book's
        head. The elements move into it: each belongs to one document at a time."""
        if body is None:
            body = [*self.front, *self.parts]
        return xhtml_root(self.title, self.language, body, metas=self.metas)


def print_document(work: Work, options: PdfOptions) -> etree._Element:
    """The whole printed book as one XHTML document (the ``<html>`` element)."""
    return print_book(work, options).document()


def print_book(work: Work, options: PdfOptions) -> PrintBook:
    """The printed book's pieces, laid out for ``options``' type size."""
    created = build_time(work).strftime("%Y-%m-%dT%H:%M:%SZ")
    head_length = _for_type_size(RUNNING_HEAD_CHARACTERS, options)
    return _book(work, created, head_length, _for_type_size(KEEP_TOGETHER_CHARACTERS, options))


def serialise(root: etree._Element) -> str:
    """``root`` as the XHTML text WeasyPrint reads."""
    return etree.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _for_type_size(characters: int, options: PdfOptions) -> int:
    """``characters`` that fit a line at type of RUNNING_HEAD_TYPE_SIZE, made proportionally fewer
    for the larger type of --font-size."""
    if options.font_size and options.font_size > RUNNING_HEAD_TYPE_SIZE:
        return int(characters * RUNNING_HEAD_TYPE_SIZE / options.font_size)
    return characters


def print_stylesheets(options: PdfOptions) -> list[str]:
    """The sheets in cascade order: shared, PDF, page size, the options' overrides, the user's."""
    overrides = []
    # The two options that change a single property are written as one rule each here rather than
    # kept as sheets of their own, since their value comes from the command line.
    if options.font_size:
        overrides.append(f"html {{ font-size: {options.font_size:g}pt; }}")
    if not options.hyphenate:
        overrides.append("body { hyphens: manual; }")
    return [
        stylesheet("base.css"),
        stylesheet("pdf.css"),
        stylesheet(f"page-{options.page_size}.css"),
        stylesheet("screen.css"),  # screen-only rules: nothing in the PDF, a readable --html page
        "\n".join(overrides),
        options.user_css,
    ]


def _book(work: Work, created: str, head_length: int, keep_length: int) -> PrintBook:
    """The whole book's pieces: the parts in reading order, a contents page after the title page,
    and the document metadata WeasyPrint writes into the PDF's information dictionary
    (title, author, subject from the summary, keywords from the tags, dates) and catalogue (lang).

    The book's own title page is marked ``data-work-title`` for pdf.css: its pages carry no running
    head, and its title is the left-hand head of every page after it. (Its class alone would not
    do: a Gutenberg text's "Original Title Page" is front matter of class ``title-page`` too.)"""
    meta = work.meta
    parts = render_work(work)
    chapter_titles = iter(chapter.title for chapter in work.chapters)  # the chapter parts, in order
    for part in parts:
        # The contents page links to each part by its id; pdf.css makes a bookmark of data-outline
        # (only the parts the EPUB's table of contents lists) and a running head of
        # data-running-head (a chapter's own title, "The Long Night", else "Chapter 3", "End Notes").
        element = part.element
        if element.get("id") is None:
            element.set("id", part.name)
        if part.in_contents:
            element.set("data-outline", part.nav_title)
            if part.level:  # a chapter inside a part: a bookmark under the part's (pdf.css)
                element.set("data-outline-level", str(min(part.level + 1, MAX_OUTLINE_LEVEL)))
        own_title = next(chapter_titles) if part.kind == "chapter" else ""
        element.set("data-running-head", _running_head(own_title or part.nav_title, head_length))
    title_page = parts[0].element  # render_work's first part is the title page
    title_page.set("data-work-title", title_page.get("data-running-head", ""))
    _keep_last_words_together(title_page.find(f"{{{XHTML_NS}}}h1"), keep_length)
    front = [title_page]
    if len(work.chapters) > 1:
        front.append(_contents_page(parts))
    metas = [("author", author) for author in meta.authors]
    metas += [("dcterms.created", created), ("dcterms.modified", created), ("generator", "ficexport")]
    if meta.summary:
        metas.append(("description", " ".join(blocks_text(meta.summary).split())))
    keywords = [tag for group in meta.tags for tag in group.values]
    if keywords:
        metas.append(("keywords", ", ".join(keywords)))
    later = [part.element for part in parts[1:]]
    return PrintBook(meta.title or "Untitled", meta.language or "en", tuple(metas), front, later)


def _keep_last_words_together(heading: etree._Element | None, length: int) -> None:
    """Join a title's last two words with a no-break space, so a title that wraps never leaves one
    word alone on its last line ("The Lighthouse Keeper's / Cat", "Blessed/Cursed / Retirement").

    The pair is joined only when what it makes unbreakable is at most ``length`` characters: a longer
    run could be wider than the page and run off its edge. That run starts at the last place the
    first word itself may break, after a slash or a hyphen ("Cursed Retirement" is what joining
    "Blessed/Cursed Retirement" keeps on one line)."""
    if heading is None or len(heading) or not heading.text or " " not in heading.text.strip():
        return
    before, _, last = heading.text.strip().rpartition(" ")
    unbreakable = re.split(r"[/\-‐–—]", before.rpartition(" ")[2])[-1] + " " + last
    if len(unbreakable) <= length:
        heading.text = f"{before}\u00a0{last}"


def _running_head(title: str, length: int) -> str:
    """``title`` cut at a word to at most ``length`` characters, so that it fits a running head's
    one line, an ellipsis marking the cut.

    The style sheet's own ``text-overflow: ellipsis`` cannot do this: WeasyPrint maps the ellipsis
    glyph to all the text it hides, so every "…" set in that font would read back (copied, searched,
    spoken) as the rest of the title. 48 characters fit the narrowest page (6in) with room to spare
    at every page size's own type size (10 pt to 12.5 pt, the head a little smaller); pdf.css clips
    whatever would still be too wide rather than wrap it."""
    if len(title) <= length:
        return title
    cut = title[: length - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.–—-") + "…"


def _contents_page(parts: list[Part]) -> etree._Element:
    """The PDF's contents page: a link to every part the table of contents lists; the style sheet
    adds each one's page number (a printed book needs them, an EPUB's reader makes its own). A
    chapter inside a part is listed in a list inside the part's entry, indented under it."""
    nav = etree.Element(
        f"{{{XHTML_NS}}}nav",
        {"class": "contents", "id": "contents", "role": "doc-toc", "data-running-head": "Contents"},
    )
    heading = etree.SubElement(nav, f"{{{XHTML_NS}}}h2", {"class": "contents-title"})
    heading.text = "Contents"
    listed = [part for part in parts if part.in_contents]
    by_href = {f"#{part.element.get('id')}": part for part in listed}

    def entry(li: etree._Element, label: str, href: str) -> None:
        part = by_href[href]
        opens_part = "part" in part.element.get("class", "").split()
        li.set("class", f"{part.kind} part" if opens_part else part.kind)
        link = etree.SubElement(li, f"{{{XHTML_NS}}}a", {"href": href})
        link.text = label

    entries = etree.SubElement(nav, f"{{{XHTML_NS}}}ol")
    nested_list(entries, [(part.nav_title, href, part.level) for href, part in by_href.items()], entry)
    return nav


def self_contained_html(root: etree._Element, sheets: list[str]) -> str:
    """The document ``root`` as one HTML5 file, with ``sheets`` inline in its head in cascade order
    (``root`` itself is changed into plain HTML on the way).

    It is serialised as HTML5, not XML: browsers and WeasyPrint read it with an HTML parser, which
    takes ``<p/>`` as an unclosed ``<p>``."""
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
