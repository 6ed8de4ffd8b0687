"""AO3 layout for HTML: the file Archive of Our Own gives for "Download -> HTML".

Its shape, as AO3's download templates write it (any part may be missing)::

    div#preface      h2.toc-heading "Preface"                       hidden furniture
                     p.message  <b>Title</b> Posted originally on the Archive of Our Own at URL.
                     div.meta   dl.tags  (Rating … Additional Tags, Language, Series, Collections, Stats)
                                h1 title, div.byline "by <a rel=author>…</a>"
                                p "Summary" + blockquote, p "Notes" + blockquote, div.endnote-link
                                ul (related works: "A translation of …", "Inspired by …")
    div#chapters     several chapters: div.meta.group  h2.heading "Chapter 3: Title" | "Title"
                                                       p.byline, p "Chapter Summary" + blockquote,
                                                       p "Chapter Notes" + blockquote, div.endnote-link
                                       div.userstuff   the chapter's text
                                       div.meta#endnotes3  p "Chapter End Notes" + blockquote
                     a one-shot: h2.toc-heading (the title again) and div.userstuff
    div#afterword    div.meta  div#endnotes  p "End Notes" + blockquote
                               dl  dt "Works inspired by this one:" + dd per work
                     p.message "Please drop by the archive and comment …"

The labels, the hidden headings, the "See the end of the work for notes" pointers and both messages
are furniture: the title page and the section headings say the same again. Everything else lands in
the tree: the preface's facts in ``Metadata``, notes where they belong, inspired works as back matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from lxml import etree

from converter.document import (
    Block,
    Chapter,
    ListBlock,
    Matter,
    MatterKind,
    Metadata,
    Paragraph,
    SeriesRef,
    Stats,
    TagGroup,
    TagKind,
    Text,
    Work,
)
from converter.languages import language_tag
from converter.parse.ao3_fields import (
    INSPIRED_HEADING,
    NOTE_HEADINGS,
    TAG_LABELS,
    FieldKind,
    byline_authors,
    chapter_heading,
    field_kind,
    label_key,
    parse_stats,
    series_refs,
    split_values,
)
from converter.parse.html import spacers
from converter.parse.html.blocks import BlockReader, Item, blocks_only
from converter.parse.html.dom import has_class, text_of
from converter.parse.html.inlines import Look, tag_name

# The paragraphs that label the blockquote after them, in lower case ("chapter notes").
_LABELS = frozenset(heading.lower() for heading in NOTE_HEADINGS)
_WORK_URL = re.compile(r"https?://[^\s\"<>]+/works/\d+")


def looks_like_ao3_download(root: etree._Element) -> bool:
    """True for AO3's download layout: a preface and a chapters block with AO3's ids."""
    return _by_id(root, "preface") is not None and _by_id(root, "chapters") is not None


def read_ao3_download(root: etree._Element) -> Work | None:
    """Read an AO3 HTML download, or return ``None`` when the page is not one."""
    if not looks_like_ao3_download(root):
        return None
    reader = BlockReader()
    preface = _read_preface(_by_id(root, "preface"), reader)
    drafts = _read_chapters(_by_id(root, "chapters"), reader)
    afterword = _by_id(root, "afterword")
    end_notes, back_matter = _read_afterword(afterword, reader) if afterword is not None else ((), ())
    policy = spacers.decide([draft.body for draft in drafts])
    chapters = tuple(draft.chapter(number, policy) for number, draft in enumerate(drafts, start=1))
    meta = preface.meta if preface.meta.title else replace(preface.meta, title=_head_title(root))
    return Work(
        meta=meta, chapters=chapters, notes=preface.notes, end_notes=end_notes, back_matter=back_matter
    )


def _by_id(root: etree._Element, ident: str) -> etree._Element | None:
    return next(iter(root.xpath("//*[@id=$ident]", ident=ident)), None)


def _head_title(root: etree._Element) -> str:
    """The work's title from ``<title>`` ("Title - Author - Fandom"), when the page has no ``h1``."""
    title = root.find(".//title")
    return text_of(title).split(" - ")[0].strip() if title is not None else ""


