"""Converting a whole library at once: fast, resumable, and never stopped by one bad file.

- ``find_inputs``: the files a command line names; folders are walked (sorted, recursively unless
  told not to) for texts, skipping hidden files, OS droppings and our own output folder.
- ``plan_batch``: each input's place in the output tree (which mirrors the input folders), a suffix
  for names that would clash, and which of its books are out of date (``state.OutputRecord``).
- ``run_batch``: the out-of-date inputs through ``convert_job`` (``convert_file`` with every failure
  caught) in worker processes, or on a Dask cluster; each result goes to a ``Reporter`` and each
  book into the record as soon as it is written, so an interrupted batch resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import signal
import threading
import time
import traceback
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from converter import __version__
from converter.convert import FORMATS, ConvertOptions, convert_file, output_path
from converter.errors import FicexportError, OutputError
from converter.state import Fingerprint, OutputRecords, input_digest, options_digest

#: Suffixes taken from a folder (a file named directly is always taken).
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm"})

#: Files and folders that operating systems and archivers leave in folders (compared case-blind).
#: Names starting with a dot (``.DS_Store``, ``._work.txt``, our ``.*.part`` and state files) are
#: skipped anyway.
OS_DROPPINGS = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "__macosx", "$recycle.bin"})

#: A worker process is replaced by a fresh one after this many files: WeasyPrint keeps caches
#: (fonts, layouts) that grow with every PDF, and a new process is the only sure way to free them.
FILES_PER_WORKER = 20


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


def find_inputs(paths: Iterable[Path], recursive: bool = True, skip: Path | None = None) -> list[InputFile]:
    """The input files named by ``paths``, each once, folders expanded, in command-line order.

    ``skip`` is the output folder: when it lies inside an input folder, it is not walked, so the
    books of an earlier run are never taken for inputs."""
    skipped = _identity(skip) if skip is not None else None
    found: list[InputFile] = []
    seen: set[str] = set()
    for path in map(Path, paths):
        if path.is_dir():
            entries = [InputFile(f, path) for f in _walk(path, recursive, skipped, {_identity(path)})]
        else:
            entries = [InputFile(path, path.parent)]
        for entry in entries:
            key = _identity(entry.source)
            if key not in seen:
                seen.add(key)
                found.append(entry)
    return found


def collect_inputs(paths: Iterable[Path], recursive: bool = True) -> list[Path]:
    """The input files named by ``paths`` (see ``find_inputs``), as paths."""
    return [entry.source for entry in find_inputs(paths, recursive)]


def _walk(folder: Path, recursive: bool, skip: str | None, visited: set[str]) -> list[Path]:
    files: list[Path] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        name = entry.name
        if name.startswith(".") or name.casefold() in OS_DROPPINGS:
            continue
        if entry.is_dir():
            identity = _identity(entry)
            # A symlinked folder is followed, but never twice (a link to a parent would loop).
            if recursive and identity != skip and identity not in visited:
                visited.add(identity)
                files.extend(_walk(entry, recursive, skip, visited))
        elif entry.suffix.lower() in TEXT_SUFFIXES and (entry.is_file() or entry.is_symlink()):
            # A link to nothing is taken, to be reported as missing; pipes and devices are not
            # (reading a pipe would wait forever).
            files.append(entry)
    return files


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
    return unicodedata.normalize("NFC", os.path.abspath(path)).casefold()


# --- one file, as a worker runs it -------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One input's conversion as a worker receives it: everything it needs, and it pickles."""

    source: Path
    stem: Path
    options: ConvertOptions  # formats narrowed to the books that need making


@dataclass(frozen=True)
class Outcome:
    """What became of one input."""

    source: Path
    outputs: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None  # the one sentence saying why it failed
    details: str = ""  # the traceback, shown with --debug

    @property
    def failed(self) -> bool:
        return self.error is not None


class _Stopped(BaseException):
    """Raised inside a worker's conversion when the batch is stopped, so that ``write_atomic``
    removes its temporary file on the way out."""


_converting = False  # whether this worker process is inside ``convert_job`` right now
_stopping = False  # whether this worker process has been told to stop


def convert_job(job: Job) -> Outcome:
    """``convert_file`` on one input, with every failure turned into an ``Outcome``: the unit of work
    that worker processes and cluster workers run, so one bad file never stops a batch."""
    global _converting
    _converting = True
    try:
        outcome = _convert(job)
    except _Stopped:
        os._exit(128 + signal.SIGTERM)  # write_atomic removed its temporary file on the way here
    finally:
        _converting = False
    if _stopping:  # told to stop just as the file was done
        os._exit(128 + signal.SIGTERM)
    return outcome


def _convert(job: Job) -> Outcome:
    try:
        result = convert_file(job.source, job.options, job.stem)
    except FicexportError as error:
        return Outcome(job.source, error=error.sentence(), details=traceback.format_exc())
    except Exception as error:  # a bug: say so plainly, never hide the file
        return Outcome(
            job.source,
            error=f"{job.source}: could not be converted because of an internal error "
            f"({type(error).__name__}: {error}); run again with --debug and report it.",
            details=traceback.format_exc(),
        )
    return Outcome(job.source, result.outputs, result.warnings)


