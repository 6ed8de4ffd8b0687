"""A long book's PDF laid out in groups of parts, on several processes at once, then joined.

Why it can be: every part after the title page (a chapter, the end notes, a piece of front or back
matter) opens a new page (``pdf.css``), so how a part's text falls on its pages does not depend on
the parts before it. Only two things do. Which side its first page is on (left or right): that moves
the text sideways, by the difference of the inner and outer margins, and nothing else. And the page
furniture: page numbers, running heads, the contents page's numbers.

How, in WeasyPrint runs shared out over every process, each started as soon as what it needs is
known (``_Plan``):

1. The parts after the front are cut into groups of about ``GROUP_CHARACTERS`` characters of text
   (whole parts; the cut depends on the book alone, so the bytes are the same whatever ``jobs``).
   Each group is laid out as a document of its own without furniture (every margin box emptied), as
   if its first page were a right-hand page. The front (title page, contents page) is laid out with
   stand-in numbers, to learn how many pages it fills; a three-page probe tells how far a page's
   text moves from one side to the other.
2. Once the front's draft and the groups up to a group are laid out, its first page number is
   known, and it gets a furniture document: the same parts, each as many empty pages long as it
   filled, under the same style sheets, so WeasyPrint draws the page numbers and running heads it
   would have drawn in one pass. Only its page counter starts at the group's first number, after a
   blank page when that is a left-hand page. Last, the front is laid out again, its contents page
   with the real numbers.

``pdf_stitch`` then joins the pages into one book. Each process holds one group at a time, so the
memory a long work needs does not grow with its length (a single chapter longer than a group is
still one group).
"""

from __future__ import annotations

import re
import tempfile
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from lxml import etree

from converter.processes import POLL_SECONDS, ctrl_c_as_flag, ignore_ctrl_c, new_pool
from converter.write.pdf_engine import typeset
from converter.write.pdf_stitch import PROBE_IDS, Bookmark, GroupPages, is_left_hand, stitch
from converter.write.print_document import PrintBook, serialise
from converter.write.render import XHTML_NS

#: How much text (in characters) a group holds: about 14,000 words, 50 pages of A5 (the book is cut
#: into groups of even size, each within a quarter of this, so that the processes finish together
#: and a short last group does not hold up the end). Small enough
#: that a two-core machine has several groups to share out for a 100k-word work and that a process
#: laying one out stays small; large enough that a group's fixed costs (style sheets, fonts) stay a
#: small part of its time.
GROUP_CHARACTERS = 75_000
#: On one process, a book is laid out in groups from this many groups on (about 230,000 words):
#: there grouping gains no time, and each group embeds font subsets of its own (a larger file),
#: but one pass's memory grows with the book (1.6 GB at a million words; on the line from 215 MB at
#: 100,000 words, about 400 MB here).
ONE_PROCESS_GROUPS = 16
#: A part counts as at least this many characters: it fills a page however short it is, and
#: WeasyPrint's time and memory go as much by pages as by text (5,000 one-line chapters are 5,000
#: pages), so a group holds at most about 60 parts.
PAGE_CHARACTERS = 1_500
#: A process lays out this many documents (groups and furniture), then a fresh one takes over:
#: WeasyPrint's caches grow a few MB a document, and a fresh process pays half a second to fill
#: them again (benchmarks/RESULTS.md, "Figures behind design choices").
LAYOUTS_PER_WORKER = 20
#: A link to an element in another group's document becomes a link to this address (WeasyPrint
#: would drop a link whose target is not in its document); ``pdf_stitch`` turns it back.
ELSEWHERE = "urn:x-ficexport:"

