"""Output names: --name templates filled from the metadata, and names safe on FAT32/exFAT cards."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from converter.document import Metadata, SeriesRef, TagGroup, TagKind
from converter.naming import (
    MAX_BYTES,
    MAX_CHARS,
    NameTemplateError,
    check_template,
    fill_template,
    output_stem,
    safe_name,
)
from tests.support import FIXTURES, listing

FAT_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}

META = Metadata(
    title="Signatures and Folds",
    authors=("quire_and_thread", "Second Author"),
    tags=(TagGroup(TagKind.FANDOM, ("Original Work", "Folklore")),),
    series=(SeriesRef("The Bindery Quarter", 2),),
)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{title}", "Signatures and Folds"),
        ("{title} - {author}", "Signatures and Folds - quire_and_thread & Second Author"),
        ("{fandom}/{title}", "Original Work/Signatures and Folds"),
        ("{series} {series_index} - {title}", "The Bindery Quarter 2 - Signatures and Folds"),
        ("{series} {series_index:02d}", "The Bindery Quarter 02"),
    ],
)
def test_template_fields_are_filled_from_the_metadata(template, expected):
    assert fill_template(template, META) == expected


def test_fields_the_work_lacks_are_empty_and_their_leftovers_tidied():
    bare = Metadata(title="Weather Report")
    assert fill_template("{series} {series_index:02d} - {title}", bare) == "  - Weather Report"
    assert output_stem("{series} {series_index:02d} - {title}", bare, Path("w.txt")) == "Weather Report"
    assert output_stem("{title} ({series} #{series_index})", bare, Path("w.txt")) == "Weather Report"
    assert output_stem("{title} [{fandom}]", bare, Path("w.txt")) == "Weather Report"


def test_without_a_template_the_input_name_is_kept():
    assert output_stem(None, META, Path("folder/my work.v2.txt")) == "my work.v2"


def test_a_template_that_fills_to_nothing_falls_back_to_the_input_name():
    assert output_stem("{series}", Metadata(title="x"), Path("saved/story.txt")) == "story"


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("{titel}", "names an unknown field {titel}"),
        ("{title.upper}", "names an unknown field {title.upper}"),
        ("{title!r}", "uses a conversion"),
        ("{title", "cannot be read"),
        ("{}", "names an unknown field {}"),
        ("{title:02d}", "cannot be read"),
    ],
)
def test_bad_templates_are_refused_with_a_sentence(template, problem):
    with pytest.raises(NameTemplateError) as caught:
        check_template(template)
    sentence = caught.value.sentence()
    assert problem in sentence
    assert sentence.endswith("use the fields {title}, {author}, {fandom}, {series}, {series_index}.")


@pytest.mark.parametrize(
    ("unsafe", "expected"),
    [
        ("Who Are You?: A Retelling", "Who Are You - A Retelling"),
        ('Say "Hello" <loudly>', "Say 'Hello' loudly"),
        ("AC/DC \\ Back|Forth", "AC-DC - Back-Forth"),
        ("Re:Zero", "Re-Zero"),
        ("Trailing dots...", "Trailing dots"),
        ("  spaced   out  ", "spaced out"),
        ("...hidden", "hidden"),
        ("tab\there\nnewline", "tab here newline"),
        ("CON", "CON_"),
        ("nul.txt", "nul.txt_"),
        ("Stars * and * more", "Stars and more"),
        ("战烟隐语", "战烟隐语"),
        ("Émigré – Ça va", "Émigré – Ça va"),
        ("???", ""),
    ],
)
def test_unsafe_names_are_made_safe(unsafe, expected):
    assert safe_name(unsafe) == expected


def test_names_are_unicode_normalised_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Café Noël")
    assert safe_name(decomposed) == "Café Noël"
    assert unicodedata.is_normalized("NFC", safe_name(decomposed))


@pytest.mark.parametrize(
    "title",
    [
        "A Very Long Title " * 20,
        "长" * 200,
        "e\u0301" * 150,  # decomposed é: normalised, then cut without leaving a lone accent
        "Word " * 30 + "x" * 200,
    ],
)
def test_long_names_are_capped_in_characters_and_bytes(title):
    name = safe_name(title)
    assert 0 < len(name) <= MAX_CHARS
    assert len(name.encode("utf-8")) <= MAX_BYTES
    assert not name.endswith((" ", "."))
    assert not unicodedata.combining(name[-1])


def test_long_names_are_cut_between_words():
    name = safe_name("The Extraordinarily Long Journey of " * 10)
    assert name.endswith(("The", "Extraordinarily", "Long", "Journey", "of"))


@pytest.mark.parametrize(
    "title",
    ['What?: "Why" <Not> / Both \\ | All * At Once...', "\x00\x1f control", "COM1", ". . ."],
)
def test_no_safe_name_holds_what_fat32_or_windows_refuse(title):
    name = safe_name(title)
    assert not set(name) & FAT_FORBIDDEN
    assert not name.endswith((" ", "."))
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


def test_name_option_names_every_output(tmp_path, run_cli):
    result = run_cli(
        FIXTURES / "ao3_full_preface.txt", "--epub", "--kepub", "--name", "{title} - {author}", "-o", tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert listing(tmp_path) == [
        "Signatures and Folds - quire_and_thread.epub",
        "Signatures and Folds - quire_and_thread.kepub.epub",
    ]


def test_name_option_makes_an_unsafe_title_safe(tmp_path, run_cli):
    source = tmp_path / "q.txt"
    source.write_text("Just a paragraph of text.\n", encoding="utf-8")
    result = run_cli(source, "--title", 'Why?: A "Story" <1/2>', "--name", "{title}", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert listing(tmp_path / "out") == ["Why - A 'Story' 1-2.epub"]


def test_bad_name_template_is_a_usage_error_before_anything_is_written(tmp_path, run_cli):
    result = run_cli(FIXTURES / "ao3_full_preface.txt", "--name", "{titel}", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "unknown field {titel}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
