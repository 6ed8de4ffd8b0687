"""Flattened layout: a work whose line breaks were all lost (HTML stripped of its tags).

Such a file is one long line (at least ``_MIN_LENGTH`` characters). Stripping the tags took the
space from between paragraphs but left the spaces between a paragraph's sentences, so a paragraph's
end shows as a seam, text glued to text with no space. The seams split paragraphs:

- a sentence end glued to the next start: ``boy.Living``, ``better.”Mr``, ``Tuesdays).A.Z.``;
- a closing quote glued to the next paragraph: ``Bookseller”This``, ``an—”“—Adult thing``;
- a colon glued to what it introduces: ``it says:“I open``, ``help you out:DO come``;
- a line cut off by the next speaker: ``readying an—“Eggs, huh?”``; a signature: ``Godspeed.—pageknight``;
- a footnote's entry: ``offer?[2]\u00a0Liam``; the no-break spaces an empty paragraph left
  (``system.\u00a0If``), in a text whose no-break spaces stand at sentence ends, not between words
  (where they are the spaces around an emphasised word: ``an\u00a0egg.\u00a0What``).

A run of three or more symbols glued between two sentences is a scene break
(``before.♔ ☩ ♔ ☩ ♔Liam``). The title is a title-cased run glued to the text at the very start
(``Blessed/Cursed RetirementLiam Buttersby was…``). A chapter heading glued to its text at the start
of a paragraph opens a chapter: ``Part I: Getting In The DoorWalking up…`` (label "Part I", title
"Getting In The Door"), ``Chapter 2: The ReturnShe had…``, ``Chapter 3She had…``,
``PrologueThe night…``. A heading must end in such a glued seam and read as a title; when unsure it
stays a paragraph.

When the export lost the spaces between sentences too, every sentence is a seam; then the sentences
are gathered again into paragraphs of a reading size, a new one at each change of speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from converter.document import Block, Chapter, Metadata, SceneBreak, Work
from converter.parse.blocks import paragraph
from converter.parse.chapter_heading import match_heading

# Long enough that one line cannot be a short note that simply lacks a final newline.
_MIN_LENGTH = 2000
_QUOTE_OPEN = '“"‘'
# Paragraph seams, each a place with no space where a paragraph's end was. Capital letters before
# a stop are excluded, so "A.Z. Fell" stays whole.
_SEAM = re.compile(
    "|".join(
        (
            rf"(?<=[a-z0-9)][.!?])(?=[A-Z{_QUOTE_OPEN}])",  # "boy.Living", "Tuesdays).A.Z."
            rf"(?<=[.!?,…—–][”\"’])(?=[A-Z{_QUOTE_OPEN}])",  # "better.”Mr", "Bye…”“Wait", "an—”“—Adult"
            r"(?<=\w”)(?=[A-Z“])",  # "A.Z. Fell, Bookseller”This reads"
            rf"(?<=[a-z]:)(?=[A-Z{_QUOTE_OPEN}])",  # "it says:“I open", "out:DO come"
            r"(?<=[a-z][—–])(?=“[A-Z])",  # "readying an—“Eggs, huh?”"
            r"(?<=[a-z][.!?])(?=—\w)",  # "Godspeed.—pageknight"
            r"(?<=[.!?])[\s\u00a0]*(?=\[\d{1,3}\]\u00a0)",  # "offer?[2] Liam": a footnote's entry
        )
    )
)
# "system.\u00a0If you’re new": the no-break space of an empty paragraph ("<p>&nbsp;</p>").
_SPACER_SEAM = re.compile(r"(?<=[.!?”\"’):])[ \t]*\u00a0[\s\u00a0]*(?=[^\s\u00a0\[])")
_SPACER = re.compile(r"[ \t]*\u00a0[\s\u00a0]*")
# No-break spaces between two words in more than this share of their places: they are word spaces.
_SPACERS_BETWEEN_WORDS = 0.2
# Ornament symbols: anything but letters, digits, spaces and the punctuation of running text.
_ORNAMENT = r"[^\w\s.,;:!?“”‘’\"'()\[\]{}\-–—…&/%@$£€]"
_SCENE_BREAK = re.compile(rf"(?<=[.!?”\"’)])[\s\u00a0]*(?:{_ORNAMENT}[ \u00a0]*){{3,}}(?=[A-Z{_QUOTE_OPEN}])")
_TITLE_SEAM = re.compile(r"(?<=[a-z)?!])(?=[A-Z][a-z])")
_TITLE_MAX = 200

# --- Headings glued to their text -----------------------------------------------------------------

_NUMBER_WORDS = (
    "Twenty|Thirty|Forty|Fifty|Eleven|Twelve|Thirteen|Fourteen|Fifteen|Sixteen|Seventeen|Eighteen"
    "|Nineteen|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten"
)
# "Chapter 2", "Part II", "Book Three", "Prologue": only the forms that begin a heading (a capital
# keyword), so "part of it" and "chapter two of her life" are never looked at.
_GLUED_LABEL = re.compile(
    rf"^(?P<label>(?:Chapter|CHAPTER|Part|PART|Book|BOOK|Act|ACT|Volume)\s+"
    rf"(?:\d{{1,3}}|[IVXLC]{{1,7}}|{_NUMBER_WORDS})|Prologue|PROLOGUE|Epilogue|EPILOGUE|Interlude)"
    # What may follow: a separator, or the text glued on ("Part IIIt was" is "Part II" + "It").
    r"(?=\s*[:.\-–—]|[A-Z][a-z]|“[A-Z])"
)
_GLUED_SEPARATOR = re.compile(r"\s*[:.\-–—]\s*")
# Where a heading's title ends and the text begins: "DoorWalking", "Return?She", "2She".
_HEADING_SEAM = re.compile(r"(?<=[\w)?!’”])(?=[A-Z][a-z])|(?<=[\w)?!’”])(?=[A-Z]\s)|(?<=[\w)?!])(?=“[A-Z])")
# Name prefixes a capital follows inside one word ("McGonagall", "DeLuca", "O’Brien", "iPhone").
_NAME_PREFIX = re.compile(r"Mc|Mac|O’|O'|D’|D'|De|Di|Da|Du|La|Le|Van|Von|[a-z]")
_HEADING_TITLE_MAX_WORDS = 12
_HEADING_TITLE_MAX = 100


@dataclass(frozen=True)
class _GluedHeading:
    label: str
    title: str
    rest: str  # the paragraph's text after the heading


def _glued_heading(text: str) -> _GluedHeading | None:
    """The chapter heading glued to the start of a paragraph's ``text``, when it reads as one."""
    match = _GLUED_LABEL.match(text)
    if not match:
        return None
    label, after = match["label"], text[match.end() :]
    separator = _GLUED_SEPARATOR.match(after)
    title, rest = "", after  # "Chapter 3She had…", "PrologueThe night…": glued straight on
    if separator is not None:
        after = after[separator.end() :]
        split = _title_end(after)
        if split is not None and _reads_as_title(after[:split]):
            title, rest = after[:split].strip(), after[split:]  # "Part I: Getting In The Door"
        elif separator.group(0) in (":", ".") and re.match(r"[A-Z][a-z]|“[A-Z]", after):
            rest = after  # "Chapter 2.She had…": a heading with no title, glued at its stop
        else:
            return None
    heading = match_heading(f"{label}: {title}" if title else label)
    if heading is None or heading.kind not in ("numbered", "named") or len(rest.split()) < 3:
        return None
    return _GluedHeading(label, title, rest)


