"""The command line's contract (DESIGN.md, "The user's surface"), run in-process.

``hyosan.cli.main(argv)`` returns the exit status: 0 done, 2 bad input (one
line on stderr naming the source, the key, the value and what is allowed, and
nothing written under ``--out``), 1 a fault of ours (a one-line summary, then
the traceback).
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import hyosan.ensemble
from hyosan.cli import main
from hyosan.model import BUILTIN_MODELS
from hyosan.scenario import BUILTIN_SCENARIOS

from .cli_runner import Cli

# A small, fast stochastic version of the built-in SIR scenario.
SMALL = ["--set", "S=200", "--set", "I=5", "--t-end", "40"]


def totals(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "totals.parquet")


def resolved(folder: Path) -> dict[str, Any]:
    return tomllib.loads((folder / "scenario.toml").read_text(encoding="utf-8"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (to prove that nothing changed)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def write(folder: Path, text: str, name: str = "bad.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- list, validate ----------------------------------------------------------------


def test_list_shows_every_builtin_scenario_and_model(cli: Cli) -> None:
    """`hyosan list` exits 0 and names every built-in scenario and every built-in model."""
    assert cli("list") == 0
    for name in (*BUILTIN_SCENARIOS, *BUILTIN_MODELS):
        assert name in cli.out, name


@pytest.mark.parametrize("name", BUILTIN_SCENARIOS)
def test_validate_a_builtin_name(cli: Cli, name: str) -> None:
    """`hyosan validate NAME` accepts every built-in scenario and says "ok" with its name."""
    assert cli("validate", name) == 0, cli.err
    assert "ok" in cli.out
    assert name in cli.out
    assert cli.err == ""


def test_validate_a_file(cli: Cli, tmp_path: Path) -> None:
    """`hyosan validate FILE` exits 0 for a correct scenario file and runs nothing."""
    path = write(tmp_path, 'model = "sir"\n[time]\nend = 10\n[initial]\nS = 50\nI = 1\n', "ok.toml")
    assert cli("validate", path) == 0, cli.err
    assert "ok" in cli.out
    assert list(tmp_path.iterdir()) == [path]


# -- run and rerun -------------------------------------------------------------------


def test_run_ode_writes_the_result_folder_and_its_scenario_reruns_it(
    cli: Cli, tmp_path: Path
) -> None:
    """`run sir --engine ode --out DIR` writes totals.parquet (run, time, S, I, R),
    summary.json and scenario.toml, and `run DIR/scenario.toml --out DIR2` gives the
    same numbers."""
    first, second = tmp_path / "first", tmp_path / "second"
    assert cli("run", "sir", "--engine", "ode", "--out", first) == 0, cli.err
    written = {p.name for p in first.iterdir()}
    assert written == {
        "totals.parquet",
        "summary.json",
        "scenario.toml",
        "story.md",
        "milestones.csv",
    }
    frame = totals(first)
    assert list(frame.columns) == ["run", "time", "S", "I", "R"]
    assert resolved(first)["engine"] == "ode"

    assert cli("run", first / "scenario.toml", "--out", second) == 0, cli.err
    pd.testing.assert_frame_equal(totals(second), frame, check_exact=True)


def test_run_ssa_same_seed_same_numbers_other_seed_other_numbers(cli: Cli, tmp_path: Path) -> None:
    """An ssa run with --seed 3 --runs 3 is reproduced exactly by its scenario.toml and
    by the same options again; --seed 4 gives other numbers."""
    a, b, c, d = (tmp_path / n for n in "abcd")
    args = ["run", "sir", "--engine", "ssa", "--runs", "3", *SMALL]
    assert cli(*args, "--seed", "3", "--out", a) == 0, cli.err
    frame = totals(a)
    assert sorted(frame["run"].unique()) == [0, 1, 2]
    scenario = resolved(a)
    assert (scenario["engine"], scenario["runs"], scenario["seed"]) == ("ssa", 3, 3)

    assert cli("run", a / "scenario.toml", "--out", b) == 0, cli.err
    pd.testing.assert_frame_equal(totals(b), frame, check_exact=True)
    assert cli(*args, "--seed", "3", "--out", c) == 0, cli.err
    pd.testing.assert_frame_equal(totals(c), frame, check_exact=True)
    assert cli(*args, "--seed", "4", "--out", d) == 0, cli.err
    assert not totals(d).equals(frame)


def test_set_and_t_end_change_the_resolved_scenario(cli: Cli, tmp_path: Path) -> None:
    """--set beta=0.5 and --set S=500 land in scenario.toml; --t-end 5 ends the grid at 5."""
    out = tmp_path / "out"
    code = cli(
        "run", "sir", "--engine", "ode", "--set", "beta=0.5", "--set", "S=500", "--t-end", "5",
        "--out", out,
    )  # fmt: skip
    assert code == 0, cli.err
    scenario = resolved(out)
    assert scenario["parameters"]["beta"] == 0.5
    assert scenario["parameters"]["gamma"] == 0.1
    assert scenario["initial"]["S"] == 500
    assert scenario["time"]["end"] == 5.0
    assert totals(out)["time"].max() == 5.0
    assert totals(out)["S"].iloc[0] == pytest.approx(500, rel=1e-12)


def test_set_fractional_count_is_fine_with_engine_ode(cli: Cli, tmp_path: Path) -> None:
    """--set S=1.5 --engine ode runs although the built-in sir asks for ssa (whole counts):
    the overrides are checked with the engine that runs (a bug found by hand)."""
    out = tmp_path / "out"
    assert cli("run", "sir", "--set", "S=1.5", "--engine", "ode", "--t-end", "1", "--out", out) == 0
    assert resolved(out)["initial"]["S"] == 1.5


@pytest.mark.parametrize("engine", ["ode", "tau"])
def test_a_billion_people_run_with_ode_and_tau(cli: Cli, tmp_path: Path, engine: str) -> None:
    """S = 1e9 in a file is a whole count: ode and tau run it to the end and keep N."""
    path = write(
        tmp_path,
        'model = "sir"\nseed = 1\n[time]\nend = 160\n[initial]\nS = 1e9\nI = 10\n',
        "big.toml",
    )
    out = tmp_path / "out"
    assert cli("run", path, "--engine", engine, "--out", out) == 0, cli.err
    last = totals(out).iloc[-1]
    assert last["S"] + last["I"] + last["R"] == pytest.approx(1e9 + 10, rel=1e-9)
    assert last["R"] > 0.5e9


HUNT = """model = "aouad-camp"
engine = "ssa"
runs = 4
seed = 2
[time]
end = 5
[parameters]
screen = 50.0
alpha_f = 50.0
[initial]
S = 50
A = 20
H = 2
Hc = 1
[[milestones]]
text = "a hybrid was killed"
when = "Dh >= 1"
"""


def test_run_prints_the_chances_and_whether_the_hybrids_survived(cli: Cli, tmp_path: Path) -> None:
    """With soldiers who find out and kill every hybrid within minutes, `hyosan run` prints
    over its 4 runs the milestone's chance (4 runs, 1.00 ± 0.00), every hybrid surviving in
    0 runs (0.00 ± 0.00) and a mean share alive of 0.00 ± 0.00; with one run, that run's
    hybrids: 3 at the start, 0 alive, 3 killed."""
    path = write(tmp_path, HUNT, "hunt.toml")
    assert cli("run", path) == 0, cli.err
    rows = [" ".join(line.replace("│", " ").split()) for line in cli.out.splitlines()]
    assert "over 4 runs: chances, ± one standard error" in rows
    assert "a hybrid was killed 4 1.00 ± 0.00" in rows
    assert "every hybrid survived 0 0.00 ± 0.00" in rows
    assert "share of the hybrids alive at the end (mean) 0.00 ± 0.00" in rows
    assert cli("run", path, "--runs", "1") == 0, cli.err
    assert "hybrids: 3 at the start, 0 alive at the end, 3 killed" in cli.out


def test_plot_writes_totals_png(cli: Cli, tmp_path: Path) -> None:
    """`hyosan plot DIR` on a folder written by `run --out` writes DIR/totals.png."""
    out = tmp_path / "out"
    assert cli("run", "sir", "--engine", "ode", "--t-end", "10", "--out", out) == 0, cli.err
    assert cli("plot", out) == 0, cli.err
    assert (out / "totals.png").stat().st_size > 1000
    assert "totals.png" in cli.out


# -- bad input -----------------------------------------------------------------------

SIR = 'model = "sir"\n[time]\nend = 10\n'
INLINE = '[time]\nend = 10\n[model]\ncompartments = ["S", "I", "R"]\n[initial]\nS = 10\nI = 1\n'

# (id, scenario file text or None for the built-in sir, extra options,
#  fragments the one message must contain; "FILE" stands for the file's path)
BAD_INPUT: list[tuple[str, str | None, list[str], list[str]]] = [
    (
        "unknown key in the file",
        'model = "sir"\nengin = "ode"\n[time]\nend = 10\n',
        [],
        ["FILE", "engin", "'engin'", "did you mean 'engine'", "allowed:", "engine, runs"],
    ),
    (
        "misspelt compartment in [initial]",
        SIR + "[initial]\ns = 10\nI = 1\n",
        [],
        ["FILE", "initial.s", "unknown compartment", "'s'", "allowed: S, I, R"],
    ),
    (
        "misspelt parameter in [parameters]",
        SIR + "[parameters]\nbeta = 0.3\ngama = 0.1\n",
        [],
        ["FILE", "parameters.gama", "unknown parameter", "'gama'", "allowed: beta, gamma"],
    ),
    (
        "negative parameter",
        SIR + "[parameters]\nbeta = -0.3\n",
        [],
        ["FILE", "parameters.beta", "negative", "-0.3", "allowed: a finite number >= 0"],
    ),
    (
        "negative rate in an inline reaction",
        INLINE + '[[model.reactions]]\nequation = "S + I -> I + I"\nrate = -2\n',
        [],
        ["FILE", "model.reactions[0].rate", "negative", "-2", "allowed: a number >= 0"],
    ),
    (
        "missing rate in an inline reaction",
        INLINE + '[[model.reactions]]\nequation = "S + I -> I + I"\n',
        [],
        ["FILE", "model.reactions[0].rate", "missing key", "allowed:", "beta"],
    ),
    (
        "non-integer count with engine ssa",
        'model = "sir"\nengine = "ssa"\n[time]\nend = 10\n[initial]\nS = 10.5\nI = 1\n',
        [],
        ["FILE", "initial.S", "10.5", "allowed: a whole number", "--engine ode"],
    ),
    (
        "time.end = 0",
        'model = "sir"\n[time]\nend = 0\n',
        [],
        ["FILE", "time.end", "0.0", "allowed: a finite number >= 1e-06"],
    ),
    (
        "TOML syntax error",
        'model = "sir"\n[time\nend = 10\n',
        [],
        ["FILE", "not valid TOML", "line 2", "allowed: TOML syntax"],
    ),
    (
        "missing [time]",
        'model = "sir"\n',
        [],
        ["FILE", ": time:", "missing key", "allowed: a [time] table", "end = NUMBER"],
    ),
    (
        "intervention with both at and when",
        SIR + '[[interventions]]\nat = 2\nwhen = "I > 5"\nset = { beta = 0.1 }\n',
        [],
        ["FILE", "interventions[0]", "exactly one of 'at' and 'when'", "allowed: at = "],
    ),
    (
        "wrong type of a value",
        'model = "sir"\n[time]\nend = "10"\n',
        [],
        ["FILE", "time.end", "must be a number", "'10'", "allowed: a number"],
    ),
    ("--engine nosuch", None, ["--engine", "nosuch"], ["--engine", "'nosuch'", "ode, ssa, tau"]),
    ("--set nosuch=1", None, ["--set", "nosuch=1"], ["--set", "nosuch", "beta, gamma, S, I, R"]),
    ("--set beta=abc", None, ["--set", "beta=abc"], ["--set", "'beta=abc'", "NAME=NUMBER"]),
    ("--set beta=-1", None, ["--set", "beta=-1"], ["--set", "beta", "-1.0", "allowed:"]),
    ("--set S=1.5 (ssa)", None, ["--set", "S=1.5"], ["--set", "S", "1.5", "--engine ode"]),
    ("--runs 0", None, ["--runs", "0"], ["--runs", "(got 0)", "allowed: an integer >= 1"]),
    ("--runs 1e3", None, ["--runs", "1e3"], ["--runs", "'1e3'", "allowed: an integer >= 1"]),
    ("--seed -1", None, ["--seed", "-1"], ["--seed", "(got -1)", "allowed: an integer from 0"]),
    ("--seed 2**63", None, ["--seed", str(2**63)], ["--seed", str(2**63), "allowed:"]),
    ("--t-end -1", None, ["--t-end", "-1"], ["--t-end", "-1.0", "allowed: a number > 0"]),
    ("--t-end 5d", None, ["--t-end", "5d"], ["--t-end", "'5d'", "allowed: a number > 0"]),
    ("--t-end nan", None, ["--t-end", "nan"], ["--t-end", "nan", "allowed: a number > 0"]),
]


def assert_one_message(err: str, fragments: list[str]) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("hyosan: error: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.mark.parametrize(
    ("text", "options", "fragments"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_exits_2_with_one_message_and_writes_nothing(
    cli: Cli, tmp_path: Path, text: str | None, options: list[str], fragments: list[str]
) -> None:
    """Each kind of bad input exits 2 with one line on stderr that names the source (file
    or option), the key, the value and what is allowed, and --out is never created."""
    scenario = "sir" if text is None else str(write(tmp_path, text))
    out = tmp_path / "out"
    assert cli("run", scenario, *options, "--out", out) == 2
    assert_one_message(cli.err, [f.replace("FILE", scenario) for f in fragments])
    assert not out.exists()


def test_bad_input_leaves_an_existing_out_folder_unchanged(cli: Cli, tmp_path: Path) -> None:
    """Bad input with --out pointing at an earlier result leaves that folder byte for byte."""
    out = tmp_path / "out"
    assert cli("run", "sir", "--engine", "ode", "--t-end", "5", "--out", out) == 0
    (out / "notes.txt").write_text("mine")
    before = snapshot(out)
    for options in (["--set", "nosuch=1"], ["--runs", "0"], ["--engine", "nosuch"]):
        assert cli("run", "sir", *options, "--out", out) == 2
        assert_one_message(cli.err, [options[0]])
        assert snapshot(out) == before


def test_unknown_scenario_name(cli: Cli, tmp_path: Path) -> None:
    """An unknown scenario name exits 2 naming it and listing the built-ins and files."""
    out = tmp_path / "out"
    assert cli("run", "nosuch", "--out", out) == 2
    assert_one_message(cli.err, ["'nosuch'", "allowed:", *BUILTIN_SCENARIOS, ".toml"])
    assert not out.exists()
    assert cli("validate", "nosuch") == 2
    assert_one_message(cli.err, ["'nosuch'"])


def test_validate_reports_bad_input_like_run(cli: Cli, tmp_path: Path) -> None:
    """`validate FILE` on a bad file exits 2 with the same one-line message as `run`."""
    path = write(tmp_path, SIR + "[initial]\ns = 10\n")
    assert cli("validate", path) == 2
    assert_one_message(cli.err, [str(path), "initial.s", "'s'", "S, I, R"])
    assert cli.out == ""


def test_a_result_folder_given_as_scenario_points_to_its_scenario_toml(
    cli: Cli, tmp_path: Path
) -> None:
    """`run DIR` (a folder written by --out) exits 2 and suggests DIR/scenario.toml."""
    out = tmp_path / "out"
    assert cli("run", "sir", "--engine", "ode", "--t-end", "5", "--out", out) == 0
    assert cli("run", out) == 2
    assert_one_message(cli.err, ["a folder", str(out), str(out / "scenario.toml")])


def test_plot_on_an_empty_folder(cli: Cli, tmp_path: Path) -> None:
    """`plot` on a folder without results exits 2 naming the folder and the missing file,
    and writes no picture."""
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("plot", empty) == 2
    assert_one_message(cli.err, [str(empty), "totals.parquet", "hyosan run --out"])
    assert list(empty.iterdir()) == []


def test_plot_on_a_missing_folder(cli: Cli, tmp_path: Path) -> None:
    """`plot` on a folder that does not exist exits 2 and creates nothing."""
    missing = tmp_path / "missing"
    assert cli("plot", missing) == 2
    assert_one_message(cli.err, [str(missing), "no such folder"])
    assert not missing.exists()


def test_out_is_a_file(cli: Cli, tmp_path: Path) -> None:
    """--out naming an existing file exits 2 and leaves the file alone."""
    target = tmp_path / "file"
    target.write_text("keep")
    assert cli("run", "sir", "--engine", "ode", "--t-end", "5", "--out", target) == 2
    assert_one_message(cli.err, ["--out", str(target), "not a folder"])
    assert target.read_text() == "keep"


def test_out_below_a_file_is_refused_before_running(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--out FILE/sub exits 2 naming the file before anything runs (it used to run the
    whole simulation, then fail with "File exists")."""

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("simulate must not run")

    monkeypatch.setattr(hyosan.ensemble, "simulate", never)
    target = tmp_path / "file"
    target.write_text("keep")
    assert cli("run", "sir", "--out", target / "sub") == 2
    assert_one_message(cli.err, ["--out", str(target), "is a file, not a folder"])
    assert target.read_text() == "keep"


