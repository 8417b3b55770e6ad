"""``hyosan fit``, run in-process: the table printed and the files written; bad data,
bad ranges and bad options exit 2 with one message naming the file or option, the
row or key and the value, and write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hyosan

from .cli_runner import Cli

TIMES = np.linspace(10.0, 150.0, 15)


@pytest.fixture(scope="module")
def data_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """I of sir's ODE at beta = 0.3, gamma = 0.1 with Poisson noise, as a CSV file."""
    ode = hyosan.simulate(hyosan.load_scenario("sir"), engine="ode").totals
    mu = np.interp(TIMES, ode["time"], ode["I"])
    path = tmp_path_factory.mktemp("data") / "cases.csv"
    frame = pd.DataFrame({"time": TIMES, "I": np.random.default_rng(3).poisson(mu)})
    frame.to_csv(path, index=False)
    return path


def test_fit_prints_the_table_and_writes_its_files(
    cli: Cli, data_file: Path, tmp_path: Path
) -> None:
    """Least squares on sir: exit 0, the table on stdout, the four files; the fitted
    scenario.toml runs as it is and holds the estimates."""
    out = tmp_path / "fit"
    code = cli("fit", "sir", "--data", data_file, "--fit", "beta=0.05:5", "--fit", "gamma=0.01:1",
               "--seed", "2", "--out", out)  # fmt: skip
    assert code == 0, cli.err
    assert "| beta |" in cli.out and "| gamma |" in cli.out
    assert sorted(p.name for p in out.iterdir()) == [
        "fit.json",
        "fit.md",
        "fit.png",
        "scenario.toml",
    ]
    saved = json.loads((out / "fit.json").read_text(encoding="utf-8"))
    beta = saved["keys"]["beta"]
    assert beta["interval_95"][0] < 0.3 < beta["interval_95"][1]
    assert saved["seed"] == 2 and saved["method"] == "least-squares"
    fitted = hyosan.load_scenario(out / "scenario.toml")
    assert fitted.parameters["beta"] == pytest.approx(beta["estimate"])
    assert cli("run", out / "scenario.toml", "--engine", "ode") == 0, cli.err


BAD_DATA = [
    ("day,I\n1,3\n", ["cases.csv", "time", "'day, I'"]),
    ("time,I\n2,3\n1,4\n", ["cases.csv", "line 3", "time", "1"]),
    ("time,I\n-1,3\n", ["cases.csv", "line 2", "negative"]),
    ("time,I\n1,nan\n", ["cases.csv", "line 2, I", "'nan'", "empty cell"]),
    ("time,I\n1,-4\n", ["cases.csv", "line 2, I", "negative"]),
    ("time,Q\n1,4\n", ["cases.csv", "'Q'", "S, I, R"]),
    ("time,I\n1,20000\n", ["cases.csv", "line 2, I", "population", "10,000"]),
]


@pytest.mark.parametrize(("text", "fragments"), BAD_DATA)
def test_bad_data_exits_2_naming_the_file_the_row_and_the_value(
    cli: Cli, tmp_path: Path, text: str, fragments: list[str]
) -> None:
    """Each rule of the data: exit 2, one line naming the file, where and what; nothing written."""
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert cli("fit", "sir", "--data", path, "--fit", "beta=0.1:1", "--out", out) == 2
    line = cli.err.strip()
    assert line.startswith("hyosan: error:") and "\n" not in line, line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    assert not out.exists()


BAD_OPTIONS = [
    (["--fit", "beta=2:1"], ["--fit", "beta", "LOW"]),
    (["--fit", "betta=0.1:1"], ["--fit", "betta", "beta"]),
    (["--fit", "parameters.gamma=0:1", "--fit", "initial.I=5:2"], ["--fit", "initial.I"]),
    (["--fit", "beta"], ["--fit", "KEY=LOW:HIGH"]),
    (["--fit", "gamma=-1:1"], ["--fit", "gamma", "-1"]),
    (["--fit", "beta=0.1:1", "--method", "mcmc"], ["--method", "'mcmc'", "least-squares, abc"]),
    (["--fit", "beta=0.1:1", "--noise", "gauss"], ["--noise", "'gauss'", "poisson"]),
    (["--fit", "beta=0.1:1", "--runs", "3"], ["--runs", "3", "10"]),
    (["--fit", "beta=0.1:1", "--workers", "0"], ["--workers", "0"]),
    (["--fit", "beta=0.1:1", "--workers", "2"], ["--workers", "'2'", "--method abc"]),
]


@pytest.mark.parametrize(("options", "fragments"), BAD_OPTIONS)
def test_bad_options_exit_2_naming_the_option_and_the_value(
    cli: Cli, data_file: Path, tmp_path: Path, options: list[str], fragments: list[str]
) -> None:
    """A bad range or option: exit 2, one line naming it and its value; nothing written."""
    out = tmp_path / "out"
    assert cli("fit", "sir", "--data", data_file, *options, "--out", out) == 2
    line = cli.err.strip()
    assert line.startswith("hyosan: error:") and "\n" not in line, line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    assert not out.exists()


def test_a_missing_data_file_exits_2(cli: Cli, tmp_path: Path) -> None:
    """--data naming no file: exit 2 naming it."""
    assert cli("fit", "sir", "--data", tmp_path / "none.csv", "--fit", "beta=0.1:1") == 2
    assert "none.csv" in cli.err
