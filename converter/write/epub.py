"""EPUB backend: ``Work`` -> the bytes of an EPUB 3 file (with an NCX for older readers).

ebooklib builds the package (OPF, NCX); our renderer provides every content document whole,
including the navigation document and the cover page, so ebooklib never re-parses or rewrites our
XHTML. The spine is: the cover page, the title page, the contents, then the text. Chapters too long
for older readers are split (``split.py``) with one table-of-contents entry. The zip is written
with fixed timestamps and a fixed order, ``mimetype`` first and stored, so the same work and options
always give the same bytes. A ``Flavour`` changes every content document for one family of readers
(Kobo's KEPUB, ``kepub.py``) without a second packager.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ebooklib import epub
from lxml import etree

from converter import __version__
from converter.document import Work, blocks_text
from converter.write.cover import CoverImage, generate_cover
from converter.write.render import XML_LANG, Part, cover_page, navigation, render_work, xhtml_document
from converter.write.reproducible import build_time, publication_date
from converter.write.split import MAX_DOCUMENT_BYTES, split_part
from converter.write.stylesheets import stylesheet

#: Namespace for content-derived identifiers: the same text always gets the same UUID.
_ID_NAMESPACE = uuid.UUID("5b0f3f0e-7c55-4c1e-9d2a-f1cec5e0b001")
_EARLIEST_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_STYLESHEET = "styles/book.css"
_NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
_NCX_ID = "ncx"
_NCX_TYPE = "application/x-dtbncx+xml"
#: Sites whose name is the publisher of what they host, by host name.
_PUBLISHERS = {
    "archiveofourown.org": "Archive of Our Own",
    "fanfiction.net": "FanFiction.Net",
    "fictionpress.com": "FictionPress",
    "gutenberg.org": "Project Gutenberg",
    "royalroad.com": "Royal Road",
    "wattpad.com": "Wattpad",
}
#: Name suffixes that are not a family name ("Martin Luther King Jr." is not filed under "Jr.").
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "md"}


@dataclass(frozen=True)
class EpubOptions:
    """What the EPUB backend needs beyond the work itself."""

    user_css: str = ""  # --style, appended after the built-in sheets
    modified: dt.datetime | None = None  # dcterms:modified; see ``reproducible.build_time``
    cover: CoverImage | None = None  # --cover; None: one is drawn from the metadata
    max_document_bytes: int = MAX_DOCUMENT_BYTES  # longer chapters are split


@dataclass(frozen=True)
class Flavour:
    """What one family of readers needs changed in every content document: ``body`` rewrites a
    document's body elements, ``css`` is added to the book's style sheet."""

    body: Callable[[list[etree._Element]], list[etree._Element]]
    css: str = ""


def write_epub(work: Work, options: EpubOptions | None = None, flavour: Flavour | None = None) -> bytes:
    """The complete EPUB for ``work`` (changed for one family of readers by ``flavour``)."""
    options = options or EpubOptions()
    language = work.meta.language or "en"
    book = epub.EpubBook()
    book.metadata[epub.NAMESPACES["OPF"]].pop("generator", None)  # ours is added below
    book.set_identifier(f"urn:uuid:{content_uuid(work)}")
    book.set_title(work.meta.title or "Untitled")
    book.set_language(language)
    _metadata(book, work)

    css = stylesheet("base.css") + "\n" + stylesheet("epub.css")
    if flavour is not None and flavour.css:
        css += "\n" + flavour.css
    if options.user_css:
        css += "\n/* --style */\n" + options.user_css
    book.add_item(
        epub.EpubItem(uid="style", file_name=_STYLESHEET, media_type="text/css", content=css.encode("utf-8"))
    )

    def content(title: str, body: list[etree._Element], flavoured: bool = True) -> bytes:
        if flavour is not None and flavoured:
            body = flavour.body(body)
        return xhtml_document(title, language, body, (_STYLESHEET,))

    def document(name: str, title: str, data: bytes, properties: tuple[str, ...] = ()) -> _Document:
        item = _Document(name, title, data, list(properties))
        book.add_item(item)
        return item

    def pieces(part: Part) -> list[tuple[Part, bytes]]:
        """``part`` split into documents that stay within the size limit as they are finally
        written: a flavour's markup (Kobo's spans add a quarter or more) lowers the limit the
        splitter works to until they fit."""
        limit = options.max_document_bytes
        if flavour is None:  # most parts fit whole: written once, with no copy to split
            data = content(part.nav_title, [part.element])
            if len(data) <= limit or part.kind != "chapter":
                return [(part, data)]
        while True:
            fresh = dataclasses.replace(part, element=copy.deepcopy(part.element))
            made = [(piece, content(piece.nav_title, [piece.element])) for piece in split_part(fresh, limit)]
            too_big = any(len(data) > options.max_document_bytes for _, data in made)
            if not too_big or part.kind != "chapter" or limit < options.max_document_bytes // 4:
                return made
            limit = limit * 4 // 5

    cover = options.cover or generate_cover(work.meta)
    image = epub.EpubItem(
        uid="cover-image",
        file_name=f"images/cover.{cover.extension}",
        media_type=cover.media_type,
        content=cover.data,
    )
    image.properties = ["cover-image"]  # EPUB 3's mark; EPUB 2 readers look for <meta name="cover">
    book.add_item(image)
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    cover_body = [cover_page(image.file_name, cover.description)]
    cover_document = document("cover", "Cover", content("Cover", cover_body))

    groups = [pieces(part) for part in render_work(work)]
    documents = [[document(piece.name, piece.nav_title, data) for piece, data in group] for group in groups]
    firsts = [(group[0][0], items[0]) for group, items in zip(groups, documents, strict=True)]
    title_page = next(item for part, item in firsts if part.kind == "title-page")
    first_text = next((item for part, item in firsts if part.kind == "chapter"), None)
    in_toc = [(part, item) for part, item in firsts if part.kind != "title-page"]

    landmarks = [
        ("cover", "Cover", cover_document.file_name),
        ("titlepage", "Title Page", title_page.file_name),
        ("toc", "Contents", "nav.xhtml"),
    ]
    if first_text is not None:
        landmarks.append(("bodymatter", "Start of Text", first_text.file_name))
    toc = [(part.nav_title, item.file_name, part.level) for part, item in in_toc]
    # The navigation document stays as EPUB 3 defines it, whatever the flavour.
    nav_body = navigation("Contents", toc, landmarks)
    nav = document("nav", "Contents", content("Contents", nav_body, flavoured=False), ("nav",))
    # The NCX is made here from the same entries, as a plain item: ebooklib's own (an ``EpubNcx``)
    # would be built from ``book.toc`` and could only be corrected by parsing what it wrote.
    ncx = _ncx(book.uid, book.title, in_toc)
    book.add_item(epub.EpubItem(uid=_NCX_ID, file_name="toc.ncx", media_type=_NCX_TYPE, content=ncx))

    after_title = [item for items in documents for item in items if item is not title_page]
    book.spine = [cover_document, title_page, nav, *after_title]
    # EPUB 2's guide names the same places with its own words ("title-page", "text").
    epub2_types = {"cover": "cover", "titlepage": "title-page", "toc": "toc", "bodymatter": "text"}
    book.guide = [
        {"href": href, "title": label, "type": epub2_types[kind]} for kind, label, href in landmarks
    ]

    buffer = io.BytesIO()
    writer = _ReproducibleWriter(
        buffer,
        book,
        {"epub3_pages": False, "epub3_landmark": False, "mtime": build_time(work, options.modified)},
    )
    writer.process()
    writer.write()
    return buffer.getvalue()


def _ncx(uid: str, title: str, entries: list[tuple[Part, _Document]]) -> bytes:
    """The NCX (EPUB 2's table of contents) for ``entries``, nested as the navigation document
    nests its lists: a part's chapters are navPoints inside the part's navPoint. An entry goes at
    most one level below the entry before it, so a jump from level 0 to 2 still nests validly.

    The package's ``<spine toc="ncx">`` names it by the id ebooklib gives an NCX when it writes the
    spine without one of its own ``EpubNcx`` items (``_NCX_ID``)."""
    root = etree.Element(f"{{{_NCX_NS}}}ncx", {"version": "2005-1"}, nsmap={None: _NCX_NS})
    head = etree.SubElement(root, f"{{{_NCX_NS}}}head")
    metas = {"dtb:uid": uid, "dtb:depth": "0", "dtb:totalPageCount": "0", "dtb:maxPageNumber": "0"}
    for name, value in metas.items():
        etree.SubElement(head, f"{{{_NCX_NS}}}meta", {"content": value, "name": name})
    doc_title = etree.SubElement(root, f"{{{_NCX_NS}}}docTitle")
    etree.SubElement(doc_title, f"{{{_NCX_NS}}}text").text = title
    nav_map = etree.SubElement(root, f"{{{_NCX_NS}}}navMap")

    parents = [nav_map]  # parents[d]: what holds the navPoints of depth d
    latest: etree._Element | None = None  # the navPoint made last
    deepest = 0
    for part, item in entries:
        depth = min(part.level, len(parents) - 1 + (latest is not None))
        del parents[depth + 1 :]
        if depth == len(parents):
            parents.append(latest)
        latest = etree.SubElement(parents[depth], f"{{{_NCX_NS}}}navPoint", {"id": item.get_id()})
        label = etree.SubElement(latest, f"{{{_NCX_NS}}}navLabel")
        etree.SubElement(label, f"{{{_NCX_NS}}}text").text = item.title
        etree.SubElement(latest, f"{{{_NCX_NS}}}content", {"src": item.file_name})
        deepest = max(deepest, depth + 1)
    if deepest > 1:
        # A flat table of contents keeps the 0 that ebooklib always wrote (and EPUBCheck accepts);
        # a nested one says how deep it goes.
        head[1].set("content", str(deepest))
    return etree.tostring(root, pretty_print=True, encoding="utf-8", xml_declaration=True)


def content_uuid(work: Work) -> uuid.UUID:
    """A UUID derived from the work's title, authors and text: the same text, the same identifier."""
    text = "\n".join(
        [work.meta.title, *work.meta.authors] + [blocks_text(chapter.body) for chapter in work.chapters]
    )
    return uuid.uuid5(_ID_NAMESPACE, text)


def file_as(name: str) -> str:
    """How a library sorts an author: "Austen, Jane" for a personal name, a user name as it is
    ("ficexport_examples", "the_lady_of_shalott"), as Calibre does."""
    words = name.split()
    looks_personal = (
        len(words) >= 2
        and "," not in name
        and words[-1].lower() not in _NAME_SUFFIXES
        and all(
            word[:1].isupper() and word.replace(".", "").replace("-", "").replace("'", "").isalpha()
            for word in words
        )
    )
    return f"{words[-1]}, {' '.join(words[:-1])}" if looks_personal else name


def publisher(work: Work) -> str | None:
    """Who published the work: as the text says, else the site its source URL names."""
    if work.meta.publisher:
        return work.meta.publisher
    host = (urlsplit(work.meta.source_url or "").hostname or "").lower().removeprefix("www.")
    for site, name in _PUBLISHERS.items():
        if host == site or host.endswith("." + site):
            return name
    return None


def _metadata(book: epub.EpubBook, work: Work) -> None:
    meta = work.meta
    for number, author in enumerate(meta.authors):
        uid = f"creator{number}"
        book.add_metadata("DC", "creator", author, {"id": uid})
        book.add_metadata(None, "meta", file_as(author), {"refines": f"#{uid}", "property": "file-as"})
        book.add_metadata(
            None, "meta", "aut", {"refines": f"#{uid}", "property": "role", "scheme": "marc:relators"}
        )
    if meta.summary:
        book.add_metadata("DC", "description", " ".join(blocks_text(meta.summary).split()))
    for group in meta.tags:
        for tag in group.values:
            book.add_metadata("DC", "subject", tag)
    if date := publication_date(meta):
        book.add_metadata("DC", "date", date)
    if meta.source_url:
        book.add_metadata("DC", "source", meta.source_url)
    if publisher(work):
        book.add_metadata("DC", "publisher", publisher(work))
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
        ("schema:accessMode", "visual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "alternativeText"),
        ("schema:accessibilityFeature", "displayTransformability"),
        ("schema:accessibilityHazard", "none"),
        (
            "schema:accessibilitySummary",
            "All content is text, with a heading for each chapter, a table of contents and "
            "landmarks; the one image, the cover, has a text description of what it shows. Text "
            "size, font and colours follow the reader's settings. Nothing flashes, moves or makes sound.",
        ),
    ):
        book.add_metadata(None, "meta", value, {"property": prop})


class _Document(epub.EpubHtml):
    """A content document whose bytes the renderer made whole; ebooklib stores them as they are."""

    def __init__(self, name: str, title: str, content: bytes, properties: list[str]) -> None:
        # The media type given, not guessed: ebooklib's guess reads the system's MIME tables, a
        # cost every conversion would pay for an answer known beforehand.
        super().__init__(uid=name, file_name=f"{name}.xhtml", title=title, media_type="application/xhtml+xml")
        self.content = content
        self.properties = properties

    def get_content(self, default=None) -> bytes:
        return self.content


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
    """ebooklib's writer with a reproducible zip: fixed times, ``mimetype`` first and stored.

    ebooklib has no public way to choose the zip it writes into or to add an attribute to the
    package element, so this overrides two of its private methods (``write``, ``_write_opf_file``)
    and calls three more. pyproject.toml pins ebooklib below the first release these were not
    checked against."""

    def write(self) -> None:
        # zlib level 3: on prose, clearly quicker than the default for a book a few per cent larger;
        # the levels above gain little in size and level 1 little more in time.
        self.out = _FixedTimeZip(self.file_name, "w", zipfile.ZIP_DEFLATED, compresslevel=3)
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()

    def _write_opf_file(self, root: etree._Element) -> None:
        # The package's own language, which Ace and some readers look for besides dc:language.
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)
