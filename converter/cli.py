"""Command line: argv -> calls to the library; no logic beyond arguments, usage checks and printing.

Exit codes: 0 when every input converted, 1 when any failed, 2 for bad usage, 130 when stopped with
Ctrl-C. Problems with an input are printed as one sentence on stderr; a traceback appears only with
``--debug``; bad usage is one sentence too, click's included (``usage.py``, which also lays out
``--help`` under the panel headings declared here). The decisions live in the library: the batch
(folders, workers, progress, skipping what is done) is ``library/batch.py``, the formats a run
makes ``deliver/output_formats.py``, the outlines ``library/outlines.py``; the settings in force
(config file, environment, these options) are ``config.py``; delivering the books afterwards is
``deliver/``.
"""

from __future__ import annotations

import enum
import json
import sys
import traceback
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from converter import __version__
from converter.errors import FicexportError
from converter.formats import DEFAULT_PAGE_SIZE, PAGE_SIZES, PDF_VARIANTS
from converter.languages import language_tag
from converter.naming import FIELDS, check_template
from converter.source import DEFAULT_MAX_BYTES
from converter.usage import OTHER_PANEL, USAGE_EXIT, Command, Number, UsageError

if TYPE_CHECKING:
    from converter.config import Settings
    from converter.convert import ConvertOptions
    from converter.deliver.devices import Device
    from converter.deliver.kindle_mail import MailServer
    from converter.library.batch import BatchResult, BatchSettings
    from converter.library.outlines import InputOutline


class ExitCode(enum.IntEnum):
    """What ``ficexport`` returns to the shell."""

    OK = 0
    SOME_FAILED = 1
    USAGE = USAGE_EXIT
    INTERRUPTED = 130  # Ctrl-C: the shells' convention, 128 + SIGINT


PageSizeName = enum.Enum("PageSizeName", {name: name for name in PAGE_SIZES}, type=str)
PdfVariantName = enum.Enum("PdfVariantName", {name: name for name in PDF_VARIANTS}, type=str)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: usage.Command draws the panels as click sections
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ficexport {__version__}")
        raise typer.Exit()


# --- the options, declared once, by the --help panel they appear under --------------------------

# typer.Option for each panel, in the order --help shows them.
_formats = partial(typer.Option, rich_help_panel="Formats")
_output = partial(typer.Option, rich_help_panel="Output")
_book = partial(typer.Option, rich_help_panel="Book")
_input = partial(typer.Option, rich_help_panel="Input")
_pdf = partial(typer.Option, rich_help_panel="PDF")
_batch = partial(typer.Option, rich_help_panel="Batch")
_delivery = partial(typer.Option, rich_help_panel="Delivery")
_other = partial(typer.Option, rich_help_panel=OTHER_PANEL)

# Not checked here (readable=False): a missing or unreadable input is the batch's one sentence, exit 1,
# like every other bad input, not a usage error.
Paths = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="[PATHS]...",
        help="Texts (.txt, .text, .md, .markdown), HTML files (.html, .htm, e.g. AO3's "
        "'Download -> HTML'), or folders of them.",
        show_default=False,
        readable=False,
    ),
]

Epub = Annotated[bool, _formats("--epub", help="Write an EPUB (the default format).")]
Pdf = Annotated[bool, _formats("--pdf", help="Write a PDF.")]
Html = Annotated[
    bool, _formats("--html", help="Write the book as one self-contained HTML file, for a browser.")
]
Kepub = Annotated[
    bool, _formats("--kepub", help="Write a Kobo KEPUB (.kepub.epub), beside or instead of the EPUB.")
]

Output = Annotated[
    Path | None,
    _output(
        "--output",
        "-o",
        metavar="DIR",
        help="Folder for the outputs (default: beside each input).",
        file_okay=False,
    ),
]
Name = Annotated[
    str | None,
    _output(
        metavar="TEMPLATE",
        help="Name the outputs from this template, e.g. '{title} - {author}'; fields: "
        + ", ".join("{" + field + "}" for field in FIELDS)
        + ". Default: the input's own name.",
    ),
]

