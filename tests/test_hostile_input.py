"""Hostile and broken input: a clear answer, nothing lost, nothing leaked (issue 7).

Read top to bottom, the test names are the list of what is covered: every kind of bad input gets one
sentence and exit code 1 with no book and no traceback; markup in a text stays text; names made from
titles stay inside the output folder; extreme but real texts convert. The command runs as a user runs
it (``run_cli``); the few cases a test cannot make for real without privileges are said so where
they are. (The PDF's refusal of ``file://`` and ``http://`` references is in ``test_pdf.py``; random
text through the parser and into EPUBCheck is in ``test_parse_properties.py``.)
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html

from converter.convert import ConvertOptions, convert_file
from converter.errors import OutputError
from tests.conftest import run_ficexport
from tests.support import (
    EXAMPLES,
    assert_epubcheck_clean,
    epub_documents,
    epub_metadata,
    epub_nav_titles,
    epub_opf,
    epub_reading_text,
    epub_text,
    listing,
    lost_words,
    pdf_text,
)

EXAMPLE = EXAMPLES / "the-lighthouse-keepers-cat.txt"
XHTML = "{http://www.w3.org/1999/xhtml}"


def assert_one_sentence(result: subprocess.CompletedProcess, *expected: str) -> None:
    """Exit code 1 and one line on stderr that holds each of ``expected``, with no traceback."""
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ficexport: ") and lines[0].endswith(".")
    for words in expected:
        assert words in lines[0]
    assert "Traceback" not in result.stderr


def books_in(folder: Path) -> list[str]:
    """Every file a run left in ``folder`` besides the batch's record: books, temporary files."""
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.rglob("*") if p.name != ".ficexport-state.json")


# --- bad input: one sentence each ----------------------------------------------------------------

