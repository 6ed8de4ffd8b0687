"""The HTML reader on its own: a string in, a ``Work`` out, checked against expected outlines.

Each ``tests/fixtures/html/<case>.html`` has ``<case>.outline.json`` beside it: what a reader of the
page should find (metadata, chapters, their blocks, italics, links). Run with
``FICEXPORT_REGENERATE=1`` to rewrite the outlines after a deliberate change, then review the
diff: reviewing it is the real test.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from converter.document import (
    Block,
    BlockQuote,
    Emphasis,
    Heading,
    Inline,
    LineGroup,
    Link,
    ListBlock,
    Paragraph,
    SceneBreak,
    Strong,
    Table,
    Work,
    blocks_text,
)
from converter.errors import InputError
from converter.parse import ParseOptions, parse_html
from converter.parse.html import read_html
from tests.support import FIXTURES

HTML_FIXTURES = sorted((FIXTURES / "html").glob("*.html"))


# --- The outline: what a reader of the page should find -------------------------------------------


def outline(work: Work) -> dict:
    """A work as plain data: metadata, notes as text, each chapter's blocks described briefly."""
    meta = work.meta
    return {
        "title": meta.title,
        "authors": list(meta.authors),
        "language": meta.language,
        "source_url": meta.source_url,
        "tags": {group.label: list(group.values) for group in meta.tags},
        "series": [f"Part {ref.position} of {ref.name}" for ref in meta.series],
        "collections": list(meta.collections),
        "stats": {key: value for key, value in dataclasses.asdict(meta.stats).items() if value is not None},
        "summary": blocks_text(meta.summary),
        "notes": blocks_text(work.notes),
        "end_notes": blocks_text(work.end_notes),
        "back_matter": {matter.title: blocks_text(matter.blocks) for matter in work.back_matter},
        "chapters": [
            {
                "label": chapter.label,
                "title": chapter.title,
                "summary": blocks_text(chapter.summary),
                "notes": blocks_text(chapter.notes),
                "end_notes": blocks_text(chapter.end_notes),
                "blocks": [describe(block) for block in chapter.body],
                "italics": count(chapter.body, Emphasis),
                "bold": count(chapter.body, Strong),
                "links": [node.url for node in nodes(chapter.body) if isinstance(node, Link)],
            }
            for chapter in work.chapters
        ],
    }


def describe(block: Block) -> str:
    """One block in a few words: its kind, and what sets it apart."""
    if isinstance(block, Paragraph):
        return "p center" if block.centered else "p"
    if isinstance(block, SceneBreak):
        return f"break {block.marker}".strip()
    if isinstance(block, ListBlock):
        kind = f"ol start={block.start}" if block.ordered else "ul"
        return f"{kind} items={len(block.items)}"
    if isinstance(block, BlockQuote):
        return "quote " + " ".join(describe(inner) for inner in block.blocks)
    if isinstance(block, Heading):
        return f"heading {block.level}"
    if isinstance(block, LineGroup):
        return f"lines {len(block.lines)}"
    assert isinstance(block, Table)
    return f"table rows={len(block.rows)} header={block.header_rows}"


