"""Joining a book's separately laid-out PDFs into one book, with pikepdf.

``pdf_groups`` lays a long book out as a front (title page, contents page) and groups of parts:
the first ones with their page furniture, the later ones without it, each of those with a furniture
document of page numbers and running heads on transparent pages. This module makes them one PDF
that reads as if WeasyPrint had made it in one pass: the front's pages, catalogue and metadata
first; then each group's pages, a later group's with its furniture laid over each page and its text
moved sideways where a page turned out to be on the other side of the spread; every element's named
destination with its page in the whole book; links between groups made internal links again; the
bookmark outline built from the parts; each source's font subsets given names of their own
(WeasyPrint names a subset after the font alone, so two groups' different subsets of one face would
otherwise share a name). The bytes depend only on the inputs.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf


@dataclass(frozen=True)
class Bookmark:
    """One entry of the outline: its title, its level (1 at the top) and the id of its element."""

    title: str
    level: int
    target: str


@dataclass(frozen=True)
class GroupPages:
    """One group's PDFs: its text, its furniture (after ``blank`` blank pages), and the number of
    the page it starts on in the book (odd numbers are right-hand pages). A group laid out with its
    furniture has none apart; its text then starts after the ``blank`` pages, on its own side."""

    text: Path
    furniture: Path | None
    start: int
    blank: int


#: The ids of the probe's three chapters (``pdf_groups._probe``), on three pages after the front's
#: draft: the second and third, on facing pages, tell how far text moves across the spread.
PROBE_IDS = ("ficexport-probe-1", "ficexport-probe-2", "ficexport-probe-3")
#: The resource name of the furniture drawn over each page.
_FURNITURE = "/ficexportFurniture"


def stitch(
    front: Path, probe: Path, groups: list[GroupPages], bookmarks: list[Bookmark], elsewhere: str
) -> bytes:
    """The whole book's PDF: ``front``, then every group in order (see the module's docstring).
    Links to ``elsewhere`` + an id become links to that id's destination. ``probe`` is the front's
    draft, with the probe's chapters after it."""
    import pikepdf

    # Every source stays open until the book is saved: a copied page's streams are read from it then.
    with contextlib.ExitStack() as sources:
        book = sources.enter_context(pikepdf.open(front))
        return _joined(book, probe, groups, bookmarks, elsewhere, sources)


def is_left_hand(page: int) -> bool:
    """Whether page ``page`` (1-based) of a book is a left-hand page: the even ones."""
    return page % 2 == 0


def _joined(
    book: pikepdf.Pdf,
    probe: Path,
    groups: list[GroupPages],
    bookmarks: list[Bookmark],
    elsewhere: str,
    sources: contextlib.ExitStack,
) -> bytes:
    import pikepdf

    dests = _dests(book, None)
    move = _side_move(probe)
    for number, group in enumerate(groups):
        text = sources.enter_context(pikepdf.open(group.text))
        _retag_fonts(text, f"text {number}")
        furniture = None
        if group.furniture is not None:
            furniture = sources.enter_context(pikepdf.open(group.furniture))
            _retag_fonts(furniture, f"furniture {number}")
        # Laid out with its furniture, a group's text starts after its blank pages, on its own side;
        # without, on its first page, as a right-hand page.
        kept = list(text.pages)[group.blank if furniture is None else 0 :]
        first = len(book.pages)
        book.pages.extend(kept)
        flipped = furniture is not None and is_left_hand(group.start)
        moves = {}
        for index, source in enumerate(kept):
            # Laid out as a right-hand page (even index) and placed on a left-hand one, its text
            # moves by the probe's left-minus-right; the other way round, back.
            shift = (0.0, 0.0) if not flipped else move if index % 2 == 0 else (-move[0], -move[1])
            if furniture is not None:
                _lay_over(book, first + index, shift, furniture.pages[index + group.blank])
            moves[source.obj.objgen] = (book.pages[first + index], shift)
        dests.update(_dests(text, moves))
    _link_across(book, dests, elsewhere)
    _name_dests(book, dests)
    _outline(book, bookmarks, dests)
    out = io.BytesIO()
    book.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _dests(source: pikepdf.Pdf, moves: dict | None) -> dict:
    """``source``'s named destinations as arrays pointing into the book: through ``moves`` (a
    source page's identity -> the book's page and how far its text moved), or, with None, unchanged
    (``source`` is the book)."""
    import pikepdf

    names = source.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    found = {}
    for name, array in pikepdf.NameTree(names.Dests).items():
        if moves is None:
            found[name] = array
            continue
        page, (dx, dy) = moves[array[0].objgen]
        found[name] = pikepdf.Array(
            [page.obj, array[1], float(array[2]) + dx, float(array[3]) + dy, array[4]]
        )
    return found


