"""The command line: thin wiring over the public API (``hyosan --help``)."""

import os
import sys

try:
    from hyosan.cli.main import console, main
except KeyboardInterrupt:  # Ctrl-C while hyosan starts: its imports take half a second
    print("hyosan: interrupted (SIGINT)", file=sys.stderr, flush=True)
    # at once: nothing is written yet, and half-imported modules must not run their
    # clean-up at exit (where a lost interrupt can make Python kill itself with SIGINT)
    os._exit(130)

__all__ = ["console", "main"]
