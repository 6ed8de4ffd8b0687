"""The PDF, read back as a reader's software reads it: page sizes, the contents page, running heads,
the outline, metadata, fonts, every word, hyphenation, refused URLs, the tagged variant."""

from __future__ import annotations

import collections
import http.server
import io
import itertools
import re
import subprocess
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import run_ficexport
from tests.support import (
    EXAMPLES,
    FIXTURES,
    epub_nav_titles,
    lost_words,
    pdf_fonts,
    pdf_outline,
    pdf_text,
)

EXAMPLE = EXAMPLES / "the-lighthouse-keepers-cat.txt"
GLYPHS = FIXTURES / "pdf_glyphs_and_long_titles.txt"
GERMAN = FIXTURES / "pdf_german_hyphenation.txt"
ONE_SHOT = FIXTURES / "ao3_one_shot_empty_fields.txt"
MM = 72 / 25.4  # PDF points per millimetre

#: Each preset's page in millimetres, as a ruler would measure it.
PAGE_MM = {
    "a4": (210, 297),
    "letter": (215.9, 279.4),
    "a5": (148, 210),
    "b6": (125, 176),
    "6in": (90, 122),
    "7in": (107, 142),
}
#: The top margin of the presets these tests read running heads on; text above it is the head.
TOP_MARGIN_MM = {"6in": 8, "a5": 17}


def convert(source: Path, out: Path, *options: str) -> Path:
    """``source`` converted to a PDF in ``out`` by the real command; the PDF's path."""
    out.mkdir(parents=True, exist_ok=True)
    result = run_ficexport(source, "--pdf", "-o", out, *options, cwd=out)
    assert result.returncode == 0, result.stderr
    return out / f"{source.stem}.pdf"


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """The example and the glyph fixture as PDFs at an e-reader size and the default A5, and an
    EPUB of each to compare the outline with."""
    made = {}
    for source in (EXAMPLE, GLYPHS):
        for size in ("6in", "a5"):
            made[source.name, size] = convert(source, tmp_path_factory.mktemp(size), "--page-size", size)
        out = tmp_path_factory.mktemp("epub")
        assert run_ficexport(source, "--epub", "-o", out, cwd=out).returncode == 0
        made[source.name, "epub"] = out / f"{source.stem}.epub"
    return made


# --- reading pages back --------------------------------------------------------------------------


def page_lines(page) -> list[tuple[float, str]]:
    """A page's text as (distance from the page's top in mm, text) per run, top to bottom."""
    height = float(page.mediabox.height)
    runs: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((round((height - y) / MM, 1), text))

    page.extract_text(visitor_text=visit)
    return sorted(runs, key=lambda run: run[0])


def running_head(page, top_margin_mm: float) -> list[tuple[float, str]]:
    """The runs set in the page's top margin: its running head, if any."""
    return [(y, text) for y, text in page_lines(page) if y < top_margin_mm]


def body_lines(page, top_margin_mm: float) -> list[str]:
    """The page's lines between its running head and its page number, top to bottom."""
    lines: dict[float, str] = {}
    for y, text in page_lines(page):
        lines[y] = lines.get(y, "") + text.strip("\n")
    bottom = float(page.mediabox.height) / MM - top_margin_mm
    return [text for y, text in sorted(lines.items()) if top_margin_mm <= y <= bottom]


def contents_page(reader: PdfReader) -> str:
    """The text of the contents page (it follows the title page, which may take two pages)."""
    texts = (flat(page.extract_text()) for page in reader.pages[1:4])
    return next(text for text in texts if text.startswith("Contents"))


def outline_pages(reader: PdfReader) -> dict[str, int]:
    """Each top-level bookmark's title and the number printed on the page it opens (counting from 1)."""
    return {
        item.title: reader.get_destination_page_number(item) + 1
        for item in reader.outline
        if not isinstance(item, list)
    }


def flat(text: str) -> str:
    return " ".join(text.split())


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", PAGE_MM)
@pytest.mark.slow
def test_every_page_has_the_size_of_its_preset(tmp_path, size):
    reader = PdfReader(convert(EXAMPLE, tmp_path, "--page-size", size))
    width, height = PAGE_MM[size]
    for page in reader.pages:
        assert float(page.mediabox.width) / MM == pytest.approx(width, abs=0.3)
        assert float(page.mediabox.height) / MM == pytest.approx(height, abs=0.3)


def body_font_size(path: Path) -> float:
    """The type size most of the PDF's text is set in, in points."""
    sizes: collections.Counter = collections.Counter()
    for page in PdfReader(path).pages[1:]:
        page.extract_text(
            visitor_text=lambda text, cm, tm, font, size: sizes.update(
                {round(size * abs(tm[3] * cm[3]), 2): len(text)}
            )
        )
    return sizes.most_common(1)[0][0]


