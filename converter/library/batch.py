"""Converting a whole library at once: fast, resumable, and never stopped by one bad file.

- ``find_inputs``: the files a command line names; folders are walked (sorted, recursively unless
  told not to) for texts, skipping hidden files, OS droppings, what ``--exclude`` names and our own
  output folder. Links are followed (each real folder once, so a loop ends); only regular files are
  taken, since reading a pipe or a device would never end.
- ``plan_batch``: each input's place in the output tree (which mirrors the input folders), a suffix
  for names that would clash, and which of its books are out of date (``state.OutputRecord``).
- ``run_batch``: the out-of-date inputs through ``workers.convert_job`` in worker processes
  (``workers.py``) or on a Dask cluster (``cluster.py``); each result goes to a ``Reporter`` and
  each book into the record as soon as it is written, so an interrupted batch resumes where it
  stopped.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from converter import __version__
from converter.convert import FORMATS, ConvertOptions, output_path
from converter.errors import FicexportError, OutputError
from converter.files import special_kind
from converter.library.cluster import connect, run_on_cluster
from converter.library.state import Fingerprint, OutputRecords, input_digest, options_digest
from converter.library.workers import Job, Outcome, default_jobs, run_locally
from converter.naming import name_key

#: Suffixes taken from a folder (a file named directly is always taken).
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm"})

#: Files and folders that operating systems and archivers leave in folders (compared case-blind).
#: Names starting with a dot (``.DS_Store``, ``._work.txt``, our ``.*.part`` and state files) are
#: skipped anyway.
OS_DROPPINGS = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "__macosx", "$recycle.bin"})

# --- which files -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputFile:
    """A file to convert and the folder its place in the output tree is measured from: the folder
    named on the command line that it was found in, or its own folder when it was named itself."""

    source: Path
    base: Path

    @property
    def relative(self) -> Path:
        return self.source.relative_to(self.base)


@dataclass(frozen=True)
class NotAFile:
    """A path that names no regular file (a named pipe, a device, a socket, a link that loops), so
    it is never opened: reading a pipe waits for a writer and ``/dev/zero`` never ends."""

    path: Path
    what: str  # "a named pipe (FIFO)", "a link to /dev/zero, a device", ...
    named: bool  # named on the command line (a failed input) rather than found in a folder (skipped)

    def sentence(self) -> str:
        """``x.txt: this is a named pipe (FIFO), not a file; name a text file instead.``"""
        if self.named:
            problem, advice = f"this is {self.what}, not a file", "name a text file instead"
        else:
            problem, advice = f"skipped: this is {self.what}, not a file", ""
        return FicexportError(self.path, problem, advice).sentence()


@dataclass(frozen=True)
class Inputs:
    """What a command line's paths hold: the files to convert, and the paths that are no file."""

    files: list[InputFile]
    not_files: list[NotAFile]


def find_inputs(
    paths: Iterable[Path], recursive: bool = True, skip: Path | None = None, exclude: Iterable[str] = ()
) -> Inputs:
    """The input files named by ``paths``, each once, folders expanded, in command-line order.

    ``skip`` is the output folder: when it lies inside an input folder, it is not walked, so the
    books of an earlier run are never taken for inputs. ``exclude`` holds ``--exclude`` patterns,
    matched (case-blind) against each file's and folder's path below the folder named and its
    name; a file named on the command line is always taken."""
    # "drafts/" names the folder, as "drafts" does.
    patterns = tuple(pattern.casefold().rstrip("/") or pattern for pattern in exclude)
    walk = _Walk(recursive, _identity(skip) if skip is not None else None, patterns)
    found: list[InputFile] = []
    seen: set[str] = set()
    for path in map(Path, paths):
        if path.is_dir():
            walk.visited.add(_identity(path))
            entries = [InputFile(f, path) for f in walk.files(path, path)]
        else:
            odd = _not_a_file(path, named=True)
            if odd is not None:
                walk.not_files.append(odd)
                continue
            entries = [InputFile(path, path.parent)]
        for entry in entries:
            key = _identity(entry.source)
            if key not in seen:
                seen.add(key)
                found.append(entry)
    return Inputs(found, walk.not_files)


