"""The command line as a user meets it: names, folders, formats, exit codes, error sentences."""

from __future__ import annotations

import re
import shutil

import pytest
from typer.testing import CliRunner

from converter.cli import app
from converter.library.state import STATE_FILE
from tests.support import EXAMPLES

EXAMPLE = EXAMPLES / "the-lighthouse-keepers-cat.txt"


def test_epub_is_written_beside_the_input_by_default(tmp_path, run_cli):
    work = tmp_path / "work.txt"
    shutil.copy(EXAMPLE, work)
    result = run_cli(work)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "work.epub").is_file()
    assert not (tmp_path / "work.pdf").exists()


def test_output_folder_is_created_and_both_formats_written(tmp_path, run_cli):
    out = tmp_path / "new" / "folder"
    result = run_cli(EXAMPLE, "--epub", "--pdf", "-o", out)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != STATE_FILE) == [
        "the-lighthouse-keepers-cat.epub",
        "the-lighthouse-keepers-cat.pdf",
    ]


def test_input_file_is_never_modified(tmp_path, run_cli):
    work = tmp_path / "work.txt"
    shutil.copy(EXAMPLE, work)
    before = work.read_bytes(), work.stat().st_mtime_ns
    assert run_cli(work, "--epub", "--pdf").returncode == 0
    assert (work.read_bytes(), work.stat().st_mtime_ns) == before


def test_a_bad_file_does_not_stop_the_others(tmp_path, run_cli):
    good = tmp_path / "good.txt"
    shutil.copy(EXAMPLE, good)
    result = run_cli(tmp_path / "missing.txt", good)
    assert result.returncode == 1
    assert (tmp_path / "good.epub").is_file()


def test_bad_usage_exits_2():
    runner = CliRunner()
    assert runner.invoke(app, ["--no-such-option", "x.txt"]).exit_code == 2
    assert runner.invoke(app, []).exit_code == 2


def test_title_author_and_language_overrides(tmp_path):
    from tests.support import epub_metadata

    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            str(EXAMPLE),
            "-o",
            str(tmp_path),
            "--title",
            "Another Title",
            "--author",
            "A. Writer",
            "--language",
            "Deutsch",
        ],
    )
    assert result.exit_code == 0, result.output
    meta = epub_metadata(tmp_path / "the-lighthouse-keepers-cat.epub")
    assert meta["title"] == ["Another Title"]
    assert meta["creator"] == ["A. Writer"]
    assert meta["language"] == ["de"]


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("ficexport ")


