"""Flattened layout: a work whose line breaks were all lost (HTML stripped of its tags).

Such a file is one long line in which each paragraph's end shows only as a sentence glued to the next
("…a very normal nine-year-old boy.Living in a small village…") and the title is glued to the first
sentence ("Blessed/Cursed RetirementLiam Buttersby was…"). Those seams are where the paragraphs
were, so they are split there; a title-cased run glued to the text at the very start is the title.
"""

from __future__ import annotations

import re

from converter.document import Chapter, Metadata, Work
from converter.parse.blocks import paragraph

# Long enough that one line cannot be a short note that simply lacks a final newline.
_MIN_LENGTH = 2000
# A sentence end glued to the next sentence's start: "boy.Living", "better.”Mr". Capital letters
# before the stop are excluded, so "A.Z. Fell" stays whole.
_SEAM = re.compile(r"(?<=[a-z0-9][.!?])(?=[A-Z“\"‘])|(?<=[.!?][”\"’])(?=[A-Z“\"‘])")
_TITLE_SEAM = re.compile(r"(?<=[a-z)?!])(?=[A-Z][a-z])")
_TITLE_MAX = 200


def parse_flattened(lines: list[str]) -> Work | None:
    """Parse a one-line text, or return ``None`` when the text has line breaks of its own."""
    filled = [line for line in lines if line.strip()]
    if len(filled) != 1 or len(filled[0]) < _MIN_LENGTH:
        return None
    text = filled[0].strip()
    title, text = _glued_title(text)
    blocks = tuple(paragraph(part) for part in _SEAM.split(text) if part.strip())
    return Work(meta=Metadata(title=title), chapters=(Chapter(number=1, body=blocks),))


def _glued_title(text: str) -> tuple[str, str]:
    """Split "Title WordsFirst sentence…" into the title and the text, when the start is title-cased."""
    match = _TITLE_SEAM.search(text, 0, _TITLE_MAX)
    if not match:
        return "", text
    title = text[: match.start()].strip()
    words = [word for word in re.findall(r"[^\W\d_]+", title) if len(word) > 3]
    capitalised = sum(1 for word in words if word[0].isupper())
    if not words or capitalised < 0.6 * len(words):
        return "", text
    return title, text[match.start() :]
