"""The three real AO3 HTML downloads in ../shared/corpus (when it is there): each converts with no
EPUBCheck message, with its chapters and their titles, every word of the page, and its italics.

The words of a page are its visible text less AO3's download furniture (``support.html_text``); its
italics are counted with AO3's rule that italics inside italics are upright (``support.html_italics``).
"""

from __future__ import annotations

import pytest

from tests.conftest import run_ficexport
from tests.support import (
    CORPUS,
    assert_epubcheck_clean,
    epub_italics,
    epub_nav_titles,
    epub_reading_text,
    html_italics,
    lost_html_words,
    pdf_text,
)

CHAPTER_TITLES = {
    "ao3-download_en_the-world-in-its-circular-way.html": [
        "Funeral Rites for Hector, Tamer of Horses",
        "Some of Our Promises Were Binding Up Here Where Our Dreams Take Form",
    ],
    # A one-shot: its one chapter is listed under the work's title.
    "ao3-download_en_will-the-real-mr-bronner.html": ["Will the Real Mr. Bronner Please Stand Up?"],
    "ao3-download_zh_zhan-yan-yin-yu.html": [
        "以错误的视角审读文本",
        "来日即异邦（人事皆不识）",
        "这是我（们）的战争",
        "圣塞巴斯蒂安万岁！",
        "有不正当抱负的两个男人",
        "背水一战",
        "无刺不成蔷薇枝 无雨不成盛夏日",
        "打谷人连枷下带糠的谷粒",
        "圣人投海",
        "如何拟玩末世",
        "汝可曾思及四足之鱼？",
        "非礼勿视",
        "威仪堂堂",
    ],
}
# Works whose afterword holds end notes (the Chinese one has chapter end notes only).
WITH_END_NOTES = {
    "ao3-download_en_the-world-in-its-circular-way.html",
    "ao3-download_en_will-the-real-mr-bronner.html",
}
# A PDF is checked for the one-shot. The other English work has an emoji, which no installed font
# holds; pypdf then reads that PDF's text back garbled, whatever the input (a .txt too).
PDF_FOR = "ao3-download_en_will-the-real-mr-bronner.html"
PAGES = [CORPUS / name for name in CHAPTER_TITLES if (CORPUS / name).exists()]

# Slow: the corpus is whole books, converted by the command and checked by EPUBCheck.
pytestmark = [pytest.mark.skipif(not PAGES, reason="../shared/corpus is not present"), pytest.mark.slow]


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    out = tmp_path_factory.mktemp("html-corpus")
    done = run_ficexport(*PAGES, "-o", out, cwd=out)
    assert done.returncode == 0, done.stderr
    pdf = run_ficexport(CORPUS / PDF_FOR, "--pdf", "-o", out, cwd=out)
    assert pdf.returncode == 0 and not pdf.stderr, pdf.stderr
    return {page.name: (out / f"{page.stem}.epub", out / f"{page.stem}.pdf") for page in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem[13:40])
def test_corpus_page_passes_epubcheck_with_no_message(books, page):
    assert_epubcheck_clean(books[page.name][0])


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem[13:40])
def test_corpus_page_has_its_chapters_and_their_titles(books, page):
    expected = CHAPTER_TITLES[page.name] + (["End Notes"] if page.name in WITH_END_NOTES else [])
    assert epub_nav_titles(books[page.name][0]) == expected


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem[13:40])
def test_corpus_page_loses_no_word(books, page):
    epub, pdf = books[page.name]
    assert not lost_html_words(page, epub_reading_text(epub))
    if pdf.exists():
        assert not lost_html_words(page, pdf_text(pdf))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem[13:40])
def test_corpus_page_keeps_its_italics(books, page):
    source_count, source_words = html_italics(page)
    epub_count, epub_words = epub_italics(books[page.name][0])
    assert source_count > 0
    assert epub_count == source_count
    assert epub_words == source_words
