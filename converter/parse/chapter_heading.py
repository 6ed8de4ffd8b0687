"""Chapter-heading rule: could one line, judged alone, open a chapter? (``headings`` weighs the
candidates against the whole text.)

Accepted forms (case ignored; the line must be short; a frame of ``~ * = - _`` on both sides is
looked through, "~Chapter 1~", "_PART I._"):
- a keyword and a number, then an optional title after ``:`` ``.`` ``,`` ``-`` ``--`` ``–`` or ``—``:
  ``Chapter 1``, ``CHAPTER ONE``, ``Chapter 12: Title``, ``Ch. 3 - Title``, ``Chap. IV``,
  ``Part Two``, ``Book III``, ``VOLUME I—FANTINE``, ``ACT I.``, ``Scene 2.``, ``Article 3``,
  ``Lesson 1.2: Title``, ``SESSION I.``, ``CHAPITRE PREMIER.``, ``Actus Primus, Scaena Prima.``;
  numbers as digits, roman numerals, English words (``twenty-one``) or ordinals in English, French,
  Latin, German, Spanish and Russian; also ``THE FIRST BOOK (OF OPTICKS)`` and ``Book the First``.
  Each names its unit (chapter, part, book, volume, act, scene, article, section), by which the
  headings of a text form series and nest;
- a named section, optionally titled: ``Prologue``, ``Epilogue``, ``Interlude: Title``,
  ``Afterword``, ``楔子``, ``尾声``, ``プロローグ``, ``에필로그``…;
- a bare number on its own line (``IV``, ``12.``, ``三``, ``Twenty-One``), and a number with a title
  (``II. THE RED-HEADED LEAGUE``), trusted only in a series;
- Markdown ``#`` to ``######`` headings;
- Chinese and Japanese ``第三章 Title``, ``第3話``, ``第一回``, ``卷一``, ``第一講第二節︰Title``,
  ``學而第一``; Korean ``제3장``; a web page's "page 1 of 1" after the title (``（1 / 1）``) is furniture.

Not headings: ``Chapter Text`` (AO3 furniture), ``Chapter 5 was the best`` (no separator before
the rest), ``The first scene.`` (a sentence), anything longer than a heading can reasonably be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from converter.parse.lines import joins_without_space

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
_SEPARATOR = r"\s*(?:[:.)]|[\-–—]+)\s*"  # "Book the First--Recalled to Life": dashes may double
_MAX_HEADING = 100

# Heading keywords by the unit they name, in English and the languages fan fiction and books are most
# often written in. The unit decides nesting: a ``BOOK`` holds ``CHAPTER``s, an ``ACT`` holds scenes.
_UNIT_KEYWORDS = {
    "chapter": [
        r"chapter", r"chap\.?", r"ch\.?", r"kapitel", r"chapitre", r"cap[ií]tulo", r"capitolo",
        r"hoofdstuk", r"rozdzia[łl]", r"глава", r"розділ", r"luku", r"kapittel", r"kapitola",
        r"fejezet", r"bölüm", r"stave", r"canto", r"letter", r"adventure", r"session",
    ],
    "part": [r"part", r"teil", r"partie", r"parte", r"deel", r"cz[eę][sś][cć]", r"часть"],
    "volume": [r"volume", r"vol\.", r"tome", r"band"],
    "book": [r"book", r"buch", r"livre", r"libro"],
    "act": [r"act", r"actus", r"acte", r"akt", r"acto", r"atto"],
    "scene": [r"scene", r"sc[ae]?ena", r"scoena", r"scène", r"szene", r"escena"],
    "article": [r"article", r"art\.", r"artikel", r"art[íi]culo"],
    "section": [r"section", r"sect\.", r"lesson", r"le[çc]on", r"урок", r"lektion", r"レッスン"],
}  # fmt: skip
_KEYWORD_UNIT = [(re.compile(rf"^(?:{pattern})$", re.IGNORECASE), unit)
                 for unit, patterns in _UNIT_KEYWORDS.items() for pattern in patterns]  # fmt: skip
_KEYWORDS = "|".join(pattern for patterns in _UNIT_KEYWORDS.values() for pattern in patterns)
# Ordinals spelled out: "THE FIRST BOOK", "CHAPITRE PREMIER", "Actus Primus", "Scena Secunda".
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "premier": 1, "première": 1, "premiere": 1, "deuxième": 2, "deuxieme": 2, "seconde": 2,
    "troisième": 3, "troisieme": 3, "quatrième": 4, "quatrieme": 4, "cinquième": 5, "cinquieme": 5,
    "sixième": 6, "sixieme": 6, "septième": 7, "septieme": 7, "huitième": 8, "huitieme": 8,
    "neuvième": 9, "neuvieme": 9, "dixième": 10, "dixieme": 10,
    "primus": 1, "prima": 1, "secundus": 2, "secunda": 2, "tertius": 3, "tertia": 3, "quartus": 4,
    "quarta": 4, "quintus": 5, "quinta": 5, "sextus": 6, "sexta": 6, "septimus": 7, "septima": 7,
    "erstes": 1, "erster": 1, "zweites": 2, "zweiter": 2, "drittes": 3, "dritter": 3, "viertes": 4,
    "vierter": 4, "fünftes": 5, "fünfter": 5, "sechstes": 6, "siebentes": 7, "siebtes": 7,
    "primero": 1, "segundo": 2, "tercero": 3, "cuarto": 4, "quinto": 5, "sexto": 6, "séptimo": 7,
    "первая": 1, "вторая": 2, "третья": 3, "четвертая": 4, "четвёртая": 4, "пятая": 5, "шестая": 6,
    "седьмая": 7, "восьмая": 8, "девятая": 9, "десятая": 10,
}  # fmt: skip
_ORDINAL = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_NUMBERED = re.compile(
    rf"^(?P<label>(?P<keyword>{_KEYWORDS})\s*(?P<number>(?:{_NUMBER}|{_ORDINAL})(?:\.\d+)*))\.?"
    rf"(?:(?:{_SEPARATOR}|,\s*)(?P<title>\S.*))?$",
    re.IGNORECASE,
)
# "THE FIRST BOOK", "The Second Part", "BOOK THE THIRD", optionally "… OF OPTICKS".
_ORDINAL_FIRST = re.compile(
    rf"^(?P<label>(?:the\s+)?(?P<number>{_ORDINAL})\s+(?P<keyword>{_KEYWORDS})(?:\s+of\s+[^:.\-–—]+)?)\.?"
    rf"(?:{_SEPARATOR}(?P<title>\S.*))?$",
    re.IGNORECASE,
)
_KEYWORD_ORDINAL = re.compile(
    rf"^(?P<label>(?P<keyword>{_KEYWORDS})\s+the\s+(?P<number>{_ORDINAL}))\.?"
    rf"(?:{_SEPARATOR}(?P<title>\S.*))?$",
    re.IGNORECASE,
)
_NAMED = re.compile(
    r"^(?P<label>prologue|epilogue|interlude|afterword|foreword|preface|introduction|prolog|epilog"
    r"|pr[oó]logo|ep[ií]logo|prologo|epilogo|пролог|эпилог|épilogue|楔子|序章|序言|引子|尾声|尾聲|终章|終章"
    r"|后记|後記|プロローグ|エピローグ|프롤로그|에필로그)\.?"
    rf"(?:{_SEPARATOR}(?P<title>\S.*))?$",
    re.IGNORECASE,
)
# Chinese and Japanese "第三章 Title" / "第3話" / "第一回" / "卷一" / "第一講第二節︰Title", Korean "제3장";
# full-width digits too.
_CJK_NUMBER = "[0-9０-９一二三四五六七八九十百千零〇两]+"
_CJK_UNITS_OF = {
    "章": "chapter", "回": "chapter", "話": "chapter", "话": "chapter", "篇": "chapter",
    "卷": "volume", "部": "part", "幕": "act", "节": "section", "節": "section", "讲": "section",
    "講": "section", "장": "chapter", "화": "chapter", "부": "part", "편": "part", "절": "section",
}  # fmt: skip
_CJK = re.compile(
    rf"^(?P<label>(?:第(?P<number>{_CJK_NUMBER})(?P<unit>[章回节節卷部篇話话幕讲講])"
    rf"(?:第(?P<subnumber>{_CJK_NUMBER})[节節])?|卷(?P<vnumber>{_CJK_NUMBER})"
    rf"|제\s?(?P<knumber>\d+)\s?(?P<kunit>[장화부편절])))"
    r"(?:[\s\u3000:：︰、.．]+(?P<title>\S.*))?$"
)
# A web page's "page 1 of 1" after a chapter title: "第一章 绯红（1 / 1）".
_PAGE_MARKER = re.compile(r"\s*[（(]\s*\d+\s*/\s*\d+\s*[）)]$")
# Classical Chinese chapter names that end in their ordinal: "學而第一", "為政第二".
_CJK_ORDINAL_LAST = re.compile(rf"^(?P<title>[^\s\d]{{1,8}}?)第(?P<number>{_CJK_NUMBER})$")
_CJK_NUMERALS = "一二三四五六七八九十百〇"
# A number and a title with no keyword: "II. THE RED-HEADED LEAGUE" after "ADVENTURE I. A SCANDAL IN
# BOHEMIA". Trusted only as part of a series (see ``headings``).
_NUMBER_TITLE = re.compile(
    rf"^(?P<label>(?P<number>{_ROMAN}|\d{{1,3}}))\.\s+(?P<title>[^\W\d_].*[^\s.,;:!?])$"
)
# A lone number: "IV", "12.", "３", "三", "Twenty-One".
_BARE = re.compile(
    rf"^(?P<label>\d{{1,3}}|{_ROMAN}|[０-９]{{1,3}}|[{_CJK_NUMERALS}]{{1,4}}|(?i:{_WORD_NUMBER}))[.．、]?$"
)
# What a heading may be framed with on both sides.
_DECORATION = "~*=-_•·+"
_MARKDOWN = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>\S.*?)\s*#*$")


@dataclass(frozen=True)
class HeadingMatch:
    """What a heading line says. ``kind`` is ``numbered``, ``named``, ``bare`` or ``markdown``."""

    kind: str
    label: str
    title: str
    number: int | None = None
    level: int = 1
    #: The unit the heading names ("chapter", "part", "book", "act", "scene", "section"; "named"
    #: for a prologue or epilogue, "bare" for a lone number): headings of one unit form a series.
    unit: str = "chapter"
    #: Page furniture the heading carried and the title leaves out ("（1 / 1）"), as written.
    furniture: str = ""


# What a heading can open with: one test passes over the lines of prose (most lines asked) before
# the patterns above are tried one by one.
_OPENING = re.compile(
    rf"^(?:[#_*\[\d]|第|卷|제|[IVXLCDM]+\b|(?:{_KEYWORDS})|(?:the\s+)?(?:{_ORDINAL})\b|(?:{_WORD_NUMBER})\b"
    r"|prolog|epilog|interlude|afterword|foreword|preface|introduction|pr[oó]logo|ep[ií]logo|пролог|эпилог"
    r"|épilogue)",
    re.IGNORECASE,
)


def match_heading(line: str) -> HeadingMatch | None:
    """The chapter heading ``line`` would be, judged alone; the caller weighs the evidence."""
    # No-break spaces stand between "Chapitre" and its number in some exports: a space to a reader.
    text = line.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if not text or len(text) > _MAX_HEADING:
        return None
    if text.endswith("]") and "[" not in text:
        # The end of a bracketed illustration caption: "[Illustration: … \n Chapter I.]"
        text = text[:-1].rstrip()
    if len(text) > 2 and text[0] in _DECORATION and text[-1] in _DECORATION:
        # A decorated or emphasised heading: "~Chapter 1~", "*** Part Two ***", "_PART I._".
        text = text.strip(_DECORATION + " ") or text
    if not text or not (_OPENING.match(text) or _cjk_opening(text[0])):
        return None
    markdown = _MARKDOWN.match(text)
    if markdown:
        inner = match_heading(markdown.group("title"))
        level = len(markdown.group("hashes"))
        if inner is not None and inner.kind in ("numbered", "named"):
            return HeadingMatch("markdown", inner.label, inner.title, inner.number, level, inner.unit)
        return HeadingMatch("markdown", "", markdown.group("title"), None, level, f"markdown-{level}")
    cjk = _CJK.match(text)
    if cjk:
        number = cjk["number"] or cjk["vnumber"] or cjk["knumber"]
        unit = _CJK_UNITS_OF.get(cjk["unit"] or cjk["kunit"] or "卷", "chapter")
        written = (cjk["title"] or "").strip()
        title = _PAGE_MARKER.sub("", written)
        value = _cjk_number_value(number)
        if cjk["subnumber"] and value is not None:  # "第一講第二節": lesson 1, section 2, as "1.2"
            value = value * 1000 + (_cjk_number_value(cjk["subnumber"]) or 0)
        marker = written[len(title) :]
        return HeadingMatch("numbered", cjk["label"], title, value, unit=unit, furniture=marker)
    ordinal_last = _CJK_ORDINAL_LAST.match(text)
    if ordinal_last and joins_without_space(text[0], text[0]):
        return HeadingMatch("numbered", text, "", _cjk_number_value(ordinal_last["number"]), unit="chapter")
    for kind, pattern in (
        ("numbered", _NUMBERED),
        ("numbered", _ORDINAL_FIRST),
        ("numbered", _KEYWORD_ORDINAL),
        ("named", _NAMED),
        ("bare", _BARE),
        ("number-title", _NUMBER_TITLE),
    ):
        match = pattern.match(text)
        if match and pattern is _ORDINAL_FIRST and not match["keyword"][:1].isupper():
            continue  # "The first scene." is a sentence; "THE FIRST BOOK", "The Second Part" are not
        if match:
            groups = match.groupdict()
            number = groups.get("number") or (match.group("label") if kind == "bare" else None)
            title = (groups.get("title") or "").strip()
            unit = _unit(groups["keyword"]) if groups.get("keyword") else kind
            label = match.group("label").strip()
            inner = match_heading(title) if title and kind == "numbered" else None
            if inner is not None and inner.kind == "numbered" and not inner.title:
                # "Actus Primus, Scaena Prima.": the act's heading names its first scene too.
                label, title = text.rstrip("."), ""
            return HeadingMatch(kind, label, title, _number_value(number), unit=unit)
    return None


def _cjk_opening(char: str) -> bool:
    """A heading in Chinese, Japanese or Korean may open with any character of theirs; the test
    of the code point comes first, as most lines open with a Latin letter."""
    return char >= "\u1100" and joins_without_space(char, char)


def _unit(keyword: str) -> str:
    return next((unit for pattern, unit in _KEYWORD_UNIT if pattern.match(keyword)), "chapter")


def _number_value(token: str | None) -> int | None:
    if not token:
        return None
    token = token.strip().lower()
    if token[:1] in _CJK_DIGITS or token[:1] in _CJK_UNITS or token[:1] in "０１２３４５６７８９":
        return _cjk_number_value(token)
    if token.isdigit():
        return int(token)
    if re.fullmatch(r"\d+(?:\.\d+)+", token):  # "1.2": lesson 1, section 2 counts as 1002
        major, minor = token.split(".")[:2]
        return int(major) * 1000 + int(minor)
    if token in _ORDINALS:
        return _ORDINALS[token]
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
