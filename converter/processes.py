"""Process pools, the one way ficexport starts worker processes: for a batch's files
(``library.workers``) and for a long PDF's groups of chapters (``write.pdf_groups``).

Workers are forked from a server process that has already imported what they need (ficexport,
WeasyPrint), so a fresh worker costs milliseconds; "spawn" where there is no fork server (Windows)
or where it cannot listen (see ``_fork_server_can_listen``). Never plain "fork": it copies the main
process's threads and locks.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


def new_pool(
    workers: int, preload: list[str], initializer: Callable[[], None], tasks_per_worker: int | None
) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes forked from a server that imported ``preload``, each
    running ``initializer`` first and replaced after ``tasks_per_worker`` tasks (None: never).

    Python 3.11's pool can hang when it replaces workers with a long queue of tasks waiting: give
    it no more tasks at a time than it has workers."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "forkserver" if _start_fork_server(preload) else "spawn"
    context = multiprocessing.get_context(method)
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=initializer, max_tasks_per_child=tasks_per_worker
    )


def _start_fork_server(preload: list[str]) -> bool:
    """Start the server the workers are forked from, importing ``preload``, unless it runs already
    (then it keeps what it imported first); whether there is one."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods() or not _fork_server_can_listen():
        return False
    multiprocessing.get_context("forkserver").set_forkserver_preload(preload)
    _start_forkserver_deaf_to_ctrl_c()
    return True


#: The longest path a Unix socket can have on Linux (``sun_path`` is 108 bytes, its NUL included).
_UNIX_SOCKET_PATH_LIMIT = 107


def _fork_server_can_listen() -> bool:
    """Whether the fork server's socket fits under the temporary folder: Python 3.11 puts it at
    ``$TMPDIR/pymp-XXXXXXXX/listener-XXXXXXXX`` and fails with "AF_UNIX path too long" when
    ``TMPDIR`` is deep (a test's temporary folder, a home folder's). Then workers are spawned:
    slower to start (each imports WeasyPrint), but they start."""
    socket_path = os.path.join(tempfile.gettempdir(), "pymp-" + "x" * 8, "listener-" + "x" * 8)
    return len(os.fsencode(socket_path)) <= _UNIX_SOCKET_PATH_LIMIT


#: How often a loop waiting on a pool looks whether Ctrl-C was pressed.
POLL_SECONDS = 0.2


@contextlib.contextmanager
def ctrl_c_as_flag() -> Iterator[threading.Event]:
    """While a loop that waits on a pool runs (a batch's, a long PDF's layout), Ctrl-C sets a flag
    that the loop checks, instead of raising ``KeyboardInterrupt`` wherever the main thread happens
    to be: raised inside the pool's own locking, it would leave a lock held and the pool's helper
    thread (and so the command) stuck."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():  # only there can it be set
        yield stop
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def ignore_ctrl_c() -> None:
    """A worker's first step: Ctrl-C on a terminal reaches every process in the group, and only
    the main process decides what happens then."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_forkserver_deaf_to_ctrl_c() -> None:
    """Start the fork server with Ctrl-C ignored, so that every worker it forks ignores it from its
    first instant: a worker that is just starting when Ctrl-C reaches the process group would
    otherwise die printing a ``KeyboardInterrupt`` traceback before its initializer runs. (An
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
