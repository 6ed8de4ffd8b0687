"""Time each pipeline stage of one conversion inside one process, to see which stage costs more than
its share (the whole-process figures in RESULTS.md say how much, this says where).

    python benchmarks/stages.py WORK.txt [--profile OUT.prof]

Prints seconds per stage: read, parse, typeset, render, EPUB packaging, and the PDF's HTML document.
With ``--profile`` the whole run is also recorded by cProfile (open it with ``python -m pstats``).
"""

from __future__ import annotations

import argparse
import cProfile
import time
from pathlib import Path


def stage_times(path: Path) -> dict[str, float]:
    """Seconds spent in each stage converting ``path`` to an EPUB (and building the PDF's HTML)."""
    from converter.parse import ParseOptions, parse
    from converter.source import read_source
    from converter.typography import typeset
    from converter.write.epub import write_epub
    from converter.write.render import render_work

    times: dict[str, float] = {}

    def timed(name, call, *args):
        start = time.perf_counter()
        result = call(*args)
        times[name] = time.perf_counter() - start
        return result

    source = timed("read", read_source, path)
    work = timed("parse", parse, source.text, ParseOptions(fallback_title=path.stem))
    work = timed("typeset", typeset, work)
    timed("render", render_work, work)
    timed("epub (render + package)", write_epub, work)
    from converter.write.print_document import print_document
    from converter.write.print_options import PdfOptions

    timed("pdf html document", print_document, work, PdfOptions())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--profile", type=Path, help="also write a cProfile record here")
    args = parser.parse_args()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    times = stage_times(args.path)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    for name, seconds in times.items():
        print(f"{name:28s} {seconds:8.3f} s")


if __name__ == "__main__":
    main()
