"""Benchmark inputs: long AO3-layout works grown from the project's own example.

``examples/the-lighthouse-keepers-cat.txt`` is a three-chapter AO3 copy of about 1,200 words. A
benchmark needs the same shape at 20k to 1M words, and chapters that are not copies of each other
(identical chapters would flatter any cache and make the language detector's sample unrepresentative).
So the example's paragraphs become a pool; each chapter draws paragraphs from it with the names,
places and numbers swapped for others and the sentences of a paragraph reordered, under a seeded
random generator: the same arguments always give the same bytes.

Each synthetic work is made once as a ``Story`` and written twice from it: as an AO3 page copy (what
ficexport reads) and as Markdown (what pandoc reads), so both tools convert the same words.
"""

from __future__ import annotations

import random
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "the-lighthouse-keepers-cat.txt"

# Words of the example swapped for others, so every chapter reads differently.
_PEOPLE = (
    "Marguerite", "Ines", "Tobias", "Halvard", "Noor", "Eilidh", "Casimir", "Wren", "Adaeze",
    "Lorcan", "Mireille", "Sunniva", "Tomasz", "Ottoline", "Bertil", "Yusra", "Fenella", "Ambrose",
)  # fmt: skip
_CATS = ("Pilot", "Biscuit", "Admiral", "Moth", "Pepper", "Sextant", "Juniper", "Tansy", "Kipper", "Soot")
_PLACES = (
    "Corran Head", "Skerry Point", "Gull Ness", "Black Rock", "Holm Light", "Fairlie Sound",
    "Dunmore Reach", "Cape Wrath", "Ardglass", "Mull Point",
)  # fmt: skip
_ROLES = ("harbourmaster", "postmistress", "ferryman", "schoolteacher", "coastguard", "lifeboat cox")
_ROCKS = ("Needles", "Sisters", "Brothers", "Stacks", "Carrs", "Teeth", "Skerries")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBERS = ("ninety-one", "forty", "sixty-three", "a hundred and two", "eighty", "fifty-five")
_NOUNS = (
    "Lamp", "List", "Storm", "Tide", "Lens", "Kettle", "Foghorn", "Harbour", "Gale", "Beam", "Ledger",
    "Rope", "Ferry", "Winter", "Lantern", "Compass", "Chart", "Anchor", "Shoal", "Keeper",
)  # fmt: skip
_ADJECTIVES = ("Long", "Quiet", "Last", "Bright", "Salt", "Late", "Crooked", "Hungry", "Second", "Dark")
_BREAKS = ("* * *", "~~~", "***")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"])")


@dataclass(frozen=True)
class Chapter:
    """One chapter: its title, optional notes before the text, and the text as paragraphs
    (``None`` stands for a scene break, a tuple of strings for a numbered list)."""

    title: str
    notes: tuple[str, ...]
    paragraphs: tuple[str | tuple[str, ...] | None, ...]


@dataclass(frozen=True)
class Story:
    """A whole synthetic work: what the AO3 copy and the Markdown are both written from."""

    title: str
    author: str
    summary: str
    chapters: tuple[Chapter, ...]
    words: int


def _example_pool() -> tuple[list[str], list[tuple[str, ...]]]:
    """The example's story paragraphs and its numbered lists (metadata, markers and notes left out)."""
    lines = EXAMPLE.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Chapter 1"))
    paragraphs: list[str] = []
    lists: list[tuple[str, ...]] = []
    chunk: list[str] = []
    for line in [*lines[start:], ""]:
        if line.strip():
            chunk.append(line.strip())
            continue
        if chunk:
            text = " ".join(chunk)
            if re.match(r"^\d+\. ", chunk[0]):
                lists.append(tuple(chunk))
            elif len(text.split()) >= 4 and not text.startswith(("Chapter ", "Notes:")):
                paragraphs.append(text)
        chunk = []
    return paragraphs, lists


def _vary(text: str, rng: random.Random) -> str:
    """The paragraph with other names, places and numbers, its sentences possibly reordered."""
    swaps = {
        "Marguerite Oyelaran": f"{rng.choice(_PEOPLE)} {rng.choice(_PEOPLE)}son",
        "Marguerite": rng.choice(_PEOPLE),
        "Pilot": rng.choice(_CATS),
        "Corran Head": rng.choice(_PLACES),
        "harbourmaster": rng.choice(_ROLES),
        "Needles": rng.choice(_ROCKS),
        "Thursday": rng.choice(_DAYS),
        "ninety-one": rng.choice(_NUMBERS),
    }
    for old, new in swaps.items():
        text = text.replace(old, new)
    sentences = _SENTENCE.split(text)
    if len(sentences) > 2 and rng.random() < 0.5:
        middle = sentences[1:-1]
        rng.shuffle(middle)
        sentences = [sentences[0], *middle, sentences[-1]]
    return " ".join(sentences)


