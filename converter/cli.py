"""Command line: argv -> calls to ``convert``; no logic beyond arguments and printing.

Exit codes: 0 when every input converted, 1 when any failed, 2 for bad usage, 130 when stopped with
Ctrl-C. Problems with an input are printed as one sentence on stderr; a traceback appears only with
``--debug``; bad usage is one sentence too, click's included (``usage.py``). The batch itself
(folders, workers, progress, skipping what is done) is ``batch.py``; the settings in force (config
file, environment, these options) are ``config.py``; delivering the books afterwards is
``devices.py``, ``delivery.py`` and ``kindle_mail.py``.
"""

from __future__ import annotations

import enum
import json
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from converter import __version__
from converter.errors import FicexportError
from converter.formats import DEFAULT_PAGE_SIZE, PAGE_SIZES, PDF_VARIANTS
from converter.languages import language_tag
from converter.naming import FIELDS, check_template
from converter.source import DEFAULT_MAX_BYTES
from converter.usage import USAGE_EXIT, Command, Number, UsageError

if TYPE_CHECKING:
    from converter.config import Settings
    from converter.convert import ConvertOptions
    from converter.deliver.devices import Device
    from converter.deliver.kindle_mail import MailServer


class ExitCode(enum.IntEnum):
    """What ``ficexport`` returns to the shell."""

    OK = 0
    SOME_FAILED = 1
    USAGE = USAGE_EXIT
    INTERRUPTED = 130  # Ctrl-C: the shells' convention, 128 + SIGINT


PageSize = enum.Enum("PageSize", {name: name for name in PAGE_SIZES}, type=str)
PdfVariant = enum.Enum("PdfVariant", {name: name for name in PDF_VARIANTS}, type=str)

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


