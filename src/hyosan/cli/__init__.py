"""The command line: thin wiring over the public API (``hyosan --help``)."""

import sys

try:
    from hyosan.cli.main import main
except KeyboardInterrupt:  # Ctrl-C while hyosan starts: its imports take half a second
    print("hyosan: interrupted (SIGINT)", file=sys.stderr)
    raise SystemExit(130) from None

__all__ = ["main"]
