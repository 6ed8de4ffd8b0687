"""What the installed fonts can draw, asked of fontconfig: the one place ficexport asks it.

A Chinese work on a machine with no CJK font gives a PDF of empty boxes and a drawn cover with no
title, and neither WeasyPrint nor Pillow says a word about it. The cover picks its fonts here
(``fc_match``), and both the PDF and the cover ask ``missing_glyphs`` which characters no installed
font holds, so the user can be told once which font package to install.

Each answer comes from a short ``fc-match`` or ``fc-list`` process, asked once per process and
kept. A book whose characters the text face holds (nearly every Latin-script work) needs only the
one ``fc-match``; the list of every installed font is read only for the characters it lacks.
Without fontconfig's tools nothing can be checked, and nothing is reported missing.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: A broad face that is on nearly every Linux: when it holds every character of a text, no other
#: font needs to be asked about.
TEXT_FACE = "DejaVu Serif,serif"
#: How long one fontconfig process may take before its answer is given up on.
_TIMEOUT = 20


@dataclass(frozen=True)
class FontFile:
    """A font file fontconfig found, and the code points it holds (fontconfig's ``charset``), as
    sorted ranges that do not overlap."""

    path: str
    ranges: tuple[tuple[int, int], ...]

    def covers(self, characters: str) -> bool:
        return not self.lacks(characters)

    def lacks(self, characters: str) -> str:
        """Those of ``characters`` this font does not hold."""
        return "".join(ch for ch in characters if not _in_ranges(self.ranges, ord(ch)))


def _in_ranges(ranges: tuple[tuple[int, int], ...], point: int) -> bool:
    index = bisect_right(ranges, (point, 0x10FFFF + 1)) - 1
    return index >= 0 and ranges[index][0] <= point <= ranges[index][1]


# --- fc-match ---------------------------------------------------------------------------------------

#: fontconfig's answers by pattern (``None``: no answer), and the lookups started ahead of need.
_answers: dict[str, FontFile | None] = {}
_pending: dict[str, subprocess.Popen[str] | None] = {}


def look_up(patterns: tuple[str, ...] | list[str]) -> None:
    """Start asking fontconfig about ``patterns`` without waiting for the answers, so that they are
    ready when ``fc_match`` needs them (each takes a process of some milliseconds)."""
    for pattern in patterns:
        if pattern not in _answers and pattern not in _pending:
            _pending[pattern] = _start(["fc-match", "--format=%{file}\n%{charset}", pattern])


def fc_match(pattern: str) -> FontFile | None:
    """fontconfig's font file and character set for ``pattern``, asked once per process."""
    if pattern not in _answers:
        process = _pending.pop(pattern, None) or _start(["fc-match", "--format=%{file}\n%{charset}", pattern])
        output = _read(process)
        path, _, charset = (output or "").partition("\n")
        path = path.strip()
        found = output is not None and path and Path(path).is_file()
        _answers[pattern] = FontFile(path, charset_ranges(charset)) if found else None
    return _answers[pattern]


def _start(command: list[str]) -> subprocess.Popen[str] | None:
    executable = shutil.which(command[0])
    if executable is None:
        return None
    try:
        return subprocess.Popen(
            [executable, *command[1:]],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    except OSError:
        return None


def _read(process: subprocess.Popen[str] | None) -> str | None:
    """The process's output, or None when it failed or took too long."""
    if process is None:
        return None
    try:
        output, _ = process.communicate(timeout=_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None
    return output if process.returncode == 0 else None


def charset_ranges(charset: str) -> tuple[tuple[int, int], ...]:
    """fontconfig's ``20-7e a0-17f 2013`` as sorted ranges of code points; no ranges at all
    (fontconfig did not say) is taken as covering everything, as the font is still the one it
    picked."""
    return _merged(charset) or ((0, 0x10FFFF),)


def _merged(charset: str) -> tuple[tuple[int, int], ...]:
    """fontconfig's charset text (``20-7e a0-17f``, any number of fonts' worth) as sorted ranges
    that do not overlap; an item that is no hexadecimal range is passed over."""
    ranges = []
    for item in charset.split():
        low, _, high = item.partition("-")
        try:
            ranges.append((int(low, 16), int(high or low, 16)))
        except ValueError:
            continue
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


# --- What no installed font holds -------------------------------------------------------------------


def missing_glyphs(text: str) -> str:
    """The characters of ``text`` that no installed font holds, each once, in the order they first
    appear; "" when every one has a font, or when fontconfig cannot be asked."""
    needed = "".join(ch for ch in set(text) if needs_glyph(ch))
    face = fc_match(TEXT_FACE)
    if face is None:
        return ""
    lacking = face.lacks(needed)
    if not lacking:
        return ""
    everything = _installed_coverage()
    missing = {ch for ch in lacking if not _in_ranges(everything, ord(ch))}
    if not missing:
        return ""
    return "".join(dict.fromkeys(ch for ch in text if ch in missing))


def needs_glyph(ch: str) -> bool:
    """False for characters no font needs to draw: spaces, line ends, controls, format characters
    (soft hyphen, zero-width joiner) and variation selectors."""
    if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp"):
        return False
    point = ord(ch)
    return not (0xFE00 <= point <= 0xFE0F or 0xE0100 <= point <= 0xE01EF)


@cache
def _installed_coverage() -> tuple[tuple[int, int], ...]:
    """Every code point some installed font holds, as ranges (fontconfig's list of all fonts). An
    unanswered list is taken as covering everything, so that nothing is reported for want of it."""
    output = _read(_start(["fc-list", "--format=%{charset}\n"]))
    if output is None:
        return ((0, 0x10FFFF),)
    return _merged(output)


# --- Saying what to install -------------------------------------------------------------------------

_CJK_FONTS = "fonts-noto-cjk"
_EMOJI_FONTS = "fonts-noto-color-emoji"
#: Scripts a reader will recognise by name, and the Debian package with fonts for them.
_SCRIPT_RANGES = (
    (0x1100, 0x11FF, "Hangul", _CJK_FONTS),
    (0x2E80, 0x2FDF, "Han", _CJK_FONTS),
    (0x3000, 0x303F, "CJK punctuation", _CJK_FONTS),
    (0x3040, 0x30FF, "Kana", _CJK_FONTS),
    (0x3100, 0x312F, "Bopomofo", _CJK_FONTS),
    (0x3130, 0x318F, "Hangul", _CJK_FONTS),
    (0x31A0, 0x31BF, "Bopomofo", _CJK_FONTS),
    (0x31C0, 0x31EF, "Han", _CJK_FONTS),
    (0x31F0, 0x31FF, "Kana", _CJK_FONTS),
    (0x3200, 0x33FF, "CJK punctuation", _CJK_FONTS),
    (0x3400, 0x4DBF, "Han", _CJK_FONTS),
    (0x4E00, 0x9FFF, "Han", _CJK_FONTS),
    (0xA960, 0xA97F, "Hangul", _CJK_FONTS),
    (0xAC00, 0xD7FF, "Hangul", _CJK_FONTS),
    (0xF900, 0xFAFF, "Han", _CJK_FONTS),
    (0xFE30, 0xFE4F, "CJK punctuation", _CJK_FONTS),
    (0xFF00, 0xFF64, "CJK punctuation", _CJK_FONTS),
    (0xFF65, 0xFF9F, "Kana", _CJK_FONTS),
    (0xFFA0, 0xFFDC, "Hangul", _CJK_FONTS),
    (0xFFE0, 0xFFEF, "CJK punctuation", _CJK_FONTS),
    (0x1B000, 0x1B16F, "Kana", _CJK_FONTS),
    (0x1F000, 0x1FAFF, "emoji", _EMOJI_FONTS),
    (0x20000, 0x3134F, "Han", _CJK_FONTS),
)
#: Words that follow a script's name in Unicode's character names ("THAI CHARACTER KO KAI").
_NAME_KINDS = {"LETTER", "CHARACTER", "SYLLABLE", "VOWEL", "DIGIT", "SIGN", "SMALL", "CAPITAL"}
_SAMPLES = 5


def script_of(ch: str) -> tuple[str, str | None]:
    """The script of ``ch`` as a reader would name it ("Han", "emoji", "Thai"), and the Debian
    package that has fonts for it (None when there is no one package to name)."""
    point = ord(ch)
    for low, high, name, package in _SCRIPT_RANGES:
        if low <= point <= high:
            return name, package
    if 0x2600 <= point <= 0x27BF or 0x2B00 <= point <= 0x2BFF:
        return "symbol", "fonts-symbola"
    words = unicodedata.name(ch, "").split()
    if len(words) > 1 and words[1] in _NAME_KINDS:
        return words[0].title(), None
    return "", None


def describe_missing(missing: str) -> tuple[str, str]:
    """What ``missing`` (characters no installed font holds) are, and what to install for them:
    ``("the Han and emoji characters (战, 烟, 😀)", "install fonts-noto-cjk and
    fonts-noto-color-emoji (Debian and Ubuntu)")``."""
    scripts: dict[str, None] = {}
    packages: dict[str, None] = {}
    unpackaged = False
    for ch in missing:
        name, package = script_of(ch)
        scripts[name or "other"] = None
        if package:
            packages[package] = None
        else:
            unpackaged = True
    samples = ", ".join(missing[:_SAMPLES]) + (", …" if len(missing) > _SAMPLES else "")
    if list(scripts) == ["other"]:
        what = f"characters such as {samples}"
    else:
        if {"Han", "Kana", "Hangul", "Bopomofo"} & set(scripts):  # their punctuation goes with them
            scripts.pop("CJK punctuation", None)
        names = [name for name in scripts if name != "other"] + (["other"] if "other" in scripts else [])
        what = f"the {listed(names)} characters ({samples})"
    if not packages:
        return what, "install a font that has them (Debian's fonts-noto-core covers most scripts)"
    advice = f"install {listed(list(packages))} (Debian and Ubuntu)"
    return what, advice + (" and a font that has the others" if unpackaged else "")


def listed(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