@app.command(
    cls=Command,
    help="Turn fan fiction (an AO3 copy or download, a manuscript, a book) into EPUB and PDF: "
    "plain text (.txt, .md) or HTML (.html), a file at a time or whole folders.",
)
def main(
    # Not checked here (readable=False): a missing or unreadable input is the batch's one sentence,
    # exit 1, like every other bad input, not a usage error.
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATHS]...",
            help="Texts (.txt, .text, .md, .markdown), HTML files (.html, .htm, e.g. AO3's "
            "'Download -> HTML'), or folders of them.",
            show_default=False,
            readable=False,
        ),
    ] = None,
    epub: Annotated[bool, typer.Option("--epub", help="Write an EPUB (the default format).")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Write a PDF.")] = False,
    html: Annotated[
        bool,
        typer.Option("--html", help="Write the book as one self-contained HTML file, for a browser."),
    ] = False,
    kepub: Annotated[
        bool, typer.Option("--kepub", help="Write a Kobo KEPUB (.kepub.epub), beside or instead of the EPUB.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Folder for the outputs (default: beside each input).",
            file_okay=False,
        ),
    ] = None,
    to_device: Annotated[
        bool,
        typer.Option(
            "--to-device",
            help="Copy the books onto the plugged-in e-reader (KEPUB for a Kobo, PDF for a Kindle, "
            "EPUB for others).",
        ),
    ] = False,
    device: Annotated[
        Path | None,
        typer.Option(
            metavar="PATH",
            help="The e-reader's folder (where it is mounted, or a folder for its books); implies "
            "--to-device.",
            file_okay=False,
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="With --to-device: replace a different book of the same name."),
    ] = False,
    list_devices: Annotated[
        bool, typer.Option("--list-devices", help="Show the e-readers plugged in; convert nothing.")
    ] = False,
    send_to_kindle: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="E-mail the EPUBs to this Send to Kindle address (mail server from the config file "
            "or FICEXPORT_SMTP_*).",
        ),
    ] = None,
    show_config: Annotated[
        bool,
        typer.Option("--show-config", help="Show each setting in force and where it came from."),
    ] = False,
    title: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Use this title instead of the text's own.")
    ] = None,
    author: Annotated[
        list[str] | None, typer.Option(metavar="NAME", help="Use this author (repeat for several).")
    ] = None,
    language: Annotated[
        str | None, typer.Option(metavar="LANG", help="The text's language, e.g. en, de, 'Deutsch'.")
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(metavar="NAME", help="Read the input in this encoding instead of detecting it."),
    ] = None,
    style: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="A CSS file applied after the built-in styles.", dir_okay=False),
    ] = None,
    cover: Annotated[
        Path | None,
        typer.Option(
            metavar="IMAGE",
            help="Use this image as the cover instead of drawing one: JPEG, PNG or GIF as it is; "
            "WebP, BMP, TIFF and other images converted.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            metavar="TEMPLATE",
            help="Name the outputs from this template, e.g. '{title} - {author}'; fields: "
            + ", ".join("{" + field + "}" for field in FIELDS)
            + ". Default: the input's own name.",
        ),
    ] = None,
    max_size: Annotated[
        int,
        typer.Option(
            metavar="MB", click_type=Number(1), help="Refuse inputs larger than this many megabytes."
        ),
    ] = DEFAULT_MAX_BYTES // 1_000_000,
    smart: Annotated[
        bool, typer.Option("--smart/--no-smart", help="Curly quotes, dashes and ellipses.")
    ] = True,
    outline: Annotated[
        bool, typer.Option("--outline", help="Show what the parser understood; write no files.")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="With --outline: print JSON.")] = False,
    page_size: Annotated[
        PageSize | None,
        typer.Option(
            metavar="SIZE",
            help=f"PDF page: a4, letter (printing), a5, b6 (paperbacks), 6in, 7in (e-reader screens). "
            f"Default: {DEFAULT_PAGE_SIZE}.",
            show_default=False,
        ),
    ] = None,
    font_size: Annotated[
        float | None,
        typer.Option(
            metavar="PT",
            click_type=Number(5, 30, whole=False),
            help="PDF type size in points, 5 to 30 (default: the page size's own).",
        ),
    ] = None,
    hyphenate: Annotated[
        bool, typer.Option("--hyphenate/--no-hyphenate", help="Hyphenate the PDF's justified text.")
    ] = True,
    pdf_variant: Annotated[
        PdfVariant | None,
        typer.Option(
            metavar="VARIANT",
            help="pdf/ua-1: a tagged PDF for screen readers (see the README).",
            show_default=False,
        ),
    ] = None,
    recursive: Annotated[
        bool, typer.Option("--recursive/--no-recursive", help="Walk folders' subfolders too.")
    ] = True,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            metavar="GLOB",
            help="In folders, leave out the files and subfolders this pattern matches, by name or by "
            "path below the folder, e.g. 'README*' or 'drafts/*' (repeat for several).",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            click_type=Number(1),
            help="Convert this many files at once (default: one per CPU core).",
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
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback when something fails.")] = False,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    wanted = {"epub": epub, "pdf": pdf, "html": html, "kepub": kepub}
    asked = tuple(fmt for fmt, on in wanted.items() if on)
    if name is not None:
        try:
            check_template(name)
        except FicexportError as error:
            raise UsageError(error.sentence()) from None
    if language is not None and language_tag(language) is None:
        raise UsageError(
            f"--language: {language!r} is not a language ficexport knows; give a tag such as en or "
            "pt-BR, or a name such as Deutsch"
        )
    settings = _settings(
        {
            "formats": asked or None,
            "output": output,
            "page_size": page_size.value if page_size else None,
            "name": name,
            "device": device,
        }
    )
    if show_config:
        typer.echo("\n".join(settings.lines()))
        raise typer.Exit(ExitCode.OK)
    if list_devices:
        raise typer.Exit(_list_devices(settings))
    if not paths:
        _error("name the text files or folders to convert; ficexport --help shows how.")
        raise typer.Exit(ExitCode.USAGE)
    if replace and not (to_device or device is not None):
        raise UsageError("--replace only means something with --to-device or --device")
    _refuse_readers_as_inputs(paths, to_device)
    _refuse_special_files({"--style": style, "--cover": cover})
    try:
        target = _target_device(settings) if to_device or device is not None else None
        formats = _formats(settings, target, mail_too=send_to_kindle is not None)
        mail = _mail_server(send_to_kindle, settings) if send_to_kindle is not None else None
    except FicexportError as error:
        _error(error.sentence())
        raise typer.Exit(ExitCode.SOME_FAILED) from None

    # The pipeline is imported only now: ``--help``, ``--version``, ``--show-config`` and
    # ``--list-devices`` need none of it (lxml, ebooklib and the parser's rules are about a third
    # of a small conversion's start-up).
    from converter.convert import ConvertOptions
    from converter.library.batch import BatchSettings, find_inputs, run_batch
    from converter.library.progress import reporter_for
    from converter.parse import ParseOptions
    from converter.write.pdf import PdfOptions

    options = ConvertOptions(
        formats=formats,
        output_dir=settings["output"],
        encoding=encoding,
        max_bytes=max_size * 1_000_000,
        style=style,
        smart=smart,
        cover=cover,
        name=settings["name"],
        parse=ParseOptions(title=title, authors=tuple(author or ()), language=language),
        pdf=PdfOptions(
            page_size=settings["page_size"],
            font_size=font_size,
            hyphenate=hyphenate,
            variant=pdf_variant.value if pdf_variant else None,
        ),
    )
    if outline:
        found = find_inputs(paths, recursive, exclude=exclude or ())
        refused = any(odd.named for odd in found.not_files)  # a pipe or device named: a failed input
        for odd in found.not_files:
            _error(odd.sentence())
        if not found.files:
            if not refused:
                _error("no text files found in " + ", ".join(str(p) for p in paths))
            raise typer.Exit(ExitCode.SOME_FAILED)
        shown = _show_outlines([entry.source for entry in found.files], options, json_output, debug)
        raise typer.Exit(ExitCode.SOME_FAILED if refused else shown)
    batch = BatchSettings(
        jobs=jobs, cluster=cluster, force=force, recursive=recursive, exclude=tuple(exclude or ())
    )
    reporter = reporter_for(quiet=quiet, terminal=sys.stderr.isatty(), debug=debug)
    try:
        result = run_batch(paths, options, batch, reporter)
    except FicexportError as error:
        _error(error.sentence())
        raise typer.Exit(ExitCode.SOME_FAILED) from None
    except KeyboardInterrupt:  # while finding or checking the inputs: nothing is half-written
        _error("stopped; no book was left half-written")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    if result.interrupted:
        raise typer.Exit(ExitCode.INTERRUPTED)
    delivered = True
    if target is not None:
        delivered = _copy_to_device(result.books, target, replace, quiet)
    if mail is not None:
        delivered = _mail_to_kindle(result.books, *mail, quiet) and delivered
    raise typer.Exit(ExitCode.SOME_FAILED if result.failed or not delivered else ExitCode.OK)