@dataclass
class _Walk:
    """One command line's walk through its folders: what to leave out, and what was met."""

    recursive: bool
    skip: str | None  # the output folder's identity
    exclude: tuple[str, ...]  # casefolded
    visited: set[str] = dataclasses.field(default_factory=set)  # folders walked, by identity
    not_files: list[NotAFile] = dataclasses.field(default_factory=list)

    def files(self, folder: Path, top: Path) -> list[Path]:
        files: list[Path] = []
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            name = entry.name
            if name.startswith(".") or name.casefold() in OS_DROPPINGS or self._excluded(entry, top):
                continue
            if entry.is_dir():
                identity = _identity(entry)
                # A linked folder is followed, but never twice (a link to a parent would loop).
                if self.recursive and identity != self.skip and identity not in self.visited:
                    self.visited.add(identity)
                    files.extend(self.files(entry, top))
            elif entry.suffix.lower() in TEXT_SUFFIXES:
                odd = _not_a_file(entry, named=False)
                if odd is None:
                    files.append(entry)
                else:
                    self.not_files.append(odd)
        return files

    def _excluded(self, entry: Path, top: Path) -> bool:
        relative = entry.relative_to(top).as_posix().casefold()
        name = entry.name.casefold()
        return any(fnmatch.fnmatchcase(relative, p) or fnmatch.fnmatchcase(name, p) for p in self.exclude)


def _not_a_file(path: Path, named: bool) -> NotAFile | None:
    """What ``path`` is when it is neither a regular file (or a link to one) nor missing; a path
    that does not exist, or a link to nothing, is taken, and its conversion says it is missing."""
    what = special_kind(path)
    return NotAFile(path, what, named) if what is not None else None


def _identity(path: Path) -> str:
    """A key that is equal for two paths naming the same file, whatever the spelling or links."""
    return str(Path(path).resolve())


# --- where each book goes, and which are out of date -------------------------------------------


@dataclass(frozen=True)
class Renamed:
    """An input whose natural output name was already taken by an earlier input."""

    source: Path
    taken_by: Path  # the earlier input that has the name
    wanted: Path  # the output path both would have had, less suffix
    given: Path  # the one this input gets instead, e.g. "work (2)"


@dataclass(frozen=True)
class PlannedFile:
    """One input, where its books go, what they are made from, and which need making."""

    input: InputFile
    stem: Path  # the books' path less suffix
    folder: Path  # the output folder whose record lists its books
    fingerprint: Fingerprint | None  # None: the input cannot be read (the conversion says why)
    stale: tuple[str, ...]  # the formats to (re)make; empty when every book is up to date


@dataclass(frozen=True)
class Plan:
    files: tuple[PlannedFile, ...]
    renamed: tuple[Renamed, ...]

    @property
    def to_convert(self) -> list[PlannedFile]:
        return [f for f in self.files if f.stale]

    @property
    def up_to_date(self) -> int:
        return sum(1 for f in self.files if not f.stale)


def plan_batch(
    inputs: list[InputFile], options: ConvertOptions, records: OutputRecords, force: bool = False
) -> Plan:
    """Place each input's books and decide which need making: all with ``force``, else those whose
    input, options or ficexport version changed since they were made, or that are missing."""
    stems, renamed = _place(inputs, options.output_dir)
    options_sha256 = options_digest(options)
    files = []
    for entry, stem in zip(inputs, stems, strict=True):
        folder = options.output_dir if options.output_dir is not None else entry.base
        digest = input_digest(entry.source, options.max_bytes)
        fingerprint = Fingerprint(digest, entry.source.name, options_sha256, __version__) if digest else None
        record = records[folder]
        stale = tuple(
            name
            for name in options.formats
            if force
            or fingerprint is None
            or not record.is_current(output_path(entry.source, FORMATS[name][0], options, stem), fingerprint)
        )
        files.append(PlannedFile(entry, stem, folder, fingerprint, stale))
    return Plan(tuple(files), tuple(renamed))


