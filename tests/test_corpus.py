"""Every real text in ../shared/corpus (when it is there): converts, passes EPUBCheck, loses no word.

The corpus holds texts nobody on the project wrote (AO3 copies, broken exports, Project Gutenberg
files in legacy encodings). It is not shipped with the project, so this test skips without it.
"""

from __future__ import annotations

import pytest

from converter.source import read_source
from tests.conftest import run_ficexport
from tests.support import CORPUS, assert_epubcheck_clean, epub_text, lost_words, pdf_text

TEXTS = sorted(CORPUS.glob("**/*.txt")) if CORPUS.is_dir() else []
# PDFs of whole novels take WeasyPrint a while; the short texts are enough to check PDF words.
PDF_LIMIT = 100_000

# Slow: the corpus is whole books, converted by the command and checked by EPUBCheck.
pytestmark = [pytest.mark.skipif(not TEXTS, reason="../shared/corpus is not present"), pytest.mark.slow]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    results = {}
    for text in TEXTS:
        formats = ["--epub", "--pdf"] if text.stat().st_size < PDF_LIMIT else ["--epub"]
        target = out / text.parent.name
        done = run_ficexport(text, *formats, "-o", target, cwd=out)
        results[text] = (done, target / f"{text.stem}.epub", target / f"{text.stem}.pdf")
    return results


@pytest.mark.parametrize("text", TEXTS, ids=lambda p: p.name[:40])
def test_corpus_text_converts_cleanly_and_loses_no_word(converted, text):
    done, epub, pdf = converted[text]
    assert done.returncode == 0, done.stderr
    assert_epubcheck_clean(epub)
    source = read_source(text).text
    assert not lost_words(source, epub_text(epub))
    if pdf.exists():
        assert not lost_words(source, pdf_text(pdf))


def _outline(name: str) -> dict:
    from converter.convert import ConvertOptions, load_work
    from converter.outline import outline

    return outline(load_work(CORPUS / name, ConvertOptions()))


def test_pride_and_prejudice_illustrated_edition_is_read_as_a_reader_would():
    data = _outline("gutenberg_en_pg1342-pride-and-prejudice_cp1252-crlf-illustrated.txt")
    assert (data["title"], data["authors"], data["language"]) == (
        "Pride and Prejudice",
        ["Jane Austen"],
        "en",
    )
    labels = [chapter["label"] for chapter in data["chapters"]]
    # The preface, then chapter I (its heading is inside an illustration caption), then II–LXI,
    # one of them written "Chapter XLVI." among the "CHAPTER"s.
    assert labels[:3] == ["PREFACE", "Chapter I", "CHAPTER II"]
    assert len(labels) == 62 and labels[-1] == "CHAPTER LXI" and "Chapter XLVI" in labels
    assert data["front_matter"][0]["kind"] == "source-header"
    assert [m["kind"] for m in data["back_matter"]] == ["source-license"]


def test_pride_and_prejudice_without_header_or_first_headings():
    data = _outline("gutenberg_en_pg1342-pride-and-prejudice_headerless-crlf.txt")
    labels = [chapter["label"] for chapter in data["chapters"]]
    # Chapters 1 and 2 have no heading: they stay one untitled chapter rather than be guessed.
    assert labels[0] == "" and labels[1] == "Chapter 3" and labels[-1] == "Chapter 61"
    assert len(labels) == 60 and data["language"] == "en"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("ao3-flattened_en_blessed-cursed-retirement.txt", "Blessed/Cursed Retirement"),
        ("ao3-flattened_en_so-you-need-to-get-into.txt",
         "So You Need To Get Into A.Z. Fell & Co.; Now What? (A Guide For Unfortunate Bookworms)"),
        ("seeds/000_567d664ef21af73c.txt", "Don’t Go Where I Can’t Follow"),
        ("seeds/003_7b2312cb8bf2a94c.txt", "Failing Upwards"),
    ],
)  # fmt: skip
def test_corpus_titles(name, title):
    data = _outline(name)
    assert data["title"] == title
    if name.startswith("ao3-flattened"):
        assert sum(chapter["words"] for chapter in data["chapters"]) > 1000


def test_flattened_guide_is_split_at_its_glued_part_headings():
    data = _outline("ao3-flattened_en_so-you-need-to-get-into.txt")
    # "…looking for.Part I: Getting In The DoorWalking up…": the introduction, then the two parts.
    assert [(c["label"], c["title"]) for c in data["chapters"]] == [
        ("", ""),
        ("Part I", "Getting In The Door"),
        ("Part II", "Getting The Goods"),
    ]


def test_flattened_story_keeps_its_paragraphs_and_scene_breaks():
    data = _outline("ao3-flattened_en_blessed-cursed-retirement.txt")
    # No heading in it: one chapter, its six "♔ ☩ ♔ ☩ ♔" dividers scene breaks, not text.
    assert len(data["chapters"]) == 1 and data["chapters"][0]["scene_breaks"] == 6
