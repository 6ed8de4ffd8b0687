"""A nested table of contents: chapters inside a ``BOOK I`` / ``ACT I`` / ``PART ONE`` heading.

The works are built here as document trees (``Chapter(..., level=1)``), so these tests pin the
outputs, not the parser: the EPUB 3 navigation document and the NCX nest, a part heading with no
text is a page of its own, the PDF's bookmarks and contents page nest with the right page numbers,
the ``--html`` file's contents nest, the outline shows the levels; and a flat work is untouched.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import lxml.html
import pytest
from lxml import etree
from pypdf import PdfReader

from converter.document import (
    Chapter,
    Matter,
    MatterKind,
    Metadata,
    Paragraph,
    SceneBreak,
    Text,
    Work,
    blocks_text,
)
from converter.outline import format_outline, outline
from converter.write.epub import write_epub
from converter.write.html import write_html
from converter.write.kepub import write_kepub
from converter.write.pdf import PdfOptions, write_pdf
from converter.write.print_document import print_document, serialise
from converter.write.render import contents_levels, render_work
from tests.support import assert_epubcheck_clean, epub_documents, lost_words

XHTML = "{http://www.w3.org/1999/xhtml}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def _text(words: str) -> tuple[Paragraph, ...]:
    return (Paragraph((Text(words),)),)


def _body(words: str) -> tuple:
    return (*_text(words), SceneBreak(), *_text(f"And after the break, {words.lower()}"))


NESTED = Work(
    meta=Metadata(title="The Two Books of the Harbour", authors=("quill_and_ink",), language="en"),
    chapters=(
        Chapter(1, label="BOOK I", title="The Shore", level=0),
        Chapter(2, label="Chapter 1", title="Gulls", body=_body("The gulls came early."), level=1),
        Chapter(3, label="Chapter 2", body=_body("The tide went out."), level=1),
        Chapter(4, label="BOOK II", level=0),
        Chapter(5, label="Chapter 1", title="Nets", body=_body("Nets were mended."), level=1),
    ),
    end_notes=_text("Thank you for reading."),
    front_matter=(Matter(MatterKind.PREFACE, "Preface", _text("A word before.")),),
    back_matter=(Matter(MatterKind.OTHER, "Afterword", _text("A word after.")),),
)
#: The table of contents NESTED must have: (label, entries inside it).
NESTED_TOC = [
    ("Preface", []),
    ("BOOK I: The Shore", [("Chapter 1: Gulls", []), ("Chapter 2", [])]),
    ("BOOK II", [("Chapter 1: Nets", [])]),
    ("End Notes", []),
    ("Afterword", []),
]

FLAT = Work(
    meta=Metadata(title="A Flat Work", authors=("quill_and_ink",), language="en"),
    chapters=(
        Chapter(1, label="Chapter 1", body=_body("It began.")),
        Chapter(2, label="Chapter 2", body=()),  # empty, but no chapters inside it: still a chapter
        Chapter(3, label="Chapter 3", body=_body("It ended.")),
    ),
)


def _tree(ol: etree._Element) -> list:
    """A nested ``<ol>`` as (label, children) pairs; every ``li`` holds one link and at most one list."""
    entries = []
    for li in ol:
        assert li.tag.endswith("li"), li.tag
        links = [child for child in li if child.tag.endswith("}a") or child.tag == "a"]
        lists = [child for child in li if child.tag.endswith("ol")]
        assert len(links) == 1 and len(lists) <= 1, etree.tostring(li)
        label = " ".join("".join(links[0].itertext()).split())
        entries.append((label, _tree(lists[0]) if lists else []))
    return entries


def _nav_toc(epub: bytes) -> list:
    with zipfile.ZipFile(io.BytesIO(epub)) as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "toc")
    (top,) = toc.findall(f"{XHTML}ol")
    return _tree(top)


def _ncx_tree(parent: etree._Element) -> list:
    return [
        (point.findtext(f"{NCX}navLabel/{NCX}text"), _ncx_tree(point))
        for point in parent.findall(f"{NCX}navPoint")
    ]


def _ncx(epub: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(epub)) as archive:
        return etree.fromstring(archive.read("EPUB/toc.ncx"))


def _pdf_outline(reader: PdfReader) -> list:
    """The bookmarks as (title, page number, children); pypdf lists a bookmark's children as a list
    right after it."""
    tree: list = []
    for item in reader.outline:
        if isinstance(item, list):
            tree[-1] = (*tree[-1][:2], _children(reader, item))
        else:
            tree.append((item.title, reader.get_destination_page_number(item) + 1, []))
    return tree


def _children(reader: PdfReader, items: list) -> list:
    tree: list = []
    for item in items:
        if isinstance(item, list):
            tree[-1] = (*tree[-1][:2], _children(reader, item))
        else:
            tree.append((item.title, reader.get_destination_page_number(item) + 1, []))
    return tree


def _labels(tree: list) -> list:
    return [(title, _labels(children)) for title, _, children in tree]


def _flatten(tree: list) -> list[tuple[str, int]]:
    return [pair for title, page, children in tree for pair in [(title, page), *_flatten(children)]]


@pytest.fixture(scope="module")
def nested_epub(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("nested") / "nested.epub"
    path.write_bytes(write_epub(NESTED))
    return path


@pytest.fixture(scope="module")
def nested_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("nested") / "nested.pdf"
    path.write_bytes(write_pdf(NESTED, PdfOptions(page_size="6in")).data)
    return path


# --- the levels ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "depths"),
    [
        ([0, 0, 0], [0, 0, 0]),
        ([0, 1, 1, 0, 1], [0, 1, 1, 0, 1]),
        ([0, 2, 2], [0, 1, 1]),  # a jump nests one deeper than its part, never two
        ([0, 2, 1, 2], [0, 1, 1, 2]),
        ([1, 1, 2], [0, 0, 1]),  # nothing above the first chapter: it is at the top
        ([0, 1, 2, 0], [0, 1, 2, 0]),
    ],
)
def test_contents_levels_nest_every_chapter_one_below_its_part(levels, depths):
    chapters = tuple(Chapter(number, level=level) for number, level in enumerate(levels, start=1))
    assert contents_levels(chapters) == depths


# --- EPUB ---------------------------------------------------------------------------------------


def test_navigation_document_nests_chapters_inside_their_part(nested_epub):
    assert _nav_toc(nested_epub.read_bytes()) == NESTED_TOC


def test_ncx_nests_navpoints_the_same_way(nested_epub):
    ncx = _ncx(nested_epub.read_bytes())
    assert _ncx_tree(ncx.find(f"{NCX}navMap")) == NESTED_TOC
    assert ncx.find(f"{NCX}head/{NCX}meta[@name='dtb:depth']").get("content") == "2"
    ids = [point.get("id") for point in ncx.iter(f"{NCX}navPoint")]
    orders = [int(point.get("playOrder", "0")) for point in ncx.iter(f"{NCX}navPoint")]
    assert len(set(ids)) == len(ids)
    assert orders == sorted(orders)


def test_nested_epub_and_kepub_pass_epubcheck(nested_epub, tmp_path):
    assert_epubcheck_clean(nested_epub)
    kepub = tmp_path / "nested.kepub.epub"
    kepub.write_bytes(write_kepub(NESTED))
    assert_epubcheck_clean(kepub)


def test_a_part_heading_without_text_is_a_part_title_page_in_the_spine(nested_epub):
    documents = dict(epub_documents(nested_epub))
    part = documents["chapter-001.xhtml"].find(f".//{XHTML}section")
    assert part.get("class").split() == ["chapter", "part"]
    assert part.get(EPUB_TYPE) == "part" and part.get("role") == "doc-part"
    assert [child.get("class") for child in part] == ["chapter-title"]  # the heading alone
    assert " ".join("".join(part.itertext()).split()) == "BOOK I The Shore"
    chapter = documents["chapter-002.xhtml"].find(f".//{XHTML}section")
    assert chapter.get("class") == "chapter" and chapter.get(EPUB_TYPE) == "chapter"


def test_every_word_of_a_nested_work_is_in_the_book():
    text = "\n".join(" ".join(part.element.itertext()) for part in render_work(NESTED))
    source = [f"{chapter.label} {chapter.title}\n{blocks_text(chapter.body)}" for chapter in NESTED.chapters]
    source += [blocks_text(NESTED.end_notes), *(blocks_text(m.blocks) for m in NESTED.front_matter)]
    assert not lost_words("\n".join(source), text)


def test_level_jumps_nest_validly_in_nav_and_ncx(tmp_path):
    work = Work(
        meta=Metadata(title="Jumps", language="en"),
        chapters=(
            Chapter(1, label="Chapter 1", body=_text("Deep first."), level=2),  # nothing above: top
            Chapter(2, label="ACT I", level=0),
            Chapter(3, label="Scene 1", body=_text("A jump from 0 to 2."), level=2),
            Chapter(4, label="Scene 2", body=_text("Its sibling."), level=2),
        ),
    )
    expected = [("Chapter 1", []), ("ACT I", [("Scene 1", []), ("Scene 2", [])])]
    data = write_epub(work)
    assert _nav_toc(data) == expected
    assert _ncx_tree(_ncx(data).find(f"{NCX}navMap")) == expected
    path = tmp_path / "jumps.epub"
    path.write_bytes(data)
    assert_epubcheck_clean(path)


def test_a_flat_work_has_a_flat_contents_and_no_part_pages(tmp_path):
    data = write_epub(FLAT)
    assert _nav_toc(data) == [("Chapter 1", []), ("Chapter 2", []), ("Chapter 3", [])]
    ncx = _ncx(data)
    assert ncx.find(f"{NCX}navMap/{NCX}navPoint/{NCX}navPoint") is None
    assert ncx.find(f"{NCX}head/{NCX}meta[@name='dtb:depth']").get("content") == "0"  # as ever
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        empty = etree.fromstring(archive.read("EPUB/chapter-002.xhtml"))
    assert empty.find(f".//{XHTML}section").get("class") == "chapter"  # no chapters inside it
    assert "data-outline-level" not in serialise(print_document(FLAT, PdfOptions()))
    body = serialise(print_document(FLAT, PdfOptions())).split("<body>")[1]
    assert "part" not in body.split("Chapter 1")[0]


# --- PDF and HTML -------------------------------------------------------------------------------


def test_pdf_bookmarks_nest_chapters_under_their_part(nested_pdf):
    reader = PdfReader(nested_pdf)
    assert _labels(_pdf_outline(reader)) == NESTED_TOC


def test_pdf_contents_page_lists_every_entry_with_the_page_its_bookmark_opens(nested_pdf):
    reader = PdfReader(nested_pdf)
    contents = next(
        page.extract_text() for page in reader.pages[1:4] if page.extract_text().startswith("Contents")
    )
    lines = [" ".join(line.split()) for line in contents.splitlines()[1:-1]]  # less its page number
    entries = _flatten(_pdf_outline(reader))
    assert len(entries) == 8
    for (title, page_number), line in zip(entries, lines, strict=True):
        assert line.startswith(title), (title, line)
        assert line.endswith(f" {page_number}"), (title, page_number, line)


def test_pdf_contents_page_indents_a_parts_chapters_under_it(nested_pdf):
    page = next(p for p in PdfReader(nested_pdf).pages[1:4] if p.extract_text().startswith("Contents"))
    starts: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            starts.setdefault(" ".join(text.split()).split(" .")[0], tm[4] * cm[0] + cm[4])

    page.extract_text(visitor_text=visit)
    top = starts["BOOK I: The Shore"]
    assert starts["Preface"] == starts["BOOK II"] == starts["End Notes"] == top
    assert starts["Chapter 1: Gulls"] == starts["Chapter 2"] == starts["Chapter 1: Nets"] > top + 5


def test_pdf_part_title_page_is_a_page_of_its_own_with_its_heading_alone(nested_pdf):
    reader = PdfReader(nested_pdf)
    pages = dict(_flatten(_pdf_outline(reader)))
    for title in ("BOOK I: The Shore", "BOOK II"):
        page = pages[title]
        text = " ".join(reader.pages[page - 1].extract_text().split())
        assert text == f"{title.replace(':', '')} {page}", text  # the heading and the page number
        assert pages[title] < min(p for t, p in pages.items() if t.startswith("Chapter") and p > page)


def test_html_contents_nest_like_the_pdfs():
    page = lxml.html.document_fromstring(write_html(NESTED))
    (nav,) = page.xpath("//nav[@class='contents']")
    (top,) = nav.xpath("./ol")
    assert _tree(top) == NESTED_TOC
    assert page.xpath("//nav[@class='contents']//li[contains(@class, 'part')]/a/text()") == [
        "BOOK I: The Shore",
        "BOOK II",
    ]


# --- the outline --------------------------------------------------------------------------------


def test_outline_gives_each_chapter_its_level_and_indents_deeper_ones():
    data = outline(NESTED)
    assert [chapter["level"] for chapter in data["chapters"]] == [0, 1, 1, 0, 1]
    lines = [line for line in format_outline(data).splitlines() if line.startswith("  ")]
    assert lines[0].startswith("    1. BOOK I: The Shore")
    assert lines[1].startswith("      2. Chapter 1: Gulls")
    assert lines[3].startswith("    4. BOOK II")
    assert "level" in outline(FLAT)["chapters"][0] and outline(FLAT)["chapters"][0]["level"] == 0
