"""The names the command line, the config file and the writers share: output formats, page sizes,
PDF variants.

A light module on purpose: the command line and the config file import it to check what a user
typed (and ``ficexport --help`` lists it) without loading lxml or any writer.
"""

from __future__ import annotations

#: Output formats in the order they are written, each with its file suffix.
FORMAT_SUFFIXES: dict[str, str] = {
    "epub": ".epub",
    "pdf": ".pdf",
    "html": ".html",
    "kepub": ".kepub.epub",
}
FORMAT_NAMES = tuple(FORMAT_SUFFIXES)

#: The page sizes ``--page-size`` offers, each a sheet ``styles/page-<name>.css`` (page size, margins,
#: type size): two sheets of paper for printing at home, two paperback pages, two e-ink screens.
PAGE_SIZES = ("a4", "letter", "a5", "b6", "6in", "7in")
DEFAULT_PAGE_SIZE = "a5"

#: PDF variants ``--pdf-variant`` offers (WeasyPrint's names): PDF/UA-1 is a tagged PDF.
PDF_VARIANTS = ("pdf/ua-1",)
