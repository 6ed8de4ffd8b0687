"""Which characters may reach a book: the one rule for text from files, arguments and file names.

XML 1.0 cannot hold most control codes, lone surrogates or the non-characters U+FFFE/U+FFFF, and
lxml (hence ebooklib's OPF and NCX writers) refuses a string that holds one. A text file may hold
them all the same (a stray form feed, Ctrl-codes from an old editor), and a string from the command
line or a file name holds a lone surrogate for each byte the file system's encoding could not decode
(Python's ``surrogateescape``, PEP 383). Every string entering the document tree passes through
``xml_safe`` once, so no later stage meets one of these characters.
"""

from __future__ import annotations

import re

# A control code stood between words ("page\x0cbreak" is two words): it becomes a space. A lone
# surrogate stood for a byte nobody could read: it becomes U+FFFD, the mark readers know for that.
# U+FFFE and U+FFFF stand for nothing and go. Searched once per string by one compiled pattern:
# almost every text has none, and then nothing is copied.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_CHARACTER = re.compile("[\ufffe\uffff]")
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML cannot hold replaced: control codes by spaces, lone
    surrogates by U+FFFD; non-characters removed."""
    if _FORBIDDEN.search(text) is None:
        return text
    text = _CONTROL.sub(" ", text)
    text = _SURROGATE.sub("\ufffd", text)
    return _NOT_CHARACTER.sub("", text)