def _labelled(container: etree._Element, reader: BlockReader) -> tuple[dict[str, tuple[Block, ...]], list]:
    """Walk a ``div.meta``: a label paragraph ("Summary", "Chapter Notes") names the blockquote after
    it. Returns the blocks under each label and the children that are neither (nor furniture)."""
    sections: dict[str, tuple[Block, ...]] = {}
    others: list[etree._Element] = []
    label = ""
    for child in container:
        tag = tag_name(child)
        if not tag or has_class(child, "endnote-link") or has_class(child, "toc-heading"):
            continue
        text = label_key(text_of(child))
        if tag == "p" and text in _LABELS:
            label = text
        elif tag == "blockquote" and label:
            sections[label] = sections.get(label, ()) + blocks_only(reader.read(child, top=False))
        else:
            others.append(child)
    return sections, others


# --- The preface ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Preface:
    meta: Metadata
    notes: tuple[Block, ...]


def _read_preface(preface: etree._Element, reader: BlockReader) -> _Preface:
    source_url = None
    meta_div = None
    for child in preface:
        if has_class(child, "message"):
            source_url = _source_url(child)
        elif has_class(child, "meta") and meta_div is None:
            meta_div = child
    if meta_div is None:
        return _Preface(Metadata(source_url=source_url), ())
    sections, others = _labelled(meta_div, reader)
    title = ""
    authors: tuple[str, ...] = ()
    tags_list = None
    extra: list[Block] = []
    for child in others:
        tag = tag_name(child)
        if tag == "dl" and has_class(child, "tags"):
            tags_list = child
        elif tag == "h1" and not title:
            title = text_of(child)
        elif has_class(child, "byline") and not authors:
            authors = _authors(child)
        else:  # related works ("A translation of …") and anything unforeseen: kept with the notes
            extra.extend(blocks_only(reader.block(child, Look(), top=False)))
    meta = replace(
        _metadata(tags_list),
        title=title,
        authors=authors,
        summary=sections.get("summary", ()),
        source_url=source_url,
    )
    return _Preface(meta, sections.get("notes", ()) + tuple(extra))


def _source_url(message: etree._Element) -> str | None:
    links = [a.get("href", "") for a in message.iter("a") if _WORK_URL.match(a.get("href", ""))]
    if links:
        return links[-1]
    match = _WORK_URL.search(text_of(message))
    return match.group(0) if match else None


def _authors(byline: etree._Element) -> tuple[str, ...]:
    """ "by <a rel=author>pseud (user)</a>, <a>other</a>" or, without links, "by Anonymous"."""
    linked = [text_of(a) for a in byline.iter("a") if "author" in (a.get("rel") or "").split()]
    if linked:
        return tuple(name for name in linked if name)
    return byline_authors(text_of(byline))


def _metadata(tags_list: etree._Element | None) -> Metadata:
    """The ``dl.tags`` fields: tag groups in AO3 order, labelled as AO3's work page labels them
    (plural for several tags), language, series, collections, stats."""
    if tags_list is None:
        return Metadata()
    tags: dict[TagKind, list[str]] = {}
    language = None
    series: list[SeriesRef] = []
    collections: list[str] = []
    stats = Stats()
    for term in tags_list.iterchildren("dt"):
        value = term.getnext()
        if value is None or tag_name(value) != "dd":
            continue
        key = label_key(text_of(term))
        kind = field_kind(key)
        if kind is FieldKind.TAG:
            tags.setdefault(TAG_LABELS[key], []).extend(_values(value))
        elif kind is FieldKind.LANGUAGE:
            language = language_tag(text_of(value))
        elif kind is FieldKind.SERIES:
            series.extend(series_refs(text_of(value)))
        elif kind is FieldKind.COLLECTIONS:
            collections.extend(_values(value))
        elif kind is FieldKind.STATS:
            stats = parse_stats(text_of(value))
    return Metadata(
        language=language,
        # No written label: a download names every field in the singular ("Character:" over two
        # characters), where the work's page says "Characters"; the count chooses, as there.
        tags=tuple(TagGroup(kind, tuple(tags[kind])) for kind in TagKind if kind in tags),
        series=tuple(series),
        collections=tuple(collections),
        stats=stats,
    )


def _values(value: etree._Element) -> list[str]:
    """A field's entries: one per link (a tag never holds a comma), or the text split at commas."""
    linked = [text_of(a) for a in value.iter("a")]
    if linked:
        return [name for name in linked if name]
    return split_values(text_of(value))


