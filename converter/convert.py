"""One file through the whole pipeline: read -> parse -> typeset -> EPUB/PDF -> written safely.

This is the unit of work that the CLI runs for each input (and that a batch runs in parallel). It
knows the order of the stages and where outputs go; the stages themselves know nothing of files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from converter.document import Work
from converter.errors import InputError, OutputError
from converter.formats import FORMAT_SUFFIXES
from converter.naming import output_stem
from converter.output import write_atomic
from converter.parse import ParseOptions, parse, parse_html
from converter.source import DEFAULT_MAX_BYTES, SourceText, read_source
from converter.typography import typeset
from converter.write.cover import cover_warning, load_cover, look_up_fonts
from converter.write.epub import EpubOptions, write_epub
from converter.write.html import write_html
from converter.write.kepub import write_kepub
from converter.write.pdf import PdfOptions, write_pdf
from converter.write.stylesheets import user_stylesheet


@dataclass(frozen=True)
class ConvertOptions:
    """Everything one conversion needs to know besides the input path: one small options object
    per stage, so each stage sees only what it uses."""

    formats: tuple[str, ...] = ("epub",)
    output_dir: Path | None = None  # None: beside the input
    encoding: str | None = None  # None: detect
    max_bytes: int = DEFAULT_MAX_BYTES
    style: Path | None = None  # the user's extra CSS, for every format
    smart: bool = True  # the typeset stage: curly quotes, dashes, ellipses
    cover: Path | None = None  # the user's cover image for EPUB and KEPUB; None: one is drawn
    name: str | None = None  # --name template for output files; None: the input's own name
    parse: ParseOptions = field(default_factory=ParseOptions)
    epub: EpubOptions = field(default_factory=EpubOptions)
    pdf: PdfOptions = field(default_factory=PdfOptions)


@dataclass(frozen=True)
class ConvertResult:
    """What one conversion produced."""

    source: Path
    work: Work
    outputs: tuple[Path, ...]
    warnings: tuple[str, ...] = ()


#: Readers by input suffix (lower case): the parser that turns the decoded text into a ``Work``.
#: Any other suffix is read as plain text.
READERS: dict[str, Callable[[str, ParseOptions], Work]] = {
    ".html": parse_html,
    ".htm": parse_html,
}


def load_work(path: Path, options: ConvertOptions, source: SourceText | None = None) -> Work:
    """Read (unless ``source`` is the input already read) and parse one input into its document
    tree, with the reader its suffix names."""
    if source is None:
        source = read_source(path, options.encoding, options.max_bytes)
    parse_options = options.parse
    if not parse_options.fallback_title:
        parse_options = dataclasses.replace(parse_options, fallback_title=Path(path).stem)
    reader = READERS.get(Path(path).suffix.lower(), parse)
    try:
        work = reader(source.text, parse_options)
    except InputError as error:
        if error.path is not None:
            raise
        raise InputError(path, error.problem, error.advice) from None  # a pure reader knows no path
    work = dataclasses.replace(work, meta=dataclasses.replace(work.meta, file_time=_file_time(path)))
    if not options.smart:
        return work
    work = typeset(work)
    if parse_options.title:  # the user's own --title stays exactly as typed
        work = dataclasses.replace(work, meta=dataclasses.replace(work.meta, title=parse_options.title))
    return work


def _file_time(path: Path) -> int | None:
    """The input's modification time in whole seconds: the book's date when the text states none
    (``reproducible.build_time``), so the same bytes and mtime give the same book."""
    try:
        return int(Path(path).stat().st_mtime)
    except OSError:  # gone since it was read: the date falls back as for a work with no file
        return None


def _epub(work: Work, options: ConvertOptions, user_css: str) -> tuple[bytes, list[str]]:
    data = write_epub(work, dataclasses.replace(options.epub, user_css=user_css))
    return data, _cover_notes(work, options)


def _kepub(work: Work, options: ConvertOptions, user_css: str) -> tuple[bytes, list[str]]:
    data = write_kepub(work, dataclasses.replace(options.epub, user_css=user_css))
    return data, _cover_notes(work, options)


def _cover_notes(work: Work, options: ConvertOptions) -> list[str]:
    """What the drawn cover leaves out for want of a font (said once: see ``convert_file``)."""
    note = cover_warning(work.meta) if options.epub.cover is None else None
    return [note] if note else []


def _pdf(work: Work, options: ConvertOptions, user_css: str) -> tuple[bytes, list[str]]:
    result = write_pdf(work, dataclasses.replace(options.pdf, user_css=user_css))
    return result.data, [
        f"the PDF did not load {url}: it loads only ficexport's own styles and fonts"
        for url in result.refused
    ] + result.warnings


def _html(work: Work, options: ConvertOptions, user_css: str) -> tuple[bytes, list[str]]:
    return write_html(work, dataclasses.replace(options.pdf, user_css=user_css)), []


#: Output formats in the order they are written: the file suffix, and the backend that makes the
#: bytes (returning them with any warnings for the user).
_BACKENDS: dict[str, Callable[[Work, ConvertOptions, str], tuple[bytes, list[str]]]] = {
    "epub": _epub,
    "pdf": _pdf,
    "html": _html,
    "kepub": _kepub,
}
FORMATS = {name: (suffix, _BACKENDS[name]) for name, suffix in FORMAT_SUFFIXES.items()}


def output_path(
    source: Path, suffix: str, options: ConvertOptions, stem: Path | None = None, work: Work | None = None
) -> Path:
    """Where the output for ``source`` goes: its name (or the ``--name`` template filled from
    ``work``) with ``suffix``, beside it or in ``-o``. A batch passes ``stem``, the place it chose
    (mirrored folders, clashing names made unique); ``--name`` then renames within that folder."""
    named = options.name is not None and work is not None
    if stem is not None:
        name = output_stem(options.name, work.meta, Path(source)) if named else stem.name
        return stem.with_name(name + suffix)
    folder = options.output_dir if options.output_dir is not None else Path(source).parent
    meta = work.meta if work is not None else None
    return folder / (output_stem(options.name if named else None, meta, Path(source)) + suffix)


def convert_file(path: Path, options: ConvertOptions, stem: Path | None = None) -> ConvertResult:
    """Convert one input to every requested format; raise ``FicexportError`` on bad input.

    ``stem``, when given, is where the outputs go, less their suffix (see ``output_path``)."""
    path = Path(path)
    makes_epub = bool({"epub", "kepub"} & set(options.formats))
    if makes_epub and options.cover is None:
        look_up_fonts()  # the drawn cover's fonts, looked up while the text is read and parsed
    source = read_source(path, options.encoding, options.max_bytes)
    work = load_work(path, options, source)
    user_css = user_stylesheet(options.style) if options.style else ""
    if makes_epub and options.cover is not None:
        cover = load_cover(options.cover, work.meta)
        options = dataclasses.replace(options, epub=dataclasses.replace(options.epub, cover=cover))
    outputs: list[Path] = []
    warnings: list[str] = [f"{path}: {note}" for note in source.warnings]
    for name in options.formats:
        suffix, backend = FORMATS[name]
        data, notes = backend(work, options, user_css)
        warnings.extend(f"{path}: {note}" for note in notes)
        target = output_path(path, suffix, options, stem, work)
        if target.resolve() == path.resolve():  # work.html --html: never write over the input
            raise OutputError(target, "the output would replace its own input", "choose a folder with -o")
        write_atomic(target, data)
        outputs.append(target)
    return ConvertResult(path, work, tuple(outputs), tuple(dict.fromkeys(warnings)))
