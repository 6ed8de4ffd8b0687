"""Project Gutenberg layout: a book between PG's header and its licence.

PG texts open with a header ("The Project Gutenberg eBook of …", ``Title:``, ``Author:``,
``Language:``) that ends at ``*** START OF THE PROJECT GUTENBERG EBOOK … ***``, and close with
``*** END OF THE PROJECT GUTENBERG EBOOK … ***`` and the licence. Both are kept as labelled front and
back matter, never mixed into the story; the book between is parsed as generic text.
"""

from __future__ import annotations

import re

from converter.document import Matter, MatterKind, Metadata, Work
from converter.languages import language_tag
from converter.parse.blocks import parse_blocks
from converter.parse.generic import parse_body
from converter.parse.lines import profile_text, split_chunks

_START = re.compile(r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E(?:BOOK|TEXT)", re.IGNORECASE)
_END = re.compile(r"^\s*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E(?:BOOK|TEXT)", re.IGNORECASE)
_FIELD = re.compile(r"^(?P<label>Title|Author|Language)\s*:\s*(?P<value>\S.*)$", re.IGNORECASE)
# The header is short; a START marker deep inside a text is someone quoting one.
_HEADER_LINES = 400


def parse_gutenberg(lines: list[str]) -> Work | None:
    """Parse a Project Gutenberg text, or return ``None`` when the text has no PG markers."""
    start = next((i for i, line in enumerate(lines[:_HEADER_LINES]) if _START.match(line)), None)
    if start is None:
        return None
    end = next((i for i in range(len(lines) - 1, start, -1) if _END.match(lines[i])), len(lines))
    profile = profile_text(split_chunks(lines[start + 1 : end]))
    fields: dict[str, str] = {}
    for line in lines[:start]:
        match = _FIELD.match(line.strip())
        if match:
            fields.setdefault(match["label"].lower(), match["value"].strip())
    front, chapters = parse_body(lines, start + 1, end, profile)
    header = Matter(MatterKind.SOURCE_HEADER, "About this Project Gutenberg eBook",
                    parse_blocks(lines[: start + 1], profile))  # fmt: skip
    back = ()
    if end < len(lines):
        back = (Matter(MatterKind.SOURCE_LICENSE, "The Project Gutenberg License",
                       parse_blocks(lines[end:], profile)),)  # fmt: skip
    authors = tuple(a.strip() for a in re.split(r"\s+and\s+|;", fields.get("author", "")) if a.strip())
    meta = Metadata(
        title=fields.get("title", ""),
        authors=authors,
        language=language_tag(fields["language"]) if "language" in fields else None,
        publisher="Project Gutenberg",
    )
    return Work(meta=meta, chapters=chapters, front_matter=(header, *front), back_matter=back)