def worker_version() -> str:
    """The ficexport version a worker runs (a cluster's workers must run the same one)."""
    return __version__


def _start_worker() -> None:
    # Ctrl-C on a terminal reaches every process in the group: only the main process decides what
    # happens (it stops the workers with SIGTERM).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)


def _on_terminate(signum: int, frame: object) -> None:
    global _stopping
    _stopping = True
    if _converting:
        raise _Stopped
    os._exit(128 + signum)


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

    @property
    def total(self) -> int:
        return len(self.converted) + len(self.failed) + self.up_to_date + self.not_converted


#: How often the record is saved while a batch runs, so that a crash loses little.
_SAVE_EVERY_SECONDS = 10.0


def run_batch(
    paths: Iterable[Path], options: ConvertOptions, settings: BatchSettings, reporter: Reporter
) -> BatchResult:
    """Convert every input ``paths`` name whose books are out of date; raise ``FicexportError``
    only when there is nothing to work on (no inputs) or the cluster cannot be used."""
    clock = time.monotonic()
    paths = list(paths)
    inputs = find_inputs(paths, settings.recursive, skip=options.output_dir)
    if not inputs:
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
    client = _connect(settings.cluster) if settings.cluster and todo else None
    jobs = [
        Job(_for_worker(f.input.source, client), _for_worker(f.stem, client), _narrowed(options, f.stale))
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

    reporter.begin(len(jobs), plan.up_to_date)
    interrupted = False
    try:
        if client is not None:
            _run_on_cluster(client, jobs, finished)
        elif jobs:
            _run_locally(jobs, settings.jobs or default_jobs(), started, finished)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        _save(records, reporter)
        if client is not None:
            client.close()
    done = [outcomes[i] for i in sorted(outcomes)]
    result = BatchResult(
        converted=tuple(o for o in done if not o.failed),
        failed=tuple(o for o in done if o.failed),
        up_to_date=plan.up_to_date,
        not_converted=len(jobs) - len(done),
        renamed=plan.renamed,
        seconds=time.monotonic() - clock,
        interrupted=interrupted,
    )
    reporter.end(result)
    return result


def _save(records: OutputRecords, reporter: Reporter) -> None:
    # The books are written; a record that cannot be saved only costs converting them again.
    try:
        records.save()
    except OutputError as error:
        reporter.note(f"{error.sentence()[:-1]}, so the next run will convert these books again")


def default_jobs() -> int:
    """One worker per CPU core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _narrowed(options: ConvertOptions, formats: tuple[str, ...]) -> ConvertOptions:
    return dataclasses.replace(options, formats=formats)


def _for_worker(path: Path, client: object | None) -> Path:
    # A cluster's workers have their own working folders: they need whole paths (on the shared
    # file system). Local workers share ours, so paths stay as the user wrote them.
    return Path(path).absolute() if client is not None else Path(path)


Started = Callable[[int], None]
Finished = Callable[[int, Outcome], None]


def _run_locally(jobs: list[Job], workers: int, started: Started, finished: Finished) -> None:
    """Run ``jobs`` in worker processes, at most ``workers`` at a time.

    No more jobs are handed to the pool than there are workers: so Ctrl-C has nothing queued to
    undo, the jobs a dead worker took down are exactly the ones in flight, and Python 3.11's pool
    does not hang when workers are replaced (``max_tasks_per_child``) with a long queue."""
    if len(jobs) == 1:  # not worth starting a pool; Ctrl-C reaches convert_file directly
        started(0)
        finished(0, convert_job(jobs[0]))
        return
    workers = min(workers, len(jobs))
    waiting = deque(range(len(jobs)))
    # Jobs that were in flight when a worker died. Each is tried again alone: the one that kills a
    # worker alone (out of memory, a crash in a library) is the culprit and fails.
    suspects: set[int] = set()
    running: dict[Future, int] = {}
    pool = _new_pool(workers)
    try:
        with _ctrl_c_as_flag() as stop:
            while (waiting or running) and not stop.is_set():
                while waiting and len(running) < workers and not (running and waiting[0] in suspects):
                    index = waiting.popleft()
                    running[pool.submit(convert_job, jobs[index])] = index
                    started(index)
                    if index in suspects:
                        break
                done, _ = wait(running, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
                if not any(isinstance(future.exception(), BrokenProcessPool) for future in done):
                    for future in done:
                        finished(running.pop(future), future.result())
                    continue
                pool.shutdown(wait=True)  # a worker died: the pool is unusable; settle every future
                for future, index in sorted(running.items(), key=lambda item: -item[1]):
                    if not isinstance(future.exception(), BrokenProcessPool):
                        finished(index, future.result())
                    elif index in suspects:
                        finished(index, _crashed(jobs[index]))
                    else:
                        suspects.add(index)
                        waiting.appendleft(index)
                running.clear()
                pool = _new_pool(workers)
        if stop.is_set():
            _stop_workers([jobs[index] for index in running.values()])
            raise KeyboardInterrupt
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: How often a waiting batch looks whether Ctrl-C was pressed.
_POLL_SECONDS = 0.2


@contextlib.contextmanager
def _ctrl_c_as_flag() -> Iterator[threading.Event]:
    """While the batch's loop runs, Ctrl-C sets a flag that the loop checks, instead of raising
    ``KeyboardInterrupt`` wherever the main thread happens to be: raised inside the pool's own
    locking, it would leave a lock held and the pool's helper thread (and so the batch) stuck."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():  # only there can it be set
        yield stop
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    # Fresh workers are forked from a server process that has already imported ficexport, so
    # replacing one every FILES_PER_WORKER files costs milliseconds; "spawn" where there is no
    # fork (Windows). Never plain "fork": it copies the main process's threads and locks.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["converter.batch"])
        _start_forkserver_deaf_to_ctrl_c()
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, max_tasks_per_child=FILES_PER_WORKER
    )


