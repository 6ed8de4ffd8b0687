"""A long book's PDF laid out in groups of parts, on several processes at once, then joined.

Why it can be: every part after the title page (a chapter, the end notes, a piece of front or back
matter) opens a new page (``pdf.css``), so how a part's text falls on its pages does not depend on
the parts before it. Only two things do. Which side its first page is on (left or right): that moves
the text sideways, by the difference of the inner and outer margins, and nothing else. And the page
furniture: page numbers, running heads, the contents page's numbers.

How, in WeasyPrint runs shared out over every process, each started as soon as what it needs is
known (``_Plan``):

1. The parts after the front are cut into groups of about ``GROUP_CHARACTERS`` characters of text
   (whole parts; the cut depends on the book alone). The front (title page, contents page) is laid
   out with stand-in numbers, to learn how many pages it fills, and so on which page the first
   group starts.
2. The first groups are laid out one after another, each with its page numbers and running heads:
   once the groups before it are laid out, its first page number is known, so WeasyPrint draws
   them as in one pass (its page counter starts there, after a blank page when that is a
   left-hand page). On one process that is every group; on several, an even share of the work
   with the front's draft (``furnished_groups``), so the bytes depend on ``jobs`` too, never what
   a page shows.
3. Meanwhile the other processes lay out the later groups, each as a document of its own without
   furniture (every margin box emptied), as if its first page were a right-hand page; a three-page
   probe after the front's draft tells how far a page's text moves from one side to the other.
   Once such a group's first page number is known, it gets a furniture document: the same parts,
   each as many empty pages long as it filled, under the same style sheets, so WeasyPrint draws
   the page numbers and running heads it would have drawn in one pass. (Drawing a group's
   furniture with its text costs a third of what a furniture document does, which lays every page
   out once more.)
4. Last, the front is laid out again, its contents page with the real numbers.

``pdf_stitch`` then joins the pages into one book. Each process holds one group at a time, so the
memory a long work needs does not grow with its length (a single chapter longer than a group is
still one group).
"""

from __future__ import annotations

import copy
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
#: What one entry of the contents page costs WeasyPrint, in characters of the groups' weight (its
#: dotted leader, mostly): the 5,000-chapter text's contents page took 24 s to lay out, as long as
#: 86 of its groups of one-line chapters, 6.5 million characters by their weight.
CONTENTS_ENTRY_CHARACTERS = 1_300
#: A process lays out this many documents (groups and furniture), then a fresh one takes over:
#: WeasyPrint's caches grow a few MB a document, and a fresh process pays half a second to fill
#: them again (benchmarks/RESULTS.md, "Figures behind design choices").
LAYOUTS_PER_WORKER = 20
#: What a layout process needs imported (the fork server imports it once for them all).
_LAYOUT_MODULES = ["converter.write.pdf_groups", "weasyprint"]
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
#: A furnished group's first part names the book (the left-hand heads), as the title page does in
#: one pass; it keeps its own running head.
_WORK_TITLE = "data-ficexport-work-title"
_TITLE_SET = (
    f"[{_WORK_TITLE}] {{ string-set: work-title attr({_WORK_TITLE}), part-title attr(data-running-head); }}"
)
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
    own_css: str = ""  # rules for this document alone (where its page counter starts)


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
    result = typeset(task.html, list(task.sheets), task.epoch, anchors=task.anchors, own_css=task.own_css)
    task.target.write_bytes(result.data)
    return Layout(result.pages, result.anchors, result.refused)


def groups_of(book: PrintBook, variant: str | None, user_css: str, processes: int) -> list[list[int]] | None:
    """The book's later parts cut into groups (each a list of indexes into ``book.parts``), or None
    when it is to be laid out in one pass: a short book (under one and a half groups; on one
    process, under ``ONE_PROCESS_GROUPS``), a tagged PDF (whose structure tree cannot be joined),
    or a user's style sheet that depends on the pages around a part (``_SIDE_DEPENDENT``)."""
    if variant is not None or _SIDE_DEPENDENT.search(_without_comments(user_css)):
        return None
    sizes = _part_sizes(book)
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


