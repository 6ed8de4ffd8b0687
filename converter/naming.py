"""Output file names: a ``--name`` template filled from the work's metadata, made safe to store.

Readers copy books onto e-readers and SD cards formatted FAT32 or exFAT, and open them on Windows.
Those refuse ``< > : " / \\ | ? *`` and control characters, drop trailing dots and spaces, reserve
device names (``CON``, ``NUL``, ``COM1``…) and cap a name at 255 UTF-16 units; Linux file systems
cap it at 255 bytes of UTF-8. Bidi controls go too, so that a title cannot disguise a suffix. A
title is free text ("Who Are You?: A Retelling"), so every filled-in name passes through
``safe_name``. Unicode is kept (a Chinese title stays Chinese), normalised to NFC
so the same title is always the same bytes on disk (macOS would otherwise store it decomposed).
"""

from __future__ import annotations

import re
import string
import unicodedata
from pathlib import Path

from converter.document import Metadata, TagKind
from converter.errors import FicexportError

#: The fields a template may name, and what each holds.
FIELDS = {
    "title": "the work's title",
    "author": "its authors, joined with ' & '",
    "fandom": "its first fandom",
    "series": "the name of its first series",
    "series_index": "its part number in that series",
}
#: At most this many characters and UTF-8 bytes for a name without its suffix: short enough to read
#: on an e-reader's list, and with room for ``.kepub.epub`` and the temporary name written first.
MAX_CHARS = 120
MAX_BYTES = 200

# What FAT32/exFAT and Windows refuse, and what stands in for it. A colon before a space reads as a
# dash ("Title: Subtitle" -> "Title - Subtitle"); the other separators become a hyphen.
_REPLACEMENTS = (
    (re.compile(r"\s*:\s+"), " - "),
    (re.compile(r"[:/\\|]"), "-"),
    (re.compile(r'"'), "'"),
    (re.compile(r"[<>?*]"), ""),
    (re.compile(r"[\x00-\x1f\x7f]"), " "),
    # Bidi embeddings, overrides and isolates are invisible and can make a name read backwards
    # ("\u202egpj.exe" shows as "exe.jpg"): a file name has no use for them.
    (re.compile("[\u202a-\u202e\u2066-\u2069]"), ""),
)
# Brackets left empty by a missing field: "Title ( #)" when the work has no series.
_EMPTY_BRACKETS = re.compile(r"[(\[{]\s*[\W_]*?\s*[)\]}]")
_EDGE = " .-_,;&+–—"
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{n}" for n in range(1, 10)),
    *(f"LPT{n}" for n in range(1, 10)),
}


class NameTemplateError(FicexportError):
    """A ``--name`` template that cannot be used (an unknown field, an unmatched brace)."""

    def __init__(self, template: str, problem: str) -> None:
        fields = ", ".join("{" + name + "}" for name in FIELDS)
        super().__init__(None, f"the --name template {template!r} {problem}", f"use the fields {fields}")


class _Formatter(string.Formatter):
    """``str.format`` limited to our fields: no attribute or index lookups, and an empty field
    stays empty whatever its format (``{series_index:02d}`` of a work in no series)."""

    def get_field(self, field_name, args, kwargs):
        if field_name not in FIELDS:
            raise KeyError(field_name)
        return kwargs[field_name], field_name

    def format_field(self, value, format_spec):
        if value == "":
            return ""
        return super().format_field(value, format_spec)


def check_template(template: str) -> None:
    """Raise ``NameTemplateError`` unless ``template`` can be filled for any work."""
    try:
        for _, name, spec, conversion in _Formatter().parse(template):
            if name is None:
                continue
            if name not in FIELDS:
                raise NameTemplateError(template, f"names an unknown field {{{name}}}")
            if conversion:
                raise NameTemplateError(template, f"uses a conversion (!{conversion}) that names do not need")
            _Formatter().format_field(1 if name == "series_index" else "x", spec)
    except ValueError as error:
        raise NameTemplateError(template, f"cannot be read ({error})") from None


def template_fields(meta: Metadata) -> dict[str, str | int]:
    """The values a template is filled with; a field the work lacks is empty."""
    series = meta.series[0] if meta.series else None
    fandoms = meta.tag_values(TagKind.FANDOM)
    return {
        "title": meta.title,
        "author": " & ".join(meta.authors),
        "fandom": fandoms[0] if fandoms else "",
        "series": series.name if series else "",
        "series_index": series.position if series and series.position is not None else "",
    }


def fill_template(template: str, meta: Metadata) -> str:
    """``template`` with its fields filled from ``meta``, not yet made safe."""
    check_template(template)
    return _Formatter().format(template, **template_fields(meta))


def safe_name(name: str) -> str:
    """``name`` made storable on FAT32/exFAT, Windows, macOS and Linux; empty if nothing is left."""
    name = unicodedata.normalize("NFC", name)
    for pattern, replacement in _REPLACEMENTS:
        name = pattern.sub(replacement, name)
    previous = None
    while previous != name:  # "((#))" empties from the inside out
        previous, name = name, _EMPTY_BRACKETS.sub("", name)
    name = " ".join(name.split()).strip(_EDGE)
    name = _shorten(name).strip(_EDGE)
    if name.split(".")[0].upper() in _RESERVED:
        name = f"{name}_"
    return name


def _shorten(name: str) -> str:
    """Cut ``name`` to ``MAX_CHARS`` characters and ``MAX_BYTES`` bytes, at a space when one is
    near the end, so a long title loses whole words."""
    if len(name) <= MAX_CHARS and len(name.encode("utf-8")) <= MAX_BYTES:
        return name
    cut = name[:MAX_CHARS]
    while len(cut.encode("utf-8")) > MAX_BYTES:
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space > len(cut) * 0.6:
        cut = cut[:space]
    # Never end on a lone combining mark's base split from its mark, or on the mark itself.
    while cut and unicodedata.combining(cut[-1]):
        cut = cut[:-1]
    return cut


def output_stem(template: str | None, meta: Metadata | None, source: Path) -> str:
    """The name (without suffix) of the outputs for ``source``: the input's own name when there is
    no template, else the filled, safe template; the input's name again if that comes out empty."""
    if not template:
        return Path(source).stem
    return safe_name(fill_template(template, meta)) or safe_name(Path(source).stem) or "book"


def name_key(name: str) -> str:
    """A key equal for two names that FAT, exFAT, NTFS or macOS would take for the same file: they
    compare names case-blind, and macOS stores them decomposed."""
    return unicodedata.normalize("NFC", name).casefold()
