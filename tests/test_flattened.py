"""The flattened layout on its own: one-line texts whose line breaks were lost, split back into
chapters at glued headings and into paragraphs at glued seams, with every word kept."""

from __future__ import annotations

from converter.document import Paragraph, SceneBreak, Work, block_text
from converter.parse.flattened import parse_flattened
from tests.support import words

# Filler of plain spaced sentences: one paragraph, long enough for the layout to take the text. It
# ends in a stop with no space, so what is glued after it starts a paragraph.
_FILLER = ("The rain kept on all afternoon and nobody in the house minded it at all. " * 30).rstrip()


def _parse(*parts: str) -> Work:
    work = parse_flattened(["".join(parts)])
    assert work is not None
    return work


def _texts(work: Work) -> list[str]:
    return [block_text(block) for chapter in work.chapters for block in chapter.body]


def _headings(work: Work) -> list[tuple[str, str]]:
    return [(chapter.label, chapter.title) for chapter in work.chapters]


def _all_words(work: Work) -> str:
    heads = " ".join(f"{c.label} {c.title}" for c in work.chapters)
    return " ".join([work.meta.title, heads, *_texts(work)])


def test_text_with_line_breaks_is_not_flattened():
    assert parse_flattened(["A short note.", "", "Another line."]) is None
    assert parse_flattened(["Too short to be a flattened work."]) is None


def test_glued_headings_open_chapters_with_label_and_title():
    source = (
        "The Long Way RoundIt began at the station. "
        + _FILLER
        + "Part I: Getting In The DoorWalking up to the door, she stopped."
        + _FILLER
        + "Chapter 2: The ReturnShe had never been back."
        + _FILLER
    )
    work = _parse(source)
    assert work.meta.title == "The Long Way Round"
    assert _headings(work) == [("", ""), ("Part I", "Getting In The Door"), ("Chapter 2", "The Return")]
    assert work.chapters[1].body[0] == Paragraph(work.chapters[1].body[0].inlines)
    assert block_text(work.chapters[1].body[0]).startswith("Walking up to the door")
    assert block_text(work.chapters[2].body[0]).startswith("She had never been back.")
    assert work.chapters[1].evidence and work.chapters[1].heading_line == 1
    assert not words(source) - words(_all_words(work))


def test_headings_glued_without_a_title_or_with_a_name_in_it():
    work = _parse(
        _FILLER,
        "Chapter 3She walked in.",
        _FILLER,
        "Part IIIt was late.",
        _FILLER,
        "PrologueThe night was long.",
        _FILLER,
        "Chapter 4: Meeting McGonagallShe was sterner than expected.",
        _FILLER,
    )
    assert _headings(work)[1:] == [
        ("Chapter 3", ""),
        ("Part II", ""),
        ("Prologue", ""),
        ("Chapter 4", "Meeting McGonagall"),
    ]
    assert block_text(work.chapters[2].body[0]).startswith("It was late.")


def test_prose_that_opens_like_a_heading_stays_text():
    work = _parse(
        _FILLER,
        "Chapter 5 was the one she liked best.",
        "Part of her wanted to stay.",
        "Part III: the one the family never talked about, was the reason she left.",
        "Book 2 of the album had a photograph in it.",
        _FILLER,
    )
    assert len(work.chapters) == 1 and _headings(work) == [("", "")]


def test_a_lone_heading_with_no_title_stays_text():
    work = _parse(_FILLER, "Chapter 3She walked in.", _FILLER)
    assert len(work.chapters) == 1
    assert any(text.startswith("Chapter 3She walked in.") for text in _texts(work))


def test_paragraph_seams_of_every_kind_split_paragraphs():
    work = _parse(
        _FILLER,
        "He said it twice.“Why?” she asked.",
        "“Because,” he said, “it’s true.”“Is it?”",
        "It was signed, A.Z. Fell, Bookseller”This reads like a riddle.",
        "Here are the rules:DO knock first.",
        "He was readying an—“Stop right there!” came a voice.",
        "We wish you the best.—the authors",
    )
    texts = _texts(work)[1:]
    assert texts == [
        "He said it twice.",
        "“Why?” she asked.",
        "“Because,” he said, “it’s true.”",
        "“Is it?”",
        "It was signed, A.Z. Fell, Bookseller”",
        "This reads like a riddle.",
        "Here are the rules:",
        "DO knock first.",
        "He was readying an—",
        "“Stop right there!” came a voice.",
        "We wish you the best.",
        "—the authors",
    ]


def test_glued_symbols_between_sentences_are_a_scene_break():
    work = _parse(_FILLER, " End of the day.♔\u00a0☩\u00a0♔\u00a0☩\u00a0♔The next morning came. ", _FILLER)
    body = work.chapters[0].body
    assert sum(isinstance(block, SceneBreak) for block in body) == 1
    assert block_text(body[body.index(SceneBreak()) + 1]).startswith("The next morning came.")


def test_no_break_spaces_split_only_where_they_stand_for_empty_paragraphs():
    spacers = _parse(_FILLER, "It ended there.\u00a0Then another began. ", "Again.\u00a0\u00a0And again.")
    assert _texts(spacers)[1:] == ["It ended there.", "Then another began. Again.", "And again."]
    # Here the no-break spaces surround emphasised words: they are spaces, not paragraph ends.
    emphasis = _parse(
        _FILLER,
        "She had an\u00a0egg.\u00a0What he\u00a0thought was\u00a0nothing. "
        "It was\u00a0quite\u00a0the thing, an\u00a0adult\u00a0thing.",
    )
    assert _texts(emphasis)[1:] == [
        "She had an\u00a0egg.\u00a0What he\u00a0thought was\u00a0nothing. "
        "It was\u00a0quite\u00a0the thing, an\u00a0adult\u00a0thing."
    ]


def test_footnote_entries_are_paragraphs_of_their_own():
    work = _parse(_FILLER, "The end.\u00a0\u00a0[1]\u00a0A first note.[2]\u00a0A second note.")
    assert _texts(work)[-2:] == ["[1]\u00a0A first note.", "[2]\u00a0A second note."]


def test_sentences_that_lost_their_spaces_too_are_regrouped_into_paragraphs():
    narration = "".join(f"The {n}th lamp on the long street went out at last." for n in range(40))
    dialogue = "“Are you coming?” she asked.“In a minute,” he said.“Well, hurry.”"
    source = narration + dialogue + narration
    work = _parse(source)
    sizes = [len(text.split()) for text in _texts(work)]
    # Not one paragraph per sentence (each is 11 words), nor one wall: a reading size, and each
    # speaker's line a paragraph of its own.
    assert all(size <= 100 for size in sizes) and sum(size >= 50 for size in sizes) >= 6
    assert "“In a minute,” he said." in _texts(work)
    assert not words(source) - words(_all_words(work))
