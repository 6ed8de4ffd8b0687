"""Whole libraries: folders walked and mirrored, bad files reported without stopping the rest,
nothing converted twice, clashing names kept apart, Ctrl-C leaving no half-written book, the same
books whatever the number of workers, and the same job on a Dask cluster.

Every run is the real command as a process over real folders in ``tmp_path``; EPUB only, to keep
the suite quick (the PDF backend is covered by test_pipeline).
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from converter.library import workers
from converter.library.batch import find_inputs
from converter.library.state import STATE_FILE
from tests.support import EXAMPLES, assert_epubcheck_clean, epub_metadata, pool_workers

EXAMPLE = EXAMPLES / "the-lighthouse-keepers-cat.txt"
TITLE = "The Lighthouse Keeper's Cat"
BOOK_TITLE = TITLE.replace("'", "’")  # as the typeset stage prints it

#: Where the generated works live in a library: nested, with spaces, several levels deep.
FOLDERS = (
    "",
    "Original Work",
    "Original Work/Tales from Corran Head",
    "Other Fandom/one-shots",
    "Other Fandom/one-shots/drafts",
)
SUFFIXES = (".txt", ".txt", ".md", ".text")


def take(number: int, repeat: int = 1) -> str:
    """The example work with its own title, a closing line of its own, and the story told
    ``repeat`` times (a longer work)."""
    text = EXAMPLE.read_text(encoding="utf-8").replace(TITLE, f"{TITLE}, Take {number}", 1)
    head, _, tail = text.partition("Chapter 1:")
    return head + ("Chapter 1:" + tail) * repeat + f"\n\nTake {number} ends here.\n"


def write_works(folder: Path, count: int, repeat: int = 1) -> list[Path]:
    """``count`` works in nested folders below ``folder``."""
    works = []
    for number in range(count):
        path = folder / FOLDERS[number % len(FOLDERS)] / f"take-{number:02d}{SUFFIXES[number % 4]}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(take(number, repeat), encoding="utf-8")
        works.append(path)
    return works


def make_unreadable(path: Path) -> str:
    """Make ``path`` a text file that cannot be read; returns the words its failure should say.

    As root, permissions do not stop reading, so root gets a link to a file that does not exist."""
    if os.geteuid() == 0:
        path.symlink_to(path.parent / "deleted-long-ago.txt")
        return "no such file"
    path.write_text("secret", encoding="utf-8")
    path.chmod(0)
    return "permission denied"


def books(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (the books and the record), by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*.epub")}


def converted_lines(result: subprocess.CompletedProcess) -> list[str]:
    """The one line per converted file that a run prints in a pipe."""
    return [line for line in result.stdout.splitlines() if " -> " in line]


def ficexport(*args: str | Path, cwd: Path, **popen) -> subprocess.Popen:
    """The real command started as a process (for tests that signal it while it runs)."""
    return subprocess.Popen(
        [sys.executable, "-m", "converter", *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


# --- a library of 60 files, three of them bad ----------------------------------------------------


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> dict:
    """57 works in nested folders, a binary, an empty and an unreadable file among them, and the
    droppings a real folder has; converted once into ``out``."""
    lib = tmp_path_factory.mktemp("library")
    works = write_works(lib, 57)
    (lib / "Original Work" / "cover.txt").write_bytes(b"\x00\x01\x02\x03" * 64 + b"JFIF" + bytes(range(256)))
    (lib / "Other Fandom" / "empty.md").write_text("", encoding="utf-8")
    unreadable_reason = make_unreadable(lib / "Other Fandom" / "one-shots" / "locked.txt")
    # Droppings and files of other kinds: none of them is an input.
    (lib / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (lib / "Original Work" / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    (lib / "Original Work" / "desktop.ini").write_text("[.ShellClassInfo]\n", encoding="utf-8")
    (lib / "__MACOSX").mkdir()
    (lib / "__MACOSX" / "take-00.txt").write_text("resource fork", encoding="utf-8")
    (lib / ".hidden-draft.txt").write_text("not for converting", encoding="utf-8")
    (lib / "notes.docx").write_bytes(b"PK\x03\x04")
    inputs_before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in works}
    out = tmp_path_factory.mktemp("books")
    cwd = tmp_path_factory.mktemp("cwd")
    first = ficexport(lib, "-o", out, cwd=cwd)
    stdout, stderr = first.communicate(timeout=600)
    return {
        "lib": lib,
        "works": works,
        "out": out,
        "cwd": cwd,
        "first": subprocess.CompletedProcess(first.args, first.returncode, stdout, stderr),
        "unreadable_reason": unreadable_reason,
        "inputs_before": inputs_before,
    }


@pytest.fixture
def converted_copy(library, tmp_path) -> tuple[Path, Path]:
    """A private copy of the library and of its first run's books, for a test to change."""
    lib, out = tmp_path / "library", tmp_path / "books"
    shutil.copytree(library["lib"], lib, symlinks=True)
    shutil.copytree(library["out"], out)
    return lib, out


