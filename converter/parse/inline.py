"""Inline marks in plain text: ``**strong**``, ``*emphasis*``, ``_emphasis_`` and bare URLs.

A mark is read only when it is balanced and hugs its words, the way a person reads it:
``*sigh*``, ``_Pride and Prejudice_`` and a single letter, ``_I_`` or ``*a*``, are emphasis (also
beside punctuation: ``(_I_)``, ``"_I_,``); ``2 * 3 * 4``, ``a * b``, ``snake_case_name`` and a lone
``*`` or ``_`` stay text. Whatever is not a mark stays exactly as written, so no character of the
author's is lost except the delimiters themselves.

- An opening mark has no word character (nor another of its own character) just before it, and a
  character that is neither space nor its own character just after it.
- A closing mark is the mirror: neither space nor its own character just before it, no word character
  (nor its own character) just after it.
- An opening mark pairs with the *nearest* closing mark of its kind after it, so ``_I_ said _Pride_``
  is two emphases, not one from the first ``_`` to the last. An opening mark with no closing mark
  after it stays text, and the words after it are read for marks of their own.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from converter.document import Emphasis, Inline, Link, Strong, Text

# Where a mark or a URL may begin. Order matters: a URL is taken before emphasis so
# ``http://a.b/x_y_z`` keeps its underscores, and ``**`` before ``*`` so strong is not read as two
# emphases. Only the opening is matched here; the closing is looked up in a list made once per text
# (``_nearest_closing``). A single pattern with a lazy ``.*?`` up to the closing mark both paired a
# single letter with the wrong closing mark (``(?:.*?x)?`` prefers its longer branch) and, for each
# opening mark without a closing one, scanned to the end of the text: quadratic on a long line of
# ``*word *word …``. Looking the closing mark up keeps the whole parse linear.
_URL = r"(?P<url>\b(?:https?://|www\.)[^\s<>\"]+)"
_OPENING = re.compile(
    _URL
    + r"|(?<![\w*])(?P<strong>\*\*)(?=[^\s*])"
    + r"|(?<![\w*])(?P<star>\*)(?=[^\s*])"
    + r"|(?<![\w_])(?P<under>_)(?=[^\s_])"
)
_CLOSING = {
    "strong": re.compile(r"(?<=[^\s*])\*\*(?![\w*])"),
    "star": re.compile(r"(?<=[^\s*])\*(?![\w*])"),
    "under": re.compile(r"(?<=[^\s_])_(?![\w_])"),
}

# Punctuation that ends a sentence after a URL rather than belonging to it.
_URL_TRAILING = ".,;:!?'\"”’)]}"


def parse_inlines(text: str) -> tuple[Inline, ...]:
    """Split ``text`` into inline nodes; adjacent text merges into one ``Text``."""
    if not _may_hold_marks(text):
        return (Text(text),) if text else ()
    nodes: list[Inline] = []
    closing: dict[str, list[int]] = {}
    position = 0  # text[:position] is in nodes
    search_from = 0
    while match := _OPENING.search(text, search_from):
        kind = match.lastgroup
        start = match.start()
        if kind == "url":
            url = _trim_url(match.group("url"))
            _append_text(nodes, text[position:start])
            target = url if "://" in url else "http://" + url
            nodes.append(Link(target, (Text(url),)))
            # The trimmed punctuation is text; none of it can begin a mark, so searching on from
            # the end of the match skips nothing.
            position, search_from = start + len(url), match.end()
            continue
        assert kind is not None
        inner_start = match.end()
        end = _nearest_closing(text, kind, inner_start, closing)
        if end is None:  # unbalanced: the mark is text, and what follows it is read on its own
            search_from = start + 1
            continue
        _append_text(nodes, text[position:start])
        # Nesting stays shallow: the inner text holds no closing mark of the outer kind (the
        # nearest one ended it), so each level is a different kind and the recursion at most three
        # deep, and the parse stays linear.
        inner = parse_inlines(text[inner_start:end])
        nodes.append(Strong(inner) if kind == "strong" else Emphasis(inner))
        position = search_from = end + len(match.group(kind))
    _append_text(nodes, text[position:])
    return tuple(nodes)


def _nearest_closing(text: str, kind: str, inner_start: int, closing: dict[str, list[int]]) -> int | None:
    """Where the closing mark nearest after ``inner_start`` begins, leaving at least one character
    inside; ``None`` when there is none. The positions of a kind's closing marks are found once per
    text, on its first opening mark, so each later look-up is a bisection, not a scan."""
    if kind not in closing:
        closing[kind] = [found.start() for found in _CLOSING[kind].finditer(text)]
    positions = closing[kind]
    # No closing mark can begin at ``inner_start`` itself (the opening mark's own character is just
    # before it), so the inner text is never empty and a mark that is both an opening and a closing
    # one, the ``*`` of ``(*)``, never closes itself.
    index = bisect_left(positions, inner_start)
    return positions[index] if index < len(positions) else None


def _may_hold_marks(text: str) -> bool:
    """False when no mark can match: no ``*``, no ``_`` and nothing a URL starts with. Most
    paragraphs hold none, and these substring tests cost far less than trying ``_OPENING`` (four
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
