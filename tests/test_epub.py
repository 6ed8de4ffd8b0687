"""The EPUB as readers and library programs see it: front matter, navigation, cover, OPF metadata,
long chapters split, reproducible bytes, --cover and --style. Every book made here goes through
EPUBCheck."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree
from PIL import Image

from converter.document import (
    Chapter,
    Metadata,
    Paragraph,
    SceneBreak,
    SeriesRef,
    Stats,
    TagGroup,
    TagKind,
    Text,
    Work,
)
from converter.source import read_source
from converter.write.epub import EpubOptions, content_uuid, file_as, write_epub
from tests.conftest import run_ficexport
from tests.support import (
    EXAMPLES,
    FIXTURES,
    OPF_NS,
    assert_epubcheck_clean,
    epub_documents,
    epub_metadata,
    epub_nav_titles,
    epub_opf,
    epub_text,
    lost_words,
    pdf_text,
)

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
FULL = FIXTURES / "ao3_full_preface.txt"
FIXTURE_TEXTS = [*sorted(FIXTURES.glob("*.txt")), EXAMPLES / "the-lighthouse-keepers-cat.txt"]


# --- Texts generated for the tests ----------------------------------------------------------------


def one_chapter_text() -> str:
    return "\n\n".join(
        f"Paragraph {n} of a story told in one piece, with nothing else." for n in range(1, 30)
    )


def hundred_chapter_text() -> str:
    chapters = []
    for n in range(1, 101):
        body = "\n\n".join(
            f"Day {n}, entry {k}: the weather held and the boat went out." for k in range(1, 4)
        )
        chapters.append(f"Chapter {n}: Day {n}\n\n{body}")
    return "\n\n".join(chapters)


LONG_PARAGRAPHS = 3600


def long_chapter_text() -> str:
    """One chapter of about 640 KB of XHTML, with a scene break every 60 paragraphs."""
    paragraphs = []
    for n in range(1, LONG_PARAGRAPHS + 1):
        paragraphs.append(
            f"Paragraph {n:04d} goes on at some length about the lighthouse, the sea, the cat and the "
            f"long night, so that the chapter grows past what an old reader can open at once."
        )
        if n % 60 == 0 and n < LONG_PARAGRAPHS:
            paragraphs.append("* * *")
    return "Chapter 1: The Long One\n\n" + "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    """Every fixture and generated text converted once to EPUB by the real command, all in one run
    as a user converts several files: a process per file spent most of its time starting up."""
    folder = tmp_path_factory.mktemp("epub-books")
    texts = {path.stem: path for path in FIXTURE_TEXTS}
    for name, text in (
        ("one-chapter", one_chapter_text()),
        ("hundred-chapters", hundred_chapter_text()),
        ("long-chapter", long_chapter_text()),
    ):
        texts[name] = folder / f"{name}.txt"
        texts[name].write_text(text, encoding="utf-8")
    result = run_ficexport(*texts.values(), "-o", folder / "out", cwd=folder)
    assert result.returncode == 0, result.stderr
    made = {name: folder / "out" / f"{name}.epub" for name in texts}
    assert all(path.is_file() for path in made.values()), result.stderr
    made["sources"] = texts  # type: ignore[assignment]
    return made


def read_member(epub: Path, name: str) -> bytes:
    with zipfile.ZipFile(epub) as archive:
        return archive.read(f"EPUB/{name}")


def manifest(epub: Path) -> dict[str, etree._Element]:
    _, opf = epub_opf(epub)
    return {item.get("id"): item for item in opf.iterfind(".//opf:manifest/opf:item", OPF_NS)}


def spine_hrefs(epub: Path) -> list[str]:
    return [href for href, _ in epub_documents(epub)]


def landmarks(epub: Path) -> list[tuple[str, str]]:
    nav = etree.fromstring(read_member(epub, "nav.xhtml"))
    marks = next(n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "landmarks")
    return [(a.get(EPUB_TYPE), a.get("href")) for a in marks.iter(f"{XHTML}a")]


def ncx_labels(epub: Path) -> list[str]:
    ncx = etree.fromstring(read_member(epub, "toc.ncx"))
    return [t.text for t in ncx.iterfind(".//{*}navPoint/{*}navLabel/{*}text")]


# --- Validity -------------------------------------------------------------------------------------

ALL_BOOKS = [path.stem for path in FIXTURE_TEXTS] + ["one-chapter", "hundred-chapters", "long-chapter"]


@pytest.mark.parametrize("name", ALL_BOOKS)
def test_epubcheck_finds_nothing_in_any_fixture_or_generated_work(books, name):
    assert_epubcheck_clean(books[name])


@pytest.mark.parametrize("name", ALL_BOOKS)
def test_no_word_is_lost(books, name):
    source = read_source(books["sources"][name]).text  # fixtures come in many encodings
    assert not lost_words(source, epub_text(books[name]))


# --- Front matter ---------------------------------------------------------------------------------


def test_title_page_reads_like_ao3s_preface_in_ao3_order_with_plural_labels(books):
    page = etree.fromstring(read_member(books["ao3_full_preface"], "title-page.xhtml"))
    section = page.find(f"{XHTML}body/{XHTML}section")
    assert section.get(EPUB_TYPE) == "titlepage"
    order = [child.get("class") for child in section]
    assert order == ["title", "byline", "tags", "summary", "notes work-notes"]
    assert "".join(section.find(f"{XHTML}p").itertext()) == "by quire_and_thread"
    labels = [dt_.text for dt_ in section.iter(f"{XHTML}dt")]
    assert labels == [
        "Rating",
        "Archive Warning",
        "Categories",
        "Fandom",
        "Relationships",
        "Characters",
        "Additional Tags",
        "Language",
        "Series",
        "Collections",
        "Stats",
    ]
    values = {d.get("class"): "".join(d.itertext()) for d in section.iter(f"{XHTML}dd")}
    assert values["series"] == "Part 2 of The Bindery Quarter"
    assert values["collections"] == "Tiny Crafts Fest 2024, Rainy Day Reads"
    assert values["stats"].startswith("Published: 2024-06-01 · Updated: 2024-06-15 · Words: 480")


def test_chapter_summary_and_notes_come_before_the_text_and_end_notes_after_each_labelled(books):
    chapter = etree.fromstring(read_member(books["ao3_full_preface"], "chapter-001.xhtml"))
    section = chapter.find(f"{XHTML}body/{XHTML}section")
    pieces = [(child.get("class"), "".join(child.findtext(f"{XHTML}h3") or "")) for child in section[1:]]
    assert pieces == [
        ("summary chapter-summary", "Chapter Summary"),
        ("notes chapter-notes", "Chapter Notes"),
        ("chapter-text", ""),
        ("notes end-notes chapter-end-notes", "Chapter End Notes"),
    ]


def test_work_end_notes_and_inspired_works_are_at_the_back(books):
    epub = books["ao3_full_preface"]
    assert spine_hrefs(epub)[-3:] == ["chapter-002.xhtml", "end-notes.xhtml", "back-01.xhtml"]
    back = b"".join([read_member(epub, "end-notes.xhtml"), read_member(epub, "back-01.xhtml")]).decode()
    assert "More chapters when the rain stops." in back
    assert "Works inspired by this one" in back and "Marbled Paper by an_invented_reader" in back
    assert epub_nav_titles(epub)[-2:] == ["End Notes", "Works inspired by this one"]


def test_source_url_is_a_line_under_the_byline_and_names_the_archive():
    work = _work(source_url="https://archiveofourown.org/works/123")
    with zipfile.ZipFile(io.BytesIO(write_epub(work))) as archive:
        page = etree.fromstring(archive.read("EPUB/title-page.xhtml"))
    line = page.find(f".//{XHTML}p[@class='source']")
    assert "".join(line.itertext()) == (
        "Posted originally on the Archive of Our Own at https://archiveofourown.org/works/123."
    )
    assert line.find(f"{XHTML}a").get("href") == "https://archiveofourown.org/works/123"
    assert line.getprevious().get("class") == "byline"


# --- Navigation -----------------------------------------------------------------------------------


def test_hundred_chapters_give_a_hundred_toc_entries_in_nav_and_ncx(books):
    epub = books["hundred-chapters"]
    expected = [f"Chapter {n}: Day {n}" for n in range(1, 101)]
    assert epub_nav_titles(epub) == expected
    assert ncx_labels(epub) == expected
    assert spine_hrefs(epub)[3:] == [f"chapter-{n:03d}.xhtml" for n in range(1, 101)]


def test_one_chapter_work_has_its_title_alone_in_the_toc(books):
    assert epub_nav_titles(books["one-chapter"]) == ["One Chapter"]  # the file's name, made readable


def test_landmarks_name_cover_title_page_contents_and_start_of_text_as_epub3_types(books):
    epub = books["the-lighthouse-keepers-cat"]
    assert landmarks(epub) == [
        ("cover", "cover.xhtml"),
        ("titlepage", "title-page.xhtml"),  # EPUB 3's word; ebooklib writes EPUB 2's "title-page"
        ("toc", "nav.xhtml"),
        ("bodymatter", "chapter-001.xhtml"),
    ]
    nav = etree.fromstring(read_member(epub, "nav.xhtml"))
    assert next(n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "landmarks").get("hidden")
    _, opf = epub_opf(epub)
    guide = [(r.get("type"), r.get("href")) for r in opf.iterfind(".//opf:guide/opf:reference", OPF_NS)]
    assert guide == [
        ("cover", "cover.xhtml"),
        ("title-page", "title-page.xhtml"),
        ("toc", "nav.xhtml"),
        ("text", "chapter-001.xhtml"),
    ]


@pytest.mark.parametrize("name", ALL_BOOKS)
def test_every_file_in_the_book_has_an_ascii_name(books, name):
    with zipfile.ZipFile(books[name]) as archive:
        names = archive.namelist()
    assert all(re.fullmatch(r"[A-Za-z0-9._/-]+", n) for n in names), names


@pytest.mark.parametrize("name", ALL_BOOKS)
def test_every_document_says_its_language(books, name):
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    language = epub_metadata(books[name])["language"][0]  # from the text's metadata or detected
    for href, root in epub_documents(books[name]):
        assert root.get("lang") == root.get(lang) == language, href
    _, opf = epub_opf(books[name])
    assert opf.get(lang) == language


# --- Long chapters --------------------------------------------------------------------------------


def test_long_chapter_is_split_into_files_under_250_kb_with_one_toc_entry(books):
    epub = books["long-chapter"]
    pieces = [href for href in spine_hrefs(epub) if href.startswith("chapter-001")]
    assert len(pieces) >= 3
    assert pieces == ["chapter-001.xhtml"] + [f"chapter-001-{n:02d}.xhtml" for n in range(2, len(pieces) + 1)]
    assert all(len(read_member(epub, href)) <= 250_000 for href in pieces)
    assert epub_nav_titles(epub) == ["The Long One"]  # a one-chapter work: its title alone
    assert ncx_labels(epub) == ["The Long One"]


@pytest.mark.slow
def test_long_chapter_kepub_is_split_so_its_documents_stay_under_250_kb_with_kobo_markup(books, tmp_path):
    source = books["sources"]["long-chapter"]
    assert run_ficexport(source, "--kepub", "-o", tmp_path, cwd=tmp_path).returncode == 0
    kepub = tmp_path / "long-chapter.kepub.epub"
    pieces = [href for href in spine_hrefs(kepub) if href.startswith("chapter-001")]
    assert len(pieces) >= 3
    assert all(len(read_member(kepub, href)) <= 250_000 for href in pieces)
    assert epub_nav_titles(kepub) == ["The Long One"]
    numbers = [int(n) for n in re.findall(r"Paragraph (\d{4})", epub_text(kepub))]
    assert numbers == list(range(1, LONG_PARAGRAPHS + 1))
    assert_epubcheck_clean(kepub)


def test_long_chapter_text_stays_in_order_and_later_pieces_open_at_a_scene_break(books):
    epub = books["long-chapter"]
    text = epub_text(epub)
    numbers = [int(n) for n in re.findall(r"Paragraph (\d{4})", text)]
    assert numbers == list(range(1, LONG_PARAGRAPHS + 1))
    for href, root in epub_documents(epub):
        if re.fullmatch(r"chapter-001-\d\d\.xhtml", href):
            first = root.find(f".//{XHTML}div[@class='chapter-text continued']")[0]
            assert first.get("class") == "scene-break", href


def test_split_falls_back_to_a_paragraph_boundary_without_scene_breaks(tmp_path):
    body = tuple(Paragraph((Text(f"Block {n:05d} " + "word " * 60),)) for n in range(3000))
    work = _work(chapters=(Chapter(1, title="No Breaks", label="Chapter 1", body=body),))
    path = tmp_path / "no-breaks.epub"
    path.write_bytes(write_epub(work, EpubOptions(max_document_bytes=200_000)))
    hrefs = spine_hrefs(path)
    assert "chapter-001-02.xhtml" in hrefs
    assert re.findall(r"Block (\d{5})", epub_text(path)) == [f"{n:05d}" for n in range(3000)]
    assert_epubcheck_clean(path)


# --- Cover ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["the-lighthouse-keepers-cat", "one-chapter"])
def test_generated_cover_is_marked_in_every_way_readers_look(books, name):
    epub = books[name]
    items = manifest(epub)
    covers = [item for item in items.values() if "cover-image" in (item.get("properties") or "").split()]
    assert len(covers) == 1
    image_item = covers[0]
    assert epub_metadata(epub)["cover"] == [image_item.get("id")]
    first_href, first_page = epub_documents(epub)[0]
    img = first_page.find(f".//{XHTML}img")
    assert first_href == "cover.xhtml"
    assert img.get("src") == image_item.get("href")
    assert img.get("alt").startswith("Cover: ")
    image = Image.open(io.BytesIO(read_member(epub, image_item.get("href"))))
    assert (image.format, image.size) == ("PNG", (1600, 2400))


def test_own_cover_image_is_used_as_it_is(tmp_path, run_cli):
    cover = tmp_path / "mine.jpg"
    Image.new("RGB", (600, 900), "#884422").save(cover, "JPEG")
    result = run_cli(FULL, "--cover", cover, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    epub = tmp_path / "ao3_full_preface.epub"
    item = next(i for i in manifest(epub).values() if i.get("properties") == "cover-image")
    assert item.get("media-type") == "image/jpeg"
    assert read_member(epub, item.get("href")) == cover.read_bytes()
    assert_epubcheck_clean(epub)


def test_own_cover_in_another_format_is_converted_to_one_every_reader_shows(tmp_path, run_cli):
    cover = tmp_path / "mine.webp"
    Image.new("RGB", (300, 450), "#224488").save(cover, "WEBP")
    result = run_cli(FULL, "--cover", cover, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    item = next(
        i
        for i in manifest(tmp_path / "ao3_full_preface.epub").values()
        if i.get("properties") == "cover-image"
    )
    assert item.get("media-type") == "image/jpeg"


def test_cover_that_is_not_an_image_is_one_sentence_and_exit_1(tmp_path, run_cli):
    cover = tmp_path / "cover.png"
    cover.write_text("not a picture")
    result = run_cli(FULL, "--cover", cover, "-o", tmp_path)
    assert result.returncode == 1
    assert "cover.png: this is not an image ficexport can read; use a JPEG or PNG file." in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "ao3_full_preface.epub").exists()


def test_missing_cover_is_a_usage_error(tmp_path, run_cli):
    result = run_cli(FULL, "--cover", tmp_path / "nope.png", "-o", tmp_path)
    assert result.returncode == 2
    assert "nope.png" in result.stderr


# --- OPF metadata ---------------------------------------------------------------------------------


def _work(
    source_url: str | None = None,
    chapters: tuple[Chapter, ...] | None = None,
    authors: tuple[str, ...] = ("Jane Austen", "quill_and_ink"),
) -> Work:
    meta = Metadata(
        title="A Test of Metadata",
        authors=authors,
        language="en",
        summary=(Paragraph((Text("A summary in "), Text("two runs."))),),
        tags=(
            TagGroup(TagKind.RATING, ("General Audiences",)),
            TagGroup(TagKind.FANDOM, ("Original Work", "Folklore")),
            TagGroup(TagKind.FREEFORM, ("Tea",)),
        ),
        series=(SeriesRef("The Test Series", 3),),
        stats=Stats(published="2023-02-01", updated="2023-03-04"),
        source_url=source_url,
    )
    body = (Paragraph((Text("It began."),)), SceneBreak(), Paragraph((Text("It ended."),)))
    return Work(meta=meta, chapters=chapters or (Chapter(1, title="Only", body=body),))


def test_opf_has_every_field_library_programs_read(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = tmp_path / "meta.epub"
    path.write_bytes(write_epub(_work(source_url="https://archiveofourown.org/works/42")))
    assert_epubcheck_clean(path)
    meta = epub_metadata(path)
    assert meta["title"] == ["A Test of Metadata"]
    assert meta["creator"] == ["Jane Austen", "quill_and_ink"]
    assert meta["file-as"] == ["Austen, Jane", "quill_and_ink"]
    assert meta["role"] == ["aut", "aut"]
    assert meta["language"] == ["en"]
    assert meta["description"] == ["A summary in two runs."]
    assert meta["subject"] == ["General Audiences", "Original Work", "Folklore", "Tea"]
    assert meta["date"] == ["2023-02-01"]
    assert meta["dcterms:modified"] == ["2023-03-04T00:00:00Z"]  # its own Updated: the text's date wins
    assert meta["source"] == ["https://archiveofourown.org/works/42"]
    assert meta["publisher"] == ["Archive of Our Own"]
    assert meta["belongs-to-collection"] == ["The Test Series"]
    assert meta["collection-type"] == ["series"]
    assert meta["group-position"] == ["3"]
    assert meta["calibre:series"] == ["The Test Series"]
    assert meta["calibre:series_index"] == ["3"]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", meta["identifier"][0])
    for prop in ("accessMode", "accessModeSufficient", "accessibilityFeature", "accessibilityHazard"):
        assert meta[f"schema:{prop}"], prop
    assert meta["schema:accessibilitySummary"][0]


def test_creators_refines_point_at_their_creator(tmp_path):
    path = tmp_path / "meta.epub"
    path.write_bytes(write_epub(_work()))
    _, opf = epub_opf(path)
    creators = {c.get("id"): c.text for c in opf.iterfind(".//dc:creator", OPF_NS)}
    file_as_by_creator = {
        creators[m.get("refines").lstrip("#")]: m.text
        for m in opf.iterfind(".//opf:meta[@property='file-as']", OPF_NS)
    }
    assert file_as_by_creator == {"Jane Austen": "Austen, Jane", "quill_and_ink": "quill_and_ink"}
    assert all(m.get("scheme") is None for m in opf.iterfind(".//opf:meta[@property='file-as']", OPF_NS))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jane Austen", "Austen, Jane"),
        ("J. R. R. Tolkien", "Tolkien, J. R. R."),
        ("ficexport_examples", "ficexport_examples"),
        ("Martin Luther King Jr.", "Martin Luther King Jr."),
        ("the lady of shalott", "the lady of shalott"),
        ("Austen, Jane", "Austen, Jane"),
    ],
)
def test_file_as_sorts_personal_names_by_family_name_and_keeps_user_names(name, expected):
    assert file_as(name) == expected


def test_identifier_comes_from_the_text_not_from_chance():
    work = _work()
    other_text = _work(chapters=(Chapter(1, title="Only", body=(Paragraph((Text("Different."),)),)),))
    assert content_uuid(work) == content_uuid(_work())
    assert content_uuid(work) != content_uuid(other_text)


# --- Reproducible bytes ---------------------------------------------------------------------------


def test_converting_twice_gives_identical_bytes_with_a_fixed_zip(tmp_path, run_cli):
    for folder in ("a", "b"):
        assert run_cli(FULL, "--epub", "--kepub", "-o", tmp_path / folder).returncode == 0
    for name in ("ao3_full_preface.epub", "ao3_full_preface.kepub.epub"):
        first, second = (tmp_path / "a" / name).read_bytes(), (tmp_path / "b" / name).read_bytes()
        assert first == second, name
        with zipfile.ZipFile(tmp_path / "a" / name) as archive:
            infos = archive.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_source_date_epoch_changes_only_the_modified_date(monkeypatch):
    work = Work(meta=Metadata(title="Undated"), chapters=_work().chapters)  # no date of its own
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    first = write_epub(work)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1100000000")
    second = write_epub(work)
    assert first != second
    assert write_epub(work, EpubOptions(modified=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))) == write_epub(
        work, EpubOptions(modified=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    )
    with zipfile.ZipFile(io.BytesIO(second)) as archive:
        assert b"2004-11-09T11:33:20Z" in archive.read("EPUB/content.opf")


# --- --style --------------------------------------------------------------------------------------


def test_style_sheet_comes_last_in_the_epub_and_shapes_the_pdf(tmp_path, run_cli):
    style = tmp_path / "mine.css"
    style.write_text("@page { size: A6; }\np { letter-spacing: 0.01em; }\n", encoding="utf-8")
    result = run_cli(FULL, "--epub", "--pdf", "--style", style, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    css = read_member(tmp_path / "ao3_full_preface.epub", "styles/book.css").decode()
    assert css.rstrip().endswith(style.read_text().rstrip())
    from pypdf import PdfReader

    box = PdfReader(str(tmp_path / "ao3_full_preface.pdf")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (298, 420)  # A6 in points
    assert not lost_words(FULL.read_text(encoding="utf-8"), pdf_text(tmp_path / "ao3_full_preface.pdf"))


def test_missing_style_sheet_is_one_sentence(tmp_path, run_cli):
    result = run_cli(FULL, "--style", tmp_path / "none.css", "-o", tmp_path)
    assert result.returncode == 1
    assert "none.css: no such style sheet; check the --style path." in result.stderr


def test_book_files_are_under_the_package_folder(books):
    with zipfile.ZipFile(books["hundred-chapters"]) as archive:
        names = archive.namelist()
    assert names[:3] == ["mimetype", "META-INF/container.xml", "EPUB/content.opf"]
    assert {str(PurePosixPath(n).parent) for n in names[3:]} <= {"EPUB", "EPUB/styles", "EPUB/images"}
