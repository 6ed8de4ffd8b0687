"""Language names as archives print them -> BCP 47 tags for ``dc:language`` and hyphenation.

AO3 names each language in itself ("Deutsch", "日本語"); some copies say it in English ("German").
Both are listed. A value already in BCP 47 form ("en", "pt-BR") passes through.
"""

from __future__ import annotations

import re
from functools import cache

_NAMES = {
    "english": "en",
    "español": "es",
    "spanish": "es",
    "français": "fr",
    "french": "fr",
    "deutsch": "de",
    "german": "de",
    "italiano": "it",
    "italian": "it",
    "português brasileiro": "pt-BR",
    "português europeu": "pt-PT",
    "português": "pt",
    "portuguese": "pt",
    "brazilian portuguese": "pt-BR",
    "русский": "ru",
    "russian": "ru",
    "中文-普通话 國語": "zh",
    "中文-普通话 国语": "zh",
    "中文": "zh",
    "chinese": "zh",
    "中文-广东话 粵語": "yue",
    "cantonese": "yue",
    "日本語": "ja",
    "japanese": "ja",
    "한국어": "ko",
    "korean": "ko",
    "polski": "pl",
    "polish": "pl",
    "nederlands": "nl",
    "dutch": "nl",
    "svenska": "sv",
    "swedish": "sv",
    "suomi": "fi",
    "finnish": "fi",
    "dansk": "da",
    "danish": "da",
    "norsk": "no",
    "norwegian": "no",
    "türkçe": "tr",
    "turkish": "tr",
    "tiếng việt": "vi",
    "vietnamese": "vi",
    "bahasa indonesia": "id",
    "indonesian": "id",
    "bahasa malaysia": "ms",
    "malay": "ms",
    "українська": "uk",
    "ukrainian": "uk",
    "čeština": "cs",
    "czech": "cs",
    "slovenčina": "sk",
    "slovak": "sk",
    "magyar": "hu",
    "hungarian": "hu",
    "עברית": "he",
    "hebrew": "he",
    "العربية": "ar",
    "arabic": "ar",
    "ไทย": "th",
    "thai": "th",
    "català": "ca",
    "catalan": "ca",
    "ελληνικά": "el",
    "greek": "el",
    "română": "ro",
    "romanian": "ro",
    "filipino": "fil",
    "esperanto": "eo",
    "hrvatski": "hr",
    "croatian": "hr",
    "српски": "sr",
    "serbian": "sr",
    "български": "bg",
    "bulgarian": "bg",
    "lietuvių kalba": "lt",
    "lithuanian": "lt",
    "latviešu valoda": "lv",
    "latvian": "lv",
    "eesti": "et",
    "estonian": "et",
    "slovenščina": "sl",
    "slovenian": "sl",
    "íslenska": "is",
    "icelandic": "is",
    "gaeilge": "ga",
    "irish": "ga",
    "cymraeg": "cy",
    "welsh": "cy",
    "euskara": "eu",
    "basque": "eu",
    "galego": "gl",
    "galician": "gl",
    "latin": "la",
    "lingua latina": "la",
    "हिन्दी": "hi",
    "hindi": "hi",
    "فارسی": "fa",
    "persian": "fa",
    "afrikaans": "af",
}
_BCP47 = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")


def language_tag(name: str) -> str | None:
    """The BCP 47 tag for a language as written in a text's metadata, or ``None`` if unknown."""
    key = " ".join(name.split()).lower()
    if key in _NAMES:
        return _NAMES[key]
    if _BCP47.match(key) and len(key.split("-")[0]) <= 3 and key not in ("and", "the"):
        primary, *rest = name.strip().split("-")
        return "-".join([primary.lower(), *rest])
    return None


def language_name(tag: str) -> str:
    """The name a reader knows a language by ("English", "Deutsch"), for the title page; the tag
    itself when the language is not listed."""
    for name, known in _NAMES.items():
        if known == tag:
            return name if not name.isascii() else name.title()
    return tag


# Enough text to recognise a language reliably; more only costs time.
SAMPLE_CHARS = 200_000


def detect_language(text: str) -> str | None:
    """The language a text is written in (a BCP 47 tag), or ``None`` when unsure.

    Uses CLD2 (pycld2), whose model is compiled into the package: nothing is loaded from disk or the
    network, and it answers in microseconds, so even a small conversion can afford it."""
    import pycld2

    sample = _unreadable().sub(" ", text[:SAMPLE_CHARS])
    try:
        reliable, _, details = pycld2.detect(sample.encode("utf-8", "ignore"), returnVectors=False)
    except pycld2.error:
        return None
    code = details[0][1]
    if not reliable or code in ("un", "xxx"):
        return None
    return {"zh-Hant": "zh-Hant", "iw": "he", "jw": "jv", "in": "id"}.get(code, code)


@cache
def _unreadable() -> re.Pattern[str]:
    """Control codes, surrogates and private-use characters (Unicode categories Cc, Cs, Co), which
    CLD2 may refuse: compiled on first use, as its ranges take milliseconds to compile."""
    return re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]")