def _start_forkserver_deaf_to_ctrl_c() -> None:
    """Start the fork server with Ctrl-C ignored, so that every worker it forks ignores it from its
    first instant: a worker that is just starting when Ctrl-C reaches the process group would
    otherwise die printing a ``KeyboardInterrupt`` traceback before ``_start_worker`` runs. (An
    ignored signal stays ignored across exec, and Python then installs no handler of its own.)"""
    from multiprocessing import forkserver

    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


def _crashed(job: Job) -> Outcome:
    return Outcome(
        job.source,
        error=f"{job.source}: the worker process converting it stopped unexpectedly (it may need more "
        "memory than there is); convert it on its own to see why.",
    )


def _stop_workers(in_flight: list[Job]) -> None:
    """Stop every worker now. Each removes the temporary file of a book it was writing (SIGTERM
    becomes ``_Stopped`` inside ``write_atomic``); one that does not stop in time is killed, and its
    temporary files are removed here instead."""
    workers = multiprocessing.active_children()
    for worker in workers:
        worker.terminate()
    killed = False
    for worker in workers:
        worker.join(timeout=10)
        if worker.is_alive():
            worker.kill()
            worker.join()
            killed = True
    if killed:
        for job in in_flight:
            for name in job.options.formats:
                book = output_path(job.source, FORMATS[name][0], job.options, job.stem)
                for partial in book.parent.glob(f".{book.name}.*.part"):
                    partial.unlink(missing_ok=True)


# --- on a Dask cluster -------------------------------------------------------------------------


def _connect(address: str):
    """A Dask client for the scheduler at ``address``, once its workers are known to run this
    version of ficexport (they import it to run ``convert_job``, and their books are recorded as
    made by this version)."""
    try:
        from distributed import Client
    except ImportError:
        raise FicexportError(
            None,
            "--cluster needs Dask's distributed package",
            "install it with pip install 'ficexport[cluster]'",
        ) from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise FicexportError(
            None,
            f"cannot reach a Dask scheduler at {address} ({error})",
            "check the address, for example tcp://scheduler-host:8786",
        ) from None
    try:
        versions = client.run(worker_version)
    except Exception as error:
        client.close()
        raise FicexportError(
            None,
            f"the workers of the cluster at {address} cannot run ficexport ({type(error).__name__}: {error})",
            f"install ficexport {__version__} on every worker",
        ) from None
    wrong = sorted({version for version in versions.values() if version != __version__})
    if not versions or wrong:
        client.close()
        problem = "has no workers" if not versions else f"runs ficexport {', '.join(wrong)}"
        raise FicexportError(
            None,
            f"the cluster at {address} {problem}, and this is ficexport {__version__}",
            f"start workers with ficexport {__version__} installed",
        )
    return client


def _run_on_cluster(client, jobs: list[Job], finished: Finished) -> None:
    """Run ``jobs`` on the cluster's workers, which read the inputs and write the books on the
    shared file system. A cluster does not say when a task starts, so only finishes are reported."""
    from distributed import as_completed

    futures = {client.submit(convert_job, job, pure=False): index for index, job in enumerate(jobs)}
    results = as_completed(futures)
    with _ctrl_c_as_flag() as stop:
        while not results.is_empty() and not stop.is_set():
            batch = results.next_batch(block=False)
            if not batch:
                time.sleep(_POLL_SECONDS)
            for future in batch:
                index = futures[future]
                try:
                    outcome = future.result()
                except Exception as error:  # the task could not run: a worker died, or was lost
                    outcome = Outcome(
                        jobs[index].source,
                        error=f"{jobs[index].source}: the cluster could not convert it "
                        f"({type(error).__name__}: {error}); run the batch again to retry it.",
                    )
                finished(index, outcome)
    if stop.is_set():
        # Tasks already running finish on their own; their books are written atomically.
        client.cancel(list(futures))
        raise KeyboardInterrupt
