"""Finding a plugged-in e-reader and copying books onto it: fake readers (the folders their firmware
keeps) in tmp_path, mounted where ``FICEXPORT_MOUNT_ROOTS`` says, and the real command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from converter.deliver.delivery import Status, copy_books, device_name
from converter.deliver.devices import (
    Device,
    DeviceError,
    Kind,
    choose_device,
    find_devices,
    mount_roots,
    named_device,
    reader_root,
    system_volumes,
)
from tests.support import EXAMPLES, assert_epubcheck_clean

EXAMPLE = EXAMPLES / "the-lighthouse-keepers-cat.txt"


def kobo(root: Path) -> Path:
    (root / ".kobo").mkdir(parents=True)
    return root


def kindle(root: Path) -> Path:
    (root / "documents").mkdir(parents=True)
    (root / "system").mkdir()
    return root


def generic(root: Path, books: str = "Books") -> Path:
    (root / books).mkdir(parents=True)
    return root


@pytest.fixture
def mounts(tmp_path, monkeypatch):
    """An empty mount root that the command searches instead of /media, /Volumes, …"""
    root = tmp_path / "media"
    root.mkdir()
    monkeypatch.setenv("FICEXPORT_MOUNT_ROOTS", str(root))
    return root


@pytest.fixture
def work(tmp_path):
    source = tmp_path / "texts" / "work.txt"
    source.parent.mkdir()
    shutil.copy(EXAMPLE, source)
    return source


# --- finding --------------------------------------------------------------------------------------


def test_each_kind_is_known_by_its_folders_and_has_its_books_folder(tmp_path):
    volumes = [
        kobo(tmp_path / "KOBOeReader"),
        kindle(tmp_path / "Kindle"),
        generic(tmp_path / "PocketBook", "books"),
        tmp_path / "USB stick",
    ]
    (tmp_path / "USB stick" / "Photos").mkdir(parents=True)
    found = find_devices(volumes)
    assert [(d.kind, d.root.name, d.books.relative_to(d.root).as_posix()) for d in found] == [
        (Kind.KOBO, "KOBOeReader", "Books"),
        (Kind.KINDLE, "Kindle", "documents"),
        (Kind.GENERIC, "PocketBook", "books"),
    ]


def test_marker_folders_are_matched_case_blind_as_on_fat(tmp_path):
    (tmp_path / "Kindle" / "Documents").mkdir(parents=True)
    (tmp_path / "Kindle" / "SYSTEM").mkdir()
    [device] = find_devices([tmp_path / "Kindle"])
    assert device.kind is Kind.KINDLE and device.books == tmp_path / "Kindle" / "Documents"


def test_an_existing_books_folder_on_a_kobo_is_used_whatever_its_case(tmp_path):
    (kobo(tmp_path / "KOBO") / "books").mkdir()
    assert find_devices([tmp_path / "KOBO"])[0].books == tmp_path / "KOBO" / "books"


def test_the_usual_mount_roots_of_each_system():
    linux = mount_roots("linux", {"USER": "ana"})
    assert linux == [Path("/media/ana"), Path("/run/media/ana"), Path("/mnt")]
    assert mount_roots("darwin", {}) == [Path("/Volumes")]
    assert mount_roots("win32", {}) == []  # drive letters instead
    assert mount_roots("linux", {"FICEXPORT_MOUNT_ROOTS": "/a:/b"}) == [Path("/a"), Path("/b")]


def test_volumes_are_the_folders_inside_the_roots(mounts):
    kobo(mounts / "KOBOeReader")
    (mounts / "not-a-volume.txt").write_text("x")
    assert system_volumes() == [mounts / "KOBOeReader"]


def test_no_reader_plugged_in_is_one_sentence(mounts):
    generic(mounts / "stick", "Photos")
    with pytest.raises(DeviceError) as caught:
        choose_device(None)
    assert "no e-reader is plugged in" in caught.value.sentence()
    assert str(mounts) in caught.value.sentence()


def test_two_readers_plugged_in_asks_for_one(mounts):
    kobo(mounts / "KOBOeReader")
    kindle(mounts / "Kindle")
    with pytest.raises(DeviceError, match=r"more than one e-reader.*--device PATH"):
        choose_device(None)


def test_a_named_folder_is_its_readers_kind_or_else_a_books_folder(tmp_path):
    assert named_device(kobo(tmp_path / "KOBO")).kind is Kind.KOBO
    plain = tmp_path / "phone" / "Download"
    plain.mkdir(parents=True)
    assert named_device(plain) == Device(Kind.GENERIC, plain, plain)
    with pytest.raises(DeviceError, match="no such folder"):
        named_device(tmp_path / "unplugged")


# --- copying --------------------------------------------------------------------------------------


def test_names_are_made_storable_on_fat_and_keep_the_kepub_suffix():
    assert device_name(Path("What? A Story: Part 1.kepub.epub")) == "What A Story - Part 1.kepub.epub"
    assert device_name(Path("CON.epub")) == "CON_.epub"


def test_books_of_one_run_wanting_one_name_are_both_kept(tmp_path):
    device = Device(Kind.GENERIC, tmp_path, tmp_path / "Books")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "Who?.epub", tmp_path / "b" / "Who.epub"
    first.write_bytes(b"first")
    second.write_bytes(b"second")
    deliveries = copy_books([first, second], device)
    assert [(d.target.name, d.status) for d in deliveries] == [
        ("Who.epub", Status.COPIED),
        ("Who (2).epub", Status.COPIED),
    ]
    assert (tmp_path / "Books" / "Who (2).epub").read_bytes() == b"second"


def test_an_unwritable_books_folder_is_reported_and_the_rest_tried(tmp_path):
    books = tmp_path / "Books"
    books.write_text("a file where the folder should be")
    device = Device(Kind.GENERIC, tmp_path, books)
    book = tmp_path / "work.epub"
    book.write_bytes(b"book")
    [delivery] = copy_books([book], device)
    assert delivery.status is Status.FAILED
    assert "still plugged in" in delivery.sentence()


# --- the command --------------------------------------------------------------------------------


def test_list_devices_shows_what_is_plugged_in(mounts, run_cli):
    kobo(mounts / "KOBOeReader")
    generic(mounts / "PB632")
    result = run_cli("--list-devices")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Kobo at {mounts / 'KOBOeReader'} (books go in {mounts / 'KOBOeReader' / 'Books'})",
        f"e-reader at {mounts / 'PB632'} (books go in {mounts / 'PB632' / 'Books'})",
    ]


def test_list_devices_says_when_none_is_found(mounts, run_cli):
    result = run_cli("--list-devices")
    assert result.returncode == 0
    assert result.stdout.strip() == f"no e-reader found (looked in {mounts})"


def test_kobo_gets_the_kepub_in_its_books_folder(mounts, work, run_cli):
    device = kobo(mounts / "KOBOeReader")
    result = run_cli(work, "--to-device")
    assert result.returncode == 0, result.stderr
    copied = device / "Books" / "work.kepub.epub"
    assert f"copied {work.with_name('work.kepub.epub')} to {copied}" in result.stdout
    assert copied.read_bytes() == work.with_name("work.kepub.epub").read_bytes()
    assert not work.with_name("work.epub").exists()  # the Kobo's own format only, as none was named
    assert sorted(p.name for p in (device / "Books").iterdir()) == ["work.kepub.epub"]  # no temporary left
    assert_epubcheck_clean(copied)


def test_formats_named_are_made_too_but_a_kobo_gets_only_the_kepub(mounts, work, run_cli):
    device = kobo(mounts / "KOBOeReader")
    result = run_cli(work, "--to-device", "--epub")
    assert result.returncode == 0, result.stderr
    assert work.with_name("work.epub").is_file() and work.with_name("work.kepub.epub").is_file()
    assert [p.name for p in (device / "Books").iterdir()] == ["work.kepub.epub"]


def test_generic_reader_gets_the_epub_and_the_pdf_asked_for(mounts, work, run_cli):
    device = generic(mounts / "PocketBook", "books")
    result = run_cli(work, "--to-device", "--pdf", "--page-size", "6in", "--html")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (device / "books").iterdir()) == ["work.epub", "work.pdf"]
    assert (device / "books" / "work.epub").read_bytes() == work.with_name("work.epub").read_bytes()


def test_kindle_gets_the_pdf_in_documents(mounts, work, run_cli):
    device = kindle(mounts / "Kindle")
    result = run_cli(work, "--to-device", "--pdf")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (device / "documents").iterdir()] == ["work.pdf"]


def test_kindle_without_a_pdf_is_refused_before_converting(mounts, work, run_cli):
    device = kindle(mounts / "Kindle")
    result = run_cli(work, "--to-device")
    assert result.returncode == 1
    assert "does not open EPUBs copied over USB" in result.stderr and "--send-to-kindle" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not work.with_name("work.epub").exists()
    assert list((device / "documents").iterdir()) == []


def test_no_reader_found_is_one_sentence_and_nothing_converted(mounts, work, run_cli):
    result = run_cli(work, "--to-device")
    assert result.returncode == 1
    assert result.stderr.startswith("ficexport: no e-reader is plugged in")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not work.with_name("work.epub").exists()


def test_explicit_device_path_is_used_and_implies_to_device(mounts, work, tmp_path, run_cli):
    kobo(mounts / "KOBOeReader")  # plugged in, but not the one named
    phone = tmp_path / "phone" / "Books"
    phone.mkdir(parents=True)
    result = run_cli(work, "--device", phone)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in phone.iterdir()] == ["work.epub"]
    assert not (mounts / "KOBOeReader" / "Books").exists()


def test_the_same_book_again_is_already_there(mounts, work, run_cli):
    device = generic(mounts / "reader")
    assert run_cli(work, "--to-device").returncode == 0
    before = (device / "Books" / "work.epub").stat().st_mtime_ns
    result = run_cli(work, "--to-device")  # nothing to convert: the book is up to date, and delivered
    assert result.returncode == 0, result.stderr
    assert "is already there (the same book)" in result.stdout
    assert (device / "Books" / "work.epub").stat().st_mtime_ns == before


def test_a_different_book_of_the_same_name_is_kept_without_replace(mounts, work, run_cli):
    device = generic(mounts / "reader")
    other = device / "Books" / "work.epub"
    other.write_bytes(b"another book the reader already has")
    result = run_cli(work, "--to-device")
    assert result.returncode == 1
    assert "a different book of that name is already on the reader" in result.stderr
    assert "--replace" in result.stderr
    assert other.read_bytes() == b"another book the reader already has"
    assert work.with_name("work.epub").is_file()  # converted all the same

    result = run_cli(work, "--to-device", "--replace")
    assert result.returncode == 0, result.stderr
    assert f"replaced {other}" in result.stdout
    assert other.read_bytes() == work.with_name("work.epub").read_bytes()


def test_a_folder_of_works_is_delivered_after_converting(mounts, tmp_path, run_cli):
    device = kobo(mounts / "KOBOeReader")
    library = tmp_path / "library"
    (library / "fandom").mkdir(parents=True)
    shutil.copy(EXAMPLE, library / "one.txt")
    shutil.copy(EXAMPLE, library / "fandom" / "two.txt")
    (library / "broken.txt").write_bytes(b"")
    result = run_cli(library, "-o", tmp_path / "out", "--to-device")
    assert result.returncode == 1  # the empty file failed; the others are delivered
    assert sorted(p.name for p in (device / "Books").iterdir()) == ["one.kepub.epub", "two.kepub.epub"]


def test_replace_without_a_device_and_no_inputs_are_usage_errors(work, run_cli):
    result = run_cli(work, "--replace")
    assert result.returncode == 2 and "--replace" in result.stderr
    assert not work.with_name("work.epub").exists()
    result = run_cli("--to-device")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "ficexport: name the text files or folders to convert; ficexport --help shows how."
    )


# --- a reader named as an input -------------------------------------------------------------------


@pytest.mark.parametrize("make", [kobo, kindle, generic], ids=["kobo", "kindle", "generic"])
def test_a_readers_folder_given_as_an_input_is_refused_with_the_device_hint(mounts, work, run_cli, make):
    reader = make(mounts / "READER")
    (reader / "old-notes.txt").write_text("Something kept on the reader.\n", encoding="utf-8")
    result = run_cli(work, "--to-device", reader)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"ficexport: {reader} is a ") and line.endswith(f"did you mean --device {reader}?")
    assert "(--to-device takes no folder)" in line
    assert not work.with_name("work.epub").exists() and not work.with_name("work.kepub.epub").exists()
    assert sorted(p.name for p in reader.rglob("*") if p.is_file()) == ["old-notes.txt"]


def test_a_readers_root_is_known_by_its_folders_but_a_books_folder_only_when_mounted(mounts, tmp_path):
    assert reader_root(kobo(tmp_path / "backup of my kobo")).kind is Kind.KOBO
    assert reader_root(kindle(tmp_path / "kindle copy")).kind is Kind.KINDLE
    # A library with a Books folder in it is a library, unless it is a mounted volume.
    assert reader_root(generic(tmp_path / "library")) is None
    assert reader_root(generic(mounts / "PocketBook")).kind is Kind.GENERIC
    assert reader_root(tmp_path / "not there") is None


def test_a_library_holding_a_books_folder_converts_as_before(tmp_path, run_cli):
    library = generic(tmp_path / "library")
    shutil.copy(EXAMPLE, library / "Books" / "work.txt")
    result = run_cli(library, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "Books" / "work.epub").is_file()
