"""Shared pytest fixtures: the real command, run the way a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run_ficexport(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    """Run the installed ``ficexport`` as a separate process from ``cwd``.

    Run from outside the source tree, the installed package is what runs (styles included), as
    for a user; ``python -m converter`` is the command's own entry point."""
    return subprocess.run(
        [sys.executable, "-m", "converter", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def run_cli(tmp_path_factory):
    """``run_cli(*args)``: the real command, run from an empty folder outside the project."""
    elsewhere = tmp_path_factory.mktemp("cwd")

    def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return run_ficexport(*args, cwd=cwd or elsewhere)

    return run
