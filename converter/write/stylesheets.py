"""The one loader for the project's style sheets (``styles/``, installed as ``converter.styles``).

CSS is data, not Python: every backend asks for its sheets here by name, and a user's sheet
(``--style``) always comes last so it can override anything.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from converter.errors import InputError


@cache
def styles_folder() -> Path:
    """Where the built-in sheets are: the installed ``converter.styles`` package, or ``styles/``
    beside ``converter/`` when running from a source checkout that is not installed."""
    try:
        return Path(str(resources.files("converter.styles")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "styles"


@cache
def stylesheet(name: str) -> str:
    """The text of a built-in sheet: ``base.css``, ``epub.css`` or ``pdf.css``."""
    return (styles_folder() / name).read_text(encoding="utf-8")


def user_stylesheet(path: Path) -> str:
    """The text of a user's ``--style`` sheet, or an ``InputError`` saying why it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, "no such style sheet", "check the --style path") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(path, f"the style sheet cannot be read ({error})") from None
