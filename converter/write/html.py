"""HTML backend: ``Work`` -> one self-contained ``.html`` file to read in a browser.

The file is the PDF's own document and style sheets (``print_document``), the sheets inline and
nothing linked or fetched, so it opens offline, can be sent as one attachment and prints from a
browser much as the PDF looks. Making it needs no WeasyPrint, so it is as quick as an EPUB; it is also
the input the benchmarks give WeasyPrint alone.
"""

from __future__ import annotations

from converter.document import Work
from converter.write.print_document import print_document, print_stylesheets, self_contained_html
from converter.write.print_options import PdfOptions


def write_html(work: Work, options: PdfOptions | None = None) -> bytes:
    """The complete HTML file for ``work`` (UTF-8), laid out for ``options``' page size."""
    options = options or PdfOptions()
    return self_contained_html(print_document(work, options), print_stylesheets(options)).encode("utf-8")
