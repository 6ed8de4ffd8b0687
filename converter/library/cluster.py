"""Running a batch's jobs on a Dask distributed cluster (``--cluster``, the ``cluster`` extra).

The workers run the same ``convert_job`` as local worker processes. They read the inputs and write
the books on a file system they share with the machine that runs ``ficexport``, which finds the
inputs, decides what is out of date, and keeps the record.
"""

from __future__ import annotations

import time

from converter import __version__
from converter.errors import FicexportError
from converter.library.workers import Finished, Job, Outcome, convert_job, worker_version
from converter.processes import POLL_SECONDS, ctrl_c_as_flag


def connect(address: str):
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


def run_on_cluster(client, jobs: list[Job], finished: Finished) -> None:
    """Run ``jobs`` on the cluster's workers, which read the inputs and write the books on the
    shared file system. A cluster does not say when a task starts, so only finishes are reported."""
    from distributed import as_completed

    futures = {client.submit(convert_job, job, pure=False): index for index, job in enumerate(jobs)}
    results = as_completed(futures)
    with ctrl_c_as_flag() as stop:
        while not results.is_empty() and not stop.is_set():
            batch = results.next_batch(block=False)
            if not batch:
                time.sleep(POLL_SECONDS)
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
