"""``--html``: one self-contained HTML file, the very document the PDF is typeset from."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from tests.support import EXAMPLES, FIXTURES, lost_words, pdf_outline, pdf_text

EXAMPLE = EXAMPLES / "the-lighthouse-keepers-cat.txt"
SOURCES = [EXAMPLE, FIXTURES / "ao3_one_shot_empty_fields.txt"]


def read_html(path: Path) -> lxml.html.HtmlElement:
    """The file as a browser reads it: with an HTML parser, not an XML one."""
    return lxml.html.document_fromstring(path.read_bytes())


_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "li", "section", "div", "br", "blockquote"}


def body_text(page: lxml.html.HtmlElement) -> str:
    """The body's text as a reader sees it: blocks and line breaks separate words."""
    return "".join(_text_in_order(page.body))


def _text_in_order(element) -> list[str]:
    out = [element.text or ""]
    for child in element:
        out.extend(_text_in_order(child))
        if child.tag in _BLOCKS:
            out.append("\n")
        out.append(child.tail or "")
    return out


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> Path:
    """The example converted once to HTML and PDF by the real command."""
    from tests.conftest import run_ficexport

    out = tmp_path_factory.mktemp("html")
    for source in SOURCES:
        result = run_ficexport(source, "--html", "--pdf", "-o", out, cwd=out)
        assert result.returncode == 0, result.stderr
        assert str(out / (source.stem + ".html")) in result.stdout
    return out


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_html_holds_every_word_of_the_input(books, source):
    page = read_html(books / f"{source.stem}.html")
    assert not lost_words(source.read_text(encoding="utf-8"), body_text(page))


def test_html_is_self_contained_with_the_styles_inline(books):
    page = read_html(books / f"{EXAMPLE.stem}.html")
    assert page.xpath("//link") == [] and page.xpath("//script") == []
    assert not page.xpath("//@src")
    styles = [style.text for style in page.xpath("//head/style")]
    assert len(styles) == 4  # base.css, pdf.css, the page size's sheet, screen.css
    assert ".chapter-text > p:first-child" in styles[0]  # CSS reaches the browser unescaped
    assert "@media screen" in styles[3]
    assert page.get("lang") == "en"
    assert page.xpath("//head/meta/@charset") == ["utf-8"]


def test_html_has_the_title_page_then_every_chapter_in_order(books):
    page = read_html(books / f"{EXAMPLE.stem}.html")
    assert page.findtext(".//title") == "The Lighthouse Keeper’s Cat"
    sections = page.xpath("/html/body/section")
    assert sections[0].get("class") == "title-page"
    chapters = [s.get("data-bookmark") for s in sections if s.get("class") == "chapter"]
    assert chapters == [
        "Chapter 1: The Lamp Room",
        "Chapter 2: The Harbourmaster’s List",
        "Chapter 3: The Long Night",
    ]
    assert page.xpath("//*[@epub:type]", namespaces={"epub": "http://www.idpf.org/2007/ops"}) == []


def test_line_breaks_stay_single_when_a_browser_parses_the_file(tmp_path, run_cli):
    # An XML-style "<br/>" written as "<br></br>" would be two breaks to an HTML parser.
    poem = tmp_path / "poem.txt"
    poem.write_text("Title\n\nRoses are red,\nviolets are blue,\nthis line is short,\nand so are you.\n")
    assert run_cli(poem, "--html", "-o", tmp_path).returncode == 0
    raw = (tmp_path / "poem.html").read_text(encoding="utf-8")
    assert "</br>" not in raw and "<br/>" not in raw
    group = read_html(tmp_path / "poem.html").xpath("//p[contains(@class, 'line-group')]")[0]
    assert len(group.xpath("br")) == 3


def test_user_style_comes_last_and_cannot_close_the_style_element(tmp_path, run_cli):
    css = tmp_path / "mine.css"
    css.write_text('p::after { content: "</style><script>alert(1)</script>"; }\nbody { color: navy; }\n')
    assert run_cli(EXAMPLE, "--html", "--style", css, "-o", tmp_path).returncode == 0
    page = read_html(tmp_path / f"{EXAMPLE.stem}.html")
    assert page.xpath("//script") == []
    styles = page.xpath("//head/style")
    assert len(styles) == 5 and "color: navy" in styles[-1].text


def test_pdf_is_typeset_from_the_same_document(books):
    """The PDF's bookmarks are the HTML's bookmarked parts, and its words the HTML's words."""
    page = read_html(books / f"{EXAMPLE.stem}.html")
    pdf = books / f"{EXAMPLE.stem}.pdf"
    assert pdf_outline(pdf) == page.xpath("/html/body/*/@data-outline")
    assert not lost_words(EXAMPLE.read_text(encoding="utf-8"), pdf_text(pdf))
