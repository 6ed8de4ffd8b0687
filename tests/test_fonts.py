"""Glyph coverage: a work whose characters no installed font has says which font package to
install, once per file, and still converts; a work the fonts cover says nothing.

The missing-font case is made the same on every machine by running the command with a fontconfig
configuration (``FONTCONFIG_FILE``) whose only fonts are DejaVu and Linux Libertine, whatever else
is installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from converter.write.fonts import (
    TEXT_FACE,
    FontFile,
    charset_ranges,
    describe_missing,
    fc_match,
    missing_glyphs,
    script_of,
)
from tests.conftest import run_ficexport
from tests.support import EXAMPLES

EXAMPLE = EXAMPLES / "the-lighthouse-keepers-cat.txt"
#: A short Chinese work, written for these tests: a title, a chapter heading and two lines of text.
CHINESE = (
    "灯塔里的猫\n\n第一章　风雨夜\n\n"
    "　　那天夜里海上起了大风，灯塔的光一圈一圈地转着。\n\n"
    "　　猫坐在窗边，看着远处的船慢慢靠岸。\n"
)

pytestmark = pytest.mark.skipif(fc_match(TEXT_FACE) is None, reason="fontconfig's tools are not installed")


@pytest.fixture(scope="module")
def latin_fonts_only(tmp_path_factory) -> dict[str, str]:
    """An environment whose fontconfig knows only the folders of DejaVu and Linux Libertine."""
    folder = tmp_path_factory.mktemp("fontconfig")
    dirs = {Path(fc_match(TEXT_FACE).path).parent}
    libertine = fc_match("Linux Libertine O")
    if libertine is not None and "Libertine" in libertine.path:
        dirs.add(Path(libertine.path).parent)
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        + "".join(f"  <dir>{path}</dir>\n" for path in sorted(dirs))
        + f"  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


def lines_with(stderr: str, text: str) -> list[str]:
    return [line for line in stderr.splitlines() if text in line]


def test_a_chinese_work_without_a_cjk_font_says_to_install_fonts_noto_cjk_once(tmp_path, latin_fonts_only):
    source = tmp_path / "cat.txt"
    source.write_text(CHINESE, encoding="utf-8")
    done = run_ficexport(
        source, "--epub", "--kepub", "--pdf", "-o", tmp_path, cwd=tmp_path, env=latin_fonts_only
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    # The PDF: one sentence for the whole file, naming the script and the package.
    pdf_lines = lines_with(done.stderr, "so the PDF shows them as empty boxes")
    assert len(pdf_lines) == 1, done.stderr
    assert "no installed font has the Han characters (灯, 塔, 里, 的, 猫, …)" in pdf_lines[0]
    assert "install fonts-noto-cjk (Debian and Ubuntu), then convert again" in pdf_lines[0]
    assert f"{source}: no installed font has" in pdf_lines[0]
    # The drawn cover (the EPUB and the KEPUB share it): said once.
    cover_lines = lines_with(done.stderr, "the drawn cover")
    assert len(cover_lines) == 1, done.stderr
    assert "the drawn cover shows no title, as no installed font has the Han characters" in cover_lines[0]
    assert "fonts-noto-cjk" in cover_lines[0]
    # The books are made all the same.
    assert len(PdfReader(tmp_path / "cat.pdf").pages) >= 2
    assert (tmp_path / "cat.epub").stat().st_size > 0 and (tmp_path / "cat.kepub.epub").stat().st_size > 0


def test_an_epub_alone_warns_only_about_the_cover(tmp_path, latin_fonts_only):
    source = tmp_path / "cat.txt"
    source.write_text(CHINESE, encoding="utf-8")
    done = run_ficexport(source, "--epub", "-o", tmp_path, cwd=tmp_path, env=latin_fonts_only)
    assert done.returncode == 0, done.stderr
    assert len(lines_with(done.stderr, "the drawn cover shows no title")) == 1, done.stderr
    assert not lines_with(done.stderr, "empty boxes"), done.stderr


def test_an_own_cover_image_leaves_nothing_to_warn_about_in_an_epub(tmp_path, latin_fonts_only):
    from PIL import Image

    source, cover = tmp_path / "cat.txt", tmp_path / "cover.png"
    source.write_text(CHINESE, encoding="utf-8")
    Image.new("RGB", (300, 450), "#224466").save(cover)
    done = run_ficexport(
        source, "--epub", "--cover", cover, "-o", tmp_path, cwd=tmp_path, env=latin_fonts_only
    )
    assert done.returncode == 0, done.stderr
    assert not lines_with(done.stderr, "font"), done.stderr


def test_a_latin_work_gives_no_font_warning(tmp_path, latin_fonts_only):
    done = run_ficexport(EXAMPLE, "--epub", "--pdf", "-o", tmp_path, cwd=tmp_path, env=latin_fonts_only)
    assert done.returncode == 0, done.stderr
    assert not lines_with(done.stderr, "font"), done.stderr


def test_emoji_no_font_has_name_the_emoji_package(tmp_path, latin_fonts_only):
    source = tmp_path / "fox.txt"
    source.write_text("The Fox\n\nA fox 🦊 crossed the road, and a dodo 🦤 watched.\n", encoding="utf-8")
    done = run_ficexport(source, "--pdf", "-o", tmp_path, cwd=tmp_path, env=latin_fonts_only)
    assert done.returncode == 0, done.stderr
    [line] = lines_with(done.stderr, "empty boxes")
    assert "the emoji characters (🦊, 🦤)" in line
    assert "install fonts-noto-color-emoji (Debian and Ubuntu)" in line


def test_a_text_the_book_face_covers_never_reads_the_list_of_all_fonts():
    """The cost of the check for a Latin book: one fontconfig answer, no list of every font."""
    code = (
        "from converter.write.fonts import missing_glyphs, _installed_coverage\n"
        "assert missing_glyphs('“Tea,” she said — café, naïve, Ærøskøbing… 3½ ½') == ''\n"
        "print(_installed_coverage.cache_info().misses)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"


# --- the pieces --------------------------------------------------------------------------------


def test_missing_glyphs_lists_each_character_once_in_the_order_it_appears():
    # U+10FFFD and U+10FFFC are private-use characters that no font on a normal system holds.
    assert missing_glyphs("ab \U0010fffd cd \U0010fffc \U0010fffd") == "\U0010fffd\U0010fffc"


def test_characters_no_font_draws_are_never_reported():
    # Spaces, line ends, a soft hyphen, zero-width joiner and space, a variation selector, a BOM.
    assert missing_glyphs("a\u00a0b\u2009c\n\u00ad\u200d\u200b\ufe0f\ufeff\u3000") == ""


def test_scripts_are_named_with_the_package_that_has_their_fonts():
    assert script_of("战") == ("Han", "fonts-noto-cjk")
    assert script_of("か") == ("Kana", "fonts-noto-cjk")
    assert script_of("한") == ("Hangul", "fonts-noto-cjk")
    assert script_of("🦊") == ("emoji", "fonts-noto-color-emoji")
    assert script_of("ก") == ("Thai", None)
    assert script_of("\U0010fffd") == ("", None)


def test_one_sentence_names_every_missing_script_and_package():
    assert describe_missing("かな한、") == (
        "the Kana and Hangul characters (か, な, 한, 、)",
        "install fonts-noto-cjk (Debian and Ubuntu)",
    )
    assert describe_missing("战🦊") == (
        "the Han and emoji characters (战, 🦊)",
        "install fonts-noto-cjk and fonts-noto-color-emoji (Debian and Ubuntu)",
    )
    what, advice = describe_missing("กข")
    assert what == "the Thai characters (ก, ข)"
    assert advice == "install a font that has them (Debian's fonts-noto-core covers most scripts)"
    assert describe_missing("\U0010fffd")[0] == "characters such as \U0010fffd"
    assert describe_missing("一二三四五六七")[0] == "the Han characters (一, 二, 三, 四, 五, …)"


def test_fontconfig_charsets_are_read_as_sorted_merged_ranges():
    assert charset_ranges("a0-17f 20-7e 2013 2014 zz") == ((0x20, 0x7E), (0xA0, 0x17F), (0x2013, 0x2014))
    assert charset_ranges("") == ((0, 0x10FFFF),)  # fontconfig said nothing: taken as covering all
    font = FontFile("x.ttf", charset_ranges("20-7e 2013"))
    assert font.lacks("a–b—c") == "—"
    assert font.covers("a–b") and not font.covers("战")
