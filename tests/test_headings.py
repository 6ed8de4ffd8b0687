"""The evidence behind chapter headings and title pages, case by case: which lines open chapters, at
what depth, with what title, and which stay text. Each case is a short text written for the test."""

from __future__ import annotations

import pytest

from converter.document import MatterKind
from converter.parse import parse
from converter.parse.headings import find_headings
from converter.parse.lines import profile_text, split_chunks
from converter.parse.title_page import read_title_page


def headings(text: str) -> list[tuple[int, str, str, int]]:
    """(1-based line, label, title, level) of each heading the evidence accepts."""
    lines = text.split("\n")
    found = find_headings(lines, 0, profile_text(split_chunks(lines)))
    titled = []
    for h in found:
        title = lines[h.title_index].strip() if h.title_index is not None else h.heading.title
        titled.append((h.index + 1, h.heading.label, title, h.level))
    return titled


def story(*chapters: str, body: str = "The rain went on all night and nobody slept.") -> str:
    return "\n\n".join(f"{heading}\n\n{body}" for heading in chapters)


def test_a_series_in_order_opens_chapters():
    found = headings(story("CHAPTER I", "CHAPTER II", "CHAPTER III"))
    assert [label for _, label, _, _ in found] == ["CHAPTER I", "CHAPTER II", "CHAPTER III"]


def test_a_title_on_the_line_below_joins_its_heading():
    text = story("CHAPTER I\n\nDown the Well", "CHAPTER II\n\nThe Pool of Tears", "CHAPTER III\nA Race")
    assert [title for _, _, title, _ in headings(text)] == ["Down the Well", "The Pool of Tears", "A Race"]


def test_a_first_sentence_below_a_heading_is_not_its_title():
    text = story("Chapter 1\n\nIt was cold.", "Chapter 2\n\nThree days later", "Chapter 3\n\n“Run!”")
    assert [title for _, _, title, _ in headings(text)] == ["", "", ""]


def test_one_short_line_under_one_heading_of_many_is_text():
    text = story("Chapter 1\n\nLawrence, Kansas", "Chapter 2", "Chapter 3", "Chapter 4")
    assert all(title == "" for _, _, title, _ in headings(text))


def test_stage_directions_under_scenes_are_not_titles():
    scenes = [f"Scene {n}.\n\nEnter Viola and Clowne." for n in ("I", "II", "III", "IV")]
    assert [title for _, _, title, _ in headings(story(*scenes))] == ["", "", "", ""]


def test_books_hold_chapters_and_chapter_numbers_restart():
    text = story("BOOK I", "CHAPTER I", "CHAPTER II", "BOOK II", "CHAPTER I", "CHAPTER II")
    assert [(label, level) for _, label, _, level in headings(text)] == [
        ("BOOK I", 0), ("CHAPTER I", 1), ("CHAPTER II", 1),
        ("BOOK II", 0), ("CHAPTER I", 1), ("CHAPTER II", 1),
    ]  # fmt: skip


def test_volumes_hold_books_that_hold_chapters():
    text = story("VOLUME I—FANTINE", "BOOK FIRST—A JUST MAN", "CHAPTER I—M. MYRIEL", "CHAPTER II—M. MYRIEL")
    assert [(label, title, level) for _, label, title, level in headings(text)] == [
        ("VOLUME I", "FANTINE", 0), ("BOOK FIRST", "A JUST MAN", 1),
        ("CHAPTER I", "M. MYRIEL", 2), ("CHAPTER II", "M. MYRIEL", 2),
    ]  # fmt: skip


def test_books_of_numbered_titles():
    books = ("Book the First--Recalled to Life", "I. The Period", "II. The Mail", "III. The Night Shadows")
    text = story(*books)
    assert [(label, title, level) for _, label, title, level in headings(text)] == [
        ("Book the First", "Recalled to Life", 0), ("I", "The Period", 1), ("II", "The Mail", 1),
        ("III", "The Night Shadows", 1),
    ]  # fmt: skip


def test_acts_hold_scenes():
    text = story("ACT I.", "Scene I. A room.", "Scene II. A street.", "Act II.", "Scene I. A field.")
    assert [level for *_, level in headings(text)] == [0, 1, 1, 0, 1]