def nodes(blocks: tuple[Block, ...]):
    """Every inline node under ``blocks``, outermost first."""

    def walk(inlines: tuple[Inline, ...]):
        for node in inlines:
            yield node
            yield from walk(getattr(node, "children", ()))

    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            yield from walk(block.inlines)
        elif isinstance(block, LineGroup):
            for line in block.lines:
                yield from walk(line)
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    yield from walk(cell)
        elif isinstance(block, BlockQuote):
            yield from nodes(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from nodes(item)


def count(blocks: tuple[Block, ...], kind: type) -> int:
    return sum(isinstance(node, kind) for node in nodes(blocks))


@pytest.mark.parametrize("source", HTML_FIXTURES, ids=lambda p: p.stem)
def test_fixture_reads_as_its_expected_outline(source: Path):
    found = outline(read_html(source.read_text(encoding="utf-8")))
    expected_path = source.with_suffix(".outline.json")
    if os.environ.get("FICEXPORT_REGENERATE") == "1":
        expected_path.write_text(json.dumps(found, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert found == json.loads(expected_path.read_text(encoding="utf-8"))


# --- Inline formatting: one small page per case ----------------------------------------------------

_TAGS = {Emphasis: "em", Strong: "b"}


def markup(inlines: tuple[Inline, ...]) -> str:
    """Inlines as compact markup: ``<em>``, ``<b>``, ``<u>``, ``<s>``, ``<sup>``, ``<sub>``,
    ``<a URL>``, ``<br>``."""
    out = []
    for node in inlines:
        name = type(node).__name__
        if name == "Text":
            out.append(node.text)
        elif name == "LineBreak":
            out.append("<br>")
        elif isinstance(node, Link):
            out.append(f"<a {node.url}>{markup(node.children)}</a>")
        else:
            tag = (
                _TAGS.get(type(node))
                or {
                    "Underline": "u",
                    "Strikethrough": "s",
                    "Superscript": "sup",
                    "Subscript": "sub",
                }[name]
            )
            out.append(f"<{tag}>{markup(node.children)}</{tag}>")
    return "".join(out)


def paragraphs(body_html: str) -> list[str]:
    """The paragraphs a page with ``body_html`` reads as, in compact markup."""
    work = read_html(f"<html><body>{body_html}</body></html>")
    return [markup(block.inlines) for block in work.chapters[0].body if isinstance(block, Paragraph)]


INLINE_CASES = [
    (
        "em-and-i",
        "<p><em>a</em> and <i>b</i> and <cite>c</cite></p>",
        ["<em>a</em> and <em>b</em> and <em>c</em>"],
    ),
    ("strong-and-b", "<p><strong>a</strong> <b>b</b></p>", ["<b>a</b> <b>b</b>"]),
    ("underline", "<p><u>a</u> <ins>b</ins></p>", ["<u>a</u> <u>b</u>"]),
    ("strike", "<p><s>a</s> <del>b</del> <strike>c</strike></p>", ["<s>a</s> <s>b</s> <s>c</s>"]),
    ("sup-and-sub", "<p>x<sup>2</sup> H<sub>2</sub>O</p>", ["x<sup>2</sup> H<sub>2</sub>O"]),
    ("web-link", '<p><a href="https://example.org/x">here</a></p>', ["<a https://example.org/x>here</a>"]),
    ("mail-link", '<p><a href="mailto:a@example.org">write</a></p>', ["<a mailto:a@example.org>write</a>"]),
    ("script-link-is-text", '<p><a href="javascript:alert(1)">here</a></p>', ["here"]),
    ("relative-link-is-text", '<p><a href="chapter2.html">next</a> <a href="#fn1">[1]</a></p>', ["next [1]"]),
    ("line-break", "<p>one<br>two<br/></p>", ["one<br>two"]),
    ("line-break-inside-emphasis", "<p><em>one<br>two</em></p>", ["<em>one<br>two</em>"]),
    ("emphasis-inside-emphasis-is-roman", "<p><em>a <em>b</em> c</em></p>", ["<em>a </em>b<em> c</em>"]),
    ("three-deep-emphasis-is-italic", "<p><i><i><i>x</i></i></i> y</p>", ["<em>x</em> y"]),
    ("strong-inside-strong-is-one", "<p><b><strong>x</strong></b></p>", ["<b>x</b>"]),
    ("italic-style", '<p><span style="font-style:italic">x</span></p>', ["<em>x</em>"]),
    (
        "roman-style-inside-emphasis",
        '<p><em>a <span style="font-style: normal">b</span> c</em></p>',
        ["<em>a </em>b<em> c</em>"],
    ),
    (
        "bold-weights",
        '<p><span style="font-weight:700">x</span> <span style="font-weight:400">y</span></p>',
        ["<b>x</b> y"],
    ),
    (
        "decoration-styles",
        '<p><span style="text-decoration: underline line-through">x</span></p>',
        ["<u><s>x</s></u>"],
    ),
    (
        "indentation-before-a-comma",
        "<p>\n  <span>a </span>\n  <em>\n    <span>b</span>\n  </em>\n  <span>, c</span>\n</p>",
        ["a <em>b</em>, c"],
    ),
    (
        "indentation-after-an-opening-quote",
        "<p>\n<span>“</span>\n<em>Yes</em>\n<span>,” she said.</span>\n</p>",
        ["“<em>Yes</em>,” she said."],
    ),
    ("indentation-between-words", "<p>\n<span>a</span>\n<span>b</span>\n</p>", ["a b"]),
    ("indentation-between-cjk", "<p><em>中文</em>\n<em>字</em></p>", ["<em>中文</em><em>字</em>"]),
    ("typed-space-between-cjk-kept", "<p><em>帝国历</em> <em>475</em></p>", ["<em>帝国历</em> <em>475</em>"]),
    ("spaces-collapse-across-tags", "<p>a  <em> b </em>  c</p>", ["a <em>b </em>c"]),
    ("no-break-space-emphasis-is-none", "<p>a<em>&nbsp;</em>b</p>", ["a\u00a0b"]),
    ("unclosed-emphasis-ends-with-its-paragraph", "<p>a <em>b</p><p>c</p>", ["a <em>b</em>", "c"]),
    ("emphasis-around-paragraphs", "<em><p>a</p><p>b <em>c</em></p></em>", ["<em>a</em>", "<em>b </em>c"]),
]


@pytest.mark.parametrize(
    ("html", "expected"), [case[1:] for case in INLINE_CASES], ids=[c[0] for c in INLINE_CASES]
)
def test_inline_formatting_maps_onto_the_tree(html, expected):
    assert paragraphs(html) == expected


# --- Blocks and spacers ---------------------------------------------------------------------------


def body(body_html: str) -> list[str]:
    """The blocks of the first chapter of a page with ``body_html``, described briefly."""
    return [describe(block) for block in read_html(f"<html><body>{body_html}</body></html>").chapters[0].body]


SP = "<p>&nbsp;</p>"
BLOCK_CASES = [
    ("align-center", '<p align="center">x</p>', ["p center"]),
    ("text-align-center", '<p style="text-align: center">x</p>', ["p center"]),
    ("center-element", "<center><p>x</p>y</center>", ["p center", "p center"]),
    ("centred-div", '<div align="center"><p>x</p></div><p>y</p>', ["p center", "p"]),
    ("hr-is-a-break", "<p>a</p><hr><p>b</p>", ["p", "break", "p"]),
    ("ornament-paragraph-is-a-break", "<p>a</p><p>* * *</p><p>b</p>", ["p", "break", "p"]),
    ("letter-marker-is-kept", "<p>a</p><p>oOo</p><p>b</p>", ["p", "break oOo", "p"]),
    ("blockquote", "<blockquote><p>a</p>" + SP + "<p>b</p></blockquote>", ["quote p p"]),
    (
        "lists",
        "<ul><li>a</li><li>b</li></ul><ol start='4'><li><p>c</p></li></ol>",
        ["ul items=2", "ol start=4 items=1"],
    ),
    ("list-nested-without-li", "<ul><li>a</li><ul><li>b</li></ul></ul>", ["ul items=1"]),
    ("list-text-outside-items", "<ol>first<li>a</li>between<li>b</li></ol>", ["ol start=1 items=3"]),
    (
        "table",
        "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td><p>2</p><p>3</p></td></tr></table>",
        ["table rows=2 header=1"],
    ),
    (
        "table-caption",
        "<table><caption>Prices</caption><tr><td>1</td></tr></table>",
        ["p center", "table rows=1 header=0"],
    ),
    (
        "table-text-outside-cells",
        "<table>stray<tr><td>1</td> words</tr></table>",
        ["p", "table rows=1 header=0"],
    ),
    ("pre-keeps-lines", "<pre>a\n  b</pre>", ["lines 2"]),
    ("body-heading", "<p>a</p><h4>Aside</h4><p>b</p>", ["p", "heading 4", "p"]),
    ("two-br-split-loose-text", "<div>a<br><br>b<br>c</div>", ["p", "p"]),
    ("three-br-leave-a-break", "<div>a<br><br><br>b<br><br>c<br><br>d</div>", ["p", "break", "p", "p", "p"]),
    # Spacers, decided per document:
    (
        "sparse-spacer-is-a-break",
        "<p>a</p>" + SP + "<p>b</p><p>c</p><p>d</p><p>e</p>",
        ["p", "break", "p", "p", "p", "p"],
    ),
    (
        "a-run-of-spacers-is-one-break",
        "<p>a</p>" + SP * 3 + "<p>b</p><p>c</p><p>d</p>",
        ["p", "break", "p", "p", "p"],
    ),
    (
        "empty-and-br-paragraphs-are-spacers",
        "<p>a</p><p><br></p><p>b</p><p>c</p><p>d</p>",
        ["p", "break", "p", "p", "p"],
    ),
    ("spacers-at-the-edges-vanish", SP + "<p>a</p><p>b</p>" + SP, ["p", "p"]),
    ("spacers-around-an-hr-are-one-break", "<p>a</p>" + SP + "<hr>" + SP + "<p>b</p>", ["p", "break", "p"]),
    (
        "explicit-breaks-make-spacers-spacing",
        "<p>a</p>" + SP + "<p>b</p><hr><p>c</p>",
        ["p", "p", "break", "p"],
    ),
    (
        "dense-spacers-are-spacing",
        "<p>a</p>" + SP + "<p>b</p>" + SP + "<p>c</p>" + SP + "<p>d</p>",
        ["p", "p", "p", "p"],
    ),
    (
        "dense-spacers-longer-runs-are-breaks",
        "<p>a</p>" + SP + "<p>b</p>" + SP * 2 + "<p>c</p>" + SP + "<p>d</p>",
        ["p", "p", "break", "p", "p"],
    ),
]


@pytest.mark.parametrize(
    ("html", "expected"), [case[1:] for case in BLOCK_CASES], ids=[c[0] for c in BLOCK_CASES]
)
def test_block_formatting_maps_onto_the_tree(html, expected):
    assert body(html) == expected


def test_spacers_are_judged_across_the_whole_document():
    # Chapter one marks its break with <hr>, so the blank paragraph in chapter two is spacing.
    work = read_html(
        "<html><body><h2>One</h2><p>a</p><hr><p>b</p><h2>Two</h2><p>c</p>" + SP + "<p>d</p></body></html>"
    )
    assert [[describe(b) for b in chapter.body] for chapter in work.chapters] == [
        ["p", "break", "p"],
        ["p", "p"],
    ]


# --- Generic pages --------------------------------------------------------------------------------


def test_generic_title_comes_from_the_title_element_without_an_h1():
    work = read_html("<html><head><title>Page Title</title></head><body><p>text</p></body></html>")
    assert work.meta.title == "Page Title"
    assert [c.title for c in work.chapters] == [""]


def test_generic_single_h1_is_the_title_and_h2s_are_chapters():
    work = read_html(
        "<html><head><title>Site</title></head><body><h1>Real Title</h1><p>intro</p>"
        "<h2>Chapter 1: Start</h2><p>a</p><h2>Chapter 2</h2><p>b</p></body></html>"
    )
    assert work.meta.title == "Real Title"
    assert [(c.label, c.title) for c in work.chapters] == [
        ("", ""),
        ("Chapter 1", "Start"),
        ("Chapter 2", ""),
    ]
    assert "Real Title" not in blocks_text(work.chapters[0].body)


def test_generic_several_h1s_are_chapters():
    work = read_html(
        "<html><head><title>T</title></head><body><h1>One</h1><p>a</p><h1>Two</h1><p>b</p></body></html>"
    )
    assert work.meta.title == "T"
    assert [c.title for c in work.chapters] == ["One", "Two"]


def test_generic_headings_inside_quotes_do_not_open_chapters():
    work = read_html(
        "<html><body><h2>One</h2><p>a</p><blockquote><h2>Quoted</h2><p>q</p></blockquote></body></html>"
    )
    assert [c.title for c in work.chapters] == ["One"]
    assert [describe(b) for b in work.chapters[0].body] == ["p", "quote heading 2 p"]


def test_generic_reads_language_and_author_from_the_head():
    head = '<head><meta name="author" content="Anne Autrice"></head>'
    work = read_html(f'<html lang="fr">{head}<body><p>texte</p></body></html>')
    assert (work.meta.language, work.meta.authors) == ("fr", ("Anne Autrice",))


def test_user_options_override_what_the_page_says():
    html = (FIXTURES / "html" / "ao3_title_only_chapters.html").read_text(encoding="utf-8")
    work = parse_html(html, ParseOptions(title="Mine", authors=("Me",), language="Deutsch"))
    assert (work.meta.title, work.meta.authors, work.meta.language) == ("Mine", ("Me",), "de")


# --- Safety and bad input -------------------------------------------------------------------------


def test_hostile_markup_leaves_nothing_but_text_in_the_tree():
    work = read_html((FIXTURES / "html" / "hostile_markup.html").read_text(encoding="utf-8"))
    tree = repr(work)
    for planted in (
        "SCRIPT",
        "STYLE",
        "ONLOAD",
        "ALT",
        "FRAME",
        "OBJECT",
        "INPUT",
        "BUTTON",
        "SVG",
        "NOSCRIPT",
    ):
        assert f"{planted}WORDS" not in tree
    assert "evil.example" not in tree and "javascript" not in tree and "file:" not in tree
    assert "Nothing was fetched, and nothing ran." in tree


def test_external_entities_are_never_resolved():
    doctype = '<!DOCTYPE html [<!ENTITY leak SYSTEM "file:///etc/passwd">]>'
    page = doctype + "<html><body><p>a &leak; b</p></body></html>"
    assert "root:" not in repr(read_html(page))


@pytest.mark.parametrize(
    "page",
    [
        "<html><body></body></html>",
        "<html><head><title>Only a title</title></head><body> </body></html>",
        "<!-- -->",
    ],
    ids=["empty-body", "title-only", "comment-only"],
)
def test_a_page_without_text_is_refused_with_a_sentence(page):
    with pytest.raises(InputError, match="holds no"):
        read_html(page)


def test_a_thousand_unclosed_font_tags_keep_every_word():
    # libxml2 nests each unclosed <font> in the one before; deeper than MAX_DEPTH the tree is
    # flattened into text, never cut off.
    page = "<html><body>" + "".join(f"<p><font color=red>word{n} " for n in range(1000)) + "</body></html>"
    text = blocks_text(read_html(page).chapters[0].body)
    assert text.split() == [f"word{n}" for n in range(1000)]


def test_deep_nesting_keeps_its_words_and_the_text_after_it():
    page = (
        "<html><body>"
        + "<div><span>" * 600
        + "deep words"
        + "</span></div>" * 600
        + "<p>after</p></body></html>"
    )
    assert blocks_text(read_html(page).chapters[0].body).split() == ["deep", "words", "after"]
