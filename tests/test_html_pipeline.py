"""HTML inputs through the whole pipeline: the command a user runs, checked from the outside."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_ficexport
from tests.support import (
    FIXTURES,
    assert_epubcheck_clean,
    epub_italics,
    epub_metadata,
    epub_nav_titles,
    epub_reading_text,
    html_italics,
    listing,
    lost_html_words,
    pdf_outline,
    pdf_text,
)

PAGES = sorted((FIXTURES / "html").glob("*.html"))
NUMBERED = FIXTURES / "html" / "ao3_numbered_chapters.html"
GENERIC = FIXTURES / "html" / "generic_h2_chapters.html"
HOSTILE = FIXTURES / "html" / "hostile_markup.html"
WITH_PDF = [NUMBERED, GENERIC, HOSTILE]


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Every fixture converted to EPUB by one run of the real command, and some to PDF."""
    out = tmp_path_factory.mktemp("html-books")
    done = run_ficexport(*PAGES, "-o", out, cwd=out)
    assert done.returncode == 0, done.stderr
    pdfs = run_ficexport(*WITH_PDF, "--pdf", "-o", out, cwd=out)
    assert pdfs.returncode == 0, pdfs.stderr
    assert "not loaded" not in pdfs.stderr  # no URL of a page ever reaches the PDF engine
    return {page.name: {"epub": out / f"{page.stem}.epub", "pdf": out / f"{page.stem}.pdf"} for page in PAGES}


def chapter_xhtml(epub: Path, number: int) -> str:
    with zipfile.ZipFile(epub) as archive:
        return archive.read(f"EPUB/chapter-{number:03d}.xhtml").decode()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_html_fixture_epub_passes_epubcheck_with_no_message(books, page):
    assert_epubcheck_clean(books[page.name]["epub"])


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_no_word_of_the_page_is_lost(books, page):
    assert not lost_html_words(page, epub_reading_text(books[page.name]["epub"]))
    pdf = books[page.name]["pdf"]
    if pdf.exists():
        assert not lost_html_words(page, pdf_text(pdf))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_italic_words_of_the_page_are_italic_in_the_epub(books, page):
    assert epub_italics(books[page.name]["epub"])[1] == html_italics(page)[1]


def test_nested_emphasis_does_not_italicise_the_chapter(books):
    chapter = chapter_xhtml(books["ao3_nested_emphasis.html"]["epub"], 1)
    assert chapter.count("<em>") == 1
    assert "<em>this word</em>" in chapter


def test_numbered_chapters_are_listed_with_notes_and_inspired_works(books):
    epub = books[NUMBERED.name]["epub"]
    chapters = ["Chapter 1: The Blank Corner", "Chapter 2", "Chapter 3: Soundings"]
    assert epub_nav_titles(epub) == [*chapters, "End Notes", "Works inspired by this one"]
    assert pdf_outline(books[NUMBERED.name]["pdf"]) == [  # the PDF's outline is the EPUB's contents
        *chapters,
        "End Notes",
        "Works inspired by this one",
    ]
    meta = epub_metadata(epub)
    assert meta["source"] == ["http://archiveofourown.org/works/90000001"]
    assert meta["belongs-to-collection"] == ["Ink and Tide"] and meta["group-position"] == ["2"]
    assert meta["date"] == ["2024-03-01"] and "Apprenticeship" in meta["subject"]
    assert meta["description"] == [
        "Ines draws the coast that nobody has drawn. Master Orlo disagrees with every line."
    ]


def test_formatting_reaches_the_epub_as_markup(books):
    epub = books[NUMBERED.name]["epub"]
    first, second = chapter_xhtml(epub, 1), chapter_xhtml(epub, 2)
    assert '<p class="center"><strong>The Guild of Coastal Surveyors</strong></p>' in first
    assert "<u>corners</u>" in first and "<s>struck out</s>" in first and "<s>smudged</s>" in first
    assert "H<sub>2</sub>O" in first and "10<sup>21</sup>" in first
    assert '<table class="simple"><thead><tr><th>Chart</th><th>Price</th></tr></thead><tbody>' in first
    assert "<td>Open coast<br/>(with soundings)</td><td><s>9</s> 7 crowns</td>" in first
    assert first.count('class="scene-break"') == 1
    assert '<ol class="numbered" start="3">' in second and "<blockquote>" in second
    assert '<a href="https://example.org/letter">letter</a>' in second
    with zipfile.ZipFile(epub) as archive:
        title_page = archive.read("EPUB/title-page.xhtml").decode()
    assert "Part 5 of Fixture Fics" in title_page and "Tiny Islands Exchange" in title_page
    assert "Inspired by" in title_page  # the related-works list stays with the work's notes


def test_hostile_markup_reaches_no_output_and_nothing_is_fetched(books):
    epub, pdf = books[HOSTILE.name]["epub"], books[HOSTILE.name]["pdf"]
    with zipfile.ZipFile(epub) as archive:
        names = archive.namelist()
        # cover.xhtml holds the drawn cover's own <img>: everything else must be free of the page's.
        content = b"".join(archive.read(n) for n in names if not n.endswith("cover.xhtml")).decode(
            "utf-8", "replace"
        )
    # The one image is the cover ficexport draws; nothing from the page's <img> survives.
    allowed = (".xhtml", ".opf", ".ncx", ".css", ".xml", "mimetype", "images/cover.png")
    assert not [name for name in names if not name.endswith(allowed)]
    for planted in (
        "<script",
        "onclick",
        "onload",
        "onerror",
        "<iframe",
        "<img",
        "<object",
        "<input",
        "<form",
    ):
        assert planted not in content
    assert "evil.example" not in content and "javascript:" not in content and "file:" not in content
    assert "WORDS" not in content and "WORDS" not in pdf_text(pdf)
    assert '<a href="https://example.org/safe">safe link</a>' in content


def test_generic_page_has_its_title_byline_language_and_chapters(books):
    epub = books[GENERIC.name]["epub"]
    meta = epub_metadata(epub)
    assert meta["title"] == ["Die Uhrmacherin"] and meta["creator"] == ["Greta Feder"]
    assert meta["language"] == ["de"]
    assert epub_nav_titles(epub) == ["Chapter One: Das Geräusch", "Chapter Two", "Epilogue"]
    first = chapter_xhtml(epub, 1)
    assert '<p class="line-group">' in first and "<h5>Ein Zettel</h5>" in first
    assert "<strong><em>morgen</em></strong>" in first or "<em><strong>morgen</strong></em>" in first


def test_a_folder_takes_html_and_htm_pages_with_the_texts(tmp_path, run_cli):
    library = tmp_path / "library"
    library.mkdir()
    (library / "one.html").write_text(NUMBERED.read_text(encoding="utf-8"), encoding="utf-8")
    (library / "two.HTM").write_text("<html><body><p>A short page.</p></body></html>", encoding="utf-8")
    (library / "three.txt").write_text("A short text.\n", encoding="utf-8")
    (library / "style.css").write_text("p { color: red }", encoding="utf-8")
    result = run_cli(library, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert listing(tmp_path / "out") == [
        "one.epub",
        "three.epub",
        "two.epub",
    ]


def test_a_page_without_text_fails_with_one_sentence_naming_it(tmp_path, run_cli):
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>Nothing</title><script>x()</script></head><body></body></html>")
    result = run_cli(page)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"ficexport: {page}: the page holds no text to read; open it in a browser to check it is the work."
    ]
    assert "Traceback" not in result.stderr and not (tmp_path / "empty.epub").exists()