Title = Annotated[str | None, _book(metavar="TEXT", help="Use this title instead of the text's own.")]
Author = Annotated[list[str] | None, _book(metavar="NAME", help="Use this author (repeat for several).")]
Language = Annotated[str | None, _book(metavar="LANG", help="The text's language, e.g. en, de, 'Deutsch'.")]
Cover = Annotated[
    Path | None,
    _book(
        metavar="IMAGE",
        help="Use this image as the cover instead of drawing one: JPEG, PNG or GIF as it is; "
        "WebP, BMP, TIFF and other images converted.",
        exists=True,
        dir_okay=False,
    ),
]
Style = Annotated[
    Path | None, _book(metavar="FILE", help="A CSS file applied after the built-in styles.", dir_okay=False)
]
Smart = Annotated[bool, _book("--smart/--no-smart", help="Curly quotes, dashes and ellipses.")]

Encoding = Annotated[
    str | None, _input(metavar="NAME", help="Read the input in this encoding instead of detecting it.")
]
MaxSize = Annotated[
    int, _input(metavar="MB", click_type=Number(1), help="Refuse inputs larger than this many megabytes.")
]
Recursive = Annotated[bool, _input("--recursive/--no-recursive", help="Walk folders' subfolders too.")]
Exclude = Annotated[
    list[str] | None,
    _input(
        metavar="GLOB",
        help="In folders, leave out the files and subfolders this pattern matches, by name or by "
        "path below the folder, e.g. 'README*' or 'drafts/*' (repeat for several).",
    ),
]

PageSize = Annotated[
    PageSizeName | None,
    _pdf(
        metavar="SIZE",
        help=f"PDF page: a4, letter (printing), a5, b6 (paperbacks), 6in, 7in (e-reader screens). "
        f"Default: {DEFAULT_PAGE_SIZE}.",
        show_default=False,
    ),
]
FontSize = Annotated[
    float | None,
    _pdf(
        metavar="PT",
        click_type=Number(5, 30, whole=False),
        help="PDF type size in points, 5 to 30 (default: the page size's own).",
    ),
]
Hyphenate = Annotated[bool, _pdf("--hyphenate/--no-hyphenate", help="Hyphenate the PDF's justified text.")]
PdfVariant = Annotated[
    PdfVariantName | None,
    _pdf(
        metavar="VARIANT",
        help="pdf/ua-1: a tagged PDF for screen readers (see the README).",
        show_default=False,
    ),
]

Jobs = Annotated[
    int | None,
    _batch(
        "--jobs",
        "-j",
        metavar="N",
        click_type=Number(1),
        help="Convert N files at once, and lay out a long PDF on N processes (default: one per CPU core).",
    ),
]
Force = Annotated[bool, _batch("--force", help="Convert every input, even those whose books are up to date.")]
Cluster = Annotated[
    str | None,
    _batch(
        metavar="ADDRESS",
        help="Run on this Dask scheduler's workers (e.g. tcp://host:8786); needs a shared file system.",
    ),
]

ToDevice = Annotated[
    bool,
    _delivery(
        "--to-device",
        help="Copy the books onto the plugged-in e-reader (KEPUB for a Kobo, PDF for a Kindle, "
        "EPUB for others).",
    ),
]
DevicePath = Annotated[
    Path | None,
    _delivery(
        metavar="PATH",
        help="The e-reader's folder (where it is mounted, or a folder for its books); implies --to-device.",
        file_okay=False,
    ),
]
Replace = Annotated[
    bool, _delivery("--replace", help="With --to-device: replace a different book of the same name.")
]
SendToKindle = Annotated[
    str | None,
    _delivery(
        metavar="ADDRESS",
        help="E-mail the EPUBs to this Send to Kindle address (mail server from the config file "
        "or FICEXPORT_SMTP_*).",
    ),
]
ListDevices = Annotated[
    bool, _delivery("--list-devices", help="Show the e-readers plugged in; convert nothing.")
]

