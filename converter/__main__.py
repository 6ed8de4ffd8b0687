"""``python -m converter`` runs the command line, like ``ficexport``."""

from converter.cli import run

if __name__ == "__main__":  # not when a worker process imports the main module
    run()