def _part_sizes(book: PrintBook) -> list[int]:
    """Each later part's weight for the cut: its characters of text, at least ``PAGE_CHARACTERS``."""
    return [max(PAGE_CHARACTERS, sum(len(text) for text in part.itertext())) for part in book.parts]


def furnished_groups(book: PrintBook, groups: list[list[int]], jobs: int) -> int:
    """How many of the first groups are laid out one after another with their furniture: on one
    process all; on several, as many as fit, after the front's draft (laid out first on the same
    process), in an even share of the whole work, so that the process laying them out finishes
    with the others (the later groups' furniture documents wait for the last of them)."""
    if jobs == 1:
        return len(groups)
    sizes = _part_sizes(book)
    weights = [sum(sizes[index] for index in group) for group in groups]
    entries = sum(1 for part in book.parts if part.get("data-outline") is not None)
    front = entries * CONTENTS_ENTRY_CHARACTERS
    share, chain, furnished = (front + sum(weights)) / jobs, front, 0
    while furnished < len(groups) - 1 and chain + weights[furnished] <= share:
        chain += weights[furnished]
        furnished += 1
    return furnished


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
        plan = _Plan(book, groups, sheets, epoch, Path(folder), jobs)
        laid = workers.run(plan.first_tasks(), plan.follow)
        for _ in range(_FRONT_TRIES):
            if laid[_FRONT].pages == plan.front_pages(laid):
                break
            plan.front_length = laid[_FRONT].pages  # the real numbers changed the front's length
            laid.update(workers.run(plan.finishing_tasks(laid)))
            laid.update(workers.run([plan.front_task(laid)]))
        if laid[_FRONT].pages != plan.front_pages(laid):
            raise CannotGroup("the contents page's length does not settle")
        plan.check_pages(laid)
        joined = stitch(
            front=plan.folder / _FRONT,
            probe=plan.folder / _DRAFT,
            groups=[
                GroupPages(
                    plan.folder / _text_file(number),
                    None if number < plan.furnished else plan.folder / _furniture_file(number),
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
_DRAFT, _FRONT = "front-draft.pdf", "front.pdf"


def _text_file(number: int) -> str:
    """The file name of group ``number``'s text (and the key of its layout)."""
    return f"group-{number}.pdf"


def _furniture_file(number: int) -> str:
    """The file name of group ``number``'s furniture (and the key of its layout)."""
    return f"furniture-{number}.pdf"


class _Plan:
    """The layout tasks of a grouped book (see the module's docstring), each made when what it
    needs is known: the first ones at once, a furnished group's text as soon as its first page
    number is, another group's furniture as soon as that and its text are laid out (so the workers
    never wait for a round to end), the front last."""

    def __init__(
        self, book: PrintBook, groups: list[list[int]], sheets: list[str], epoch: int, folder: Path, jobs: int
    ):
        self.book, self.groups, self.epoch, self.folder = book, groups, epoch, folder
        self.furnished = furnished_groups(book, groups, jobs)
        self.mirrors = [[_mirror(book.parts[index]) for index in group] for group in groups]
        self.front = book.document(book.front)
        _point_elsewhere(self.front)
        self.front_sheets = (*sheets, _NUMBERS_WRITTEN)
        self.sheets = tuple(sheets)
        self.body_sheets = (*sheets, _NO_FURNITURE)
        self.furniture_sheets = (*sheets, _FURNITURE_ONLY)
        self.made = 0  # groups whose text task (furnished) or furniture task is made
        self.leading: dict[int, int] = {}  # a furnished group's blank pages before its text, as laid out
        self.front_length: int | None = None  # the front's pages, once laid out with the real numbers
        self.front_made = False

    def first_tasks(self) -> list[LayoutTask]:
        """The front's draft (with stand-in numbers, and the probe after it), every group laid out
        without its furniture."""
        _write_numbers(self.front, dict.fromkeys((m.part_id for group in self.mirrors for m in group), 0))
        draft = copy.deepcopy(self.front)
        draft.find(f"{{{XHTML_NS}}}body").extend(_probe())
        tasks = [
            LayoutTask(serialise(draft), self.front_sheets, self.epoch, self.folder / _DRAFT, anchors=True)
        ]
        for number in range(self.furnished, len(self.groups)):
            document = self.book.document([self.book.parts[index] for index in self.groups[number]])
            _point_elsewhere(document)
            target = self.folder / _text_file(number)
            tasks.append(LayoutTask(serialise(document), self.body_sheets, self.epoch, target, anchors=True))
        return tasks

    def follow(self, laid: dict[str, Layout]) -> list[LayoutTask]:
        """The tasks that what is laid out so far makes possible: a furnished group's text once its
        first page number is known (the front's draft and every group before it are laid out),
        another group's furniture once its text is laid out too, the front once every group is."""
        tasks, starts = [], self.starts(laid)
        while self.made < len(starts):
            if self.made < self.furnished:
                tasks.append(self._furnished_task(self.made, starts[self.made]))
            elif _text_file(self.made) in laid:
                tasks.append(self._furniture_task(self.made, starts[self.made], laid))
            else:
                break
            self.made += 1
        if not self.front_made and all(_text_file(number) in laid for number in range(len(self.groups))):
            tasks.append(self.front_task(laid))
            self.front_made = True
        return tasks

    def finishing_tasks(self, laid: dict[str, Layout]) -> list[LayoutTask]:
        """When the front's length changed: every group's furniture again (the furnished groups'
        text with it); the front follows."""
        return [
            self._furnished_task(number, start)
            if number < self.furnished
            else self._furniture_task(number, start, laid)
            for number, start in enumerate(self.starts(laid))  # all reckoned before any task is made
        ]

    def starts(self, laid: dict[str, Layout]) -> list[int]:
        """The page number (1-based) each group starts on, as far as known: the first group's once
        the front's draft is laid out, each next one's once the group before it is."""
        if _DRAFT not in laid:
            return []
        starts = [self.front_pages(laid) + 1]
        for number in range(len(self.groups) - 1):
            if _text_file(number) not in laid:
                break
            starts.append(starts[-1] + laid[_text_file(number)].pages - self.leading.get(number, 0))
        return starts

    def check_pages(self, laid: dict[str, Layout]) -> None:
        """Every part (by its id) on a page of its own, in the probe and in every furnished group
        (the others' were checked when their furniture was made), and every furniture document as
        many pages long as its group's text (after its blank one)."""
        _check_parts(list(PROBE_IDS), laid[_DRAFT], laid[_DRAFT].anchors[PROBE_IDS[0]])
        for number, start in enumerate(self.starts(laid)):
            text = laid[_text_file(number)]
            if number < self.furnished:
                _check_parts([mirror.part_id for mirror in self.mirrors[number]], text, self.leading[number])
            elif laid[_furniture_file(number)].pages != text.pages + _blank_pages(start):
                raise CannotGroup(f"group {number}'s page furniture does not fit its pages")

    def front_pages(self, laid: dict[str, Layout]) -> int:
        """How many pages the front fills: in its draft, up to the probe's first page; once laid out
        with the real numbers and found longer, that many."""
        if self.front_length is not None:
            return self.front_length
        if PROBE_IDS[0] not in laid[_DRAFT].anchors:
            raise CannotGroup("the probe was laid out on no page")
        return laid[_DRAFT].anchors[PROBE_IDS[0]]

    def _furnished_task(self, number: int, start: int) -> LayoutTask:
        """Group ``number``'s text with its page furniture, its first page number ``start``: after
        a blank page when that is a left-hand page, so that its first page is laid out as one."""
        self.leading[number] = _blank_pages(start)
        parts = [self.book.parts[index] for index in self.groups[number]]
        parts[0].set(_WORK_TITLE, self.book.front[0].get("data-work-title", ""))
        document = self.book.document(([_empty("ficexport-blank")] if _blank_pages(start) else []) + parts)
        _point_elsewhere(document)
        counter = _counter_from(start)
        target = self.folder / _text_file(number)
        sheets = (*self.sheets, _TITLE_SET)
        return LayoutTask(serialise(document), sheets, self.epoch, target, anchors=True, own_css=counter)

    def _furniture_task(self, number: int, start: int, laid: dict[str, Layout]) -> LayoutTask:
        _check_parts([mirror.part_id for mirror in self.mirrors[number]], laid[_text_file(number)])
        document = _furniture(self.book, self.mirrors[number], laid[_text_file(number)], start)
        counter = _counter_from(start)
        target = self.folder / _furniture_file(number)
        return LayoutTask(serialise(document), self.furniture_sheets, self.epoch, target, own_css=counter)

    def front_task(self, laid: dict[str, Layout]) -> LayoutTask:
        numbers = {}
        for number, start in enumerate(self.starts(laid)):
            first = start - self.leading.get(number, 0)
            numbers.update(
                {m.part_id: first + laid[_text_file(number)].anchors[m.part_id] for m in self.mirrors[number]}
            )
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


def _probe() -> list[etree._Element]:
    """Three chapters of a word each, laid out after the front's draft, on three pages: where the
    text of the two on facing pages starts tells ``pdf_stitch`` how far a page's text moves when
    it changes sides (the page's margin boxes, drawn or not, do not move it)."""
    sections = []
    for probe_id in PROBE_IDS:
        section = etree.Element(f"{{{XHTML_NS}}}section", {"class": "chapter", "id": probe_id})
        etree.SubElement(section, f"{{{XHTML_NS}}}p").text = "x"
        sections.append(section)
    return sections


def _counter_from(start: int) -> str:
    """A document's own rule: its page counter starts so that its first page after its blank one
    (if any) is page ``start`` of the book."""
    return f"@page :first {{ counter-reset: page {start - _blank_pages(start)}; }}"


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


def _check_parts(ids: list[str], body: Layout, leading: int = 0) -> None:
    """Each part (by its id) of a document laid out as ``body`` opens a page of its own, the first
    part the first page after ``leading`` blank ones: what the furniture document, the probe and
    the one-pass layout they stand for take for granted."""
    firsts = [body.anchors.get(part_id) for part_id in ids]
    if None in firsts:
        raise CannotGroup("a part of the book was laid out on no page")
    if firsts[0] != leading or any(later <= earlier for earlier, later in pairwise(firsts)):
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
            self.pool = new_pool(self.jobs, _LAYOUT_MODULES, ignore_ctrl_c, LAYOUTS_PER_WORKER)
        return self

    def run(self, tasks: list[LayoutTask], follow=None) -> dict[str, Layout]:
        """Every task's layout, by its target's file name; after each one, ``follow`` (given all
        laid out so far) may add tasks, which run before those waiting (a furnished group holds up
        the next one). No more tasks are given to the pool than it has workers (see
        ``processes.new_pool``)."""
        waiting, laid = deque(tasks), {}
        if self.pool is None:
            while waiting:
                task = waiting.popleft()
                laid[task.target.name] = lay_out(task)
                waiting.extendleft(reversed(follow(laid) if follow else []))
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
                waiting.extendleft(reversed(follow(laid) if follow and done else []))
        return laid

    def __exit__(self, kind, error, trace) -> None:
        if self.pool is None:
            return
        if error is not None:  # Ctrl-C or a failure: stop what is running, now
            import multiprocessing

            for process in multiprocessing.active_children():
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)
