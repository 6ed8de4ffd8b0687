"""Shared pytest fixtures: the real command, run the way a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def run_cli():
    """Run ``ficexport`` as a separate process (``python -m converter``) and return the result."""

    def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "converter", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd,
            check=False,
        )

    return run