# --- The chapters ---------------------------------------------------------------------------------


@dataclass
class _ChapterDraft:
    heading: str = ""
    summary: tuple[Block, ...] = ()
    notes: tuple[Block, ...] = ()
    body: list[Item] = field(default_factory=list)
    end_notes: tuple[Block, ...] = ()
    has_text: bool = False

    def chapter(self, number: int, policy: spacers.SpacerPolicy) -> Chapter:
        heading = chapter_heading(self.heading)
        label, title = (heading.label, heading.title) if heading else ("", self.heading)
        return Chapter(
            number=number,
            label=label,
            title=title,
            summary=self.summary,
            notes=self.notes,
            body=spacers.resolve(self.body, policy),
            end_notes=self.end_notes,
        )


def _read_chapters(container: etree._Element, reader: BlockReader) -> list[_ChapterDraft]:
    """Each chapter's preface, text and end notes, in order; a one-shot is one chapter."""
    drafts: list[_ChapterDraft] = []
    for child in container:
        tag = tag_name(child)
        if not tag or has_class(child, "toc-heading"):
            continue
        current = drafts[-1] if drafts else None
        if has_class(child, "meta") and (child.get("id") or "").startswith("endnotes"):
            sections, others = _labelled(child, reader)
            if current is None:
                current = _ChapterDraft(has_text=True)
                drafts.append(current)
            current.end_notes += sections.get("chapter end notes", ()) + _blocks(others, reader)
        elif has_class(child, "meta"):
            drafts.append(_chapter_preface(child, reader))
        else:
            if current is None or (current.has_text and has_class(child, "userstuff")):
                current = _ChapterDraft()
                drafts.append(current)
            current.body.extend(
                reader.read(child) if has_class(child, "userstuff") else reader.block(child, Look())
            )
            current.has_text = True
    return drafts or [_ChapterDraft()]


def _chapter_preface(meta: etree._Element, reader: BlockReader) -> _ChapterDraft:
    sections, others = _labelled(meta, reader)
    draft = _ChapterDraft(
        summary=sections.get("chapter summary", ()), notes=sections.get("chapter notes", ())
    )
    extra: list[etree._Element] = []
    for child in others:
        if has_class(child, "heading") and not draft.heading:
            draft.heading = text_of(child)
        elif has_class(child, "byline"):
            # A chapter by other creators than the work names them under its heading, as AO3 does.
            draft.body.append(Paragraph((Text(text_of(child)),), centered=True))
        else:
            extra.append(child)
    draft.notes += _blocks(extra, reader)
    return draft


def _blocks(elements: list[etree._Element], reader: BlockReader) -> tuple[Block, ...]:
    return tuple(
        block for element in elements for block in blocks_only(reader.block(element, Look(), top=False))
    )


# --- The afterword --------------------------------------------------------------------------------


def _read_afterword(
    afterword: etree._Element, reader: BlockReader
) -> tuple[tuple[Block, ...], tuple[Matter, ...]]:
    """The work's end notes, and "Works inspired by this one" as back matter."""
    end_notes: list[Block] = []
    back: list[Matter] = []
    for child in afterword:
        if has_class(child, "message") or has_class(child, "toc-heading") or not tag_name(child):
            continue
        parts = list(child) if has_class(child, "meta") else [child]
        for part in parts:
            if part.get("id") == "endnotes":
                sections, others = _labelled(part, reader)
                end_notes.extend(sections.get("end notes", ()) + _blocks(others, reader))
            elif tag_name(part) == "dl":
                back.append(_related_works(part, reader))
            elif tag_name(part):
                end_notes.extend(_blocks([part], reader))
    return tuple(end_notes), tuple(back)


def _related_works(listing: etree._Element, reader: BlockReader) -> Matter:
    """``dl`` "Works inspired by this one:" with a ``dd`` per work, as a list under that title."""
    term = listing.find("dt")
    title = text_of(term).rstrip(":").strip() if term is not None else INSPIRED_HEADING
    items = tuple(
        blocks
        for entry in listing.iterchildren("dd")
        if (blocks := blocks_only(reader.read(entry, top=False)))
    )
    return Matter(MatterKind.INSPIRED, title, (ListBlock(False, items),) if items else ())
