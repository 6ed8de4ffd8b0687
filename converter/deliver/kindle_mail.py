"""E-mailing books to a Kindle's Send to Kindle address, one message per book, over SMTP.

Amazon converts an EPUB e-mailed to a Kindle's address (``name@kindle.com``) and delivers it to the
reader and its apps; the sender's address must be on the account's approved list, or the message is
dropped without a word. Amazon's help page ("Using Your Send to Kindle Email Address") says an e-mail
may carry up to 25 attachments whose total size "should be 50 MB or less": each book goes in its own
message, and a book over the limit is refused before any connection is made, so nothing is half-sent.

The mail server comes from the settings (``config.py``): host, port, security (STARTTLS, SSL or
none), user, password and sender address. The password is never printed, and the SMTP conversation
is never logged.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from converter.config import Settings, smtp_port
from converter.errors import FicexportError
from converter.formats import FORMAT_SUFFIXES

#: What Send to Kindle takes by e-mail, in bytes of attachment (50 MB, read as decimal megabytes:
#: the smaller reading of Amazon's figure).
ATTACHMENT_LIMIT = 50_000_000
# One address, no display name: something, an @, a domain with a dot.
_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+")
#: Seconds to wait for the mail server to answer before giving up.
TIMEOUT = 60
#: The one format e-mailed: Send to Kindle turns an EPUB into a book that reflows on the reader (a
#: KEPUB is Kobo's own), so a run that mails makes the EPUB whatever else it makes.
MAILED_FORMAT = "epub"


class MailError(FicexportError):
    """The book cannot be e-mailed: no mail server set, a book too large, the server refused."""


@dataclass(frozen=True)
class MailServer:
    """How to reach the user's mail server; the password is left out of ``repr``."""

    host: str
    port: int
    security: str  # "starttls", "ssl" or "none"
    user: str | None
    sender: str
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> MailServer:
        """The server the settings name; ``MailError`` saying which setting is missing."""
        where = f"the [smtp] table of {settings.file} or FICEXPORT_SMTP_"
        host, user, password = settings["smtp.host"], settings["smtp.user"], settings["smtp.password"]
        sender = settings["smtp.from"] or (user if user and "@" in user else None)
        if host is None:
            raise MailError(None, "no mail server is set for --send-to-kindle", f"set host in {where}HOST")
        if sender is None:
            raise MailError(None, "no sender address is set for --send-to-kindle", f"set from in {where}FROM")
        if user is not None and password is None:
            raise MailError(
                None, f"a mail user ({user}) is set but no password", "set FICEXPORT_SMTP_PASSWORD"
            )
        return cls(host, smtp_port(settings), settings["smtp.security"], user, sender, password)


def check_address(address: str) -> str:
    """``address`` if it looks like an e-mail address (``name@kindle.com``), else ``MailError``."""
    if not _ADDRESS.fullmatch(address.strip()):
        raise MailError(
            None, f"{address!r} is not an e-mail address", "give the Kindle's, like name@kindle.com"
        )
    return address.strip()


def books_to_mail(books: Iterable[Path]) -> list[Path]:
    """The EPUBs among a run's books: ``work.epub`` is mailed, ``work.kepub.epub`` (which also ends
    in ``.epub``) and ``work.pdf`` are not."""
    suffix = FORMAT_SUFFIXES[MAILED_FORMAT]
    # Other formats whose suffix ends like the EPUB's, so a plain endswith would take them too.
    lookalikes = tuple(
        other for other in FORMAT_SUFFIXES.values() if other != suffix and other.endswith(suffix)
    )
    return [
        book
        for book in map(Path, books)
        if book.name.lower().endswith(suffix) and not book.name.lower().endswith(lookalikes)
    ]


def check_sizes(books: Iterable[Path], limit: int = ATTACHMENT_LIMIT) -> None:
    """Refuse, before connecting, any book larger than Send to Kindle takes."""
    for book in books:
        size = Path(book).stat().st_size
        if size > limit:
            raise MailError(
                book,
                f"is {size / 1e6:.1f} MB, more than the {limit / 1e6:g} MB "
                "that Send to Kindle takes by e-mail",
                "copy it over USB instead (--to-device), or use Amazon's Send to Kindle app",
            )


def message_for(book: Path, sender: str, address: str) -> EmailMessage:
    """One e-mail carrying ``book`` as its attachment."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = address
    message["Subject"] = Path(book).stem
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(f"{Path(book).name}, sent by ficexport.\n")
    message.add_attachment(
        Path(book).read_bytes(), maintype="application", subtype="epub+zip", filename=Path(book).name
    )
    return message


def send_books(
    books: list[Path],
    address: str,
    server: MailServer,
    sent: Callable[[Path], None] = lambda book: None,
    limit: int = ATTACHMENT_LIMIT,
) -> None:
    """E-mail each book to ``address`` through ``server``, calling ``sent`` after each. Raise
    ``MailError`` with one sentence when the server cannot be reached or refuses."""
    address = check_address(address)
    check_sizes(books, limit)
    if not books:
        return
    try:
        with _connect(server) as smtp:
            if server.user is not None:
                smtp.login(server.user, server.password or "")
            for book in books:
                smtp.send_message(message_for(book, server.sender, address))
                sent(book)
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(None, _explain(error, server, address)) from None


def _connect(server: MailServer) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if server.security == "ssl":
        return smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=context)
    smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
    if server.security == "starttls":
        try:
            smtp.starttls(context=context)
        except BaseException:
            smtp.close()
            raise
    return smtp


def _explain(error: BaseException, server: MailServer, address: str) -> str:
    """One sentence for what went wrong talking to the mail server."""
    at = f"the mail server {server.host}:{server.port}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"{at} refused the user name or password for {server.user} ({_reply(error)})"
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return f"{at} does not offer STARTTLS; set smtp.security to ssl (port 465) or none"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return f"{at} refused to send to {address}"
    if isinstance(error, smtplib.SMTPSenderRefused):
        return f"{at} refused the message from {server.sender} ({_reply(error)})"
    if isinstance(error, smtplib.SMTPDataError):
        return f"{at} refused the message ({_reply(error)})"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"{at} closed the connection; check smtp.port and smtp.security"
    if isinstance(error, ConnectionRefusedError):
        return f"{at} refused the connection; check smtp.host and smtp.port"
    if isinstance(error, socket.gaierror):
        return f"cannot find the mail server {server.host}; check smtp.host"
    if isinstance(error, TimeoutError):
        return f"{at} did not answer within {TIMEOUT} s"
    if isinstance(error, ssl.SSLError):
        return f"no secure connection to {at} ({error.reason or error}); check smtp.security and smtp.port"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{at} answered {_reply(error)}"
    return f"cannot send through {at} ({error})"


def _reply(error: smtplib.SMTPResponseException) -> str:
    text = (
        error.smtp_error.decode("utf-8", "replace")
        if isinstance(error.smtp_error, bytes)
        else error.smtp_error
    )
    return f"{error.smtp_code} {' '.join(str(text).split())}"