def test_font_size_option_sets_the_type_size_of_the_text(books, tmp_path):
    assert body_font_size(books[EXAMPLE.name, "a5"]) == pytest.approx(11)  # A5's own
    assert body_font_size(convert(EXAMPLE, tmp_path / "large", "--font-size", "13.5")) == pytest.approx(13.5)


def test_e_reader_pages_set_larger_type_for_their_width_than_print_pages(books):
    def type_per_width(size: str) -> float:
        return body_font_size(books[EXAMPLE.name, size]) / PAGE_MM[size][0]

    assert type_per_width("6in") > 1.4 * type_per_width("a5")


@pytest.mark.parametrize("options", [("--page-size", "a3"), ("--pdf-variant", "pdf/x-4")])
def test_an_unknown_page_size_or_variant_is_bad_usage(run_cli, tmp_path, options):
    result = run_cli(EXAMPLE, "--pdf", "-o", tmp_path, *options)
    assert result.returncode == 2
    assert options[1] in result.stderr
    assert not list(tmp_path.iterdir())


# --- structure: contents, chapters, running heads, outline ----------------------------------------


@pytest.mark.parametrize("source", [EXAMPLE, GLYPHS], ids=lambda p: p.stem)
def test_outline_lists_the_same_parts_as_the_epub_table_of_contents(books, source):
    epub_titles = epub_nav_titles(books[source.name, "epub"])
    assert len(epub_titles) >= 3
    for size in ("6in", "a5"):
        assert pdf_outline(books[source.name, size]) == epub_titles


@pytest.mark.parametrize("size", ["6in", "a5"])
@pytest.mark.parametrize("source", [EXAMPLE, GLYPHS], ids=lambda p: p.stem)
def test_contents_page_gives_each_part_the_page_its_bookmark_opens(books, source, size):
    reader = PdfReader(books[source.name, size])
    contents = contents_page(reader)
    for title, page_number in outline_pages(reader).items():
        # "Chapter 2: The Ledger . . . . . 7": the title, its leader dots, its page number.
        entry = re.search(re.escape(flat(title)) + r"[ .]*(\d+)", contents)
        assert entry, f"{title!r} is not on the contents page: {contents!r}"
        assert int(entry.group(1)) == page_number


def test_a_one_chapter_work_has_no_contents_page(tmp_path):
    reader = PdfReader(convert(ONE_SHOT, tmp_path))
    assert not any(page.extract_text().startswith("Contents") for page in reader.pages)


@pytest.mark.parametrize("size", ["6in", "a5"])
def test_each_chapter_opens_a_page_of_its_own_without_a_running_head(books, size):
    reader = PdfReader(books[GLYPHS.name, size])
    chapters = {t: n for t, n in outline_pages(reader).items() if t.startswith("Chapter")}
    assert len(chapters) == 3
    for title, page_number in chapters.items():
        page = reader.pages[page_number - 1]
        assert running_head(page, TOP_MARGIN_MM[size]) == []
        first_line = flat(page_lines(page)[0][1])
        assert first_line == title.split(":")[0], (first_line, title)  # "Chapter 2"


@pytest.mark.parametrize("size", ["6in", "a5"])
def test_running_heads_name_the_work_on_left_pages_and_the_chapter_on_right_pages(books, size):
    reader = PdfReader(books[GLYPHS.name, size])
    work_title = reader.metadata.title
    starts = sorted((n, t) for t, n in outline_pages(reader).items())
    ends = [n for n, _ in starts[1:]] + [len(reader.pages) + 1]
    seen = set()
    for (start, title), end in zip(starts, ends, strict=True):
        chapter_name = title.split(": ", 1)[-1]
        for number in range(start + 1, end):
            head = running_head(reader.pages[number - 1], TOP_MARGIN_MM[size])
            assert len({y for y, _ in head}) == 1, f"page {number}: the head is not one line: {head}"
            text = flat("".join(text for _, text in head))
            # Page 1 is a right-hand page, so even pages are left-hand ones.
            expected = work_title if number % 2 == 0 else chapter_name
            seen.add("left" if number % 2 == 0 else "right")
            if text.endswith("…"):  # a head shortened to stay on one line
                assert len(text) <= 48 and expected.startswith(text[:-1].rstrip())
            else:
                assert text == expected, f"page {number}"
    # The glyph fixture's chapters run to right-hand pages only on the small e-reader page.
    assert seen == ({"left", "right"} if size == "6in" else {"left"})


def test_a_title_too_long_for_the_running_head_is_shortened_at_a_word(books):
    reader = PdfReader(books[GLYPHS.name, "6in"])
    chapter_one = outline_pages(reader)[next(iter(outline_pages(reader)))]
    head = flat("".join(text for _, text in running_head(reader.pages[chapter_one], 8)))
    assert head == "In Which Renée Misses the Ferry for the Third…"