_PAGE_BOXES = (
    "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner", "right-top",
    "right-middle", "right-bottom", "bottom-right-corner", "bottom-right", "bottom-center",
    "bottom-left", "bottom-left-corner", "left-bottom", "left-middle", "left-top",
)  # fmt: skip
#: A group's text without furniture: every margin box empty.
_NO_FURNITURE = "@page {" + " ".join(f"@{box} {{ content: none !important; }}" for box in _PAGE_BOXES) + "}"
#: A furniture document: the margin boxes alone, on a transparent page, laid over the text later.
_FURNITURE_ONLY = """
html, body { background: none !important; }
@page { background: none !important; }
body, body * { visibility: hidden !important; }
.ficexport-page { break-before: page !important; }
.ficexport-work-title { string-set: work-title attr(data-title); }
"""
#: The front's contents page with page numbers written in (``data-page``) instead of looked up.
_NUMBERS_WRITTEN = 'nav.contents a[data-page]::after { content: leader(". ") attr(data-page); }'
#: What a user's style sheet may say that a group cannot do as the whole book would: rules for a
#: book's first, blank or nth pages or for one side, breaks to a side, its own page counting or the
#: count of all pages, running strings or cross-references (a group's furniture document holds none
#: of the text they come from), right-to-left pages (which start on a left-hand page), bookmarks.
#: A style sheet that moves the breaks between parts is caught after layout (``CannotGroup``).
_SIDE_DEPENDENT = re.compile(
    r":first|:blank|:left|:right|:nth\(|recto|verso|break-(?:before|after)\s*:\s*(?:left|right)"
    r"|counter-(?:reset|increment|set)\s*:[^;}]*\bpage\b|counters?\(\s*pages\s*[,)]"
    r"|string-set|target-(?:counter|counters|text)|direction\s*:|bookmark",
    re.IGNORECASE,
)
#: How many times the front is laid out again when its real page numbers change its length.
_FRONT_TRIES = 3


class CannotGroup(Exception):
    """The book's layout does not allow laying it out in groups after all (a user's style sheet
    kept two parts on one page or hid a part, or the contents page's length did not settle):
    ``pdf`` lays it out in one pass instead."""


@dataclass(frozen=True)
class LayoutTask:
    """One WeasyPrint run for a worker: a document, its sheets, where its PDF goes."""

    html: str
    sheets: tuple[str, ...]
    epoch: int
    target: Path
    anchors: bool = False  # say on which page each element id stands


@dataclass(frozen=True)
class Layout:
    """What one run made (its PDF is in the task's ``target``)."""

    pages: int
    anchors: dict[str, int]
    refused: list[str]


@dataclass
class Grouped:
    """The joined book's bytes, and what every run refused to fetch."""

    data: bytes
    refused: list[str] = field(default_factory=list)


def lay_out(task: LayoutTask) -> Layout:
    """A worker's job: typeset one document into its target file."""
    result = typeset(task.html, list(task.sheets), task.epoch, anchors=task.anchors)
    task.target.write_bytes(result.data)
    return Layout(result.pages, result.anchors, result.refused)


def groups_of(book: PrintBook, variant: str | None, user_css: str, processes: int) -> list[list[int]] | None:
    """The book's later parts cut into groups (each a list of indexes into ``book.parts``), or None
    when it is to be laid out in one pass: a short book (under one and a half groups; on one
    process, under ``ONE_PROCESS_GROUPS``), a tagged PDF (whose structure tree cannot be joined),
    or a user's style sheet that depends on the pages around a part (``_SIDE_DEPENDENT``)."""
    if variant is not None or _SIDE_DEPENDENT.search(_without_comments(user_css)):
        return None
    sizes = [max(PAGE_CHARACTERS, sum(len(text) for text in part.itertext())) for part in book.parts]
    total = sum(sizes)
    count = round(total / GROUP_CHARACTERS)  # groups of even size, as near GROUP_CHARACTERS as can be
    if count < 2:
        return None
    groups: list[list[int]] = [[] for _ in range(count)]
    before = 0
    for index, size in enumerate(sizes):  # each part goes to the group its middle falls in
        groups[min(count - 1, int((before + size / 2) * count / total))].append(index)
        before += size
    groups = [group for group in groups if group]  # a part longer than a group leaves gaps
    return groups if len(groups) >= (2 if processes > 1 else ONE_PROCESS_GROUPS) else None


