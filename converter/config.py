"""The settings in force: defaults, then the config file, then environment variables, then the
command line, each winning over the one before.

A user sets once what they always want (``formats``, an ``output`` folder, a ``page_size``, a
``name`` template, their reader's ``device`` folder, how to reach their mail server) in
``config.toml`` in the user's config folder (``platformdirs``: ``~/.config/ficexport`` on Linux,
``~/Library/Application Support/ficexport`` on macOS, ``%LOCALAPPDATA%\\ficexport`` on Windows), or in
the file ``FICEXPORT_CONFIG`` names. The mail settings can come from ``FICEXPORT_SMTP_*``
environment variables instead, the password best of all: it is never a command-line option (other
users can read a process's arguments) and never printed.

A config file with a setting ficexport does not know, or a value of the wrong kind, is refused with
one sentence naming the setting: a typo must not be silently ignored.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from converter.errors import FicexportError
from converter.formats import DEFAULT_PAGE_SIZE, FORMAT_NAMES, PAGE_SIZES

SECURITY_MODES = ("starttls", "ssl", "none")
#: The mail server's port when none is set, by security mode (submission, submissions, smtp).
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}

CONFIG_ENV = "FICEXPORT_CONFIG"

#: Where a setting's value came from, as ``--show-config`` says it.
DEFAULT, CONFIG_FILE, ENVIRONMENT, COMMAND_LINE = "default", "config file", "environment", "command line"


class ConfigError(FicexportError):
    """A config file or environment variable that cannot be used."""


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value


def _choice(choices: tuple[str, ...]) -> Callable[[object], str]:
    def check(value: object) -> str:
        if value not in choices:
            raise ValueError("must be one of " + ", ".join(choices))
        return value

    return check


def _formats(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or any(item not in FORMAT_NAMES for item in value):
        raise ValueError(
            "must be a list of formats from " + ", ".join(FORMAT_NAMES) + ', e.g. ["epub", "pdf"]'
        )
    return tuple(name for name in FORMAT_NAMES if name in value)


def _folder(value: object) -> Path:
    return Path(_text(value)).expanduser()


def _template(value: object) -> str:
    from converter.naming import check_template

    template = _text(value)
    try:
        check_template(template)
    except FicexportError as error:
        raise ValueError(f"cannot be used: {error.problem}") from None
    return template


def _port(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        raise ValueError("must be a port number from 1 to 65535")
    return value


@dataclass(frozen=True)
class Key:
    """One setting: its name in the config file (``smtp.host`` is ``host`` in ``[smtp]``), how a
    value is checked and converted, its default, and the environment variable that may set it."""

    name: str
    check: Callable[[object], object]
    default: object = None
    env: str | None = None
    secret: bool = False  # never printed
    about: str = ""  # what a default of None means, for --show-config


KEYS: tuple[Key, ...] = (
    Key("formats", _formats, ("epub",)),
    Key("output", _folder, None, about="beside each input"),
    Key("page_size", _choice(PAGE_SIZES), DEFAULT_PAGE_SIZE),
    Key("name", _template, None, about="the input's own name"),
    Key("device", _folder, None, about="found among the mounted volumes"),
    Key("smtp.host", _text, None, "FICEXPORT_SMTP_HOST", about="not set"),
    Key("smtp.port", _port, None, "FICEXPORT_SMTP_PORT", about="by smtp.security: 587, 465 or 25"),
    Key("smtp.security", _choice(SECURITY_MODES), "starttls", "FICEXPORT_SMTP_SECURITY"),
    Key("smtp.user", _text, None, "FICEXPORT_SMTP_USER", about="no login"),
    Key("smtp.password", _text, None, "FICEXPORT_SMTP_PASSWORD", secret=True, about="not set"),
    Key("smtp.from", _text, None, "FICEXPORT_SMTP_FROM", about="smtp.user"),
)
_BY_NAME = {key.name: key for key in KEYS}


@dataclass(frozen=True)
class Setting:
    """A setting's value in force and where it came from."""

    key: Key
    value: object
    source: str  # DEFAULT, CONFIG_FILE, ENVIRONMENT or COMMAND_LINE

    def shown(self) -> str:
        """The value as ``--show-config`` prints it; a password only as set or not."""
        if self.key.secret:
            return "(set, not shown)" if self.value is not None else "(not set)"
        if self.value is None:
            return f"({self.key.about})" if self.key.about else "(not set)"
        if isinstance(self.value, tuple):
            return ", ".join(map(str, self.value))
        return str(self.value)

    def origin(self) -> str:
        return f"{self.source} ({self.key.env})" if self.source == ENVIRONMENT else self.source


