"""What the printed book's writers (PDF, and the one HTML file made from the PDF's document) are
told beyond the work itself. Its own module so that the HTML writer need not import the PDF's."""

from __future__ import annotations

from dataclasses import dataclass

from converter.formats import DEFAULT_PAGE_SIZE


@dataclass(frozen=True)
class PdfOptions:
    """What the PDF backend needs beyond the work itself."""

    user_css: str = ""  # --style, applied after the built-in sheets
    page_size: str = DEFAULT_PAGE_SIZE  # a key of formats.PAGE_SIZES
    font_size: float | None = None  # points; None: the page size's own
    hyphenate: bool = True  # hyphenate by the work's language
    variant: str | None = None  # one of formats.PDF_VARIANTS, or None for a plain PDF
    #: Processes that lay out a long book's groups of chapters at once; 1: this process alone.
    #: The bytes are the same whatever the number (``pdf_groups``).
    jobs: int = 1
