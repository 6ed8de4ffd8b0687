"""What the parser understood of each input, for ``--outline``: the outline data, or why an input
has none. Nothing is written and nothing is printed here; the command line prints.

Each input is loaded (read, parsed, typeset) exactly as a conversion would load it, so the outline
shows what the books would hold, and one input that cannot be read does not stop the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from converter.errors import FicexportError

if TYPE_CHECKING:
    from converter.convert import ConvertOptions


@dataclass(frozen=True)
class InputOutline:
    """One input's outline (``converter.outline.outline``'s data), or the error that stopped it."""

    path: Path
    data: dict[str, Any] | None = None
    error: FicexportError | None = None


def outlines(inputs: Iterable[Path], options: ConvertOptions) -> Iterator[InputOutline]:
    """Each input's outline in turn, loaded with the conversion's own ``options``; yielded one at a
    time so a long batch shows its first outline before the last input is parsed."""
    from converter.convert import load_work
    from converter.outline import outline

    for path in inputs:
        try:
            found = InputOutline(path, data=outline(load_work(path, options)))
        except FicexportError as error:
            found = InputOutline(path, error=error)
        yield found
