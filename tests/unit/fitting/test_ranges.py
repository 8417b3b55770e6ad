"""Ranges to fit: ``--fit KEY=LOW:HIGH`` and ``{KEY: (LOW, HIGH)}`` read to full keys, whole-number
keys marked, and each problem one error at the option, keyed by the key as written."""

from __future__ import annotations

from typing import Any

import pytest

import hyosan
from hyosan.ensemble.fitting import ranges as ranges_module
from hyosan.ensemble.fitting.ranges import parse_fit, parse_fits, ranges_from
from hyosan.ensemble.fitting.types import FitRange
from hyosan.errors import InputError
from hyosan.scenario import Scenario, set_key
from hyosan.scenario.dump import scenario_to_dict
from hyosan.scenario.load import scenario_from_dict

SIR = hyosan.load_scenario("sir")  # S, I, R; beta, gamma
SCHOOL = hyosan.load_scenario("school")  # aouad, well mixed, one intervention at hour 4
ROOMS = hyosan.load_scenario("hyosan-school")  # aouad in a world, one seed
FIT = "KEY=LOW:HIGH, such as beta=0.1:5"


@pytest.mark.parametrize(
    ("scenario", "text", "key", "low", "high", "integer"),
    [
        (SIR, "beta=0.1:5", "parameters.beta", 0.1, 5.0, False),
        (SIR, " beta = 1e-3 : 5 ", "parameters.beta", 0.001, 5.0, False),
        (SIR, "I=1:50", "initial.I", 1.0, 50.0, True),
        (SIR, "parameters.gamma=0.01:1", "parameters.gamma", 0.01, 1.0, False),
        (SIR, "initial.S=100:9990", "initial.S", 100.0, 9990.0, True),
        (SCHOOL, "p_hybrid=0:1", "parameters.p_hybrid", 0.0, 1.0, False),
        (SCHOOL, "interventions[0].at=1:10", "interventions[0].at", 1.0, 10.0, False),
        (ROOMS, "beta=0.5:3", "parameters.beta", 0.5, 3.0, False),
        (ROOMS, "world.seed[0].count=1:10", "world.seed[0].count", 1.0, 10.0, True),
        (ROOMS, "world.movement.Z=0.1:5", "world.movement.Z", 0.1, 5.0, False),
    ],
)
def test_good_ranges_read_to_full_keys(
    scenario: Scenario, text: str, key: str, low: float, high: float, integer: bool
) -> None:
    """A bare name is a parameter, else (well mixed) a compartment's initial count; any key
    set_key takes is kept; counts of people are whole-number keys, the rest are not."""
    assert parse_fit(text, scenario) == FitRange(key, low, high, integer)


