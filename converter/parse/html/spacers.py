"""Empty paragraphs (``<p>&nbsp;</p>``): scene breaks when they are breaks, nothing when they are
only spacing, decided once per document from the evidence of all its chapters.

Writers use a blank paragraph for two different things, and a document shows which:

- A document that marks its breaks explicitly (``<hr>``, a ``* * *`` paragraph) uses blank paragraphs
  only for air: around those breaks, before a letter or a text-message exchange, before footnotes.
  (The Chinese corpus work: 15 ``<hr>``, each padded by two spacers, and 200 more spacers setting off
  messages and letters.) There they are spacing.
- A document with blank paragraphs in many of its gaps (a word processor's "space after" pasted
  as empty paragraphs) uses them for spacing too; if some runs are longer than the usual one,
  those longer runs are its breaks.
- Otherwise a blank paragraph between two stretches of text is what the author had for a scene
  break, as in AO3's rich-text editor: a break.

A run of spacers at the start or end of a chapter, or next to an explicit break, is never a break
of its own. Decisions are made on whole runs: two blank paragraphs in a row are one gap.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass

from converter.document import Block, SceneBreak
from converter.parse.html.blocks import ChapterMark, Item, Spacer

# Spacers in at least two of every five gaps between blocks are the document's way of spacing
# paragraphs (a scene break is far rarer than that: the corpus works have one per 100 paragraphs).
_DENSE = 0.4


@dataclass(frozen=True)
class SpacerPolicy:
    """How long a run of spacers must be to count as a scene break; ``None``: never."""

    break_run: int | None


def decide(bodies: list[list[Item]]) -> SpacerPolicy:
    """Read the spacers of a document's chapter bodies (their items, before resolving)."""
    runs: list[int] = []
    explicit_breaks = 0
    gaps = 0
    for items in bodies:
        blocks = [item for item in items if not isinstance(item, (Spacer, ChapterMark))]
        explicit_breaks += sum(isinstance(block, SceneBreak) for block in blocks)
        gaps += max(len(blocks) - 1, 0)
        runs.extend(length for length, interior in _runs(items) if interior)
    if not runs or explicit_breaks:
        return SpacerPolicy(None)
    if len(runs) >= _DENSE * max(gaps, 1):
        usual = collections.Counter(runs).most_common(1)[0][0]
        return SpacerPolicy(usual + 1 if max(runs) > usual else None)
    return SpacerPolicy(1)


def resolve(items: list[Item], policy: SpacerPolicy) -> tuple[Block, ...]:
    """The blocks of one body, each run of spacers turned into a break or dropped."""
    blocks: list[Block] = []
    run = 0
    for item in items:
        if isinstance(item, Spacer):
            run += 1
            continue
        between_text = blocks and not _is_break(blocks[-1]) and not _is_break(item)
        if between_text and policy.break_run is not None and run >= policy.break_run:
            blocks.append(SceneBreak())
        run = 0
        if not isinstance(item, ChapterMark):
            blocks.append(item)
    return tuple(blocks)


def _runs(items: list[Item]) -> list[tuple[int, bool]]:
    """Each run of spacers: its length, and whether it stands between two blocks of text (not at
    an edge, not next to an explicit break)."""
    found: list[tuple[int, bool]] = []
    run = 0
    before: Item | None = None
    for item in items:
        if isinstance(item, Spacer):
            run += 1
            continue
        if run:
            found.append((run, before is not None and not _is_break(before) and not _is_break(item)))
        run = 0
        before = item
    if run:
        found.append((run, False))
    return found


def _is_break(item: Item) -> bool:
    return isinstance(item, (SceneBreak, ChapterMark))
