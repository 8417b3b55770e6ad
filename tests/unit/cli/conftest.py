"""The ``cli`` fixture: ``hyosan`` in-process (see ``cli_runner``)."""

from __future__ import annotations

import pytest

from .cli_runner import Cli


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(capsys)
