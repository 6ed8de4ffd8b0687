"""Score the structure parser against labelled real texts: titles, chapter counts, chapter titles,
heading lines, words lost and EPUBCheck, per file and in total.

    python benchmarks/structure/score.py                 # every corpus found, EPUBs checked
    python benchmarks/structure/score.py --no-epub       # parser columns only (seconds, not minutes)
    python benchmarks/structure/score.py --only emma -v  # one text, with what was found
    python benchmarks/structure/score.py --results       # also write the table into RESULTS.md

A corpus is a folder of texts with a ``labels.json`` (the schema is the one in
``../shared/corpus-dev/labels.json``: 1-based line numbers counted after decoding, a BOM dropped and
CRLF turned into LF; a field that is absent or null is not asserted). The default corpora are
``../shared/corpus-dev`` and the texts ``fetch-extra.sh`` writes into ``benchmarks/structure/texts``
(labelled in ``labels-extra.json`` here). Nothing here is a test: the texts are not the project's
and are not shipped with it.

How each column is judged (``–`` where the label asserts nothing):
- title: the book's title equals the label's, ignoring case, punctuation and spacing;
- count: the number of top-level chapters that have a heading equals ``chapters.count`` (or that
  count plus the unnumbered ``also_sections`` the label says a contents list may also show);
- titles: the first three labelled headings found each carry the labelled title (null: none);
- headings: at least 90% of the labelled heading lines are found, and at least 90% of the lines
  found are labelled headings of some level (not asserted for HTML, which has no lines);
- lost: no word of the input is missing from the EPUB's text (an HTML input is not compared);
- epubcheck: EPUBCheck reports no error and no warning.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
sys.path.insert(0, str(PROJECT))

from converter.convert import ConvertOptions, load_work  # noqa: E402
from converter.document import Chapter, Work  # noqa: E402
from converter.errors import InputError  # noqa: E402

DEFAULT_CORPORA = (
    (PROJECT.parent / "shared" / "corpus-dev", PROJECT.parent / "shared" / "corpus-dev" / "labels.json"),
    (HERE / "texts", HERE / "labels-extra.json"),
)
COLUMNS = ("title", "count", "titles", "headings", "lost", "epubcheck")
_LINE_REFERENCE = re.compile(r"\(lines? (\d+)")


@dataclass
class Score:
    """One text's results: each column ``True``/``False``, or ``None`` when not asserted."""

    file: str
    marks: dict[str, bool | None] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)


