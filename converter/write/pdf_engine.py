"""One WeasyPrint run: an XHTML text and its style sheets in, the PDF's bytes out.

Every PDF ficexport makes goes through ``typeset``, whether the book is laid out in one pass or in
groups of chapters (``pdf_groups``), so every run has the same locks: nothing named inside a user's
text or style sheet is ever fetched (the URL fetcher refuses everything but the project's own
files, and records what it refused), and the embedded fonts' own dates are the book's, so the same
book gives the same bytes.

WeasyPrint is imported inside the functions only, so an EPUB-only run never pays its import time.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from converter.write.stylesheets import styles_folder


@dataclass
class Typeset:
    """What one run made: the PDF's bytes, its page count, the page (0-based) on which each
    element id asked for first stands, and the URLs the fetcher refused."""

    data: bytes
    pages: int
    anchors: dict[str, int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)


def typeset(
    html: str,
    sheets: list[str],
    epoch: int,
    variant: str | None = None,
    anchors: bool = False,
    own_css: str = "",
) -> Typeset:
    """Lay out ``html`` with ``sheets`` (CSS texts, in cascade order) and then ``own_css`` (rules of
    this document alone), and write it as a PDF dated ``epoch``; with ``anchors``, also say on which
    page each element id stands."""
    from weasyprint import CSS, HTML

    read = _read_sheets(tuple(sheets))
    fetcher = _locked_fetcher()
    css = list(read.css)
    if own_css:
        css.append(CSS(string=own_css, base_url=_base_url(), url_fetcher=fetcher, font_config=read.fonts))
    options = {"stylesheets": css, "pdf_variant": variant}  # as HTML.write_pdf passes them on
    document = HTML(string=html, base_url=_base_url(), url_fetcher=fetcher).render(
        font_config=read.fonts, **options
    )
    with _font_timestamps(epoch):
        data = document.write_pdf(**options)
    found: dict[str, int] = {}
    if anchors:
        for number, page in enumerate(document.pages):
            for name in page.anchors:
                found.setdefault(name, number)
    return Typeset(data, len(document.pages), found, list(dict.fromkeys([*read.refused, *fetcher.refused])))


@dataclass(frozen=True)
class _Sheets:
    """Style sheets read: WeasyPrint's ``CSS`` objects, the font configuration their @font-face
    rules went into (the documents laid out under them use it too), and the URLs they asked for
    that the fetcher refused."""

    css: tuple
    fonts: object
    refused: tuple[str, ...]


@functools.lru_cache(maxsize=8)
def _read_sheets(sheets: tuple[str, ...]) -> _Sheets:
    """``sheets`` read once per process: a process lays out many documents under the same sheets (a
    long PDF's groups and their furniture, a batch's books), and reading them and a font
    configuration again took a three-page document half its time, a 50-page one a tenth. What a
    document's fonts embed is still its own (WeasyPrint counts the glyphs each document draws)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _locked_fetcher()
    # With a font configuration, @font-face rules are read, so their url()s reach the fetcher (and are
    # refused and reported) instead of being skipped without a word.
    fonts = FontConfiguration()
    css = tuple(
        CSS(string=text, base_url=_base_url(), url_fetcher=fetcher, font_config=fonts)
        for text in sheets
        if text
    )
    return _Sheets(css, fonts, tuple(fetcher.refused))


def _base_url() -> str:
    """Where relative URLs in the sheets and documents point: the project's styles folder."""
    return styles_folder().as_uri() + "/"


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