def test_a_heading_repeated_at_once_is_a_running_head():
    text = story("SECOND BOOK", "PART I", "SECOND BOOK", "PART II")
    assert [label for _, label, _, _ in headings(text)] == ["SECOND BOOK", "PART I", "PART II"]


def test_a_numbered_title_goes_on_a_keyword_series():
    text = story("ADVENTURE I. A DOOR IN THE FOG", "II. THE LEDGER", "III. THE LAST OMNIBUS")
    assert [(label, title) for _, label, title, _ in headings(text)] == [
        ("ADVENTURE I", "A DOOR IN THE FOG"), ("II", "THE LEDGER"), ("III", "THE LAST OMNIBUS")
    ]  # fmt: skip


def test_numbered_parts_inside_stories_stay_in_them():
    text = story("ADVENTURE I. THE FOG", "I.", "II.", "ADVENTURE II. THE LEDGER", "I.", "II.")
    assert [label for _, label, _, _ in headings(text)] == ["ADVENTURE I", "ADVENTURE II"]


def test_lone_numerals_need_a_run():
    assert headings(story("I", "II", "III")) != []
    assert headings(story("I", "II")) == []


def test_numbered_sentences_standing_alone_are_not_a_series_of_titles():
    assert headings(story("1. Keep an open mind.", "2. Ask twice.", "3. Never run.")) == []


def test_the_first_line_of_a_wrapped_paragraph_is_not_a_heading():
    filler = "and the whale went on and on through the grey water without a rest at all"
    opening = f"BOOK I. (FOLIO), CHAPTER I. (SPERM WHALE).--This whale, {filler[:20]}"
    paragraph = "\n".join([opening] + [filler] * 5)
    text = story("CHAPTER 1. Loomings.", "CHAPTER 2. The Bag.", body=paragraph + "\n\n" + filler)
    assert [label for _, label, _, _ in headings(text)] == ["CHAPTER 1", "CHAPTER 2"]


def test_a_sentence_with_an_ordinal_is_not_a_heading():
    assert headings(story("The first scene.", "The second scene.", "The third scene.")) == []


def test_a_line_under_a_long_rule_in_a_series_is_a_section():
    rule = "~" * 60
    text = "\n\n".join(f"{rule}\n\t\t\tLesson {n} SUMMARY\n\nYou did well." for n in (1, 2, 3))
    titles = [title for _, _, title, _ in headings(text)]
    assert titles == ["Lesson 1 SUMMARY", "Lesson 2 SUMMARY", "Lesson 3 SUMMARY"]


def test_an_indented_hash_is_a_shell_prompt_not_markdown():
    text = story("Chapter 1", "Chapter 2", body="Run this:\n\n    # apt-get update\n\nThen wait.")
    assert [label for _, label, _, _ in headings(text)] == ["Chapter 1", "Chapter 2"]


@pytest.mark.parametrize(
    ("series", "label", "title"),
    [
        (("第一回　雨夜", "第二回　晴朝", "第三回　归途"), "第一回", "雨夜"),
        (("卷一", "卷二", "卷三"), "卷一", ""),
        (("第一講第一節︰移動光標", "第一講第二節︰退出", "第二講第一節︰刪除"), "第一講第一節", "移動光標"),
        (("제1장 총강", "제2장 국민의 권리와 의무", "제3장 국회"), "제1장", "총강"),
        (("學而第一", "為政第二", "八佾第三"), "學而第一", ""),
    ],
)  # fmt: skip
def test_cjk_heading_forms_in_a_series(series, label, title):
    found = headings(story(*series, body="　　他们跑出去看彩虹。"))
    assert len(found) == 3 and (found[0][1], found[0][2]) == (label, title)


def test_cjk_short_titles_over_indented_paragraphs():
    text = "燈下\n　　他在燈下寫信，寫了三頁。\n　　窗外的雨沒有停。\n秋夜\n　　秋夜很長。\n　　他睡不著。"
    assert [title for _, _, title, _ in headings(text)] == ["燈下", "秋夜"]


