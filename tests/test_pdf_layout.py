"""The PDF's layout as a reader sees it, read back from real PDFs: the contents page's numbers stand
in one column with a wrapped entry's number on its last line; the title page keeps its title's last
words together, sets its summary no larger than the story and carries no running head on any of
its pages; every page's running head names the section it is on (or the work)."""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from converter.document import Chapter, Matter, MatterKind, Metadata, Paragraph, Text, Work
from converter.write.pdf import PdfOptions, write_pdf
from tests.test_pdf import MM, PAGE_MM, TOP_MARGIN_MM, convert, flat, outline_pages, page_lines, running_head

#: Each page size's side margin in millimetres where these tests measure (6in has one for both sides).
SIDE_MARGIN_MM = {"6in": 5}

SENTENCE = (
    "The barge came round the bend at dusk with its lamps lit and its deck stacked with crates of "
    "apples, and the keeper of the lock walked out to meet it as she had every evening that autumn. "
)


def story(title_line: str, chapter_titles: list[str], header: str = "") -> str:
    """A plain-text work: ``header`` (an AO3 work header, or nothing), the title, an author, then a
    chapter of a few pages under each title (in an AO3 copy, "Chapter Text" after its heading)."""
    opening = "Chapter Text\n\n" if header else ""
    chapters = [
        f"Chapter {number}: {title}\n\n{opening}" + "\n\n".join([SENTENCE * 3] * (4 + number)) + "\n\n"
        for number, title in enumerate(chapter_titles, start=1)
    ]
    return header + f"{title_line}\n\nby Tess Lockwood\n\n" + "".join(chapters)


