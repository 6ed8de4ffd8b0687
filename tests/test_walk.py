"""The tree walk in ``converter/document.py``: its one table covers every node, and the walks built on
it (mapping runs, iterating blocks and inlines, reading text back out) reach every place a reader
reads, in reading order, and nowhere else."""

from __future__ import annotations

import dataclasses
import re
import typing

import pytest

from converter.document import (
    CONTENT,
    Block,
    BlockQuote,
    Chapter,
    Emphasis,
    Heading,
    Holds,
    Illustration,
    Inline,
    LineBreak,
    LineGroup,
    Link,
    ListBlock,
    Matter,
    MatterKind,
    Metadata,
    Paragraph,
    SceneBreak,
    Strong,
    Table,
    Text,
    Work,
    block_text,
    blocks_text,
    iter_blocks,
    iter_inlines,
    iter_runs,
    map_inlines,
    map_runs,
    plain_text,
)
from converter.outline import outline
from converter.typography import typeset

NODE_CLASSES = [*typing.get_args(Inline), *typing.get_args(Block), Metadata, Chapter, Matter, Work]
#: Names in an annotation that mean the field holds nodes a walk must reach.
_CHILD_TYPES = re.compile(r"\b(Inline|Block|Chapter|Matter|Metadata)\b")


def run(text: str) -> tuple[Inline, ...]:
    return (Text(text),)


def para(text: str) -> Paragraph:
    return Paragraph(run(text))


# --- The table ------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda cls: cls.__name__)
def test_every_node_class_is_in_the_table(cls):
    assert cls in CONTENT


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda cls: cls.__name__)
def test_every_field_that_holds_nodes_has_a_slot_as_deep_as_its_type(cls):
    slots = {slot.field: slot for slot in CONTENT[cls] if slot.holds is not Holds.LITERAL}
    for item in dataclasses.fields(cls):
        if _CHILD_TYPES.search(str(item.type)):
            assert item.name in slots, f"{cls.__name__}.{item.name} holds nodes but has no slot"
            slot = slots[item.name]
            tuples = str(item.type).count("tuple[")
            wrapped = tuples - (slot.holds in (Holds.INLINES, Holds.BLOCKS, Holds.PARTS))
            assert len(slot.joins) == wrapped, f"{cls.__name__}.{item.name}: joins for each level"
    assert set(slots) <= {item.name for item in dataclasses.fields(cls)}


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda cls: cls.__name__)
def test_every_field_is_given_to_the_class_so_a_changed_copy_can_be_built_by_position(cls):
    assert all(item.init for item in dataclasses.fields(cls))


# --- Reading text back out ------------------------------------------------------------------------

MIXED = (
    Text("a "), Emphasis((Text("b"), Strong((Text("c"),)))), LineBreak(), Link("https://x.org", run("d")),
)  # fmt: skip

EVERY_BLOCK = (
    Paragraph(MIXED),
    Heading(2, run("Head")),
    SceneBreak("oOo"),
    SceneBreak(),
    LineGroup((run("line one"), run("line two"))),
    BlockQuote((para("quoted"), para("twice"))),
    Table(((run("r1c1"), run("r1c2")), (run("r2c1"), ()))),
    Illustration(run("A lamp"), "ILLUSTRATION"),
    Illustration((), "Illustration"),
    ListBlock(True, ((para("first"),), (para("second"), BlockQuote((para("deep"),)))), markers=("1.", "2.")),
)


def test_plain_text_keeps_characters_drops_marks_and_urls():
    assert plain_text(MIXED) == "a bc\nd"


@pytest.mark.parametrize(
    ("block", "text"),
    [
        (EVERY_BLOCK[0], "a bc\nd"),
        (EVERY_BLOCK[1], "Head"),
        (EVERY_BLOCK[2], "oOo"),
        (EVERY_BLOCK[3], ""),
        (EVERY_BLOCK[4], "line one\nline two"),
        (EVERY_BLOCK[5], "quoted\ntwice"),
        (EVERY_BLOCK[6], "r1c1 r1c2\nr2c1 "),
        (EVERY_BLOCK[7], "ILLUSTRATION A lamp"),
        (EVERY_BLOCK[8], "Illustration"),
        (EVERY_BLOCK[9], "first\nsecond\ndeep"),
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, str) else None,
)
def test_block_text_of_every_kind_of_block(block, text):
    assert block_text(block) == text


def test_blocks_text_puts_each_block_on_its_own_line():
    assert blocks_text((para("one"), SceneBreak(), para("two"))) == "one\n\ntwo"
    assert blocks_text(()) == ""


# --- Iterating ------------------------------------------------------------------------------------


def test_iter_blocks_visits_each_block_before_those_inside_it():
    quote = BlockQuote((para("q1"), ListBlock(False, ((para("li"),),))))
    blocks = (para("p1"), quote, SceneBreak())
    found = list(iter_blocks(blocks))
    assert found == [blocks[0], quote, quote.blocks[0], quote.blocks[1], para("li"), SceneBreak()]


def test_iter_runs_finds_every_run_in_reading_order():
    runs = list(iter_runs(EVERY_BLOCK))
    texts = [plain_text(found) for found in runs]
    assert texts == [
        "a bc\nd", "Head", "line one", "line two", "quoted", "twice",
        "r1c1", "r1c2", "r2c1", "", "A lamp", "", "first", "second", "deep",
    ]  # fmt: skip


def test_iter_inlines_visits_a_mark_before_its_words():
    found = list(iter_inlines(MIXED))
    assert [type(node).__name__ for node in found] == [
        "Text", "Emphasis", "Text", "Strong", "Text", "LineBreak", "Link", "Text",
    ]  # fmt: skip


