"""Render stage: ``Work`` -> XHTML parts (lxml elements), the one markup both backends use.

The EPUB packs each part as its own document; the PDF joins them into one. Class names written here
are the vocabulary ``styles/`` selects on (``title-page``, ``tags``, ``summary``, ``notes``,
``work-notes``, ``chapter-notes``, ``end-notes``, ``chapter``, ``chapter-title`` (also
``work-title`` when a one-shot's text opens under the work's title), ``scene-break``,
``line-group``, ``illustration``, and ``part`` for a part's title page: a ``BOOK I`` heading with
no text of its own, whose chapters follow it one level deeper in the table of contents). Every note
sits inside an element whose class says it is a note, so a reader and a style sheet can tell an
author's note from the story.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from lxml import etree

from converter.document import (
    Block,
    BlockQuote,
    Chapter,
    Emphasis,
    Heading,
    Illustration,
    Inline,
    LineBreak,
    LineGroup,
    Link,
    ListBlock,
    Matter,
    Metadata,
    Paragraph,
    SceneBreak,
    Strikethrough,
    Strong,
    Subscript,
    Superscript,
    Table,
    Text,
    Underline,
    Work,
)
from converter.languages import language_name

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_EPUB_TYPE = f"{{{EPUB_NS}}}type"
#: The ornament shown for a scene break whose marker holds no words.
SCENE_BREAK_ORNAMENT = "* * *"
_SAFE_LINK_SCHEMES = ("http", "https", "mailto")
# A run this long with no place to break a line (a keyboard smash, a pasted hash, a text whose
# spaces a broken export lost) cannot fit on any line, and a typesetter hunting for a hyphenation
# point in it takes time and memory that grow faster than the square of its length, so that one
# such run can stall a PDF for as long as its reader cares to wait. A soft hyphen every
# ``_BREAK_EVERY`` characters gives every line breaker a place to break; it is shown only where a
# line does break, and words keep their letters. Spaces, hyphens, dashes, soft hyphens, zero-width
# spaces and CJK characters are break opportunities already, so a run is made of anything else.
_BREAK_EVERY = 40


@dataclass(frozen=True)
class Part:
    """One document of the book: the title page, a chapter, the end notes, a piece of matter.

    ``name`` is an ASCII file stem (``chapter-003``); ``nav_title`` is its table-of-contents entry;
    ``kind`` says what it is (``title-page``, ``front``, ``chapter``, ``end-notes``, ``back``);
    ``element`` is its ``<section>``; ``level`` its depth in the table of contents (0 at the top,
    1 for a chapter inside a ``BOOK I`` part before it, ...), already made to nest (see
    ``contents_levels``): front and back matter are always 0."""

    name: str
    nav_title: str
    kind: str
    element: etree._Element
    level: int = 0

    @property
    def in_contents(self) -> bool:
        """Whether a table of contents lists this part: every part but the title page, which
        opens the book."""
        return self.kind != "title-page"


_TAGS: dict[str, str] = {}  # "p" -> "{http://www.w3.org/1999/xhtml}p", made once per tag
_NSMAP = {None: XHTML_NS, "epub": EPUB_NS}


def _name(tag: str) -> str:
    """The namespaced name of an XHTML tag."""
    name = _TAGS.get(tag)
    if name is None:
        name = _TAGS[tag] = f"{{{XHTML_NS}}}{tag}"
    return name


_P = _name("p")


def _el(tag: str, parent: etree._Element | None = None, text: str = "", **attrs: str):
    """Make an XHTML element (``class_`` for ``class``), optionally appended to ``parent``.

    Strings are written as they are: every string in the tree was made XML-safe where it entered
    it (``characters.xml_safe``)."""
    attributes = {key.rstrip("_").replace("_", "-"): value for key, value in attrs.items()} if attrs else None
    element = (
        etree.SubElement(parent, _name(tag), attributes)
        if parent is not None
        else etree.Element(_name(tag), attributes, nsmap=_NSMAP)
    )
    if text:
        element.text = text
    return element


def breakable(text: str, mark: str = "\u00ad") -> str:
    """``text`` with ``mark`` (a soft hyphen) every ``_BREAK_EVERY`` characters of any run too long
    for a line."""
    if _spaced(text) or _unbreakable_run().search(text) is None:
        return text

    def split(match: re.Match[str]) -> str:
        run = match.group()
        return mark.join(run[i : i + _BREAK_EVERY] for i in range(0, len(run), _BREAK_EVERY))

    return _unbreakable_run().sub(split, text)


@cache
def _unbreakable_run() -> re.Pattern[str]:
    """A run of characters with no break opportunity, longer than a line: compiled on first use
    (its character ranges take milliseconds to compile, and almost no text needs it)."""
    return re.compile(
        "[^\\s\u00ad\u200b\\-\u2010-\u2014\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]{81,}"
    )


def _spaced(text: str, width: int = 80) -> bool:
    """Whether every ``width + 1`` characters of ``text`` hold a space, so that it holds no run
    too long for a line (almost every paragraph does). It jumps from space to space, looking at a
    few characters per line of text where the search for a run looks at every one."""
    start, end = 0, len(text)
    while end - start > width:
        space = text.rfind(" ", start, start + width + 1)
        if space < 0:
            return False
        start = space + 1
    return True


def _append_text(element: etree._Element, text: str) -> None:
    """Append text after the last child of ``element`` (lxml keeps it in the child's tail)."""
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


class Renderer:
    """Turns tree nodes into XHTML elements: one method per node type, dispatched by class."""

    def __init__(self) -> None:
        self._blocks = {
            Paragraph: self.paragraph,
            SceneBreak: self.scene_break,
            ListBlock: self.list_block,
            BlockQuote: self.block_quote,
            Heading: self.heading,
            LineGroup: self.line_group,
            Table: self.table,
            Illustration: self.illustration,
        }
        self._marks = {
            Emphasis: "em",
            Strong: "strong",
            Underline: "u",
            Strikethrough: "s",
            Superscript: "sup",
            Subscript: "sub",
        }

    # --- blocks -----------------------------------------------------------------------------------

    def blocks(self, parent: etree._Element, blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            self._blocks[type(block)](parent, block)

    def paragraph(self, parent: etree._Element, block: Paragraph) -> None:
        p = _el("p", parent, class_="center") if block.centered else etree.SubElement(parent, _P)
        inlines = block.inlines
        if len(inlines) == 1 and type(inlines[0]) is Text:  # most paragraphs: one run of text
            p.text = breakable(inlines[0].text)
        else:
            self.inlines(p, inlines)

    def scene_break(self, parent: etree._Element, block: SceneBreak) -> None:
        _el("p", parent, block.marker or SCENE_BREAK_ORNAMENT, class_="scene-break", role="separator")

    def list_block(self, parent: etree._Element, block: ListBlock) -> None:
        if not block.ordered:
            container = _el("ul", parent)
            for item in block.items:
                self.blocks(_el("li", container), item)
            return
        # The author's own numbers are shown as text (the list's numbering is switched off in the
        # style sheet), so "1." "3." reads as typed and survives copy and search.
        attrs = {"start": str(block.start)} if block.start != 1 else {}
        container = _el("ol", parent, class_="numbered", **attrs)
        for number, item in enumerate(block.items):
            li = _el("li", container)
            marker = block.markers[number] if number < len(block.markers) else f"{block.start + number}."
            _el("span", li, marker, class_="list-marker")
            _append_text(li, " ")
            holder = _el("div", li, class_="list-item")
            self.blocks(holder, item)

    def block_quote(self, parent: etree._Element, block: BlockQuote) -> None:
        self.blocks(_el("blockquote", parent), block.blocks)

    def heading(self, parent: etree._Element, block: Heading) -> None:
        # Level 1 and 2 belong to the book and the chapter titles; body headings sit below them.
        self.inlines(_el(f"h{min(block.level + 2, 6)}", parent), block.inlines)

    def line_group(self, parent: etree._Element, block: LineGroup) -> None:
        p = _el("p", parent, class_="line-group")
        for number, line in enumerate(block.lines):
            if number:
                _el("br", p)
            self.inlines(p, line)

    def table(self, parent: etree._Element, block: Table) -> None:
        table = _el("table", parent, class_="simple")
        sections = (
            ("thead", "th", block.rows[: block.header_rows]),
            ("tbody", "td", block.rows[block.header_rows :]),
        )
        for section_tag, cell_tag, rows in sections:
            if not rows:
                continue
            section = _el(section_tag, table)
            for row in rows:
                tr = _el("tr", section)
                for cell in row:
                    self.inlines(_el(cell_tag, tr), cell)

    def illustration(self, parent: etree._Element, block: Illustration) -> None:
        # No image exists: the caption stands for the picture, in a figure that holds nothing else
        # (a screen reader announces a figure and reads its caption), led by the source's own word
        # ("Illustration") on a line of its own, so a reader knows a picture stood here.
        caption = _el("figcaption", _el("figure", parent, class_="illustration"))
        _el("span", caption, block.label, class_="illustration-label")
        if block.caption:
            _el("br", caption)
            self.inlines(caption, block.caption)

    # --- inlines ----------------------------------------------------------------------------------

    def inlines(self, parent: etree._Element, inlines: tuple[Inline, ...], in_link: bool = False) -> None:
        for node in inlines:
            if isinstance(node, Text):
                # A link's text is usually its URL, which a hyphen would misquote where the line
                # breaks: a long one breaks at zero-width spaces instead (its href is untouched).
                _append_text(parent, breakable(node.text, "\u200b" if in_link else "\u00ad"))
            elif isinstance(node, LineBreak):
                _el("br", parent)
            elif isinstance(node, Link):
                if urlsplit(node.url).scheme.lower() in _SAFE_LINK_SCHEMES:
                    self.inlines(_el("a", parent, href=node.url), node.children, True)
                else:  # javascript:, file: and the like stay visible text, never a link
                    self.inlines(parent, node.children, in_link)
            else:
                self.inlines(_el(self._marks[type(node)], parent), node.children, in_link)

    # --- larger pieces ----------------------------------------------------------------------------

    def labelled(
        self,
        parent: etree._Element | None,
        heading: str,
        classes: str,
        blocks: tuple[Block, ...],
        level: int = 3,
    ) -> etree._Element | None:
        """A section of ``blocks`` under a heading (a summary, notes); nothing when empty."""
        if not blocks:
            return None
        box = _el("section", parent, class_=classes)
        _el(f"h{level}", box, heading, class_="section-heading")
        self.blocks(box, blocks)
        return box


def render_work(work: Work) -> list[Part]:
    """All parts of a work in reading order."""
    renderer = Renderer()
    parts = [_title_page(renderer, work)]
    for number, matter in enumerate(work.front_matter, start=1):
        parts.append(_matter(renderer, matter, f"front-{number:02d}", "front"))
    single = len(work.chapters) == 1
    levels = contents_levels(work.chapters)
    for index, chapter in enumerate(work.chapters):
        # A part's heading ("BOOK I") with no text of its own, its chapters after it: a page of its own.
        opens_part = not chapter.body and index + 1 < len(levels) and levels[index + 1] > levels[index]
        parts.append(_chapter(renderer, chapter, work.meta.title, single, levels[index], opens_part))
    if work.end_notes:
        section = renderer.labelled(
            None, "End Notes", "notes end-notes work-end-notes", work.end_notes, level=2
        )
        assert section is not None
        section.set("data-bookmark", "End Notes")
        parts.append(Part("end-notes", "End Notes", "end-notes", section))
    for number, matter in enumerate(work.back_matter, start=1):
        parts.append(_matter(renderer, matter, f"back-{number:02d}", "back"))
    return parts


def contents_levels(chapters: tuple[Chapter, ...]) -> list[int]:
    """Each chapter's depth in the table of contents, made to nest: a chapter sits one deeper than
    the nearest chapter before it of a lower ``level`` (its part), or at the top when there is none.
    So a jump (0, then 2) nests one deeper, never two, and a first chapter is always at the top."""
    depths: list[int] = []
    open_parts: list[tuple[int, int]] = []  # (level, depth) of the parts the next chapter may be in
    for chapter in chapters:
        while open_parts and open_parts[-1][0] >= chapter.level:
            open_parts.pop()
        depth = open_parts[-1][1] + 1 if open_parts else 0
        open_parts.append((chapter.level, depth))
        depths.append(depth)
    return depths


def _title_page(renderer: Renderer, work: Work) -> Part:
    meta = work.meta
    section = _el("section", class_="title-page")
    section.set(_EPUB_TYPE, "titlepage")
    _el("h1", section, meta.title or "Untitled", class_="title")
    if meta.authors:
        byline = _el("p", section, "by ", class_="byline")
        _el("span", byline, ", ".join(meta.authors), class_="author")
    if meta.source_url:
        _source_line(section, meta.source_url)
    _tags(section, meta)
    renderer.labelled(section, "Summary", "summary", meta.summary, level=2)
    renderer.labelled(section, "Notes", "notes work-notes", work.notes, level=2)
    section.set("data-bookmark", meta.title or "Title Page")
    return Part("title-page", meta.title or "Title Page", "title-page", section)


def _tags(parent: etree._Element, meta: Metadata) -> None:
    """The work's facts as AO3 shows them: tag fields, language, series, collections, stats. Every
    tag field holds a tag: the parser leaves out a label that stood alone in the source."""
    rows: list[tuple[str, list[str], str]] = [
        (group.label, list(group.values), group.kind.name.lower()) for group in meta.tags
    ]
    if meta.language:
        rows.append(("Language", [language_name(meta.language)], "language"))
    for ref in meta.series:
        position = f"Part {ref.position} of " if ref.position else ""
        rows.append(("Series", [f"{position}{ref.name}"], "series"))
    if meta.collections:
        rows.append(("Collections", list(meta.collections), "collections"))  # AO3's label, always
    stats = _stats_line(meta)
    if stats:
        rows.append(("Stats", [stats], "stats"))
    if meta.publisher:
        rows.append(("Publisher", [meta.publisher], "publisher"))
    rows.extend((label, [value], "other") for label, value in meta.other)
    if not rows:
        return
    dl = _el("dl", parent, class_="tags")
    for label, values, kind in rows:
        _el("dt", dl, label, class_=kind)
        dd = _el("dd", dl, class_=kind)
        for number, value in enumerate(values):
            if number:
                _append_text(dd, ", ")
            _el("span", dd, value, class_="tag")


def _source_line(parent: etree._Element, url: str) -> None:
    """Where the work was posted, as AO3's downloads say it, with the address as a link."""
    host = (urlsplit(url).hostname or "").lower()
    on_ao3 = host == "archiveofourown.org" or host.endswith(".archiveofourown.org")
    line = _el("p", parent, class_="source")
    _append_text(line, "Posted originally on the Archive of Our Own at " if on_ao3 else "Source: ")
    if urlsplit(url).scheme.lower() in _SAFE_LINK_SCHEMES:
        _el("a", line, url, href=url)
    else:
        _append_text(line, url)
    if on_ao3:
        _append_text(line, ".")


def _stats_line(meta: Metadata) -> str:
    stats = meta.stats
    fields = (
        ("Published", stats.published),
        ("Updated", stats.updated),
        ("Completed", stats.completed),
        ("Words", _number(stats.words)),
        ("Chapters", stats.chapters),
        ("Comments", _number(stats.comments)),
        ("Kudos", _number(stats.kudos)),
        ("Bookmarks", _number(stats.bookmarks)),
        ("Hits", _number(stats.hits)),
    )
    return " · ".join(f"{label}: {value}" for label, value in fields if value)


def _number(value: int | None) -> str | None:
    return f"{value:,}" if value is not None else None


def _chapter(
    renderer: Renderer,
    chapter: Chapter,
    work_title: str,
    single: bool,
    level: int = 0,
    opens_part: bool = False,
) -> Part:
    """A chapter's section; one that ``opens_part`` (a "BOOK I" heading with no text, its chapters
    after it) is a part's title page: its heading alone (and its notes, if any), no text block."""
    if opens_part:
        section = _el("section", class_="chapter part", id=f"chapter-{chapter.number:03d}")
        section.set(_EPUB_TYPE, "part")
        section.set("role", "doc-part")
    else:
        section = _el("section", class_="chapter", id=f"chapter-{chapter.number:03d}")
        section.set(_EPUB_TYPE, "chapter")
        section.set("role", "doc-chapter")
    if chapter.label or chapter.title:
        heading = _el("h2", section, class_="chapter-title")
        if chapter.label:
            _el("span", heading, chapter.label, class_="chapter-label")
        if chapter.label and chapter.title:
            _append_text(heading, " ")
        if chapter.title:
            _el("span", heading, chapter.title, class_="chapter-name")
    elif single and work_title:
        # A one-shot's text has no heading of its own: it opens under the work's title, as AO3's
        # downloads show it, not straight after the title page's tags and notes.
        heading = _el("h2", section, class_="chapter-title work-title")
        _el("span", heading, work_title, class_="chapter-name")
    renderer.labelled(section, "Chapter Summary", "summary chapter-summary", chapter.summary)
    renderer.labelled(section, "Chapter Notes", "notes chapter-notes", chapter.notes)
    if not opens_part:
        text = _el("div", section, class_="chapter-text")
        renderer.blocks(text, chapter.body)
    renderer.labelled(section, "Chapter End Notes", "notes end-notes chapter-end-notes", chapter.end_notes)
    if single and chapter.title:
        nav_title = chapter.title
    else:
        nav_title = chapter.display_title or (work_title if single else f"Chapter {chapter.number}")
    section.set("data-bookmark", nav_title or "Text")
    return Part(f"chapter-{chapter.number:03d}", nav_title or "Text", "chapter", section, level)


def _matter(renderer: Renderer, matter: Matter, name: str, kind: str) -> Part:
    section = _el("section", class_=f"matter {matter.kind.value}")
    if matter.title:
        _el("h2", section, matter.title, class_="matter-title")
    renderer.blocks(section, matter.blocks)
    title = matter.title or matter.kind.value.replace("-", " ").capitalize()
    section.set("data-bookmark", title)
    return Part(name, title, kind, section)


def cover_page(image_href: str, description: str) -> etree._Element:
    """The cover's own page, first in an EPUB's spine: the image alone, described for a screen
    reader by ``description``."""
    section = _el("section", class_="cover")
    image = _el("img", section, src=image_href, alt=description, class_="cover-image", role="doc-cover")
    image.set(_EPUB_TYPE, "cover")
    return section


def navigation(
    title: str,
    toc: list[tuple[str, str]] | list[tuple[str, str, int]],
    landmarks: list[tuple[str, str, str]],
) -> list[etree._Element]:
    """The EPUB 3 navigation document's body: the table of contents (``toc`` holds label and href
    pairs, or label, href and depth triples as ``contents_levels`` gives them) shown under
    ``title``, and the hidden landmarks (``landmarks`` holds epub:type, label and href) that
    readers use for "go to cover", "go to start".

    A deeper entry is listed in an ``<ol>`` inside the ``<li>`` of the entry before it (its part),
    as EPUB 3 requires; a depth more than one below the entry before it counts as one below."""
    toc_nav = _el("nav", id="toc", role="doc-toc")
    toc_nav.set(_EPUB_TYPE, "toc")
    _el("h1", toc_nav, title, class_="toc-title")
    nested_list(_el("ol", toc_nav, class_="toc"), toc, lambda li, label, href: _el("a", li, label, href=href))
    landmarks_nav = _el("nav", id="landmarks", hidden="hidden")
    landmarks_nav.set(_EPUB_TYPE, "landmarks")
    _el("h2", landmarks_nav, "Landmarks")
    items = _el("ol", landmarks_nav)
    for kind, label, href in landmarks:
        link = _el("a", _el("li", items), label, href=href)
        link.set(_EPUB_TYPE, kind)
    return [toc_nav, landmarks_nav]


def nested_list(
    top: etree._Element,
    entries: list[tuple[str, str]] | list[tuple[str, str, int]],
    fill: Callable[[etree._Element, str, str], object],
) -> None:
    """Append an ``<li>`` to the list ``top`` for each (label, href[, depth]) entry, ``fill``
    making its contents; a deeper entry goes into an ``<ol>`` inside the ``<li>`` before it (a
    jump of more than one level counts as one), so the lists nest as HTML allows."""
    lists = [top]  # lists[depth]: the list that entries of that depth go into
    for label, href, *rest in entries:
        depth = min(rest[0] if rest else 0, len(lists) - 1 + (len(lists[-1]) > 0))
        del lists[depth + 1 :]
        if depth == len(lists):
            lists.append(_el("ol", lists[-1][-1]))
        fill(_el("li", lists[depth]), label, href)


def xhtml_document(
    title: str,
    language: str,
    body: list[etree._Element],
    stylesheets: tuple[str, ...] = (),
    metas: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """A complete XHTML5 document holding ``body`` elements, linked to ``stylesheets``, with
    ``<meta name content>`` pairs in its head."""
    html = xhtml_root(title, language, body, stylesheets, metas)
    return etree.tostring(
        html, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>", pretty_print=False
    )


def xhtml_root(
    title: str,
    language: str,
    body: list[etree._Element],
    stylesheets: tuple[str, ...] = (),
    metas: tuple[tuple[str, str], ...] = (),
    styles: tuple[str, ...] = (),
) -> etree._Element:
    """The ``<html>`` element of ``xhtml_document``, unserialised; ``styles`` are CSS texts placed
    in ``<style>`` elements after the linked sheets (for a document that must stand alone)."""
    html = _el("html", lang=language)
    html.set(XML_LANG, language)
    head = _el("head", html)
    _el("meta", head, charset="utf-8")
    _el("title", head, title)
    for name, content in metas:
        _el("meta", head, name=name, content=content)
    for href in stylesheets:
        _el("link", head, rel="stylesheet", type="text/css", href=href)
    for css in styles:
        _el("style", head, css)
    body_element = _el("body", html)
    for element in body:
        body_element.append(element)
    return html
