"""The whole pipeline on AO3-layout texts: the command a user runs, checked from the outside."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_ficexport
from tests.support import (
    EXAMPLES,
    FIXTURES,
    assert_epubcheck_clean,
    epub_metadata,
    epub_nav_titles,
    epub_text,
    lost_words,
    pdf_fonts,
    pdf_outline,
    pdf_text,
)

EXAMPLE = EXAMPLES / "the-lighthouse-keepers-cat.txt"
ONE_SHOT = FIXTURES / "ao3_one_shot_empty_fields.txt"
CHAPTER_TITLE = FIXTURES / "ao3_chapter_title_summary.txt"


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Each text converted once to EPUB and PDF by the real command."""
    out = tmp_path_factory.mktemp("books")
    made = {}
    for source in (EXAMPLE, ONE_SHOT, CHAPTER_TITLE):
        result = run_ficexport(source, "--epub", "--pdf", "-o", out, cwd=out)
        assert result.returncode == 0, result.stderr
        made[source.name] = {"epub": out / f"{source.stem}.epub", "pdf": out / f"{source.stem}.pdf"}
    return made


SOURCES = [EXAMPLE, ONE_SHOT, CHAPTER_TITLE]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_epub_passes_epubcheck_with_no_message(books, source):
    assert_epubcheck_clean(books[source.name]["epub"])


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", ["epub", "pdf"])
def test_no_word_of_the_input_is_lost(books, source, kind):
    path = books[source.name][kind]
    text = epub_text(path) if kind == "epub" else pdf_text(path)
    assert not lost_words(source.read_text(encoding="utf-8"), text)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_page_furniture_does_not_reach_the_book(books, source):
    text = epub_text(books[source.name]["epub"])
    for furniture in ("Actions", "Work Header", "Chapter Text"):
        assert furniture not in text


def test_one_shot_metadata_is_on_the_title_page_not_in_the_story(books):
    epub = books[ONE_SHOT.name]["epub"]
    meta = epub_metadata(epub)
    assert meta["title"] == ["Weather Report"]
    assert meta["language"] == ["en"]
    assert meta["date"] == ["2025-05-04"]
    with zipfile.ZipFile(epub) as archive:
        chapter = archive.read("EPUB/chapter-001.xhtml").decode()
        title_page = archive.read("EPUB/title-page.xhtml").decode()
    assert "Published" not in chapter and "Kudos" not in chapter
    assert "Kudos: 57" in title_page


def test_one_shot_spacer_lines_are_one_scene_break_and_the_numbered_line_a_list(books):
    with zipfile.ZipFile(books[ONE_SHOT.name]["epub"]) as archive:
        chapter = archive.read("EPUB/chapter-001.xhtml").decode()
    assert chapter.count('class="scene-break"') == 1
    assert '<ol class="numbered">' in chapter
    assert "Keep an OPEN MIND about the weather." in chapter.split("<ol")[1].split("</ol>")[0]


def test_one_shot_closing_notes_are_the_works_end_notes(books):
    epub = books[ONE_SHOT.name]["epub"]
    with zipfile.ZipFile(epub) as archive:
        chapter = archive.read("EPUB/chapter-001.xhtml").decode()
        end_notes = archive.read("EPUB/end-notes.xhtml").decode()
    assert "Written for the ficexport test suite" not in chapter
    assert "Written for the ficexport test suite" in end_notes
    assert 'class="notes end-notes work-end-notes"' in end_notes
    assert epub_nav_titles(epub) == ["Weather Report", "End Notes"]


def test_title_comes_from_the_line_after_work_header_and_summary_is_the_description(books):
    epub = books[CHAPTER_TITLE.name]["epub"]
    meta = epub_metadata(epub)
    assert meta["title"] == ["Don’t Wake the Dragon"]  # the wrong-way apostrophe is mended
    assert meta["description"][0].startswith("Every village has a rule.")
    assert epub_nav_titles(epub) == ["Part 1"]


def test_multi_chapter_work_lists_each_chapter_in_the_toc_and_the_pdf_outline(books):
    epub, pdf = books[EXAMPLE.name]["epub"], books[EXAMPLE.name]["pdf"]
    chapters = [
        "Chapter 1: The Lamp Room",
        "Chapter 2: The Harbourmaster’s List",
        "Chapter 3: The Long Night",
    ]
    assert epub_nav_titles(epub) == [*chapters, "End Notes"]
    assert pdf_outline(pdf) == [*chapters, "End Notes"]  # as the EPUB's table of contents


def test_opf_carries_author_tags_and_series(books):
    meta = epub_metadata(books[EXAMPLE.name]["epub"])
    assert meta["creator"] == ["ficexport_examples"]
    assert "Found Family" in meta["subject"] and "General Audiences" in meta["subject"]
    assert meta["belongs-to-collection"] == ["Tales from Corran Head"]
    assert meta["group-position"] == ["1"]
    assert meta["calibre:series"] == ["Tales from Corran Head"]
    assert meta["identifier"][0].startswith("urn:uuid:")


def test_pdf_metadata_and_fonts(books):
    from pypdf import PdfReader

    pdf = books[EXAMPLE.name]["pdf"]
    info = PdfReader(str(pdf)).metadata
    assert info.title == "The Lighthouse Keeper’s Cat"
    assert info.author == "ficexport_examples"
    fonts = pdf_fonts(pdf)
    assert fonts and all(fonts.values()), fonts


def test_epub_is_byte_identical_when_converted_twice(tmp_path, run_cli):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        assert run_cli(EXAMPLE, "-o", folder).returncode == 0
    name = EXAMPLE.stem + ".epub"
    assert (first / name).read_bytes() == (second / name).read_bytes()
    with zipfile.ZipFile(first / name) as archive:
        info = archive.infolist()[0]
    assert info.filename == "mimetype" and info.compress_type == zipfile.ZIP_STORED