def _side_move(probe: Path) -> tuple[float, float]:
    """How far a page's text moves from a right-hand page to a left-hand one, in PDF units, as the
    probe's chapters in ``probe`` (which starts the book) show it."""
    import pikepdf

    with pikepdf.open(probe) as pdf:
        dests = pikepdf.NameTree(pdf.Root.Names.Dests)
        numbers = {page.obj.objgen: index + 1 for index, page in enumerate(pdf.pages)}
        second, third = dests[PROBE_IDS[1]], dests[PROBE_IDS[2]]
        left, right = (second, third) if is_left_hand(numbers[second[0].objgen]) else (third, second)
        return float(left[2]) - float(right[2]), float(left[3]) - float(right[3])


def _lay_over(book: pikepdf.Pdf, number: int, shift: tuple[float, float], furniture: pikepdf.Page) -> None:
    """Move everything drawn on the book's page ``number`` (0-based), and its links, by ``shift``;
    then draw ``furniture`` (a page of the same size) over it. The furniture's graphics state is
    kept apart from the page's by q/Q, and it is named by this module, not at random as pikepdf's
    ``add_overlay`` names it, so the bytes repeat."""
    import pikepdf

    page = book.pages[number]
    dx, dy = shift
    page.contents_add(pikepdf.Stream(book, f"q 1 0 0 1 {dx:.4f} {dy:.4f} cm\n".encode()), prepend=True)
    # A name of its own for each page: WeasyPrint gives every page of a document one resource table.
    name = f"{_FURNITURE}{number}"
    page.add_resource(
        book.copy_foreign(furniture.as_form_xobject()), pikepdf.Name.XObject, pikepdf.Name(name)
    )
    page.contents_add(pikepdf.Stream(book, f"\nQ q {name} Do Q".encode()))
    for annotation in page.obj.get("/Annots", []) if shift != (0.0, 0.0) else []:
        x1, y1, x2, y2 = (float(value) for value in annotation.Rect)
        annotation.Rect = pikepdf.Array([x1 + dx, y1 + dy, x2 + dx, y2 + dy])


def _link_across(book: pikepdf.Pdf, dests: dict, elsewhere: str) -> None:
    """Links WeasyPrint wrote as addresses (``elsewhere`` + an id: their target was in another
    document) become what it writes for a link inside its document: a named destination."""
    import pikepdf

    for page in book.pages:
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            if action is None or action.get("/S") != "/URI" or not str(action.URI).startswith(elsewhere):
                continue
            target = str(action.URI)[len(elsewhere) :]
            del annotation["/A"]
            if target in dests:
                annotation.Dest = pikepdf.String(target)
            elif "/Contents" in annotation:
                del annotation["/Contents"]


def _name_dests(book: pikepdf.Pdf, dests: dict) -> None:
    """The book's one table of named destinations, sorted by name as WeasyPrint writes it."""
    import pikepdf

    flat = pikepdf.Array()
    for name in sorted(dests):
        flat.append(pikepdf.String(name))
        flat.append(dests[name])
    if "/Names" not in book.Root:
        book.Root.Names = pikepdf.Dictionary()
    book.Root.Names.Dests = book.make_indirect(pikepdf.Dictionary(Names=flat))


def _outline(book: pikepdf.Pdf, bookmarks: list[Bookmark], dests: dict) -> None:
    """The bookmark outline: each bookmark under the last one before it of a lower level."""
    import pikepdf

    with book.open_outline() as outline:
        outline.root.clear()
        stack: list[tuple[int, list]] = [(0, outline.root)]
        for mark in bookmarks:
            if mark.target not in dests:
                continue
            item = pikepdf.OutlineItem(mark.title, dests[mark.target])
            while stack[-1][0] >= mark.level:
                stack.pop()
            stack[-1][1].append(item)
            stack.append((mark.level, item.children))


def _retag_fonts(pdf: pikepdf.Pdf, source: str) -> None:
    """Give each font subset of ``pdf`` a tag (the six letters before ``+``) of its own, made from
    ``source`` and its old tag, so that subsets from different sources never share a name."""
    import pikepdf

    tags: dict[str, str] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        kind = obj.get("/Type")
        key = "/BaseFont" if kind == "/Font" else "/FontName" if kind == "/FontDescriptor" else None
        if key is None or key not in obj:
            continue
        name = str(obj[key])[1:]
        old, plus, rest = name.partition("+")
        if not plus or len(old) != 6:
            continue
        if old not in tags:
            digest = hashlib.sha256(f"{source}:{old}".encode()).digest()
            tags[old] = "".join(chr(ord("A") + byte % 26) for byte in digest[:6])
        obj[key] = pikepdf.Name(f"/{tags[old]}+{rest}")
