"""The Kobo KEPUB: valid, the same text as the EPUB, every sentence in a koboSpan numbered as Kobo's
engine expects, inside the book-columns/book-inner wrappers."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from converter.write.kepub import kobo_body, sentences
from tests.conftest import run_ficexport
from tests.support import (
    EXAMPLES,
    FIXTURES,
    OPF_NS,
    assert_epubcheck_clean,
    epub_documents,
    epub_opf,
    epub_text,
    listing,
    lost_words,
)

XHTML = "{http://www.w3.org/1999/xhtml}"
SOURCES = [FIXTURES / "ao3_full_preface.txt", EXAMPLES / "the-lighthouse-keepers-cat.txt"]
KOBO_ID = re.compile(r"kobo\.(\d+)\.(\d+)")


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each source as EPUB and KEPUB from one run of the real command."""
    folder = tmp_path_factory.mktemp("kepub")
    hundred = folder / "hundred.txt"
    hundred.write_text(
        "\n\n".join(
            f"Chapter {n}: Day {n}\n\nIt rained. Then it stopped! Did it? Yes." for n in range(1, 101)
        ),
        encoding="utf-8",
    )
    made = {}
    for source in [*SOURCES, hundred]:
        result = run_ficexport(source, "--epub", "--kepub", "-o", folder, cwd=folder)
        assert result.returncode == 0, result.stderr
        made[source.stem] = (folder / f"{source.stem}.epub", folder / f"{source.stem}.kepub.epub")
    return made


def exact_text(path: Path) -> list[tuple[str, str]]:
    """Each spine document's body text, every character as it is (spans only cut it)."""
    return [(href, "".join(root.find(f"{XHTML}body").itertext())) for href, root in epub_documents(path)]


def content_documents(path: Path) -> list[tuple[str, etree._Element]]:
    return [(href, root) for href, root in epub_documents(path) if href != "nav.xhtml"]


@pytest.mark.parametrize("name", ["ao3_full_preface", "the-lighthouse-keepers-cat", "hundred"])
def test_kepub_passes_epubcheck_with_no_message(books, name):
    assert_epubcheck_clean(books[name][1])


@pytest.mark.parametrize("name", ["ao3_full_preface", "the-lighthouse-keepers-cat"])
def test_kepub_text_is_the_epubs_text_and_loses_no_word(books, name):
    epub, kepub = books[name]
    assert exact_text(kepub) == exact_text(epub)
    source = next(s for s in SOURCES if s.stem == name)
    assert not lost_words(source.read_text(encoding="utf-8"), epub_text(kepub))


@pytest.mark.parametrize("name", ["ao3_full_preface", "the-lighthouse-keepers-cat", "hundred"])
def test_every_paragraphs_text_is_inside_kobospans_in_order(books, name):
    for href, root in content_documents(books[name][1]):
        for paragraph in root.iter(f"{XHTML}p", f"{XHTML}h1", f"{XHTML}h2", f"{XHTML}h3", f"{XHTML}dd"):
            text = "".join(paragraph.itertext())
            if not text.strip():
                continue
            spans = [s for s in paragraph.iter(f"{XHTML}span") if s.get("class") == "koboSpan"]
            assert spans, (href, text)
            assert "".join("".join(s.itertext()) for s in spans) == text, href
            # Nothing outside the spans but the spaces between them.
            outside = "".join(_text_outside_spans(paragraph))
            assert not outside.strip(), (href, outside)


def _text_outside_spans(element: etree._Element):
    if element.get("class") == "koboSpan":
        return
    yield element.text or ""
    for child in element:
        yield from _text_outside_spans(child)
        yield child.tail or ""


