"""Fuzzing the command line: malformed scenarios and options never break hyosan's contract.

Each test draws cases from one family of :mod:`.cases` or :mod:`.lines` (values of the wrong
type or out of range, unknown and misspelt keys, unknown names, sizes too
large to run, paths that are no scenario, bad interventions and reactions,
broken TOML, bad options, odd ``--out`` folders) and runs each in-process with
:func:`hyosan.cli.main.main` inside a fresh sandbox (:mod:`.sandbox`, which
states the contract checked). Hypothesis is derandomized and keeps no
database, so every run tries the same inputs; :data:`PLAN` gives how many per
family (:data:`TOTAL` in all), and the number actually tried is printed at
the end of the session (``hyosan fuzz: N inputs tried``) and checked per test.

Cases are not shrunk: each is already one small change to a small valid
scenario, and a hang would be retried for every shrinking step. With the
environment variable ``HYOSAN_FUZZ_SURVEY=FILE``, the tests do not stop at the
first broken case: they append every one to FILE and pass, a way to list all
the distinct failures at once; ``HYOSAN_FUZZ_SCALE=N`` tries N times as many
cases.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from . import bases, cases, lines
from .sandbox import (
    COMPILING,
    TALLY,
    Case,
    changes,
    plant,
    problems,
    report,
    run_case,
    snapshot,
)

PLAN = {
    "values": 70,
    "keys": 40,
    "names": 30,
    "sizes": 20,
    "paths": 30,
    "interventions": 30,
    "reactions": 30,
    "toml_syntax": 40,
    "command_lines": 50,
    "out_paths": 25,
    "sweeps": 25,
    "formats": 30,
}
"""Cases per family: at least 300 inputs in every run of the suite."""

SCALE = float(os.environ.get("HYOSAN_FUZZ_SCALE", "1"))
"""``HYOSAN_FUZZ_SCALE=10``: ten times the cases of :data:`PLAN`, for a deeper search."""
PLAN = {family: max(1, round(n * SCALE)) for family, n in PLAN.items()}
TOTAL = sum(PLAN.values()) + sum(map(len, lines.NAMED.values()))
TRIED: Counter[str] = Counter()
CODES: Counter[str] = Counter()
SURVEY = os.environ.get("HYOSAN_FUZZ_SURVEY", "")

_previous: list[Path] = []


def previous_result() -> Path:
    """A valid result folder (the ``sir`` base run with ``--out``), made once a session."""
    if not _previous:
        folder = Path(tempfile.mkdtemp(prefix="hyosan-fuzz-previous-"))
        case = bases.scenario_case("previous", bases.SIR, "run", ("--out", str(folder / "r")))
        outcome = run_case(case)
        assert outcome.code == 0, report(outcome, problems(outcome))
        _previous.append(folder / "r")
    return _previous[0]


@pytest.fixture(scope="module", autouse=True)
def _tally(request: pytest.FixtureRequest) -> Iterator[None]:
    """Report how many inputs the module tried (at the end of the session), and remove the
    previous result."""
    yield
    line = (
        f"hyosan fuzz: {sum(TRIED.values())} inputs tried (planned {TOTAL}), "
        f"exit statuses {dict(CODES)}, by family {dict(TRIED)}"
    )
    request.config.stash.setdefault(TALLY, []).append(line)
    for folder in _previous:
        shutil.rmtree(folder.parent, ignore_errors=True)
    _previous.clear()


def check(family: str, case: Case) -> None:
    """Run ``case``; fail (or, surveying, record) if it breaks the contract."""
    TRIED[family] += 1
    outcome = run_case(case, previous_result())
    CODES[str(outcome.code).split(":")[0]] += 1
    found = problems(outcome)
    if found and SURVEY:
        with open(SURVEY, "a", encoding="utf-8") as log:
            log.write(report(outcome, found) + "\n\n")
        return
    assert not found, report(outcome, found)


def fuzz(family: str) -> Callable[[Callable[[Case], None]], Callable[[], None]]:
    """The settings every fuzz test shares, with ``PLAN[family]`` drawn examples after the
    family's named ones (:data:`.lines.NAMED`), which every run tries."""
    make = getattr(cases, family, None) or getattr(lines, family)
    strategy: st.SearchStrategy[Case] = make()

    def decorate(test: Callable[[Case], None]) -> Callable[[], None]:
        for case in reversed(lines.NAMED.get(family, [])):
            test = example(case)(test)
        return settings(
            max_examples=PLAN[family],
            deadline=None,
            derandomize=True,
            database=None,
            phases=(Phase.explicit, Phase.generate),
            suppress_health_check=[HealthCheck.too_slow],
        )(given(strategy)(test))

    return decorate