@pytest.mark.slow
def test_running_heads_are_shortened_more_for_larger_type(tmp_path):
    reader = PdfReader(convert(GLYPHS, tmp_path, "--page-size", "6in", "--font-size", "16"))
    heads = [running_head(page, TOP_MARGIN_MM["6in"]) for page in reader.pages]
    texts = {flat("".join(text for _, text in head)) for head in heads if head}
    assert all(len({y for y, _ in head}) == 1 for head in heads if head)
    # 48 characters at 10 pt, so 30 at 16 pt: "The Ferryman’s Café at the End of the Long Canal" is cut.
    assert "The Ferryman’s Café at the…" in texts
    assert all(len(text) <= 30 for text in texts), texts


# --- text ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["6in", "a5"])
@pytest.mark.parametrize("source", [EXAMPLE, GLYPHS], ids=lambda p: p.stem)
def test_every_word_of_the_input_is_in_the_pdf(books, source, size):
    text = pdf_text(books[source.name, size])
    assert not lost_words(source.read_text(encoding="utf-8"), text)


def test_the_characters_fan_fiction_uses_come_through(books):
    text = pdf_text(books[GLYPHS.name, "6in"])
    for character in "“”‘’—…éöÅë♥😀":
        assert character in text, character


def test_emoji_no_installed_font_has_still_make_a_pdf(tmp_path):
    # Emoji from the newest Unicode versions, which most machines' fonts lack: an empty box is fine,
    # a crash or a run that never ends is not.
    source = tmp_path / "emoji.txt"
    source.write_text("Emoji\n\nShe texted back 🫶🥹🫠 and then 🪿🪼 and 🏳️‍⚧️ and 👩🏽‍🚀.\n", encoding="utf-8")
    reader = PdfReader(convert(source, tmp_path))
    assert len(reader.pages) == 2
    assert all(pdf_fonts(tmp_path / "emoji.pdf").values())


@pytest.mark.slow
def test_hyphenation_breaks_words_where_the_works_language_allows(tmp_path):
    import pyphen

    path = convert(GERMAN, tmp_path, "--language", "de", "--page-size", "6in")
    reader = PdfReader(path)
    assert reader.trailer["/Root"]["/Lang"] == "de"
    breaks = [
        (re.findall(r"\w+", line)[-1], re.findall(r"\w+", following)[0])
        for page in reader.pages
        for line, following in itertools.pairwise(body_lines(page, TOP_MARGIN_MM["6in"]))
        if line.endswith("\u2010")
    ]
    assert len(breaks) >= 5
    german = pyphen.Pyphen(lang="de_DE")
    for left, right in breaks:
        assert len(left) in german.positions(left + right), (left, right)
    assert not lost_words(GERMAN.read_text(encoding="utf-8"), pdf_text(path))


def test_no_hyphenate_leaves_every_word_whole(tmp_path):
    path = convert(GERMAN, tmp_path, "--language", "de", "--page-size", "6in", "--no-hyphenate")
    raw = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    assert "\u2010" not in raw


def test_a_scene_break_never_ends_a_page(tmp_path):
    # Many short scenes on small pages: some break must fall near a page's foot.
    scenes = [
        " ".join([f"Scene {n} begins here and goes on for a while, sentence after sentence."] * (1 + n % 4))
        for n in range(60)
    ]
    source = tmp_path / "scenes.txt"
    source.write_text("Scenes\n\n" + "\n\n* * *\n\n".join(scenes) + "\n", encoding="utf-8")
    reader = PdfReader(convert(source, tmp_path, "--page-size", "6in"))
    for number, page in enumerate(reader.pages[1:], start=2):
        last_line = body_lines(page, TOP_MARGIN_MM["6in"])[-1]
        assert last_line.replace(" ", "") != "***", f"page {number} ends with a scene break"


# --- document: metadata, fonts, bytes ------------------------------------------------------------


def test_metadata_title_author_subject_keywords_language_and_date(books):
    reader = PdfReader(books[EXAMPLE.name, "a5"])
    info = reader.metadata
    assert info.title == "The Lighthouse Keeper’s Cat"
    assert info.author == "ficexport_examples"
    assert info.subject.startswith("Marguerite keeps the light at Corran Head.")
    keywords = info["/Keywords"].split(", ")
    assert keywords[:4] == ["General Audiences", "No Archive Warnings Apply", "Gen", "Original Work"]
    assert "Found Family" in keywords
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert info["/CreationDate"].startswith("D:20240316")  # "Completed: 2024-03-16"


def test_source_date_epoch_sets_the_creation_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    info = PdfReader(convert(GERMAN, tmp_path)).metadata  # a text that states no date
    assert info["/CreationDate"].startswith("D:20231114221320")


