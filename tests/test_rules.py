"""Small cases for the parser's rules, one table per rule: what is a scene break, a heading, a mark."""

from __future__ import annotations

import pytest

from converter.document import Emphasis, Link, Strong, Text
from converter.parse.chapter_heading import match_heading
from converter.parse.inline import parse_inlines
from converter.parse.scene_break import scene_break_marker
from converter.typography import smarten


@pytest.mark.parametrize(
    ("line", "marker"),
    [
        ("***", ""), ("* * *", ""), ("---", ""), ("- - -", ""), ("~~~", ""), ("===", ""), ("###", ""),
        ("~*~*~", ""), ("• • •", ""), ("⁂", ""), ("§", ""), ("  ***  ", ""), ("————", ""),
        ("oOo", "oOo"), ("OoO", "OoO"), ("o0o", "o0o"), ("xXx", "xXx"), ("~oOo~", "~oOo~"),
        ("-xXx-", "-xXx-"),
        ("xxx", None), ("ooo", None), ("XXX", None), ("1", None), ("<3", None), ("*", None),
        ("**", None), ("Hello", None), ("————译者注————", None), ("", None),
    ],
)  # fmt: skip
def test_scene_break_forms(line, marker):
    assert scene_break_marker(line) == marker


@pytest.mark.parametrize(
    ("line", "label", "title"),
    [
        ("Chapter 1", "Chapter 1", ""), ("CHAPTER ONE", "CHAPTER ONE", ""),
        ("Chapter 12: The Title", "Chapter 12", "The Title"), ("Ch. 3 - Title", "Ch. 3", "Title"),
        ("Chap. IV", "Chap. IV", ""), ("Chapter Twenty-One: Landfall", "Chapter Twenty-One", "Landfall"),
        ("Part Two", "Part Two", ""), ("Book III", "Book III", ""), ("Prologue", "Prologue", ""),
        ("Epilogue: After", "Epilogue", "After"), ("Interlude", "Interlude", ""),
        ("CHAPTER II.", "CHAPTER II", ""), ("Chapter I.]", "Chapter I", ""),
        ("# The Start", "", "The Start"), ("## Chapter 2: Bloom", "Chapter 2", "Bloom"),
        ("第三章 来信", "第三章", "来信"), ("第12話", "第12話", ""), ("제3장", "제3장", ""),
        ("IV", "IV", ""), ("12.", "12", ""),
    ],
)  # fmt: skip
def test_chapter_heading_forms(line, label, title):
    heading = match_heading(line)
    assert heading is not None
    assert (heading.label, heading.title) == (label, title)


@pytest.mark.parametrize(
    "line",
    ["Chapter Text", "Chapter 5 was the best", "Part of me stayed", "I", "iv", "The chapter ended.",
     "Prologue to a disaster, he thought, as he opened the door and saw what the dog had done" * 2],
)  # fmt: skip
def test_lines_that_are_not_headings(line):
    heading = match_heading(line)
    assert heading is None or heading.kind == "bare"  # bare numerals count only in runs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*sigh*", (Emphasis((Text("sigh"),)),)),
        ("_Pride and Prejudice_", (Emphasis((Text("Pride and Prejudice"),)),)),
        ("**bold** move", (Strong((Text("bold"),)), Text(" move"))),
        ("2 * 3 * 4", (Text("2 * 3 * 4"),)),
        ("snake_case_name", (Text("snake_case_name"),)),
        ("a lone * star", (Text("a lone * star"),)),
        ("*unbalanced", (Text("*unbalanced"),)),
        ("see https://a.org/x_y.",
         (Text("see "), Link("https://a.org/x_y", (Text("https://a.org/x_y"),)), Text("."))),
        ("(www.a.org/p)", (Text("("), Link("http://www.a.org/p", (Text("www.a.org/p"),)), Text(")"))),
    ],
)  # fmt: skip
def test_inline_marks(text, expected):
    assert parse_inlines(text) == expected