def tried_all(family: str, test: Callable[[], None]) -> None:
    """Run the Hypothesis ``test`` and check that it tried the inputs planned for it."""
    before = TRIED[family]
    test()
    planned = PLAN[family] + len(lines.NAMED.get(family, []))
    assert TRIED[family] - before >= planned, f"{family}: {TRIED[family] - before} of {planned}"


def test_sandbox_sees_writes_outside(tmp_path: Path) -> None:
    """The checker itself: a file created, changed or removed outside the --out folder is
    reported, and one inside it is not (so a passing fuzz run means something)."""
    top = tmp_path.resolve()
    case = plant(top, None)
    before = snapshot(top)
    (top / "outside" / "new.txt").write_bytes(b"x")
    (top / "w1" / "planted.txt").write_bytes(b"changed")
    (case / "afile.txt").unlink()
    (case / "out" / "deep").mkdir(parents=True)
    (case / "out" / "deep" / "totals.parquet").write_bytes(b"x")
    changed = changes(before, snapshot(top), top, case / "out" / "deep")
    assert changed == [
        "created: outside/new.txt",
        "changed: w1/planted.txt",
        "removed: w1/w2/case/afile.txt",
    ]


def test_bases_are_valid() -> None:
    """The scenarios every case starts from run with exit 0 under every engine (this also
    compiles their kernels, so that the fuzz cases after it are timed without compiling;
    on a fresh machine that takes minutes, so these runs have a longer limit)."""
    for name, table in bases.BASES.items():
        for engine in ("ssa", "tau", "ode"):
            case = bases.scenario_case(f"base {name}", table, "run", ("--engine", engine))
            outcome = run_case(case, limit=COMPILING)
            assert outcome.code == 0 and not problems(outcome), report(outcome, problems(outcome))


@fuzz("values")
def _values(case: Case) -> None:
    check("values", case)


def test_values_of_wrong_type_or_out_of_range() -> None:
    """Any key set to a string, bool, list, table, date, negative, nan, inf, 1e308 or huge
    integer: exit 0 or one 'hyosan: error:' line with exit 2, nothing written on error."""
    tried_all("values", _values)


@fuzz("keys")
def _keys(case: Case) -> None:
    check("keys", case)


def test_unknown_misspelt_and_missing_keys() -> None:
    """A key misspelt, removed, or unknown at any depth: the contract holds."""
    tried_all("keys", _keys)


@fuzz("names")
def _names(case: Case) -> None:
    check("names", case)


def test_unknown_names() -> None:
    """Unknown models, engines, compartments, parameters, patches and worlds: the contract
    holds."""
    tried_all("names", _names)


@fuzz("sizes")
def _sizes(case: Case) -> None:
    check("sizes", case)


def test_huge_sizes_are_refused_fast() -> None:
    """Runs, output times and lattices far too large for any machine are refused with
    exit 2 within the time limit, not run."""
    tried_all("sizes", _sizes)


@fuzz("paths")
def _paths(case: Case) -> None:
    check("paths", case)


def test_paths_that_are_no_scenario() -> None:
    """Missing files, folders, /dev/null, /proc files, links to the outside, empty and
    binary files as scenario, model or world: exit 2 with one line, nothing written."""
    tried_all("paths", _paths)