@pytest.mark.slow
def test_the_same_input_gives_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = convert(ONE_SHOT, tmp_path / "first").read_bytes()
    second = convert(ONE_SHOT, tmp_path / "second").read_bytes()
    assert first == second


def test_fonts_are_embedded_subset_and_the_chosen_book_face_when_installed(books):
    fonts = pdf_fonts(books[GLYPHS.name, "a5"])
    assert fonts and all(fonts.values()), fonts
    assert all(re.fullmatch(r"/[A-Z]{6}\+.+", name) for name in fonts), fonts  # subset tags
    installed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    face = "Linux-Libertine-O" if "Linux Libertine O" in installed else "DejaVu-Serif"
    assert any(name.endswith(f"+{face}") for name in fonts), fonts


# --- the locked-down fetcher ---------------------------------------------------------------------


@pytest.fixture
def web_server():
    """A web server on this machine's loopback address that records every request it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red; }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def test_urls_in_the_text_or_a_users_style_sheet_are_refused_and_reported(tmp_path, web_server):
    base, requests = web_server
    source = tmp_path / "refs.txt"
    source.write_text(
        "References\n\n"
        f'A line naming file:///etc/passwd and {base}/text.png and <img src="{base}/img.png">.\n',
        encoding="utf-8",
    )
    refused = [
        "file:///etc/passwd",
        f"{base}/imported.css",
        "file:///usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        f"{base}/background.png",
        "file:///etc/hostname",
    ]
    style = tmp_path / "mine.css"
    style.write_text(
        f'@import url("{refused[0]}");\n'
        f'@import url("{refused[1]}");\n'
        f'@font-face {{ font-family: "Mine"; src: url("{refused[2]}"); }}\n'
        f'body {{ font-family: "Mine", serif; background: url("{refused[3]}"); }}\n'
        # A relative path climbing out of the styles folder.
        # Enough "../" to reach the root from wherever the package is installed.
        'h1 { background-image: url("' + "../" * 40 + 'etc/hostname"); }\n',
        encoding="utf-8",
    )
    result = run_ficexport(source, "--pdf", "--style", style, "-o", tmp_path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for url in refused:
        assert f"did not load {url}" in result.stderr
    assert requests == []
    text = pdf_text(tmp_path / "refs.pdf")
    assert "root:" not in text
    assert f"{base}/text.png" in text.replace("\n", "")  # the text's own words stay as text


# --- the tagged variant --------------------------------------------------------------------------


def structure_roles(element, found: set[str] | None = None) -> set[str]:
    """Every structure type (/H1, /P, ...) under a structure element."""
    found = set() if found is None else found
    element = element.get_object()
    if isinstance(element, dict) and "/S" in element:
        found.add(element["/S"])
    kids = element.get("/K", []) if isinstance(element, dict) else element
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid, "get_object") and not isinstance(kid.get_object(), int):
            structure_roles(kid, found)
    return found


@pytest.mark.slow
def test_pdf_ua_1_is_tagged_with_structure_language_and_title(books, tmp_path):
    plain = PdfReader(books[EXAMPLE.name, "a5"]).trailer["/Root"]
    assert "/StructTreeRoot" not in plain
    root = PdfReader(convert(EXAMPLE, tmp_path / "ua", "--pdf-variant", "pdf/ua-1")).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert root["/Lang"] == "en"
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode("utf-8")
    roles = structure_roles(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/P", "/L", "/LI", "/Link", "/Sect"} <= roles, roles


# --- glyph coverage ------------------------------------------------------------------------------


def test_characters_no_installed_font_has_give_one_warning_naming_them():
    from converter.parse import parse
    from converter.write.pdf import write_pdf

    # U+10FFFD and U+10FFFC are private-use characters that no font on a normal system holds.
    work = parse("A Private Sign\n\nShe drew \U0010fffd and \U0010fffc, then \U0010fffd once more.\n")
    result = write_pdf(work)
    assert PdfReader(io.BytesIO(result.data)).pages
    assert result.warnings == [
        "no installed font has characters such as \U0010fffd, \U0010fffc, so the PDF shows them as empty "
        "boxes; install a font that has them (Debian's fonts-noto-core covers most scripts), "
        "then convert again"
    ]
    assert write_pdf(parse("Plain\n\n“Nothing” unusual here — café, naïve…\n")).warnings == []


def test_the_pdf_font_stack_has_the_cjk_faces_after_the_latin_ones():
    from converter.write.stylesheets import stylesheet

    stack = re.search(r"html \{\s*font-family:([^;]+);", stylesheet("pdf.css")).group(1)
    faces = [face.strip().strip('"') for face in stack.split(",")]
    assert faces.index("DejaVu Serif") < faces.index("Noto Serif CJK SC") < faces.index("Noto Sans CJK SC")
    assert faces.index("Noto Serif CJK JP") < faces.index("DejaVu Sans") and faces[-1] == "serif"