def _i(text):
    return Emphasis((Text(text),))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One letter between the marks is emphasis, and it closes at its own mark, not the next one.
        ("_I_", (_i("I"),)), ("*I*", (_i("I"),)), ("_a_", (_i("a"),)), ("*x*", (_i("x"),)),
        ("**I**", (Strong((Text("I"),)),)),
        ("_I_ am sure", (_i("I"), Text(" am sure"))),
        ('"_You_ are kind," she said; "_I_ do not',
         (Text('"'), _i("You"), Text(' are kind," she said; "'), _i("I"), Text(" do not"))),
        ("_I_ said _Pride_", (_i("I"), Text(" said "), _i("Pride"))),
        ("*I* said *so*", (_i("I"), Text(" said "), _i("so"))),
        ("_I_ and _a_ and _x_", (_i("I"), Text(" and "), _i("a"), Text(" and "), _i("x"))),
        ("**I** and **we**", (Strong((Text("I"),)), Text(" and "), Strong((Text("we"),)))),
        # Beside punctuation.
        ("_I_,", (_i("I"), Text(","))), ("it was _I_.", (Text("it was "), _i("I"), Text("."))),
        ("(_I_)", (Text("("), _i("I"), Text(")"))), ('"_I_', (Text('"'), _i("I"))),
        ("_I_'m", (_i("I"), Text("'m"))), ("*I*, *a*;", (_i("I"), Text(", "), _i("a"), Text(";"))),
        # A mark must hug its words, and a mark glued to a word is part of it.
        ("_ I _", (Text("_ I _"),)), ("* I *", (Text("* I *"),)), ("_I _", (Text("_I _"),)),
        ("a_b_c", (Text("a_b_c"),)), ("x*y*z", (Text("x*y*z"),)), ("_a_b", (Text("_a_b"),)),
        ("2 * 3 * 4 and _I_", (Text("2 * 3 * 4 and "), _i("I"))), ("a * b", (Text("a * b"),)),
        ("snake_case_name _I_", (Text("snake_case_name "), _i("I"))),
        ("*", (Text("*"),)), ("_", (Text("_"),)), ("(*)", (Text("(*)"),)), ("(**)", (Text("(**)"),)),
        ("*unbalanced _I_", (Text("*unbalanced "), _i("I"))),
        ("_*I*_", (Emphasis((_i("I"),)),)),
    ],
)  # fmt: skip
def test_single_letter_marks(text, expected):
    assert parse_inlines(text) == expected


def test_unbalanced_marks_on_a_long_line_stay_text():
    """100,000 ``*word`` tokens: no mark closes, so every ``*`` is tried and stays text, and the one
    mark that does close still reads. (A search scanning ahead from each ``*`` took minutes here;
    speed is the benchmarks' to measure, not a test's.)"""
    line = " ".join(["*word"] * 100_000) + " _I_"
    assert parse_inlines(line) == (Text(line[:-3]), _i("I"))


def test_single_letter_emphasis_in_a_book_leaves_no_mark_visible():
    """The ``emphasis_single_letters`` fixture read as the command reads it: its golden outline counts
    words, which visible marks do not change, so the marks are checked here."""
    from converter.convert import ConvertOptions, load_work
    from converter.document import Paragraph, plain_text
    from tests.support import FIXTURES

    work = load_work(FIXTURES / "emphasis_single_letters.txt", ConvertOptions())
    paragraphs = [block for block in work.chapters[0].body if isinstance(block, Paragraph)]
    marked = [
        (type(node).__name__, plain_text(node.children))
        for paragraph in paragraphs
        for node in paragraph.inlines
        if isinstance(node, Emphasis | Strong)
    ]
    assert marked == [
        ("Emphasis", "I"), ("Emphasis", "You"), ("Emphasis", "I"), ("Emphasis", "she"),
        ("Emphasis", "I"), ("Emphasis", "I"), ("Emphasis", "I"),
        ("Emphasis", "I"), ("Emphasis", "I"), ("Emphasis", "Pride and Prejudice"),
        ("Emphasis", "you"), ("Emphasis", "a"), ("Emphasis", "I"), ("Emphasis", "x"), ("Strong", "a"),
        ("Emphasis", "a"),
    ]  # fmt: skip
    *story, account = (plain_text(paragraph.inlines) for paragraph in paragraphs)
    assert not any("_" in text or "*" in text for text in story)
    for kept in ("2 * 3 * 4", "a * b", "ledger_for_michaelmas_quarter", "lone * stood", "lone _ beneath",
                 "* not this *", "_ nor this _"):  # fmt: skip
        assert kept in account