@fuzz("interventions")
def _interventions(case: Case) -> None:
    check("interventions", case)


def test_bad_interventions() -> None:
    """Interventions at negative, late or non-numeric times, with broken conditions or
    impossible actions: the contract holds."""
    tried_all("interventions", _interventions)


@fuzz("reactions")
def _reactions(case: Case) -> None:
    check("reactions", case)


def test_bad_reactions() -> None:
    """Reactions with bad equations (``2 S + I -> 3 I``), rates or laws, and bad
    compartment lists, inline or in a model file: the contract holds."""
    tried_all("reactions", _reactions)


@fuzz("toml_syntax")
def _toml_syntax(case: Case) -> None:
    check("toml_syntax", case)


def test_broken_toml() -> None:
    """Scenario text cut short, spliced with junk, with a line doubled or removed, or not
    UTF-8: the contract holds."""
    tried_all("toml_syntax", _toml_syntax)


@fuzz("command_lines")
def _command_lines(case: Case) -> None:
    check("command_lines", case)


def test_bad_command_lines() -> None:
    """Unknown options, ``--runs -1``, ``--runs abc``, ``--seed 1e400``, ``--t-end nan``,
    ``--set beta=``, ``--set nonexistent=1``, ``--engine bogus``: the contract holds."""
    tried_all("command_lines", _command_lines)


@fuzz("out_paths")
def _out_paths(case: Case) -> None:
    check("out_paths", case)


def test_odd_out_folders() -> None:
    """``--out`` empty, a file, /dev/null, under /proc, a link to a folder outside, a folder
    whose result files link outside: nothing is written outside the --out folder."""
    tried_all("out_paths", _out_paths)


@fuzz("sweeps")
def _sweeps(case: Case) -> None:
    check("sweeps", case)


def test_bad_sweeps() -> None:
    """``hyosan sweep`` with bad or unknown axes, bad outbreak conditions, bad run counts,
    grids of 200**3 points, or an --out that is not a new folder: the contract holds."""
    tried_all("sweeps", _sweeps)


@fuzz("formats")
def _formats(case: Case) -> None:
    check("formats", case)


def test_other_tools_formats() -> None:
    """SBML cut short, with an event, empty, not UTF-8 or not SBML; ``export-model`` to a
    folder, a pipe, /dev/null or a link outside; ``export`` of a folder with no map or at a
    bad time: the contract holds, and nothing is written but the file or folder named."""
    tried_all("formats", _formats)


def test_empty_out_is_refused() -> None:
    """``--out ''`` is bad input (exit 2), not the current folder: an empty value is
    almost always an unset shell variable, and the files would land among the user's."""
    case = bases.scenario_case("out: empty", bases.SIR, "run", ("--out", ""))
    outcome = run_case(case)
    assert outcome.code == 2, report(outcome, [*problems(outcome), "--out '' was accepted"])
    assert not problems(outcome), report(outcome, problems(outcome))


def _limit_memory() -> None:
    """In the child: at most 4 GiB of address space, so that a regression reading an
    endless file fails there instead of exhausting the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))


@pytest.mark.parametrize(
    ("argv", "files"),
    [
        (["validate", "/dev/zero"], {}),
        (["run", "scenario.toml"], {"scenario.toml": 'model = "/dev/zero"\n[time]\nend = 1\n'}),
    ],
)
def test_endless_files_are_refused_in_a_real_process(
    tmp_path: Path, argv: list[str], files: dict[str, str]
) -> None:
    """/dev/zero as a scenario or a model (never read in-process: a regression would read
    until memory runs out) exits 2 with one line, in a real process with its memory capped;
    this also checks, for a sample, that the in-process capture sees what a terminal sees."""
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    extra = bases.EXTRA_RUN_OPTIONS if argv[0] == "run" else ()
    done = subprocess.run(
        [sys.executable, "-m", "hyosan", *argv, *extra],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
        check=False,
    )
    lines = done.stderr.splitlines()
    assert done.returncode == 2, done.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("hyosan: error: "), done.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(files)
