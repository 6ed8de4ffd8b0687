"""Chapter-heading rule: does one line, standing alone, open a chapter?

Accepted forms (case ignored; the line must be short and stand on its own):
- a keyword and a number, then an optional title after ``:`` ``.`` ``-`` ``–`` or ``—``:
  ``Chapter 1``, ``CHAPTER ONE``, ``Chapter 12: Title``, ``Ch. 3 - Title``, ``Chap. IV``,
  ``Part Two``, ``Book III``, ``Volume 2``; numbers as digits, roman numerals or English words
  (``twenty-one``);
- a named section, optionally titled: ``Prologue``, ``Epilogue``, ``Interlude: Title``,
  ``Afterword``;
- a bare number on its own line (``IV``, ``12.``), trusted only when a text has a run of them;
- Markdown ``#`` and ``##`` headings;
- Chinese and Japanese ``第三章 Title``, ``第3話``; Korean ``제3장``.

Not headings: ``Chapter Text`` (AO3 furniture), ``Chapter 5 was the best`` (no separator before
the rest), anything longer than a heading can reasonably be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_VALUES = {
    **{word: i + 1 for i, word in enumerate(_UNITS)},
    **{word: i + 10 for i, word in enumerate(_TEENS)},
    **{word: (i + 2) * 10 for i, word in enumerate(_TENS)},
}
_WORD_NUMBER = rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS)}))?|{'|'.join(_TEENS + _UNITS)})"
_ROMAN = r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_NUMBER = rf"(?:\d{{1,4}}|{_ROMAN}|{_WORD_NUMBER})"
_SEPARATOR = r"\s*[:.\-–—)]\s*"
_MAX_HEADING = 100

# "Chapter" and "Part" in English and in the languages fan fiction is most often written in.
_KEYWORDS = "|".join(
    [
        r"chapter", r"chap\.?", r"ch\.?", r"part", r"book", r"volume", r"vol\.",
        r"kapitel", r"teil", r"buch", r"chapitre", r"partie", r"livre", r"cap[ií]tulo", r"capitolo",
        r"parte", r"libro", r"hoofdstuk", r"deel", r"rozdzia[łl]", r"cz[eę][sś][cć]", r"глава",
        r"часть", r"розділ", r"luku", r"kapittel", r"kapitola", r"fejezet", r"bölüm",
    ]
)  # fmt: skip
_NUMBERED = re.compile(
    rf"^(?P<label>(?:{_KEYWORDS})\s*(?P<number>{_NUMBER}))\.?"
    rf"(?:{_SEPARATOR}(?P<title>\S.*))?$",
    re.IGNORECASE,
)
_NAMED = re.compile(
    r"^(?P<label>prologue|epilogue|interlude|afterword|foreword|preface|introduction|prolog|epilog"
    r"|pr[oó]logo|ep[ií]logo|prologo|epilogo|пролог|эпилог|épilogue)\.?"
    rf"(?:{_SEPARATOR}(?P<title>\S.*))?$",
    re.IGNORECASE,
)
# Chinese and Japanese "第三章 Title" / "第3話", Korean "제3장"; full-width digits too.
_CJK_NUMBER = "[0-9０-９一二三四五六七八九十百千零〇两]+"
_CJK = re.compile(
    rf"^(?P<label>(?:第(?P<number>{_CJK_NUMBER})[章回节節卷部篇話话幕]|제\s?(?P<knumber>\d+)\s?[장화부]))"
    r"(?:[\s\u3000:：、.．]+(?P<title>\S.*))?$"
)
_BARE = re.compile(rf"^(?P<label>\d{{1,3}}|{_ROMAN})\.?$")
_MARKDOWN = re.compile(r"^(?P<hashes>#{1,2})\s+(?P<title>\S.*?)\s*#*$")


@dataclass(frozen=True)
class HeadingMatch:
    """What a heading line says. ``kind`` is ``numbered``, ``named``, ``bare`` or ``markdown``."""

    kind: str
    label: str
    title: str
    number: int | None = None
    level: int = 1


def match_heading(line: str) -> HeadingMatch | None:
    """The chapter heading ``line`` would be, judged alone; the caller weighs the evidence."""
    text = line.strip()
    if text.endswith("]") and "[" not in text:
        # The end of a bracketed illustration caption: "[Illustration: … \n Chapter I.]"
        text = text[:-1].rstrip()
    if not text or len(text) > _MAX_HEADING:
        return None
    markdown = _MARKDOWN.match(text)
    if markdown:
        inner = match_heading(markdown.group("title"))
        level = len(markdown.group("hashes"))
        if inner is not None and inner.kind in ("numbered", "named"):
            return HeadingMatch("markdown", inner.label, inner.title, inner.number, level)
        return HeadingMatch("markdown", "", markdown.group("title"), None, level)
    cjk = _CJK.match(text)
    if cjk:
        number = cjk["number"] or cjk["knumber"]
        return HeadingMatch("numbered", cjk["label"], (cjk["title"] or "").strip(), _cjk_number_value(number))
    for kind, pattern in (("numbered", _NUMBERED), ("named", _NAMED), ("bare", _BARE)):
        match = pattern.match(text)
        if match:
            number = match.groupdict().get("number") or (match.group("label") if kind == "bare" else None)
            title = (match.groupdict().get("title") or "").strip()
            return HeadingMatch(kind, match.group("label").strip(), title, _number_value(number))
    return None


def _number_value(token: str | None) -> int | None:
    if not token:
        return None
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    if token in _WORD_VALUES:
        return _WORD_VALUES[token]
    parts = re.split(r"[- ]", token)
    if len(parts) == 2 and parts[0] in _WORD_VALUES and parts[1] in _WORD_VALUES:
        return _WORD_VALUES[parts[0]] + _WORD_VALUES[parts[1]]
    return _roman_value(token.upper())


_CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
               "八": 8, "九": 9}  # fmt: skip
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}


def _cjk_number_value(token: str) -> int | None:
    """ "三" -> 3, "十二" -> 12, "二十一" -> 21, "３" -> 3."""
    token = token.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if token.isdigit():
        return int(token)
    total, digit = 0, 0
    for char in token:
        if char in _CJK_DIGITS:
            digit = _CJK_DIGITS[char]
        elif char in _CJK_UNITS:
            total += (digit or 1) * _CJK_UNITS[char]
            digit = 0
    return total + digit or None


def _roman_value(numeral: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    if not numeral or any(ch not in values for ch in numeral):
        return None
    total = 0
    for ch, nxt in zip(numeral, numeral[1:] + " ", strict=True):
        value = values[ch]
        total += -value if nxt in values and values[nxt] > value else value
    return total
