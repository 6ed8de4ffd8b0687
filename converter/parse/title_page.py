"""A book's own title page at the top of a plain text: its title and author, the rest kept as written.

Accepted forms (blank lines between the pieces, centring spaces and a credit line above ignored)::

    EMMA                      Persuasion             OPTICKS:              대한민국헌법

    By Jane Austen            by                     OR, A TREATISE …      (a paragraph follows)
                              Jane Austen            By Sir ISAAC NEWTON, Knt.
                              (1818)

- a byline (``by Author``, or ``by`` alone over the author's line) among the first short lines makes
  the line that opens them the title;
- with no byline, the first line is the title when it looks like one: short, in capitals or title
  case (any short line in Chinese, Japanese or Korean), not a sentence, and set apart: two blank
  lines or a chapter heading after it, or a paragraph of prose after a blank line;
- a Markdown ``# Title`` over deeper headings, or a ``## Title`` that no other heading matches.

Lines of the title page that are neither title nor author ("(1814)", an edition line) are kept, as the
book's own title page. When unsure (a short first line of a story, "Hello."), nothing is taken.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from converter.document import Block, Metadata
from converter.parse.blocks import paragraph
from converter.parse.chapter_heading import match_heading
from converter.parse.lines import is_blank, mostly_cjk

_BYLINE = re.compile(
    r"^(?:by|written by|author:|作者[:：]|著者[:：])(?:\s*(?<=[:：])|\s+)?(?P<author>\S.*)?$", re.IGNORECASE
)
_CREDIT = re.compile(r"^(?:produced|transcribed|prepared|scanned|digitized|e-?text)\b", re.IGNORECASE)
_YEAR = re.compile(r"^(?P<name>.*?\S)\s*(?P<note>\(\s*\d{3,4}\s*\))$")
# A title page is a handful of short lines: it ends at the first line of running prose.
_PAGE_LINE = 80
_SENTENCE_END = (".", ",", ";", "!", "?", "。", "！", "？", "”")
_PAGE_LINES = 24
_TITLE_WORDS = 14
_SMALL_WORDS = frozenset(("a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the",
                          "to", "with"))  # fmt: skip


@dataclass(frozen=True)
class TitlePage:
    """What the top of a text says about the work, and where the text proper starts."""

    meta: Metadata
    start: int  # the first line after the title and byline
    kept: tuple[Block, ...] = ()  # title-page lines between them that are neither (kept as written)
    #: Words the book's own title page replaces: a byline's "By" or "Written by" (it prints "by").
    furniture: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Byline:
    authors: tuple[str, ...]
    last: int  # the index of the byline's last line
    taken: dict[int, str]  # the lines it took, with what is left of each ("(1803)")
    marker: str  # "by", "By", "Written by", "作者："


def read_title_page(lines: list[str]) -> TitlePage:
    """The title and byline at the top of ``lines``; an empty ``Metadata`` when there is none."""
    chunks = _top_chunks(lines)
    if not chunks:
        return TitlePage(Metadata(), 0)
    markdown = _markdown_title(lines, chunks[0])
    if markdown is not None:
        return markdown
    credits: tuple[Block, ...] = ()
    if _CREDIT.match(lines[chunks[0][0]].strip()) and len(chunks) > 1:
        # "Produced by …" above the title page: credits, not the title; kept on the title page.
        credits = (paragraph(" ".join(lines[i].strip() for i in chunks[0])),)
        chunks = chunks[1:]
    page = _title_and_author(lines, chunks)
    if credits and page.meta.title:
        return dataclasses.replace(page, kept=credits + page.kept)
    return page


def _title_and_author(lines: list[str], chunks: list[list[int]]) -> TitlePage:
    title_chunk = chunks[0]
    split = next((n for n, i in enumerate(title_chunk[1:], 1) if _BYLINE.match(lines[i].strip())), None)
    adjacent = split is not None
    if adjacent:  # "THE SONNETS\nby William Shakespeare": the byline shares the title's chunk
        title_chunk, rest = title_chunk[:split], title_chunk[split:]
        chunks = [title_chunk, rest, *chunks[1:]]
    title_lines = [lines[i].strip() for i in title_chunk]
    if len(title_lines) > 3 or any(len(line) > _PAGE_LINE for line in title_lines):
        return TitlePage(Metadata(), 0)
    if len(title_lines) == 2 and all(mostly_cjk(line) and len(line) <= 30 for line in title_lines):
        # "吾輩は猫である" over "夏目漱石": a Japanese (or Chinese, Korean) title over its author.
        return TitlePage(Metadata(title=title_lines[0], authors=(title_lines[1],)), title_chunk[-1] + 1)
    title = " ".join(title_lines).rstrip(":").strip()
    if not title or match_heading(title_lines[0]) is not None:
        return TitlePage(Metadata(), 0)
    byline = _find_byline(lines, chunks[1:], adjacent)
    if byline is not None:
        taken, last = byline.taken, byline.last
        between = [lines[i].strip() for chunk in chunks[1:] for i in chunk if i < last and i not in taken]
        notes = [paragraph(text) for text in between + [note for note in byline.taken.values() if note]]
        furniture = () if byline.marker == "by" else (byline.marker,)
        meta = Metadata(title=title, authors=byline.authors)
        return TitlePage(meta, byline.last + 1, tuple(notes), furniture)
    centred = _centred_name(lines, chunks[1]) if len(chunks) > 1 else None
    if centred is not None:  # "Référence Debian" over a centred "Osamu Aoki"
        return TitlePage(Metadata(title=title, authors=(centred,)), chunks[1][0] + 1)
    if _stands_as_title(lines, title_chunk, title_lines):
        return TitlePage(Metadata(title=title), title_chunk[-1] + 1)
    return TitlePage(Metadata(), 0)


def _top_chunks(lines: list[str]) -> list[list[int]]:
    """The first runs of non-blank lines (as line indices), up to the first line of prose."""
    chunks: list[list[int]] = []
    current: list[int] = []
    seen = 0
    for index, line in enumerate(lines):
        if is_blank(line):
            if current:
                chunks.append(current)
                current = []
            continue
        seen += 1
        if seen > _PAGE_LINES or len(line.strip()) > _PAGE_LINE:
            break
        current.append(index)
    else:
        if current:
            chunks.append(current)
    return chunks


def _markdown_title(lines: list[str], first_chunk: list[int]) -> TitlePage | None:
    """ "# Title" over "##" headings, or a "## Title" that no other heading of its level matches."""
    line = lines[first_chunk[0]]
    match = re.match(r"^(#{1,6})\s+(\S.*?)\s*#*$", line)
    if not match or len(first_chunk) > 1 or match_heading(match.group(2)) is not None:
        return None
    level = len(match.group(1))
    rest = lines[first_chunk[0] + 1 :]
    same_or_higher = [other for other in rest if re.match(rf"^#{{1,{level}}}\s", other)]
    if same_or_higher:
        return None
    return TitlePage(Metadata(title=match.group(2)), first_chunk[0] + 1)


def _find_byline(lines: list[str], chunks: list[list[int]], adjacent: bool) -> _Byline | None:
    """The authors, the index of the byline's last line, and the lines it took (with any note
    split off them, "(1803)"), when a byline stands among the title page's next lines. A byline
    right under the title may name a user ("by scalesandtales"); one further down must read as a
    name, so that a sentence ("By the time she came…") is not taken for one."""
    for position, chunk in enumerate(chunks[:10]):
        first = lines[chunk[0]].strip()
        match = _BYLINE.match(first)
        if not match:
            continue
        marker = first[: match.start("author")].strip() if match["author"] else first
        if match["author"]:
            author_index, author = chunk[0], match["author"]
        elif len(chunk) > 1:
            author_index, author = chunk[1], lines[chunk[1]].strip()
        elif position + 1 < len(chunks):
            author_index = chunks[position + 1][0]
            author = lines[author_index].strip()
        else:
            return None
        if len(author.split()) > 8 or not (_name_like(author) or (adjacent and position == 0)):
            return None  # "By the time she came…": a sentence, not a byline
        kept = {chunk[0]: "", author_index: ""}
        year = _YEAR.match(author)
        if year:  # "Jane Austen (1803)": the year is the title page's, not the author's name
            author, kept[author_index] = year["name"], year["note"]
        author = author.replace("_", "").strip()
        names = tuple(a.strip() for a in re.split(r"\s+and\s+|\s*&\s*|,\s+(?!Knt|Esq|Jr|Sr)", author)
                      if a.strip())  # fmt: skip
        return _Byline(names, author_index, kept, marker)
    return None


def _centred_name(lines: list[str], chunk: list[int]) -> str | None:
    """A lone line set far in from the margin that reads as a name: the author under a title."""
    line = lines[chunk[0]]
    text = line.strip()
    indent = len(line) - len(line.lstrip())
    if len(chunk) == 1 and indent >= 10 and len(text.split()) <= 4 and _name_like(text):
        return text
    return None


def _name_like(text: str) -> bool:
    """Names are capitalised: "Jane Austen", "Sir ISAAC NEWTON, Knt.", "Corinne Obi & Dev Malhotra"."""
    words = [w.strip("_*,.()") for w in text.split()]
    words = [w for w in words if w and w.lower() not in ("and", "&", "de", "van", "von", "der", "la", "le")]
    # A script without capitals ("吴承恩") says nothing against a name.
    return bool(words) and all(w[:1].isupper() or w[:1].lower() == w[:1].upper() for w in words)


def _stands_as_title(lines: list[str], chunk: list[int], title_lines: list[str]) -> bool:
    """A first line with no byline is a title when it looks like one and is set apart."""
    text = " ".join(title_lines)
    if text[:1] in "\"'“‘(—-*_[" or text.rstrip(":").endswith(_SENTENCE_END):
        return False
    after = chunk[-1] + 1
    blanks = 0
    while after < len(lines) and is_blank(lines[after]):
        after += 1
        blanks += 1
    if after >= len(lines) or blanks == 0:
        return False
    next_line = lines[after].strip()
    heading_next = match_heading(next_line) is not None
    if mostly_cjk(text):  # no capitals to go by: the title stands over prose, a heading or a "(subtitle)"
        return len(text) <= 40 and (heading_next or len(next_line) > 40 or next_line[:1] in "(（")
    words = text.split()
    if len(words) > _TITLE_WORDS:
        return False
    capitals = text.upper() == text and any(ch.isalpha() for ch in text)
    significant = [w for w in words if w.lower() not in _SMALL_WORDS] or words
    title_case = sum(1 for w in significant if w[:1].isupper()) >= 0.75 * len(significant)
    if heading_next:  # "Twelfe Night, Or what you will" over "Actus Primus, Scaena Prima."
        return text[:1].isupper()
    return (capitals or title_case) and blanks >= 2
