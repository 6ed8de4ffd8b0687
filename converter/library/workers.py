"""Running conversions in worker processes: the per-file job, the pool, and stopping it cleanly.

``convert_job`` is the unit of work (``convert_file`` with every failure caught) that local worker
processes and a Dask cluster's workers both run. ``run_locally`` runs jobs in a process pool whose
workers are replaced every ``FILES_PER_WORKER`` files, survives a worker that dies, and stops on
Ctrl-C without leaving a half-written book.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from converter import __version__
from converter.convert import FORMATS, ConvertOptions, convert_file, output_path
from converter.errors import FicexportError
from converter.processes import POLL_SECONDS, ctrl_c_as_flag, ignore_ctrl_c, new_pool

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

#: A worker process is replaced by a fresh one after this many files: WeasyPrint keeps caches
#: (fonts, layouts) that grow with every PDF, and a new process is the only sure way to free them.
FILES_PER_WORKER = 20


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


#: The garbage collector's pace in a process that converts (``gc.set_threshold``). A work's tree is
#: hundreds of thousands of objects with no reference cycles among them; at Python's default pace, a
#: pass every 700 new objects, the collector spent a tenth of a 1M-word EPUB's time finding nothing.
GC_THRESHOLDS = (50_000, 20, 20)

_converting = False  # whether this worker process is inside ``convert_job`` right now
_stopping = False  # whether this worker process has been told to stop


def convert_job(job: Job) -> Outcome:
    """``convert_file`` on one input, with every failure turned into an ``Outcome``: the unit of work
    that worker processes and cluster workers run, so one bad file never stops a batch."""
    global _converting
    gc.set_threshold(*GC_THRESHOLDS)
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
    # Only the main process decides what Ctrl-C does (it stops the workers with SIGTERM).
    ignore_ctrl_c()
    signal.signal(signal.SIGTERM, _on_terminate)
    sys.unraisablehook = _quiet_when_stopped


def _quiet_when_stopped(unraisable) -> None:
    """Where Python allows no exception (a ``__del__`` the garbage collector runs, as a zip file's
    is), a ``_Stopped`` raised there is swallowed and would be printed as a traceback on the user's
    terminal. Say nothing: the worker still stops, once the file in hand is written whole
    (``convert_job`` looks at ``_stopping``). Anything else is printed as Python would."""
    if isinstance(unraisable.exc_value, _Stopped):
        return
    sys.__unraisablehook__(unraisable)


def _on_terminate(signum: int, frame: object) -> None:
    global _stopping
    _stopping = True
    if _converting:
        raise _Stopped
    os._exit(128 + signum)


def default_jobs() -> int:
    """One worker per CPU core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


Started = Callable[[int], None]
Finished = Callable[[int, Outcome], None]


def run_locally(jobs: list[Job], workers: int, started: Started, finished: Finished) -> None:
    """Run ``jobs`` in worker processes, at most ``workers`` at a time, reporting each to
    ``started`` and ``finished`` by its index; on Ctrl-C, stop the workers and raise
    ``KeyboardInterrupt``.

    No more jobs are handed to the pool than there are workers: so Ctrl-C has nothing queued to
    undo, the jobs a dead worker took down are exactly the ones in flight, and Python 3.11's pool
    does not hang when workers are replaced (``max_tasks_per_child``) with a long queue."""
    if len(jobs) == 1:  # not worth starting a pool; Ctrl-C reaches convert_file directly
        started(0)
        finished(0, convert_job(jobs[0]))
        return
    # Imported here: a single file never needs them.
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    workers = min(workers, len(jobs))
    waiting = deque(range(len(jobs)))
    # Jobs that were in flight when a worker died. Each is tried again alone: the one that kills a
    # worker alone (out of memory, a crash in a library) is the culprit and fails.
    suspects: set[int] = set()
    running: dict[Future, int] = {}
    preload = _preload(jobs)
    pool = _new_pool(workers, preload)
    try:
        with ctrl_c_as_flag() as stop:
            while (waiting or running) and not stop.is_set():
                while waiting and len(running) < workers and not (running and waiting[0] in suspects):
                    index = waiting.popleft()
                    running[pool.submit(convert_job, jobs[index])] = index
                    started(index)
                    if index in suspects:
                        break
                done, _ = wait(running, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
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
                pool = _new_pool(workers, preload)
        if stop.is_set():
            _stop_workers([jobs[index] for index in running.values()])
            raise KeyboardInterrupt
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _preload(jobs: list[Job]) -> list[str]:
    """What the fork server imports once for every worker it forks: the pipeline, and WeasyPrint
    (a second's import, which a fresh worker every ``FILES_PER_WORKER`` files would otherwise pay
    again) when any job makes a PDF."""
    modules = ["converter.library.workers"]
    if any("pdf" in job.options.formats for job in jobs):
        modules.append("weasyprint")
    return modules


def _new_pool(workers: int, preload: list[str]) -> ProcessPoolExecutor:
    # Replacing a worker every FILES_PER_WORKER files costs milliseconds (see processes.new_pool).
    return new_pool(workers, preload, _start_worker, FILES_PER_WORKER)


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
    import multiprocessing

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
