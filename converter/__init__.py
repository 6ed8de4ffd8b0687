"""ficexport: plain-text fan fiction to EPUB and PDF.

The pipeline is read (``source``) -> parse (``parse``) -> typeset (``typography``) -> render
(``render``) -> package (``epub``, ``pdf``); ``convert`` ties it together for one file.
"""

__version__ = "0.1.0"
