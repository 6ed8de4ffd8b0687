"""The config file: defaults < config file < environment < command line, --show-config, and a bad
file refused with one sentence naming the setting."""

from __future__ import annotations

import shutil

import pytest

from converter.config import (
    FORMAT_NAMES,
    KEYS,
    ConfigError,
    config_path,
    load_settings,
    smtp_port,
)
from converter.convert import FORMATS
from converter.library.state import STATE_FILE
from tests.support import EXAMPLES

EXAMPLE = EXAMPLES / "the-lighthouse-keepers-cat.txt"


@pytest.fixture
def config(tmp_path, monkeypatch):
    """``config(text)`` writes the config file that FICEXPORT_CONFIG names."""
    path = tmp_path / "ficexport.toml"
    monkeypatch.setenv("FICEXPORT_CONFIG", str(path))

    def write(text: str):
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_the_formats_config_accepts_are_the_pipelines():
    assert tuple(FORMATS) == FORMAT_NAMES


def test_the_config_file_lives_in_the_users_config_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config_path() == tmp_path / "ficexport" / "config.toml"


def test_without_a_file_every_setting_is_its_default():
    settings = load_settings()
    assert not settings.file_found
    assert {s.source for s in settings.settings} == {"default"}
    assert settings["formats"] == ("epub",) and settings["page_size"] == "a5" and settings["output"] is None
    assert smtp_port(settings) == 587


def test_file_then_environment_then_command_line_win(config, monkeypatch, tmp_path):
    config(
        'formats = ["pdf", "epub"]\npage_size = "6in"\noutput = "~/ebooks"\nname = "{title}"\n'
        '[smtp]\nhost = "file.example.org"\nport = 2525\nsecurity = "ssl"\nfrom = "me@example.org"\n'
    )
    monkeypatch.setenv("FICEXPORT_SMTP_HOST", "env.example.org")
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = load_settings({"page_size": "a4", "formats": None})
    assert settings["formats"] == ("epub", "pdf")  # in the pipeline's order
    assert settings.setting("formats").source == "config file"
    assert settings["output"] == tmp_path / "ebooks"  # ~ expanded
    assert (settings["page_size"], settings.setting("page_size").source) == ("a4", "command line")
    assert (settings["smtp.host"], settings.setting("smtp.host").source) == ("env.example.org", "environment")
    assert settings.setting("smtp.host").origin() == "environment (FICEXPORT_SMTP_HOST)"
    assert smtp_port(settings) == 2525
    monkeypatch.delenv("FICEXPORT_SMTP_HOST")
    assert load_settings()["smtp.host"] == "file.example.org"


def test_config_settings_shape_the_books_and_command_line_options_win(config, tmp_path, run_cli):
    config(f'formats = ["epub", "kepub"]\noutput = "{(tmp_path / "books").as_posix()}"\nname = "{{title}}"\n')
    source = tmp_path / "work.txt"
    shutil.copy(EXAMPLE, source)
    result = run_cli(source)
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in (tmp_path / "books").iterdir() if p.name != STATE_FILE)
    assert made == ["The Lighthouse Keeper’s Cat.epub", "The Lighthouse Keeper’s Cat.kepub.epub"]

    result = run_cli(source, "--pdf", "-o", tmp_path / "cli", "--name", "{author}")
    assert result.returncode == 0, result.stderr
    assert [p.suffix for p in (tmp_path / "cli").iterdir() if p.name != STATE_FILE] == [".pdf"]


def test_show_config_says_what_is_in_force_and_where_from(config, run_cli, monkeypatch):
    path = config('page_size = "b6"\n[smtp]\nhost = "mail.example.org"\npassword = "s3cret-in-file"\n')
    monkeypatch.setenv("FICEXPORT_SMTP_PORT", "2525")
    result = run_cli("--show-config", "--pdf")
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()]
    assert lines[0] == ["config", "file:", str(path)]
    rows = {line[0]: line[1:] for line in lines[1:]}
    assert list(rows) == [key.name for key in KEYS]
    assert rows["formats"] == ["pdf", "command", "line"]
    assert rows["page_size"] == ["b6", "config", "file"]
    assert rows["smtp.port"] == ["2525", "environment", "(FICEXPORT_SMTP_PORT)"]
    assert rows["smtp.security"] == ["starttls", "default"]
    assert rows["smtp.password"] == ["(set,", "not", "shown)", "config", "file"]
    assert "s3cret-in-file" not in result.stdout + result.stderr


def test_show_config_without_a_file_says_so(run_cli):
    result = run_cli("--show-config")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].endswith("(not found: defaults only)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('fromats = ["epub"]\n', "unknown setting 'fromats'; the settings are formats, output"),
        ("[smtp]\nhots = 'x'\n", "unknown setting 'smtp.hots'"),
        ("[devices]\nkobo = 'x'\n", "unknown setting 'devices'"),
        ('formats = ["mobi"]\n', "formats must be a list of formats from epub, pdf, html, kepub"),
        ('page_size = "a3"\n', "page_size must be one of a4, letter, a5, b6, 6in, 7in, not 'a3'"),
        ("output = 5\n", "output must be a non-empty string, not 5"),
        ('name = "{titel}"\n', "name cannot be used: the --name template '{titel}' names an unknown field"),
        ('[smtp]\nport = "many"\n', "smtp.port must be a port number from 1 to 65535, not 'many'"),
        ('[smtp]\nsecurity = "tls"\n', "smtp.security must be one of starttls, ssl, none, not 'tls'"),
        (
            "[smtp]\npassword = 1234\n",
            "smtp.password must be a non-empty string, not a value that is not shown",
        ),
        ("page_size = a5\n", "is not valid TOML (Invalid value (at line 1, column 13))"),
    ],
)
def test_a_bad_config_file_is_one_sentence_naming_the_setting(config, run_cli, text, expected):
    path = config(text)
    result = run_cli("--show-config")
    assert result.returncode == 2
    assert result.stderr.startswith(f"ficexport: {path}: ")
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "1234" not in result.stderr


def test_a_bad_environment_variable_is_named(monkeypatch):
    monkeypatch.setenv("FICEXPORT_SMTP_SECURITY", "tls")
    with pytest.raises(ConfigError, match="the environment variable FICEXPORT_SMTP_SECURITY must be one of"):
        load_settings()


def test_a_missing_file_named_by_ficexport_config_is_said(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("FICEXPORT_CONFIG", str(tmp_path / "nope.toml"))
    result = run_cli(EXAMPLE, "-o", tmp_path)
    assert result.returncode == 2
    assert "nope.toml: no such file (named by FICEXPORT_CONFIG)" in result.stderr


def test_a_config_device_is_where_to_device_delivers(config, tmp_path, run_cli):
    reader = tmp_path / "reader"
    (reader / ".kobo").mkdir(parents=True)
    config(f'device = "{reader.as_posix()}"\n')
    listed = run_cli("--list-devices")
    assert (
        f"--to-device uses: Kobo at {reader}" in listed.stdout and "(from the config file)" in listed.stdout
    )
    result = run_cli(EXAMPLE, "-o", tmp_path / "out", "--to-device")
    assert result.returncode == 0, result.stderr
    assert (reader / "Books" / "the-lighthouse-keepers-cat.kepub.epub").is_file()
