"""AO3's words are known once (``converter.parse.ao3_fields``): the same work, copied from its page
as text and downloaded as HTML, reads to the same tags, series, stats, authors and chapter headings,
and the shared forms ("Part 2 of Name", "Chapter 3: Title", the stats line) read as AO3 prints them."""

from __future__ import annotations

import pytest

from converter.document import SeriesRef, TagKind, Work
from converter.parse import parse, parse_html
from converter.parse.ao3_fields import (
    FieldKind,
    byline_authors,
    chapter_heading,
    field_kind,
    label_key,
    parse_stats,
    series_refs,
)

_PAGE_COPY = """Rating: Teen And Up Audiences
Archive Warning: No Archive Warnings Apply
Category: Gen
Fandoms: Harbour Lights (Original Series), Tidewater Tales
Relationship: Nell Okafor & Tomas Brandt
Characters: Nell Okafor, Tomas Brandt, The Harbourmaster
Additional Tags: Lighthouses, Storms
Language: English
Series: ← Previous Work Part 3 of Keepers of the Light Next Work →
Collections: Coastal Exchange 2024
Stats: Published: 2024-03-01 Updated: 2024-04-02 Words: 2,345 Chapters: 2/4 Kudos: 61 Hits: 1,024

The Lamp Room
by nell_writes, tidewatcher

Summary:

Two keepers, one lamp, a storm coming in.

Chapter 1: Oil and Wick

Chapter Text

Nell trimmed the wick before dark, as her mother had.

Chapter 2

Chapter Text

The storm came in at midnight and the lamp held.
"""

_TAG = '<a href="https://archiveofourown.org/tags/{n}">{value}</a>'


def _dd(*values: str) -> str:
    return "<dd>" + ", ".join(_TAG.format(n=n, value=value) for n, value in enumerate(values)) + "</dd>"


# The same work as AO3's "Download -> HTML" writes it: every tag label in the singular.
_DOWNLOAD = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"/><title>The Lamp Room - nell_writes</title></head>
<body>
<div id="preface">
  <h2 class="toc-heading">Preface</h2>
  <p class="message"><b>The Lamp Room</b><br/>Posted originally on the Archive of Our Own at
    <a href="https://archiveofourown.org/works/55500011">https://archiveofourown.org/works/55500011</a>.</p>
  <div class="meta">
    <dl class="tags">
      <dt>Rating:</dt>{_dd("Teen And Up Audiences")}
      <dt>Archive Warning:</dt>{_dd("No Archive Warnings Apply")}
      <dt>Category:</dt>{_dd("Gen")}
      <dt>Fandom:</dt>{_dd("Harbour Lights (Original Series)", "Tidewater Tales")}
      <dt>Relationship:</dt>{_dd("Nell Okafor &amp; Tomas Brandt")}
      <dt>Character:</dt>{_dd("Nell Okafor", "Tomas Brandt", "The Harbourmaster")}
      <dt>Additional Tags:</dt>{_dd("Lighthouses", "Storms")}
      <dt>Language:</dt><dd>English</dd>
      <dt>Series:</dt>
      <dd>Part 3 of <a href="https://archiveofourown.org/series/9">Keepers of the Light</a></dd>
      <dt>Collections:</dt>{_dd("Coastal Exchange 2024")}
      <dt>Stats:</dt><dd>Published: 2024-03-01 Updated: 2024-04-02 Words: 2,345 Chapters: 2/4
        Kudos: 61 Hits: 1,024</dd>
    </dl>
    <h1>The Lamp Room</h1>
    <div class="byline">by <a rel="author" href="https://archiveofourown.org/users/nell">nell_writes</a>,
      <a rel="author" href="https://archiveofourown.org/users/tide">tidewatcher</a></div>
    <p>Summary</p>
    <blockquote class="userstuff"><p>Two keepers, one lamp, a storm coming in.</p></blockquote>
  </div>
</div>
<div id="chapters" class="userstuff">
  <div class="meta group"><h2 class="heading">Chapter 1: Oil and Wick</h2></div>
  <div class="userstuff"><p>Nell trimmed the wick before dark, as her mother had.</p></div>
  <div class="meta group"><h2 class="heading">Chapter 2</h2></div>
  <div class="userstuff"><p>The storm came in at midnight and the lamp held.</p></div>
