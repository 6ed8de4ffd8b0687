"""A long work's PDF on every core: ``ficexport --pdf`` laid out on all the machine's cores, on one
(``--jobs 1``), and WeasyPrint alone on the very document ficexport typesets (its ``--html``
output), measured in one run, taking turns, so the ratios compare like with like.

    python benchmarks/pdf_parallel.py                       # 100k and 1M words, 5,000 chapters
    python benchmarks/pdf_parallel.py --sizes 100k --runs 3 # one size
    python benchmarks/pdf_parallel.py --output /tmp/r.md    # write the report elsewhere

The inputs are the AO3-layout works of ``inputs.py`` and its 5,000-chapter extreme text. Every
command's processes are sampled from ``/proc``: the largest resident set of any one process (the
targets' "largest process"), all processes together, and the CPU time of all of them (a layout
pool's workers are reaped by their fork server, so ``wait4`` alone would not count them).

Targets (issue 16, on a 2-core machine): 100k words in at most 0.6x WeasyPrint alone's wall time;
1M words in at most 0.6x with no process over 400 MB; the 5,000-chapter text in bounded memory.
Writes ``benchmarks/RESULTS-pdf-parallel.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from inputs import write_extremes, write_work
from measure import Job, Measurement, measure_jobs
from run import find_tools, machine

HERE = Path(__file__).resolve().parent
SIZES = {"100k": 100_000, "1M": 1_000_000}
#: 1M words takes WeasyPrint alone minutes: one run of each there, three of each below it.
EXTREME = "5000 chapters"
RUNS = {"100k": 3, "1M": 1, EXTREME: 1}
TARGET_RATIO = 0.6
TARGET_LARGEST_MB = 400


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", nargs="*", choices=[*SIZES, EXTREME], default=[*SIZES, EXTREME], metavar="SIZE",
        help=f"any of 100k, 1M, '{EXTREME}'",
    )
    parser.add_argument("--runs", type=int, help="runs of each command (default: 3, one at 1M words)")
    parser.add_argument(
        "--work", type=Path, default=Path("/tmp/ficexport-pdf-parallel"), help="scratch folder"
    )
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS-pdf-parallel.md")
    args = parser.parse_args()
    tools = find_tools()
    if tools.weasyprint is None:
        sys.exit("needs WeasyPrint's own command (pip install weasyprint) beside ficexport")
    cores = len(os.sched_getaffinity(0))
    inputs = args.work / "inputs"
    started = dt.datetime.now()
    results: dict[str, list[Measurement]] = {}
    for name in args.sizes:
        if name == EXTREME:
            source = write_extremes(inputs / "extremes")["5,000 chapters of a few words"]
        else:
            source = write_work(inputs, f"work-{name}", SIZES[name], 7, f"A {name}-Word Work")[0]
        runs = args.runs or RUNS[name]
        print(f"{name}: {source}", flush=True)
        results[name] = _measure(tools, args.work / name, source, cores, runs)
    args.output.write_text(_report(results, cores, started), encoding="utf-8")
    print(f"wrote {args.output}")


def _measure(tools, work: Path, source: Path, cores: int, runs: int) -> list[Measurement]:
    """The three commands on ``source``, taking turns."""
    html_dir = work / "html"
    # The document ficexport gives WeasyPrint, made once, untimed.
    subprocess.run(
        [*tools.ficexport, str(source), "--html", "-o", str(html_dir)], check=True, capture_output=True
    )
    jobs = []
    for folder, label, flags in (
        ("parallel", f"ficexport --pdf (--jobs {cores})", ["--jobs", str(cores)]),
        ("one", "ficexport --pdf --jobs 1", ["--jobs", "1"]),
    ):
        out = work / folder
        command = [*tools.ficexport, str(source), "--pdf", "--force", "-o", str(out), *flags]
        jobs.append(Job(label, command, out / f"{source.stem}.pdf", (out,), sample_tree=True))
    alone = work / "weasyprint.pdf"
    jobs.append(
        Job(
            "WeasyPrint alone",
            [*tools.weasyprint, str(html_dir / f"{source.stem}.html"), str(alone)],
            alone,
            sample_tree=True,
        )
    )
    return measure_jobs(jobs, work, runs, progress=print)


def _report(results: dict[str, list[Measurement]], cores: int, started: dt.datetime) -> str:
    lines = [
        "# A long work's PDF on every core (issue 16)",
        "",
        f"Written by `python benchmarks/pdf_parallel.py` on {started:%Y-%m-%d %H:%M}. "
        "Each command is a whole process, measured with the others in turn. Wall time is the median"
        " over the runs; CPU is that of all the command's processes (sampled from /proc every 50 "
        "ms); *largest process* is the largest resident set any one of its processes reached, *all "
        "processes* their sum at its peak; *PDF* is the size of the file it wrote. The machine may be "
        "shared: `load` is the 1-minute load average when each run started.",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in machine()),
        f"| Cores used | {cores} |",
        "",
        "| input | command | wall | CPU | largest process | all processes | PDF | runs | load "
        "| wall vs WeasyPrint alone |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for name, (parallel, one, alone) in results.items():
        for measurement in (parallel, one, alone):
            lines.append(_row(name, measurement, alone))
        if not all(m.ok for m in (parallel, one, alone)):
            continue
        ratio = parallel.wall / alone.wall
        quick = f"{ratio:.2f}x WeasyPrint alone (target <= {TARGET_RATIO}x): {_met(ratio <= TARGET_RATIO)}"
        largest = parallel.largest_rss_mb or 0
        if name == "100k":
            verdicts.append(f"- 100k words: {quick}")
        elif name == "1M":
            small = f"largest process {largest:.0f} MB (target <= {TARGET_LARGEST_MB} MB)"
            verdicts.append(f"- 1M words: {quick}; {small}: {_met(largest <= TARGET_LARGEST_MB)}")
        else:
            verdicts.append(
                f"- {name}: largest process {largest:.0f} MB with --jobs {cores}, "
                f"{one.largest_rss_mb or 0:.0f} MB with --jobs 1, "
                f"{alone.largest_rss_mb or 0:.0f} MB for WeasyPrint alone; {quick}"
            )
    return "\n".join([*lines, "", "## Targets", "", *verdicts, ""])


def _row(name: str, m: Measurement, alone: Measurement) -> str:
    if not m.ok:
        return f"| {name} | {m.label} | failed: {m.error} | | | | | | | |"
    loads = m.loads
    load = f"{min(loads):.1f}–{max(loads):.1f}" if len(loads) > 1 else f"{loads[0]:.1f}"
    ratio = f"{m.wall / alone.wall:.2f}x" if alone.ok and m is not alone else ""
    return (
        f"| {name} | {m.label} | {m.wall:.1f} s | {m.tree_cpu or m.cpu:.1f} s "
        f"| {m.largest_rss_mb or m.rss_mb:.0f} MB | {m.tree_rss_mb or 0:.0f} MB "
        f"| {(m.output_bytes or 0) / 1e6:.2f} MB | {len(m.samples)} | {load} "
        f"| {ratio} |"
    )


def _met(met: bool) -> str:
    return "met" if met else "**not met**"


if __name__ == "__main__":
    main()
