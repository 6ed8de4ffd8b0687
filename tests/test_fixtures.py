"""Golden outlines: each fixture text next to the outline the parser must give for it.

``tests/fixtures/<case>.txt`` (or ``.md``) is read and parsed exactly as the command does, and its
outline compared with ``<case>.json``. After an intended change to the parser, rewrite the goldens with
``FICEXPORT_REGENERATE=1 pytest tests/test_fixtures.py`` and review the diff: the diff is the test.
Every fixture must also lose no word between the input and the rendered book.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from converter.convert import ConvertOptions, load_work
from converter.outline import outline
from converter.source import read_source
from converter.write.render import render_work
from tests.support import FIXTURES, lost_words

CASES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".md"))
REGENERATE = os.environ.get("FICEXPORT_REGENERATE") == "1"


def rendered_text(path: Path) -> str:
    work = load_work(path, ConvertOptions())
    return "\n".join(" ".join(part.element.itertext()) for part in render_work(work))


def test_there_are_enough_fixtures():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_outline_matches_golden(case):
    found = outline(load_work(case, ConvertOptions()))
    golden = case.with_suffix(".json")
    if REGENERATE or not golden.exists():
        golden.write_text(json.dumps(found, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if not REGENERATE:
            pytest.fail(f"{golden.name} was missing and has been written: review it")
    assert found == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_no_word_is_lost(case):
    assert not lost_words(read_source(case).text, rendered_text(case))