def lay_out_in_groups(
    book: PrintBook, groups: list[list[int]], sheets: list[str], epoch: int, jobs: int
) -> Grouped:
    """Typeset ``book`` group by group on ``jobs`` processes and join the pages (see the module's
    docstring). ``book``'s elements move into the groups' documents."""
    bookmarks = [
        Bookmark(part.get("data-outline", ""), int(part.get("data-outline-level", "1")), part.get("id", ""))
        for part in book.parts
        if part.get("data-outline") is not None
    ]
    with tempfile.TemporaryDirectory(prefix="ficexport-pdf-") as folder, _Workers(jobs) as workers:
        plan = _Plan(book, groups, sheets, epoch, Path(folder))
        laid = workers.run(plan.first_tasks(), plan.follow)
        for _ in range(_FRONT_TRIES):
            if laid[_FRONT].pages == laid[_DRAFT].pages:
                break
            laid[_DRAFT] = laid[_FRONT]  # the real numbers changed the front's length
            laid.update(workers.run(plan.finishing_tasks(laid)))
        if laid[_FRONT].pages != laid[_DRAFT].pages:
            raise CannotGroup("the contents page's length does not settle")
        plan.check_pages(laid)
        joined = stitch(
            front=plan.folder / _FRONT,
            probe=plan.folder / _PROBE,
            groups=[
                GroupPages(
                    plan.folder / _text_file(number),
                    plan.folder / _furniture_file(number),
                    start,
                    _blank_pages(start),
                )
                for number, start in enumerate(plan.starts(laid))
            ],
            bookmarks=bookmarks,
            elsewhere=ELSEWHERE,
        )
    refused = (url for name in sorted(laid) for url in laid[name].refused)  # the same order every run
    return Grouped(joined, list(dict.fromkeys(refused)))


#: The front laid out with stand-in numbers (to learn its length), and with the real ones.
_DRAFT, _FRONT, _PROBE = "front-draft.pdf", "front.pdf", "probe.pdf"


def _text_file(number: int) -> str:
    """The file name of group ``number``'s text (and the key of its layout)."""
    return f"group-{number}.pdf"


def _furniture_file(number: int) -> str:
    """The file name of group ``number``'s furniture (and the key of its layout)."""
    return f"furniture-{number}.pdf"