def test_parameters_are_never_whole_number_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parameter that the scenario's table holds as an int is still a real number; a
    well-mixed count written as a float (an ODE scenario) is still a count."""

    def with_int_beta(scenario: Scenario) -> dict[str, Any]:
        return scenario_to_dict(scenario) | {"parameters": {"beta": 1, "gamma": 0.1}}

    monkeypatch.setattr(ranges_module, "scenario_to_dict", with_int_beta)
    assert not parse_fit("beta=1:3", SIR).integer
    floats = set_key(set_key(SIR, "engine", "ode"), "initial.I", 10.5)
    assert parse_fit("I=1:50", floats).integer


def test_an_int_in_the_table_is_a_whole_number_key() -> None:
    """Beyond counts of people, a key whose value is an int now (a lattice's rows) is a whole
    number; a float beside it (the cell's size) is not."""
    table = {
        "model": "sir",
        "time": {"end": 10.0},
        "parameters": {"beta": 0.3, "gamma": 0.1},
        "world": {"lattice": {"rows": 3, "cols": 3, "people": 100}, "fill": "S"},
    }
    grid = scenario_from_dict(table)
    assert parse_fit("world.lattice.rows=2:5", grid).integer
    assert parse_fit("world.lattice.people=10:200", grid).integer
    assert not parse_fit("world.lattice.cell=1:5", grid).integer


def test_whole_number_keys_are_checked_at_their_rounded_ends() -> None:
    """``I=0.4:2.6`` is checked as 0 and 3 (the ssa engine refuses 2.6 people, not 3), and
    kept as written; ``I=-0.6:2`` rounds to -1, which is refused."""
    assert parse_fit("I=0.4:2.6", SIR) == FitRange("initial.I", 0.4, 2.6, True)
    assert parse_fit("I=-0.4:2", SIR).low == -0.4
    with pytest.raises(InputError, match="an initial count is a number >= 0") as err:
        parse_fit("I=-0.6:2", SIR)
    assert err.value.key == "I" and err.value.value == -0.6


@pytest.mark.parametrize(
    ("scenario", "text", "key", "value", "problem", "allowed"),
    [
        (SIR, "beta", "beta", "beta", "cannot read this range", FIT),
        (SIR, "beta=1", "beta", "beta=1", "cannot read this range", FIT),
        (SIR, "=1:2", "", "=1:2", "cannot read this range", FIT),
        (SIR, "beta=a:2", "beta", "a", "LOW and HIGH are finite numbers", FIT),
        (SIR, "beta=1:", "beta", "", "LOW and HIGH are finite numbers", FIT),
        (SIR, "beta=1:inf", "beta", "inf", "LOW and HIGH are finite numbers", FIT),
        (SIR, "beta=nan:1", "beta", "nan", "LOW and HIGH are finite numbers", FIT),
        (SIR, "beta=2:1", "beta", "beta=2:1", "LOW must be less than HIGH", FIT),
        (SIR, "beta=1:1", "beta", "beta=1:1", "LOW must be less than HIGH", FIT),
        (SIR, "bta=1:2", "bta", "bta", "unknown parameter or compartment (did you mean", "beta"),
        (ROOMS, "bta=1:2", "bta", "bta", "unknown parameter (did you mean 'beta'?)", "alpha_h"),
        (ROOMS, "S=1:2", "S", "S", "in a world, people are placed", "world.seed[0].count"),
        (SIR, "parameters.bta=1:2", "parameters.bta", "bta", "did you mean 'beta'", "gamma"),
        (SIR, "initial.Q=1:2", "initial.Q", "initial.Q", "no key 'Q' in initial", "S, I, R"),
        (ROOMS, "initial.S=1:2", "initial.S", "initial.S", "no key 'initial'", "world"),
        (ROOMS, "world.seed[1].count=1:2", "world.seed[1].count", None, "no item [1]", "0 to 0"),
        (SIR, "beta..x=1:2", "beta..x", "beta..x", "cannot read this key", "a dotted key"),
        (SIR, "runs=1:5", "runs", "runs=1:5", "cannot be fitted", "a parameter"),
        (SIR, "seed=1:5", "seed", "seed=1:5", "cannot be fitted", "a parameter"),
        (SIR, "engine=1:5", "engine", "engine=1:5", "cannot be fitted", "a parameter"),
        (SIR, "time.end=1:5", "time.end", "time.end=1:5", "cannot be fitted", "a parameter"),
        (SIR, "time.points=2:5", "time.points", "time.points=2:5", "cannot be fitted", "initial"),
        (SCHOOL, "p_hybrid=0:3", "p_hybrid", 3.0, "a probability cannot exceed 1", "from 0 to 1"),
        (SIR, "beta=-1:3", "beta", -1.0, "neither negative nor infinite", ">= 0"),
        (SIR, "I=-5:3", "I", -5.0, "an initial count is a number >= 0", ">= 0"),
        (SCHOOL, "interventions[0].at=1:50", "interventions[0].at", 50.0, "after the end", "48"),
        (SIR, "I=0.1:0.4", "I", "I=0.1:0.4", "round to the same number", "two whole numbers"),
    ],
)
def test_each_problem_is_one_error_at_the_option(
    scenario: Scenario, text: str, key: str, value: Any, problem: str, allowed: str
) -> None:
    """The error is placed at ``--fit``, keyed by the key as written, shows the text or the
    number at fault, and keeps what the scenario's own check allows (did-you-mean included)."""
    with pytest.raises(InputError) as err:
        parse_fit(text, scenario)
    error = err.value
    assert error.source == "--fit" and error.key == key
    assert problem in error.problem and allowed in error.allowed
    if value is not None:
        assert error.value == value
    message = str(error)
    assert message.startswith(f"--fit: {key}: " if key else "--fit: ")
    assert problem in message and allowed in message


def test_errors_are_placed_at_the_source_given() -> None:
    """A caller's own source name (a config file, a form) is the place of the error."""
    with pytest.raises(InputError, match=r"^fit\.toml: beta: LOW must be less than HIGH"):
        parse_fit("beta=2:1", SIR, source="fit.toml")


def test_parse_fits_reads_each_in_order() -> None:
    """Every ``--fit`` in the order given."""
    out = parse_fits(["I=1:50", "beta=0.1:5"], SIR)
    assert [r.key for r in out] == ["initial.I", "parameters.beta"]


def test_parse_fits_needs_one() -> None:
    """No ``--fit`` at all: say that one is needed."""
    with pytest.raises(InputError) as err:
        parse_fits([], SIR)
    assert err.value.source == "--fit" and "--fit KEY=LOW:HIGH is needed" in str(err.value)


@pytest.mark.parametrize(
    ("texts", "key", "first"),
    [
        (["beta=0.1:1", "beta=1:5"], "beta", "beta"),
        (["beta=0.1:1", "parameters.beta=1:5"], "parameters.beta", "beta"),
        (["initial.I=1:9", "gamma=0.1:1", "I=1:5"], "I", "initial.I"),
    ],
)
def test_parse_fits_refuses_a_key_twice(texts: list[str], key: str, first: str) -> None:
    """A key given twice, under any of its names, is refused at the second."""
    with pytest.raises(InputError, match="a key fitted twice") as err:
        parse_fits(texts, SIR)
    assert err.value.key == key and f"first as {first!r}" in err.value.problem


def test_ranges_from_reads_the_python_form() -> None:
    """``{KEY: (LOW, HIGH)}``, lists too, with the bare-name rule of ``--fit``."""
    out = ranges_from({"beta": (0.1, 5), "I": [1, 40]}, SIR)
    assert out == (FitRange("parameters.beta", 0.1, 5.0), FitRange("initial.I", 1.0, 40.0, True))


@pytest.mark.parametrize(
    ("ranges", "key", "problem"),
    [
        ({}, "", "nothing to fit"),
        ({"beta": (1,)}, "beta", "a range is two finite numbers"),
        ({"beta": (1, True)}, "beta", "a range is two finite numbers"),
        ({"beta": (1, float("inf"))}, "beta", "a range is two finite numbers"),
        ({"beta": "0.1:5"}, "beta", "a range is two finite numbers"),
        ({"beta": (5, 0.1)}, "beta", "LOW must be less than HIGH"),
        ({"runs": (1, 5)}, "runs", "cannot be fitted"),
        ({"p": (0, 1)}, "p", "unknown parameter or compartment"),
        ({"beta": (0.1, 1), "parameters.beta": (1, 5)}, "parameters.beta", "fitted twice"),
    ],
)
def test_ranges_from_checks_as_parse_fit(ranges: dict[str, Any], key: str, problem: str) -> None:
    """The same checks, placed at ``python``, with the Python form as what is allowed."""
    with pytest.raises(InputError) as err:
        ranges_from(ranges, SIR)
    assert err.value.source == "python" and err.value.key == key and problem in str(err.value)
    if "range" in problem or "nothing" in problem or "LOW" in problem:
        assert "{'beta': (0.1, 5)}" in err.value.allowed