def _place(inputs: list[InputFile], output_dir: Path | None) -> tuple[list[Path], list[Renamed]]:
    """Each input's output path less suffix: its place below its folder, mirrored under
    ``output_dir`` (or where it is). When two inputs want the same name (``work.txt`` and
    ``work.md``; ``Work.txt`` and ``work.txt``, the same file on Windows and macOS) the first keeps
    it and the next gets ``work (2)``, a name no other input wants, so every input gets a book."""
    wanted = [(output_dir if output_dir is not None else e.base) / e.relative.with_suffix("") for e in inputs]
    natural = {_name_key(stem) for stem in wanted}
    given: dict[str, Path] = {}  # name key -> the input that has it
    stems: list[Path] = []
    renamed: list[Renamed] = []
    for entry, stem in zip(inputs, wanted, strict=True):
        chosen = stem
        number = 2
        while _name_key(chosen) in given or (chosen is not stem and _name_key(chosen) in natural):
            chosen = stem.with_name(f"{stem.name} ({number})")
            number += 1
        if chosen is not stem:
            renamed.append(Renamed(entry.source, given[_name_key(stem)], stem, chosen))
        given[_name_key(chosen)] = entry.source
        stems.append(chosen)
    return stems, renamed


def _name_key(path: Path) -> str:
    """Output names that one file system or another would take for the same file."""
    return name_key(os.path.abspath(path))


# --- running a batch ---------------------------------------------------------------------------


class Reporter(Protocol):
    """What a batch tells the user as it goes (``progress.py`` has the implementations)."""

    def note(self, message: str) -> None: ...
    def begin(self, to_convert: int, up_to_date: int) -> None: ...
    def started(self, source: Path) -> None: ...
    def finished(self, outcome: Outcome) -> None: ...
    def end(self, result: BatchResult) -> None: ...


@dataclass(frozen=True)
class BatchSettings:
    """How to run a batch (as opposed to what each book looks like, which is ``ConvertOptions``)."""

    jobs: int | None = None  # worker processes; None: one per CPU core
    cluster: str | None = None  # a Dask scheduler's address: run there instead
    force: bool = False  # make every book, up to date or not
    recursive: bool = True
    exclude: tuple[str, ...] = ()  # --exclude patterns: files and folders a walk leaves out


@dataclass(frozen=True)
class BatchResult:
    """The end of a batch, for the summary and the exit code."""

    converted: tuple[Outcome, ...]
    failed: tuple[Outcome, ...]
    up_to_date: int
    not_converted: int  # left when the batch was stopped
    renamed: tuple[Renamed, ...]
    seconds: float
    interrupted: bool = False
    current: tuple[Path, ...] = ()  # books already up to date, left as they were

    @property
    def total(self) -> int:
        return len(self.converted) + len(self.failed) + self.up_to_date + self.not_converted

    @property
    def books(self) -> list[Path]:
        """Every book the inputs have now: those just made and those already up to date (what
        ``--to-device`` copies and ``--send-to-kindle`` sends)."""
        return [*self.current, *(book for outcome in self.converted for book in outcome.outputs)]


#: How often the record is saved while a batch runs, so that a crash loses little.
_SAVE_EVERY_SECONDS = 10.0