# --- Mapping --------------------------------------------------------------------------------------


def shout(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Every Text of a run upper-cased, marks kept."""
    return map_inlines(inlines, lambda node: Text(node.text.upper()) if type(node) is Text else None)


def a_work() -> Work:
    chapter = Chapter(
        1, title="title stays", label="label stays", summary=(para("summary"),),
        notes=(para("notes"),), body=EVERY_BLOCK, end_notes=(para("end"),),
    )  # fmt: skip
    return Work(
        meta=Metadata(title="work title", summary=(para("work summary"),)),
        chapters=(chapter,),
        notes=(para("work notes"),),
        end_notes=(para("work end"),),
        front_matter=(Matter(MatterKind.PREFACE, "front", (para("preface"),)),),
        back_matter=(Matter(MatterKind.OTHER, "back", (para("afterword"),)),),
    )


def test_map_runs_reaches_every_run_of_the_work_and_no_string_field():
    work = map_runs(a_work(), shout)
    chapter = work.chapters[0]
    assert plain_text(work.meta.summary[0].inlines) == "WORK SUMMARY"
    assert [blocks_text(blocks) for blocks in (work.notes, work.end_notes)] == ["WORK NOTES", "WORK END"]
    matter = (*work.front_matter, *work.back_matter)
    assert [blocks_text(m.blocks) for m in matter] == ["PREFACE", "AFTERWORD"]
    assert [blocks_text(part) for part in (chapter.summary, chapter.notes, chapter.end_notes)] == [
        "SUMMARY", "NOTES", "END",
    ]  # fmt: skip
    assert blocks_text(chapter.body) == blocks_text(EVERY_BLOCK).upper().replace("OOO", "oOo").replace(
        "ILLUSTRATION\n", "Illustration\n"
    )
    # Strings that are not runs are the stage's own business: titles, labels, markers, URLs.
    assert (work.meta.title, chapter.title, chapter.label) == ("work title", "title stays", "label stays")
    assert chapter.body[2] == SceneBreak("oOo")
    assert chapter.body[0].inlines[3].url == "https://x.org"
    assert chapter.body[9].markers == ("1.", "2.")


def test_map_runs_keeps_other_fields_of_a_changed_node():
    heading = map_runs(Heading(3, run("low")), shout)
    assert heading == Heading(3, run("LOW"))
    centered = map_runs(Paragraph(run("mid"), centered=True), shout)
    assert centered == Paragraph(run("MID"), centered=True)


def test_map_runs_gives_back_the_same_objects_when_nothing_changes():
    work = a_work()
    assert map_runs(work, lambda inlines: inlines) is work
    only_notes = map_runs(work, lambda inlines: shout(inlines) if plain_text(inlines) == "notes" else inlines)
    assert only_notes is not work
    assert only_notes.chapters[0].body is work.chapters[0].body
    assert only_notes.meta is work.meta
    assert only_notes.chapters[0].notes != work.chapters[0].notes


def test_map_inlines_leaves_a_replaced_node_alone_and_descends_into_the_rest():
    def visit(node: Inline) -> Inline | None:
        if type(node) is Link:
            return node
        return Text(node.text + "!") if type(node) is Text else None

    changed = map_inlines(MIXED, visit)
    assert changed == (
        Text("a !"), Emphasis((Text("b!"), Strong((Text("c!"),)))), LineBreak(), MIXED[3],
    )  # fmt: skip
    assert changed[3] is MIXED[3]


def test_map_inlines_returns_the_run_itself_when_nothing_changes():
    assert map_inlines(MIXED, lambda node: None) is MIXED


# --- The stages that use it -----------------------------------------------------------------------


def test_typeset_smartens_every_run_but_not_links_labels_or_markers():
    quoted = '"Hi," she said -- it\'s late...'
    smart = "“Hi,” she said — it’s late…"
    work = Work(
        meta=Metadata(title='"Title"', summary=(para(quoted),)),
        chapters=(
            Chapter(
                1, title="'Chapter'", label='"Label"', notes=(para(quoted),),
                body=(
                    LineGroup((run(quoted),)),
                    Table(((run(quoted),),)),
                    Illustration(run(quoted), '"Illustration"'),
                    ListBlock(False, ((BlockQuote((para(quoted),)),),)),
                    Paragraph((Emphasis(run("word")), Text('" after'), Link("it's", run("'x'")))),
                ),
            ),
        ),
        front_matter=(Matter(MatterKind.PREFACE, '"Front"', (Heading(1, run(quoted)),)),),
    )  # fmt: skip
    done = typeset(work)
    body = done.chapters[0].body
    assert done.meta.title == "“Title”"
    assert done.chapters[0].title == "‘Chapter’"
    assert done.chapters[0].label == '"Label"'
    assert done.front_matter[0].title == "“Front”"
    notes = done.meta.summary + done.chapters[0].notes
    assert [plain_text(found) for found in iter_runs(notes)] == [smart] * 2
    assert [plain_text(found) for found in iter_runs(body[:4] + done.front_matter[0].blocks)] == [smart] * 5
    assert body[2].label == '"Illustration"'
    assert body[4].inlines[1] == Text("” after")  # after an italic word, the quote closes
    assert body[4].inlines[2] == Link("it's", run("'x'"))


def test_outline_counts_scene_breaks_at_any_depth():
    body = (para("one"), SceneBreak(), BlockQuote((SceneBreak("oOo"),)), ListBlock(False, ((SceneBreak(),),)))
    data = outline(Work(Metadata(), (Chapter(1, body=body),)))
    assert data["chapters"][0]["scene_breaks"] == 3
    assert data["chapters"][0]["words"] == 2  # "one" and the marker's "oOo"
