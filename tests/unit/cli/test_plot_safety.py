"""``hyosan plot`` and ``--out`` on folders that could be abused: links planted in a
result folder, a folder that cannot be written, an empty ``--out``, and the pictures of a
previous result left beside a new one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from hyosan.io import save_result
from hyosan.io.output import PICTURES
from hyosan.space import World

from ..results.hall_result import hall_result
from .cli_runner import Cli


def _folder(tmp_path: Path) -> Path:
    """A result folder of a small run in space (plot draws totals, map and animation)."""
    world = World.from_edges("hall", ["lab", "gym", "roof"], [("lab", "gym", 1.0)])
    return save_result(hall_result(world=world), tmp_path / "r")


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_plot_refuses_a_result_file_linking_out_of_the_folder(cli: Cli, tmp_path: Path) -> None:
    """``r/totals.parquet -> /elsewhere/totals.parquet``: exit 2 naming the file and where
    it leads; no picture is drawn."""
    folder = _folder(tmp_path)
    os.replace(folder / "totals.parquet", tmp_path / "elsewhere.parquet")
    (folder / "totals.parquet").symlink_to(tmp_path / "elsewhere.parquet")
    assert cli("plot", folder) == 2
    assert _one_line(cli.err) == (
        f"hyosan: error: {folder / 'totals.parquet'}: a link to a file outside the folder "
        f"(got '{tmp_path / 'elsewhere.parquet'}'); allowed: the files `hyosan run --out` wrote"
    )
    assert not any((folder / name).exists() for name in PICTURES)


def test_plot_never_writes_through_a_planted_link(cli: Cli, tmp_path: Path) -> None:
    """Links planted at the pictures' names and at a guessable temporary name lead to
    ``v.txt``: plot leaves ``v.txt`` as it was and puts real files where the links of the
    pictures were (the link itself is replaced, never followed)."""
    folder = _folder(tmp_path)
    victim = tmp_path / "v.txt"
    victim.write_text("victim")
    for name in (*PICTURES, ".totals.png.partial", ".totals.png.tmp"):
        (folder / name).symlink_to("../v.txt")
    assert cli("plot", folder) == 0, cli.err
    assert victim.read_text() == "victim"
    for name in ("totals.png", "map.png", "spread.gif"):
        path = folder / name
        assert not path.is_symlink() and path.is_file() and path.stat().st_size > 100, name
    assert os.readlink(folder / ".totals.png.partial") == "../v.txt"


def test_plot_on_a_folder_it_cannot_write_exits_2(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No permission to create files in the folder: one line naming the folder, exit 2, no
    traceback, nothing written (it used to be a PermissionError traceback)."""
    folder = _folder(tmp_path)
    before = sorted(p.name for p in folder.iterdir())
    real_mkstemp = tempfile.mkstemp

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        if Path(str(kwargs.get("dir"))) == folder:
            raise PermissionError(13, "Permission denied", str(folder))
        return real_mkstemp(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr("hyosan._files.tempfile.mkstemp", denied)
    assert cli("plot", folder) == 2
    assert _one_line(cli.err) == (
        f"hyosan: error: {folder}: cannot write the pictures: Permission denied; "
        "allowed: a folder you can write to"
    )
    assert sorted(p.name for p in folder.iterdir()) == before


def test_sweep_out_empty_is_refused(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``hyosan sweep --out ''`` in an empty folder used to write the sweep into it; now it
    exits 2 at once, naming --out, and writes nothing."""
    monkeypatch.chdir(tmp_path)
    assert cli("sweep", "sir", "--vary", "beta=0.3,0.4", "--runs", "2", "--out", "") == 2
    line = _one_line(cli.err)
    assert "'--out'" in line and "an empty path (got '')" in line
    assert "allowed: a folder path" in line
    assert list(tmp_path.iterdir()) == []


def test_run_out_empty_is_refused(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``hyosan run sir --out ''`` used to write the result into the current folder with
    exit 0; now it exits 2 naming --out and writes nothing."""
    monkeypatch.chdir(tmp_path)
    assert cli("run", "sir", "--engine", "ode", "--t-end", "5", "--out", "") == 2
    line = _one_line(cli.err)
    assert "'--out'" in line and "an empty path (got '')" in line
    assert list(tmp_path.iterdir()) == []


def test_a_rerun_removes_and_says_it_removed_the_old_pictures(cli: Cli, tmp_path: Path) -> None:
    """Rerunning into a plotted folder removes the pictures of the previous run and says so
    in one line, pointing to `hyosan plot DIR`."""
    folder = _folder(tmp_path)
    for name in ("totals.png", "map.png"):
        (folder / name).write_bytes(b"old")
    assert cli("run", "sir", "--engine", "ode", "--t-end", "5", "--out", folder) == 0, cli.err
    assert not (folder / "totals.png").exists() and not (folder / "map.png").exists()
    assert (
        "removed the pictures of the previous result (totals.png, map.png); "
        f"hyosan plot {folder} draws them again"
    ) in " ".join(cli.out.split())