class _Plan:
    """The layout tasks of a grouped book, each made when what it needs is known: the first ones
    at once; a group's furniture as soon as the front's draft and every group up to it are laid
    out (so the workers never wait for a round to end); the front last."""

    def __init__(self, book: PrintBook, groups: list[list[int]], sheets: list[str], epoch: int, folder: Path):
        self.book, self.groups, self.epoch, self.folder = book, groups, epoch, folder
        self.mirrors = [[_mirror(book.parts[index]) for index in group] for group in groups]
        self.front = book.document(book.front)
        _point_elsewhere(self.front)
        self.front_sheets = (*sheets, _NUMBERS_WRITTEN)
        self.body_sheets = (*sheets, _NO_FURNITURE)
        self.furniture_sheets = (*sheets, _FURNITURE_ONLY)
        self.furnished = 0  # groups whose furniture task is made
        self.front_made = False

    def first_tasks(self) -> list[LayoutTask]:
        """The front with stand-in numbers, the probe, every group."""
        _write_numbers(self.front, dict.fromkeys((m.part_id for group in self.mirrors for m in group), 0))
        tasks = [
            LayoutTask(serialise(self.front), self.front_sheets, self.epoch, self.folder / _DRAFT),
            LayoutTask(
                serialise(_probe(self.book)), self.body_sheets, self.epoch, self.folder / _PROBE, anchors=True
            ),
        ]
        for number, group in enumerate(self.groups):
            document = self.book.document([self.book.parts[index] for index in group])
            _point_elsewhere(document)
            target = self.folder / _text_file(number)
            tasks.append(LayoutTask(serialise(document), self.body_sheets, self.epoch, target, anchors=True))
        return tasks

    def follow(self, laid: dict[str, Layout]) -> list[LayoutTask]:
        """The tasks that what is laid out so far makes possible."""
        tasks = []
        while (
            self.furnished < len(self.groups)
            and _DRAFT in laid
            and all(_text_file(number) in laid for number in range(self.furnished + 1))
        ):
            tasks.append(self._furniture_task(self.furnished, laid))
            self.furnished += 1
        if self.furnished == len(self.groups) and not self.front_made:
            tasks.append(self._front_task(laid))
            self.front_made = True
        return tasks

    def finishing_tasks(self, laid: dict[str, Layout]) -> list[LayoutTask]:
        """Every furniture task and the front again (when the front's length changed)."""
        return [self._furniture_task(number, laid) for number in range(len(self.groups))] + [
            self._front_task(laid)
        ]

    def starts(self, laid: dict[str, Layout]) -> list[int]:
        """The page number (1-based) each group laid out so far starts on."""
        starts, page = [], laid[_DRAFT].pages + 1
        for number in range(len(self.groups)):
            if _text_file(number) not in laid:
                break
            starts.append(page)
            page += laid[_text_file(number)].pages
        return starts

    def check_pages(self, laid: dict[str, Layout]) -> None:
        """The probe's chapters each on a page of their own, and every furniture document as many
        pages long as its group's text (after its blank one)."""
        _check_parts(list(PROBE_IDS), laid[_PROBE])
        for number, start in enumerate(self.starts(laid)):
            text, furniture = laid[_text_file(number)], laid[_furniture_file(number)]
            if furniture.pages != text.pages + _blank_pages(start):
                raise CannotGroup(f"group {number}'s page furniture does not fit its pages")

    def _furniture_task(self, number: int, laid: dict[str, Layout]) -> LayoutTask:
        start = self.starts(laid)[number]
        _check_parts([mirror.part_id for mirror in self.mirrors[number]], laid[_text_file(number)])
        document = _furniture(self.book, self.mirrors[number], laid[_text_file(number)], start)
        counter = f"@page :first {{ counter-reset: page {start - _blank_pages(start)}; }}"
        target = self.folder / _furniture_file(number)
        return LayoutTask(serialise(document), (*self.furniture_sheets, counter), self.epoch, target)

    def _front_task(self, laid: dict[str, Layout]) -> LayoutTask:
        numbers = {}
        for number, start in enumerate(self.starts(laid)):
            body = laid[_text_file(number)]
            numbers.update({m.part_id: start + body.anchors[m.part_id] for m in self.mirrors[number]})
        _write_numbers(self.front, numbers)
        return LayoutTask(serialise(self.front), self.front_sheets, self.epoch, self.folder / _FRONT)


@dataclass(frozen=True)
class _Mirror:
    """What a part's furniture document needs of it: its element's name and attributes (so the
    style sheets' rules for it, its named page and its running head, apply to the empty pages as to
    the part), and its id, by which its layout says where it starts."""

    tag: str
    attributes: dict[str, str]
    part_id: str


def _mirror(part: etree._Element) -> _Mirror:
    kept = {
        name: value
        for name, value in part.attrib.items()
        if name != "id" and not name.startswith("data-outline")
    }
    return _Mirror(part.tag, kept, part.get("id", ""))


def _ids(elements: Iterable[etree._Element]) -> set[str]:
    return {found for element in elements for found in element.xpath(".//@id")}


def _point_elsewhere(document: etree._Element) -> None:
    """Links from ``document`` to an element it does not hold point to ``ELSEWHERE`` + the id."""
    here = _ids([document])
    for link in document.iter(f"{{{XHTML_NS}}}a"):
        href = link.get("href", "")
        if href.startswith("#") and href[1:] not in here:
            link.set("href", ELSEWHERE + href[1:])


def _probe(book: PrintBook) -> etree._Element:
    """Three chapters of a word each, laid out as a group is: where each one's text starts on a
    right-hand page (the first and third) and on a left-hand one (the second) tells ``pdf_stitch``
    how far a page's text moves when it changes sides."""
    sections = []
    for probe_id in PROBE_IDS:
        section = etree.Element(f"{{{XHTML_NS}}}section", {"class": "chapter", "id": probe_id})
        etree.SubElement(section, f"{{{XHTML_NS}}}p").text = "x"
        sections.append(section)
    return book.document(sections)


