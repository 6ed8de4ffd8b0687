"""PDF backend: ``Work`` -> the bytes of a PDF, typeset by WeasyPrint from the printed book's XHTML
(``print_document``: the same XHTML and ``styles/base.css`` as the EPUB, plus a contents page,
running heads and bookmarks) and its style sheets.

A short book is laid out in one WeasyPrint pass. A long one is laid out in groups of chapters on
``PdfOptions.jobs`` processes at once and joined into one book (``pdf_groups``), which reads the
same page for page (on one process, only a very long one: there grouping saves memory, not time);
a tagged PDF (``pdf/ua-1``) is always one pass, since tagged structure trees cannot be joined.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from converter.document import Work
from converter.formats import PAGE_SIZES, PDF_VARIANTS
from converter.write.fonts import TEXT_FACE, describe_missing, look_up, missing_glyphs
from converter.write.pdf_engine import typeset
from converter.write.pdf_groups import CannotGroup, groups_of, lay_out_in_groups
from converter.write.print_document import print_book, print_stylesheets, serialise
from converter.write.print_options import PdfOptions
from converter.write.reproducible import build_time

__all__ = ["PdfOptions", "PdfResult", "write_pdf"]


@dataclass
class PdfResult:
    """The PDF's bytes, the URLs the fetcher refused while making it, and what else the user should
    hear about it (characters no installed font has, shown as empty boxes)."""

    data: bytes
    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def write_pdf(work: Work, options: PdfOptions | None = None, *, one_pass: bool = False) -> PdfResult:
    """Typeset ``work`` as a PDF; with ``one_pass``, in one WeasyPrint pass whatever its length."""
    options = options or PdfOptions()
    if options.page_size not in PAGE_SIZES:
        raise ValueError(f"unknown page size {options.page_size!r}; choose one of {', '.join(PAGE_SIZES)}")
    if options.variant is not None and options.variant not in PDF_VARIANTS:
        raise ValueError(f"unknown PDF variant {options.variant!r}; choose one of {', '.join(PDF_VARIANTS)}")
    look_up([TEXT_FACE])  # answered while the PDF is typeset, for the check after it
    epoch = int(build_time(work).timestamp())
    book = print_book(work, options)
    sheets = print_stylesheets(options)
    groups = None if one_pass else groups_of(book, options.variant, options.user_css, options.jobs)
    text = serialise(book.document())  # the whole book in reading order, title first
    grouped = None
    if groups is not None:
        try:
            grouped = lay_out_in_groups(book, groups, sheets, epoch, options.jobs)
        except CannotGroup:  # a user's style sheet breaks what grouping takes for granted
            grouped = None
    if grouped is None:
        result = typeset(text, sheets, epoch, options.variant)
        data, refused = result.data, result.refused
    else:
        data, refused = grouped.data, grouped.refused
    notes = []
    if missing := missing_glyphs(text):
        what, advice = describe_missing(missing)
        boxes = "so the PDF shows them as empty boxes"
        notes.append(f"no installed font has {what}, {boxes}; {advice}, then convert again")
    return PdfResult(data=data, refused=refused, warnings=notes)
