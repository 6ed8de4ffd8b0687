"""Command line: argv -> calls to ``convert``; no logic beyond arguments and printing.

Exit codes: 0 when every input converted, 1 when any failed, 2 for bad usage. Problems with an input
are printed as one sentence on stderr; a traceback appears only with ``--debug``.
"""

from __future__ import annotations

import enum
import traceback
from pathlib import Path
from typing import Annotated

import typer

from converter import __version__
from converter.batch import collect_inputs
from converter.convert import ConvertOptions, convert_file
from converter.errors import FicexportError
from converter.naming import FIELDS, check_template
from converter.parse import ParseOptions
from converter.source import DEFAULT_MAX_BYTES


class ExitCode(enum.IntEnum):
    """What ``ficexport`` returns to the shell."""

    OK = 0
    SOME_FAILED = 1
    USAGE = 2


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
    kepub: Annotated[
        bool, typer.Option("--kepub", help="Write a Kobo KEPUB (.kepub.epub), beside or instead of the EPUB.")
    ] = False,
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
    cover: Annotated[
        Path | None,
        typer.Option(
            help="Use this image as the cover (JPEG or PNG) instead of drawing one.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            help="Name the outputs from this template, e.g. '{title} - {author}'; fields: "
            + ", ".join("{" + field + "}" for field in FIELDS)
            + ". Default: the input's own name.",
        ),
    ] = None,
    max_size: Annotated[
        int, typer.Option(help="Refuse inputs larger than this many megabytes.", min=1)
    ] = DEFAULT_MAX_BYTES // 1_000_000,
    recursive: Annotated[
        bool, typer.Option("--recursive/--no-recursive", help="Walk folders' subfolders too.")
    ] = True,
    debug: Annotated[bool, typer.Option(help="Show a traceback when something fails.")] = False,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    wanted = {"epub": epub, "pdf": pdf, "kepub": kepub}
    formats = tuple(fmt for fmt, asked in wanted.items() if asked) or ("epub",)
    if name is not None:
        try:
            check_template(name)
        except FicexportError as error:
            raise typer.BadParameter(error.sentence(), param_hint="--name") from None
    options = ConvertOptions(
        formats=formats,
        output_dir=output,
        encoding=encoding,
        max_bytes=max_size * 1_000_000,
        style=style,
        cover=cover,
        name=name,
        parse=ParseOptions(title=title, authors=tuple(author or ()), language=language),
    )
    failed = 0
    inputs = collect_inputs(paths, recursive)
    if not inputs:
        _error(
            "no text files found in "
            + ", ".join(str(p) for p in paths)
            + "; name .txt or .md files, or folders holding them"
        )
        raise typer.Exit(ExitCode.SOME_FAILED)
    for path in inputs:
        try:
            result = convert_file(path, options)
        except FicexportError as error:
            failed += 1
            _error(error.sentence())
            if debug:
                traceback.print_exc()
            continue
        except Exception as error:  # a bug: say so plainly, never hide the file
            failed += 1
            _error(
                f"{path}: could not be converted because of an internal error ({type(error).__name__}: "
                f"{error}); run again with --debug and report it"
            )
            if debug:
                traceback.print_exc()
            continue
        for warning in result.warnings:
            _error(warning)
        for written in result.outputs:
            typer.echo(f"{path} -> {written}")
    if len(inputs) > 1:
        typer.echo(f"{len(inputs) - failed} converted, {failed} failed", err=True)
    raise typer.Exit(ExitCode.SOME_FAILED if failed else ExitCode.OK)


def _error(sentence: str) -> None:
    typer.echo(f"ficexport: {sentence}", err=True)


def run() -> None:
    """Entry point of the ``ficexport`` command."""
    app(prog_name="ficexport")
