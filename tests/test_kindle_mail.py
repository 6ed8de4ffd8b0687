"""--send-to-kindle against a real SMTP server (aiosmtpd) on loopback: the message arrives with the
EPUB attached byte for byte; sizes, refusals and the password are handled as a user needs."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from converter.config import load_settings
from converter.deliver.kindle_mail import (
    ATTACHMENT_LIMIT,
    MailError,
    MailServer,
    books_to_mail,
    check_address,
    send_books,
)
from tests.support import EXAMPLES

EXAMPLE = EXAMPLES / "the-lighthouse-keepers-cat.txt"
KINDLE = "reader_1a2b@kindle.com"
PASSWORD = "correct horse battery staple"


class Inbox:
    """What the server received: each message's envelope."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self):
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _check_login(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


def _serve(inbox: Inbox, **smtp_options):
    # The free port is free when asked; under pytest-xdist another test process may take it before
    # the server binds it, so a port that turns out taken is traded for another.
    for attempt in range(5):
        controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), **smtp_options)
        try:
            controller.start()
        except (OSError, RuntimeError):
            if attempt == 4:
                raise
            continue
        return controller


@pytest.fixture
def smtp_server(monkeypatch):
    """A plain SMTP server on loopback with a login, set as the user's server by environment."""
    inbox = Inbox()
    controller = _serve(inbox, authenticator=_check_login, auth_require_tls=False)
    monkeypatch.setenv("FICEXPORT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FICEXPORT_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("FICEXPORT_SMTP_SECURITY", "none")
    monkeypatch.setenv("FICEXPORT_SMTP_USER", "reader@example.org")
    monkeypatch.setenv("FICEXPORT_SMTP_PASSWORD", PASSWORD)
    yield inbox
    controller.stop()


@pytest.fixture
def work(tmp_path):
    source = tmp_path / "work.txt"
    shutil.copy(EXAMPLE, source)
    return source


def test_the_epub_arrives_attached_byte_for_byte(smtp_server, work, run_cli):
    result = run_cli(work, "--send-to-kindle", KINDLE)
    assert result.returncode == 0, result.stderr
    epub = work.with_name("work.epub")
    assert f"sent {epub} to {KINDLE}" in result.stdout
    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == "reader@example.org" and envelope.rcpt_tos == [KINDLE]
    [message] = smtp_server.messages()
    assert message["To"] == KINDLE and message["From"] == "reader@example.org"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/epub+zip"
    assert attachment.get_filename() == "work.epub"
    assert attachment.get_content() == epub.read_bytes()


def test_the_password_is_never_printed(smtp_server, work, run_cli):
    for args in ([work, "--send-to-kindle", KINDLE, "--debug"], ["--show-config"]):
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr
        assert PASSWORD not in result.stdout + result.stderr
    assert "smtp.password" in result.stdout and "(set, not shown)" in result.stdout


def test_each_book_of_a_batch_is_its_own_message_and_a_kepub_is_not_sent(smtp_server, tmp_path, run_cli):
    for name in ("one", "two"):
        shutil.copy(EXAMPLE, tmp_path / f"{name}.txt")
    result = run_cli(tmp_path, "--kepub", "--send-to-kindle", KINDLE)
    assert result.returncode == 0, result.stderr
    names = sorted(a.get_filename() for m in smtp_server.messages() for a in m.iter_attachments())
    assert names == ["one.epub", "two.epub"]  # the EPUB is made for the Kindle beside the KEPUB


def test_a_wrong_password_is_one_sentence(smtp_server, work, run_cli, monkeypatch):
    monkeypatch.setenv("FICEXPORT_SMTP_PASSWORD", "wrong")
    result = run_cli(work, "--send-to-kindle", KINDLE)
    assert result.returncode == 1
    assert "refused the user name or password for reader@example.org (535" in result.stderr
    assert "Traceback" not in result.stderr and "wrong" not in result.stderr
    assert smtp_server.envelopes == []


def test_a_refused_connection_is_one_sentence(work, run_cli, monkeypatch):
    # A port held bound but not listening: connecting is refused, and no other test process (under
    # pytest-xdist) can start a server on it meanwhile.
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        port = held.getsockname()[1]
        monkeypatch.setenv("FICEXPORT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("FICEXPORT_SMTP_PORT", str(port))
        monkeypatch.setenv("FICEXPORT_SMTP_FROM", "reader@example.org")
        result = run_cli(work, "--send-to-kindle", KINDLE)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"ficexport: the mail server 127.0.0.1:{port} refused the connection; check smtp.host and smtp.port."
    )
    assert work.with_name("work.epub").is_file()  # the book is made all the same


def test_a_server_refusing_the_size_is_one_sentence(work, run_cli, monkeypatch):
    inbox = Inbox()
    controller = _serve(inbox, data_size_limit=10_000)
    monkeypatch.setenv("FICEXPORT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FICEXPORT_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("FICEXPORT_SMTP_SECURITY", "none")
    monkeypatch.setenv("FICEXPORT_SMTP_FROM", "reader@example.org")
    try:
        result = run_cli(work, "--send-to-kindle", KINDLE)
    finally:
        controller.stop()
    assert result.returncode == 1
    assert "refused the message from reader@example.org (552" in result.stderr
    assert inbox.envelopes == []


def test_a_book_over_amazons_limit_is_refused_before_connecting(tmp_path, smtp_server):
    assert ATTACHMENT_LIMIT == 50_000_000
    big = tmp_path / "big.epub"
    big.write_bytes(b"x" * 2_000)
    server = MailServer.from_settings(load_settings())
    with pytest.raises(MailError) as caught:
        send_books([big], KINDLE, server, limit=1_000)
    assert "big.epub: is 0.0 MB, more than the 0.001 MB that Send to Kindle takes by e-mail" in str(
        caught.value
    )
    assert smtp_server.envelopes == []
    dead = MailServer("127.0.0.1", _free_port(), "none", None, "reader@example.org")
    with pytest.raises(MailError, match="more than"):  # the size, not the refused connection
        send_books([big], KINDLE, dead, limit=1_000)


def test_no_mail_server_is_set_is_said_before_converting(work, run_cli):
    result = run_cli(work, "--send-to-kindle", KINDLE)
    assert result.returncode == 1
    assert "no mail server is set for --send-to-kindle" in result.stderr
    assert "FICEXPORT_SMTP_HOST" in result.stderr
    assert not work.with_name("work.epub").exists()


def test_a_user_without_a_password_is_said(monkeypatch):
    monkeypatch.setenv("FICEXPORT_SMTP_HOST", "mail.example.org")
    monkeypatch.setenv("FICEXPORT_SMTP_USER", "reader@example.org")
    with pytest.raises(MailError, match="no password; set FICEXPORT_SMTP_PASSWORD"):
        MailServer.from_settings(load_settings())


@pytest.mark.parametrize(
    "address", ["", "kindle.com", "@kindle.com", "a b@kindle.com", "me@", "Me <me@kindle.com>"]
)
def test_addresses_that_are_not_addresses_are_refused(address):
    with pytest.raises(MailError, match="is not an e-mail address"):
        check_address(address)


# --- STARTTLS, with a certificate made for the test ---------------------------------------------


@pytest.fixture
def certificate(tmp_path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_starttls_is_used_and_a_certificate_checked(certificate, work, run_cli, monkeypatch):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    controller = _serve(inbox, tls_context=context, require_starttls=True)
    monkeypatch.setenv("FICEXPORT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FICEXPORT_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("FICEXPORT_SMTP_FROM", "reader@example.org")  # security: starttls, the default
    try:
        untrusted = run_cli(work, "--send-to-kindle", KINDLE)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # now the certificate is trusted
        trusted = run_cli(work, "--send-to-kindle", KINDLE)
    finally:
        controller.stop()
    assert untrusted.returncode == 1
    assert "no secure connection to the mail server 127.0.0.1" in untrusted.stderr
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
    assert trusted.returncode == 0, trusted.stderr
    [message] = inbox.messages()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content() == work.with_name("work.epub").read_bytes()


def test_only_the_epubs_of_a_run_are_mailed():
    books = [Path("a.epub"), Path("a.kepub.epub"), Path("a.pdf"), Path("B.EPUB"), Path("b.html")]
    assert books_to_mail(books) == [Path("a.epub"), Path("B.EPUB")]