# --- reading glyph runs back ---------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One string the page's content stream shows: where it starts and ends across the page (points
    from the left edge), how far down (mm from the top), its type size in points."""

    left: float
    right: float
    top_mm: float
    size: float


def shown_runs(page) -> list[Run]:
    """Every string shown on ``page``, its right end measured from its font's glyph widths.

    pypdf's own text visitor joins a line's strings into one; WeasyPrint sets each box (a title, a
    leader's dot, a page number) as a string of its own, so reading the show operators one by one
    tells where a number ends."""
    fonts = page["/Resources"]["/Font"]
    height = float(page.mediabox.height)
    state: dict = {}
    runs: list[Run] = []

    def visit(operator, operands, cm, tm):
        if operator == b"Tf":
            state["font"], state["size"] = fonts[operands[0]].get_object(), float(operands[1])
        elif operator in (b"TJ", b"Tj"):
            pieces = operands[0] if operator == b"TJ" else [operands[0]]
            font, size = state["font"], state["size"]
            advance = 0.0  # in thousandths of the type size
            for piece in pieces:
                if isinstance(piece, (int, float)):
                    advance -= float(piece)
                else:
                    advance += sum(glyph_widths(font, bytes(piece.original_bytes)))
            scale = tm[0] * cm[0]
            left = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append(
                Run(left, left + advance / 1000 * size * scale, round((height - y) / MM, 1), size * scale)
            )

    page.extract_text(visitor_operand_before=visit)
    return runs


def glyph_widths(font, codes: bytes) -> list[float]:
    """The advance widths (thousandths of the type size) of ``codes`` shown in ``font``: two bytes a
    glyph in a Type 0 font (what WeasyPrint embeds), one in a simple font."""
    if font["/Subtype"] != "/Type0":
        first, widths = int(font["/FirstChar"]), font["/Widths"]
        return [float(widths[code - first]) for code in codes]
    cid_font = font["/DescendantFonts"][0].get_object()
    table: dict[int, float] = {}
    entries = list(cid_font.get("/W", []))
    while entries:
        start = int(entries.pop(0))
        if isinstance(entries[0], list):
            table.update((start + i, float(width)) for i, width in enumerate(entries.pop(0)))
        else:
            end, width = int(entries.pop(0)), float(entries.pop(0))
            table.update((cid, width) for cid in range(start, end + 1))
    default = float(cid_font.get("/DW", 1000))
    return [table.get(int.from_bytes(codes[i : i + 2], "big"), default) for i in range(0, len(codes), 2)]


def lines_of(page) -> list[tuple[float, str]]:
    """The page's lines as (mm from the top, text) top to bottom, a line's runs joined."""
    lines: dict[float, str] = collections.defaultdict(str)
    for top_mm, text in page_lines(page):
        lines[top_mm] += text.strip("\n")
    return sorted(lines.items())


def contents_page_index(reader: PdfReader) -> int:
    return next(i for i, page in enumerate(reader.pages) if page.extract_text().startswith("Contents"))


# --- the contents page ---------------------------------------------------------------------------

LONG_TITLES = [
    "A Short One",
    "In Which the Ferry Does Not Come and the Whole Village Waits on the Jetty Until Dark",
    "Tea",
    "Where the Lanterns Were Hung Along the Old Towpath for the Winter Market of That Year",
    "Ninth",
]


@pytest.fixture(scope="module")
def long_titles(tmp_path_factory) -> dict[str, Path]:
    """A work whose chapter titles wrap on the contents page, as a PDF at each size tested."""
    folder = tmp_path_factory.mktemp("long")
    source = folder / "long-titles.txt"
    source.write_text(story("The Long Walk Home", LONG_TITLES), encoding="utf-8")
    return {size: convert(source, folder / size, "--page-size", size) for size in ("6in", "a5")}


@pytest.mark.parametrize("size", ["6in", "a5"])
def test_a_wrapped_contents_entry_has_its_number_on_its_last_line_in_the_column(long_titles, size):
    page = PdfReader(long_titles[size]).pages[1]
    runs = shown_runs(page)
    lines = [(y, text) for y, text in lines_of(page) if y < PAGE_MM[size][1] - TOP_MARGIN_MM[size]]
    entries: list[list[tuple[float, str]]] = [[]]
    for y, text in lines[1:]:  # after the page's heading, "Contents"
        entries[-1].append((y, text))
        if re.search(r"\. (\d+)$", text):  # the leader and a number end an entry
            entries.append([])
    entries.pop()
    assert [flat(" ".join(text for _, text in entry)).split(" .")[0] for entry in entries] == [
        f"Chapter {n}: {title}" for n, title in enumerate(LONG_TITLES, start=1)
    ]
    wrapped = [entry for entry in entries if len(entry) > 1]
    assert len(wrapped) == 2, entries  # the two long titles, and only they, take more than a line

    def ends(y: float) -> float:
        return max(run.right for run in runs if run.top_mm == y)

    def starts(y: float) -> float:
        return min(run.left for run in runs if run.top_mm == y)

    # Every number is right-aligned in one column: one-digit and two-digit numbers end together.
    numbers_end = [ends(entry[-1][0]) for entry in entries]
    assert max(numbers_end) - min(numbers_end) < 0.5, numbers_end
    column = min(
        max(run.left for run in runs if run.top_mm == entry[-1][0]) for entry in entries
    )  # where the widest number starts
    for entry in wrapped:
        # The title's earlier lines hold no number and stop short of the numbers' column ...
        for y, text in entry[:-1]:
            assert not re.search(r"\d$", text), text
            assert ends(y) < column, (text, ends(y), column)
        # ... and its later lines hang: indented under its first, all by the same amount.
        first = starts(entry[0][0])
        assert all(starts(y) > first + 5 for y, _ in entry[1:]), entry
    firsts = [starts(entry[0][0]) for entry in entries]
    assert max(firsts) - min(firsts) < 0.5, firsts


# --- the title page ------------------------------------------------------------------------------

#: An AO3 work header (as copied from a work page) with more tags than one small page holds.
MANY_TAGS_HEADER = """Rating:
    General Audiences
Archive Warning:
    No Archive Warnings Apply
Category:
    Gen
Fandom:
    Original Work
Characters:
    The Lock Keeper, The Bargeman, The Bargeman's Daughter, A Heron, The Harbour Master
Additional Tags:
    {tags}
Language:
    English
Stats:
    Published:
    2024-10-01
    Words:
    3,000
    Chapters:
    3/3

"""
TAGS = ", ".join(
    f"{what} {thing}"
    for what in ("Quiet", "Autumnal", "Slow", "Wholesome", "Rainy", "Lamplit")
    for thing in ("Evenings", "Canals", "Friendship", "Apples", "Locks", "Weather", "Boats")
)
SUMMARY = "Every evening the barge comes through the lock, and every evening the keeper counts the crates."


def title_page_source(folder: Path, title: str, tags: str = "Canals") -> Path:
    """An AO3 copy with ``title``, a summary and the given additional tags."""
    header = MANY_TAGS_HEADER.format(tags=tags)
    body = story(title, ["Dusk", "Lamps", "Apples"], header)
    head, _, rest = body.partition("by Tess Lockwood\n\n")
    source = folder / "title-page.txt"
    source.write_text(f"{head}by Tess Lockwood\n\nSummary:\n\n{SUMMARY}\n\n{rest}", encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def many_tags(tmp_path_factory) -> PdfReader:
    folder = tmp_path_factory.mktemp("tags")
    source = title_page_source(folder, "The Lock Keeper's Autumn", TAGS)
    return PdfReader(convert(source, folder / "out", "--page-size", "6in"))


def test_a_title_page_too_long_for_one_page_carries_no_running_head_on_any_page(many_tags):
    contents = contents_page_index(many_tags)
    assert contents >= 2, "the title page was meant to need a second page"
    for page in many_tags.pages[:contents]:
        assert running_head(page, TOP_MARGIN_MM["6in"]) == []
    # The pages after it still have theirs.
    assert any(running_head(page, TOP_MARGIN_MM["6in"]) for page in many_tags.pages[contents + 1 :])


def text_size(page, pattern: str) -> float:
    """The type size, in points, of the first run on ``page`` matching ``pattern``."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if re.search(pattern, flat(text)):
            sizes.append(size * abs(tm[3] * cm[3]))

    page.extract_text(visitor_text=visit)
    assert sizes, pattern
    return sizes[0]


def test_the_summary_and_its_heading_are_no_larger_than_the_story(many_tags):
    pages = many_tags.pages
    on = next(page for page in pages if "Every evening the barge" in flat(page.extract_text()))
    body = text_size(pages[contents_page_index(many_tags) + 1], r"^The barge came round")
    assert text_size(on, r"^Every evening") <= body
    assert text_size(on, r"^Summary$") <= body


def title_lines(page) -> list[Run]:
    """The title page's title: its lines, the page's largest type."""
    runs = shown_runs(page)
    largest = max(run.size for run in runs)
    return [run for run in runs if abs(run.size - largest) < 0.1]


@pytest.mark.parametrize(
    "title",
    [
        "Borrowed/Stolen Afternoons",  # two words, one of them breakable at its slash
        "The Lighthouse at the End of the Long Breakwater Road",
    ],
)
def test_a_title_that_wraps_never_leaves_its_last_word_alone(tmp_path, title):
    reader = PdfReader(convert(title_page_source(tmp_path, title), tmp_path / "out", "--page-size", "6in"))
    lines = {}
    for top_mm, text in page_lines(reader.pages[0]):
        lines[top_mm] = lines.get(top_mm, "") + text
    tops = sorted({run.top_mm for run in title_lines(reader.pages[0])})
    assert flat(" ".join(lines[top] for top in tops)) == flat(title)
    assert len(lines[tops[-1]].split()) >= 2, [lines[top] for top in tops]


def test_a_title_whose_last_words_are_too_long_to_join_stays_inside_the_page(tmp_path):
    title = "Against Counterrevolutionary Misunderstandings"
    reader = PdfReader(convert(title_page_source(tmp_path, title), tmp_path / "out", "--page-size", "6in"))
    page = reader.pages[0]
    right_edge = float(page.mediabox.width) - SIDE_MARGIN_MM["6in"] * MM
    runs = title_lines(page)
    assert len({run.top_mm for run in runs}) >= 2  # it wraps, the long pair apart
    assert all(run.left >= SIDE_MARGIN_MM["6in"] * MM - 0.5 and run.right <= right_edge + 0.5 for run in runs)


# --- running heads -------------------------------------------------------------------------------


def paragraphs(words: str, count: int) -> tuple[Paragraph, ...]:
    return tuple(Paragraph((Text(f"{words} {SENTENCE}" * 3),)) for _ in range(count))


#: A printed book's front matter as a Gutenberg text has it: its own title page (front matter of the
#: kind title-page, not the work's title page), a list of illustrations, a preface of many pages.
WITH_FRONT_MATTER = Work(
    meta=Metadata(title="The Lock Keeper's Year", authors=("Tess Lockwood",), language="en"),
    front_matter=(
        Matter(MatterKind.TITLE_PAGE, "Original Title Page", paragraphs("THE LOCK KEEPER'S YEAR.", 1)),
        Matter(MatterKind.CONTENTS, "List of Illustrations", paragraphs("The lock at dawn.", 12)),
        Matter(MatterKind.PREFACE, "Preface", paragraphs("Before the story begins.", 14)),
    ),
    chapters=(
        Chapter(1, label="Chapter 1", title="Spring", body=paragraphs("In spring", 10)),
        Chapter(2, label="Chapter 2", title="Summer", body=paragraphs("In summer", 10)),
    ),
)


@pytest.mark.parametrize("size", ["6in", "a5"])
def test_every_pages_running_head_names_its_own_section_or_the_work(tmp_path, size):
    path = tmp_path / "front-matter.pdf"
    path.write_bytes(write_pdf(WITH_FRONT_MATTER, PdfOptions(page_size=size)).data)
    reader = PdfReader(path)
    work_title = WITH_FRONT_MATTER.meta.title
    starts = sorted((number, title) for title, number in outline_pages(reader).items())
    ends = [number for number, _ in starts[1:]] + [len(reader.pages) + 1]
    heads_seen: dict[str, set[str]] = {}
    for (start, title), end in zip(starts, ends, strict=True):
        own = title.split(": ", 1)[-1]
        for number in range(start, end):
            head = flat(
                "".join(text for _, text in running_head(reader.pages[number - 1], TOP_MARGIN_MM[size]))
            )
            assert head in ("", own, work_title), f"page {number} of {title!r} is headed {head!r}"
            heads_seen.setdefault(title, set()).add(head)
    # The Preface and the list run over left and right pages: both heads are seen there.
    for title in ("Preface", "List of Illustrations"):
        assert heads_seen[title] >= {title, work_title}, heads_seen[title]
