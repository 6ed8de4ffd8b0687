"""Chapter headings chosen by the evidence of the whole text, not line by line.

A line that *could* open a chapter (``chapter_heading.match_heading``) is only a candidate. The
candidates are grouped into series by the unit they name (``CHAPTER``s, ``BOOK``s, ``ACT``s and
scenes, lone numbers, Markdown levels), and a series is trusted by what a reader would see in it:

- it stands apart: a blank line before each heading, and after it a blank line, its own body or a
  title line, never the rest of a hard-wrapped sentence (Moby-Dick's "BOOK I. (FOLIO), CHAPTER I.
  (SPERM WHALE).--This whale…" opens a paragraph);
- its numbers run in order, each one more than the last or starting again at one under a higher
  unit (Emma's three "CHAPTER I"s, one per volume); a number repeated at once is a running head
  ("SECOND BOOK OF OPTICKS" before each of its parts), not a new unit;
- lone numbers ("IV", "12.") count only in a run of at least three.

Trusted series nest by the unit they name (a book holds parts, a part or an act holds chapters or
scenes) when the higher one comes first: ``BOOK I`` / ``CHAPTER I`` gives a two-level contents.
A heading with no title of its own takes the short line standing below it as its title
("CHAPTER I" / "Down the Rabbit-Hole"), when the series as a whole is written that way. Every
accepted heading says why (``evidence``), which ``--outline`` shows.

When unsure, a line stays text: a series that fails these tests is left as paragraphs.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass

from converter.parse.chapter_heading import HeadingMatch, match_heading
from converter.parse.contents_list import ContentsList
from converter.parse.lines import TextProfile, is_blank, line_was_full, mostly_cjk
from converter.parse.scene_break import scene_break_marker

#: How high each unit stands: a unit holds the units ranked below it.
RANKS = {"volume": 7, "book": 6, "part": 5, "act": 5, "article": 4, "chapter": 3, "named": 3, "listed": 3,
         "cjk-title": 3, "number-title": 3, "scene": 2, "section": 2, "ruled": 2, "bare": 1}  # fmt: skip
# Lines looked at to tell whether a text indents its paragraphs with U+3000.
_INDENT_SAMPLE = 2000
# A heading right under a rule this long, set in at least this far, and no longer than this.
_LONG_RULE = 20
_RULED_INDENT = 8
_RULED_MAX_CHARS = 60
# A heading repeated with at most this many lines between is a breadcrumb over the real one.
_BREADCRUMB_LINES = 2
# Lone numbers are chapters only in a run at least this long, in order.
_MIN_BARE_RUN = 3
# A series is in order when at least this share of its steps go up by one (or restart at one).
_IN_ORDER = 0.5
_BARE_IN_ORDER = 0.8
# A title standing below a heading is short: a name, not a sentence.
_TITLE_MAX_CHARS = 80
_TITLE_MAX_WORDS = 12
_CJK_TITLE_MAX_CHARS = 30
# In a series of this many or more, titles below headings are trusted only when at least this share
# of the headings has one: one short first line under one heading of forty is text.
_TITLED_SERIES = 3
_TITLED_SHARE = 0.5
_SMALL_WORDS = frozenset(
    ("a", "an", "and", "as", "at", "but", "by", "de", "del", "des", "du", "en", "for", "from", "in", "into",
     "la", "le", "les", "of", "on", "or", "the", "to", "und", "von", "with")
)  # fmt: skip
# A title never ends on these: one that does goes on, on the next line.
_UNFINISHED = frozenset(
    ("a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with")
)
_OPENING_MARKS = "\"'“‘„«‹([{—–-*_<"
# A run-in head: a sentence starts after the head's full stop and a dash ("(FOLIO).--This whale").
_RUN_IN = re.compile(r"[.)]\s*(?:--|—)")
_SENTENCE_END = (",", ";", ":", "!", "?", "。", "！", "？", "、", "，", "”", "’", '"')


@dataclass(frozen=True)
class HeadingLine:
    """A line accepted as a chapter heading: where it is, what it says, how deep it sits in the
    contents, where its chapter's text starts (after a title line below it) and why it was taken."""

    index: int
    heading: HeadingMatch
    level: int = 0
    title_index: int | None = None  # the line below the heading that holds its title
    evidence: tuple[str, ...] = ()
    unit: str = ""  # the series it belongs to ("chapter" for "II. TITLE" after "ADVENTURE I. …")
    continued_index: int | None = None  # the line its own title runs on to, in a hard-wrapped text

    @property
    def body_start(self) -> int:
        """The first line of the chapter's own text."""
        last = max(i for i in (self.index, self.title_index, self.continued_index) if i is not None)
        return last + 1


