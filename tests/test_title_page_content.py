"""What the title page and the text's opening show a reader (issue 17): no empty tag fields, AO3's
plural labels for HTML downloads too, a readable title made from a file's name, no doubled indent
from a hand-typed one, and a heading over a one-shot's text.

Every test converts with the real command and reads the book back (EPUB documents, the PDF with
pypdf, the one-file HTML); the texts are written for these tests."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from converter.parse import readable_title
from tests.support import FIXTURES, epub_metadata, epub_nav_titles, epub_text, lost_words, pdf_outline

XHTML = "{http://www.w3.org/1999/xhtml}"
EMPTY_FIELDS = FIXTURES / "ao3_one_shot_empty_fields.txt"


def convert(run_cli, source: Path, *formats: str) -> Path:
    """Convert ``source`` into a folder of its own with the real command; the folder."""
    out = source.parent / f"out-{source.stem}"
    result = run_cli(source, *(formats or ("--epub",)), "-o", out)
    assert result.returncode == 0, result.stderr
    return out


def epub_document(epub: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(epub) as archive:
        return etree.fromstring(archive.read(f"EPUB/{name}"))


def tag_labels(title_page: etree._Element) -> list[str]:
    return ["".join(dt.itertext()) for dt in title_page.iter(f"{XHTML}dt")]


def dd_text(title_page: etree._Element, kind: str) -> str:
    return "".join(next(dd for dd in title_page.iter(f"{XHTML}dd") if dd.get("class") == kind).itertext())


def ao3_download(title: str, tags: str, chapters: str) -> str:
    """An AO3 "Download -> HTML" file in AO3's own shape, around the given tag list and chapters."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"/><title>{title} - quill - Original Work</title></head>
<body>
<div id="preface">
  <h2 class="toc-heading">Preface</h2>
  <p class="message"><b>{title}</b><br/>Posted originally on the Archive of Our Own at
    <a href="http://archiveofourown.org/works/90000077">http://archiveofourown.org/works/90000077</a>.</p>
  <div class="meta">
    <dl class="tags">
      {tags}
      <dt>Language:</dt><dd>English</dd>
      <dt>Stats:</dt><dd>Published: 2024-02-02 Words: 60 Chapters: 1/1</dd>
    </dl>
    <h1>{title}</h1>
    <div class="byline">by <a rel="author" href="http://archiveofourown.org/users/quill">quill</a></div>
  </div>
