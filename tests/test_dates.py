"""The dates a book records: the text's own (AO3's stats, Project Gutenberg's release and update
dates), else ``SOURCE_DATE_EPOCH``, else the input file's mtime; never a made-up one.

Every book here is made by the real command from a file in ``tmp_path`` and read back: the OPF's
``dc:date`` and ``dcterms:modified``, the PDF's ``/CreationDate`` and ``/ModDate``."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from converter.parse import parse
from converter.parse.gutenberg import iso_date
from tests.conftest import run_ficexport
from tests.support import assert_epubcheck_clean, epub_metadata, epub_opf

FIXTURES = Path(__file__).parent / "fixtures"
#: 2021-03-04 05:06:07 UTC: the mtime the tests give their inputs.
MTIME = int(dt.datetime(2021, 3, 4, 5, 6, 7, tzinfo=dt.UTC).timestamp())

UNDATED = """The Quiet Ferry

by a_test_author

The ferry left at dawn with nobody aboard but the pilot and a crate of oranges.

By noon the river had widened into something that looked, from the deck, like the sea.
"""

GUTENBERG = """The Project Gutenberg eBook of The Tin Orchard

Title: The Tin Orchard

Author: Ada Testwright

Release date: June, 1998 [eBook #99990]
                Most recently updated: October 29, 2024

Language: English

*** START OF THE PROJECT GUTENBERG EBOOK THE TIN ORCHARD ***

CHAPTER I.

The orchard grew spoons instead of apples, and nobody in the village thought this strange.

CHAPTER II.

In autumn the spoons fell, and the children gathered them in baskets for the winter.

*** END OF THE PROJECT GUTENBERG EBOOK THE TIN ORCHARD ***

Licence text would follow here.
"""


@pytest.fixture(autouse=True)
def _no_source_date_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def _input(folder: Path, name: str, text: str, mtime: int = MTIME) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def _convert(source: Path, out: Path, *formats: str) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    result = run_ficexport(source, *formats, "-o", out, cwd=out)
    assert result.returncode == 0, result.stderr
    return {name: out / f"{source.stem}.{name.lstrip('-')}" for name in formats}


def _pdf_dates(path: Path) -> tuple[str, str]:
    info = PdfReader(path).metadata
    return info["/CreationDate"], info["/ModDate"]


def _opf_text(path: Path) -> str:
    return etree.tostring(epub_opf(path)[1], encoding="unicode")


def test_a_text_with_no_date_takes_the_files_mtime_in_epub_and_pdf(tmp_path):
    source = _input(tmp_path / "in", "ferry.txt", UNDATED)
    books = _convert(source, tmp_path / "out", "--epub", "--pdf")
    assert_epubcheck_clean(books["--epub"])
    meta = epub_metadata(books["--epub"])
    assert meta["dcterms:modified"] == ["2021-03-04T05:06:07Z"]
    assert "date" not in meta  # an mtime is no publication date: no dc:date at all
    assert "2000-01-01" not in _opf_text(books["--epub"])
    assert _pdf_dates(books["--pdf"]) == ("D:20210304050607Z", "D:20210304050607Z")


def test_a_gutenberg_header_gives_its_release_and_updated_dates(tmp_path):
    source = _input(tmp_path / "in", "orchard.txt", GUTENBERG)
    books = _convert(source, tmp_path / "out", "--epub", "--pdf")
    assert_epubcheck_clean(books["--epub"])
    meta = epub_metadata(books["--epub"])
    assert meta["date"] == ["1998-06"]  # "June, 1998": only as precise as the header says
    assert meta["dcterms:modified"] == ["2024-10-29T00:00:00Z"]  # "Most recently updated", not the mtime
    assert _pdf_dates(books["--pdf"]) == ("D:20241029000000Z", "D:20241029000000Z")


def test_an_ao3_works_stats_give_its_dates(tmp_path):
    text = (FIXTURES / "ao3_page_inline_fields.txt").read_text(encoding="utf-8")  # Stats: Published, Updated
    source = _input(tmp_path / "in", "bell.txt", text)
    meta = epub_metadata(_convert(source, tmp_path / "out", "--epub")["--epub"])
    assert meta["date"] == ["2024-01-05"]
    assert meta["dcterms:modified"] == ["2024-02-10T00:00:00Z"]


def test_source_date_epoch_stands_in_for_the_mtime_but_not_for_the_texts_own_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    undated = _input(tmp_path / "in", "ferry.txt", UNDATED)
    dated = _input(tmp_path / "in", "orchard.txt", GUTENBERG)
    assert epub_metadata(_convert(undated, tmp_path / "a", "--epub")["--epub"])["dcterms:modified"] == [
        "2023-11-14T22:13:20Z"
    ]
    assert epub_metadata(_convert(dated, tmp_path / "b", "--epub")["--epub"])["dcterms:modified"] == [
        "2024-10-29T00:00:00Z"
    ]


@pytest.mark.slow
def test_the_same_bytes_and_mtime_give_the_same_book_and_a_new_mtime_a_new_date(tmp_path):
    source = _input(tmp_path / "in", "ferry.txt", UNDATED)
    first = _convert(source, tmp_path / "first", "--epub", "--pdf")
    second = _convert(source, tmp_path / "second", "--epub", "--pdf")
    for name in ("--epub", "--pdf"):
        assert first[name].read_bytes() == second[name].read_bytes(), name
    os.utime(source, (MTIME + 86400, MTIME + 86400))
    third = _convert(source, tmp_path / "third", "--epub")
    assert epub_metadata(third["--epub"])["dcterms:modified"] == ["2021-03-05T05:06:07Z"]
    assert source.read_text(encoding="utf-8") == UNDATED  # the input is never changed


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("June, 1998 [eBook #1342]", "1998-06"),
        ("August 26, 2008 [EBook #1342]", "2008-08-26"),
        ("October 29, 2024", "2024-10-29"),
        ("1 June 1998", "1998-06-01"),
        ("May 3rd, 2001", "2001-05-03"),
        ("2008-08-26", "2008-08-26"),
        ("February 30, 2001", None),  # no such day
        ("some time ago", None),
    ],
)
def test_gutenberg_dates_are_read_as_written(written, expected):
    assert iso_date(written) == expected


@pytest.mark.parametrize(
    ("header", "released", "revised"),
    [
        ("Release Date: August 26, 2008 [EBook #1342]", "2008-08-26", None),
        ("Release date: June, 1998 [eBook #1342]\n[Last updated: March 8, 2018]", "1998-06", "2018-03-08"),
        ("Release Date: June, 1998 [Etext #1342]\nPosting Date: August 26, 2008", "1998-06", "2008-08-26"),
        ("Release date: soon", None, None),  # no date in it: nothing made up
    ],
)
def test_every_form_of_gutenberg_header_date_reaches_the_metadata(header, released, revised):
    text = GUTENBERG.replace(
        "Release date: June, 1998 [eBook #99990]\n                Most recently updated: October 29, 2024",
        header,
    )
    meta = parse(text).meta
    assert (meta.released, meta.revised) == (released, revised)
