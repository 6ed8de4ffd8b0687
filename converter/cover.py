"""The book's cover: drawn from the work's metadata with Pillow, or the user's own image (``--cover``).

A library screen shows covers as thumbnails a few dozen pixels wide, so the generated cover is a
clean, high-contrast design: the title large in the middle, the author below it, the fandom at the
top and the series at the foot, on a calm colour chosen from the title (the same work always gets
the same colour). It is drawn at 1600x2400, the 2:3 shape of an e-reader screen, and saved as PNG
with no timestamp, so the same work on the same machine gives the same bytes.

Fonts are found through fontconfig (``fc-match``), preferring DejaVu, and checked against the
character set fontconfig reports for them to hold every character of the text; without fontconfig,
Pillow's own scalable font is used.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFont

from converter.document import Metadata, TagKind
from converter.errors import InputError

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
    series = meta.series[0] if meta.series else None
    series_line = ""
    if series:
        series_name = _drawable(series.name, "sans")
        series_line = (
            f"Part {series.position} of {series_name}" if series.position and series_name else series_name
        )

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

    if fandom_line := _drawable(fandom.upper(), "sans"):
        block = _fit(fandom_line, "sans", 60, 40, width, max_lines=2)
        _draw_lines(draw_accent, block, top=230)

    # The title fills the middle of the cover: as large as fits in five lines.
    title_block = _fit(
        _drawable(title, "serif-bold"), "serif-bold", 200, 72, width, max_lines=5, max_height=980
    )
    author_line = _drawable(author, "serif-italic")
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
    # zlib level 3: a third of the default level's time for a file of about 55 KB instead of 35 KB.
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
    ink, then those of the accent. Done with lookup tables in Pillow's C code, this is some ten
    times faster than colouring a full-colour image and quantising it, and gives the same bytes
    every time."""
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
    whatever does not fit is cut with an ellipsis."""
    while True:
        font = _font(face, size, text)
        lines = _wrap(text, font, width)
        line_height = round(size * 1.18)
        fits = (
            len(lines) <= max_lines
            and (not max_height or line_height * len(lines) <= max_height)
            and all(font.getlength(word) <= width for word in text.split() if len(word) < 20)
        )  # a word is never broken unless it is too long for any size ("Aaaaaaaaaaaaaaaaaaargh")
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
    longest = max(font.getlength(word) for word in text.split())
    narrow, wide = max(width // 2, min(round(longest), width) - 1), width
    while wide - narrow > 4:
        middle = (narrow + wide) // 2
        if len(_greedy_wrap(text, font, middle)) <= len(lines):
            wide = middle
        else:
            narrow = middle
    return _greedy_wrap(text, font, wide)


def _greedy_wrap(text: str, font, width: int) -> list[str]:
    """Greedy line breaking at spaces; a word wider than the line (or CJK text, which has no
    spaces) breaks between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for character in word:
            if current and font.getlength(current + character) > width:
                lines.append(current)
                current = ""
            current += character
    if current:
        lines.append(current)
    return lines or [""]


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
    return "".join(sorted({ch for ch in text if not ch.isspace()}))


@cache
def _font_file(face: str, characters: str) -> _FontFile | None:
    """The font fontconfig picks for ``face`` that holds all ``characters``: first the face as
    asked, then the face with the characters as a requirement (which lets fontconfig switch to,
    say, a CJK font); the face as asked when nothing covers everything, None without fontconfig."""
    first = _fc_match(_FACES[face])
    if first is None or first.covers(characters):
        return first
    charset = " ".join(f"{ord(ch):x}" for ch in characters)
    other = _fc_match(f"{_FACES[face]}:charset={charset}")
    return other if other and other.covers(characters) else first


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


@dataclass(frozen=True)
class _FontFile:
    """A font file fontconfig found, and the code points it holds (fontconfig's ``charset``)."""

    path: str
    ranges: tuple[tuple[int, int], ...]

    def covers(self, characters: str) -> bool:
        return all(any(low <= ord(ch) <= high for low, high in self.ranges) for ch in characters)


def look_up_fonts() -> None:
    """Start asking fontconfig for the cover's faces without waiting for the answers.

    Each answer takes a process of some 20 ms; asked in turn when the cover is drawn, the three
    faces held up every conversion by a tenth of a second. Started before the text is parsed,
    they run beside it and are answered by the time the cover needs them."""
    for pattern in _FACES.values():
        if pattern not in _answers and pattern not in _pending:
            _pending[pattern] = _start_fc_match(pattern)


#: fontconfig's answers by pattern (``None``: no answer), and the lookups started ahead of need.
_answers: dict[str, _FontFile | None] = {}
_pending: dict[str, subprocess.Popen[str] | None] = {}


def _fc_match(pattern: str) -> _FontFile | None:
    """fontconfig's font file and character set for ``pattern``, asked once per process."""
    if pattern not in _answers:
        process = _pending.pop(pattern, None) or _start_fc_match(pattern)
        _answers[pattern] = _read_fc_match(process)
    return _answers[pattern]


def _start_fc_match(pattern: str) -> subprocess.Popen[str] | None:
    executable = shutil.which("fc-match")
    if executable is None:
        return None
    try:
        return subprocess.Popen(
            [executable, "--format=%{file}\n%{charset}", pattern],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    except OSError:
        return None


def _read_fc_match(process: subprocess.Popen[str] | None) -> _FontFile | None:
    if process is None:
        return None
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None
    path, _, charset = output.partition("\n")
    path = path.strip()
    if process.returncode != 0 or not path or not Path(path).is_file():
        return None
    return _FontFile(path, _charset_ranges(charset))


def _charset_ranges(charset: str) -> tuple[tuple[int, int], ...]:
    """fontconfig's ``20-7e a0-17f 2013`` as ranges of code points; no ranges at all (fontconfig
    did not say) is taken as covering everything, as the font is still the one it picked."""
    ranges = []
    for item in charset.split():
        low, _, high = item.partition("-")
        try:
            ranges.append((int(low, 16), int(high or low, 16)))
        except ValueError:
            continue
    return tuple(ranges) or ((0, 0x10FFFF),)


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
