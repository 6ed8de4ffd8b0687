"""PDF backend: ``Work`` -> the bytes of a PDF, typeset by WeasyPrint from the same XHTML and
``styles/base.css`` as the EPUB, plus ``styles/pdf.css`` for pages, running heads and bookmarks and a
page size's own sheet (``styles/page-a5.css``, ...) for its size, margins and type size.

The PDF adds one part the EPUB does not have: a contents page after the title page, whose page
numbers WeasyPrint fills in (``target-counter``). Its outline (bookmarks) lists the same parts as the
EPUB's table of contents.

WeasyPrint is imported inside ``write_pdf`` only, so an EPUB-only run never pays its import time.
Nothing named inside a user's text or style sheet is ever fetched: the URL fetcher refuses
everything but the project's own files, and records what it refused.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from converter.document import Work, blocks_text
from converter.formats import DEFAULT_PAGE_SIZE, PAGE_SIZES, PDF_VARIANTS
from converter.write.fonts import TEXT_FACE, describe_missing, look_up, missing_glyphs
from converter.write.render import XHTML_NS, Part, nested_list, render_work, xhtml_document
from converter.write.reproducible import build_time
from converter.write.stylesheets import styles_folder, stylesheet

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


@dataclass(frozen=True)
class PdfOptions:
    """What the PDF backend needs beyond the work itself."""

    user_css: str = ""  # --style, applied after the built-in sheets
    page_size: str = DEFAULT_PAGE_SIZE  # a key of PAGE_SIZES
    font_size: float | None = None  # points; None: the page size's own
    hyphenate: bool = True  # hyphenate by the work's language
    variant: str | None = None  # one of PDF_VARIANTS, or None for a plain PDF


@dataclass
class PdfResult:
    """The PDF's bytes, the URLs the fetcher refused while making it, and what else the user should
    hear about it (characters no installed font has, shown as empty boxes)."""

    data: bytes
    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def write_pdf(work: Work, options: PdfOptions | None = None) -> PdfResult:
    """Typeset ``work`` as a PDF."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    options = options or PdfOptions()
    if options.page_size not in PAGE_SIZES:
        raise ValueError(f"unknown page size {options.page_size!r}; choose one of {', '.join(PAGE_SIZES)}")
    if options.variant is not None and options.variant not in PDF_VARIANTS:
        raise ValueError(f"unknown PDF variant {options.variant!r}; choose one of {', '.join(PDF_VARIANTS)}")
    look_up([TEXT_FACE])  # answered while the PDF is typeset, for the check after it
    fetcher = _locked_fetcher()
    created = build_time(work)
    document = print_document(work, options)
    base_url = styles_folder().as_uri() + "/"
    # With a font configuration, @font-face rules are read, so their url()s reach the fetcher (and are
    # refused and reported) instead of being skipped without a word.
    fonts = FontConfiguration()
    css = [
        CSS(string=text, base_url=base_url, url_fetcher=fetcher, font_config=fonts)
        for text in _stylesheets(options)
        if text
    ]
    text = document.decode("utf-8")
    html = HTML(string=text, base_url=base_url, url_fetcher=fetcher)
    with _font_timestamps(int(created.timestamp())):
        data = html.write_pdf(stylesheets=css, font_config=fonts, pdf_variant=options.variant)
    notes = []
    if missing := missing_glyphs(text):
        what, advice = describe_missing(missing)
        boxes = "so the PDF shows them as empty boxes"
        notes.append(f"no installed font has {what}, {boxes}; {advice}, then convert again")
    return PdfResult(data=data, refused=list(dict.fromkeys(fetcher.refused)), warnings=notes)


def print_document(work: Work, options: PdfOptions) -> bytes:
    """The XHTML document the PDF is typeset from (``--html`` writes it with its sheets inline)."""
    created = build_time(work).strftime("%Y-%m-%dT%H:%M:%SZ")
    head_length = _for_type_size(RUNNING_HEAD_CHARACTERS, options)
    return _document(work, created, head_length, _for_type_size(KEEP_TOGETHER_CHARACTERS, options))


def _for_type_size(characters: int, options: PdfOptions) -> int:
    """``characters`` that fit a line at type of RUNNING_HEAD_TYPE_SIZE, made proportionally fewer
    for the larger type of --font-size."""
    if options.font_size and options.font_size > RUNNING_HEAD_TYPE_SIZE:
        return int(characters * RUNNING_HEAD_TYPE_SIZE / options.font_size)
    return characters


def print_stylesheets(options: PdfOptions) -> list[str]:
    """The PDF's style sheets in cascade order (shared, PDF, page size, overrides, the user's)."""
    return _stylesheets(options)


def _document(work: Work, created: str, head_length: int, keep_length: int) -> bytes:
    """The whole book as one XHTML document: the parts in reading order, a contents page after the
    title page, and the document metadata WeasyPrint writes into the PDF's information dictionary
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
    body = [part.element for part in parts]
    if len(work.chapters) > 1:
        body.insert(1, _contents_page(parts))
    metas = [("author", author) for author in meta.authors]
    metas += [("dcterms.created", created), ("dcterms.modified", created), ("generator", "ficexport")]
    if meta.summary:
        metas.append(("description", " ".join(blocks_text(meta.summary).split())))
    keywords = [tag for group in meta.tags for tag in group.values]
    if keywords:
        metas.append(("keywords", ", ".join(keywords)))
    return xhtml_document(meta.title or "Untitled", meta.language or "en", body, metas=tuple(metas))


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


def _stylesheets(options: PdfOptions) -> list[str]:
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


def _locked_fetcher():
    """A WeasyPrint URL fetcher that loads only files inside the project's own styles folder and
    refuses (and records, in ``.refused``) everything else: other files, http(s), data: URLs."""
    from weasyprint.urls import URLFetcher

    class LockedFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__()
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(styles_folder().resolve()):
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"ficexport does not load {url}")

    return LockedFetcher()


@contextlib.contextmanager
def _font_timestamps(epoch: int) -> Iterator[None]:
    """Make the embedded fonts' own dates reproducible.

    WeasyPrint subsets fonts with HarfBuzz (libharfbuzz-subset), which keeps a font's dates; without
    that library it falls back to fontTools, which stamps each subset font's ``head.modified`` with
    the clock unless ``SOURCE_DATE_EPOCH`` is set. Setting it for the render to the date the PDF
    records keeps the bytes the same from run to run either way."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
