"""The book's cover: drawn from the work's metadata with Pillow, or the user's own image (``--cover``).

A library screen shows covers as thumbnails a few dozen pixels wide, so the generated cover is a
clean, high-contrast design: the title large in the middle, the author below it, the fandom at the
top and the series at the foot, on a calm colour chosen from the title (the same work always gets
the same colour). It is drawn at 1600x2400, the 2:3 shape of an e-reader screen, and saved as PNG
with no timestamp, so the same work on the same machine gives the same bytes.

Fonts are found through fontconfig (``converter.write.fonts``), preferring DejaVu, and checked against
the character set fontconfig reports for them to hold every character of the text; without
fontconfig, Pillow's own scalable font is used. What no installed font can draw is left off the
cover, and ``cover_warning`` says what and which font package to install.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFont

from converter.document import Metadata, TagKind
from converter.errors import InputError
from converter.write.fonts import (
    FontFile,
    describe_missing,
    fc_match,
    listed,
    look_up,
    missing_glyphs,
    needs_glyph,
)

WIDTH, HEIGHT = 1600, 2400
#: Background, text and accent colours; one is picked per work from its title.
PALETTES = (
    ("#1d3b4a", "#f4eee3", "#c9a96e"),  # deep teal and brass
    ("#5a1f2b", "#f6eee6", "#d8b38a"),  # claret and sand
    ("#1f2a44", "#eef1f6", "#9fb4d9"),  # navy and steel
    ("#2d4a34", "#f1f0e6", "#c7c58f"),  # forest and straw
    ("#3f2d4f", "#f4eef7", "#c9a7d9"),  # plum and lilac
    ("#4a3424", "#f5eee4", "#d9b48f"),  # walnut and cream
)
_MARGIN = 150  # text keeps this far from the edges
_FRAME = 70  # the frame's distance from the edges
#: Image formats every EPUB reader shows (EPUB 3 core media types), kept as the user gave them.
_KEPT_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}
_MAX_COVER_PIXELS = 64_000_000


@dataclass(frozen=True)
class CoverImage:
    """An image ready to pack into a book, with what the cover page says about it."""

    data: bytes
    media_type: str  # image/png, image/jpeg or image/gif
    description: str  # the alt text of the cover page

    @property
    def extension(self) -> str:
        """The file extension for the image's type (``png``)."""
        return {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif"}[self.media_type]


# --- Generating a cover ---------------------------------------------------------------------------


def generate_cover(meta: Metadata) -> CoverImage:
    """A cover showing the work's title, author, fandom and series."""
    title = meta.title or "Untitled"
    author = " & ".join(meta.authors)
    fandoms = meta.tag_values(TagKind.FANDOM)
    fandom = fandoms[0] if fandoms else ""
    shown = {part: _drawable(text, face) for part, text, face in _cover_texts(meta)}
    series = meta.series[0] if meta.series else None
    series_line = shown["series"]
    if series and series.position and series_line:
        series_line = f"Part {series.position} of {series_line}"

    background, ink, accent = PALETTES[_stable_index(title + "\n" + author, len(PALETTES))]
    # Drawn as two coverage masks, one per colour, and coloured at the end (see ``_paletted``).
    ink_layer = Image.new("L", (WIDTH, HEIGHT), 0)
    accent_layer = Image.new("L", (WIDTH, HEIGHT), 0)
    draw_ink, draw_accent = ImageDraw.Draw(ink_layer), ImageDraw.Draw(accent_layer)
    draw_accent.rectangle((_FRAME, _FRAME, WIDTH - _FRAME, HEIGHT - _FRAME), outline=255, width=6)
    draw_accent.rectangle(
        (_FRAME + 22, _FRAME + 22, WIDTH - _FRAME - 22, HEIGHT - _FRAME - 22), outline=255, width=2
    )
    width = WIDTH - 2 * _MARGIN

    if fandom_line := shown["fandom"]:
        block = _fit(fandom_line, "sans", 60, 40, width, max_lines=2)
        _draw_lines(draw_accent, block, top=230)

    # The title fills the middle of the cover: as large as fits in five lines.
    title_block = _fit(shown["title"], "serif-bold", 200, 72, width, max_lines=5, max_height=980)
    author_line = shown["author"]
    author_block = _fit(author_line, "serif-italic", 96, 48, width, max_lines=2) if author_line else None
    rule_gap = 90
    total = title_block.height + (rule_gap * 2 + author_block.height if author_block else 0)
    top = (HEIGHT - total) // 2 - 40
    _draw_lines(draw_ink, title_block, top=top)
    if author_block:
        rule_y = top + title_block.height + rule_gap
        draw_accent.line((WIDTH // 2 - 140, rule_y, WIDTH // 2 + 140, rule_y), fill=255, width=5)
        _draw_lines(draw_ink, author_block, top=rule_y + rule_gap)

    if series_line:
        block = _fit(series_line, "sans", 52, 36, width, max_lines=2)
        _draw_lines(draw_accent, block, top=HEIGHT - 230 - block.height)

    buffer = io.BytesIO()
    # zlib level 3: much quicker than the default level, for a file somewhat larger but still small.
    _paletted(ink_layer, accent_layer, (background, ink, accent)).save(buffer, "PNG", compress_level=3)
    described = f"Cover: {title}" + (f" by {author}" if author else "") + (f", {fandom}" if fandom else "")
    return CoverImage(buffer.getvalue(), "image/png", described)


#: Shades of each colour between the background and full strength: the anti-aliased edges of the
#: text need no more to look smooth at any size a reader shows.
_SHADES = 16


def _paletted(
    ink_layer: Image.Image, accent_layer: Image.Image, colours: tuple[str, str, str]
) -> Image.Image:
    """The two coverage masks as one palette image: index 0 the background, then the shades of the
    ink, then those of the accent. Done with lookup tables in Pillow's C code, this is much faster
    than colouring a full-colour image and quantising it, and gives the same bytes every time."""
    top = _SHADES - 1
    shades = [(value * top + 127) // 255 for value in range(256)]  # coverage 0-255 -> shade 0-15
    ink = ink_layer.point(shades)
    accent = accent_layer.point([top + shade if shade else 0 for shade in shades])
    image = ImageChops.lighter(ink, accent)  # the layers never overlap; the accent would win
    background, *strokes = (ImageColor.getrgb(colour) for colour in colours)
    palette = list(background)
    for stroke in strokes:
        for shade in range(1, _SHADES):
            palette += [round(b + (s - b) * shade / top) for b, s in zip(background, stroke, strict=True)]
    image.putpalette(palette)
    return image


def _cover_texts(meta: Metadata) -> list[tuple[str, str, str]]:
    """What the drawn cover shows, each with the face it is drawn in: (part, text, face)."""
    fandoms = meta.tag_values(TagKind.FANDOM)
    series = meta.series[0] if meta.series else None
    return [
        ("title", meta.title or "Untitled", "serif-bold"),
        ("author", " & ".join(meta.authors), "serif-italic"),
        ("fandom", fandoms[0].upper() if fandoms else "", "sans"),
        ("series", series.name if series else "", "sans"),
    ]


def _stable_index(text: str, count: int) -> int:
    """The same index for the same text, in every process (``hash()`` is salted per process)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big") % count


@dataclass(frozen=True)
class _Block:
    """Lines of text set in one font, ready to draw centred."""

    lines: tuple[str, ...]
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    line_height: int

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)


def _fit(
    text: str, face: str, size: int, smallest: int, width: int, max_lines: int, max_height: int = 0
) -> _Block:
    """``text`` wrapped to ``width`` in the largest size from ``size`` down to ``smallest`` at
    which it takes at most ``max_lines`` lines (and ``max_height`` pixels); at the smallest size,
    whatever does not fit is cut with an ellipsis. A word (or a piece of one, see
    ``_word_pieces``) is broken only when it is too wide even at the smallest size
    ("Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaargh"); a size at which another one would be broken is passed over."""
    narrowest = _font(face, smallest, text)
    whole = [piece for piece in dict.fromkeys(_pieces(text)) if narrowest.getlength(piece) <= width]
    while True:
        font = _font(face, size, text)
        lines = _wrap(text, font, width)
        line_height = round(size * 1.18)
        fits = (
            len(lines) <= max_lines
            and (not max_height or line_height * len(lines) <= max_height)
            and all(font.getlength(piece) <= width for piece in whole)
        )
        if fits or size <= smallest:
            break
        size = max(smallest, round(size * 0.9))
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _ellipsize(" ".join(lines[max_lines - 1 :]), font, width)]
    return _Block(tuple(lines), font, line_height)


def _wrap(text: str, font, width: int) -> list[str]:
    """Lines of even length: the narrowest measure that still needs no more lines than ``width``
    does, so a title breaks "Will the Real Mr. Bronner / Please Stand Up?" rather than leaving
    one word alone on its last line."""
    lines = _greedy_wrap(text, font, width)
    if len(lines) < 2:
        return lines
    longest = max(font.getlength(piece) for piece in _pieces(text))
    narrow, wide = max(width // 2, min(round(longest), width) - 1), width
    while wide - narrow > 4:
        middle = (narrow + wide) // 2
        if len(_greedy_wrap(text, font, middle)) <= len(lines):
            wide = middle
        else:
            narrow = middle
    return _greedy_wrap(text, font, wide)


def _greedy_wrap(text: str, font, width: int) -> list[str]:
    """Greedy line breaking at spaces, and inside a word only where ``_word_pieces`` allows; a
    piece wider than the line breaks between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        for number, piece in enumerate(_word_pieces(word)):
            candidate = f"{current} {piece}" if current and number == 0 else current + piece
            if font.getlength(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            for character in piece:
                if current and font.getlength(current + character) > width:
                    lines.append(current)
                    current = ""
                current += character
    if current:
        lines.append(current)
    return lines or [""]


#: Where a word may break across lines: after a hyphen, dash, underscore or slash (a title made
#: from a file name, "pride-and-prejudice_headerless"), and after each Chinese, Japanese or Korean
#: character (with the punctuation that follows it), as those scripts put no spaces between words.
_SEPARATORS = r"\-_/\u2013\u2014"
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_PIECE = re.compile(
    rf"[{_CJK}][\u3000-\u303f\uff00-\uffef]*|[^{_SEPARATORS}{_CJK}]+[{_SEPARATORS}]*|[{_SEPARATORS}]+"
)


def _word_pieces(word: str) -> list[str]:
    """``word`` cut where a line may break inside it; the pieces joined give the word back."""
    return _PIECE.findall(word)


def _pieces(text: str) -> list[str]:
    return [piece for word in text.split() for piece in _word_pieces(word)]


def _ellipsize(text: str, font, width: int) -> str:
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _draw_lines(draw: ImageDraw.ImageDraw, block: _Block, top: int) -> None:
    for number, line in enumerate(block.lines):
        middle = top + number * block.line_height + block.line_height // 2
        draw.text((WIDTH // 2, middle), line, font=block.font, fill=255, anchor="mm")


# --- Fonts ----------------------------------------------------------------------------------------

#: fontconfig patterns for each face the cover uses, best first.
_FACES = {
    "serif-bold": "DejaVu Serif,serif:style=Bold",
    "serif-italic": "DejaVu Serif,serif:style=Italic",
    "sans": "DejaVu Sans,sans-serif:style=Book",
}


def _font(face: str, size: int, text: str):
    found = _font_file(face, _needed_characters(text))
    if found is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(found.path, size=size)


def _needed_characters(text: str) -> str:
    return "".join(sorted({ch for ch in text if needs_glyph(ch)}))


@cache
def _font_file(face: str, characters: str) -> FontFile | None:
    """The font fontconfig picks for ``face`` that holds all ``characters`` some installed font
    holds: first the face as asked, then the face with those characters as a requirement (which
    lets fontconfig switch to, say, a CJK font); the face as asked when no one font has them all,
    None without fontconfig."""
    first = fc_match(_FACES[face])
    if first is None or first.covers(characters):
        return first
    missing = set(missing_glyphs(characters))
    drawable = "".join(ch for ch in characters if ch not in missing)
    if first.covers(drawable):
        return first
    charset = " ".join(f"{ord(ch):x}" for ch in drawable)
    other = fc_match(f"{_FACES[face]}:charset={charset}")
    return other if other and other.covers(drawable) else first


def _drawable(text: str, face: str) -> str:
    """``text`` less the characters no installed font can draw: a line of empty boxes (a Chinese
    title on a system without a Chinese font, an emoji) spoils a cover more than a missing
    character. Without fontconfig nothing can be checked, and the text is kept."""
    found = _font_file(face, _needed_characters(text))
    if found is None:
        return text
    kept = "".join(ch for ch in text if ch.isspace() or found.covers(ch))
    if len(kept) == len(text):
        return text
    return " ".join(kept.split()).strip(" |/·,;:-–—")  # no separator left beside a gap


def cover_warning(meta: Metadata) -> str | None:
    """What the drawn cover for ``meta`` leaves out for want of a font, and what to install, in
    one sentence; None when it shows everything."""
    lost: dict[str, str] = {}
    for part, text, face in _cover_texts(meta):
        font = _font_file(face, _needed_characters(text))
        left_out = font.lacks(_needed_characters(text)) if font else ""
        if left_out:
            lost[part] = "".join(ch for ch in dict.fromkeys(text) if ch in left_out)
    if not lost:
        return None
    what, advice = describe_missing("".join(dict.fromkeys("".join(lost.values()))))
    if "title" in lost and not _drawable(meta.title or "Untitled", "serif-bold"):
        problem = f"the drawn cover shows no title, as no installed font has {what}"
    else:
        parts = listed(list(lost))
        problem = f"the drawn cover leaves {what} out of its {parts}, as no installed font has them"
    return f"{problem}; {advice}, then convert again"


def look_up_fonts() -> None:
    """Start asking fontconfig for the cover's faces without waiting for the answers.

    Each answer takes a process of its own; asked in turn when the cover is drawn, the three faces
    would hold up every conversion while they ran one after another. Started before the text is
    parsed, they run beside it and are answered by the time the cover needs them."""
    look_up(list(_FACES.values()))


# --- The user's own cover -------------------------------------------------------------------------


def load_cover(path: Path, meta: Metadata) -> CoverImage:
    """The user's ``--cover`` image: JPEG, PNG and GIF as they are, other formats Pillow reads
    (WebP, BMP, TIFF, …) converted to PNG or JPEG, which every reader shows."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such cover image", "check the --cover path") from None
    except OSError as error:
        raise InputError(path, f"the cover image cannot be read ({error.strerror or error})") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > _MAX_COVER_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                image.load()
                kind = image.format or ""
                converted = None if kind in _KEPT_FORMATS and image.mode != "CMYK" else _reencode(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(
            path, "the cover image is too large", "use one of at most 64 megapixels (1600x2400 is plenty)"
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise InputError(path, "this is not an image ficexport can read", "use a JPEG or PNG file") from None
    title = meta.title or "Untitled"
    description = f"Cover of {title}" + (f" by {' & '.join(meta.authors)}" if meta.authors else "")
    if converted is not None:
        return CoverImage(converted[0], converted[1], description)
    return CoverImage(data, _KEPT_FORMATS[kind], description)


def _reencode(image: Image.Image) -> tuple[bytes, str]:
    """An image every reader shows: PNG when it has transparency or few colours, else JPEG."""
    buffer = io.BytesIO()
    if image.mode in ("RGBA", "LA", "P", "PA", "1", "L") or "transparency" in image.info:
        image.convert("RGBA" if image.mode in ("RGBA", "LA", "PA", "P") else "L").save(buffer, "PNG")
        return buffer.getvalue(), "image/png"
    image.convert("RGB").save(buffer, "JPEG", quality=92)
    return buffer.getvalue(), "image/jpeg"