def test_a_contents_list_makes_its_entries_headings_and_is_kept():
    text = (
        "CONTENTS\n\n   The Wager ........ 1\n   A Harbour ........ 9\n\n\n\n"
        "THE WAGER\n\nHe never missed a lamp.\n\nA HARBOUR\n\nThe harbour froze."
    )
    work = parse(text)
    assert [c.title for c in work.chapters] == ["THE WAGER", "A HARBOUR"]
    assert [m.kind for m in work.front_matter] == [MatterKind.CONTENTS]
    assert all(any("contents list names" in reason for reason in c.evidence) for c in work.chapters)


def test_mixed_case_headings_are_listed_in_one_form():
    work = parse(story("CHAPTER I", "Chapter II", "CHAPTER III"))
    assert [c.label for c in work.chapters] == ["CHAPTER I", "Chapter II", "CHAPTER III"]  # as typed
    assert [c.display_title for c in work.chapters] == ["CHAPTER I", "CHAPTER II", "CHAPTER III"]


def test_numbered_titles_are_listed_with_the_series_keyword():
    work = parse(story("ADVENTURE I. THE FOG", "ADVENTURE II. THE LEDGER", "III. THE OMNIBUS", "IV. THE END"))
    assert [c.label for c in work.chapters] == ["ADVENTURE I", "ADVENTURE II", "III", "IV"]  # as typed
    listed = [c.display_title for c in work.chapters][2:]
    assert listed == ["ADVENTURE III: THE OMNIBUS", "ADVENTURE IV: THE END"]


def test_chapters_know_their_heading_line_and_evidence():
    work = parse(story("Chapter 1", "Chapter 2"))
    assert [c.heading_line for c in work.chapters] == [1, 5]
    assert "one of 2 chapter headings numbered in order (100% of steps)" in work.chapters[0].evidence


@pytest.mark.parametrize(
    ("top", "title", "authors"),
    [
        ("EMMA\n\nBy Jane Austen\n\n\n\nVOLUME I", "EMMA", ("Jane Austen",)),
        ("Persuasion\n\n\nby\n\nJane Austen\n\n(1818)\n\n\n\nChapter 1", "Persuasion", ("Jane Austen",)),
        ("THE SONNETS\nby William Shakespeare\n\n\n\nI", "THE SONNETS", ("William Shakespeare",)),
        ("Produced by A. Reader\n\n\nOPTICKS:\n\nOR, A TREATISE\n\nBy Sir ISAAC NEWTON, Knt.\n\n_PART I._",
         "OPTICKS", ("Sir ISAAC NEWTON, Knt.",)),
        ("Référence Debian\n\n                 Osamu Aoki\n\nCopyright", "Référence Debian", ("Osamu Aoki",)),
        ("AREOPAGITICA\n\n\nA SPEECH FOR THE LIBERTY OF PRINTING", "AREOPAGITICA", ()),
        ("Twelfe Night, Or what you will\n\nActus Primus, Scaena Prima.",
         "Twelfe Night, Or what you will", ()),
        ("대한민국헌법\n\n" + "유구한 역사와 전통에 빛나는 우리 대한국민은 " * 3, "대한민국헌법", ()),
        ("The Dragon's Apprentice\nby scalesandtales\n\nChapter 1",
         "The Dragon's Apprentice", ("scalesandtales",)),
        ("吾輩は猫である\n夏目漱石\n\n　吾輩は猫である。名前はまだ無い。", "吾輩は猫である", ("夏目漱石",)),
        ("西游记\n\n作者：吴承恩\n\n第一回　灵根育孕源流出", "西游记", ("吴承恩",)),
    ],
)  # fmt: skip
def test_title_pages(top, title, authors):
    page = read_title_page(top.split("\n"))
    assert (page.meta.title, page.meta.authors) == (title, authors)


@pytest.mark.parametrize(
    "top",
    [
        "Hello.\n\n\nIt was a dark night.",
        "“Run!”\n\n\nShe ran.",
        "The rain had not stopped for three days and the river was rising fast.\n\nChapter 1",
        "Morning\n\nBy the time she came down the stairs, the kettle had boiled dry.",
    ],
)
def test_first_lines_that_are_not_titles(top):
    assert read_title_page(top.split("\n")).meta.title == ""


def test_a_year_beside_the_author_stays_on_the_title_page():
    top = "NORTHANGER ABBEY\n\n\nby\n\nJane Austen (1803)\n\n\n\n"
    work = parse(top + "CHAPTER 1\n\nNo one who had ever seen her.")
    assert work.meta.authors == ("Jane Austen",)
    assert [m.kind for m in work.front_matter] == [MatterKind.TITLE_PAGE]


