"""Usage errors in ficexport's own voice: one ``ficexport: <sentence>`` line on stderr, exit 2.

click (inside typer) reports a bad option or value with the usage line, a hint and ``Error: …`` on
three lines, in its own words (``'abc' is not a valid int range``). Every other problem ficexport
reports is one sentence after ``ficexport:``; ``Command`` makes click's the same, whether click finds
the mistake while parsing or the command raises ``UsageError`` itself. ``Number`` is the type of the
numeric options, whose sentence says what they take.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from typer import Exit
from typer.core import TyperCommand

try:  # recent typers carry their own copy of click; older ones use the click package
    from typer._click import exceptions as click_errors
    from typer._click import types as click_types
except ImportError:  # pragma: no cover - depends on the typer installed
    from click import exceptions as click_errors
    from click import types as click_types

if TYPE_CHECKING:
    from typer._click import Context, Parameter

#: click's error for bad usage, for the command to raise with its own sentence.
UsageError = click_errors.UsageError

#: What ``ficexport`` returns for bad usage (``cli.ExitCode.USAGE``).
USAGE_EXIT = 2


def sentence(error: click_errors.UsageError) -> str:
    """The one sentence that says what was wrong with the command line."""
    if isinstance(error, click_errors.NoSuchOption):
        guesses = " or ".join(sorted(error.possibilities or ()))
        advice = f"did you mean {guesses}?" if guesses else "ficexport --help lists them."
        return f"there is no option {error.option_name}; {advice}"
    message = _plain(error.message)
    if isinstance(error, click_errors.BadParameter) and error.param is not None and error.param_hint is None:
        return f"{option_name(error.param)}: {message}"
    return message


def option_name(param: Parameter) -> str:
    """An option by its long name (``--jobs``, not ``-j``)."""
    return max(param.opts, key=len, default=param.name or "")


def _plain(message: str) -> str:
    """click's message as the rest of a sentence: lower-case first word (not ``EPUB``), a full stop."""
    message = message.strip()
    if len(message) > 1 and message[0].isupper() and message[1].islower():
        message = message[0].lower() + message[1:]
    return message if message.endswith((".", "?")) else message + "."


@contextmanager
def _in_one_sentence() -> Iterator[None]:
    try:
        yield
    except click_errors.NoArgsIsHelpError:
        raise  # ``ficexport`` alone: click prints the help
    except UsageError as error:
        print(f"ficexport: {sentence(error)}", file=sys.stderr, flush=True)
        raise Exit(USAGE_EXIT) from None


class Command(TyperCommand):
    """The ``ficexport`` command, whose usage errors are one sentence (see the module)."""

    def make_context(self, *args: Any, **kwargs: Any) -> Context:
        with _in_one_sentence():  # a mistake found while parsing the command line
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Context) -> Any:
        with _in_one_sentence():  # a ``UsageError`` the command raises itself
            return super().invoke(ctx)


class Number(click_types.ParamType):
    """A numeric option's value: a whole number (``whole``) or not, from ``low`` up to ``high``."""

    def __init__(self, low: float, high: float | None = None, whole: bool = True) -> None:
        self.low, self.high, self.whole = low, high, whole
        self.name = "whole number" if whole else "number"

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> Any:
        try:
            number = int(value) if self.whole else float(value)
        except (TypeError, ValueError):
            number = None
        if number is not None and not math.isfinite(number):
            number = None  # 'nan' and 'inf' parse as floats but are no size
        if number is None or number < self.low or (self.high is not None and number > self.high):
            given = repr(value) if number is None else value
            name = option_name(param) if param is not None else "this option"
            raise UsageError(f"{name} takes {self.described()}, not {given}", ctx)
        return number

    def described(self) -> str:
        """``a whole number, 1 or more``; ``a number from 5 to 30``."""
        low = f"{self.low:g}"
        if self.high is None:
            return f"a {self.name}, {low} or more"
        return f"a {self.name} from {low} to {self.high:g}"
