"""The fuzz suite's line at the end of the session: how many inputs it tried."""

from __future__ import annotations

import pytest

from .sandbox import TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the tallies the fuzz tests left (``hyosan fuzz: N inputs tried ...``)."""
    for line in terminalreporter.config.stash.get(TALLY, []):
        terminalreporter.write_line(line)