def make_story(words: int, seed: int, title: str, chapter_words: tuple[int, int] = (1500, 4500)) -> Story:
    """A work of about ``words`` words in chapters of ``chapter_words`` (AO3's long works run to
    a few thousand words a chapter)."""
    rng = random.Random(seed)
    pool, lists = _example_pool()
    chapters: list[Chapter] = []
    total = 0
    while total < words:
        target = min(rng.randint(*chapter_words), max(words - total, 200))
        paragraphs: list[str | tuple[str, ...] | None] = []
        count = 0
        since_break = 0
        while count < target:
            if since_break >= 6 and rng.random() < 0.15:
                paragraphs.append(None)
                since_break = 0
                continue
            if lists and rng.random() < 0.01:
                item: str | tuple[str, ...] = tuple(_vary(line, rng) for line in rng.choice(lists))
                count += sum(len(line.split()) for line in item)
            else:
                item = _vary(rng.choice(pool), rng)
                count += len(item.split())
            paragraphs.append(item)
            since_break += 1
        notes = (_vary(rng.choice(pool), rng),) if rng.random() < 0.2 else ()
        name = f"The {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"
        chapters.append(Chapter(name, notes, tuple(paragraphs)))
        total += count + sum(len(n.split()) for n in notes)
    summary = _vary(pool[0], rng)
    return Story(title, "ficexport_benchmarks", summary, tuple(chapters), total)


def ao3_text(story: Story) -> str:
    """The work as a copy of its AO3 page: the example's metadata block, then the chapters."""
    out = [
        "Actions",
        "",
        "Work Header",
        "",
        "Rating:",
        "    General Audiences",
        "Archive Warning:",
        "    No Archive Warnings Apply",
        "Category:",
        "    Gen",
        "Fandom:",
        "    Original Work",
        "Additional Tags:",
        "    Lighthouses, Cats, Found Family, Storms, Tea",
        "Language:",
        "    English",
        "Stats:",
        "    Published:",
        "    2024-03-02",
        "    Words:",
        f"    {story.words:,}",
        "    Chapters:",
        f"    {len(story.chapters)}/{len(story.chapters)}",
        "",
        story.title,
        "",
        story.author,
        "",
        "Summary:",
        "",
        story.summary,
        "",
    ]
    for number, chapter in enumerate(story.chapters, start=1):
        out += [f"Chapter {number}: {chapter.title}", ""]
        if chapter.notes:
            out += ["Notes:", ""]
            for note in chapter.notes:
                out += [note, ""]
        out += ["Chapter Text", ""]
        break_marker = _BREAKS[number % len(_BREAKS)]
        for paragraph in chapter.paragraphs:
            if paragraph is None:
                out += [break_marker, ""]
            elif isinstance(paragraph, tuple):
                out += [*paragraph, ""]
            else:
                out += [paragraph, ""]
    out += ["Notes:", "", "Thank you for reading!", ""]
    return "\n".join(out)


def markdown_text(story: Story) -> str:
    """The same work as pandoc Markdown: a YAML title block, one ``#`` heading per chapter."""
    title = story.title.replace('"', '\\"')
    out = [
        "---",
        f'title: "{title}"',
        f"author: {story.author}",
        "lang: en",
        "---",
        "",
        "# Summary",
        "",
        story.summary,
        "",
    ]
    for number, chapter in enumerate(story.chapters, start=1):
        out += [f"# Chapter {number}: {chapter.title}", ""]
        for note in chapter.notes:
            out += [f"> {note}", ""]
        for paragraph in chapter.paragraphs:
            if paragraph is None:
                out += ["* * *", ""]
            elif isinstance(paragraph, tuple):
                out += [*paragraph, ""]
            else:
                out += [paragraph, ""]
    out += ["# Notes", "", "Thank you for reading!", ""]
    return "\n".join(out)


def manuscript_text(story: Story, wrap: int | None = None) -> str:
    """The same work as a writer's manuscript: title, byline, ``Chapter N: Title`` headings and
    paragraphs, no AO3 furniture; hard-wrapped at ``wrap`` columns when given."""
    out = [story.title, "", f"by {story.author}", ""]
    for number, chapter in enumerate(story.chapters, start=1):
        out += [f"Chapter {number}: {chapter.title}", ""]
        for paragraph in chapter.paragraphs:
            if paragraph is None:
                out += ["* * *", ""]
            elif isinstance(paragraph, tuple):
                out += [*paragraph, ""]
            else:
                out += [textwrap.fill(paragraph, wrap) if wrap else paragraph, ""]
    return "\n".join(out)


