"""HTML backend: ``Work`` -> one self-contained ``.html`` file to read in a browser.

The file is the PDF's own document (``print_document``): the whole book on one page, its style sheets
inline and nothing linked or fetched, so it opens offline, can be sent as one attachment and prints from
a browser much as the PDF looks. Making it needs neither WeasyPrint nor ebooklib's packaging, so it is
as quick as an EPUB; it is also the input the benchmarks give WeasyPrint alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from converter.document import Work
from converter.print_document import print_document


@dataclass(frozen=True)
class HtmlOptions:
    """What the HTML backend needs beyond the work itself."""

    user_css: str = ""  # --style, applied after the built-in sheets


def write_html(work: Work, options: HtmlOptions | None = None) -> bytes:
    """The complete HTML file for ``work`` (UTF-8)."""
    options = options or HtmlOptions()
    return print_document(work, options.user_css).encode("utf-8")