def _settings(command_line: dict[str, object]) -> Settings:
    """The settings in force; a config file that cannot be used is bad usage (exit 2)."""
    from converter.config import load_settings

    try:
        return load_settings(command_line)
    except FicexportError as error:
        _error(error.sentence())
        raise typer.Exit(ExitCode.USAGE) from None


def _refuse_readers_as_inputs(paths: list[Path], to_device: bool) -> None:
    """Refuse an input that is a reader's own folder, before anything is converted: ``--to-device``
    takes no folder, so ``ficexport work.txt --to-device /media/KOBO`` names the reader as texts."""
    from converter.deliver.devices import reader_root

    for path in paths:
        reader = reader_root(path)
        if reader is not None:
            why = " (--to-device takes no folder)" if to_device else ""
            raise UsageError(
                f"{path} is a {reader.kind.value}'s folder, not texts to convert{why}; "
                f"did you mean --device {path}?"
            )


def _refuse_special_files(options: dict[str, Path | None]) -> None:
    """A pipe or a device given as ``--style`` or ``--cover`` would block the read: a usage error."""
    from converter.files import special_kind

    for option, path in options.items():
        what = special_kind(path) if path is not None else None
        if what is not None:
            raise UsageError(f"{option}: {path} is {what}, not a file")


def _list_devices(settings: Settings) -> ExitCode:
    """Print the readers plugged in, and the one the config file names."""
    from converter.deliver.devices import find_devices, named_device, system_volumes, where_looked

    found = find_devices(system_volumes())
    for found_device in found:
        typer.echo(found_device.describe())
    if not found:
        typer.echo(f"no e-reader found (looked in {where_looked()})")
    if settings["device"] is not None:
        where = settings.setting("device").origin()
        try:
            typer.echo(f"--to-device uses: {named_device(settings['device']).describe()} (from the {where})")
        except FicexportError as error:
            _error(error.sentence())
            return ExitCode.SOME_FAILED
    return ExitCode.OK