@pytest.mark.slow
def test_a_library_becomes_57_books_in_a_mirrored_tree(library):
    lib, out = library["lib"], library["out"]
    expected = {w.relative_to(lib).with_suffix(".epub").as_posix() for w in library["works"]}
    made = {p.relative_to(out).as_posix() for p in out.rglob("*.epub")}
    assert len(expected) == 57
    assert made == expected
    assert len(converted_lines(library["first"])) == 57
    assert not list(out.rglob("*.part"))
    assert epub_metadata(out / "Original Work" / "take-01.epub")["title"] == [f"{BOOK_TITLE}, Take 1"]
    assert_epubcheck_clean(out / "Other Fandom" / "one-shots" / "drafts" / "take-04.epub")


def test_each_bad_file_is_named_with_its_reason_and_the_exit_code_is_1(library):
    first = library["first"]
    assert first.returncode == 1
    assert "Traceback" not in first.stderr
    assert "cover.txt: this is a binary file, not text" in first.stderr
    assert "empty.md: the file is empty" in first.stderr
    assert f"locked.txt: {library['unreadable_reason']}" in first.stderr
    assert "57 converted, 0 skipped as up to date, 3 failed" in first.stderr


def test_hidden_files_os_droppings_and_other_kinds_are_not_inputs(library):
    stderr = library["first"].stderr
    for name in ("DS_Store", "Thumbs", "desktop", "__MACOSX", "hidden-draft", "notes.docx"):
        assert name not in stderr
    assert not (library["out"] / "__MACOSX").exists()


def test_the_inputs_are_never_touched(library):
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in library["works"]} == library["inputs_before"]


def test_a_second_run_converts_nothing_and_says_so(converted_copy, run_cli):
    lib, out = converted_copy
    before = stamps(out)
    again = run_cli(lib, "-o", out)
    assert again.returncode == 1  # the three bad files are tried, and fail, again
    assert converted_lines(again) == []
    assert "0 converted, 57 skipped as up to date, 3 failed" in again.stderr
    assert stamps(out) == before


def test_an_unchanged_library_without_bad_files_says_there_is_nothing_to_do(tmp_path, run_cli):
    write_works(tmp_path / "lib", 3)
    assert run_cli(tmp_path / "lib", "-o", tmp_path / "out").returncode == 0
    again = run_cli(tmp_path / "lib", "-o", tmp_path / "out")
    assert again.returncode == 0
    assert again.stdout == ""
    assert "nothing to convert: the 3 files are up to date" in again.stderr


