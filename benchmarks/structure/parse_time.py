"""Parse time of the working tree against an earlier revision, in one run: the ratio is the figure.

    python benchmarks/structure/parse_time.py                 # against the revision before issue 15
    python benchmarks/structure/parse_time.py --base HEAD~3 --words 200000 --runs 3

The base revision is exported with ``git archive`` into a temporary folder; each measurement is a
fresh process that imports one tree's ``converter`` and times ``parse`` alone (the text already in
memory) several times, the median kept. Base and working tree take turns, so a busy machine slows
both alike. Inputs are made by ``benchmarks/inputs.py``: an AO3 page copy (the archive layout) and
the same story as a hard-wrapped manuscript with ``Chapter N`` headings (the generic layout, where
the heading evidence is gathered).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
sys.path.insert(0, str(PROJECT / "benchmarks"))

from inputs import ao3_text, make_story, manuscript_text  # noqa: E402

# The main branch before the evidence-based parser (issue 15) landed.
BASE = "2ac7058"
_CHILD = """
import gc, statistics, sys, time
sys.path.insert(0, sys.argv[1])
from converter.parse import parse
text = open(sys.argv[2], encoding="utf-8").read()
gc.set_threshold(50_000, 20, 20)  # as a conversion runs (converter.library.workers.GC_THRESHOLDS)
times = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    parse(text)
    times.append(time.perf_counter() - start)
print(statistics.median(times))
"""


def measure(tree: Path, text: Path, repeats: int) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tree), str(text), str(repeats)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=BASE, help=f"the revision to compare with (default {BASE})")
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="processes per tree and input")
    parser.add_argument("--repeats", type=int, default=3, help="parses per process")
    args = parser.parse_args()
    story = make_story(args.words, seed=15, title="The Parse Time Benchmark")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        base = folder / "base"
        base.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(PROJECT), "archive", args.base, "converter"], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        inputs = {
            "AO3 page copy": ao3_text(story),
            "manuscript, wrapped at 72": manuscript_text(story, wrap=72),
        }
        print(f"| input ({args.words:,} words) | base {args.base} | working tree | ratio |")
        print("|---|---|---|---|")
        for name, content in inputs.items():
            text = folder / "input.txt"
            text.write_text(content, encoding="utf-8")
            times: dict[str, list[float]] = {"base": [], "now": []}
            for _ in range(args.runs):
                times["base"].append(measure(base, text, args.repeats))
                times["now"].append(measure(PROJECT, text, args.repeats))
            before, after = statistics.median(times["base"]), statistics.median(times["now"])
            print(f"| {name} | {before:.2f} s | {after:.2f} s | {after / before:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
