"""The pipeline's direction, as the packages show it: each stage imports only what comes before it.

``parse/`` knows nothing of writing; ``write/`` nothing of the library, delivery or the command
line; ``library/`` nothing of delivery or the command line; the HTML writer does not load the PDF
writer or WeasyPrint; the names the command line and the config file check (``formats.py``) load
no lxml."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import converter

PACKAGE = Path(converter.__file__).parent

#: For each folder, the parts of ficexport its modules may not import.
FORBIDDEN = {
    "parse": (
        "converter.write",
        "converter.library",
        "converter.deliver",
        "converter.cli",
        "converter.convert",
    ),
    "write": (
        "converter.parse",
        "converter.library",
        "converter.deliver",
        "converter.cli",
        "converter.convert",
    ),
    "library": ("converter.deliver", "converter.cli"),
    "deliver": ("converter.parse", "converter.write", "converter.library", "converter.cli"),
}


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, wherever in the file (a late import inside a function too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_each_package_imports_only_the_stages_before_it(folder):
    wrong = {
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in (PACKAGE / folder).rglob("*.py")
        for name in imported(path)
        if name.startswith(FORBIDDEN[folder])
    }
    assert not wrong


def loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_the_html_writer_loads_neither_the_pdf_writer_nor_weasyprint():
    modules = loaded_by("from converter.write.html import write_html")
    assert "converter.write.pdf" not in modules
    assert not any(name.split(".")[0] == "weasyprint" for name in modules)


def test_format_names_and_the_config_load_no_lxml():
    modules = loaded_by("import converter.formats, converter.config")
    assert not any(name.split(".")[0] == "lxml" for name in modules)