def test_out_in_a_folder_that_cannot_be_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--out inside a folder without write permission exits 2 before running, naming it."""
    monkeypatch.setattr("hyosan.cli.shared.os.access", lambda *args, **kwargs: False)
    out = tmp_path / "out"
    assert cli("run", "sir", "--engine", "ode", "--out", out) == 2
    assert_one_message(cli.err, ["--out", f"cannot write in {tmp_path}", "allowed:"])
    assert not out.exists()


def test_a_file_with_a_byte_order_mark_is_read(cli: Cli, tmp_path: Path) -> None:
    """A scenario saved as UTF-8 with a BOM (as some Windows editors do) validates; it
    used to be a TOML syntax error at line 1, column 1."""
    path = tmp_path / "bom.toml"
    path.write_bytes(b'\xef\xbb\xbfmodel = "sir"\n[time]\nend = 5\n')
    assert cli("validate", path) == 0, cli.err


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["run", "sir", "--bogus", "1"], ["--bogus", "hyosan run --help"]),
        (["run"], ["Missing argument", "hyosan run --help"]),
        (["nosuch"], ["nosuch", "hyosan --help"]),
        (["run", "sir", "--engine"], ["--engine", "requires an argument"]),
    ],
    ids=["unknown option", "missing argument", "unknown command", "option without value"],
)
def test_usage_errors_are_one_line_too(cli: Cli, args: list[str], fragments: list[str]) -> None:
    """Mistakes the argument parser catches exit 2 with one line, like every bad input."""
    assert cli(*args) == 2
    assert_one_message(cli.err, fragments)


def test_help_exits_0(cli: Cli) -> None:
    """--help prints the commands of the contract and exits 0."""
    assert cli("--help") == 0
    for command in ("list", "run", "validate", "plot"):
        assert command in cli.out
    assert cli("run", "--help") == 0
    for option in ("--engine", "--seed", "--runs", "--t-end", "--set", "--out"):
        assert option in cli.out


# -- a fault of ours -----------------------------------------------------------------


def test_internal_error_exits_1_with_a_summary_before_the_traceback(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug (here: simulate raising RuntimeError) exits 1; stderr's first line is a
    one-line summary starting "hyosan: internal error", then comes the traceback, and
    --out is not created."""

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(hyosan.ensemble, "simulate", boom)
    out = tmp_path / "out"
    assert cli("run", "sir", "--engine", "ode", "--out", out) == 1
    lines = cli.err.splitlines()
    assert lines[0].startswith("hyosan: internal error")
    assert "RuntimeError: boom" in lines[0]
    assert any(line.startswith("Traceback") for line in lines[1:])
    assert lines[-1] == "RuntimeError: boom"
    assert not out.exists()