# (id, the file's bytes, what the sentence says)
BAD_FILES = [
    ("empty file", b"", "the file is empty; there is nothing to convert"),
    ("whitespace only", b" \n\t\r\n  \n", "the file is empty"),
    ("invisible characters only", "\u00a0\n\u200b\ufeff\n".encode(), "the file holds only white space"),
    ("nul bytes", b"Chapter 1\x00\x00\x01\x02 text\x00\xff", "this is a binary file, not text"),
    ("png renamed txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "this is a PNG image, not a text file"),
    ("jpeg renamed txt", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(64), "this is a JPEG image"),
    ("zip renamed txt", b"PK\x03\x04\x14\x00" + bytes(range(256)), "this is a zip archive (an EPUB or DOCX"),
    ("pdf renamed txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "this is a PDF document"),
    (
        "word document renamed txt",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64),
        "this is an old Microsoft Office document",
    ),
]


@pytest.mark.parametrize(("data", "says"), [case[1:] for case in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_bad_file_is_one_sentence_exit_1_and_no_book(tmp_path, run_cli, data, says):
    source = tmp_path / "work.txt"
    source.write_bytes(data)
    result = run_cli(source, "--epub", "--pdf", "-o", tmp_path / "out")
    assert_one_sentence(result, f"{source}: {says}")
    assert books_in(tmp_path / "out") == []
    assert source.read_bytes() == data


def test_missing_path_is_one_sentence(tmp_path, run_cli):
    result = run_cli(tmp_path / "nope.txt", "-o", tmp_path)
    assert_one_sentence(result, "nope.txt: no such file; check the path")


def test_folder_without_texts_where_a_file_was_expected_is_one_sentence(tmp_path, run_cli):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_bytes(b"\xff\xd8\xff")
    result = run_cli(tmp_path / "photos")
    assert_one_sentence(result, "no text files found in", "photos")


@pytest.mark.parametrize("option", ["--style", "--cover"])
def test_folder_given_for_a_file_option_is_a_usage_error(tmp_path, run_cli, option):
    result = run_cli(EXAMPLE, option, tmp_path, "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "is a directory" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_file_given_as_the_output_folder_is_a_usage_error(tmp_path, run_cli):
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    result = run_cli(EXAMPLE, "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "is a file" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "out").read_text(encoding="utf-8") == "not a folder"


def run_without_root_powers(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    """The command run so that file permissions apply to it.

    The tests often run as root (in CI, in containers), whom permissions do not stop. Root's
    powers to read and write past them are two capabilities (``CAP_DAC_OVERRIDE``,
    ``CAP_DAC_READ_SEARCH``); dropping them from the child's bounding set before it starts makes
    it a root that a ``chmod 000`` file stops, so the permission error is real. Skips where the
    capabilities cannot be dropped."""
    if os.geteuid() != 0:
        return run_ficexport(*args, cwd=cwd)

    def drop_powers() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl")

    try:
        return run_ficexport(*args, cwd=cwd, preexec_fn=drop_powers)
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"cannot drop root's file powers here ({error})")


def test_unreadable_file_is_permission_denied_in_one_sentence(tmp_path):
    source = tmp_path / "locked.txt"
    shutil.copy(EXAMPLE, source)
    source.chmod(0)
    result = run_without_root_powers(source, "-o", tmp_path / "out", cwd=tmp_path)
    assert_one_sentence(result, "locked.txt: permission denied; make the file readable")
    assert books_in(tmp_path / "out") == []


def test_unwritable_output_folder_is_one_sentence_and_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    result = run_without_root_powers(EXAMPLE, "-o", out, cwd=tmp_path)
    out.chmod(0o755)
    assert result.returncode == 1
    assert "the-lighthouse-keepers-cat.epub: could not be written (permission denied)" in result.stderr
    assert "Traceback" not in result.stderr
    assert books_in(out) == []


def test_output_folder_that_cannot_be_made_is_one_sentence(tmp_path, run_cli):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    result = run_cli(EXAMPLE, "-o", tmp_path / "a-file" / "books")
    assert result.returncode == 1
    assert (
        "a-file/books: cannot write here" in result.stderr
        and "choose another folder with -o" in result.stderr
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("data", "options", "says"),
    [
        pytest.param(
            bytes(range(0x80, 0x100)) * 12,
            (),
            "the text's encoding could not be recognised (it is not UTF-8, UTF-16 or a known legacy "
            "encoding); name it with --encoding",
            id="no encoding fits",
        ),
        pytest.param(
            b"text", ("--encoding", "klingon-8"), "'klingon-8' is not an encoding", id="unknown encoding"
        ),
    ],
)
def test_undecodable_bytes_name_the_encoding_tried_and_point_to_encoding_option(
    tmp_path, run_cli, data, options, says
):
    source = tmp_path / "work.txt"
    source.write_bytes(data)
    result = run_cli(source, *options, "-o", tmp_path / "out")
    assert_one_sentence(result, says)
    assert books_in(tmp_path / "out") == []


@pytest.mark.parametrize(
    ("data", "options", "says", "reads"),
    [
        pytest.param(
            "“Zoë” and the café.\n\n".encode() * 30 + b"A stray \x85 byte.\n\n" + "“Naïve.”\n".encode() * 30,
            (),
            "the text is UTF-8 but for one byte that is not (on line 61, column 9); "
            "it is kept as the replacement character \ufffd",
            "A stray \ufffd byte.",
            id="utf-8 but for a stray byte",
        ),
        pytest.param(
            "Zoë and the café, naïve.\n".encode("cp1252"),
            ("--encoding", "utf-8"),
            "the text is UTF-8 but for 3 bytes that are not (the first on line 1, column 3); "
            "each is kept as the replacement character \ufffd; if the text is not UTF-8, try another "
            "--encoding",
            "Zo\ufffd and the caf\ufffd, na\ufffdve.",
            id="forced encoding does not fit",
        ),
    ],
)
def test_bytes_the_encoding_does_not_decode_are_converted_with_one_warning_saying_where(
    tmp_path, run_cli, data, options, says, reads
):
    source = tmp_path / "work.txt"
    source.write_bytes(data)
    result = run_cli(source, *options, "-o", tmp_path / "out", "--no-smart")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [f"ficexport: {source}: {says}"]
    assert reads in epub_reading_text(tmp_path / "out" / "work.epub")
    assert source.read_bytes() == data


def test_forcing_the_right_encoding_reads_what_detection_could_not(tmp_path, run_cli):
    source = tmp_path / "work.txt"
    source.write_bytes("Zoë and the café, naïve.\n".encode("cp1252") * 3)
    result = run_cli(source, "--encoding", "cp1252", "-o", tmp_path / "out", "--no-smart")
    assert result.returncode == 0, result.stderr
    assert "Zoë and the café, naïve." in epub_text(tmp_path / "out" / "work.epub")


def test_file_over_max_size_is_one_sentence_naming_the_limit(tmp_path, run_cli):
    source = tmp_path / "big.txt"
    source.write_text("All work and no play. " * 100_000, encoding="utf-8")  # 2.2 MB
    result = run_cli(source, "--max-size", "1", "-o", tmp_path / "out")
    assert_one_sentence(result, "big.txt: the file is 2.2 MB, over the 1 MB limit", "--max-size")
    assert books_in(tmp_path / "out") == []
    assert run_cli(source, "--max-size", "3", "-o", tmp_path / "out").returncode == 0


def test_disk_full_mid_write_is_one_sentence_and_leaves_no_partial_file(tmp_path):
    """A real full disk: a 16 KB file system (tmpfs) in a mount namespace of the command's own.
    Skips where mount namespaces are not allowed; the simulated test below runs everywhere."""
    unshare = shutil.which("unshare")
    if unshare is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare(1) to mount a tiny file system")
    out = tmp_path / "tiny"
    out.mkdir()
    script = (
        'mount -t tmpfs -o size=16k tmpfs "$1" || exit 99; shift; "$@"; code=$?; ls -A "$OUT"; exit $code'
    )
    result = subprocess.run(
        [
            unshare,
            "--mount",
            "sh",
            "-c",
            script,
            "sh",
            out,
            sys.executable,
            "-m",
            "converter",
            EXAMPLE,
            "-o",
            out,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "OUT": str(out)},
    )
    if result.returncode == 99:
        pytest.skip("mounting a tmpfs is not allowed here")
    assert result.returncode == 1
    assert "the-lighthouse-keepers-cat.epub: could not be written (the disk is full); free some space" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert result.stdout.split() == []  # the folder on the full disk was left empty


def test_disk_full_at_the_write_call_keeps_the_old_book_and_leaves_no_partial_file(tmp_path, monkeypatch):
    """The same failure simulated in the one write call, half the bytes on disk when it fails."""
    out = tmp_path / "out"
    convert_file(EXAMPLE, ConvertOptions(output_dir=out))
    book = out / "the-lighthouse-keepers-cat.epub"
    old = book.read_bytes()
    real_fdopen = os.fdopen

    class FillsUp:
        def __init__(self, stream):
            self.stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.stream.__exit__(*exc)

        def write(self, data):
            self.stream.write(data[: len(data) // 2])
            self.stream.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.stream, name)

    monkeypatch.setattr("converter.output.os.fdopen", lambda *a, **k: FillsUp(real_fdopen(*a, **k)))
    with pytest.raises(OutputError) as raised:
        convert_file(EXAMPLE, ConvertOptions(output_dir=out, smart=False))
    assert raised.value.sentence() == (
        f"{book}: could not be written (the disk is full); free some space or choose another folder with -o."
    )
    assert listing(out) == ["the-lighthouse-keepers-cat.epub"]
    assert [p.name for p in out.iterdir() if p.name.endswith(".part")] == []
    assert book.read_bytes() == old


def test_no_traceback_unless_debug(tmp_path, run_cli):
    source = tmp_path / "photo.txt"
    source.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    plain = run_cli(source)
    assert "Traceback" not in plain.stderr
    debug = run_cli(source, "--debug")
    assert debug.returncode == 1
    assert "photo.txt: this is a PNG image" in debug.stderr
    assert "Traceback (most recent call last)" in debug.stderr and "InputError" in debug.stderr


def test_unknown_language_is_a_usage_error_not_a_broken_book(tmp_path, run_cli):
    result = run_cli(EXAMPLE, "--language", "zz <x>&", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "is not a language ficexport knows" in result.stderr
    assert not (tmp_path / "out").exists()


# --- markup in the text stays text ---------------------------------------------------------------

MARKUP = [
    '<script>alert("boo")</script>',
    '<img src="http://127.0.0.1:9/track.png" onerror="alert(1)">',
    "&amp; &lt; &#x41; &nbsp;",
    "]]> closes nothing",
    "<!-- not a comment -->",
    "</style><style>body { display: none }</style>",
    '<a href="javascript:alert(1)">click</a>',
    '<?xml-stylesheet href="http://127.0.0.1:9/evil.css"?>',
    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]> &xxe;',
]
# Bidi controls: an override, an embedding and an isolate, each closed, and an override left open.
BIDI = "Ada wrote \u202eolleh\u202c, \u202bembedded\u202c, \u2067isolated\u2069 and \u202eopen to the end"
HOSTILE_TEXT = (
    "Markup Is Only Text\nby Mallory\n\nChapter 1: <b>Not Bold</b>\n\n"
    + "\n\n".join(f"She typed {markup} into the box." for markup in MARKUP)
    + "\n\nControl codes: bell\x07, form\x0cfeed, escape\x1b[31m red, delete\x7f and next-line\x85.\n\n"
    + BIDI
    + "\n"
)


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "hostile.txt"
    source.write_text(HOSTILE_TEXT, encoding="utf-8")
    result = run_ficexport(source, "--epub", "--html", "--no-smart", "-o", folder / "out", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "out" / "hostile.epub"


def test_markup_in_text_gives_an_epub_epubcheck_passes(hostile_book):
    assert_epubcheck_clean(hostile_book)


def test_markup_in_text_appears_literally_in_the_xhtml(hostile_book):
    text = epub_reading_text(hostile_book)
    for markup in MARKUP:
        assert markup in text
    assert "<b>Not Bold</b>" in " ".join(epub_nav_titles(hostile_book))


def test_markup_in_text_makes_no_element_and_nothing_that_is_fetched(hostile_book):
    for href, root in epub_documents(hostile_book):
        tags = {etree.QName(element).localname for element in root.iter() if isinstance(element.tag, str)}
        assert not tags & {"script", "style", "iframe", "object", "embed", "b"}, href
        for element in root.iter(f"{XHTML}img"):
            assert href == "cover.xhtml" and element.get("src") == "images/cover.png"
        for element in root.iter(f"{XHTML}a"):
            assert not element.get("href", "").startswith("javascript"), href
        assert not [
            attribute for element in root.iter() for attribute in element.attrib if attribute.startswith("on")
        ]
    _, opf = epub_opf(hostile_book)
    for item in opf.iter("{http://www.idpf.org/2007/opf}item"):
        assert "://" not in item.get("href") and "remote-resources" not in (item.get("properties") or "")


def test_markup_in_text_stays_text_in_the_html_output(hostile_book):
    page = html.parse(str(hostile_book.with_suffix(".html"))).getroot()
    assert page.xpath("//script") == []
    assert [element.get("src") for element in page.iter() if element.get("src")] == []
    body = page.find("body").text_content()
    for markup in MARKUP:
        assert markup in body


def test_xml_forbidden_control_codes_become_spaces_between_their_words(hostile_book):
    text = epub_text(hostile_book)
    assert "bell , form feed, escape [31m red, delete\x7f and next-line\x85." in text


def test_bidi_controls_stay_in_the_text_where_their_paragraph_confines_them(hostile_book):
    """Right-to-left writing needs them, so they are kept; the paragraph's end closes one left
    open (Unicode's bidi algorithm ends every embedding with its paragraph, and each paragraph of
    the book is a block), so it cannot reverse the text after it."""
    chapter = next(root for href, root in epub_documents(hostile_book) if href.startswith("chapter"))
    paragraphs = ["".join(p.itertext()) for p in chapter.iter(f"{XHTML}p")]
    assert BIDI in paragraphs
    assert paragraphs[-1] == BIDI


def test_character_references_to_forbidden_characters_in_html_are_cleaned(tmp_path, run_cli):
    source = tmp_path / "page.html"
    source.write_text(
        "<html><head><title>Bell&#1;Tower</title></head><body><h1>The&#x0B;Bell &#xD800;</h1>"
        '<p title="a&#2;b">Rang &#0;twice &#xFFFE;at&#x1F;noon.</p></body></html>',
        encoding="utf-8",
    )
    result = run_cli(source, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    book = tmp_path / "out" / "page.epub"
    assert_epubcheck_clean(book)
    assert epub_metadata(book)["title"] == ["The Bell \ufffd"]
    assert "Rang \ufffdtwice at noon." in epub_reading_text(book)


def test_undecodable_bytes_in_title_argument_become_a_replacement_character(tmp_path, run_cli):
    title = os.fsdecode(b"Caf\xe9 <Noir>")  # a Latin-1 terminal's "Café": a lone surrogate here
    result = run_cli(EXAMPLE, "--title", title, "--author", "A\x01B", "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    book = tmp_path / "the-lighthouse-keepers-cat.epub"
    assert epub_metadata(book)["title"] == ["Caf\ufffd <Noir>"]
    assert epub_metadata(book)["creator"] == ["A B"]
    assert_epubcheck_clean(book)


def test_file_name_that_is_not_utf8_keeps_its_bytes_and_is_up_to_date_the_second_time(tmp_path, run_cli):
    source = tmp_path / os.fsdecode(b"caf\xe9.txt")  # a Latin-1 "café.txt" from an old disk
    source.write_text("A text that names no title, so the file's name is its title.\n", encoding="utf-8")
    out = tmp_path / "out"

    # The command prints the name as the file system holds it: read its output the same way.
    def run() -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "converter", source, "-o", out]
        return subprocess.run(
            command, capture_output=True, encoding="utf-8", errors="surrogateescape", cwd=tmp_path
        )

    first = run()
    assert first.returncode == 0, first.stderr
    assert [os.fsencode(name) for name in listing(out)] == [b"caf\xe9.epub"]
    # The title is made readable from the name; the byte no encoding gives stays U+FFFD.
    assert epub_metadata(out / listing(out)[0])["title"] == ["Caf\ufffd"]
    second = run()
    assert second.returncode == 0, second.stderr
    assert "up to date" in second.stderr


# --- names made from titles stay inside the output folder ----------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("../../etc/passwd", "etc-passwd.epub", id="path traversal"),
        pytest.param("/etc/cron.d/job", "etc-cron.d-job.epub", id="absolute path"),
        pytest.param("CON", "CON_.epub", id="windows device name"),
        pytest.param("a/b:c*?", "a-b-c.epub", id="reserved characters"),
        pytest.param("x" * 300, "x" * 120 + ".epub", id="300 characters"),
        pytest.param("🐉🔥✨", "🐉🔥✨.epub", id="only emoji"),
        pytest.param("\u202egpj.exe", "gpj.exe.epub", id="bidi override disguising the suffix"),
        pytest.param("..", "work.epub", id="nothing left falls back to the input name"),
        pytest.param(".hidden", "hidden.epub", id="leading dot"),
    ],
)
def test_title_used_as_a_name_gives_a_valid_file_inside_the_output_folder(tmp_path, run_cli, title, expected):
    source = tmp_path / "in" / "work.txt"
    source.parent.mkdir()
    shutil.copy(EXAMPLE, source)
    out = tmp_path / "out"
    result = run_cli(source, "--title", title, "--name", "{title}", "-o", out)
    assert result.returncode == 0, result.stderr
    assert listing(out) == [expected]
    assert sorted(p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*")) == sorted(
        ["in", "in", "out", "out", "out"]  # work.txt; the book and the record
    )
    assert len(expected.encode("utf-8")) <= 255


# --- extreme but real texts ----------------------------------------------------------------------


def convert(tmp_path: Path, run_cli, text: str, *options: str) -> Path:
    source = tmp_path / "work.txt"
    source.write_text(text, encoding="utf-8")
    result = run_cli(source, "-o", tmp_path / "out", *options)
    assert result.returncode == 0, result.stderr
    return tmp_path / "out" / "work.epub"


@pytest.mark.slow
def test_five_thousand_chapters_each_get_a_document_and_a_contents_entry(tmp_path, run_cli):
    text = "\n\n".join(f"Chapter {n}\n\nThe bell rang {n} times." for n in range(1, 5001))
    book = convert(tmp_path, run_cli, text)
    titles = epub_nav_titles(book)
    assert len(titles) == 5000 and titles[0] == "Chapter 1" and titles[-1] == "Chapter 5000"
    with zipfile.ZipFile(book) as archive:
        ncx = etree.fromstring(archive.read("EPUB/toc.ncx"))
    assert len(ncx.findall(".//{*}navPoint")) == 5000
    assert not lost_words(text, epub_text(book))  # epub_documents parses every one of them


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(" ".join(["the", "bell", "rang", "over", "harbour"] * 9000)[:200_000], id="words"),
        pytest.param("abcdefghij" * 20_000, id="no spaces at all"),
    ],
)
def test_a_200000_character_line_converts_with_every_word(tmp_path, run_cli, line):
    book = convert(tmp_path, run_cli, "One Line\n\n" + line + "\n")
    if " " not in line:  # the run without spaces is the one the renderer changes
        assert_epubcheck_clean(book)
    assert not lost_words(line, epub_text(book))


@pytest.mark.slow
def test_a_hundred_thousand_lines_of_unclosed_stars_convert_with_every_star(tmp_path, run_cli):
    """Every line opens an emphasis that never closes, so each ``*`` is text and every line is a
    paragraph of its own. (That this takes time in proportion to the lines is measured by
    ``benchmarks/lines.py``, not here.)"""
    lines = [f"*word{n}" for n in range(100_000)]
    book = convert(tmp_path, run_cli, "\n".join(lines) + "\n")
    # A chapter this long is split across documents (``converter/write/split.py``): read them all.
    chapters = [root for href, root in epub_documents(book) if href.startswith("chapter")]
    assert ["".join(p.itertext()) for root in chapters for p in root.iter(f"{XHTML}p")] == lines
    outline = run_cli(tmp_path / "work.txt", "--outline", "--json")
    assert outline.returncode == 0, outline.stderr
    assert json.loads(outline.stdout)["chapters"][0]["words"] == 100_000


@pytest.mark.slow
def test_a_run_of_letters_longer_than_a_line_is_broken_across_lines_in_the_pdf(tmp_path, run_cli):
    """Without a place to break, the run would leave the page (and WeasyPrint, hunting for a
    hyphenation point, would take minutes): soft hyphens every 40 letters give it those places."""
    run = "abcdefghij" * 2_000
    book = convert(tmp_path, run_cli, "One Run\n\n" + run + "\n", "--pdf", "--no-hyphenate")
    from pypdf import PdfReader

    assert not lost_words(run, pdf_text(book.with_suffix(".pdf")))
    lines = [
        line for page in PdfReader(book.with_suffix(".pdf")).pages for line in page.extract_text().split("\n")
    ]
    assert max(len(line) for line in lines) < 100


def test_a_file_of_only_scene_breaks_converts(tmp_path, run_cli):
    book = convert(tmp_path, run_cli, "\n\n".join(["* * *", "***", "---", "~~~", "⁂", "oOo"] * 50))
    assert_epubcheck_clean(book)


def test_a_work_of_only_metadata_converts(tmp_path, run_cli):
    text = (
        "Rating: General Audiences\nFandom: Original Work\nLanguage: English\n"
        "Stats: Published: 2020-01-01 Words: 0\n\nA Title With No Text\nsomeone\n\nSummary:\n\n"
    )
    book = convert(tmp_path, run_cli, text)
    assert_epubcheck_clean(book)
    assert not lost_words(text, epub_text(book))


def test_a_quote_nested_five_thousand_deep_keeps_its_text(tmp_path, run_cli):
    text = "Some text.\n\n" + "> " * 5000 + "the deepest words\n\n" + "*" * 3000 + "stars" + "*" * 3000 + "\n"
    book = convert(tmp_path, run_cli, text)
    assert not lost_words(text, epub_text(book))
    quotes = [q for _, root in epub_documents(book) for q in root.iter(f"{XHTML}blockquote")]
    assert quotes and max(len(list(q.iterancestors(f"{XHTML}blockquote"))) for q in quotes) < 10


# --- files that are no files: pipes, devices, links (a hang fails the test by its timeout) --------

#: Long enough for a small batch on a slow machine; a read of a pipe or /dev/zero never ends.
HANG = 120


def test_a_folder_with_a_pipe_a_device_and_link_loops_converts_the_good_files_and_names_the_odd(tmp_path):
    lib = tmp_path / "lib"
    (lib / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLE, lib / "good.txt")
    shutil.copy(EXAMPLE, lib / "sub" / "deep.txt")
    outside = tmp_path / "elsewhere" / "kept-elsewhere.txt"
    outside.parent.mkdir()
    shutil.copy(EXAMPLE, outside)
    os.mkfifo(lib / "x.txt")
    (lib / "x2.txt").symlink_to("/dev/zero")
    (lib / "outside.txt").symlink_to(outside)
    (lib / "sub" / "loop").symlink_to("..", target_is_directory=True)
    (lib / "self.txt").symlink_to("self.txt")
    result = run_ficexport("lib", "-o", "out", cwd=tmp_path, timeout=HANG)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.epub")) == [
        "good.epub",
        "outside.epub",  # a link to a text outside the folder is followed
        "sub/deep.epub",  # once: the loop back to lib is not walked again
    ]
    notes = [line for line in result.stderr.splitlines() if "skipped: " in line]
    assert notes == [
        "ficexport: lib/self.txt: skipped: this is a link that leads back to itself, not a file.",
        "ficexport: lib/x.txt: skipped: this is a named pipe (FIFO), not a file.",
        "ficexport: lib/x2.txt: skipped: this is a link to /dev/zero, a device, not a file.",
    ]
    assert "Traceback" not in result.stderr and (lib / "x.txt").is_fifo()


@pytest.mark.parametrize("kind", ["pipe", "device"])
@pytest.mark.parametrize("outline", [False, True], ids=["convert", "outline"])
def test_a_pipe_or_device_named_as_the_input_is_refused_in_one_sentence(tmp_path, kind, outline):
    if kind == "pipe":
        source = tmp_path / "work.txt"
        os.mkfifo(source)
        what = "a named pipe (FIFO)"
    else:
        source, what = Path("/dev/zero"), "a device"
    extra = ["--outline"] if outline else ["-o", tmp_path / "out"]
    result = run_ficexport(source, *extra, cwd=tmp_path, timeout=HANG)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"ficexport: {source}: this is {what}, not a file; name a text file instead."
    ]
    assert books_in(tmp_path / "out") == []


def test_a_pipe_named_beside_a_good_file_fails_alone(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    shutil.copy(EXAMPLE, tmp_path / "good.txt")
    result = run_ficexport("pipe.txt", "good.txt", "-o", "out", cwd=tmp_path, timeout=HANG)
    assert result.returncode == 1
    assert (tmp_path / "out" / "good.epub").is_file()
    assert "1 converted, 0 skipped as up to date, 1 failed" in result.stderr
    assert "  pipe.txt: this is a named pipe (FIFO), not a file; name a text file instead." in result.stderr


@pytest.mark.parametrize("option", ["--style", "--cover"])
def test_a_pipe_or_device_given_as_style_or_cover_is_a_usage_error(tmp_path, option):
    pipe = tmp_path / "pipe.css"
    os.mkfifo(pipe)
    for path, what in ((pipe, "a named pipe (FIFO)"), (Path("/dev/zero"), "a device")):
        result = run_ficexport(EXAMPLE, option, path, "-o", tmp_path / "out", cwd=tmp_path, timeout=HANG)
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines() == [f"ficexport: {option}: {path} is {what}, not a file."]
        assert books_in(tmp_path / "out") == []
