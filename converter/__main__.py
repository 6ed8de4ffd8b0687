"""``python -m converter`` runs the command line, like ``ficexport``."""

from converter.cli import run

run()