Outline = Annotated[bool, _other("--outline", help="Show what the parser understood; write no files.")]
JsonOutput = Annotated[bool, _other("--json", help="With --outline: print JSON.")]
ShowConfig = Annotated[
    bool, _other("--show-config", help="Show each setting in force and where it came from.")
]
Quiet = Annotated[bool, _other("--quiet", "-q", help="Print errors only.")]
Debug = Annotated[bool, _other("--debug", help="Show a traceback when something fails.")]
Version = Annotated[
    bool | None, _other("--version", callback=_version, is_eager=True, help="Show the version.")
]


# --- the command: the pipeline, one named step at a time ----------------------------------------


@app.command(
    cls=Command,
    help="Turn fan fiction (an AO3 copy or download, a manuscript, a book) into EPUB and PDF: "
    "plain text (.txt, .md) or HTML (.html), a file at a time or whole folders.",
)
def main(
    paths: Paths = None,
    epub: Epub = False,
    pdf: Pdf = False,
    html: Html = False,
    kepub: Kepub = False,
    output: Output = None,
    name: Name = None,
    title: Title = None,
    author: Author = None,
    language: Language = None,
    cover: Cover = None,
    style: Style = None,
    smart: Smart = True,
    encoding: Encoding = None,
    max_size: MaxSize = DEFAULT_MAX_BYTES // 1_000_000,
    recursive: Recursive = True,
    exclude: Exclude = None,
    page_size: PageSize = None,
    font_size: FontSize = None,
    hyphenate: Hyphenate = True,
    pdf_variant: PdfVariant = None,
    jobs: Jobs = None,
    force: Force = False,
    cluster: Cluster = None,
    to_device: ToDevice = False,
    device: DevicePath = None,
    replace: Replace = False,
    send_to_kindle: SendToKindle = None,
    list_devices: ListDevices = False,
    outline: Outline = False,
    json_output: JsonOutput = False,
    show_config: ShowConfig = False,
    quiet: Quiet = False,
    debug: Debug = False,
    version: Version = None,
) -> None:
    """Check the command line, settle the settings, plan where the books go, convert (or show
    outlines), deliver; each step is a function below, and each decision a library call."""
    _check_values(name, language)
    named = tuple(fmt for fmt, on in {"epub": epub, "pdf": pdf, "html": html, "kepub": kepub}.items() if on)
    settings = _settings(named, output, page_size, name, device)
    if show_config:
        typer.echo("\n".join(settings.lines()))
        raise typer.Exit(ExitCode.OK)
    if list_devices:
        raise typer.Exit(_list_devices(settings))
    delivering = to_device or device is not None
    paths = _check_inputs(paths, replace, to_device=to_device, device=device, style=style, cover=cover)
    plan = _plan_delivery(settings, delivering, send_to_kindle)
    options = _convert_options(
        settings,
        plan.formats,
        encoding=encoding,
        max_size=max_size,
        style=style,
        smart=smart,
        cover=cover,
        title=title,
        authors=tuple(author or ()),
        language=language,
        font_size=font_size,
        hyphenate=hyphenate,
        pdf_variant=pdf_variant.value if pdf_variant else None,
    )
    if outline:
        raise typer.Exit(_show_outlines(paths, options, recursive, tuple(exclude or ()), json_output, debug))
    batch = _batch_settings(jobs=jobs, cluster=cluster, force=force, recursive=recursive, exclude=exclude)
    result = _convert(paths, options, batch, quiet, debug)
    delivered = _deliver(result.books, plan, replace, quiet)
    raise typer.Exit(ExitCode.SOME_FAILED if result.failed or not delivered else ExitCode.OK)