# A hard-wrapped body (lines filled to about seventy columns), so that the text has a wrap width.
_WRAPPED_BODY = (
    "The lantern swung from its hook above the door of the inn, and the wind\n"
    "that came down off the moor pushed it round and round until the light\n"
    "went dizzy on the cobbles. Nobody in the yard looked up from the work.\n"
    "The ostler led the last horse in and barred the stable for the night."
)


def wrapped_story(*chapters: str) -> str:
    return "\n\n\n".join(f"{heading}\n\n\n{_WRAPPED_BODY}" for heading in chapters)


@pytest.mark.parametrize(
    ("chapters", "expected"),
    [
        # The middle chapter's title was wrapped at the width: one heading, both lines joined.
        (("CHAPTER 4. The Lantern.",
          "CHAPTER 5. Of the Several Roads that Cross the Moor, and of the One\nThat Does Not.",
          "CHAPTER 6. The Ostler."),
         [("CHAPTER 4", "The Lantern."),
          ("CHAPTER 5", "Of the Several Roads that Cross the Moor, and of the One That Does Not."),
          ("CHAPTER 6", "The Ostler.")]),
        # Broken by hand after a word no title ends on, the rest set in below.
        (("SESSION I.  ARRIVALS", "SESSION II.  MAPS, LEDGERS, AND THE KEEPING OF RECORDS AND\n"
          "             OTHER PAPERS", "SESSION III.  DEPARTURES"),
         [("SESSION I", "ARRIVALS"),
          ("SESSION II", "MAPS, LEDGERS, AND THE KEEPING OF RECORDS AND OTHER PAPERS"),
          ("SESSION III", "DEPARTURES")]),
        # A number out of turn with its neighbours: the two lines stay text.
        (("CHAPTER 4. The Lantern.", "CHAPTER 5. The Yard.",
          "CHAPTER 9. Of the Several Roads that Cross the Moor, and of the One\nThat Does Not.",
          "CHAPTER 6. The Ostler."),
         [("CHAPTER 4", "The Lantern."), ("CHAPTER 5", "The Yard."), ("CHAPTER 6", "The Ostler.")]),
        # Only wrapped headings, no one-line ones to trust the series by: text.
        (("CHAPTER 1. Of the Several Roads that Cross the Moor, and of the One\nThat Does Not.",
          "CHAPTER 2. Of the Lantern Above the Old Door, and of the Wind That\nTurns It Round."), []),
        # A two-line paragraph opening with a run-in head stays a paragraph.
        (("CHAPTER 4. The Lantern.",
          "PART II. (NORTH), CHAPTER 5. (THE FERRY).--It left before the sun and\nreturned after dark.",
          "CHAPTER 5. The Ostler."),
         [("CHAPTER 4", "The Lantern."), ("CHAPTER 5", "The Ostler.")]),
    ],
)  # fmt: skip
def test_a_title_wrapped_onto_a_second_line(chapters, expected):
    assert [(label, title) for _, label, title, _ in headings(wrapped_story(*chapters))] == expected


def test_a_wrapped_title_line_is_not_in_the_chapter_body():
    text = wrapped_story(
        "CHAPTER 1. Arrival.",
        "CHAPTER 2. Of the Several Roads that Cross the Moor, and of the One\nThat Does Not.",
        "CHAPTER 3. Departure.",
    )
    work = parse(text)
    second = work.chapters[1]
    assert second.title == "Of the Several Roads that Cross the Moor, and of the One That Does Not."
    assert "That Does Not." not in str(second.body[0])
    assert any("runs on to line" in reason for reason in second.evidence)


def test_a_long_paragraph_opening_with_a_heading_like_head_stays_text():
    opening = "BOOK II. (SMALL), CHAPTER III. (THE FERRY).--It left before the sun,"
    paragraph = "\n".join([opening] + _WRAPPED_BODY.split("\n") * 2)
    text = wrapped_story("CHAPTER 1. Arrival.", "CHAPTER 2. Departure.") + "\n\n" + paragraph
    assert [label for _, label, _, _ in headings(text)] == ["CHAPTER 1", "CHAPTER 2"]
