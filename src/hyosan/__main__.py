"""``python -m hyosan``: the same as the ``hyosan`` command."""

from hyosan.cli import console

console()
