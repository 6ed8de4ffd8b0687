"""Generic HTML layout: any web page or exported document that is not an archive's download.

The title is the page's one ``h1`` when it has exactly one, else its ``<title>``. Chapters open at
``h1`` when a page has several of them (each chapter a top heading), else at ``h2``; a page with
neither is one chapter. A chapter heading reads as AO3's do ("Chapter 3: Title" -> label and title,
see ``chapter_heading``), otherwise the whole heading is the chapter's title. A short "by Name"
paragraph right after the title is the byline; ``<meta name="author">`` and ``<html lang>`` are read
when present. Headings inside quotes, lists and tables never open chapters.
"""

from __future__ import annotations

import re

from lxml import etree

from converter.document import Chapter, Metadata, Paragraph, Work, plain_text
from converter.languages import language_tag
from converter.parse.chapter_heading import match_heading
from converter.parse.html import spacers
from converter.parse.html.blocks import BlockReader, ChapterMark, Item, Spacer
from converter.parse.html.dom import text_of

_BYLINE = re.compile(r"^(?:by|written by|author:)\s+(?P<names>\S.{0,150})$", re.IGNORECASE)
# Headings in here belong to quoted or tabulated material, not to the book's structure.
_NOT_STRUCTURE = ("blockquote", "li", "table", "dl")


def read_generic_html(root: etree._Element) -> Work:
    """Read any HTML page. Always succeeds: it is the last HTML layout tried (and the only one that
    changes the tree: the title's ``h1`` is taken out of the flow)."""
    body = root.find("body")
    body = body if body is not None else root
    h1s, h2s = _structural(body, "h1"), _structural(body, "h2")
    title = _head_title(root)
    lone_chapter = len(h1s) == 1 and _is_chapter_heading(text_of(h1s[0]))
    if lone_chapter:
        # A web novel's chapter page: its one h1 is the chapter's heading ("第一章 绯红"), and
        # the book's title is in the page's <title>, beside the chapter and the site's name.
        title = _book_title(title)
    elif len(h1s) == 1:
        title = text_of(h1s[0]) or title
        h1s[0].drop_tree()  # the title page shows it; its tail text stays
    chapter_tag = "h1" if len(h1s) > 1 or lone_chapter else "h2" if h2s else None
    reader = BlockReader(frozenset({chapter_tag}) if chapter_tag else frozenset())
    items = reader.read(body)
    authors = _meta_authors(root)
    items, byline = _take_byline(items)
    bodies = _split(items)
    policy = spacers.decide([chapter_items for _, chapter_items in bodies])
    chapters = tuple(
        _chapter(number, heading, spacers.resolve(chapter_items, policy))
        for number, (heading, chapter_items) in enumerate(bodies, start=1)
    )
    meta = Metadata(title=title, authors=byline or authors, language=_language(root))
    return Work(meta=meta, chapters=chapters)


def _structural(body: etree._Element, tag: str) -> list[etree._Element]:
    return [h for h in body.iter(tag) if not any(a.tag in _NOT_STRUCTURE for a in h.iterancestors())]


def _is_chapter_heading(text: str) -> bool:
    match = match_heading(text)
    return match is not None and match.kind == "numbered"


def _book_title(head_title: str) -> str:
    """ "诡秘之主-第一章 绯红_笔趣阁" -> "诡秘之主": the part of a chapter page's <title> that is
    neither the chapter's heading nor (last) the site's name."""
    parts = [part.strip() for part in re.split(r"\s*[_|–—]\s*|\s+-\s+|(?<=\S)-(?=\S)", head_title)]
    parts = [part for part in parts if part and not _is_chapter_heading(part)]
    if len(parts) > 1:
        parts = parts[:-1]
    return parts[0] if parts else head_title


def _head_title(root: etree._Element) -> str:
    title = root.find("head/title")
    return text_of(title) if title is not None else ""


def _meta_authors(root: etree._Element) -> tuple[str, ...]:
    names = [meta.get("content", "").strip() for meta in root.iterfind("head/meta[@name='author']")]
    return tuple(name for name in names if name)


def _language(root: etree._Element) -> str | None:
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    return language_tag(lang) if lang.strip() else None


def _take_byline(items: list[Item]) -> tuple[list[Item], tuple[str, ...]]:
    """A "by Name" paragraph before any other text is the byline (shown on the title page)."""
    first = next((i for i, item in enumerate(items) if isinstance(item, (Paragraph, ChapterMark))), None)
    if first is None or not isinstance(items[first], Paragraph):
        return items, ()
    match = _BYLINE.match(plain_text(items[first].inlines).strip())
    if not match:
        return items, ()
    names = tuple(n.strip() for n in re.split(r",\s*|\s+and\s+|\s*&\s*", match["names"]) if n.strip())
    return items[:first] + items[first + 1 :], names


def _split(items: list[Item]) -> list[tuple[str | None, list[Item]]]:
    """Cut the flow at chapter marks. Text before the first is a chapter of its own (untitled),
    so nothing is lost; a page without marks is one chapter."""
    bodies: list[tuple[str | None, list[Item]]] = [(None, [])]
    for item in items:
        if isinstance(item, ChapterMark):
            bodies.append((item.text, []))
        else:
            bodies[-1][1].append(item)
    if len(bodies) > 1 and all(isinstance(item, Spacer) for item in bodies[0][1]):
        bodies.pop(0)
    return bodies


def _chapter(number: int, heading: str | None, blocks) -> Chapter:
    if not heading:
        return Chapter(number=number, body=blocks)
    match = match_heading(heading)
    if match is not None and match.kind in ("numbered", "named"):
        return Chapter(number=number, label=match.label.rstrip("."), title=match.title, body=blocks)
    return Chapter(number=number, title=heading, body=blocks)