# --- usage checks --------------------------------------------------------------------------------


def _check_values(name: str | None, language: str | None) -> None:
    """Refuse option values that click cannot check by type: a ``--name`` template with an unknown
    field, a ``--language`` that names no language."""
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


def _check_inputs(
    paths: list[Path] | None,
    replace: bool,
    *,
    to_device: bool,
    device: Path | None,
    style: Path | None,
    cover: Path | None,
) -> list[Path]:
    """The inputs named, once the command line is known to make sense for converting them."""
    if not paths:
        _error("name the text files or folders to convert; ficexport --help shows how.")
        raise typer.Exit(ExitCode.USAGE)
    if replace and not (to_device or device is not None):
        raise UsageError("--replace only means something with --to-device or --device")
    _refuse_readers_as_inputs(paths, to_device)
    _refuse_special_files({"--style": style, "--cover": cover})
    return paths


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


# --- settings and plans --------------------------------------------------------------------------


def _settings(
    formats: tuple[str, ...],
    output: Path | None,
    page_size: PageSizeName | None,
    name: str | None,
    device: Path | None,
) -> Settings:
    """The settings in force, the command line's over the config file's; a config file that cannot
    be used is bad usage (exit 2)."""
    from converter.config import load_settings

    command_line = {
        "formats": formats or None,
        "output": output,
        "page_size": page_size.value if page_size else None,
        "name": name,
        "device": device,
    }
    try:
        return load_settings(command_line)
    except FicexportError as error:
        _error(error.sentence())
        raise typer.Exit(ExitCode.USAGE) from None


class _DeliveryPlan(NamedTuple):
    """Where the books go besides the output folder, and so which formats to make."""

    formats: tuple[str, ...]
    device: Device | None
    mail: tuple[str, MailServer] | None  # the Kindle's address and the server to send through


def _plan_delivery(settings: Settings, delivering: bool, send_to_kindle: str | None) -> _DeliveryPlan:
    """Find the reader and the mail server before converting anything: a missing one fails the run
    (exit 1) while nothing is written yet."""
    from converter.config import DEFAULT
    from converter.deliver.output_formats import formats_to_make

    try:
        target = _target_device(settings) if delivering else None
        named = settings.setting("formats").source != DEFAULT
        formats = formats_to_make(settings["formats"], named, target, mailing=send_to_kindle is not None)
        mail = _mail_server(send_to_kindle, settings) if send_to_kindle is not None else None
    except FicexportError as error:
        _error(error.sentence())
        raise typer.Exit(ExitCode.SOME_FAILED) from None
    return _DeliveryPlan(formats, target, mail)


def _target_device(settings: Settings) -> Device:
    from converter.deliver.devices import choose_device

    return choose_device(settings["device"])


def _mail_server(address: str, settings: Settings) -> tuple[str, MailServer]:
    from converter.deliver.kindle_mail import MailServer, check_address

    return check_address(address), MailServer.from_settings(settings)


def _convert_options(
    settings: Settings,
    formats: tuple[str, ...],
    *,
    encoding: str | None,
    max_size: int,
    style: Path | None,
    smart: bool,
    cover: Path | None,
    title: str | None,
    authors: tuple[str, ...],
    language: str | None,
    font_size: float | None,
    hyphenate: bool,
    pdf_variant: str | None,
) -> ConvertOptions:
    """The options of every conversion in this run, one small object per stage."""
    # The pipeline is imported only now: ``--help``, ``--version``, ``--show-config`` and
    # ``--list-devices`` need none of it (lxml, ebooklib and the parser's rules are about a third
    # of a small conversion's start-up).
    from converter.convert import ConvertOptions
    from converter.parse import ParseOptions
    from converter.write.pdf import PdfOptions

    return ConvertOptions(
        formats=formats,
        output_dir=settings["output"],
        encoding=encoding,
        max_bytes=max_size * 1_000_000,
        style=style,
        smart=smart,
        cover=cover,
        name=settings["name"],
        parse=ParseOptions(title=title, authors=authors, language=language),
        pdf=PdfOptions(
            page_size=settings["page_size"], font_size=font_size, hyphenate=hyphenate, variant=pdf_variant
        ),
    )


