"""PDF backend: ``Work`` -> the bytes of a PDF, typeset by WeasyPrint from the same XHTML and
``styles/base.css`` as the EPUB, plus ``styles/pdf.css`` for pages, running heads and bookmarks: the
one document ``print_document`` builds, which ``--html`` also writes.

WeasyPrint is imported inside ``write_pdf`` only, so an EPUB-only run never pays its import time.
Nothing named inside a user's text or style sheet is ever fetched: the URL fetcher refuses
everything but the project's own files, and records what it refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from converter.document import Work
from converter.print_document import print_document
from converter.stylesheets import styles_folder


@dataclass(frozen=True)
class PdfOptions:
    """What the PDF backend needs beyond the work itself."""

    user_css: str = ""  # --style, applied after the built-in sheets


@dataclass
class PdfResult:
    """The PDF's bytes and the URLs the fetcher refused while making it."""

    data: bytes
    refused: list[str] = field(default_factory=list)


def write_pdf(work: Work, options: PdfOptions | None = None) -> PdfResult:
    """Typeset ``work`` as a PDF."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    options = options or PdfOptions()

    class LockedFetcher(URLFetcher):
        """Loads only files inside the project's own styles folder; refuses and records the rest."""

        def __init__(self) -> None:
            super().__init__()
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(styles_folder().resolve()):
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"ficexport does not load {url}")

    fetcher = LockedFetcher()
    # The same text ``--html`` writes: the whole book, its style sheets inline (print_document.py).
    document = print_document(work, options.user_css)
    html = HTML(string=document, base_url=styles_folder().as_uri() + "/", url_fetcher=fetcher)
    data = html.write_pdf()
    return PdfResult(data=data, refused=list(fetcher.refused))
