"""The cover: drawn the same way every time, readable as a thumbnail, and the user's own accepted."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from PIL import Image, ImageStat

from converter.document import Metadata, SeriesRef, TagGroup, TagKind
from converter.errors import InputError
from converter.write.cover import (
    HEIGHT,
    PALETTES,
    WIDTH,
    _drawable,
    _fit,
    _font,
    cover_warning,
    generate_cover,
    load_cover,
)

META = Metadata(
    title="The Lighthouse Keeper's Cat",
    authors=("ficexport_examples",),
    tags=(TagGroup(TagKind.FANDOM, ("Original Work",)),),
    series=(SeriesRef("Tales from Corran Head", 1),),
)


def picture(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_generated_cover_is_a_1600_by_2400_png_with_the_same_bytes_every_time():
    first, second = generate_cover(META), generate_cover(META)
    assert first.data == second.data
    assert first.media_type == "image/png"
    image = picture(first.data)
    assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT)) == ("PNG", (1600, 2400))
    assert len(first.data) < 200_000


def test_cover_description_names_what_the_cover_shows():
    assert generate_cover(META).description == (
        "Cover: The Lighthouse Keeper's Cat by ficexport_examples, Original Work"
    )


def test_cover_background_is_a_palette_colour_and_text_contrasts_with_it():
    image = picture(generate_cover(META).data).convert("RGB")
    backgrounds = {tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c, _, _ in PALETTES}
    corner = image.getpixel((20, 20))
    assert corner in backgrounds
    # The title band holds light text on the dark ground: its brightest pixels are far lighter.
    band = image.crop((150, 900, 1450, 1300)).convert("L")
    low, high = band.getextrema()
    assert high - low > 150


def test_cover_is_still_legible_as_a_thumbnail():
    """Shrunk to a library-grid thumbnail (80x120), the title band still holds strong contrast."""
    thumb = picture(generate_cover(META).data).convert("L").resize((80, 120), Image.Resampling.LANCZOS)
    title_band = thumb.crop((8, 30, 72, 80))
    assert ImageStat.Stat(title_band).stddev[0] > 30


def test_different_works_get_different_covers():
    other = Metadata(title="Weather Report", authors=("someone",))
    assert generate_cover(META).data != generate_cover(other).data


@pytest.mark.parametrize(
    "meta",
    [
        Metadata(title=""),
        Metadata(title="战烟隐语", authors=("作者",)),
        Metadata(title="Supercalifragilisticexpialidocious " * 12, authors=("a",) * 30),
        Metadata(title="A", tags=(TagGroup(TagKind.FANDOM, ("F" * 300,)),)),
    ],
    ids=["untitled", "cjk", "very-long", "long-fandom"],
)
def test_any_metadata_gives_a_cover_of_the_right_size(meta):
    assert picture(generate_cover(meta).data).size == (1600, 2400)


def test_characters_no_installed_font_can_draw_are_left_off_not_drawn_as_boxes():
    # U+10FFFD is a private-use character that no font on a normal system holds.
    assert _drawable("Stars \U0010fffd Shine", "serif-bold") == "Stars Shine"
    assert _drawable("\U0010fffd\U0010fffd | Legend", "sans") == "Legend"
    assert _drawable("Plain Title", "serif-bold") == "Plain Title"


def test_cover_is_drawn_with_pillows_own_font_when_fontconfig_is_missing(tmp_path):
    """No fc-match on the PATH (a system without fontconfig's tools): a cover is still drawn."""
    code = (
        "import sys; from converter.write.cover import generate_cover;"
        " from converter.document import Metadata;"
        "sys.stdout.buffer.write(generate_cover(Metadata(title='No Fonts Here', authors=('me',))).data)"
    )
    env = {**os.environ, "PATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=False)
    assert done.returncode == 0, done.stderr.decode()
    image = picture(done.stdout)
    assert image.size == (1600, 2400)
    # Drawn in another font than the one fontconfig finds here: the fallback was really taken.
    assert done.stdout != generate_cover(Metadata(title="No Fonts Here", authors=("me",))).data


def test_own_png_and_jpeg_are_kept_byte_for_byte(tmp_path):
    for name, kind, media_type in (("a.png", "PNG", "image/png"), ("b.jpg", "JPEG", "image/jpeg")):
        path = tmp_path / name
        Image.new("RGB", (400, 600), "#335577").save(path, kind)
        cover = load_cover(path, META)
        assert (cover.data, cover.media_type) == (path.read_bytes(), media_type)
        assert cover.description == "Cover of The Lighthouse Keeper's Cat by ficexport_examples"


def test_own_cmyk_jpeg_becomes_rgb_which_every_reader_shows(tmp_path):
    path = tmp_path / "print.jpg"
    Image.new("CMYK", (400, 600), (0, 50, 100, 0)).save(path, "JPEG")
    cover = load_cover(path, META)
    assert cover.media_type == "image/jpeg"
    assert picture(cover.data).mode == "RGB"


def test_own_transparent_image_in_another_format_becomes_png(tmp_path):
    path = tmp_path / "clear.webp"
    Image.new("RGBA", (200, 300), (10, 20, 30, 0)).save(path, "WEBP", lossless=True)
    cover = load_cover(path, META)
    assert cover.media_type == "image/png"
    assert picture(cover.data).mode == "RGBA"


def test_a_file_that_is_not_an_image_is_refused_in_one_sentence(tmp_path):
    path = tmp_path / "cover.jpg"
    path.write_text("hello")
    with pytest.raises(InputError) as caught:
        load_cover(path, META)
    assert (
        caught.value.sentence() == f"{path}: this is not an image ficexport can read; use a JPEG or PNG file."
    )


# --- line breaks on the cover ---------------------------------------------------------------------

LINE = WIDTH - 2 * 150  # the width the cover sets its text in


def title_lines(title: str) -> tuple[str, ...]:
    """The lines the cover draws ``title`` in (as ``generate_cover`` sets it)."""
    return _fit(title, "serif-bold", 200, 72, LINE, max_lines=5, max_height=980).lines


def test_a_title_made_from_a_file_name_breaks_after_its_separators_not_inside_a_word():
    title = "gutenberg_en_pg1342-pride-and-prejudice_headerless-crlf"
    lines = title_lines(title)
    assert len(lines) > 1
    assert "".join(lines) == title  # nothing lost, nothing added
    assert all(line[-1] in "-_" for line in lines[:-1]), lines
    words = set(title.replace("_", "-").split("-"))
    for line in lines:
        assert set(line.strip("-_").replace("_", "-").split("-")) <= words, lines


def test_a_long_title_breaks_only_between_words():
    title = "The Extraordinarily Long and Winding Account of a Lighthouse That Would Not Stop Talking"
    lines = title_lines(title)
    assert len(lines) > 1
    assert " ".join(lines) == title
    assert all(word in title.split() for line in lines for word in line.split())


def test_a_word_wider_than_the_line_at_every_size_breaks_between_its_letters():
    word = "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaargh"
    block = _fit(word, "serif-bold", 200, 72, LINE, max_lines=5, max_height=980)
    assert len(block.lines) > 1 and "".join(block.lines) == word
    assert all(block.font.getlength(line) <= LINE for line in block.lines)


def test_a_word_that_fits_at_a_smaller_size_is_set_smaller_rather_than_broken():
    word = "Incomprehensibilities"  # 21 letters: too wide at the largest size, not at the smallest
    font = _font("serif-bold", 72, word)
    assert font.getlength(word) <= LINE < _font("serif-bold", 200, word).getlength(word)
    assert word in title_lines(f"The {word} of Cats")


# --- what the cover leaves out ---------------------------------------------------------------------


def test_a_title_no_installed_font_can_draw_is_reported_once_with_what_to_install():
    # U+10FFFD is a private-use character that no font on a normal system holds.
    lost = cover_warning(Metadata(title="\U0010fffd\U0010fffd", authors=("someone",)))
    assert lost is not None
    assert lost.startswith("the drawn cover shows no title, as no installed font has characters such as")
    assert lost.endswith("then convert again")
    partly = cover_warning(Metadata(title="Stars \U0010fffd Shine", authors=("\U0010fffc",)))
    assert partly is not None
    assert partly.startswith(
        "the drawn cover leaves characters such as \U0010fffd, \U0010fffc out of its title and author"
    )


def test_a_cover_that_shows_everything_warns_of_nothing():
    assert cover_warning(META) is None
    assert cover_warning(Metadata(title="")) is None
