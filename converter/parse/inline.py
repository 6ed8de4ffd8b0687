"""Inline marks in plain text: ``**strong**``, ``*emphasis*``, ``_emphasis_`` and bare URLs.

A mark is read only when it is balanced and hugs its words, the way a person reads it:
``*sigh*`` and ``_Pride and Prejudice_`` are emphasis, ``2 * 3 * 4``, ``snake_case_name`` and a lone
``*`` stay text. Whatever is not a mark stays exactly as written, so no character of the author's is lost
except the delimiters themselves.
"""

from __future__ import annotations

import re

from converter.document import Emphasis, Inline, Link, Strong, Text

# Order matters: a URL is taken before emphasis so ``http://a.b/x_y_z`` keeps its underscores, and
# ``**`` before ``*`` so strong is not read as two emphases.
_URL = r"(?P<url>\b(?:https?://|www\.)[^\s<>\"]+)"
_STRONG = r"(?<![\w*])\*\*(?P<strong>[^\s*](?:.*?[^\s*])?)\*\*(?![\w*])"
_STAR = r"(?<![\w*])\*(?P<star>[^\s*](?:.*?[^\s*])?)\*(?![\w*])"
_UNDERSCORE = r"(?<![\w_])_(?P<under>[^\s_](?:.*?[^\s_])?)_(?![\w_])"
_MARKS = re.compile("|".join((_URL, _STRONG, _STAR, _UNDERSCORE)), re.DOTALL)

# Punctuation that ends a sentence after a URL rather than belonging to it.
_URL_TRAILING = ".,;:!?'\"”’)]}"


def parse_inlines(text: str) -> tuple[Inline, ...]:
    """Split ``text`` into inline nodes; adjacent text merges into one ``Text``."""
    if not _may_hold_marks(text):
        return (Text(text),) if text else ()
    nodes: list[Inline] = []
    position = 0
    for match in _MARKS.finditer(text):
        if match.start() < position:
            continue
        kind = match.lastgroup
        if kind == "url":
            url = _trim_url(match.group("url"))
            _append_text(nodes, text[position : match.start()])
            target = url if "://" in url else "http://" + url
            nodes.append(Link(target, (Text(url),)))
            position = match.start() + len(url)
            continue
        _append_text(nodes, text[position : match.start()])
        inner = parse_inlines(match.group(kind))
        nodes.append(Strong(inner) if kind == "strong" else Emphasis(inner))
        position = match.end()
    _append_text(nodes, text[position:])
    return tuple(nodes)


def _may_hold_marks(text: str) -> bool:
    """False when no mark can match: no ``*``, no ``_`` and nothing a URL starts with. Most
    paragraphs hold none, and these substring tests cost far less than trying ``_MARKS`` (four
    alternatives with look-behinds) at every character."""
    return "*" in text or "_" in text or "://" in text or "www." in text


def _append_text(nodes: list[Inline], text: str) -> None:
    if not text:
        return
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].text + text)
    else:
        nodes.append(Text(text))


def _trim_url(url: str) -> str:
    """Drop sentence punctuation after a URL, keeping a closing bracket the URL itself opened."""
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url
