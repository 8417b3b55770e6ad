"""``hyosan sweep``, run in-process: exit 0 with the table printed and the files
written; bad input exits 2 with one message naming the option and the key, and
writes nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from .cli_runner import Cli

# A small, fast stochastic sweep of the built-in SIR scenario.
GRID = ["--vary", "parameters.beta=0.2,0.4", "--vary", "initial.I=1,5", "--vary", "initial.S=200"]


def test_sweep_prints_the_table_and_writes_its_files(cli: Cli, tmp_path: Path) -> None:
    """A 2 x 2 sweep of sir exits 0, prints the markdown table, writes sweep.csv (one
    row per point), sweep.md and sweep.png; the same seed gives the same csv again."""
    args = ["sweep", "sir", *GRID, "--outbreak", "I >= 20", "--runs", "3", "--seed", "1"]
    assert cli(*args, "--out", tmp_path / "a") == 0, cli.err
    assert "| parameters.beta | initial.I | initial.S | runs | P(outbreak) |" in cli.out
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        "sweep.csv",
        "sweep.md",
        "sweep.png",
    ]
    first = pd.read_csv(tmp_path / "a" / "sweep.csv")
    assert len(first) == 4 and (first["runs"] == 3).all()
    assert cli(*args, "--out", tmp_path / "b") == 0, cli.err
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "b" / "sweep.csv"), first)


def test_the_scenarios_sweep_table_is_the_default(cli: Cli, tmp_path: Path) -> None:
    """Without --vary, the axes and the outbreak come from the file's [sweep] table."""
    path = tmp_path / "study.toml"
    path.write_text(
        'model = "sir"\nruns = 2\nseed = 4\n[time]\nend = 40\n[initial]\nS = 100\nI = 2\n'
        '[sweep]\noutbreak = "I >= 10"\n'
        '[[sweep.vary]]\nkey = "parameters.gamma"\nvalues = [0.1, 0.2, 0.3]\n',
        encoding="utf-8",
    )
    assert cli("sweep", path) == 0, cli.err
    assert "| parameters.gamma | runs | P(outbreak) |" in cli.out
    assert "I >= 10" in cli.out and cli.out.count("\n| 0.") == 3


def test_outcome_options_replace_the_tables(cli: Cli, tmp_path: Path) -> None:
    """--outcome chooses what each point reports: here a cull's toll and a chance."""
    path = tmp_path / "cull.toml"
    path.write_text(
        'model = "sir"\nruns = 3\nseed = 4\n[time]\nend = 10\n[initial]\nS = 200\nI = 20\n'
        '[[interventions]]\nname = "the cull"\nat = 2\n'
        'remove = [{ compartment = "I", fraction = 0.5, to = "R" }]\n',
        encoding="utf-8",
    )
    options = ["--outcome", "lost I to the cull", "--outcome", "P(R >= 100)"]
    assert cli("sweep", path, "--vary", "parameters.beta=0.5,1", *options) == 0, cli.err
    assert "| parameters.beta | runs | lost I to the cull | P(R >= 100) |" in cli.out, cli.out
    assert "P(outbreak)" not in cli.out


@pytest.mark.parametrize(
    ("options", "fragments"),
    [
        (
            ["--vary", "parameters.betaa=1,2"],
            ["--vary", "sweep.vary[0].key", "'parameters.betaa'", "allowed: beta, gamma"],
        ),
        (
            ["--vary", "parameters.beta=0.3,-1"],
            ["--vary", "sweep.vary[0].values[1]", "negative"],
        ),
        (["--vary", "parameters.beta"], ["--vary", "cannot read this axis", "KEY=V1,V2"]),
        ([], ["nothing to vary", "--vary"]),
        (["--vary", "runs=1", "--outbreak", "Z >= 1"], ["--outbreak", "'Z'", "S, I, R"]),
        (["--vary", "runs=1", "--runs", "none"], ["--runs", "not a whole number"]),
        (
            ["--vary", "runs=1", "--outcome", "lost I to the strike"],
            ["--outcome", "no such intervention", "none: the scenario has no interventions"],
        ),
        (["--vary", "runs=1", "--outcome", "mean I"], ["--outcome", '"lost X to INTERVENTION"']),
    ],
)
def test_bad_input_exits_2_naming_the_option_and_key(
    cli: Cli, tmp_path: Path, options: list[str], fragments: list[str]
) -> None:
    """Bad --vary, --outbreak or --runs: exit 2, one line on stderr, nothing written."""
    out = tmp_path / "out"
    assert cli("sweep", "sir", *options, "--out", out) == 2
    line = cli.err.strip()
    assert line.startswith("hyosan: error:") and "\n" not in line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    assert not out.exists()


def test_a_folder_with_files_in_it_is_refused(cli: Cli, tmp_path: Path) -> None:
    """--out names a folder that holds a file: exit 2 before anything runs; the file stays."""
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert cli("sweep", "sir", *GRID, "--runs", "1", "--out", tmp_path) == 2
    assert "--out" in cli.err and "not empty" in cli.err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_picture_that_fails_leaves_no_files(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug while drawing sweep.png exits 1 with the one-line summary first, and writes
    none of the three files (the picture is made before the table's files); the finished
    grid points stay, for --resume."""
    import hyosan.viz.sweep

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("no picture")

    monkeypatch.setattr(hyosan.viz.sweep, "plot_sweep", broken)
    out = tmp_path / "out"
    assert cli("sweep", "sir", *GRID, "--runs", "1", "--out", out) == 1
    assert cli.err.splitlines()[0].startswith("hyosan: internal error")
    assert "RuntimeError: no picture" in cli.err.splitlines()[0]
    assert [p.name for p in out.iterdir()] == [".hyosan-parts"]
