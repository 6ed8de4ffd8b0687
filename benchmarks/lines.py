"""Many short lines with unbalanced emphasis marks: does the time grow in proportion to the lines?

    python benchmarks/lines.py                  # writes benchmarks/RESULTS-lines.md
    python benchmarks/lines.py --runs 1 --output /tmp/lines.md

Issue 17: a text of 100,000 lines of ``*word`` (an opening star that never closes) must convert in
linear time. One enormous line is in the extreme texts (``inputs.write_extremes``); this is the
other shape, where each line is its own paragraph or list-like item and every stage that works line
by line (joining lines into paragraphs, scene breaks, headings, emphasis, typography) sees each of
them. Each text is written at 25k, 50k and 100k lines; each size runs as a whole process making an
EPUB and printing the outline, and the table gives the median time beside the ratio to the size
half as long: about 2 for each doubling means linear time (start-up, the same at every size, pulls
the ratio below 2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Job, Measurement, measure_jobs
from run import _HEADER, _row, find_tools, machine

HERE = Path(__file__).resolve().parent
LINES = (25_000, 50_000, 100_000)
WORDS = ("bell", "harbour", "rang", "Ada", "lantern", "tide", "gull", "rope", "keeper", "storm")

#: Each text's label and how its line ``n`` reads (with a word drawn for it).
SHAPES = {
    "`*word` on every line": lambda n, word: f"*{word}{n}\n",
    "`*word` paragraphs (a blank line between)": lambda n, word: f"*{word}{n}\n\n",
    "`_word`, `word*` and `*word and _more` mixed": lambda n, word: (
        f"_{word}\n\n",
        f"{word}{n}*\n",
        f"*{word} and _more {n}\n",
    )[n % 3],
}


def write_texts(folder: Path) -> dict[tuple[str, int], Path]:
    """Every shape at every size, as a UTF-8 file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for number, (label, line) in enumerate(SHAPES.items()):
        rng = random.Random(number)
        for count in LINES:
            path = folder / f"shape{number}-{count}.txt"
            path.write_text("".join(line(n, rng.choice(WORDS)) for n in range(count)), encoding="utf-8")
            files[label, count] = path
    return files


def measure_all(work: Path, runs: int) -> dict[tuple[str, str, int], Measurement]:
    """Whole-process EPUB and outline runs of every text, sizes taking turns."""
    ficexport = find_tools().ficexport
    results = {}
    for (label, count), path in write_texts(work / "inputs").items():
        out = work / "out" / path.stem
        jobs = [
            Job(
                "EPUB",
                [*ficexport, str(path), "--epub", "--force", "-o", str(out)],
                out / f"{path.stem}.epub",
            ),
            Job("outline", [*ficexport, str(path), "--outline"]),
        ]
        print(f"{label}, {count:,} lines", flush=True)
        for job, measured in zip(jobs, measure_jobs(jobs, work, runs, warmup=True), strict=True):
            results[label, job.label, count] = measured
    return results


def report(results: dict[tuple[str, str, int], Measurement], command: str, started: dt.datetime) -> str:
    lines = [
        "# ficexport: many short lines",
        "",
        f"Written by `{command}` on {started:%Y-%m-%d %H:%M}. Whole processes, median wall and CPU time "
        "(see RESULTS.md for how they are measured); the ratio is to the same text and command at half "
        "the lines.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in machine()),
    ]
    for label in SHAPES:
        lines += ["", f"## {label}", "", _HEADER]
        for kind in ("EPUB", "outline"):
            for count in LINES:
                measured = results[label, kind, count]
                half = results.get((label, kind, count // 2))
                ratio = ""
                if half is not None and half.ok and measured.ok:
                    wall, cpu = measured.wall / half.wall, measured.cpu / half.cpu
                    ratio = f"{wall:.2f}× {count // 2:,} lines (CPU {cpu:.2f}×)"
                lines.append(_row(f"{count:,} lines: {kind}", measured, ratio))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command (default 3)")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS-lines.md")
    args = parser.parse_args()
    started = dt.datetime.now()
    with tempfile.TemporaryDirectory(prefix="ficexport-lines-") as work:
        results = measure_all(Path(work), args.runs)
    command = "python benchmarks/lines.py" + (f" --runs {args.runs}" if args.runs != 3 else "")
    text = report(results, command, started)
    partial = args.output.with_name(args.output.name + ".part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