def test_a_plain_text_epub_imports_only_what_it_uses(tmp_path):
    """Start-up is most of a short conversion: a text-to-EPUB run loads neither the PDF engine, the
    progress bar, the HTML reader nor the process pool (each is imported where it is used)."""
    import subprocess
    import sys

    (tmp_path / "work.txt").write_text("Title\n\nA short story about a cat.\n", encoding="utf-8")
    script = (
        "import runpy, sys\n"
        "sys.argv = ['ficexport', 'work.txt', '--epub']\n"
        "try:\n"
        "    runpy.run_module('converter', run_name='__main__')\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    loaded = set(done.stdout.split())
    assert (tmp_path / "work.epub").is_file()
    assert "converter.write.epub" in loaded  # the run did convert
    for module in ("weasyprint", "rich", "converter.parse.html", "concurrent.futures.process"):
        assert module not in loaded, module


@pytest.mark.parametrize(
    ("arguments", "sentence"),
    [
        (["--jobz", "2"], "ficexport: there is no option --jobz; did you mean --jobs or --json?"),
        (["--max-size", "lots"], "ficexport: --max-size takes a whole number, 1 or more, not 'lots'."),
        (["--jobs", "0"], "ficexport: --jobs takes a whole number, 1 or more, not 0."),
        (["--font-size", "31"], "ficexport: --font-size takes a number from 5 to 30, not 31."),
        (["--font-size", "nan"], "ficexport: --font-size takes a number from 5 to 30, not 'nan'."),
        (
            ["--page-size", "a3"],
            "ficexport: --page-size: 'a3' is not one of 'a4', 'letter', 'a5', 'b6', '6in', '7in'.",
        ),
        (["--epub=yes"], "ficexport: option '--epub' does not take a value."),
        (["--replace"], "ficexport: --replace only means something with --to-device or --device."),
        (["-o"], "ficexport: option '-o' requires an argument."),
    ],
)
def test_every_usage_error_is_one_ficexport_line_and_exit_2(tmp_path, run_cli, arguments, sentence):
    work = tmp_path / "work.txt"
    shutil.copy(EXAMPLE, work)
    result = run_cli(work, *arguments)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [sentence]
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work.txt"]


def test_help_names_the_inputs_and_cover_formats_without_placeholders():
    result = CliRunner().invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for words in (".md", ".html", "AO3", "JPEG, PNG or GIF as it is", "WebP, BMP, TIFF", "--exclude GLOB"):
        assert words in text, words
    assert re.findall(r"<[^>]*>", text) == []  # click's <int range>, <directory>, <str>
    assert "x>=" not in text and "--no-debug" not in text
    for option in ("--max-size MB", "--jobs N", "--font-size PT", "-o, --output DIR", "--cover IMAGE"):
        assert option in text, option


#: The --help panels in the order they appear, each with an option it must hold.
PANELS = {
    "Arguments": "[PATHS]...",
    "Formats": "--kepub",
    "Output": "-o, --output DIR",
    "Book": "--title TEXT",
    "Input": "--encoding NAME",
    "PDF": "--page-size SIZE",
    "Batch": "-j, --jobs N",
    "Delivery": "--send-to-kindle ADDRESS",
    "Other": "-h, --help",
}


def _help_sections(text: str) -> dict[str, str]:
    """``--help``'s sections by heading (a line of its own ending in a colon, not indented)."""
    sections: dict[str, str] = {}
    heading = None
    for line in text.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            heading = line[:-1]
            sections[heading] = ""
        elif heading is not None:
            sections[heading] += line + "\n"
    return sections


def test_help_groups_the_options_under_panels_in_order(run_cli):
    result = run_cli("--help")
    assert result.returncode == 0, result.stderr
    sections = _help_sections(result.stdout)
    assert list(sections) == list(PANELS)
    for heading, option in PANELS.items():
        assert option in sections[heading], (heading, option)
    # Every option is shown once, and the help of every panel starts in one column.
    options = re.findall(r"^  (-\S.*?)  ", result.stdout, re.MULTILINE)
    assert len(options) == len(set(options)) > 30
    columns = {len(m.group(1)) for m in re.finditer(r"^(  -\S.*?  +)\S", result.stdout, re.MULTILINE)}
    assert len(columns) == 1
    assert "╭" not in result.stdout  # plain text, not rich's boxes


def test_help_says_jobs_also_lays_out_a_long_pdf():
    result = CliRunner().invoke(app, ["--help"], terminal_width=200)
    text = " ".join(result.output.split())
    assert (
        "Convert N files at once, and lay out a long PDF on N processes (default: one per CPU core)." in text
    )


def test_help_loads_no_writer_no_lxml_and_no_rich(tmp_path):
    """``ficexport --help`` answers at once: the pipeline and rich's help boxes stay unloaded."""
    import subprocess
    import sys

    script = (
        "import runpy, sys\n"
        "sys.argv = ['ficexport', '--help']\n"
        "try:\n"
        "    runpy.run_module('converter', run_name='__main__')\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    loaded = done.stderr.split()
    assert "Formats:" in done.stdout
    for package in ("lxml", "converter.write", "converter.convert", "converter.parse", "weasyprint", "rich"):
        assert not [module for module in loaded if f"{module}.".startswith(f"{package}.")], package