@dataclass(frozen=True)
class Settings:
    """Every setting in force, and the config file they were read from."""

    file: Path
    file_found: bool
    settings: tuple[Setting, ...]

    def __getitem__(self, name: str) -> object:
        return self.setting(name).value

    def setting(self, name: str) -> Setting:
        return next(s for s in self.settings if s.key.name == name)

    def lines(self) -> list[str]:
        """What ``--show-config`` prints: the file, then a line per setting."""
        found = "" if self.file_found else " (not found: defaults only)"
        lines = [f"config file: {self.file}{found}"]
        width = max(len(key.name) for key in KEYS)
        shown = [(s.key.name, s.shown(), s.origin()) for s in self.settings]
        value_width = max(len(value) for _, value, _ in shown)
        lines.extend(f"{name:<{width}}  {value:<{value_width}}  {origin}" for name, value, origin in shown)
        return lines


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """The config file: ``FICEXPORT_CONFIG`` if set, else ``config.toml`` in the user's config folder."""
    environ = os.environ if environ is None else environ
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV]).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("ficexport", appauthor=False)) / "config.toml"


def load_settings(
    command_line: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """The settings in force. ``command_line`` maps setting names to what the options gave (None:
    the option was not given); its values are already checked by the CLI. Raise ``ConfigError``
    for a config file or environment variable that cannot be used."""
    environ = os.environ if environ is None else environ
    command_line = command_line or {}
    path = config_path(environ)
    from_file = read_config_file(path, must_exist=bool(environ.get(CONFIG_ENV)))
    settings = []
    for key in KEYS:
        if command_line.get(key.name) is not None:
            setting = Setting(key, command_line[key.name], COMMAND_LINE)
        elif key.env and environ.get(key.env):
            setting = Setting(key, _checked(key, environ[key.env], key.env), ENVIRONMENT)
        elif key.name in from_file:
            setting = Setting(key, from_file[key.name], CONFIG_FILE)
        else:
            setting = Setting(key, key.default, DEFAULT)
        settings.append(setting)
    return Settings(path, path.is_file(), tuple(settings))


def read_config_file(path: Path, must_exist: bool = False) -> dict[str, object]:
    """The settings a config file sets, by dotted name, each checked; empty when there is no file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if must_exist:
            raise ConfigError(
                path, f"no such file (named by {CONFIG_ENV})", "create it or unset it"
            ) from None
        return {}
    except OSError as error:
        raise ConfigError(path, f"cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(path, "is not UTF-8 text", "save it as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, f"is not valid TOML ({error})", "see the README's config example") from None
    values: dict[str, object] = {}
    for name, value in _flatten(data):
        key = _BY_NAME.get(name)
        if key is None:
            known = ", ".join(k.name for k in KEYS)
            raise ConfigError(path, f"unknown setting {name!r}", f"the settings are {known}")
        values[name] = _checked(key, value, path)
    return values


def _flatten(data: dict, prefix: str = "") -> list[tuple[str, object]]:
    """``{"smtp": {"host": h}}`` as ``[("smtp.host", h)]``; a table ficexport does not know is
    returned whole, to be refused by its name."""
    items: list[tuple[str, object]] = []
    for name, value in data.items():
        dotted = prefix + name
        if isinstance(value, dict) and any(key.name.startswith(dotted + ".") for key in KEYS):
            items.extend(_flatten(value, dotted + "."))
        else:
            items.append((dotted, value))
    return items


def _checked(key: Key, value: object, where: Path | str) -> object:
    try:
        return key.check(value)
    except ValueError as error:
        shown = "a value that is not shown" if key.secret else repr(value)
        if isinstance(where, Path):
            raise ConfigError(where, f"{key.name} {error}, not {shown}") from None
        raise ConfigError(None, f"the environment variable {where} {error}, not {shown}") from None


def smtp_port(settings: Settings) -> int:
    """The mail server's port: the one set, else the usual one for the security mode."""
    port = settings["smtp.port"]
    return port if port is not None else DEFAULT_PORTS[settings["smtp.security"]]
