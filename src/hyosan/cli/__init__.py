"""The command line: thin wiring over the public API (``hyosan --help``)."""

from hyosan.cli.main import main

__all__ = ["main"]
