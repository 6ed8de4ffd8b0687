"""A long book's PDF laid out in groups of chapters on several processes, then joined: read back,
it must be the book one WeasyPrint pass makes, page for page (every line of text where it stood,
page numbers, running heads, the contents page's numbers, the outline, the links, the metadata),
with embedded fonts, and the same bytes whatever the number of processes.

The in-process tests cut the groups small (``GROUP_CHARACTERS``) so that a short work makes many;
the command-line test converts a work long enough for the real size."""

from __future__ import annotations

import io
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from converter.convert import ConvertOptions, load_work
from converter.write import pdf_groups
from converter.write.pdf import PdfOptions, write_pdf
from converter.write.print_document import print_book
from tests.conftest import run_ficexport
from tests.support import lost_words, pdf_fonts, pdf_text, pool_workers

#: The real group size, read before any test makes groups small.
REAL_GROUP_CHARACTERS = pdf_groups.GROUP_CHARACTERS

_WORDS = (
    "the", "lamp", "had", "been", "lit", "every", "night", "for", "years", "and", "the", "keeper",
    "did", "not", "like", "the", "dark", "so", "she", "climbed", "stairs", "with", "a", "kettle",
    "and", "a", "ledger", "counting", "ships", "rocks", "gulls", "storms", "tides", "fog", "bells",
    "letters", "boats", "harbour", "village", "winter", "morning", "evening", "silence", "wind",
    "rain", "sea", "light", "cat", "window", "lantern", "promise", "remembered", "quietly",
    "although", "because", "whenever", "afterwards", "nevertheless", "extraordinary",
    "unremarkable", "lighthouse", "keeper", "mainland", "ferryman", "postmistress", "schoolteacher",
    "coastguard",
)  # fmt: skip


