"""A disk that fills up while ``hyosan run --out`` writes: one line, exit 2, the old result kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .cli_runner import Cli


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_full_disk_keeps_the_previous_result(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert cli("run", "sir", "--engine", "ode", "--out", out) == 0, cli.err
    before = _files(out)

    def full(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("hyosan.io.output.write_totals", full)
    assert cli("run", "sir", "--engine", "ode", "--set", "beta=0.5", "--out", out) == 2
    lines = [line for line in cli.err.splitlines() if line.strip()]
    assert lines == [
        "hyosan: error: --out: cannot write the results: No space left on device "
        "(the finished runs are kept: --resume writes them, running nothing again) "
        f"(got '{out}'); allowed: a folder you can write to"
    ]
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left
    assert [p.name for p in out.iterdir() if p.is_dir()] == [".hyosan-parts"]

    monkeypatch.undo()  # room again: --resume writes the runs kept, and they go
    assert cli("run", "sir", "--engine", "ode", "--set", "beta=0.5", "--out", out, "--resume") == 0
    assert _files(out) != before and not (out / ".hyosan-parts").exists()