def test_a_changed_input_reconverts_only_that_one(converted_copy, run_cli):
    lib, out = converted_copy
    changed = lib / "Original Work" / "Tales from Corran Head" / "take-02.md"
    changed.write_text(take(2) + "\nA line added later.\n", encoding="utf-8")
    before = stamps(out)
    again = run_cli(lib, "-o", out)
    assert converted_lines(again) == [
        f"{changed} -> {out / 'Original Work/Tales from Corran Head/take-02.epub'}"
    ]
    after = stamps(out)
    assert [name for name in after if after[name] != before[name]] == [
        "Original Work/Tales from Corran Head/take-02.epub"
    ]


@pytest.mark.slow
def test_a_changed_option_reconverts_every_book(converted_copy, run_cli):
    lib, out = converted_copy
    again = run_cli(lib, "-o", out, "--author", "Someone Else")
    assert len(converted_lines(again)) == 57
    assert epub_metadata(out / "take-00.epub")["creator"] == ["Someone Else"]
    assert converted_lines(run_cli(lib, "-o", out, "--author", "Someone Else")) == []


@pytest.mark.slow
def test_a_new_ficexport_version_reconverts_and_force_reconverts_all(converted_copy, run_cli):
    lib, out = converted_copy
    record = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    record["books"]["take-00.epub"]["version"] = "0.0.1"  # as if made by an older ficexport
    (out / STATE_FILE).write_text(json.dumps(record), encoding="utf-8")
    assert [line.split(" -> ")[1] for line in converted_lines(run_cli(lib, "-o", out))] == [
        str(out / "take-00.epub")
    ]
    assert len(converted_lines(run_cli(lib, "-o", out, "--force"))) == 57


def test_a_deleted_book_is_made_again(converted_copy, run_cli):
    lib, out = converted_copy
    (out / "Other Fandom" / "one-shots" / "take-03.epub").unlink()
    again = run_cli(lib, "-o", out)
    assert len(converted_lines(again)) == 1
    assert (out / "Other Fandom" / "one-shots" / "take-03.epub").is_file()


@pytest.mark.slow
def test_adding_a_format_makes_only_the_new_books(tmp_path, run_cli):
    lib, out = tmp_path / "lib", tmp_path / "out"
    write_works(lib, 2)
    assert run_cli(lib, "-o", out).returncode == 0
    epubs = stamps(out)
    both = run_cli(lib, "-o", out, "--epub", "--pdf")
    assert both.returncode == 0, both.stderr
    assert sorted(p.name for p in out.rglob("*.pdf")) == ["take-00.pdf", "take-01.pdf"]
    assert stamps(out) == epubs


# --- names, folders, walking ---------------------------------------------------------------------


def test_inputs_that_want_the_same_name_are_both_kept_and_the_user_is_told(tmp_path, run_cli):
    lib = tmp_path / "lib"
    lib.mkdir()
    for number, name in enumerate(["work.txt", "work.md", "Work.text", "work (2).txt"]):
        (lib / name).write_text(take(number), encoding="utf-8")
    result = run_cli(lib, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    made = {p.name: epub_metadata(p)["title"][0] for p in (tmp_path / "out").glob("*.epub")}
    # Sorted order decides who keeps the name; "work (2).txt" keeps its own, so the clashes
    # get (3) and (4).
    assert made == {
        "Work.epub": f"{BOOK_TITLE}, Take 2",
        "work (2).epub": f"{BOOK_TITLE}, Take 3",
        "work (3).epub": f"{BOOK_TITLE}, Take 1",
        "work (4).epub": f"{BOOK_TITLE}, Take 0",
    }
    assert "lib/Work.text and " in result.stderr and "work (3).epub instead" in result.stderr
    assert "work (4).epub instead" in result.stderr
    again = run_cli(lib, "-o", tmp_path / "out")
    assert converted_lines(again) == [] and "the 4 files are up to date" in again.stderr


def test_files_and_folders_mix_and_outputs_default_to_beside_the_inputs(tmp_path, run_cli):
    lib = tmp_path / "lib"
    write_works(lib, 6)
    single = tmp_path / "single.txt"
    single.write_text(take(99), encoding="utf-8")
    result = run_cli(lib, single)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "single.epub").is_file()
    assert (lib / "Original Work" / "take-01.epub").is_file()
    assert (lib / STATE_FILE).is_file() and (tmp_path / STATE_FILE).is_file()
    again = run_cli(lib, single)
    assert converted_lines(again) == []  # the books beside the texts are not taken for inputs


