"""Measuring a command as a whole process: wall time, CPU time and peak memory, over several runs.

Each run starts the command as a child process and reaps it with ``os.wait4``, which returns that
child's own CPU time (user + system, its reaped workers included).

Peak memory comes from GNU time (``/usr/bin/time -f %M``, Debian package ``time``) wrapped around the
command: the largest resident set of the command or of any process it waited for. Not from this
script's own ``ru_maxrss``: Linux carries a parent's high-water mark over ``fork`` and ``exec`` into
the child, so a command started by this (large) Python process would report at least this process's
size; GNU time is a small C program, so what it reports is the command's own peak. Without GNU time
the ``wait4`` figure is used and may be inflated that way. For commands that run workers side by
side (``--jobs 2``) the memory of all processes together is what a user feels, so it can also be
sampled from ``/proc`` while the command runs.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: GNU time, for each command's own peak memory (see the module's docstring).
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def _gnu_time_peak(report: str) -> int | None:
    """The kilobytes GNU time wrote (its last line; a killed command adds a line before it)."""
    lines = report.strip().splitlines()
    return int(lines[-1]) if lines and lines[-1].strip().isdigit() else None


@dataclass(frozen=True)
class Sample:
    """One run: seconds of wall-clock and CPU time, peak RSS in MB, and how it ended."""

    wall: float
    cpu: float
    rss_mb: float
    tree_rss_mb: float | None  # all processes together, sampled (None when not sampled)
    returncode: int
    stderr: str
    load: float  # the 1-minute load average when the run started
    # Sampled with the tree: the largest resident set any one process reached, and the CPU time of
    # every process (a pool's workers are reaped by its fork server, which wait4 does not count).
    largest_rss_mb: float | None = None
    tree_cpu: float | None = None


@dataclass
class Measurement:
    """Several runs of one command, summarised by their medians."""

    label: str
    command: list[str]
    samples: list[Sample] = field(default_factory=list)
    output: Path | None = None  # the file the command writes
    output_bytes: int | None = None  # its size after the last run

    @property
    def ok(self) -> bool:
        return bool(self.samples) and all(s.returncode == 0 for s in self.samples)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return max(s.rss_mb for s in self.samples)

    @property
    def tree_rss_mb(self) -> float | None:
        values = [s.tree_rss_mb for s in self.samples if s.tree_rss_mb is not None]
        return max(values) if values else None

    @property
    def largest_rss_mb(self) -> float | None:
        values = [s.largest_rss_mb for s in self.samples if s.largest_rss_mb is not None]
        return max(values) if values else None

    @property
    def tree_cpu(self) -> float | None:
        values = [s.tree_cpu for s in self.samples if s.tree_cpu is not None]
        return statistics.median(values) if values else None

    @property
    def wall_range(self) -> tuple[float, float]:
        return min(s.wall for s in self.samples), max(s.wall for s in self.samples)

    @property
    def loads(self) -> list[float]:
        return [s.load for s in self.samples]

    @property
    def error(self) -> str:
        failed = next((s for s in self.samples if s.returncode != 0), None)
        if failed is None:
            return ""
        lines = [line for line in failed.stderr.strip().splitlines() if line.strip()]
        return f"exit {failed.returncode}: {lines[-1] if lines else 'no message'}"


def run_once(
    command: Sequence[str],
    cwd: Path,
    timeout: float,
    sample_tree: bool = False,
    before: Callable[[], None] | None = None,
) -> Sample:
    """Run ``command`` once from ``cwd`` (after ``before``, untimed) and measure it."""
    if before is not None:
        before()
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile(mode="w+") as errors, tempfile.NamedTemporaryFile(mode="r") as peak:
        wrapped = [GNU_TIME, "-f", "%M", "-o", peak.name, "--", *command] if GNU_TIME else list(command)
        start = time.perf_counter()
        process = subprocess.Popen(wrapped, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        sampler = _TreeSampler(process.pid) if sample_tree else None
        killer = threading.Timer(timeout, process.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        tree = sampler.stop() if sampler else None
        largest = sampler.largest_kb / 1024 if sampler else None
        tree_cpu = sampler.cpu_seconds() if sampler else None
        errors.seek(0)
        stderr = errors.read()[-4000:]
        peak_kb = _gnu_time_peak(peak.read()) if GNU_TIME else None
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_mb=(peak_kb if peak_kb is not None else usage.ru_maxrss) / 1024,  # kilobytes on Linux
        tree_rss_mb=tree,
        returncode=process.returncode,
        stderr=stderr,
        load=load,
        largest_rss_mb=largest,
        tree_cpu=max(tree_cpu, usage.ru_utime + usage.ru_stime) if tree_cpu is not None else None,
    )


@dataclass(frozen=True)
class Job:
    """A command to measure: what it is called, what it writes, which folders to empty first."""

    label: str
    command: list[str]
    output: Path | None = None
    clean: tuple[Path, ...] = ()  # emptied before every run: no run finds the last one's outputs
    sample_tree: bool = False  # also sample the memory of all its processes together


def measure_jobs(
    jobs: Sequence[Job],
    cwd: Path,
    runs: int,
    warmup: bool = False,
    timeout: float = 3600,
    progress: Callable[[str], None] = print,
) -> list[Measurement]:
    """``runs`` timed runs of each job (after one untimed warm-up run each when ``warmup``).

    Jobs take turns, run by run (A B A B …, not A A B B), so that a change in the machine's load
    during the measurement falls on every job alike and their ratio stays fair."""
    results = [Measurement(job.label, job.command, output=job.output) for job in jobs]

    def once(job: Job, sample_tree: bool) -> Sample:
        def before() -> None:
            for folder in job.clean:
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir(parents=True)

        return run_once(job.command, cwd, timeout, sample_tree, before=before)

    failed: set[int] = set()
    for number in range(runs + (1 if warmup else 0)):
        for index, job in enumerate(jobs):
            if index in failed:
                continue
            sample = once(job, job.sample_tree and not (warmup and number == 0))
            if sample.returncode != 0:
                failed.add(index)
            if sample.returncode != 0 or not (warmup and number == 0):
                results[index].samples.append(sample)
    for job, result in zip(jobs, results, strict=True):
        if job.output is not None and job.output.exists():
            result.output_bytes = job.output.stat().st_size
        if result.ok:
            progress(
                f"  {job.label}: {result.wall:.2f} s wall, {result.cpu:.2f} s CPU, {result.rss_mb:.0f} MB"
            )
        else:
            progress(f"  {job.label}: failed ({result.error})")
    return results


def measure(
    label: str,
    command: list[str],
    cwd: Path,
    runs: int,
    warmup: bool = False,
    timeout: float = 3600,
    output: Path | None = None,
    clean: Sequence[Path] = (),
    sample_tree: bool = False,
    progress: Callable[[str], None] = print,
) -> Measurement:
    """One job measured by itself (see ``measure_jobs``)."""
    job = Job(label, command, output, tuple(clean), sample_tree)
    return measure_jobs([job], cwd, runs, warmup, timeout, progress)[0]


class _TreeSampler:
    """Samples a process and all its descendants every 50 ms, from ``/proc``: the peak of their
    resident memory together, the largest any one of them reached, and each one's CPU time as last
    seen (a process's last 50 ms before it ends are missed)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self.largest_kb = 0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024

    def cpu_seconds(self) -> float:
        return sum(self._cpu.values())

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            processes = _tree(self.pid)
            self.peak_kb = max(self.peak_kb, sum(rss for rss, _ in processes.values()))
            self.largest_kb = max([self.largest_kb, *(rss for rss, _ in processes.values())])
            for pid, (_, cpu) in processes.items():
                self._cpu[pid] = max(self._cpu.get(pid, 0.0), cpu)


def _tree(root: int) -> dict[int, tuple[int, float]]:
    """Each process under ``root`` (itself included): its resident set in kB and its CPU seconds."""
    children: dict[int, list[int]] = {}
    seen: dict[int, tuple[int, float]] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:  # a process may end while it is being read: it then simply counts no more
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        cpu = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        seen[pid] = (int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024), cpu)
    found, stack = {}, [root]
    while stack:
        pid = stack.pop()
        if pid in seen:
            found[pid] = seen[pid]
        stack.extend(children.get(pid, []))
    return found
