"""Which formats a run makes: what was named (or the default EPUB), a reader's own, the EPUB to mail.

The command line asks ``formats_to_make`` once, before converting; these cases are its rules, and the
``--to-device``/``--send-to-kindle`` tests in test_devices.py and test_kindle_mail.py run them through
the real command."""

from __future__ import annotations

import pytest

from converter.deliver.devices import Device, DeviceError, Kind
from converter.deliver.output_formats import formats_to_make


def _reader(kind: Kind, tmp_path) -> Device:
    return Device(kind, tmp_path, tmp_path / "Books")


def test_without_a_reader_or_mail_the_named_formats_are_made():
    assert formats_to_make(("pdf", "epub"), named=True) == ("epub", "pdf")
    assert formats_to_make(("epub",), named=False) == ("epub",)


def test_a_kobos_kepub_replaces_the_default_but_joins_what_was_named(tmp_path):
    kobo = _reader(Kind.KOBO, tmp_path)
    assert formats_to_make(("epub",), named=False, device=kobo) == ("kepub",)
    assert formats_to_make(("pdf",), named=True, device=kobo) == ("pdf", "kepub")
    assert formats_to_make(("epub",), named=True, device=kobo) == ("epub", "kepub")


def test_another_reader_gets_the_epub(tmp_path):
    assert formats_to_make(("epub",), named=False, device=_reader(Kind.GENERIC, tmp_path)) == ("epub",)


def test_a_kindle_takes_the_pdf_and_refuses_to_go_without_one(tmp_path):
    kindle = _reader(Kind.KINDLE, tmp_path)
    assert formats_to_make(("pdf",), named=True, device=kindle) == ("pdf",)
    with pytest.raises(DeviceError, match="does not open EPUBs copied over USB"):
        formats_to_make(("epub",), named=False, device=kindle)


def test_mailing_adds_the_epub_once(tmp_path):
    assert formats_to_make(("kepub",), named=True, mailing=True) == ("epub", "kepub")
    assert formats_to_make(("epub", "pdf"), named=True, mailing=True) == ("epub", "pdf")
    kobo = _reader(Kind.KOBO, tmp_path)
    assert formats_to_make(("epub",), named=False, device=kobo, mailing=True) == ("epub", "kepub")