</div>
<div id="chapters" class="userstuff">{chapters}</div>
</body></html>
"""


ONE_SHOT_BODY = """
  <h2 class="toc-heading">The Ferry at Dusk</h2>
  <div class="userstuff">
    <p>The ferry left at six whether or not anyone was on it.</p>
    <p>Marta was always on it, with a flask of soup and a book she never opened.</p>
  </div>"""

TAGS = """
      <dt>Rating:</dt><dd><a href="http://archiveofourown.org/tags/G">General Audiences</a></dd>
      <dt>Relationship:</dt><dd><a href="http://archiveofourown.org/tags/M">Marta &amp; Ferryman</a></dd>
      <dt>Character:</dt><dd><a href="http://archiveofourown.org/tags/a">Marta</a>,
        <a href="http://archiveofourown.org/tags/b">The Ferryman</a></dd>
      <dt>Additional Tags:</dt><dd><a href="http://archiveofourown.org/tags/c">Soup</a></dd>"""


# --- Empty tag fields -----------------------------------------------------------------------------


def test_empty_tag_fields_of_a_page_copy_are_left_off_the_title_page(run_cli, tmp_path):
    source = tmp_path / "weather.txt"
    source.write_text(EMPTY_FIELDS.read_text(encoding="utf-8"), encoding="utf-8")
    epub = convert(run_cli, source) / "weather.epub"
    page = epub_document(epub, "title-page.xhtml")
    assert tag_labels(page) == ["Language", "Stats"]  # not seven labels over a dash each
    assert "—" not in "".join(page.itertext())
    assert "Published: 2025-05-04" in dd_text(page, "stats")
    assert not lost_words(source.read_text(encoding="utf-8"), epub_text(epub))  # labels are furniture


def test_the_outline_shows_no_tag_field_the_copy_left_empty(run_cli):
    result = run_cli(EMPTY_FIELDS, "--outline", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["tags"] == []
    plain = run_cli(EMPTY_FIELDS, "--outline").stdout
    assert "Rating" not in plain and "Title:           Weather Report" in plain


def test_a_field_with_tags_keeps_its_place_among_empty_ones(run_cli, tmp_path):
    source = tmp_path / "tide.txt"
    source.write_text(
        "Rating:\nFandom:\nOriginal Work\nCharacters:\nLanguage:\nEnglish\n\nLow Tide\n\n"
        "Chapter Text\n\nThe sea went out further than anyone in the village remembered.\n",
        encoding="utf-8",
    )
    page = epub_document(convert(run_cli, source) / "tide.epub", "title-page.xhtml")
    assert tag_labels(page) == ["Fandom", "Language"]
    assert dd_text(page, "fandom") == "Original Work"


# --- Plural labels from an HTML download -----------------------------------------------------------


def test_an_html_download_labels_several_characters_in_the_plural(run_cli, tmp_path):
    source = tmp_path / "ferry.html"
    source.write_text(ao3_download("The Ferry at Dusk", TAGS, ONE_SHOT_BODY), encoding="utf-8")
    page = epub_document(convert(run_cli, source) / "ferry.epub", "title-page.xhtml")
    # The download writes "Character:" over two names; the work's page (and its text copy) says
    # "Characters", and a field with one tag stays singular.
    assert tag_labels(page) == [
        "Rating",
        "Relationship",
        "Characters",
        "Additional Tags",
        "Language",
        "Stats",
    ]
    assert dd_text(page, "character") == "Marta, The Ferryman"


def test_a_text_copy_of_a_download_labels_as_the_page_does(run_cli, tmp_path):
    source = tmp_path / "ferry.txt"
    source.write_text(
        "The Ferry at Dusk\nPosted originally on the Archive of Our Own at "
        "https://archiveofourown.org/works/90000077.\n\nRating:\n    General Audiences\n"
        "Fandom:\n    Original Work, Folk Tales\nCharacter:\n    Marta\n\n"
        "The Ferry at Dusk\nby quill\n\n"
        "The ferry left at six whether or not anyone was on it.\n",
        encoding="utf-8",
    )
    page = epub_document(convert(run_cli, source) / "ferry.epub", "title-page.xhtml")
    assert tag_labels(page)[:3] == ["Rating", "Fandoms", "Character"]


# --- A title from the file's name --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "title"),
    [
        ("my_fic-title_v2", "My Fic Title V2"),
        ("the_end_of_the_world", "The End of the World"),  # small words stay small inside
        ("what_are_you_looking_at", "What Are You Looking At"),  # but not at the end
        (
            "gutenberg_en_pg1342-pride-and-prejudice_headerless-crlf",
            "Gutenberg En Pg1342 Pride and Prejudice Headerless",
        ),
        ("story_utf-8", "Story"),  # a trailing file-format word goes
        ("utf16_bom_crlf", "Utf16 Bom Crlf"),  # unless it is all the name there is
        ("Pride_and_Prejudice", "Pride and Prejudice"),
        ("iPhone_diaries", "iPhone diaries"),  # a capital anywhere: the case is as typed
        ("雨夜_第一部", "雨夜 第一部"),  # no case to change
        ("Spider-Man and me", "Spider-Man and me"),  # spaced already: hyphens are the name's
        ("A.Z._Fell", "A.Z. Fell"),  # initials keep their dots
        ("notes.final", "Notes Final"),
        ("2024-01-05_notes", "2024-01-05 Notes"),  # a date keeps its hyphens
    ],
)
def test_readable_title(stem, title):
    assert readable_title(stem) == title


def test_a_file_name_becomes_a_readable_title_while_the_output_keeps_the_name(run_cli, tmp_path):
    source = tmp_path / "quiet_harbour-draft_crlf.txt"
    source.write_text("The boats came in one by one.\r\n\r\nNobody said much.\r\n", encoding="utf-8")
    out = convert(run_cli, source, "--epub", "--pdf")
    epub, pdf = out / "quiet_harbour-draft_crlf.epub", out / "quiet_harbour-draft_crlf.pdf"
    assert epub.exists() and pdf.exists()
    assert epub_metadata(epub)["title"] == ["Quiet Harbour Draft"]
    page = epub_document(epub, "title-page.xhtml")
    assert "".join(next(page.iter(f"{XHTML}h1")).itertext()) == "Quiet Harbour Draft"
    assert PdfReader(str(pdf)).metadata.title == "Quiet Harbour Draft"


def test_a_title_the_user_gives_is_kept_as_typed(run_cli, tmp_path):
    source = tmp_path / "quiet_harbour.txt"
    source.write_text("The boats came in one by one.\n", encoding="utf-8")
    epub = convert(run_cli, source, "--epub", "--title", "quiet_harbour") / "quiet_harbour.epub"
    assert epub_metadata(epub)["title"] == ["quiet_harbour"]


# --- A hand-typed indent -------------------------------------------------------------------------


def paragraphs(section: etree._Element) -> list[str]:
    return ["".join(p.itertext()) for p in section.iter(f"{XHTML}p")]


def test_an_html_paragraph_indented_by_hand_is_indented_once(run_cli, tmp_path):
    source = tmp_path / "indented.html"
    source.write_text(
        "<html><head><title>Indents</title></head><body>"
        "<p>&nbsp;&nbsp;&nbsp;&nbsp;The lamp was lit at four.</p>"
        "<p>&#160; &#160; The keeper wound the clock.</p>"
        "<p>\u3000\u3000猫は窓辺で眠っていた。</p>"
        "<p><em>&nbsp;&nbsp;Nobody</em> came up the hill that night.</p>"
        "<p>&nbsp;&nbsp;<br/>A line after an empty first line.</p>"
        "<p>It was 10\u00a0km to the village.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    chapter = epub_document(convert(run_cli, source) / "indented.epub", "chapter-001.xhtml")
    assert paragraphs(chapter) == [
        "The lamp was lit at four.",
        "The keeper wound the clock.",
        "猫は窓辺で眠っていた。",
        "Nobody came up the hill that night.",
        "A line after an empty first line.",
        "It was 10\u00a0km to the village.",  # a no-break space inside the text stays
    ]
    assert [em.text for em in chapter.iter(f"{XHTML}em")] == ["Nobody"]
    assert chapter.find(f".//{XHTML}br") is None


def test_a_text_paragraph_indented_by_hand_is_indented_once(run_cli, tmp_path):
    source = tmp_path / "indented.txt"
    source.write_text(
        "\u00a0\u00a0\u00a0\u00a0The lamp was lit at four, as it had been every night for years.\n\n"
        "\u3000The keeper wound the clock and sat down with the logbook.\n",
        encoding="utf-8",
    )
    out = convert(run_cli, source, "--html")
    page = etree.parse(str(out / "indented.html"), etree.HTMLParser())
    texts = ["".join(p.itertext()) for p in page.iterfind(".//section[@class='chapter']//p")]
    assert texts == [
        "The lamp was lit at four, as it had been every night for years.",
        "The keeper wound the clock and sat down with the logbook.",
    ]


# --- A heading over a one-shot ------------------------------------------------------------------


def chapter_heading(section: etree._Element) -> etree._Element | None:
    return next((h for h in section.iter(f"{XHTML}h2") if "chapter-title" in h.get("class", "")), None)


def test_a_one_shot_opens_under_the_works_title_in_epub_pdf_and_html(run_cli, tmp_path):
    source = tmp_path / "ferry.html"
    source.write_text(ao3_download("The Ferry at Dusk", TAGS, ONE_SHOT_BODY), encoding="utf-8")
    out = convert(run_cli, source, "--epub", "--pdf", "--html")

    epub = out / "ferry.epub"
    chapter = epub_document(epub, "chapter-001.xhtml")
    heading = chapter_heading(chapter)
    assert heading is not None and "".join(heading.itertext()) == "The Ferry at Dusk"
    assert heading.getnext().get("class") == "chapter-text"  # straight before the text
    assert epub_nav_titles(epub) == ["The Ferry at Dusk"]

    pdf = out / "ferry.pdf"
    assert pdf_outline(pdf) == ["The Ferry at Dusk"]
    pages = [page.extract_text() for page in PdfReader(str(pdf)).pages]
    opening = next(text for text in pages if "The ferry left at six" in text)
    assert opening.split("\n")[0] == "The Ferry at Dusk"

    page = etree.parse(str(out / "ferry.html"), etree.HTMLParser())
    assert page.xpath("string(//section[contains(@class, 'chapter')]/h2)") == "The Ferry at Dusk"


def test_a_plain_text_one_shot_has_the_heading_too(run_cli, tmp_path):
    source = tmp_path / "night_ferry.txt"
    source.write_text("The ferry left at six.\n\nMarta was on it.\n", encoding="utf-8")
    chapter = epub_document(convert(run_cli, source) / "night_ferry.epub", "chapter-001.xhtml")
    assert "".join(chapter_heading(chapter).itertext()) == "Night Ferry"


def test_chapters_with_titles_of_their_own_get_no_extra_heading(run_cli, tmp_path):
    titled = tmp_path / "titled.txt"
    titled.write_text("Chapter 1: The Crossing\n\nThe ferry left at six.\n", encoding="utf-8")
    chapter = epub_document(convert(run_cli, titled) / "titled.epub", "chapter-001.xhtml")
    assert ["".join(h.itertext()) for h in chapter.iter(f"{XHTML}h2")] == ["Chapter 1 The Crossing"]
    assert "work-title" not in etree.tostring(chapter, encoding=str)

    several = tmp_path / "several.html"
    body = (
        '<div class="meta group"><h2 class="heading">Outbound</h2></div>'
        '<div class="userstuff"><p>The ferry left at six.</p></div>'
        '<div class="meta group"><h2 class="heading">Homeward</h2></div>'
        '<div class="userstuff"><p>It came back at nine.</p></div>'
    )
    several.write_text(ao3_download("Two Crossings", TAGS, body), encoding="utf-8")
    epub = convert(run_cli, several) / "several.epub"
    headings = [
        ["".join(h.itertext()) for h in epub_document(epub, f"chapter-00{n}.xhtml").iter(f"{XHTML}h2")]
        for n in (1, 2)
    ]
    assert headings == [["Outbound"], ["Homeward"]]
