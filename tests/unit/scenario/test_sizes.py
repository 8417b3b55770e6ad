"""Sizes are checked before anything of that size is allocated (issue 15, item 5).

Runs, output times and lattice cells have limits (:mod:`hyosan.scenario.sizes`);
the memory a result needs is checked against this machine's. Each refusal names
the key, the value and what is allowed, takes well under a second, and is the
same in ``hyosan validate`` and ``hyosan run`` (after its options).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

import hyosan.scenario.sizes as sizes
from hyosan.cli import main
from hyosan.cli.options import prepare
from hyosan.errors import InputError
from hyosan.scenario import load_scenario, load_scenario_text
from hyosan.scenario.sizes import MAX_PATCHES, MAX_POINTS, MAX_RUNS, check_sizes
from hyosan.space import World

SIR = 'model = "sir"\n{top}[time]\nend = 10\n{time}[initial]\nS = 100\nI = 1\n'
LATTICE = 'model = "sir"\n[time]\nend = 10\n{time}[world]\nlattice = {{ {lattice} }}\n'


def _sir(top: str = "", time_keys: str = "") -> str:
    return SIR.format(top=top, time=time_keys)


def _refused(load: Callable[[], object]) -> InputError:
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load()
    assert time.perf_counter() - start < 0.5, "a refusal takes well under a second"
    return info.value


def test_runs_past_the_limit_are_refused_at_once() -> None:
    """``runs = 1000000000000`` (which hung spawning seeds) is refused on ``runs``."""
    err = _refused(lambda: load_scenario_text(_sir("runs = 1000000000000\n"), source="s.toml"))
    assert (err.source, err.key, err.value) == ("s.toml", "runs", 10**12)
    assert f"{MAX_RUNS:,}" in err.problem and "10000000" in err.allowed


def test_output_times_past_the_limit_are_refused_at_once() -> None:
    """``points = 1000000000000`` (which validate accepted) is refused on ``time.points``."""
    err = _refused(lambda: load_scenario_text(_sir(time_keys="points = 1000000000000\n")))
    assert (err.key, err.value) == ("time.points", 10**12)
    assert str(MAX_POINTS) in err.allowed


def test_a_huge_lattice_is_refused_before_it_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """100,000 x 100,000 cells (26 s, then a MemoryError) is refused on ``world.lattice``
    without building a row of it."""

    def never(*args: object, **kwargs: object) -> World:
        raise AssertionError("the lattice was built")

    monkeypatch.setattr(World, "lattice", never)
    text = LATTICE.format(time="", lattice="rows = 100000, cols = 100000, people = 1")
    err = _refused(lambda: load_scenario_text(text))
    assert err.key == "world.lattice"
    assert err.value == {"rows": 100000, "cols": 100000}
    assert f"{MAX_PATCHES:,}" in err.allowed


def test_a_lattice_one_run_cannot_fill_is_refused_before_it_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Within the cell limit, a lattice on which even one run's counts would not fit in
    memory is refused on ``time.points`` before it is built."""
    monkeypatch.setattr(sizes, "physical_memory", lambda: 2**30)
    monkeypatch.setattr(World, "lattice", None)
    text = LATTICE.format(time="points = 1000\n", lattice="rows = 1000, cols = 1000")
    err = _refused(lambda: load_scenario_text(text))
    assert (err.key, err.value) == ("time.points", 1000)
    assert "1 run(s) x 1,000 output times x 1,000,000 patch(es)" in err.problem


def test_the_memory_of_a_result_is_checked_with_the_runs_that_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """runs x points x patches x compartments x 16 bytes against 0.8 of the memory: with
    1 MiB of memory, 100 runs of 1,000 times of S, I, R do not fit (4.6 MiB), one does;
    the ODE makes one run whatever ``runs`` says."""
    monkeypatch.setattr(sizes, "physical_memory", lambda: 2**20)
    scenario = load_scenario_text(_sir("runs = 100\n", "points = 1000\n"), source="s.toml")
    err = _refused(lambda: check_sizes(scenario))
    assert (err.source, err.key, err.value) == ("s.toml", "time.points", 1000)
    assert "100 run(s) x 1,000 output times x 1 patch(es) x 3 compartments" in err.problem
    check_sizes(scenario, runs=1)
    check_sizes(scenario.replace(engine="ode"))


def test_characters_count_in_the_memory_as_the_runs_hold_them() -> None:
    """Runs that follow characters hold a copy of every compartment per character: the
    check counts the compartments of the model the runs really simulate."""
    from hyosan.ensemble.cast import Cast

    scenario = load_scenario("season1")
    assert scenario.characters
    counted = len(scenario.model.compartments) * (1 + len(scenario.characters))
    assert counted == len(Cast.of(scenario).model.compartments)


def test_validate_and_run_refuse_the_same_sizes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``hyosan validate`` refuses what ``hyosan run`` refuses, in the same words; run's
    check comes after its options, so ``--runs 1`` makes the same file fit."""
    monkeypatch.setattr(sizes, "physical_memory", lambda: 2**20)
    path = tmp_path / "s.toml"
    path.write_text(_sir("runs = 100\n", "points = 1000\n"), encoding="utf-8")
    said = []
    for command in ("validate", "run"):
        capsys.readouterr()
        assert main([command, str(path)]) == 2
        said.append(capsys.readouterr().err)
    assert said[0] == said[1] and "GiB of memory" in said[0]
    assert prepare(str(path), None, "1", "1", None, []).runs == 1
    with pytest.raises(InputError) as info:
        prepare(str(path), None, None, "1000", None, [])
    assert info.value.source == f"{path} with the options given"


def test_runs_on_the_command_line_past_the_limit() -> None:
    """``--runs 1000000000000`` is refused on ``runs`` before anything is allocated."""
    err = _refused(lambda: prepare("sir", None, None, "1000000000000", None, []))
    assert (err.key, err.value) == ("runs", 10**12)


def test_more_people_than_the_exact_engine_takes_are_refused_for_ssa_only() -> None:
    """Four million billion people event by event would run for ever: refused for ssa,
    named on ``initial``; the same scenario runs under tau (it loads either way)."""
    sc = load_scenario_text('model = "sir"\n[time]\nend = 10\n[initial]\nS = 4e15\nI = 1\n')
    with pytest.raises(InputError) as info:
        check_sizes(sc, engine="ssa")
    assert info.value.key == "initial" and "--engine tau or ode" in info.value.allowed
    check_sizes(sc, engine="tau")
    with pytest.raises(InputError, match="the exact engine simulates every event"):
        check_sizes(sc)  # the scenario's own engine: ssa
