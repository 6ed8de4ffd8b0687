"""Illustrated Project Gutenberg editions: "[Illustration: …]" captions, a book's own list of
illustrations, and PG's header and licence read as whole paragraphs.

A caption is one block of the tree (``Illustration``) whatever it spans (blank lines, nested
brackets, a chapter heading set inside it), rendered as a figure holding only its caption, since no
picture exists; the fixture ``gutenberg_illustrated_edition.txt`` goes through the real command to an
EPUB that EPUBCheck passes, and a PDF, with every word of every caption in both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from converter.convert import ConvertOptions, load_work
from converter.document import (
    Chapter,
    Emphasis,
    Illustration,
    LineBreak,
    LineGroup,
    ListBlock,
    MatterKind,
    Metadata,
    Paragraph,
    Text,
    Work,
    block_text,
    blocks_text,
)
from converter.parse import parse
from converter.parse.blocks import parse_blocks
from converter.parse.gutenberg import matter_blocks
from converter.typography import typeset
from converter.write.render import Renderer, render_work
from tests.conftest import run_ficexport
from tests.support import (
    FIXTURES,
    assert_epubcheck_clean,
    epub_documents,
    epub_text,
    lost_words,
    pdf_text,
    source_words,
    words,
)

XHTML = "{http://www.w3.org/1999/xhtml}"
BOOK = FIXTURES / "gutenberg_illustrated_edition.txt"


def blocks(text: str):
    return parse_blocks(text.split("\n"))


# --- The block rule -------------------------------------------------------------------------------


def test_a_bare_marker_is_an_illustration_with_no_caption():
    assert blocks("[Illustration]") == (Illustration(()),)


def test_a_caption_across_blank_lines_with_nested_brackets_is_one_block():
    found = blocks(
        "[Illustration:\n\n“He came down to see the place”\n\n[_Copyright 1894 by George Allen._]]\n\n"
        "This was invitation enough."
    )
    assert found == (
        Illustration(
            (
                Text("“He came down to see the place”"),
                LineBreak(),
                Text("["),
                Emphasis((Text("Copyright 1894 by George Allen."),)),
                Text("]"),
            )
        ),
        Paragraph((Text("This was invitation enough."),)),
    )


def test_a_flush_caption_wrapped_onto_a_second_line_is_joined():
    found = blocks("[Illustration: “The entreaties of several” [_Copyright 1894 by George\nAllen._]]")
    assert len(found) == 1
    expected = "Illustration “The entreaties of several” [Copyright 1894 by George Allen.]"
    assert block_text(found[0]) == expected


def test_an_indented_caption_keeps_its_lines_and_emphasis_runs_across_them():
    found = blocks(
        "        [Illustration:\n\n"
        "           _To J. Comyns Carr\n"
        "       in acknowledgment of all I\n"
        "        owe to his friendship_\n"
        "                  ]"
    )
    assert len(found) == 1
    (emphasis,) = found[0].caption
    assert isinstance(emphasis, Emphasis)
    assert emphasis.children == (
        Text("To J. Comyns Carr"),
        LineBreak(),
        Text("in acknowledgment of all I"),
        LineBreak(),
        Text("owe to his friendship"),
    )


def test_what_later_rules_would_take_stays_inside_the_caption():
    found = blocks("[Illustration:\n\n* * *\n\n1. The first plate\n\n> a quoted line]")
    assert [type(block) for block in found] == [Illustration]
    assert block_text(found[0]) == "Illustration * * *\n1. The first plate\n> a quoted line"


def test_text_after_the_closing_bracket_is_a_paragraph_of_its_own():
    found = blocks("[Illustration: A lamp] It was late when he came home.\n\nHe slept.")
    assert [block_text(block) for block in found] == [
        "Illustration A lamp",
        "It was late when he came home.",
        "He slept.",
    ]
    assert [type(block) for block in found] == [Illustration, Paragraph, Paragraph]


def test_a_caption_never_closed_is_its_own_chunk_and_the_story_goes_on():
    found = blocks("[Illustration: ·PRIDE AND PREJUDICE·\n\nIt is a truth universally acknowledged.")
    assert found == (
        Illustration((Text("·PRIDE AND PREJUDICE·"),)),
        Paragraph((Text("It is a truth universally acknowledged."),)),
    )


def test_the_marker_word_is_kept_as_written_and_other_brackets_stay_text():
    assert blocks("[ILLUSTRATION: The Post]")[0].label == "ILLUSTRATION"
    assert [type(b) for b in blocks("[Note: the plates are lost.]")] == [Paragraph]
    assert [type(b) for b in blocks("He said [Illustration] twice.")] == [Paragraph]


def test_typography_reaches_the_caption():
    caption = blocks('[Illustration: "A lamp for every door" -- the author]')[0]
    work = Work(meta=Metadata(), chapters=(Chapter(number=1, body=(caption,)),))
    smart = typeset(work).chapters[0].body[0]
    assert block_text(smart) == "Illustration “A lamp for every door” — the author"


CAPTION_LINES = st.sampled_from(
    ["[Illustration]", "[Illustration:", "[ILLUSTRATION: The Post]", "]", "]]", "[", "[_Copyright_]",
     "  indented caption line", "Chapter I.]", "CHAPTER II.", "* * *", "1. item", "> quoted", "", "", ""]
)  # fmt: skip
CAPTION_TEXT = st.lists(
    st.one_of(CAPTION_LINES, st.sampled_from(["the lamp", "“He came”", "_lit_ again", "a b c"])),
    min_size=1,
    max_size=40,
).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(CAPTION_TEXT)
def test_captions_in_any_arrangement_never_raise_and_lose_no_word(text):
    book = " ".join(" ".join(part.element.itertext()) for part in render_work(typeset(parse(text))))
    assert not source_words(text) - words(book), text


# --- Rendering ------------------------------------------------------------------------------------


def render(block) -> etree._Element:
    holder = etree.Element(f"{XHTML}div")
    Renderer().blocks(holder, (block,))
    return holder


def test_a_caption_renders_as_a_figure_holding_only_its_caption():
    holder = render(Illustration((Text("The Post"), LineBreak(), Emphasis((Text("Copyright"),)))))
    (figure,) = holder
    assert figure.tag == f"{XHTML}figure" and figure.get("class") == "illustration"
    (caption,) = figure
    assert caption.tag == f"{XHTML}figcaption"
    label = caption[0]
    assert label.tag == f"{XHTML}span" and label.get("class") == "illustration-label"
    assert label.text == "Illustration"
    assert [etree.QName(child).localname for child in caption] == ["span", "br", "br", "em"]
    assert " ".join("".join(caption.itertext()).split()) == "IllustrationThe PostCopyright"


def test_a_bare_marker_renders_its_label_alone():
    (figure,) = render(Illustration((), "ILLUSTRATION"))
    (caption,) = figure
    assert [child.text for child in caption] == ["ILLUSTRATION"] and not caption[0].tail


def test_the_style_sheet_sets_the_caption_apart():
    css = (Path(__file__).resolve().parent.parent / "styles" / "base.css").read_text(encoding="utf-8")
    rule = css[css.index("figure.illustration {") :]
    rule = rule[: rule.index("}")]
    assert "text-align: center" in rule and "margin" in rule
    caption = css[css.index("figure.illustration figcaption {") :]
    assert "font-style: italic" in caption[: caption.index("}")]


# --- PG's header and licence ----------------------------------------------------------------------


def test_header_and_licence_paragraphs_read_whole_though_wrapped_ragged():
    found = matter_blocks(
        [
            "This ebook is for the use of anyone anywhere in the United States and",
            "most other parts of the world at no cost and with almost no restrictions",
            "whatsoever. You may copy it under the terms",
            "of the Project Gutenberg License included with this ebook or online",
            "at www.gutenberg.org.",
            "",
            "Title: A Test",
            "Author: Someone",
            "",
            "Release date: June 1, 1998 [eBook #1]",
            "                Most recently updated: April 14, 2023",
            "",
            "Credits: Typed by a long list of volunteers and the Online",
            "         Distributed Proofreading Team",
            "",
            "THE FULL PROJECT GUTENBERG LICENSE",
            "PLEASE READ THIS BEFORE YOU DISTRIBUTE OR USE THIS WORK",
            "",
            "    • You pay a royalty fee of 20% of the gross profits you derive from",
            "        the use of Project Gutenberg works.",
            "",
            "    • You provide a full refund.",
            "",
            "For additional contact information:",
            "     Dr. Gregory B. Newby",
            "     Chief Executive and Director",
        ]
    )
    texts = [blocks_text((block,)) for block in found]
    assert texts[0].startswith("This ebook is for the use") and texts[0].endswith("at www.gutenberg.org.")
    assert texts[1:7] == [
        "Title: A Test",
        "Author: Someone",
        "Release date: June 1, 1998 [eBook #1]",
        "Most recently updated: April 14, 2023",
        "Credits: Typed by a long list of volunteers and the Online Distributed Proofreading Team",
        "THE FULL PROJECT GUTENBERG LICENSE",
    ]
    assert isinstance(found[8], ListBlock) and len(found[8].items) == 2
    assert texts[9] == "For additional contact information:"
    assert isinstance(found[10], LineGroup) and len(found[10].lines) == 2


# --- The illustrated edition, parsed --------------------------------------------------------------


@pytest.fixture(scope="module")
def work() -> Work:
    return load_work(BOOK, ConvertOptions())


def test_the_list_of_illustrations_is_front_matter_and_in_no_chapter(work):
    kinds = [matter.kind for matter in work.front_matter]
    assert kinds == [MatterKind.SOURCE_HEADER, MatterKind.TITLE_PAGE, MatterKind.CONTENTS]
    listed = work.front_matter[2]
    assert listed.title == "ILLUSTRATIONS"
    assert "Heading to Chapter I. 1" in blocks_text(listed.blocks).split("\n")
    assert not any("Heading to Chapter" in blocks_text(c.body) for c in work.chapters)
    assert [c.label for c in work.chapters] == ["CHAPTER I", "CHAPTER II", "CHAPTER III"]


def test_a_heading_set_inside_a_caption_opens_its_chapter_and_the_caption_goes_with_it(work):
    second, third = work.chapters[1], work.chapters[2]
    assert not isinstance(second.body[-1], Illustration)
    assert block_text(third.body[0]) == "Illustration · THE LAMPLIGHTER’S ALMANAC ·"


def test_the_header_keeps_its_ragged_paragraph_whole(work):
    header = work.front_matter[0]
    paragraph = blocks_text(header.blocks[1:2])
    assert paragraph.startswith("This ebook is a test file") and paragraph.endswith("of a sentence.")
    licence = work.back_matter[0]
    assert blocks_text(licence.blocks[1:2]).endswith("a short line does not end a paragraph.")


# --- The book, made by the real command -----------------------------------------------------------


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("illustrated")
    result = run_ficexport(BOOK, "--epub", "--kepub", "--pdf", "-o", folder, cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder


def test_the_epub_passes_epubcheck_and_loses_no_word(made):
    epub = made / f"{BOOK.stem}.epub"
    assert_epubcheck_clean(epub)
    assert not lost_words(BOOK.read_text(encoding="utf-8"), epub_text(epub))


def test_every_caption_is_a_figure_in_the_epub(made):
    figures = [
        figure
        for _, root in epub_documents(made / f"{BOOK.stem}.epub")
        for figure in root.iter(f"{XHTML}figure")
    ]
    assert len(figures) == 5 and all(f.get("class") == "illustration" for f in figures)
    assert all(len(f) == 1 and f[0].tag == f"{XHTML}figcaption" for f in figures)
    captions = [" ".join("".join(f.itertext()).split()) for f in figures]
    assert "Illustration“A lamp for every door” [Drawn by the author in 1901]" in captions


def test_the_kepub_spans_caption_sentences_like_paragraphs(made):
    kepub = made / f"{BOOK.stem}.kepub.epub"
    captions = [c for _, root in epub_documents(kepub) for c in root.iter(f"{XHTML}figcaption")]
    assert captions and all(c.find(f".//{XHTML}span[@class='koboSpan']") is not None for c in captions)


def test_the_pdf_holds_every_word_of_every_caption(made):
    text = pdf_text(made / f"{BOOK.stem}.pdf")
    # The label too, in its own case (small capitals would come back from a PDF as "iLLustration").
    assert words(text)["Illustration"] == 5
    assert not lost_words(BOOK.read_text(encoding="utf-8"), text)
