"""``--outline`` over several inputs: each loaded as a conversion would load it, one that cannot be
read reported in one sentence while the others are still shown, and nothing written."""

from __future__ import annotations

import json
import shutil

from converter.convert import ConvertOptions
from converter.errors import InputError
from converter.library.outlines import outlines
from tests.support import EXAMPLES

EXAMPLE = EXAMPLES / "the-lighthouse-keepers-cat.txt"


def test_each_input_has_its_outline_or_its_error_in_order(tmp_path):
    good, missing = tmp_path / "good.txt", tmp_path / "missing.txt"
    shutil.copy(EXAMPLE, good)
    found = list(outlines([missing, good], ConvertOptions()))
    assert [item.path for item in found] == [missing, good]
    assert found[0].data is None and isinstance(found[0].error, InputError)
    assert found[1].error is None and found[1].data["chapters"]


def test_the_outline_uses_the_runs_options(tmp_path):
    from converter.parse import ParseOptions

    options = ConvertOptions(parse=ParseOptions(title="Given Title"))
    [found] = outlines([EXAMPLE], options)
    assert found.data["title"] == "Given Title"


def test_a_folder_with_one_unreadable_file_shows_the_rest_and_exits_1(tmp_path, run_cli):
    shutil.copy(EXAMPLE, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"")  # empty: nothing to convert
    result = run_cli(tmp_path, "--outline")
    assert result.returncode == 1
    assert f"== {tmp_path / 'a.txt'}" in result.stdout and "Chapters" in result.stdout
    assert result.stderr.splitlines() == [
        f"ficexport: {tmp_path / 'b.txt'}: the file is empty; there is nothing to convert."
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]  # nothing written


def test_debug_adds_the_traceback_and_json_gives_one_document_per_input(tmp_path, run_cli):
    shutil.copy(EXAMPLE, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"")
    result = run_cli(tmp_path / "a.txt", tmp_path / "b.txt", "--outline", "--json", "--debug")
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "InputError" in result.stderr
    document = json.loads(result.stdout)  # the one readable input
    assert document["file"] == str(tmp_path / "a.txt")
