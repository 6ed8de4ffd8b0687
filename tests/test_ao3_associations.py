"""AO3's associations ("Inspired by …", "Translation into … available: …") belong to the work's
preface: they join the work's notes, in a page copy, a copied download and an HTML download alike,
and never open an untitled chapter or pass for the byline."""

from __future__ import annotations

import pytest

from converter.document import blocks_text
from converter.parse import parse
from converter.parse.ao3_fields import is_association
from converter.parse.html import read_html

_DOWNLOAD_HEAD = """The Lantern Keeper
Posted originally on the Archive of Our Own at https://archiveofourown.org/works/7654321.

Rating:
    General Audiences
Fandom:
    Original Work
Stats:
    Published: 2024-01-01 Words: 40 Chapters: 2/2

The Lantern Keeper
by someauthor
"""
_CHAPTERS = """
Chapter 1: Dusk

She lit the lamp at dusk.

Chapter 2: Dawn

It burned till morning.
"""


def _labels(work) -> list[str]:
    return [chapter.display_title for chapter in work.chapters]


@pytest.mark.parametrize(
    "line",
    [
        "Translation into Русский available: Хранитель by perevodchik",
        "Translation into 中文 available: 守灯人 by xiaoyu",
        "A translation of The Old Light by elderwriter.",
        "Inspired by The Old Light by elderwriter.",
        "Inspired by [Restricted Work] by elderwriter. Log in to view.",
        "In response to a prompt by Anonymous in the Winter Swap 2024 collection.",
        "A [podfic] of this work exists: The Lantern Keeper (audio) by readaloud",
        "Podfic of this work by readaloud.",
        "Translated into 中文 by xiaoyu",
        "• Inspired by The Old Light by elderwriter.",
    ],
)
def test_association_lines_are_recognised(line):
    assert is_association(line)


@pytest.mark.parametrize(
    "line",
    [
        "Inspired by her courage, he went on.",  # no "by Author": prose
        "She translated into French the letter he wrote.",
        "A podfic would be lovely, if anyone wants to.",
        "Inspired by the stories his grandmother told by the fire, he set out. " * 6,  # too long
    ],
)
def test_prose_is_not_an_association(line):
    assert not is_association(line)


def test_download_associations_after_the_notes_join_the_notes():
    work = parse(
        _DOWNLOAD_HEAD
        + "\nSummary\n\nA keeper and a lantern.\n\nNotes\n\nMy own notes here.\n\n"
        + "Translation into Русский available: Хранитель by perevodchik.\n\n"
        + "Inspired by The Old Light by elderwriter.\n"
        + _CHAPTERS
    )
    assert _labels(work) == ["Chapter 1: Dusk", "Chapter 2: Dawn"]
    assert blocks_text(work.notes).split("\n") == [
        "My own notes here.",
        "Translation into Русский available: Хранитель by perevodchik.",
        "Inspired by The Old Light by elderwriter.",
    ]
    assert blocks_text(work.meta.summary) == "A keeper and a lantern."


def test_download_associations_straight_after_the_byline_are_neither_byline_nor_chapter():
    work = parse(_DOWNLOAD_HEAD + "\nInspired by The Old Light by elderwriter.\n" + _CHAPTERS)
    assert work.meta.authors == ("someauthor",)
    assert _labels(work) == ["Chapter 1: Dusk", "Chapter 2: Dawn"]
    assert blocks_text(work.notes) == "Inspired by The Old Light by elderwriter."


def test_download_without_summary_or_notes_keeps_its_byline():
    work = parse(_DOWNLOAD_HEAD + _CHAPTERS)
    assert work.meta.authors == ("someauthor",)
    assert _labels(work) == ["Chapter 1: Dusk", "Chapter 2: Dawn"]


def test_one_shot_download_story_after_the_associations_stays_story():
    work = parse(
        _DOWNLOAD_HEAD.replace("Chapters: 2/2", "Chapters: 1/1")
        + "\nSummary\n\nA keeper and a lantern.\n\n"
        + "Inspired by The Old Light by elderwriter.\n\n"
        + "She lit the lamp at dusk.\n\nInspired by her mother, told by the fire, she kept it lit.\n"
    )
    assert blocks_text(work.notes) == "Inspired by The Old Light by elderwriter."
    assert len(work.chapters) == 1
    assert blocks_text(work.chapters[0].body).split("\n") == [
        "She lit the lamp at dusk.",
        "Inspired by her mother, told by the fire, she kept it lit.",
    ]


_PAGE = """Actions

Work Header

Rating:
    General Audiences
Fandom:
    Original Work

The Lantern Keeper

someauthor

Summary:

{summary}

Chapter 1: Dusk

Chapter Text

She lit the lamp at dusk.
"""


def test_page_associations_after_a_summary_with_no_notes_label_join_the_notes():
    work = parse(
        _PAGE.format(
            summary="A keeper and a lantern.\n\nTranslation into Русский available: Хранитель by "
            "perevodchik\n\nInspired by The Old Light by elderwriter."
        )
    )
    assert blocks_text(work.meta.summary) == "A keeper and a lantern."
    assert "Inspired by The Old Light" in blocks_text(work.notes)
    assert _labels(work) == ["Chapter 1: Dusk"]


def test_a_summary_that_is_one_inspired_line_stays_the_summary():
    work = parse(_PAGE.format(summary="Inspired by the song Lanterns by Someone Singing."))
    assert blocks_text(work.meta.summary) == "Inspired by the song Lanterns by Someone Singing."
    assert not work.notes


def test_page_pointer_to_notes_and_inspired_works_is_furniture():
    work = parse(
        _PAGE.format(summary="A keeper.").replace(
            "\nChapter 1: Dusk",
            "\nNotes:\n\nInspired by The Old Light by elderwriter.\n\n"
            "(See the end of the work for more notes and other works inspired by this one.)\n\n"
            "Chapter 1: Dusk",
        )
    )
    assert blocks_text(work.notes) == "Inspired by The Old Light by elderwriter."
    assert "(See the end of the work for more notes and other works inspired by this one.)" in work.furniture


def test_html_download_associations_stay_with_the_work_notes():
    """AO3's download template lists them in the preface's ``div.meta``; older downloads and
    hand-saved pages write them as a paragraph or a ``dl``. All are notes, none a chapter."""
    html = """<html><head><title>T - a - F</title></head><body>
    <div id="preface"><div class="meta"><h1>T</h1><div class="byline">by <a rel="author">a</a></div>
      <p>Summary</p><blockquote class="userstuff"><p>Sum.</p></blockquote>
      <p>Notes</p><blockquote class="userstuff"><p>Mine.</p></blockquote>
      <ul><li>Translation into Русский available: <a href="x">Т</a> by <a href="y">p</a>.</li></ul>
      <p>Inspired by <a href="z">Old</a> by <a href="w">b</a>.</p>
      <dl><dt>A translation of:</dt><dd><a href="v">X</a> by d</dd></dl>
    </div></div>
    <div id="chapters" class="userstuff"><div class="userstuff"><p>Story text.</p></div></div>
    </body></html>"""
    work = read_html(html)
    notes = blocks_text(work.notes)
    assert notes.startswith("Mine.") and "Translation into Русский" in notes
    assert "Inspired by Old by b." in notes and "A translation of" in notes
    assert [(c.label, c.title, blocks_text(c.body)) for c in work.chapters] == [("", "", "Story text.")]
    assert not work.front_matter