def _batch_settings(
    jobs: int | None, cluster: str | None, force: bool, recursive: bool, exclude: list[str] | None
) -> BatchSettings:
    from converter.library.batch import BatchSettings

    return BatchSettings(
        jobs=jobs, cluster=cluster, force=force, recursive=recursive, exclude=tuple(exclude or ())
    )


# --- doing it and saying so ----------------------------------------------------------------------


def _show_outlines(
    paths: list[Path],
    options: ConvertOptions,
    recursive: bool,
    exclude: tuple[str, ...],
    as_json: bool,
    debug: bool,
) -> ExitCode:
    """Print each input's outline (one JSON document per input with ``--json``); write nothing."""
    from converter.library.outlines import outlines

    inputs, refused = _outline_inputs(paths, recursive, exclude)
    failed = refused or not inputs
    for shown in outlines(inputs, options):
        failed = not _print_outline(shown, as_json, len(inputs) > 1, debug) or failed
    return ExitCode.SOME_FAILED if failed else ExitCode.OK


def _outline_inputs(paths: list[Path], recursive: bool, exclude: tuple[str, ...]) -> tuple[list[Path], bool]:
    """The files to outline, found as a conversion finds them, with a line for each path that is no
    file; and whether such a path was named on the command line (a failed input)."""
    from converter.library.batch import find_inputs

    found = find_inputs(paths, recursive, exclude=exclude)
    refused = any(odd.named for odd in found.not_files)
    for odd in found.not_files:
        _error(odd.sentence())
    if not found.files and not refused:
        _error("no text files found in " + ", ".join(str(p) for p in paths))
    return [entry.source for entry in found.files], refused


def _print_outline(shown: InputOutline, as_json: bool, headed: bool, debug: bool) -> bool:
    """Print one input's outline (under a ``== path`` line when ``headed``), or why it has none;
    whether it had one."""
    from converter.outline import format_outline

    if shown.data is None:
        if shown.error is not None:
            _error(shown.error.sentence())
            if debug:
                traceback.print_exception(shown.error)
        return False
    if as_json:
        typer.echo(json.dumps({"file": str(shown.path), **shown.data}, ensure_ascii=False, indent=2))
        return True
    if headed:
        typer.echo(f"== {shown.path}")
    typer.echo(format_outline(shown.data))
    return True


def _convert(
    paths: list[Path], options: ConvertOptions, batch: BatchSettings, quiet: bool, debug: bool
) -> BatchResult:
    """Run the batch with progress on a terminal; stop the command when it could not run or was
    stopped."""
    from converter.library.batch import run_batch
    from converter.library.progress import reporter_for

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
    return result


def _deliver(books: list[Path], plan: _DeliveryPlan, replace: bool, quiet: bool) -> bool:
    """Copy and mail the books as planned; whether every delivery succeeded."""
    delivered = True
    if plan.device is not None:
        delivered = _copy_to_device(books, plan.device, replace, quiet)
    if plan.mail is not None:
        delivered = _mail_to_kindle(books, *plan.mail, quiet) and delivered
    return delivered


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
    from converter.deliver.kindle_mail import books_to_mail, send_books

    def sent(book: Path) -> None:
        if not quiet:
            typer.echo(f"sent {book} to {address}")

    try:
        send_books(books_to_mail(books), address, server, sent)
    except FicexportError as error:
        _error(error.sentence())
        return False
    return True


def _error(sentence: str) -> None:
    typer.echo(f"ficexport: {sentence}", err=True)


def run() -> None:
    """Entry point of the ``ficexport`` command."""
    app(prog_name="ficexport")