</div>
</body></html>
"""


def _facts(work: Work) -> dict:
    """What a work's preface and headings say, without how the source wrote its labels."""
    meta = work.meta
    return {
        "title": meta.title,
        "authors": meta.authors,
        "language": meta.language,
        "tags": [(group.kind, group.values) for group in meta.tags],
        "series": meta.series,
        "collections": meta.collections,
        "stats": meta.stats,
        "chapters": [(chapter.label, chapter.title) for chapter in work.chapters],
    }


def test_a_page_copy_and_a_download_of_one_work_read_alike() -> None:
    page, download = parse(_PAGE_COPY), parse_html(_DOWNLOAD)
    assert _facts(page) == _facts(download)
    facts = _facts(page)
    assert facts["authors"] == ("nell_writes", "tidewatcher")
    assert [kind for kind, _ in facts["tags"]] == list(TagKind)
    assert facts["series"] == (SeriesRef("Keepers of the Light", 3),)
    assert facts["chapters"] == [("Chapter 1", "Oil and Wick"), ("Chapter 2", "")]
    assert facts["stats"].words == 2345 and facts["stats"].hits == 1024 and facts["stats"].chapters == "2/4"


def test_the_page_keeps_its_labels_and_the_download_lets_the_count_choose() -> None:
    """The page chose singular or plural by the count; a download prints the singular everywhere."""
    page_labels = [group.label for group in parse(_PAGE_COPY).meta.tags]
    download_labels = [group.label for group in parse_html(_DOWNLOAD).meta.tags]
    assert page_labels == [
        "Rating", "Archive Warning", "Category", "Fandoms", "Relationship", "Characters", "Additional Tags",
    ]  # fmt: skip
    assert download_labels == page_labels


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Rating:", FieldKind.TAG),
        ("Archive Warnings", FieldKind.TAG),
        ("categories", FieldKind.TAG),
        ("Additional Tag:", FieldKind.TAG),
        ("Language:", FieldKind.LANGUAGE),
        ("Series", FieldKind.SERIES),
        ("Collection:", FieldKind.COLLECTIONS),
        ("Stats:", FieldKind.STATS),
        ("Kudos:", FieldKind.STAT),
        ("Summary:", None),
        ("Chapter Text", None),
    ],
)
def test_every_label_form_names_its_field(label: str, kind: FieldKind | None) -> None:
    assert field_kind(label) is kind
    assert label_key(label) == label.rstrip(":").lower()


def test_a_work_in_several_series_names_each() -> None:
    assert series_refs("Part 1 of Harbour Nights, Part 12 of Keepers of the Light") == [
        SeriesRef("Harbour Nights", 1),
        SeriesRef("Keepers of the Light", 12),
    ]
    assert series_refs("Keepers of the Light") == []


def test_a_stat_given_twice_is_kept_once_and_its_repeat_recorded() -> None:
    dropped: list[str] = []
    stats = parse_stats("Published: 2024-03-01 Words: 2.345 Kudos: 61 Kudos: 62", dropped)
    assert (stats.published, stats.words, stats.kudos, stats.hits) == ("2024-03-01", 2345, 61, None)
    assert dropped == ["Kudos: 62"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Chapter 3: The Tide Turns", ("Chapter 3", "The Tide Turns")),
        ("Chapter 12", ("Chapter 12", "")),
        ("Chapter 4 :  Spaced  ", ("Chapter 4", "Spaced")),
        ("Chapter Text", None),
        ("Chapter 5 was the best one", None),
        ("chapter 2: lower case", None),  # AO3 capitalises its own heading
    ],
)
def test_chapter_headings_in_ao3s_form(line: str, expected: tuple[str, str] | None) -> None:
    heading = chapter_heading(line)
    assert ((heading.label, heading.title) if heading else None) == expected


def test_a_byline_names_its_creators() -> None:
    assert byline_authors("by nell_writes, tidewatcher (Tide)") == ("nell_writes", "tidewatcher (Tide)")
    assert byline_authors("By\tAnonymous") == ("Anonymous",)
    assert byline_authors("nell_writes") == ("nell_writes",)