@dataclass(frozen=True)
class _Candidate:
    index: int
    heading: HeadingMatch
    unit: str
    continued: bool = False  # its title runs on to the next line (see ``_two_line_heading``)


def find_headings(
    lines: list[str],
    start: int,
    profile: TextProfile,
    end: int | None = None,
    contents: ContentsList | None = None,
) -> list[HeadingLine]:
    """The lines of ``lines[start:end]`` that open chapters, judged against the whole text (and
    against the book's own contents list, when it has one)."""
    end = len(lines) if end is None else end
    if contents is not None:
        start = max(start, contents.end)
    candidates = _candidates(lines, start, end, profile)
    listed = contents.listed if contents is not None else {}
    known = {c.index for c in candidates}
    for index in sorted(set(listed) - known):
        # A line the contents list names ("THE GIFT OF THE MAGI") opens a story of its own.
        title = lines[index].strip()
        candidates.append(_Candidate(index, HeadingMatch("listed", "", title, unit="listed"), "listed"))
    candidates.sort(key=lambda c: c.index)
    if any(c.heading.kind == "markdown" for c in candidates):
        # A Markdown text marks its headings itself: its "#" lines are the evidence, and a line
        # reading "Chapter 3" without "#" is text.
        candidates = [c for c in candidates if c.heading.kind == "markdown"]
        # Plain "#" titles open chapters at the shallowest level only: a "### A note" under a
        # "## Chapter 2" is a heading inside the chapter (the block rules make it one).
        top = min(c.heading.level for c in candidates)
        candidates = [c for c in candidates if not c.unit.startswith("markdown") or c.heading.level == top]
    series: dict[str, list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        series[candidate.unit].append(candidate)
    _join_numbered_titles(series)
    accepted: dict[str, tuple[list[_Candidate], str]] = {}
    for unit, members in series.items():
        members = _without_repeats(lines, members)
        members = _fitting_continued(unit, members)
        verdict = _trust(unit, members)
        if verdict is not None:
            accepted[unit] = (members, verdict)
    first_bare = accepted["bare"][0][0].index if "bare" in accepted else None
    if first_bare is not None and any(
        members[0].index < first_bare for unit, (members, _) in accepted.items() if unit != "bare"
    ):
        # "I." and "II." inside each story of a collection: parts of a story, not the chapters.
        del accepted["bare"]
    levels = _levels({unit: members for unit, (members, _) in accepted.items()})
    found: list[HeadingLine] = []
    for unit, (members, verdict) in accepted.items():
        titled = _titles_below(lines, members, end, profile)
        for member in members:
            evidence = [verdict, _isolation(lines, member.index, profile)]
            if member.index in listed and unit != "listed":
                evidence.append("the book's contents list names it")
            if levels[unit]:
                evidence.append(f"a {unit} inside the higher heading before it (level {levels[unit]})")
            title_index = titled.get(member.index)
            if title_index is not None:
                evidence.append(f"its title stands on line {title_index + 1}, below it")
            continued = member.index + 1 if member.continued else None
            if continued is not None:
                evidence.append(f"its title runs on to line {continued + 1}, numbered in turn")
            found.append(
                HeadingLine(
                    member.index, member.heading, levels[unit], title_index, tuple(evidence), unit, continued
                )
            )
    found.sort(key=lambda h: h.index)
    # A title line below one heading is never the next heading too.
    title_lines = {i for h in found for i in (h.title_index, h.continued_index) if i is not None}
    return [h for h in found if h.index not in title_lines]


def _unit(heading: HeadingMatch) -> str:
    if heading.kind in ("bare", "number-title"):
        return heading.kind
    if heading.kind == "named":
        return "named"
    return heading.unit


def _candidates(lines: list[str], start: int, end: int, profile: TextProfile) -> list[_Candidate]:
    found: list[_Candidate] = []
    indented = _indents_with_ideographic_space(lines, start, end)
    blankless = _blankless(lines, start, end, profile)
    every_line = profile.line_per_paragraph or blankless or indented
    for index in range(start, end):
        line = lines[index]
        if not every_line and index > start and lines[index - 1][:1].isalnum():
            continue  # the next line of a paragraph (most lines of a text): no heading, no title
        if is_blank(line):
            continue
        if indented and _cjk_title_line(lines, index, end):
            title = HeadingMatch("cjk-title", "", line.strip(), unit="cjk-title")
            found.append(_Candidate(index, title, "cjk-title"))
            continue
        alone = _stands_alone(lines, index, profile)
        if not alone and not blankless:
            continue
        following = lines[index + 1] if index + 1 < end else ""
        if profile.wrap_width and following and line_was_full(line, following, profile.wrap_width):
            # A paragraph's first line, running on into the next (most candidates asked), unless
            # the two lines stand alone as one heading whose title was wrapped.
            two_line = _two_line_heading(lines, index, end) if alone else None
            if two_line is not None:
                found.append(_Candidate(index, two_line, _unit(two_line), continued=True))
            continue
        heading = match_heading(line)
        # With no blank lines to go by, a keyword ("CHAPTER IX.") is evidence enough; a lone
        # number or a name must at least follow the end of a paragraph.
        if not alone and heading is not None and heading.kind != "numbered" and not _after_paragraph(
            lines, index, profile
        ):
            continue
        if heading is None and _under_long_rule(lines, index):
            heading = HeadingMatch("ruled", "", line.strip(), unit="ruled")
            found.append(_Candidate(index, heading, "ruled"))
            continue
        if heading is None or _continues_as_prose(lines, index, end, heading, profile):
            continue
        if heading.kind == "markdown" and not line.startswith("#"):
            continue  # an indented "# apt-get update" is a shell prompt, not a Markdown heading
        if heading.kind == "number-title" and not _between_blank_lines(lines, index, end):
            continue  # "1. Take the train" over "2. …": a list, not headings
        if alone and heading.kind == "numbered" and _unfinished(heading.title):
            # "SESSION IV. TEXT AND" over an indented "IMAGE FORMATS": the line was broken by hand.
            two_line = _two_line_heading(lines, index, end)
            if two_line is not None:
                found.append(_Candidate(index, two_line, _unit(two_line), continued=True))
                continue
        found.append(_Candidate(index, heading, _unit(heading)))
    return found


def _indents_with_ideographic_space(lines: list[str], start: int, end: int) -> bool:
    """A Chinese or Japanese text whose paragraphs open with an ideographic space (U+3000)."""
    # The first lines tell: a sample keeps this from costing a pass over a long text.
    sample = itertools.islice(lines, start, min(end, start + _INDENT_SAMPLE))
    filled = [line for line in sample if line.strip()]
    return len(filled) >= 4 and sum(1 for line in filled if line.startswith("\u3000")) >= 0.5 * len(filled)


def _cjk_title_line(lines: list[str], index: int, end: int) -> bool:
    """In such a text, a short line flush with the margin, with no sentence end, over an indented
    paragraph, is a title ("狂人日记" over "　　某君昆仲，…")."""
    line = lines[index]
    text = line.strip()
    if line[:1].isspace() or not text or len(text) > 20 or text.endswith((*_SENTENCE_END, "。", "…")):
        return False
    following = next((lines[i] for i in range(index + 1, min(end, index + 4)) if not is_blank(lines[i])), "")
    return following.startswith("\u3000") and mostly_cjk(text) and match_heading(text) is None


def _blankless(lines: list[str], start: int, end: int, profile: TextProfile) -> bool:
    """A hard-wrapped text that lost its blank lines (a file run through a filter that dropped
    them): there, a heading is known by the short line before it, which ended a paragraph."""
    if not profile.wrap_width:
        return False
    sample = list(itertools.islice(lines, start, min(end, start + _INDENT_SAMPLE)))
    blanks = sum(1 for line in sample if not line.strip())
    return len(sample) >= _INDENT_SAMPLE // 10 and blanks < 0.01 * len(sample)


def _after_paragraph(lines: list[str], index: int, profile: TextProfile) -> bool:
    """The line before ended a paragraph: it stopped well short of the wrap width."""
    assert profile.wrap_width is not None
    before = lines[index - 1] if index else ""
    return index == 0 or not line_was_full(before, lines[index], profile.wrap_width)


def _stands_alone(lines: list[str], index: int, profile: TextProfile) -> bool:
    """A heading has a blank line before it (or starts the text), unless paragraphs in this text
    are separated by line breaks alone."""
    if profile.line_per_paragraph or index == 0:
        return True
    before = lines[index - 1]
    return not before or is_blank(before) or _is_rule(before)


def _under_long_rule(lines: list[str], index: int) -> bool:
    """A short line set far in, right under a rule across the page (at most one blank line
    between): a tutorial's or manual's section heading ("~~~~~~" / "<TAB>Lesson 1 SUMMARY")."""
    if lines[index][:1] not in (" ", "\t"):
        return False
    above = index - 1
    if above >= 0 and is_blank(lines[above]):
        above -= 1
    if above < 0 or len(lines[above]) < _LONG_RULE or not _is_rule(lines[above]):
        return False
    line = lines[index].expandtabs(8)
    return len(line) - len(line.lstrip()) >= _RULED_INDENT and len(line.strip()) <= _RULED_MAX_CHARS


def _between_blank_lines(lines: list[str], index: int, end: int) -> bool:
    before = index == 0 or is_blank(lines[index - 1])
    return before and (index + 1 >= end or is_blank(lines[index + 1]))


def _is_rule(line: str) -> bool:
    """A line drawn across the page ("~~~~~~~~", "--------"): a heading may stand right under it."""
    text = line.strip()
    return len(text) >= 3 and text[0] in "~-=_*#" and len(set(text)) == 1


def _continues_as_prose(
    lines: list[str], index: int, end: int, heading: HeadingMatch, profile: TextProfile
) -> bool:
    """True when the line is the first line of a wrapped paragraph: the text runs on into the next
    line ("BOOK I. (FOLIO), CHAPTER I. (SPERM WHALE).--This whale, well known…")."""
    following = index + 1
    if following >= end or is_blank(lines[following]) or profile.line_per_paragraph:
        return False
    if profile.wrap_width and line_was_full(lines[index], lines[following], profile.wrap_width):
        return True
    title = heading.title
    return bool(title) and (title.endswith(",") or len(title.split()) > _TITLE_MAX_WORDS)


def _two_line_heading(lines: list[str], index: int, end: int) -> HeadingMatch | None:
    """A keyword heading whose title was wrapped onto one more line, the two standing alone
    between blank lines ("CHAPTER 9. Of the Long Road Home and What the" / "Ferryman Said."), with
    the title joined. A paragraph opening with a run-in head ("BOOK I. (FOLIO).--This whale…") runs
    on for more lines, or reads as a sentence: it stays text. Such a heading is kept only when its
    number follows on from its series' (``_fitting_continued``)."""
    after = index + 2
    if after >= end or not is_blank(lines[after]) or is_blank(lines[index + 1]):
        return None
    rest = lines[index + 1].strip()
    words = rest.split()
    if len(rest) > _TITLE_MAX_CHARS or len(words) > _TITLE_MAX_WORDS or rest.endswith(_SENTENCE_END[:3]):
        return None
    heading = match_heading(lines[index])
    if heading is None or heading.kind != "numbered" or not heading.title or heading.number is None:
        return None
    if _RUN_IN.search(heading.title) or heading.title.endswith((".", "!", "?")):
        return None  # "(SPERM WHALE).--This whale": the heading is over and a sentence begins
    title = f"{' '.join(heading.title.split())} {' '.join(words)}"
    if len(title) > 2 * _TITLE_MAX_CHARS or not _title_like(title.split()) or match_heading(rest) is not None:
        return None
    return dataclasses.replace(heading, title=title)


def _unfinished(title: str) -> bool:
    words = title.split()
    return bool(words) and words[-1].lower() in _UNFINISHED


def _fitting_continued(unit: str, members: list[_Candidate]) -> list[_Candidate]:
    """Keep a two-line heading only in a series of at least two one-line headings (which, with
    it, must then be trusted as any series is), and only when its number follows the heading
    before it or leads to the one after: "CHAPTER 56" between "CHAPTER 55" and "CHAPTER 57"."""
    if not any(m.continued for m in members):
        return members
    plain = [m for m in members if not m.continued]
    if len(plain) < 2:
        return plain
    kept: list[_Candidate] = []
    for position, member in enumerate(members):
        if member.continued:
            number = member.heading.number
            before = members[position - 1].heading.number if position else None
            after = members[position + 1].heading.number if position + 1 < len(members) else None
            fits = number is not None and (before == number - 1 or after == number + 1)
            if not fits:
                continue
        kept.append(member)
    return kept


def _join_numbered_titles(series: dict[str, list[_Candidate]]) -> None:
    """ "II. THE RED-HEADED LEAGUE" goes on the series "ADVENTURE I. A SCANDAL IN BOHEMIA" began,
    when its numbers follow that series' own."""
    numbered = series.get("number-title", [])
    members = series.get("chapter", [])
    if numbered and members:
        # Only a chapter-like series goes on this way, and only counting up: "BOOK I" over
        # "I. The Period" is a book holding its chapters, not one series.
        joined = sorted(members + numbered, key=lambda c: c.index)
        numbers = [c.heading.number or 0 for c in joined]
        if joined[0] in members and all(b > a for a, b in itertools.pairwise(numbers)):
            series["chapter"] = [dataclasses.replace(c, unit="chapter") for c in joined]
            del series["number-title"]


def _without_repeats(lines: list[str], members: list[_Candidate]) -> list[_Candidate]:
    """Drop a heading that repeats the number of the one before it in its series: a running
    head or a repeated book title, not a new unit. When only a line or two stand between the two
    (a web page's breadcrumb "第一章 绯红" over its heading "第一章 绯红（1 / 1）"), the first
    is the page's furniture and the second opens the text."""
    kept: list[_Candidate] = []
    for member in members:
        number = member.heading.number
        if kept and number is not None and kept[-1].heading.number == number and member.unit != "named":
            between = sum(1 for i in range(kept[-1].index + 1, member.index) if not is_blank(lines[i]))
            if between <= _BREADCRUMB_LINES:
                kept[-1] = member
            continue
        kept.append(member)
    return kept


def _in_order_share(numbers: list[int | None]) -> float:
    """The share of steps in a series that go up by one, or start again at one (or, for "1.2"
    numbering, go on to the next lesson)."""
    values = [n for n in numbers if n is not None]
    if len(values) < 2:
        return 1.0
    good = 0
    for a, b in itertools.pairwise(values):
        if b == a + 1 or b in (1, 1001) or (a >= 1000 and b // 1000 == a // 1000 + 1 and b % 1000 <= 1):
            good += 1
    return good / (len(values) - 1)


def _trust(unit: str, members: list[_Candidate]) -> str | None:
    """Why a series is trusted, or ``None`` when it stays text."""
    count = len(members)
    share = _in_order_share([m.heading.number for m in members])
    titles = [m.heading.title for m in members]
    if unit.startswith("markdown") and count >= _TITLED_SERIES and _formulaic(titles):
        return None  # "### START: scan-12.txt ###" markers: furniture of a scan, not headings
    if unit == "ruled":
        if count >= _TITLED_SERIES:
            return f"one of {count} lines set in under a rule across the page"
        return None
    if unit == "cjk-title":
        if count >= 2:
            return f"one of {count} short lines flush with the margin over indented paragraphs"
        return None
    if unit == "listed":
        return f"one of {count} lines that the book's contents list names, in its order"
    if unit == "named" or unit.startswith("markdown"):
        return f"a {unit.replace('-', ' level ')} heading ({count} in the text)"
    if unit == "number-title":
        titled = all(
            _title_like(m.heading.title.split()) and len(m.heading.title.split()) <= _TITLE_MAX_WORDS
            for m in members
        )
        if count >= _MIN_BARE_RUN and share >= _BARE_IN_ORDER and titled:
            return f"one of a run of {count} numbered titles in order ({share:.0%} of steps)"
        return None
    if unit == "bare":
        if count >= _MIN_BARE_RUN and share >= _BARE_IN_ORDER:
            return f"one of a run of {count} lone numbers in order ({share:.0%} of steps)"
        return None
    if count == 1:
        return f"a {unit} heading, the only one in the text"
    if share >= _IN_ORDER:
        return f"one of {count} {unit} headings numbered in order ({share:.0%} of steps)"
    return None


def _levels(accepted: dict[str, list[_Candidate]]) -> dict[str, int]:
    """Each unit's depth: the number of higher units that open before its first heading. Named
    sections (a prologue, an epilogue) stand at the top."""
    first = {unit: members[0].index for unit, members in accepted.items() if members}
    levels: dict[str, int] = {}
    for unit in accepted:
        if unit == "named" or unit.startswith("markdown"):
            levels[unit] = 0 if unit == "named" else _markdown_level(unit, accepted)
            continue
        rank = RANKS.get(unit, 3)
        higher = [
            other for other in accepted
            if other not in ("named",) and not other.startswith("markdown")
            and RANKS.get(other, 3) > rank and first[other] < first[unit]
        ]  # fmt: skip
        levels[unit] = len({RANKS.get(other, 3) for other in higher})
    return levels


def _markdown_level(unit: str, accepted: dict[str, list[_Candidate]]) -> int:
    """``#`` headings at the top, ``##`` one below them when the text has both."""
    depth = int(unit.rsplit("-", 1)[1])
    shallower = {u for u in accepted if u.startswith("markdown") and int(u.rsplit("-", 1)[1]) < depth}
    return len(shallower)


def _isolation(lines: list[str], index: int, profile: TextProfile) -> str:
    if profile.line_per_paragraph:
        return "a line of its own in a text of one paragraph per line"
    return "stands alone after a blank line"


def _titles_below(
    lines: list[str], members: list[_Candidate], end: int, profile: TextProfile
) -> dict[int, int]:
    """For each heading of a series without a title of its own, the line below it holding its
    title, when the series is written that way."""
    below: dict[int, int] = {}
    untitled = [m for m in members if not m.heading.title]
    for member in untitled:
        title_index = _title_line_below(lines, member.index, end, profile)
        if title_index is not None:
            below[member.index] = title_index
    if len(untitled) >= _TITLED_SERIES and len(below) < _TITLED_SHARE * len(untitled):
        return {}
    if len(below) >= _TITLED_SERIES and _formulaic([lines[i] for i in below.values()]):
        return {}  # "Enter Viola and Clowne." under most scenes: a stage direction, not a title
    return below


def _formulaic(texts: list[str]) -> bool:
    """True when most lines open with the same word (not an article): a formula of the text, such
    as a play's "Enter …" or a scan's "START: …" markers, not a run of names."""
    firsts = [text.split()[0].lower().strip(".,:") for text in texts if text.split()]
    if not firsts:
        return False
    word, count = max(((w, firsts.count(w)) for w in set(firsts)), key=lambda pair: pair[1])
    if len(firsts) >= 2 * _TITLED_SERIES and len(set(firsts)) <= 2:
        return True  # "START: …" and "END: …" by turns
    return word not in _SMALL_WORDS and count > 0.5 * len(firsts)


def _title_line_below(lines: list[str], index: int, end: int, profile: TextProfile) -> int | None:
    """The short title-like line at most two blank lines below a heading, standing alone."""
    probe = index + 1
    blanks = 0
    while probe < end and is_blank(lines[probe]):
        probe += 1
        blanks += 1
    if probe >= end or blanks > 2:
        return None
    text = lines[probe].strip()
    after = probe + 1
    alone = after >= end or is_blank(lines[after])
    cjk = mostly_cjk(text)
    if not alone and not (cjk or profile.line_per_paragraph):
        return None
    if match_heading(text) is not None or scene_break_marker(text) is not None:
        return None
    if text[:1] in _OPENING_MARKS or text.endswith(_SENTENCE_END):
        return None
    if cjk:
        return probe if len(text) <= _CJK_TITLE_MAX_CHARS and not text.endswith(("。", "…")) else None
    words = text.split()
    if len(text) > _TITLE_MAX_CHARS or len(words) > _TITLE_MAX_WORDS or not _title_like(words):
        return None
    if text.endswith(".") and len(words) > 8:
        return None
    return probe


def _title_like(words: list[str]) -> bool:
    """ALL CAPS, or most words that matter capitalised ("Down the Rabbit-Hole"); a script without
    capitals (Chinese, Korean) says nothing either way, so it is not."""
    letters = [w for w in words if any(ch.isalpha() for ch in w)]
    if not letters or not any(ch.lower() != ch.upper() for w in letters for ch in w):
        return False
    if all(w.upper() == w for w in letters):
        return True
    significant = [w for w in letters if w.lower().strip(".,") not in _SMALL_WORDS] or letters[:1]
    capitalised = sum(1 for w in significant if w.lstrip("\"'“‘(")[:1].isupper())
    return letters[0].lstrip("\"'“‘(")[:1].isupper() and capitalised >= 0.6 * len(significant)
