"""Writers: a typeset ``Work`` -> the bytes of a book (EPUB, KEPUB, PDF, one HTML file).

``render`` turns the tree into XHTML parts once; every writer starts from those parts. Writers know
nothing of files: ``converter.convert`` writes their bytes safely.
"""
