"""EPUB backend: ``Work`` -> the bytes of an EPUB 3 file (with an NCX for older readers).

ebooklib builds the package (OPF, navigation document, NCX); our renderer provides every content
document whole, so ebooklib never re-parses or rewrites our XHTML. The zip is written with fixed
timestamps and a fixed order, ``mimetype`` first and stored, so the same work and options always give
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from dataclasses import dataclass

from ebooklib import epub

from converter import __version__
from converter.document import Work, blocks_text
from converter.render import Part, render_work, xhtml_document
from converter.reproducible import build_time
from converter.stylesheets import stylesheet

#: Namespace for content-derived identifiers: the same text always gets the same UUID.
_ID_NAMESPACE = uuid.UUID("5b0f3f0e-7c55-4c1e-9d2a-f1cec5e0b001")
_EARLIEST_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class EpubOptions:
    """What the EPUB backend needs beyond the work itself."""

    user_css: str = ""  # --style, appended after the built-in sheets
    modified: dt.datetime | None = None  # dcterms:modified; see ``reproducible.build_time``


def write_epub(work: Work, options: EpubOptions | None = None) -> bytes:
    """The complete EPUB for ``work``."""
    options = options or EpubOptions()
    language = work.meta.language or "en"
    book = epub.EpubBook()
    book.metadata[epub.NAMESPACES["OPF"]].pop("generator", None)  # ours is added below
    book.set_identifier(f"urn:uuid:{content_uuid(work)}")
    book.set_title(work.meta.title or "Untitled")
    book.set_language(language)
    _metadata(book, work)

    css = stylesheet("base.css") + "\n" + stylesheet("epub.css")
    if options.user_css:
        css += "\n/* --style */\n" + options.user_css
    book.add_item(
        epub.EpubItem(
            uid="style", file_name="styles/book.css", media_type="text/css", content=css.encode("utf-8")
        )
    )

    parts = render_work(work)
    documents = [_document(part, language) for part in parts]
    for document in documents:
        book.add_item(document)
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title="Contents")
    book.add_item(nav)
    book.toc = [
        document for document, part in zip(documents, parts, strict=True) if part.kind != "title-page"
    ]
    book.spine = [documents[0], nav, *documents[1:]]
    first_text = next((d for d, p in zip(documents, parts, strict=True) if p.kind == "chapter"), None)
    book.guide = [
        {"item": documents[0], "title": "Title Page", "type": "title-page"},
        {"item": nav, "title": "Contents", "type": "toc"},
    ]
    if first_text is not None:
        book.guide.append({"item": first_text, "title": "Start of Text", "type": "text"})

    buffer = io.BytesIO()
    writer = _ReproducibleWriter(
        buffer, book, {"epub3_pages": False, "mtime": build_time(work, options.modified)}
    )
    writer.process()
    writer.write()
    return buffer.getvalue()


def content_uuid(work: Work) -> uuid.UUID:
    """A UUID derived from the work's title, authors and text: the same text, the same identifier."""
    text = "\n".join(
        [work.meta.title, *work.meta.authors] + [blocks_text(chapter.body) for chapter in work.chapters]
    )
    return uuid.uuid5(_ID_NAMESPACE, text)


def _metadata(book: epub.EpubBook, work: Work) -> None:
    meta = work.meta
    for number, author in enumerate(meta.authors):
        book.add_author(author, file_as=author, role="aut", uid=f"creator{number}")
    if meta.summary:
        book.add_metadata("DC", "description", " ".join(blocks_text(meta.summary).split()))
    for group in meta.tags:
        for tag in group.values:
            book.add_metadata("DC", "subject", tag)
    if meta.stats.published:
        book.add_metadata("DC", "date", meta.stats.published)
    if meta.source_url:
        book.add_metadata("DC", "source", meta.source_url)
    if meta.publisher:
        book.add_metadata("DC", "publisher", meta.publisher)
    if meta.series:
        series = meta.series[0]
        book.add_metadata(None, "meta", series.name, {"property": "belongs-to-collection", "id": "series"})
        book.add_metadata(None, "meta", "series", {"refines": "#series", "property": "collection-type"})
        book.add_metadata(None, "meta", "", {"name": "calibre:series", "content": series.name})
        if series.position is not None:
            book.add_metadata(
                None, "meta", str(series.position), {"refines": "#series", "property": "group-position"}
            )
            book.add_metadata(
                None, "meta", "", {"name": "calibre:series_index", "content": str(series.position)}
            )
    _accessibility(book)
    book.add_metadata(None, "meta", "", {"name": "generator", "content": f"ficexport {__version__}"})


def _accessibility(book: epub.EpubBook) -> None:
    """schema.org accessibility metadata, as DAISY Ace and the EPUB Accessibility spec ask."""
    for prop, value in (
        ("schema:accessMode", "textual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityHazard", "none"),
        (
            "schema:accessibilitySummary",
            "Text-only book with a table of contents and headings for each chapter; no images "
            "carry information and nothing flashes, moves or makes sound.",
        ),
    ):
        book.add_metadata(None, "meta", value, {"property": prop})


class _Document(epub.EpubHtml):
    """A content document whose bytes the renderer made whole; ebooklib stores them as they are."""

    def __init__(self, part: Part, content: bytes) -> None:
        super().__init__(uid=part.name, file_name=f"{part.name}.xhtml", title=part.nav_title)
        self.content = content

    def get_content(self, default=None) -> bytes:
        return self.content


def _document(part: Part, language: str) -> _Document:
    title = part.nav_title
    content = xhtml_document(title, language, [part.element], ("styles/book.css",))
    return _Document(part, content)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose every entry has the same timestamp and permissions (reproducible bytes)."""

    def writestr(self, name, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        if isinstance(name, zipfile.ZipInfo):
            name = name.filename
        info = zipfile.ZipInfo(name, date_time=_EARLIEST_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED if compress_type is None else compress_type
        info.external_attr = 0o644 << 16
        info.create_system = 0
        super().writestr(info, data, compresslevel=compresslevel)


class _ReproducibleWriter(epub.EpubWriter):
    """ebooklib's writer with a reproducible zip: fixed times, ``mimetype`` first and stored."""

    def write(self) -> None:
        self.out = _FixedTimeZip(self.file_name, "w", zipfile.ZIP_DEFLATED, compresslevel=9)
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()
