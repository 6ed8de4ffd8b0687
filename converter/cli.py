"""Command line: argv -> calls to ``convert``; no logic beyond arguments and printing.

Exit codes: 0 when every input converted, 1 when any failed, 2 for bad usage, 130 when stopped with
Ctrl-C. Problems with an input are printed as one sentence on stderr; a traceback appears only with
``--debug``. The batch itself (folders, workers, progress, skipping what is done) is ``batch.py``.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from converter import __version__
from converter.batch import BatchSettings, run_batch
from converter.convert import ConvertOptions
from converter.errors import FicexportError
from converter.parse import ParseOptions
from converter.progress import reporter_for
from converter.source import DEFAULT_MAX_BYTES


class ExitCode(enum.IntEnum):
    """What ``ficexport`` returns to the shell."""

    OK = 0
    SOME_FAILED = 1
    USAGE = 2
    INTERRUPTED = 130  # Ctrl-C: the shells' convention, 128 + SIGINT


app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ficexport {__version__}")
        raise typer.Exit()


@app.command(help="Turn plain-text fan fiction (an AO3 copy, a manuscript, a book) into EPUB and PDF.")
def main(
    paths: Annotated[list[Path], typer.Argument(help="Text files or folders of them.", show_default=False)],
    epub: Annotated[bool, typer.Option("--epub", help="Write an EPUB (the default format).")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Write a PDF.")] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Folder for the outputs (default: beside each input).", file_okay=False
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="Use this title instead of the text's own.")] = None,
    author: Annotated[list[str] | None, typer.Option(help="Use this author (repeat for several).")] = None,
    language: Annotated[str | None, typer.Option(help="The text's language, e.g. en, de, 'Deutsch'.")] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Read the input in this encoding instead of detecting it.")
    ] = None,
    style: Annotated[
        Path | None, typer.Option(help="A CSS file applied after the built-in styles.", dir_okay=False)
    ] = None,
    max_size: Annotated[
        int, typer.Option(help="Refuse inputs larger than this many megabytes.", min=1)
    ] = DEFAULT_MAX_BYTES // 1_000_000,
    recursive: Annotated[
        bool, typer.Option("--recursive/--no-recursive", help="Walk folders' subfolders too.")
    ] = True,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", help="Convert this many files at once (default: one per CPU core).", min=1
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Convert every input, even those whose books are up to date.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    cluster: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="Run on this Dask scheduler's workers (e.g. tcp://host:8786); needs a shared file system.",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show a traceback when something fails.")] = False,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    formats = tuple(name for name, wanted in (("epub", epub), ("pdf", pdf)) if wanted) or ("epub",)
    options = ConvertOptions(
        formats=formats,
        output_dir=output,
        encoding=encoding,
        max_bytes=max_size * 1_000_000,
        style=style,
        parse=ParseOptions(title=title, authors=tuple(author or ()), language=language),
    )
    settings = BatchSettings(jobs=jobs, cluster=cluster, force=force, recursive=recursive)
    reporter = reporter_for(quiet=quiet, terminal=sys.stderr.isatty(), debug=debug)
    try:
        result = run_batch(paths, options, settings, reporter)
    except FicexportError as error:
        _error(error.sentence())
        raise typer.Exit(ExitCode.SOME_FAILED) from None
    except KeyboardInterrupt:  # while finding or checking the inputs: nothing is half-written
        _error("stopped; no book was left half-written")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    if result.interrupted:
        raise typer.Exit(ExitCode.INTERRUPTED)
    raise typer.Exit(ExitCode.SOME_FAILED if result.failed else ExitCode.OK)


def _error(sentence: str) -> None:
    typer.echo(f"ficexport: {sentence}", err=True)


def run() -> None:
    """Entry point of the ``ficexport`` command."""
    app(prog_name="ficexport")
