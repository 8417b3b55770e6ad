"""``hyosan`` run in-process for the command-line tests, keeping what it printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from hyosan.cli import main


class Cli:
    """Runs ``hyosan`` in-process and keeps what it printed."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.out = ""
        self.err = ""

    def __call__(self, *args: str | Path) -> int:
        self.capsys.readouterr()  # drop anything printed before
        code = main([str(a) for a in args])
        captured = self.capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return code