def normalise(text: str | None) -> str:
    """Text as compared: NFKC, case folded, letters and digits only, single spaces."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def headed(chapters: tuple[Chapter, ...]) -> list[Chapter]:
    """Chapters that open with a heading (not the untitled text before the first one)."""
    return [c for c in chapters if c.label or c.title or _line(c) is not None]


def _line(chapter: Chapter) -> int | None:
    """The heading's line; ``None`` also from a revision whose tree did not record it (the scorer
    runs on older revisions too, for a before-and-after)."""
    return getattr(chapter, "heading_line", None)


def score_title(label: dict, work: Work, score: Score) -> None:
    if label.get("title") is None:
        score.marks["title"] = None
        return
    score.marks["title"] = normalise(work.meta.title) == normalise(label["title"])
    score.details["title"] = f"{work.meta.title!r} (label {label['title']!r})"


def score_count(label: dict, work: Work, score: Score) -> None:
    chapters = label.get("chapters") or {}
    expected = chapters.get("count")
    top = [c for c in headed(work.chapters) if getattr(c, "level", 0) == 0]
    score.details["count"] = f"{len(top)} top-level, {len(headed(work.chapters))} in all (label {expected})"
    if expected is None:
        score.marks["count"] = None
        return
    also = len(chapters.get("also_sections") or ())
    score.marks["count"] = len(top) in (expected, expected + also)


def score_titles(label: dict, work: Work, score: Score) -> None:
    chapters = label.get("chapters") or {}
    expected = chapters.get("titles_first3")
    lines = chapters.get("heading_lines") or []
    if not expected:
        score.marks["titles"] = None
        return
    by_line = {_line(c): c for c in work.chapters if _line(c) is not None}
    if lines and by_line:
        found = [by_line.get(line) for line in lines[: len(expected)]]
    else:
        found = headed(work.chapters)[: len(expected)]
    got = [c.title if c is not None else "(not found)" for c in found]
    right = sum(
        1
        for chapter, want in zip(found, expected, strict=False)
        if chapter is not None and normalise(chapter.title) == normalise(want)
    )
    score.marks["titles"] = right == len(expected)
    score.details["titles"] = f"{right}/{len(expected)}: {got} (label {expected})"


def _labelled_lines(chapters: dict) -> set[int]:
    """Every line the label names as a heading of some level."""
    known: set[int] = set(chapters.get("heading_lines") or ())
    for key, value in chapters.items():
        if key.endswith("_heading_lines") and isinstance(value, list):
            known.update(value)
    for text in chapters.get("also_sections") or ():
        known.update(int(n) for n in _LINE_REFERENCE.findall(text))
    if isinstance(chapters.get("nested"), str):  # "제4장 has 절 sections '제1절 대통령' (161), …"
        known.update(int(n) for n in re.findall(r"\((\d+)(?:, (\d+))*\)", chapters["nested"]) for n in n if n)
    return known


def score_headings(label: dict, work: Work, score: Score) -> None:
    chapters = label.get("chapters") or {}
    expected = set(chapters.get("heading_lines") or ())
    found = {_line(c) for c in work.chapters if _line(c) is not None}
    if label["file"].lower().endswith((".html", ".htm")):
        score.marks["headings"] = None  # an HTML reader has elements, not lines
        return
    if not expected and chapters.get("count") != 0:
        score.marks["headings"] = None
        return
    known = _labelled_lines(chapters)
    recall = len(found & expected) / len(expected) if expected else 1.0
    precision = len(found & known) / len(found) if found else (1.0 if not expected else 0.0)
    score.marks["headings"] = recall >= 0.9 and precision >= 0.9
    missed = sorted(expected - found)[:8]
    extra = sorted(found - known)[:8]
    score.details["headings"] = (
        f"recall {recall:.0%}, precision {precision:.0%}; missed {missed}, not headings {extra}"
    )


def convert_and_check(path: Path, out: Path, score: Score, epub: bool) -> None:
    """The real command, then the book's words and EPUBCheck (``tests/support.py`` does both)."""
    if not epub:
        score.marks["lost"] = score.marks["epubcheck"] = None
        return
    from converter.source import read_source
    from tests.support import epub_text, epubcheck, lost_words

    done = subprocess.run(
        [sys.executable, "-m", "converter", str(path), "--epub", "-o", str(out), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    book = out / f"{path.stem}.epub"
    if done.returncode != 0 or not book.exists():
        score.marks["lost"] = score.marks["epubcheck"] = False
        score.details["epubcheck"] = done.stderr.strip()
        return
    if path.suffix.lower() in (".html", ".htm"):
        score.marks["lost"] = None
    else:
        lost = lost_words(read_source(path).text, epub_text(book))
        score.marks["lost"] = not lost
        score.details["lost"] = f"{sum(lost.values())} words lost {list(lost)[:8]}"
    report = epubcheck(book)
    problems = [m for m in report["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    score.marks["epubcheck"] = not problems
    score.details["epubcheck"] = "; ".join(f"{m['ID']} {m['message']}" for m in problems[:3])


def score_text(path: Path, label: dict, out: Path, epub: bool) -> Score:
    score = Score(path.name)
    try:
        work = load_work(path, ConvertOptions())
    except InputError as error:  # the command refuses the text: every column fails
        score.marks = dict.fromkeys(COLUMNS, False)
        score.details["error"] = str(error)
        return score
    score_title(label, work, score)
    score_count(label, work, score)
    score_titles(label, work, score)
    score_headings(label, work, score)
    convert_and_check(path, out, score, epub)
    return score


def corpora(arguments: list[str]) -> list[tuple[Path, Path]]:
    """``DIR`` (its labels.json) or ``DIR:LABELS`` from the command line, else the defaults found."""
    if not arguments:
        return [(folder, labels) for folder, labels in DEFAULT_CORPORA if labels.exists() and folder.is_dir()]
    found = []
    for argument in arguments:
        folder, _, labels = argument.partition(":")
        found.append((Path(folder), Path(labels) if labels else Path(folder) / "labels.json"))
    return found


def mark(value: bool | None) -> str:
    return "–" if value is None else ("✓" if value else "✗")


def table(scores: list[Score]) -> str:
    """Per-file marks and the totals, as a Markdown table."""
    rows = ["| file | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for score in scores:
        rows.append(f"| {score.file} | " + " | ".join(mark(score.marks.get(c)) for c in COLUMNS) + " |")
    totals = []
    for column in COLUMNS:
        asserted = [s.marks[column] for s in scores if s.marks.get(column) is not None]
        right = sum(asserted)
        totals.append(f"**{right}/{len(asserted)} ({right / len(asserted):.0%})**" if asserted else "–")
    rows.append(f"| total ({len(scores)} texts) | " + " | ".join(totals) + " |")
    return "\n".join(rows)


def write_results(text: str) -> None:
    """Put the table into ``benchmarks/RESULTS.md`` between its structure markers."""
    results = PROJECT / "benchmarks" / "RESULTS.md"
    start, end = "<!-- structure:start -->", "<!-- structure:end -->"
    body = results.read_text(encoding="utf-8")
    section = f"{start}\n{text}\n{end}"
    if start in body:
        body = body[: body.index(start)] + section + body[body.index(end) + len(end) :]
    else:
        body = body.rstrip("\n") + "\n\n## Structure (benchmarks/structure/score.py)\n\n" + section + "\n"
    results.write_text(body, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="*", help="DIR or DIR:LABELS (default: the corpora found)")
    parser.add_argument("--no-epub", action="store_true", help="skip conversion, word check and EPUBCheck")
    parser.add_argument("--only", help="score only files whose name contains this")
    parser.add_argument("-v", "--verbose", action="store_true", help="say what was found for each column")
    parser.add_argument("--results", action="store_true", help="write the table into benchmarks/RESULTS.md")
    args = parser.parse_args()
    scores: list[Score] = []
    with tempfile.TemporaryDirectory() as temporary:
        for folder, labels_path in corpora(args.corpus):
            labels = json.loads(labels_path.read_text(encoding="utf-8"))["items"]
            for label in labels:
                if args.only and args.only not in label["file"]:
                    continue
                path = folder / label["file"]
                if not path.exists():
                    print(f"missing: {path} (run the corpus's fetch script)", file=sys.stderr)
                    continue
                score = score_text(path, label, Path(temporary), not args.no_epub)
                scores.append(score)
                line = " ".join(f"{c}={mark(score.marks.get(c))}" for c in COLUMNS)
                print(f"{score.file[:48]:<48} {line}", file=sys.stderr)
                if args.verbose:
                    for column, detail in score.details.items():
                        print(f"    {column}: {detail}", file=sys.stderr)
    if not scores:
        print("no labelled texts found", file=sys.stderr)
        return 1
    text = table(scores)
    print(text)
    if args.results:
        write_results(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
