"""List-item rule: ``1.``, ``1)``, ``-``, ``*``, ``•`` (and ``+``, ``◦``, ``▪``, ``‣``) before a space.

A numbered item may stand alone (``  1. Keep an OPEN MIND about him.`` is a one-item list); a
bulleted item needs a sibling, because a single ``- Hello`` line is as likely a line of dialogue.
Numbers are at most three digits so a year opening a sentence (``1984. That was…``) stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What an item's first character (after any indent) can be; a line that opens with anything else is
# passed over without trying ``_ITEM`` (every paragraph of a text is asked).
_BULLETS = "-*•◦▪‣+"
_ITEM = re.compile(r"^\s*(?:(?P<marker>(?P<number>\d{1,3})[.)])|(?P<bullet>[-*•◦▪‣+]))\s+(?P<text>\S.*)$")


@dataclass(frozen=True)
class ListItemLine:
    """One line that opens a list item."""

    ordered: bool
    number: int
    text: str
    marker: str = ""  # "1." as written; empty for a bullet


def match_item(line: str) -> ListItemLine | None:
    """The list item ``line`` opens, or ``None``."""
    first = line.lstrip()[:1]
    if not first or not (first in _BULLETS or first.isdigit()):
        return None
    match = _ITEM.match(line)
    if not match:
        return None
    if match.group("number"):
        return ListItemLine(True, int(match.group("number")), match.group("text"), match.group("marker"))
    return ListItemLine(False, 0, match.group("text"))


def split_items(lines: tuple[str, ...]) -> list[tuple[ListItemLine, list[str]]] | None:
    """Split a chunk into items, each with its lines, when the whole chunk is one list.

    Lines after an item's first line belong to it only when indented; a chunk with an unindented
    non-item line is not a list (it is a paragraph that happens to start with a number)."""
    first = match_item(lines[0])
    if first is None:
        return None
    items: list[tuple[ListItemLine, list[str]]] = [(first, [first.text])]
    for line in lines[1:]:
        item = match_item(line)
        if item is not None and item.ordered == first.ordered:
            items.append((item, [item.text]))
        elif line[:1] in (" ", "\t"):
            items[-1][1].append(line.strip())
        else:
            return None
    return items
