"""Scene-break rule: a line that only separates scenes.

Accepted forms (the whole line, surrounding spaces ignored):
- three or more ornament symbols, spaced or not: ``***``, ``* * *``, ``---``, ``~~~``, ``===``,
  ``###``, ``+++``, ``~*~*~``, ``- - -``, ``• • •``, ``◇◇◇``;
- one of the classic single ornaments: ``⁂``, ``§``, ``※``, ``❦``, ``❧``, ``✽``, ``✻``;
- the fan-fiction letter dividers, which must mix case so a row of kisses (``xxx``) or a sound
  (``ooo``) stays text: ``oOo``, ``OoO``, ``o0o``, ``xXx``, ``XxX``, optionally wrapped in symbols
  (``~oOo~``, ``-xXx-``); a zero counts as mixing (``o0o``).

Not breaks (known false positives of other tools): a lone number (``1``), ``<3``, a lone ``*``.
"""

from __future__ import annotations

import re

_SYMBOLS = "*\\-~=_#+•·∙◦◇◆○●◊♦♥✦✧✶✷✸✹✺✿❀※—–─━═°º"
_SINGLE = "⁂§※❦❧✽✻☙❈"
_ORNAMENT = re.compile(rf"^(?:[{_SYMBOLS}]\s*){{3,}}$")
_LETTER_CORE = re.compile(r"^(?:[oO0]{3,9}|[xX]{3,9})$")


def scene_break_marker(line: str) -> str | None:
    """The marker to keep if ``line`` is a scene break ("" for a plain ornament), else ``None``."""
    text = line.strip()
    if not text or len(text) > 40:
        return None
    if _ORNAMENT.match(text) or (len(text) == 1 and text in _SINGLE):
        return ""
    core = text.strip(_SYMBOLS.replace("\\", "") + " ")
    mixed = (core.lower() != core and core.upper() != core) or "0" in core
    if _LETTER_CORE.match(core) and mixed:
        return text
    return None
