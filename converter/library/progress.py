"""How a batch tells the user what it is doing, and the summary at its end.

On a terminal: a live progress bar (rich) with the count, the file being converted and the time
left, failures printed above it as they happen. In a pipe or a log: one line per file, the books on
stdout and problems on stderr, so ``ficexport lib/ > done.txt`` keeps a clean list. With ``--quiet``:
failures only. The stages never print; only these reporters and the CLI do.
"""

from __future__ import annotations

import sys
from pathlib import Path

from converter.library.batch import BatchResult, Reporter
from converter.library.workers import Outcome

PREFIX = "ficexport: "


def reporter_for(quiet: bool, terminal: bool, debug: bool = False) -> Reporter:
    """The reporter for how ficexport was run: ``--quiet``, and whether stderr is a terminal."""
    if quiet:
        return QuietReporter(debug)
    if terminal:
        return BarReporter(debug)
    return LineReporter(debug)


def summary(result: BatchResult) -> list[str]:
    """The closing lines of a batch: what happened to how many files, how long it took, and each
    failure's sentence (repeated here so that none is lost in scrollback)."""
    converted, failed = len(result.converted), len(result.failed)
    took = _duration(result.seconds)
    if result.interrupted:
        lines = [
            f"stopped: {converted} converted, {failed} failed, {result.not_converted} not converted, "
            f"{result.up_to_date} skipped as up to date, in {took}; the finished books are kept, and "
            "running the same command again converts the rest"
        ]
    elif not converted and not failed:
        noun = "file is" if result.up_to_date == 1 else f"{result.up_to_date} files are"
        lines = [f"nothing to convert: the {noun} up to date (--force converts again)"]
    else:
        rate = f", {converted / result.seconds:.1f} works/s" if converted > 1 and result.seconds > 0 else ""
        lines = [
            f"{converted} converted, {result.up_to_date} skipped as up to date, {failed} failed, "
            f"in {took}{rate}"
        ]
    if failed:
        lines.append(f"{'this file' if failed == 1 else 'these files'} failed:")
        lines.extend(f"  {outcome.error}" for outcome in result.failed)
    return lines


def _wants_summary(result: BatchResult) -> bool:
    # A single file converted needs no summary: its line said it all.
    return result.total > 1 or result.up_to_date > 0 or result.interrupted


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min {seconds} s"


def _failure_lines(outcome: Outcome, debug: bool) -> list[str]:
    lines = [PREFIX + str(outcome.error)]
    if debug and outcome.details:
        lines.append(outcome.details.rstrip())
    return lines


class LineReporter:
    """One line per file: ``work.txt -> out/work.epub`` on stdout, failures and notes on stderr."""

    def __init__(self, debug: bool = False) -> None:
        self.debug = debug

    def note(self, message: str) -> None:
        print(PREFIX + message, file=sys.stderr, flush=True)

    def begin(self, to_convert: int, up_to_date: int) -> None:
        pass

    def started(self, source: Path) -> None:
        pass

    def finished(self, outcome: Outcome) -> None:
        for warning in outcome.warnings:
            self.note(warning)
        if outcome.failed:
            print("\n".join(_failure_lines(outcome, self.debug)), file=sys.stderr, flush=True)
        else:
            print(f"{outcome.source} -> {', '.join(map(str, outcome.outputs))}", flush=True)

    def end(self, result: BatchResult) -> None:
        if _wants_summary(result):
            for line in summary(result):
                print(line if line.startswith("  ") else PREFIX + line, file=sys.stderr, flush=True)


class QuietReporter(LineReporter):
    """Failures only (``--quiet``)."""

    def note(self, message: str) -> None:
        pass

    def finished(self, outcome: Outcome) -> None:
        if outcome.failed:
            print("\n".join(_failure_lines(outcome, self.debug)), file=sys.stderr, flush=True)

    def end(self, result: BatchResult) -> None:
        if result.interrupted:
            print(PREFIX + summary(result)[0], file=sys.stderr, flush=True)


class BarReporter:
    """A live progress bar on stderr; failures, warnings and notes are printed above it."""

    def __init__(self, debug: bool = False) -> None:
        # rich is imported here, by the one reporter that draws: importing it takes longer than
        # converting a short work, and a pipe, a log or --quiet never shows it.
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.debug = debug
        self.console = Console(stderr=True, highlight=False)
        self.progress = Progress(
            TextColumn("converting"),
            BarColumn(bar_width=30),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("left"),
            TextColumn("{task.fields[current]}", markup=False),
            console=self.console,
        )
        self.task = None
        self.running: list[Path] = []  # files in the workers' hands, oldest first
        self.last: Path | None = None

    def _print(self, text: str) -> None:
        self.console.print(text, markup=False, soft_wrap=True)

    def note(self, message: str) -> None:
        self._print(PREFIX + message)

    def begin(self, to_convert: int, up_to_date: int) -> None:
        if not to_convert:
            return
        if up_to_date:
            self.note(f"{up_to_date} up to date, {to_convert} to convert")
        self.task = self.progress.add_task("converting", total=to_convert, current="")
        self.progress.start()

    def _show_current(self) -> None:
        current = str((self.running[-1] if self.running else self.last) or "")
        # What is left of the line after the bar and counts; a long path keeps its end (the name).
        room = max(16, self.console.width - 60)
        if len(current) > room:
            current = "…" + current[-(room - 1) :]
        if self.task is not None:
            self.progress.update(self.task, current=current)

    def started(self, source: Path) -> None:
        self.running.append(source)
        self._show_current()

    def finished(self, outcome: Outcome) -> None:
        if outcome.source in self.running:
            self.running.remove(outcome.source)
        self.last = outcome.source
        for warning in outcome.warnings:
            self.note(warning)
        if outcome.failed:
            self._print("\n".join(_failure_lines(outcome, self.debug)))
        if self.task is not None:
            self.progress.advance(self.task)
        self._show_current()

    def end(self, result: BatchResult) -> None:
        self.progress.stop()
        if _wants_summary(result):
            for line in summary(result):
                self._print(line if line.startswith("  ") else PREFIX + line)
