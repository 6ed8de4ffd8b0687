"""``--outline`` as a person reads it: a line for what the parser found, none for what it did not;
``--outline --json`` keeps every key for every work, so scripts can rely on the schema."""

from __future__ import annotations

import json

from tests.support import FIXTURES

#: An AO3 copy with a summary, work notes, end notes and tags (tests/fixtures).
FULL = FIXTURES / "ao3_full_preface.txt"

PLAIN = """The Ferryman's Dog

Chapter 1

The dog waited on the jetty every evening, long after the last boat had gone.

Chapter 2

In spring the ferry came back, and so did the ferryman, thinner than before.
"""


def labels(outline: str) -> list[str]:
    return [line.split(":")[0] for line in outline.splitlines() if not line.startswith(" ")]


def test_a_plain_text_shows_no_empty_summary_notes_or_tags(tmp_path, run_cli):
    work = tmp_path / "dog.txt"
    work.write_text(PLAIN, encoding="utf-8")
    result = run_cli(work, "--outline")
    assert result.returncode == 0, result.stderr
    assert labels(result.stdout) == ["Title", "Author", "Language", "Chapters"]
    assert "0 words" not in result.stdout and "—" not in result.stdout
    assert "Author:          (none)" in result.stdout  # that no author was found is worth saying
    assert list(tmp_path.iterdir()) == [work]  # nothing written


def test_json_keeps_every_key_with_its_empty_value(tmp_path, run_cli):
    work = tmp_path / "dog.txt"
    work.write_text(PLAIN, encoding="utf-8")
    result = run_cli(work, "--outline", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["summary_words"] == 0 and data["notes_words"] == 0 and data["end_notes_words"] == 0
    assert data["tags"] == [] and data["authors"] == [] and data["source_url"] is None
    assert [chapter["summary_words"] for chapter in data["chapters"]] == [0, 0]


def test_what_a_work_has_is_shown_each_on_its_own_line(run_cli):
    result = run_cli(FULL, "--outline")
    assert result.returncode == 0, result.stderr
    shown = labels(result.stdout)
    for label in ("Fandom", "Summary", "Notes", "End notes", "Series", "Collections", "Stats"):
        assert label in shown, label
    notes = {line.split(":")[0]: line for line in result.stdout.splitlines()}
    data = json.loads(run_cli(FULL, "--outline", "--json").stdout)
    assert notes["Summary"].endswith(f" {data['summary_words']} words")
    assert notes["End notes"].endswith(f" {data['end_notes_words']} words")
