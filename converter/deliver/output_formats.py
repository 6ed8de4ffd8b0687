"""Which book formats a run makes: the ones the user named, the e-reader's own, the EPUB to mail.

The formats come from three wishes that must agree before anything is converted: what the command
line or the config file names (an EPUB when nothing is named), what the e-reader a run copies onto
reads (``delivery.formats_for``: a Kobo's KEPUB; a Kindle refuses to go without a PDF), and what
Send to Kindle takes by mail (the EPUB). Deciding it here, not in the command line, lets a test or
another front end ask the same question and get the same answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from converter.formats import FORMAT_NAMES

if TYPE_CHECKING:
    from converter.deliver.devices import Device


def formats_to_make(
    formats: tuple[str, ...], named: bool, device: Device | None = None, mailing: bool = False
) -> tuple[str, ...]:
    """The formats to write, in ``FORMAT_NAMES`` order.

    ``formats`` are those in force and ``named`` says whether the user named them (command line,
    config file) or they are the default EPUB: a reader's own format replaces a default but joins
    what was named, so ``--to-device`` onto a Kobo makes only the KEPUB, and ``--pdf --to-device``
    the KEPUB and the PDF. Raise ``DeviceError`` when the reader can take none of them (a Kindle
    without ``--pdf``)."""
    wanted = set(formats)
    if device is not None:
        from converter.deliver.delivery import formats_for

        wanted = set(formats_for(device, formats if named else ()))
    if mailing:
        from converter.deliver.kindle_mail import MAILED_FORMAT

        wanted.add(MAILED_FORMAT)
    return tuple(name for name in FORMAT_NAMES if name in wanted)
