"""Usage errors in ficexport's own voice: one ``ficexport: <sentence>`` line on stderr, exit 2.

click (inside typer) reports a bad option or value with the usage line, a hint and ``Error: …`` on
three lines, in its own words (``'abc' is not a valid int range``). Every other problem ficexport
reports is one sentence after ``ficexport:``; ``Command`` makes click's the same, whether click finds
the mistake while parsing or the command raises ``UsageError`` itself. ``Number`` is the type of the
numeric options, whose sentence says what they take.

``Command`` also lays out ``--help`` with the options under headings (Formats, PDF, Delivery, ...).
typer draws such panels (``rich_help_panel``) only with rich markup, whose boxes, ``<path>``
placeholders and start-up cost (rich, markdown-it) the project does without: click's own plain layout
is kept, one section per panel.
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
    from typer._click import Context, HelpFormatter, Parameter

#: click's error for bad usage, for the command to raise with its own sentence.
UsageError = click_errors.UsageError

#: What ``ficexport`` returns for bad usage (``cli.ExitCode.USAGE``).
USAGE_EXIT = 2

#: The ``--help`` heading of an option declared without a panel (click's own ``--help`` among them).
OTHER_PANEL = "Other"
#: The widest option column in ``--help``; a longer option's help starts on the next line.
_TERM_WIDTH = 30


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

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The arguments, then each panel's options under its name, panels in the order their first
        option is declared, all help text starting in one column."""
        sections: dict[str, list[tuple[str, str]]] = {"Arguments": []}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                sections.setdefault(_heading(param), []).append(record)
        # click measures each section's column on its own; padding every term to the widest one
        # lines all sections up.
        terms = [len(term) for rows in sections.values() for term, _ in rows]
        width = min(max(terms, default=0), _TERM_WIDTH)
        for heading, rows in sections.items():
            if rows:
                with formatter.section(heading):
                    formatter.write_dl(
                        [(term.ljust(width), text) for term, text in rows], col_max=_TERM_WIDTH
                    )


def _heading(param: Parameter) -> str:
    """The ``--help`` section a parameter is listed in: Arguments, or its option's panel."""
    if param.param_type_name == "argument":
        return "Arguments"
    return getattr(param, "rich_help_panel", None) or OTHER_PANEL


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
