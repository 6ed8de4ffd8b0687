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

pytestmark = pytest.mark.skipif(not TEXTS, reason="../shared/corpus is not present")


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