def _title_end(text: str) -> int | None:
    """Where a glued heading's title meets the text ("Getting In The Door|Walking up"), skipping
    the capitals inside a name ("Mc|Gonagall")."""
    for seam in _HEADING_SEAM.finditer(text, 1, _HEADING_TITLE_MAX + 1):
        if not _NAME_PREFIX.fullmatch(text[: seam.start()].split(" ")[-1]):
            return seam.start()
    return None


def _reads_as_title(title: str) -> bool:
    """A short run with no sentence inside it, title-cased unless it is only a few words."""
    words = title.split()
    if not words or len(words) > _HEADING_TITLE_MAX_WORDS or re.search(r"[.!?]\s", title):
        return False
    long_words = [word for word in re.findall(r"[^\W\d_]+", title) if len(word) > 3]
    capitalised = sum(1 for word in long_words if word[0].isupper())
    return len(words) <= 4 or capitalised >= 0.6 * len(long_words)


# --- Paragraphs -----------------------------------------------------------------------------------

# The sentences of a text that lost its sentence spaces too, gathered into paragraphs this long.
_PARAGRAPH_WORDS = 70
# Fewer spaced sentence ends than this share of the glued ones: the seams are sentence ends.
_SPACED_SHARE = 0.1
_SPACED_END = re.compile(r"[a-z][.!?][”\"’]? +[A-Z“\"]")
_GLUED_END = re.compile(r"[a-z][.!?][”\"’]?[A-Z“\"]")


def _pieces(text: str) -> list[str | SceneBreak]:
    """The text cut at its scene breaks and paragraph seams, in order."""
    pieces: list[str | SceneBreak] = []
    spacer = _SPACER_SEAM if _spacers_end_paragraphs(text) else None
    for number, part in enumerate(_SCENE_BREAK.split(text)):
        if number:
            pieces.append(SceneBreak())
        for piece in _SEAM.split(part):
            pieces.extend(bit for bit in (spacer.split(piece) if spacer else [piece]) if bit.strip())
    return pieces