def write_variants(folder: Path, words: int) -> dict[str, Path]:
    """The same length in the other shapes ficexport meets, each a file of its own: many short
    chapters (the chapter-marker rules run once per chapter), a legacy encoding (charset detection
    runs), and manuscripts (the generic layout, plain and hard-wrapped)."""
    story = make_story(words, seed=words + 1, title="Corran Head (variants)")
    short = make_story(words, seed=words + 2, title="Corran Head (drabbles)", chapter_words=(150, 250))
    # Curly apostrophes make the file undecodable as UTF-8, as a Windows editor would save it.
    legacy = ao3_text(story).replace("'", "\u2019").encode("cp1252")
    files = {
        f"AO3, {len(short.chapters):,} chapters of ~200 words": (
            "short-chapters.txt",
            ao3_text(short).encode(),
        ),
        "AO3, Windows-1252 bytes": ("cp1252.txt", legacy),
        "manuscript (generic layout)": ("manuscript.txt", manuscript_text(story).encode()),
        "manuscript, hard-wrapped at 72 columns": ("wrapped.txt", manuscript_text(story, 72).encode()),
    }
    return _write_files(folder, files)


def write_work(folder: Path, stem: str, words: int, seed: int, title: str) -> tuple[Path, Path, int]:
    """Write ``stem.txt`` (AO3 copy) and ``stem.md`` (Markdown) into ``folder``; return both paths
    and the story's word count. Files already there with the same content are left alone."""
    story = make_story(words, seed, title)
    txt = folder / f"{stem}.txt"
    md = folder / f"{stem}.md"
    _write_if_changed(txt, ao3_text(story))
    _write_if_changed(md, markdown_text(story))
    return txt, md, story.words


def write_library(folder: Path, works: int, words: int) -> Path:
    """A folder of ``works`` different AO3 copies of about ``words`` words each (a reader's library)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, works + 1):
        story = make_story(words, seed=10_000 + number, title=f"Corran Head Stories {number}")
        _write_if_changed(folder / f"work-{number:03d}.txt", ao3_text(story))
    return folder


def _write_files(folder: Path, files: dict[str, tuple[str, str | bytes]]) -> dict[str, Path]:
    """Write each ``label: (file name, content)`` into ``folder``; the paths by label."""
    paths = {}
    for label, (name, content) in files.items():
        paths[label] = folder / name
        _write_if_changed(paths[label], content)
    return paths


def _write_if_changed(path: Path, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def write_extremes(folder: Path) -> dict[str, Path]:
    """Extreme but real texts (issue 7), each a file of its own: many tiny chapters, one enormous
    line with words and one without a single space (a broken export, a pasted hash), a file of only
    scene breaks, and a work that is only its metadata. The 1M-word work is the largest size above."""
    run = "".join(random.Random(7).choice("abcdefghijklmnopqrstuvwxyz") for _ in range(200_000))
    line_words = ("the", "bell", "rang", "over", "harbour", "and", "Ada", "said", "nothing", "at", "all")
    rng = random.Random(8)
    line = " ".join(rng.choice(line_words) for _ in range(50_000))[:200_000]
    files = {
        "5,000 chapters of a few words": (
            "chapters-5000.txt",
            "\n\n".join(f"Chapter {n}\n\nThe bell rang {n} times over the harbour." for n in range(1, 5001)),
        ),
        "one 200,000-character line of words": ("line-200k.txt", "One Line\n\n" + line + "\n"),
        "one 200,000-character run without a space": ("run-200k.txt", "One Run\n\n" + run + "\n"),
        "2,000 scene breaks and nothing else": (
            "scene-breaks.txt",
            "\n\n".join(["* * *", "***", "---", "~~~", "⁂"] * 400) + "\n",
        ),
        "only metadata (an AO3 header, no text)": (
            "metadata-only.txt",
            "Rating: General Audiences\nArchive Warning: No Archive Warnings Apply\nFandom: Original Work\n"
            "Language: English\nStats: Published: 2024-01-05 Words: 0 Chapters: 1/1\n\n"
            "A Title With No Text\nsomeone\n\nSummary:\n\nNotes:\n\n",
        ),
    }
    return _write_files(folder, files)