def _target_device(settings: Settings) -> Device:
    from converter.deliver.devices import choose_device

    return choose_device(settings["device"])


def _formats(settings: Settings, target: Device | None, mail_too: bool) -> tuple[str, ...]:
    """The formats to make: those named (command line, config file), the reader's own, and the
    EPUB when it is to be e-mailed."""
    formats = settings["formats"]
    if target is not None:
        from converter.config import DEFAULT
        from converter.deliver.delivery import formats_for

        formats = formats_for(target, () if settings.setting("formats").source == DEFAULT else formats)
    return formats if "epub" in formats or not mail_too else ("epub", *formats)


def _mail_server(address: str, settings: Settings) -> tuple[str, MailServer]:
    from converter.deliver.kindle_mail import MailServer, check_address

    return check_address(address), MailServer.from_settings(settings)


def _copy_to_device(books: list[Path], target: Device, replace: bool, quiet: bool) -> bool:
    """Copy the books the reader takes onto it, a line for each; whether none failed."""
    from converter.deliver.delivery import books_for, copy_books

    deliveries = copy_books(books_for(target, books), target, replace)
    for delivery in deliveries:
        if delivery.failed:
            _error(delivery.sentence())
        elif not quiet:
            typer.echo(delivery.sentence())
    if not deliveries and not quiet:
        _error(f"no book to copy onto the {target.kind.value}")
    return not any(delivery.failed for delivery in deliveries)


def _mail_to_kindle(books: list[Path], address: str, server: MailServer, quiet: bool) -> bool:
    """E-mail the EPUBs to the Kindle address, a line for each; whether all were sent."""
    from converter.deliver.kindle_mail import send_books

    epubs = [book for book in books if book.name.endswith(".epub") and not book.name.endswith(".kepub.epub")]

    def sent(book: Path) -> None:
        if not quiet:
            typer.echo(f"sent {book} to {address}")

    try:
        send_books(epubs, address, server, sent)
    except FicexportError as error:
        _error(error.sentence())
        return False
    return True


def _show_outlines(inputs: list[Path], options: ConvertOptions, as_json: bool, debug: bool) -> ExitCode:
    """Print each input's outline (one JSON document per input with --json); write nothing."""
    from converter.convert import load_work
    from converter.outline import format_outline
    from converter.outline import outline as outline_of

    failed = False
    for path in inputs:
        try:
            data = outline_of(load_work(path, options))
        except FicexportError as error:
            failed = True
            _error(error.sentence())
            if debug:
                traceback.print_exc()
            continue
        if as_json:
            typer.echo(json.dumps({"file": str(path), **data}, ensure_ascii=False, indent=2))
        else:
            if len(inputs) > 1:
                typer.echo(f"== {path}")
            typer.echo(format_outline(data))
    return ExitCode.SOME_FAILED if failed else ExitCode.OK


def _error(sentence: str) -> None:
    typer.echo(f"ficexport: {sentence}", err=True)


def run() -> None:
    """Entry point of the ``ficexport`` command."""
    app(prog_name="ficexport")