def run_batch(
    paths: Iterable[Path], options: ConvertOptions, settings: BatchSettings, reporter: Reporter
) -> BatchResult:
    """Convert every input ``paths`` name whose books are out of date; raise ``FicexportError``
    only when there is nothing to work on (no inputs) or the cluster cannot be used."""
    clock = time.monotonic()
    paths = list(paths)
    found = find_inputs(paths, settings.recursive, skip=options.output_dir, exclude=settings.exclude)
    # A pipe or a device named on the command line failed as an input; one met in a folder is
    # skipped, with a note.
    refused = [Outcome(odd.path, error=odd.sentence()) for odd in found.not_files if odd.named]
    for odd in found.not_files:
        if not odd.named:
            reporter.note(odd.sentence())
    inputs = found.files
    if not inputs and not refused:
        raise FicexportError(
            None,
            "no text files found in " + ", ".join(str(p) for p in paths),
            "name .txt or .md files, or folders holding them",
        )
    records = OutputRecords()
    plan = plan_batch(inputs, options, records, settings.force)
    suffix = FORMATS[options.formats[0]][0]
    for renamed in plan.renamed:
        reporter.note(
            f"{renamed.taken_by} and {renamed.source} would both be {renamed.wanted}{suffix}; "
            f"the book of {renamed.source} is {renamed.given}{suffix} instead"
        )
    todo = plan.to_convert
    client = connect(settings.cluster) if settings.cluster and todo else None
    workers = settings.jobs or default_jobs()
    layouts = _layout_processes(workers, len(todo), client is not None)
    jobs = [
        Job(
            _for_worker(f.input.source, client),
            _for_worker(f.stem, client),
            _narrowed(options, f.stale, layouts),
        )
        for f in todo
    ]
    outcomes: dict[int, Outcome] = {}
    last_save = time.monotonic()

    def started(index: int) -> None:
        reporter.started(todo[index].input.source)

    def finished(index: int, outcome: Outcome) -> None:
        nonlocal last_save
        planned = todo[index]
        # Paths as the user wrote them (a cluster's workers were given whole paths).
        books = tuple(planned.stem.with_name(Path(book).name) for book in outcome.outputs)
        outcome = dataclasses.replace(outcome, source=planned.input.source, outputs=books)
        if not outcome.failed and planned.fingerprint is not None:
            for book in books:
                records[planned.folder].record(book, planned.fingerprint)
        outcomes[index] = outcome
        reporter.finished(outcome)
        if time.monotonic() - last_save > _SAVE_EVERY_SECONDS:
            _save(records, reporter)
            last_save = time.monotonic()

    for outcome in refused:
        reporter.finished(outcome)
    reporter.begin(len(jobs), plan.up_to_date)
    interrupted = False
    try:
        if client is not None:
            run_on_cluster(client, jobs, finished)
        elif jobs:
            run_locally(jobs, workers, started, finished)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        _save(records, reporter)
        if client is not None:
            client.close()
    done = [outcomes[i] for i in sorted(outcomes)]
    result = BatchResult(
        converted=tuple(o for o in done if not o.failed),
        failed=(*refused, *(o for o in done if o.failed)),
        up_to_date=plan.up_to_date,
        not_converted=len(jobs) - len(done),
        renamed=plan.renamed,
        seconds=time.monotonic() - clock,
        interrupted=interrupted,
        current=tuple(
            output_path(f.input.source, FORMATS[name][0], options, f.stem)
            for f in plan.files
            for name in options.formats
            if name not in f.stale
        ),
    )
    reporter.end(result)
    return result


def _save(records: OutputRecords, reporter: Reporter) -> None:
    # The books are written; a record that cannot be saved only costs converting them again.
    try:
        records.save()
    except OutputError as error:
        reporter.note(f"{error.sentence()[:-1]}, so the next run will convert these books again")


def _narrowed(options: ConvertOptions, formats: tuple[str, ...], layouts: int) -> ConvertOptions:
    """``options`` for one input's worker: the books it still needs, and how many processes may lay
    out its PDF (its pages read the same whatever that number, so no fingerprint holds it: a book
    made on another number of processes is not made again)."""
    return dataclasses.replace(options, formats=formats, pdf=dataclasses.replace(options.pdf, jobs=layouts))


def _layout_processes(workers: int, inputs: int, on_cluster: bool) -> int:
    """How many processes lay out one long PDF: all the workers for a single input, which is
    converted in this process; one, in the input's own worker, when several inputs share the
    workers (a worker starts no processes of its own) or a cluster converts them."""
    return workers if inputs == 1 and not on_cluster else 1


def _for_worker(path: Path, client: object | None) -> Path:
    # A cluster's workers have their own working folders: they need whole paths (on the shared
    # file system). Local workers share ours, so paths stay as the user wrote them.
    return Path(path).absolute() if client is not None else Path(path)
