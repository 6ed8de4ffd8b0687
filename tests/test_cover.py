"""The cover: drawn the same way every time, readable as a thumbnail, and the user's own accepted."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from PIL import Image, ImageStat

from converter.cover import HEIGHT, PALETTES, WIDTH, _drawable, generate_cover, load_cover
from converter.document import Metadata, SeriesRef, TagGroup, TagKind
from converter.errors import InputError

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
        "import sys; from converter.cover import generate_cover; from converter.document import Metadata;"
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