def _spacers_end_paragraphs(text: str) -> bool:
    """True when the text's no-break spaces stand where paragraphs ended, rarely between words."""
    runs = list(_SPACER.finditer(text))
    between = sum(
        1
        for run in runs
        if run.start() and text[run.start() - 1].isalnum() and text[run.end() : run.end() + 1].isalnum()
    )
    return bool(runs) and between <= _SPACERS_BETWEEN_WORDS * len(runs)


def _sentences_glued(text: str) -> bool:
    """True when the spaces between sentences were lost as well as the paragraph breaks."""
    glued = len(_GLUED_END.findall(text))
    return glued >= 20 and len(_SPACED_END.findall(text)) < _SPACED_SHARE * glued


def _regroup(sentences: list[str]) -> list[str]:
    """Sentences gathered into paragraphs: a new one at a change of speaker, or when long enough."""
    paragraphs: list[list[str]] = []
    words = 0
    for sentence in sentences:
        speech = sentence.lstrip().startswith(tuple(_QUOTE_OPEN))
        previous = paragraphs[-1][-1] if paragraphs else ""
        turn = speech or previous.rstrip().endswith(("”", '"'))
        if not paragraphs or turn or words >= _PARAGRAPH_WORDS:
            paragraphs.append([])
            words = 0
        paragraphs[-1].append(sentence.strip())
        words += len(sentence.split())
    return [" ".join(group) for group in paragraphs]


# --- The work -------------------------------------------------------------------------------------


@dataclass
class _Draft:
    label: str = ""
    title: str = ""
    texts: list[str | SceneBreak] = field(default_factory=list)
    evidence: tuple[str, ...] = ()


def parse_flattened(lines: list[str]) -> Work | None:
    """Parse a one-line text, or return ``None`` when the text has line breaks of its own."""
    filled = [line for line in lines if line.strip()]
    if len(filled) != 1 or len(filled[0]) < _MIN_LENGTH:
        return None
    text = filled[0].strip()
    title, text = _glued_title(text)
    pieces = _pieces(text)
    headings = _trusted_headings(pieces)
    drafts = [_Draft()]
    for index, piece in enumerate(pieces):
        heading = headings.get(index)
        if heading is None:
            drafts[-1].texts.append(piece)
            continue
        glued = f"{heading.label}: {heading.title}" if heading.title else heading.label
        evidence = (f"“{glued}” glued to the text after a paragraph's end, in a text with no line breaks",)
        drafts.append(_Draft(heading.label, heading.title, [heading.rest], evidence))
    if not drafts[0].texts and len(drafts) > 1:
        drafts.pop(0)
    regroup = _sentences_glued(text)
    chapters = tuple(
        Chapter(
            number=number,
            label=draft.label,
            title=draft.title,
            body=_blocks(draft.texts, regroup),
            heading_line=1 if draft.label else None,
            evidence=draft.evidence,
        )
        for number, draft in enumerate(drafts, start=1)
    )
    return Work(meta=Metadata(title=title), chapters=chapters)


def _trusted_headings(pieces: list[str | SceneBreak]) -> dict[int, _GluedHeading]:
    """The glued headings among ``pieces`` by position. One with no title ("Chapter 3She had…")
    is trusted only beside another heading: alone it may be a sentence that lost its space."""
    found = {
        index: heading
        for index, piece in enumerate(pieces)
        if isinstance(piece, str) and (heading := _glued_heading(piece)) is not None
    }
    if len(found) == 1 and not next(iter(found.values())).title:
        return {}
    return found


def _blocks(texts: list[str | SceneBreak], regroup: bool) -> tuple[Block, ...]:
    """Paragraphs and scene breaks; the sentences between two breaks regrouped when asked."""
    blocks: list[Block] = []
    run: list[str] = []

    def flush() -> None:
        blocks.extend(paragraph(part) for part in (_regroup(run) if regroup else run))
        run.clear()

    for piece in texts:
        if isinstance(piece, SceneBreak):
            flush()
            if blocks and not isinstance(blocks[-1], SceneBreak):
                blocks.append(piece)
        else:
            run.append(piece)
    flush()
    while blocks and isinstance(blocks[-1], SceneBreak):
        blocks.pop()
    return tuple(blocks)


def _glued_title(text: str) -> tuple[str, str]:
    """Split "Title WordsFirst sentence…" into the title and the text, when the start is title-cased."""
    match = _TITLE_SEAM.search(text, 0, _TITLE_MAX)
    if not match:
        return "", text
    title = text[: match.start()].strip()
    words = [word for word in re.findall(r"[^\W\d_]+", title) if len(word) > 3]
    capitalised = sum(1 for word in words if word[0].isupper())
    if not words or capitalised < 0.6 * len(words):
        return "", text
    return title, text[match.start() :]