def long_text(books: int, chapters: int, paragraphs: int, seed: int = 7) -> str:
    """A manuscript of ``books`` books of ``chapters`` chapters each (nested in the contents), each
    chapter ``paragraphs`` paragraphs long, with a scene break, a word in italics and a web link: made up from
    a small vocabulary by a seeded generator, so the same arguments give the same text."""
    rng = random.Random(seed)
    lines = ["The Keeper's Ledger", "", "by Ines Oduya", "", ""]
    for book in range(1, books + 1):
        lines += [f"BOOK {'I' * book}", ""]
        for chapter in range(1, chapters + 1):
            lines += [f"Chapter {chapter}: The {rng.choice(_WORDS).title()} {rng.choice(_WORDS).title()}", ""]
            for number in range(paragraphs):
                sentence = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(40, 110)))
                lines += [sentence[0].upper() + sentence[1:] + ".", ""]
                if number == paragraphs // 2:
                    lines += ["* * *", "", "She said it *twice*, to be sure (https://example.org/tides).", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    source = tmp_path_factory.mktemp("groups") / "ledger.txt"
    source.write_text(long_text(books=2, chapters=5, paragraphs=12), encoding="utf-8")
    return load_work(source, ConvertOptions())


@pytest.fixture(scope="module")
def small_groups():
    """Groups of a few pages each, so the short work is cut into many."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_groups, "GROUP_CHARACTERS", 6_000)
        yield


def pages_text(data: bytes) -> list[list[tuple[float, float, str]]]:
    """Every page's text runs with where each starts on the page, to a tenth of a point."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        runs: list[tuple[float, float, str]] = []

        def seen(text, cm, tm, font, size, runs=runs):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append((round(x, 1), round(y, 1), text.strip()))

        page.extract_text(visitor_text=seen)
        pages.append(sorted(runs))
    return pages


def outline(data: bytes) -> list[tuple[int, str, int]]:
    """The bookmarks as (depth, title, page index), in order."""
    reader = PdfReader(io.BytesIO(data))
    found: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def links(data: bytes) -> list[list[tuple[tuple[float, ...], int | str]]]:
    """Each page's links: where each is, and the page it leads to (or its web address)."""
    reader = PdfReader(io.BytesIO(data))
    named = {
        name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()
    }
    pages = []
    for page in reader.pages:
        found = []
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            rect = tuple(round(float(value), 1) for value in annotation["/Rect"])
            action = annotation.get("/A")
            target = str(action["/URI"]) if action is not None else named[str(annotation["/Dest"])]
            found.append((rect, target))
        pages.append(sorted(found))
    return pages


@pytest.fixture(scope="module", params=["a5", "6in"])
def both(request, work, small_groups):
    """The work's PDF at a page size with mirrored margins (A5) and one without (6in): in one
    pass, and in groups on two processes."""
    options = PdfOptions(page_size=request.param, jobs=2)
    book = print_book(work, options)
    groups = pdf_groups.groups_of(book, None, "", 2)
    assert groups is not None and len(groups) >= 4
    return write_pdf(work, options, one_pass=True).data, write_pdf(work, options).data


def test_groups_read_page_for_page_as_one_pass(both):
    one_pass, grouped = both
    assert one_pass != grouped  # they were made differently...
    assert pages_text(grouped) == pages_text(one_pass)  # ...and every line stands where it did


def test_the_outline_and_the_contents_pages_numbers_are_the_one_pass_ones(both):
    one_pass, grouped = both
    assert outline(grouped) == outline(one_pass)
    assert [depth for depth, _, _ in outline(grouped)].count(1) == 10  # chapters nested in books
    contents = PdfReader(io.BytesIO(grouped)).pages[1].extract_text()
    for _, title, page in outline(grouped)[:4]:  # the contents page's numbers are the pages opened
        assert re.search(re.escape(title) + r"[ .]*" + str(page + 1) + r"\b", contents)


def test_links_lead_where_they_led(both):
    one_pass, grouped = both
    assert links(grouped) == links(one_pass)
    found = [target for page in links(grouped) for _, target in page]
    assert sum(isinstance(target, int) for target in found) >= 12  # the contents page links every part
    assert found.count("https://example.org/tides") >= 10  # a chapter each (two where it wraps)


def test_the_metadata_and_embedded_fonts_are_kept(both, tmp_path):
    one_pass, grouped = both
    assert PdfReader(io.BytesIO(grouped)).metadata == PdfReader(io.BytesIO(one_pass)).metadata
    assert PdfReader(io.BytesIO(grouped)).pdf_header == PdfReader(io.BytesIO(one_pass)).pdf_header
    path = tmp_path / "grouped.pdf"
    path.write_bytes(grouped)
    fonts = pdf_fonts(path)
    assert fonts and all(fonts.values())


def test_groups_start_on_both_sides_of_the_spread(work, small_groups):
    """The comparison above covers a group whose first page is a left-hand page (its text moved
    across the spread) and one whose first page is a right-hand page."""
    options = PdfOptions(page_size="a5")
    book = print_book(work, options)
    groups = pdf_groups.groups_of(book, None, "", 2)
    first_ids = {book.parts[group[0]].get("id") for group in groups}
    reader = PdfReader(io.BytesIO(write_pdf(work, options, one_pass=True).data))
    sides = {
        reader.get_destination_page_number(dest) % 2
        for name, dest in reader.named_destinations.items()
        if name in first_ids
    }
    assert sides == {0, 1}


def test_a_front_made_longer_by_its_real_numbers_is_laid_out_again(work, small_groups, monkeypatch):
    """The contents page is first laid out with stand-in numbers; when the real ones make it
    longer, every group starts later, and their furniture and the numbers are made again: each
    bookmark still opens its chapter's page, the contents page gives that page's number, and each
    page's folio is its own."""
    write_numbers = pdf_groups._write_numbers

    def long_numbers(front, numbers):  # real numbers three lines long push the contents over
        write_numbers(front, numbers)
        if any(numbers.values()):
            for link in front.iter(f"{{{pdf_groups.XHTML_NS}}}a"):
                if link.get("data-page"):
                    link.set("data-page", link.get("data-page") + " " + "filler " * 60)

    monkeypatch.setattr(pdf_groups, "_write_numbers", long_numbers)
    one_pass = write_pdf(work, PdfOptions(), one_pass=True).data
    grouped = write_pdf(work, PdfOptions(jobs=2)).data
    reader = PdfReader(io.BytesIO(grouped))
    longer = len(reader.pages) - len(PdfReader(io.BytesIO(one_pass)).pages)
    assert longer > 0  # the front grew
    folios = [[text for _, _, text in page if text.isdigit()] for page in pages_text(grouped)]
    assert all(found in ([], [str(number)]) for number, found in enumerate(folios, 1))
    assert sum(found == [str(number)] for number, found in enumerate(folios, 1)) > len(folios) // 2
    front = " ".join(page.extract_text() for page in reader.pages[: 2 + longer])
    for _, title, page in outline(grouped):
        assert title.split(": ")[-1] in reader.pages[page].extract_text()  # "Chapter 1: Name"
        assert re.search(re.escape(title) + r"[\s.]*" + str(page + 1) + r" filler", front)


@pytest.mark.slow
def test_every_run_makes_the_same_bytes_and_any_number_of_processes_the_same_pages(work, small_groups):
    """The same command makes the same bytes on every run. How many processes there are decides how
    many groups are laid out with their furniture (a different file), never what a page shows."""
    made = {}
    with pytest.MonkeyPatch.context() as patch:  # one process lays out these groups too
        patch.setattr(pdf_groups, "ONE_PROCESS_GROUPS", 2)
        for jobs in (1, 2, 3):
            runs = {write_pdf(work, PdfOptions(jobs=jobs)).data for _ in range(2)}
            assert len(runs) == 1, f"--jobs {jobs}"
            made[jobs] = runs.pop()
    assert len(set(made.values())) == 3  # one process furnishes every group, two some, three fewer
    assert pages_text(made[1]) == pages_text(made[2]) == pages_text(made[3])
    assert outline(made[1]) == outline(made[2]) == outline(made[3])


def test_the_first_groups_are_furnished_while_the_other_processes_lay_out_the_rest(
    work, small_groups, monkeypatch
):
    """On one process every group is laid out with its furniture; on more, the first ones, fewer
    the more processes share the rest, and fewer when the front (laid out first, on the same
    process) is heavy."""
    book = print_book(work, PdfOptions())
    groups = pdf_groups.groups_of(book, None, "", 2)
    assert pdf_groups.furnished_groups(book, groups, 1) == len(groups)
    two, three = (pdf_groups.furnished_groups(book, groups, jobs) for jobs in (2, 3))
    assert 0 < three < two < len(groups) / 2
    monkeypatch.setattr(pdf_groups, "CONTENTS_ENTRY_CHARACTERS", 3 * pdf_groups.GROUP_CHARACTERS)
    assert pdf_groups.furnished_groups(book, groups, 2) < two


def test_on_one_process_a_book_of_few_groups_is_one_pass(work, small_groups):
    """One process gains no time from groups, and one pass's file is smaller (one set of font
    subsets); only a book of ``ONE_PROCESS_GROUPS`` groups or more is grouped there, for memory."""
    book = print_book(work, PdfOptions())
    assert 2 <= len(pdf_groups.groups_of(book, None, "", 2)) < pdf_groups.ONE_PROCESS_GROUPS
    assert pdf_groups.groups_of(book, None, "", 1) is None
    assert write_pdf(work, PdfOptions(jobs=1)).data == write_pdf(work, PdfOptions(), one_pass=True).data


@pytest.mark.parametrize(
    "variant, user_css",
    [
        ("pdf/ua-1", ""),
        (None, "@page :left { margin-left: 2cm; }"),
        (None, "section.chapter { break-before: right; }"),
        (None, "@page :first { margin-top: 4cm; }"),
        (None, "h3 { bookmark-level: 2; }"),
        (None, "section.matter { page-break-before: left; }"),
        (None, "@page { counter-increment: page 2; }"),
        (None, "@page :nth(2n) { margin-top: 3cm; }"),
        (None, "@page { @bottom-left { content: counter(page) ' of ' counter(pages); } }"),
        (None, "h3 { string-set: scene content(); }"),
        (None, "a::after { content: target-counter(attr(href), page); }"),
        (None, "html { direction: rtl; }"),
    ],
)
def test_what_groups_cannot_join_is_laid_out_in_one_pass(work, small_groups, variant, user_css):
    """A tagged PDF (its structure tree), and a user's style sheet that depends on the pages around
    a part or adds bookmarks."""
    book = print_book(work, PdfOptions())
    assert pdf_groups.groups_of(book, variant, user_css, 2) is None


def test_a_book_shorter_than_one_and_a_half_groups_is_one_pass(work, monkeypatch):
    book = print_book(work, PdfOptions())
    length = sum(len(text) for part in book.parts for text in part.itertext())
    monkeypatch.setattr(pdf_groups, "GROUP_CHARACTERS", int(length / 1.4))
    assert pdf_groups.groups_of(book, None, "", 2) is None
    monkeypatch.setattr(pdf_groups, "GROUP_CHARACTERS", int(length / 1.6))
    assert len(pdf_groups.groups_of(book, None, "", 2)) == 2


def test_groups_are_of_even_size_and_keep_the_parts_in_order(work, monkeypatch):
    """So that the processes finish together: no group is more than one part away from an even
    share (a short last group would leave a process idle, a long one keep the others waiting)."""
    book = print_book(work, PdfOptions())
    sizes = [sum(len(text) for text in part.itertext()) for part in book.parts]
    monkeypatch.setattr(pdf_groups, "GROUP_CHARACTERS", sum(sizes) // 4)
    groups = pdf_groups.groups_of(book, None, "", 2)
    assert [index for group in groups for index in group] == list(range(len(book.parts)))
    assert len(groups) == 4
    for group in groups:
        size = sum(sizes[index] for index in group)
        assert abs(size - sum(sizes) / 4) <= max(sizes)


@pytest.mark.parametrize(
    "user_css",
    [
        "section.chapter { break-before: auto; }",  # parts run on from one another
        "section.chapter:nth-of-type(3) { display: none; }",  # a part on no page
    ],
)
def test_a_style_sheet_that_moves_the_breaks_between_parts_is_one_pass(work, small_groups, user_css):
    """What ``groups_of`` cannot see in a style sheet, the groups' layout shows: the book is then
    laid out in one pass, the same bytes as asked for so, never with furniture on the wrong pages."""
    options = PdfOptions(user_css=user_css, jobs=2)
    assert pdf_groups.groups_of(print_book(work, options), None, user_css, 2) is not None
    assert write_pdf(work, options).data == write_pdf(work, options, one_pass=True).data


def test_a_user_style_sheet_the_groups_can_follow_still_groups(work, small_groups):
    book = print_book(work, PdfOptions())
    css = "/* not :left */ p { text-indent: 2em; } @page { margin: 20mm; }"
    assert pdf_groups.groups_of(book, None, css, 2) is not None


@pytest.mark.slow
def test_the_command_lays_out_a_long_work_on_processes(tmp_path):
    """A work of about 40,000 words (several groups at the real size) by the real command: on two
    processes (in groups) the same pages, line for line, and outline as on one (in one pass), every
    word there, and each contents entry's number the page its bookmark opens."""
    source = tmp_path / "ledger.txt"
    source.write_text(long_text(books=2, chapters=6, paragraphs=45, seed=11), encoding="utf-8")
    made = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}"
        result = run_ficexport(source, "--pdf", "-o", out, "--jobs", jobs, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        made[jobs] = out / "ledger.pdf"
    one_pass, grouped = made["1"].read_bytes(), made["2"].read_bytes()
    assert pages_text(grouped) == pages_text(one_pass)
    assert outline(grouped) == outline(one_pass)
    book = print_book(load_work(source, ConvertOptions()), PdfOptions())
    with pytest.MonkeyPatch.context() as patch:  # the size the command used, whatever ran before
        patch.setattr(pdf_groups, "GROUP_CHARACTERS", REAL_GROUP_CHARACTERS)
        assert len(pdf_groups.groups_of(book, None, "", 2) or []) >= 2
    assert not lost_words(source.read_text(encoding="utf-8"), pdf_text(made["2"]))
    data = made["2"].read_bytes()
    contents = PdfReader(io.BytesIO(data)).pages[1].extract_text()
    for _, title, page in outline(data):
        assert re.search(re.escape(title) + r"[ .]*" + str(page + 1) + r"\b", contents)


@pytest.mark.slow
def test_a_temporary_folder_too_deep_for_a_socket_still_lays_out_on_processes(tmp_path):
    """The fork server listens on a Unix socket under ``TMPDIR``, whose path may not pass 107
    bytes: under a deeper temporary folder the workers are spawned instead, and the book is the
    same, byte for byte."""
    source = tmp_path / "ledger.txt"
    source.write_text(long_text(books=2, chapters=6, paragraphs=45, seed=11), encoding="utf-8")
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    made = []
    for name, temporary in (("shallow", os.environ.get("TMPDIR", "/tmp")), ("deep", str(deep))):
        out = tmp_path / name
        result = run_ficexport(
            source, "--pdf", "-o", out, "--jobs", "2", cwd=tmp_path, env={**os.environ, "TMPDIR": temporary}
        )
        assert result.returncode == 0, result.stderr
        made.append((out / "ledger.pdf").read_bytes())
    assert made[0] == made[1]
    assert not list(deep.iterdir())


@pytest.mark.slow
def test_ctrl_c_while_a_long_pdf_is_laid_out_leaves_nothing_behind(tmp_path):
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) while the layout processes
    work: the command stops with 130 and one sentence, no process of its own is left running, and
    neither a partial book nor the groups' temporary files remain."""
    source = tmp_path / "ledger.txt"
    source.write_text(long_text(books=2, chapters=6, paragraphs=45, seed=11), encoding="utf-8")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "converter", str(source), "--pdf", "-o", str(tmp_path / "out"), "--jobs", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    deadline = time.monotonic() + 120
    while not list(scratch.glob("ficexport-pdf-*/group-*.pdf")):  # the first group is laid out
        if process.poll() is not None:
            pytest.fail(f"the command ended before a group was laid out: {process.stderr.read()}")
        assert time.monotonic() < deadline, "no group was laid out"
        time.sleep(0.05)
    workers = pool_workers(process.pid)
    assert workers
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "stopped" in stderr
    time.sleep(1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    assert not [path for path in (tmp_path / "out").rglob("*") if path.suffix in (".pdf", ".part")]
    assert not list(scratch.iterdir())