def test_first_run_says_it_is_compiling(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """When the plan's kernel must be compiled, run says why the first run is slow."""
    from hyosan.engines import Plan

    monkeypatch.setattr(Plan, "needs_compiling", lambda self: self.engine.name == "ssa")
    assert main(["run", "sir", "--set", "S=50", "--t-end", "1", "--seed", "1"]) == 0
    assert "compiling the ssa kernel" in capsys.readouterr().err
    assert main(["run", "sir", "--engine", "ode", "--t-end", "1"]) == 0
    assert "compiling" not in capsys.readouterr().err


def test_cached_kernel_needs_no_compiling(capsys: pytest.CaptureFixture[str]) -> None:
    """After a run, the exact kernel is loaded, so nothing is said about compiling."""
    from hyosan.engines import DirectSSA, Plan
    from hyosan.model import builtin_model

    run = ["run", "sir", "--set", "S=50", "--t-end", "1", "--seed", "1"]
    assert main(run) == 0
    assert not Plan.build(builtin_model("sir"), None, DirectSSA()).needs_compiling()
    capsys.readouterr()
    assert main(run) == 0
    assert "compiling" not in capsys.readouterr().err


def test_a_new_model_structure_needs_compiling(tmp_path, monkeypatch) -> None:
    """The exact engine's kernel is generated per model: a fresh cache folder has none."""
    from hyosan.engines import DirectSSA, Plan
    from hyosan.model import builtin_model

    monkeypatch.setenv("HYOSAN_CACHE_DIR", str(tmp_path))
    for name in [n for n in sys.modules if n.startswith("hyosan_ssa_")]:
        monkeypatch.delitem(sys.modules, name)  # loaded kernels: this one must be loaded anew
    assert Plan.build(builtin_model("munz-cure"), None, DirectSSA()).needs_compiling()


def test_the_console_leaves_ctrl_c_ignored_as_it_exits() -> None:
    """``hyosan`` (the console script, ``python -m hyosan``) only exits after the command:
    SIGINT and SIGTERM stay ignored then, so one that lands while Python shuts down prints
    no traceback from an exit callback; in-process callers get their handlers back."""
    import signal

    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        assert main(["list"]) == 0
        assert {s: signal.getsignal(s) for s in before} == before
        assert main(["list"], leaving=True) == 0
        assert all(signal.getsignal(s) is signal.SIG_IGN for s in before)
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
