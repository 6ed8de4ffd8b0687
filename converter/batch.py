"""Which files a command line names: files as given, folders walked for texts.

Folders are walked recursively in a stable (sorted) order; hidden files and folders, OS droppings
and files of other kinds are skipped, so pointing ficexport at a messy folder converts the texts in
it and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

#: Suffixes taken from a folder (a file named directly is always taken).
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm"})


def collect_inputs(paths: Iterable[Path], recursive: bool = True) -> list[Path]:
    """The input files named by ``paths``, each once, folders expanded, in command-line order."""
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        candidates = _walk(path, recursive) if path.is_dir() else [path]
        for candidate in candidates:
            key = candidate.resolve() if candidate.exists() else candidate
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def _walk(folder: Path, recursive: bool) -> list[Path]:
    files: list[Path] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if recursive:
                files.extend(_walk(entry, recursive))
        elif entry.suffix.lower() in TEXT_SUFFIXES and entry.is_file():
            files.append(entry)
    return files