def test_no_recursive_takes_only_the_folders_own_files(tmp_path, run_cli):
    write_works(tmp_path / "lib", 6)
    result = run_cli(tmp_path / "lib", "-o", tmp_path / "out", "--no-recursive")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").rglob("*.epub")) == ["take-00.epub", "take-05.epub"]


def test_walking_skips_droppings_and_the_output_folder_and_survives_a_link_loop(tmp_path):
    lib = tmp_path / "lib"
    write_works(lib, 5)
    (lib / "page.html").write_text("<p>x</p>", encoding="utf-8")
    (lib / "page2.HTM").write_text("<p>x</p>", encoding="utf-8")
    (lib / "books").mkdir()
    (lib / "books" / "take-00.txt").write_text("an earlier output folder", encoding="utf-8")
    (lib / "Original Work" / "loop").symlink_to(lib, target_is_directory=True)
    (lib / "Desktop.ini").write_text("", encoding="utf-8")
    os.mkfifo(lib / "pipe.txt")  # reading it would wait forever
    found = [f.relative.as_posix() for f in find_inputs([lib], skip=lib / "books").files]
    assert found == [
        "Original Work/Tales from Corran Head/take-02.md",
        "Original Work/take-01.txt",
        "Other Fandom/one-shots/drafts/take-04.txt",
        "Other Fandom/one-shots/take-03.text",
        "page.html",
        "page2.HTM",
        "take-00.txt",
    ]


def test_exclude_matches_names_and_paths_below_the_folder_case_blind(tmp_path):
    lib = tmp_path / "lib"
    write_works(lib, 5)
    (lib / "README.txt").write_text("About this folder.", encoding="utf-8")
    (lib / "Original Work" / "Sources.md").write_text("Where these came from.", encoding="utf-8")
    every = [f.relative.as_posix() for f in find_inputs([lib]).files]
    assert "README.txt" in every and "Original Work/Sources.md" in every  # taken unless excluded

    def found(*patterns: str) -> list[str]:
        return [f.relative.as_posix() for f in find_inputs([lib], exclude=patterns).files]

    assert found("readme*", "SOURCES.*") == [
        name for name in every if "README" not in name and "Sources" not in name
    ]
    assert found("drafts") == [name for name in every if "/drafts/" not in name]  # a folder, anywhere
    assert found("drafts/") == found("drafts")  # written as a folder
    assert found("other fandom/one-shots/*") == [name for name in every if not name.startswith("Other")]
    assert found("take-0[0-2].*") == [
        "Original Work/Sources.md",
        "Other Fandom/one-shots/drafts/take-04.txt",
        "Other Fandom/one-shots/take-03.text",
        "README.txt",
    ]


def test_exclude_skips_notes_files_in_a_batch_but_never_a_file_named(tmp_path, run_cli):
    lib = tmp_path / "lib"
    write_works(lib, 3)  # take-02 is a .md
    (lib / "README.txt").write_text("Notes\n\nAbout the works in this folder.\n", encoding="utf-8")
    result = run_cli(lib, "-o", tmp_path / "out", "--exclude", "README*", "--exclude", "*.md")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").rglob("*.epub")) == ["take-00.epub", "take-01.epub"]
    result = run_cli(lib / "README.txt", "-o", tmp_path / "named", "--exclude", "README*")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "named" / "README.epub").is_file()


def test_an_output_folder_inside_the_library_is_not_converted_again(tmp_path, run_cli):
    lib = tmp_path / "lib"
    write_works(lib, 2)
    (lib / "ebooks").mkdir()
    (lib / "ebooks" / "stray.txt").write_text(take(7), encoding="utf-8")
    result = run_cli(lib, "-o", lib / "ebooks")
    assert result.returncode == 0, result.stderr
    assert "stray" not in result.stdout + result.stderr