@pytest.mark.parametrize("name", ["ao3_full_preface", "hundred"])
def test_kobospan_ids_count_paragraphs_and_sentences_from_one(books, name):
    for href, root in content_documents(books[name][1]):
        ids = [s.get("id") for s in root.iter(f"{XHTML}span") if s.get("class") == "koboSpan"]
        previous = (0, 0)
        for span_id in ids:
            paragraph, sentence = map(int, KOBO_ID.fullmatch(span_id).groups())
            # The next sentence of the same paragraph, or the first sentence of a later one.
            assert (paragraph, sentence) == (previous[0], previous[1] + 1) or (
                paragraph > previous[0] and sentence == 1
            ), (href, span_id, previous)
            previous = (paragraph, sentence)
        assert ids and ids[0] == "kobo.1.1", href


def test_sentences_are_cut_where_a_sentence_ends(books):
    _, kepub = books["hundred"]
    with zipfile.ZipFile(kepub) as archive:
        chapter = etree.fromstring(archive.read("EPUB/chapter-007.xhtml"))
    paragraph = chapter.find(f".//{XHTML}div[@class='chapter-text']/{XHTML}p")
    spans = [(s.get("id"), s.text) for s in paragraph.iter(f"{XHTML}span")]
    p = spans[0][0].split(".")[1]
    assert spans == [
        (f"kobo.{p}.1", "It rained. "),
        (f"kobo.{p}.2", "Then it stopped! "),
        (f"kobo.{p}.3", "Did it? "),
        (f"kobo.{p}.4", "Yes."),
    ]


@pytest.mark.parametrize("name", ["ao3_full_preface", "the-lighthouse-keepers-cat"])
def test_every_content_document_is_wrapped_in_book_columns_and_book_inner(books, name):
    for href, root in content_documents(books[name][1]):
        body = root.find(f"{XHTML}body")
        assert len(body) == 1, href
        columns = body[0]
        assert (columns.tag, columns.get("id")) == (f"{XHTML}div", "book-columns"), href
        assert [(c.tag, c.get("id")) for c in columns] == [(f"{XHTML}div", "book-inner")], href


def test_kepub_cover_is_marked_and_its_image_is_in_a_kobospan(books):
    _, kepub = books["the-lighthouse-keepers-cat"]
    _, opf = epub_opf(kepub)
    items = opf.findall(".//opf:manifest/opf:item[@properties='cover-image']", OPF_NS)
    assert len(items) == 1
    href, cover = epub_documents(kepub)[0]
    image = cover.find(f".//{XHTML}img")
    assert href == "cover.xhtml" and image.get("src") == items[0].get("href")
    assert image.getparent().get("class") == "koboSpan"


def test_kepub_alone_is_written_instead_of_the_epub(tmp_path, run_cli):
    result = run_cli(SOURCES[0], "--kepub", "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    assert listing(tmp_path) == ["ao3_full_preface.kepub.epub"]


@pytest.mark.parametrize(
    "text",
    [
        "He said. She said! Really?  Yes…",
        "“Go.” He went.",
        "Mr. Smith stayed.",
        "你好。我很好！谢谢",
        "  leading and trailing spaces. ",
        "no end",
        "",
    ],
)
def test_sentences_join_back_to_the_text_exactly(text):
    assert "".join(sentences(text)) == text
    assert all(sentences(text))


def test_kobo_body_keeps_inline_marks_and_puts_spans_inside_them():
    p = etree.fromstring(
        '<p xmlns="http://www.w3.org/1999/xhtml">Start <em>in italics. Still</em> after. End<br/>line two</p>'
    )
    (columns,) = kobo_body([p])
    spans = [(s.get("id"), s.text, s.getparent().tag.split("}")[1]) for s in columns.iter(f"{XHTML}span")]
    assert spans == [
        ("kobo.1.1", "Start ", "p"),
        ("kobo.1.2", "in italics. ", "em"),
        ("kobo.1.3", "Still", "em"),
        ("kobo.1.4", " after. ", "p"),
        ("kobo.1.5", "End", "p"),
        ("kobo.1.6", "line two", "p"),
    ]
    assert "".join(p.itertext()) == "Start in italics. Still after. Endline two"