def _blank_pages(start: int) -> int:
    """The blank pages a furniture document starts with so that its first real page is on the same
    side as page ``start`` of the book."""
    return 1 if is_left_hand(start) else 0


def _write_numbers(front: etree._Element, numbers: dict[str, int]) -> None:
    """Write into the contents page's links the number of the page each part opens on."""
    for link in front.iter(f"{{{XHTML_NS}}}a"):
        target = link.get("href", "").removeprefix(ELSEWHERE)
        if target in numbers:
            link.set("data-page", str(numbers[target]))


def _check_parts(ids: list[str], body: Layout) -> None:
    """Each part (by its id) of a document laid out as ``body`` opens a page of its own, the first
    part the first page: what the furniture document, the probe and the one-pass layout they stand
    for take for granted."""
    firsts = [body.anchors.get(part_id) for part_id in ids]
    if None in firsts:
        raise CannotGroup("a part of the book was laid out on no page")
    if firsts[0] != 0 or any(later <= earlier for earlier, later in pairwise(firsts)):
        raise CannotGroup("two parts of the book share a page")


def _furniture(book: PrintBook, group: list[_Mirror], body: Layout, start: int) -> etree._Element:
    """The furniture document of a group laid out as ``body``, starting on page ``start``: each part
    as the same element, holding one empty block per page it filled after its first (each block
    opening a page), after an empty one that keeps the first block's break from merging with the
    part's own. The first part's opening block also sets the book's title for the left-hand heads."""
    elements = [_empty("ficexport-blank")] if _blank_pages(start) else []
    firsts = [body.anchors[mirror.part_id] for mirror in group]
    for mirror, first, following in zip(group, firsts, [*firsts[1:], body.pages], strict=True):
        part = etree.Element(mirror.tag, mirror.attributes)
        opening = _empty("ficexport-opening")
        if mirror is group[0]:
            opening.set("class", "ficexport-work-title")
            opening.set("data-title", book.front[0].get("data-work-title", ""))
        part.append(opening)
        part.extend(_empty("ficexport-page") for _ in range(following - first - 1))
        elements.append(part)
    return book.document(elements)


def _empty(name: str) -> etree._Element:
    """An empty block of class ``name``, written with its end tag: WeasyPrint reads the document as
    HTML, where ``<div/>`` would hold everything after it."""
    element = etree.Element(f"{{{XHTML_NS}}}div", {"class": name})
    element.text = ""
    return element


def _without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)


class _Workers:
    """Runs layout tasks: in worker processes when ``jobs`` is more than one, else here."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pool = None

    def __enter__(self) -> _Workers:
        if self.jobs > 1:
            self.pool = new_pool(
                self.jobs, ["converter.write.pdf_groups", "weasyprint"], ignore_ctrl_c, LAYOUTS_PER_WORKER
            )
        return self

    def run(self, tasks: list[LayoutTask], follow=None) -> dict[str, Layout]:
        """Every task's layout, by its target's file name; after each one, ``follow`` (given all
        laid out so far) may add tasks, which run after those waiting. No more tasks are given to
        the pool than it has workers (see ``processes.new_pool``)."""
        waiting, laid = deque(tasks), {}
        if self.pool is None:
            while waiting:
                task = waiting.popleft()
                laid[task.target.name] = lay_out(task)
                waiting.extend(follow(laid) if follow else ())
            return laid
        from concurrent.futures import FIRST_COMPLETED, wait

        running = {}
        with ctrl_c_as_flag() as stop:
            while waiting or running:
                while waiting and len(running) < self.jobs:
                    task = waiting.popleft()
                    running[self.pool.submit(lay_out, task)] = task.target.name
                done, _ = wait(running, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                if stop.is_set():
                    raise KeyboardInterrupt
                for future in done:
                    laid[running.pop(future)] = future.result()
                waiting.extend(follow(laid) if follow and done else ())
        return laid

    def __exit__(self, kind, error, trace) -> None:
        if self.pool is None:
            return
        if error is not None:  # Ctrl-C or a failure: stop what is running, now
            import multiprocessing

            for process in multiprocessing.active_children():
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)
