"""Properties of the parser over random and adversarial text (hypothesis).

Whatever the text, parsing never raises, rendering gives well-formed XHTML, and every word of the
input is in the book (less the furniture the layout names); for texts with no archive layout the
words also keep their order. A few texts go the whole way, bytes on disk to an EPUB that EPUBCheck
passes (EPUBCheck takes seconds a book, so CI runs ``EPUB_EXAMPLES`` of them).
``HYPOTHESIS_PROFILE=long`` runs many more cases of each by hand.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from converter.convert import ConvertOptions, convert_file
from converter.errors import InputError
from converter.parse import parse
from converter.typography import typeset
from converter.write.render import render_work, xhtml_document
from tests.support import assert_epubcheck_clean, epub_text, lost_words, source_words, word_list, words

settings.register_profile("ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
#: Whole conversions checked by EPUBCheck: a handful in CI, more in the long run by hand.
EPUB_EXAMPLES = 6 if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci" else 100

WORDS = st.sampled_from(
    [
        "the",
        "a",
        "tower",
        "bell",
        "crow",
        "Ada",
        "said",
        "“Hello”",
        "don't",
        "Zoë",
        "café",
        "第一",
        "雨夜",
        "ok",
        "42",
        "I",
        "II",
        "Chapter",
        "Part",
        "one",
        "*emphasis*",
        "_under_",
        "**strong**",
        "https://example.org/a_b",
        "<script>",
        "&amp;",
        "]]>",
        "--",
        "...",
        "‘t",
    ]
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=14).map(" ".join)
SPECIAL_LINES = st.sampled_from(
    [
        "",
        "",
        "",
        " ",
        "\u00a0",
        "\t",
        "***",
        "* * *",
        "---",
        "~~~",
        "oOo",
        "xXx",
        "⁂",
        "§",
        "xxx",
        "<3",
        "1",
        "Chapter 1",
        "Chapter 2: The Title",
        "CHAPTER THREE",
        "Prologue",
        "Epilogue",
        "Part Two",
        "IV",
        "# Heading",
        "## Sub heading",
        "1. first item",
        "2) second item",
        "- bullet",
        "• bullet",
        "> quoted line",
        "A/N: thanks for reading",
        "Disclaimer: not mine",
        "Summary:",
        "Notes:",
        "Chapter Text",
        "Work Header",
        "Actions",
        "Rating: General Audiences",
        "Fandom: Original Work",
        "Language: English",
        "Stats: Published: 2020-01-01 Words: 10",
        "by Someone",
        "TABLE OF CONTENTS",
        "\tChapter",
        "End file.",
        "*** START OF THE PROJECT GUTENBERG EBOOK X ***",
        "*** END OF THE PROJECT GUTENBERG EBOOK X ***",
        "\x0c",
        "\u202e evil \u202c",
        "\u200b",
        "第一章 雨夜",
        "    indented line of text that goes on",
        "Chapter Summary",
        "End Notes",
        "Afterword",
    ]
)
LINE = st.one_of(SENTENCE, SENTENCE, SPECIAL_LINES)
TEXT = st.lists(LINE, min_size=1, max_size=60).map("\n".join)
LAYOUT_MARKERS = ("Chapter Text", "Work Header", "TABLE OF CONTENTS", "START OF THE PROJECT", "Rating:",
                  "Fandom:", "Summary", "Notes", "End Notes", "Afterword", "Chapter Summary")  # fmt: skip


def rendered_words(text: str) -> list[str]:
    """The words of the rendered book, in reading order."""
    parts = render_work(typeset(parse(text)))
    document = xhtml_document("t", "en", [part.element for part in parts])
    root = etree.fromstring(document)  # well-formed XML, whatever the input held
    return word_list(" ".join(root.itertext()))


def assert_nothing_lost(text: str) -> None:
    missing = source_words(text) - words(" ".join(rendered_words(text)))
    assert not missing, (missing, text)


@given(TEXT)
def test_structured_text_never_raises_and_loses_no_word(text):
    assert_nothing_lost(text)


@given(st.text(max_size=400))
def test_any_unicode_never_raises_and_loses_no_word(text):
    if text.strip():
        assert_nothing_lost(text)


@given(st.lists(SENTENCE | st.sampled_from(["", "***", "Chapter 4", "1. item", "- a", "- b", "A/N: hi"]),
                min_size=1, max_size=40).map("\n".join))  # fmt: skip
def test_plain_text_keeps_its_words_in_order(text):
    if any(marker in text for marker in LAYOUT_MARKERS):
        return
    found = rendered_words(text)
    expected = word_list(text)
    position = 0
    for word in found:
        if position < len(expected) and word == expected[position]:
            position += 1
    assert position == len(expected), (expected[position : position + 5], text)


# Any text a file can hold (no lone surrogates: those are no text a file can store), less NUL: a
# file holding a NUL byte is refused as binary, which tests/test_hostile_input.py checks.
FILE_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=300
)


@settings(max_examples=EPUB_EXAMPLES)
@given(TEXT | FILE_TEXT)
def test_any_text_on_disk_becomes_an_epub_epubcheck_passes_or_one_sentence(text):
    """The whole pipeline from the bytes of a file: an EPUB EPUBCheck passes with every word of
    the text, or, for a text with nothing to read, the one sentence of a refused input."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "fuzz.txt"
        source.write_bytes(text.encode("utf-8"))
        try:
            result = convert_file(source, ConvertOptions())
        except InputError as error:
            assert "nothing to convert" in error.sentence(), text
            assert not words(text), text
            return
        book = result.outputs[0]
        assert_epubcheck_clean(book)
        read = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
        assert not lost_words(read, epub_text(book)), text


# Runs of letters, of the characters a run may hold and of those that end one, around the length
# at which a run is too long for a line.
RUNS = st.lists(
    st.sampled_from(["a", "b" * 40, "é" * 79, "x" * 81, " ", "\t", "\u00a0", "-", "\u00ad", "中", "\u2014"]),
    max_size=12,
).map("".join)


@given(RUNS)
def test_the_quick_test_for_long_runs_never_misses_one(text):
    """``breakable`` skips its search when every stretch of the text holds a space; such a text must
    never hold a run the search would find."""
    from converter.write.render import _spaced, _unbreakable_run, breakable

    if _spaced(text):
        assert _unbreakable_run().search(text) is None
        assert breakable(text) == text
    else:
        assert _unbreakable_run().search(breakable(text)) is None  # every run was broken
