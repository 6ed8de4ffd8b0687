"""Shared pytest fixtures: the real command, run the way a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run_ficexport(*args: str | Path, cwd: Path, **process: object) -> subprocess.CompletedProcess:
    """Run the installed ``ficexport`` as a separate process from ``cwd`` (``process``: more
    arguments for ``subprocess.run``, such as ``env`` or ``preexec_fn``).

    Run from outside the source tree, the installed package is what runs (styles included), as
    for a user; ``python -m converter`` is the command's own entry point."""
    return subprocess.run(
        [sys.executable, "-m", "converter", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        **process,
    )


@pytest.fixture
def run_cli(tmp_path_factory):
    """``run_cli(*args)``: the real command, run from an empty folder outside the project."""
    elsewhere = tmp_path_factory.mktemp("cwd")

    def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return run_ficexport(*args, cwd=cwd or elsewhere)

    return run


@pytest.fixture(autouse=True)
def _no_user_settings(monkeypatch, tmp_path_factory):
    """Every test runs as a user with no config file, no mail settings and no e-reader plugged in:
    the developer's own ``config.toml``, ``FICEXPORT_SMTP_*`` or Kobo must never change a result
    (or receive a test's books). Tests that want them set them."""
    empty = tmp_path_factory.mktemp("no-settings")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(empty / "config"))
    monkeypatch.setenv("FICEXPORT_MOUNT_ROOTS", str(empty / "mounts"))
    for name in (
        "FICEXPORT_CONFIG",
        "FICEXPORT_SMTP_HOST",
        "FICEXPORT_SMTP_PORT",
        "FICEXPORT_SMTP_USER",
        "FICEXPORT_SMTP_PASSWORD",
        "FICEXPORT_SMTP_SECURITY",
        "FICEXPORT_SMTP_FROM",
    ):
        monkeypatch.delenv(name, raising=False)