@pytest.mark.parametrize(
    ("typed", "typeset"),
    [
        ('"Hello," she said.', "“Hello,” she said."),
        ("Don't", "Don’t"),
        ("Don‘t and I‘m", "Don’t and I’m"),
        ("'Tis the '90s, rock 'n' roll", "’Tis the ’90s, rock ’n’ roll"),
        ("'quoted'", "‘quoted’"),
        ("\"'Hi,' he said,\" she said.", "“‘Hi,’ he said,” she said."),
        ("wait--what", "wait—what"),
        ("wait---what", "wait—what"),
        ("this - that", "this – that"),
        ("well...", "well…"),
        ("a well-known word", "a well-known word"),
    ],
)
def test_typography(typed, typeset):
    assert smarten(typed) == typeset


def test_typography_leaves_links_alone(tmp_path):
    from converter.parse import parse
    from converter.typography import typeset

    work = typeset(parse('He said "see https://example.org/it\'s--here..." today'))
    paragraph = work.chapters[0].body[0]
    link = next(node for node in paragraph.inlines if isinstance(node, Link))
    assert link.url == "https://example.org/it's--here"  # the dots end the sentence, not the URL
    assert paragraph.inlines[-1] == Text("…” today")
    assert paragraph.inlines[0] == Text("He said “see ")


def test_blank_lines_know_every_kind_of_white_space():
    from converter.parse.lines import WHITE_SPACE, is_blank

    assert set(WHITE_SPACE) == {chr(code) for code in range(0x110000) if chr(code).isspace()}
    assert is_blank(" \u00a0\t\u200b \u3000\ufeff") and is_blank("")
    assert not is_blank("\u00a0.\u00a0")


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (("一行目の", "続き。"), "一行目の続き。"),
        (("한국어", "문장"), "한국어문장"),
        (("wrapped", "line"), "wrapped line"),
        (("中文", "and English"), "中文 and English"),
    ],
)
def test_wrapped_lines_join_with_a_space_except_between_cjk(lines, joined):
    from converter.parse.lines import join_wrapped

    assert join_wrapped(lines) == joined


# A hard-wrapped text whose wrapping left some lines a few columns short of its width (as Project
# Gutenberg's do): the third paragraph, an italic foreword, has lines ending after "so" and "keeper" with the
# next word fitting (the paragraph was once cut there, showing its first "_"), and the poem's short
# lines go on in lower case.
WRAPPED_SHORT = """\
The harbour master kept a ledger of every ship that came past the point,
and in the long winter evenings he would read it aloud to the keeper's
cat, who listened with the patience of an animal that has heard worse.

Nobody in the village could remember when the lamp had last gone out.
The keeper trimmed the wick at dusk and again at midnight, and on the
stormy nights he sat beside it until the grey came up over the water.

_This foreword was written long after the events it describes, so
that the reader should know how little of the story the keeper
ever told, and how much of it the cat must have seen from the window
sill, where the wind could not reach and the lamp threw its warm
circle on the floor._

The old song went:

    the lamp is lit and the tide is high
    and the gulls go home
    over the grey
"""


def test_a_paragraph_cut_short_of_the_wrap_width_before_lower_case_reads_whole(tmp_path, run_cli):
    from tests.support import epub_documents

    source = tmp_path / "harbour.txt"
    source.write_text(WRAPPED_SHORT, encoding="utf-8")
    result = run_cli(source, "-o", tmp_path / "out", "--no-smart")
    assert result.returncode == 0, result.stderr
    xhtml = "{http://www.w3.org/1999/xhtml}"
    body = next(root for href, root in epub_documents(tmp_path / "out" / "harbour.epub") if "chapter" in href)
    paragraphs = list(body.iter(f"{xhtml}p"))
    foreword = next(p for p in paragraphs if "foreword" in "".join(p.itertext()))
    # One paragraph, all of it in italics, with no underscore left to see.
    assert foreword.text is None and [child.tag for child in foreword] == [f"{xhtml}em"]
    assert "".join(foreword.itertext()) == (
        "This foreword was written long after the events it describes, so that the reader should know "
        "how little of the story the keeper ever told, and how much of it the cat must have seen from "
        "the window sill, where the wind could not reach and the lamp threw its warm circle on the floor."
    )
    text = "\n".join("".join(p.itertext()) for p in paragraphs)
    assert "_" not in text and "the water." in text
    # Lines far short of the width stay the poem's own, lower case or not.
    poem = next(p for p in paragraphs if "gulls" in "".join(p.itertext()))
    assert poem.get("class") == "line-group" and len(poem.findall(f"{xhtml}br")) == 2