# --- every kind of bad file ----------------------------------------------------------------------


def test_every_kind_of_bad_file_fails_alone(tmp_path, run_cli):
    lib = tmp_path / "lib"
    write_works(lib, 2)
    (lib / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (lib / "blank.txt").write_text(" \n\u200b\n", encoding="utf-8")
    (lib / "huge.txt").write_text(take(5) * 400, encoding="utf-8")  # over 1 MB
    reason = make_unreadable(lib / "locked.txt")
    result = run_cli(lib, "-o", tmp_path / "out", "--max-size", "1", "--jobs", "2")
    assert result.returncode == 1
    assert len(converted_lines(result)) == 2
    for expected in (
        "photo.txt: this is a PNG image",
        "blank.txt: the file holds only white space",
        "huge.txt: the file is 1.",
        "MB, over the 1 MB limit",
        f"locked.txt: {reason}",
    ):
        assert expected in result.stderr
    assert "2 converted, 0 skipped as up to date, 4 failed" in result.stderr


# --- workers -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_books_are_byte_identical_whatever_the_number_of_workers(tmp_path, run_cli):
    write_works(tmp_path / "lib", 12)
    for jobs in ("1", "2"):
        result = run_cli(tmp_path / "lib", "-o", tmp_path / f"jobs-{jobs}", "--jobs", jobs)
        assert result.returncode == 0, result.stderr
    one, two = books(tmp_path / "jobs-1"), books(tmp_path / "jobs-2")
    assert len(one) == 13 and one == two  # 12 books and the record


def test_jobs_must_be_at_least_one(run_cli, tmp_path):
    assert run_cli(EXAMPLE, "-o", tmp_path, "--jobs", "0").returncode == 2


@pytest.mark.slow
def test_a_worker_that_dies_costs_no_book(tmp_path):
    """A worker killed mid-batch (as the out-of-memory killer would) takes its file down with it;
    the batch starts a fresh worker and tries that file again, alone."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("finding the worker processes needs /proc (Linux)")
    lib, out = tmp_path / "lib", tmp_path / "out"
    write_works(lib, 30, repeat=6)
    process = ficexport(lib, "-o", out, "--jobs", "2", cwd=tmp_path)
    pids = _wait_for_workers(process.pid, out)
    os.kill(pids[0], signal.SIGKILL)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert len(list(out.rglob("*.epub"))) == 30
    assert "30 converted" in stderr


def test_a_stop_a_destructor_swallows_prints_no_traceback(capsys, monkeypatch):
    """SIGTERM (the batch stopping) can land in a ``__del__`` the garbage collector runs, where
    Python swallows the exception and prints its traceback on the user's terminal: a worker says
    nothing of that one (and stops once its file is whole), and prints any other as Python does."""

    class StoppedInDestructor:
        def __del__(self):
            raise workers._Stopped

    class FailsInDestructor:
        def __del__(self):
            raise ValueError("a real problem")

    monkeypatch.setattr(sys, "unraisablehook", workers._quiet_when_stopped)
    StoppedInDestructor()  # dropped at once: its __del__ runs where no exception may leave
    FailsInDestructor()
    printed = capsys.readouterr().err
    assert "_Stopped" not in printed
    assert "ValueError: a real problem" in printed


def _wait_for_workers(pid: int, out: Path) -> list[int]:
    """The worker processes of the ficexport process ``pid``, once its first book is written."""
    deadline = time.monotonic() + 120
    while not list(out.rglob("*.epub")):
        assert time.monotonic() < deadline, "no book was written"
        time.sleep(0.05)
    return pool_workers(pid)


@pytest.mark.parametrize("target", ["process", "process group"])
@pytest.mark.slow
def test_ctrl_c_keeps_finished_books_leaves_no_partial_file_and_resumes(tmp_path, target):
    """SIGINT to the command (or, as a terminal's Ctrl-C does, to its whole process group) while
    its workers are busy: it stops, every book left is whole, no temporary file remains, and the
    next run converts exactly the books that were not finished."""
    lib, out = tmp_path / "lib", tmp_path / "out"
    write_works(lib, 40, repeat=6)
    process = ficexport(lib, "-o", out, "--jobs", "2", cwd=tmp_path, start_new_session=True)
    assert " -> " in process.stdout.readline()  # the first book is done
    if target == "process":
        process.send_signal(signal.SIGINT)
    else:
        os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "finished books are kept" in stderr
    recorded = int(re.search(r"stopped: (\d+) converted", stderr).group(1))
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    kept = list(out.rglob("*.epub"))
    # A worker may finish a book in the instant before it is stopped, too late to report it: such a
    # book is whole, but not recorded, so the next run makes it again.
    assert 0 < recorded <= len(kept) < 40
    for book in kept:
        with zipfile.ZipFile(book) as archive:
            assert archive.testzip() is None
    resumed = ficexport(lib, "-o", out, cwd=tmp_path)
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    assert f"{40 - recorded} converted, {recorded} skipped as up to date, 0 failed" in stderr
    assert len(list(out.rglob("*.epub"))) == 40


# --- what the user sees --------------------------------------------------------------------------


def test_quiet_prints_errors_only(tmp_path, run_cli):
    write_works(tmp_path / "lib", 3)
    (tmp_path / "lib" / "empty.txt").write_text("", encoding="utf-8")
    result = run_cli(tmp_path / "lib", "-o", tmp_path / "out", "--quiet")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"ficexport: {tmp_path / 'lib' / 'empty.txt'}: the file is empty; there is nothing to convert."
    ]


def test_a_terminal_gets_a_progress_bar_with_counts_and_time_left(tmp_path):
    write_works(tmp_path / "lib", 4)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "converter", tmp_path / "lib", "-o", tmp_path / "out", "--jobs", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=terminal,
        env={**os.environ, "TERM": "xterm", "COLUMNS": "120"},
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert process.wait(timeout=60) == 0
    screen = shown.decode("utf-8", errors="replace")
    assert "4/4" in screen and "left" in screen and "take-0" in screen, repr(screen)
    assert "4 converted, 0 skipped as up to date, 0 failed" in screen
    assert process.stdout.read() == b""  # the bar replaces the per-file lines


# --- a Dask cluster ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_dask_cluster_makes_the_same_books(tmp_path, run_cli):
    distributed = pytest.importorskip("distributed")
    lib = tmp_path / "lib"
    write_works(lib, 8)
    (lib / "empty.txt").write_text("", encoding="utf-8")
    local = run_cli(lib, "-o", tmp_path / "local", "--jobs", "1")
    assert local.returncode == 1
    # Workers in this test's process (threads), reached over TCP as a real cluster would be.
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        result = run_cli(lib, "-o", tmp_path / "cluster", "--cluster", cluster.scheduler_address)
        assert result.returncode == 1, result.stderr
        assert "8 converted, 0 skipped as up to date, 1 failed" in result.stderr
        assert "empty.txt: the file is empty" in result.stderr
        again = run_cli(lib, "-o", tmp_path / "cluster", "--cluster", cluster.scheduler_address)
        assert "0 converted, 8 skipped as up to date, 1 failed" in again.stderr
    assert books(tmp_path / "cluster") == books(tmp_path / "local")


def test_an_unreachable_cluster_is_one_sentence(tmp_path, run_cli):
    pytest.importorskip("distributed")
    write_works(tmp_path / "lib", 2)
    result = run_cli(tmp_path / "lib", "-o", tmp_path / "out", "--cluster", "tcp://127.0.0.1")
    assert result.returncode == 1
    assert "cannot reach a Dask scheduler at tcp://127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()
