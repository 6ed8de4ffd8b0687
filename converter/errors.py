"""The one error type a person sees, with the sentence they read.

Every failure that is the input's or the environment's fault (not a bug) is raised as a
``FicexportError`` whose message is one plain sentence: which file, what is wrong, what to do.
Only the CLI turns these into exit codes; the stages never print.
"""

from __future__ import annotations

from pathlib import Path


class FicexportError(Exception):
    """A problem with one input or output that the user can fix."""

    def __init__(self, path: Path | str | None, problem: str, advice: str = "") -> None:
        self.path = Path(path) if path is not None else None
        self.problem = problem
        self.advice = advice
        super().__init__(self.sentence())

    def sentence(self) -> str:
        """``work.txt: the file is empty; add some text or pick another file.``"""
        where = f"{self.path}: " if self.path is not None else ""
        tail = f"; {self.advice}" if self.advice else ""
        return f"{where}{self.problem}{tail}."


class InputError(FicexportError):
    """The input cannot be read as a text (missing, empty, binary, undecodable, too large)."""


class OutputError(FicexportError):
    """The output cannot be written (folder not writable, disk full)."""
