"""Writing scenarios back to TOML: resolved, complete, and read back unchanged."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from hyosan.interventions import (
    At,
    Condition,
    Impulse,
    Intervention,
    Remove,
    SetParameters,
    When,
)
from hyosan.model import Model, Parameter, Reaction, builtin_model
from hyosan.scenario import (
    BUILTIN_SCENARIOS,
    Scenario,
    TimeGrid,
    load_scenario,
    load_scenario_text,
    model_to_dict,
    scenario_to_toml,
)


def same_but_source(a: Scenario, b: Scenario) -> bool:
    return a.replace(source=b.source) == b


def test_output_lists_every_parameter_and_count() -> None:
    """The resolved file lists every parameter (defaults included) and every compartment's
    initial count (zeros included), even when the input set only a few."""
    s = load_scenario_text('model = "aouad"\n[time]\nend = 48\n[initial]\nS = 999\nE = 1\n')
    data = tomllib.loads(scenario_to_toml(s))
    assert data["parameters"] == builtin_model("aouad").defaults
    assert data["initial"] == {"S": 999, "E": 1, "Ez": 0, "Z": 0, "H": 0, "D": 0}
    assert (data["engine"], data["runs"]) == ("ssa", 1)
    assert data["time"] == {"end": 48.0, "points": 201, "unit": "hour"}  # the model's unit


def test_seed_written_when_set_and_left_out_when_not() -> None:
    """A chosen seed is written (so the run can be repeated); no seed, no key."""
    s = load_scenario("sir")
    assert "seed" not in tomllib.loads(scenario_to_toml(s))
    assert tomllib.loads(scenario_to_toml(s.replace(seed=12345)))["seed"] == 12345


def test_builtin_model_written_by_name() -> None:
    """A scenario on a built-in model writes ``model = "NAME"``, not the model's table."""
    data = tomllib.loads(scenario_to_toml(load_scenario("munz-basic")))
    assert data["model"] == "munz-basic"


def test_changed_builtin_model_written_inline() -> None:
    """If the model differs from the built-in its model_ref names, the model is written in
    full, so the file says what was really run."""
    s = load_scenario("sir")
    other = Model(
        name="sir",
        compartments=s.model.compartments,
        parameters=s.model.parameters,
        reactions=s.model.reactions[:1],
        humans=("S",),
        zombies=("I",),
    )
    data = tomllib.loads(scenario_to_toml(s.replace(model=other)))
    assert isinstance(data["model"], dict)
    assert len(data["model"]["reactions"]) == 1


@pytest.mark.parametrize("name", BUILTIN_SCENARIOS)
def test_builtins_round_trip(name: str) -> None:
    """Every built-in scenario, dumped and loaded again, is the same scenario."""
    s = load_scenario(name)
    assert same_but_source(load_scenario_text(scenario_to_toml(s)), s)


def test_model_file_scenario_round_trips_inline(tmp_path: Path) -> None:
    """A scenario whose model came from a file is written with the model inline, so the
    resolved file stands alone, and reads back equal."""
    (tmp_path / "m.toml").write_text(
        'compartments = ["A", "B"]\nreferences = ["me (2024)"]\n'
        '[parameters]\nk = { value = 2.0, unit = "1/day" }\n'
        '[[reactions]]\nequation = "A + A -> B"\nrate = "0.5 * k"\nlaw = "mass_action"\n'
        '[[reactions]]\nequation = "-> A"\nrate = "k"\n',
        encoding="utf-8",
    )
    (tmp_path / "s.toml").write_text(
        'model = "m.toml"\nengine = "ode"\n[time]\nend = 3\n[initial]\nA = 2.5\n',
        encoding="utf-8",
    )
    s = load_scenario(tmp_path / "s.toml")
    text = scenario_to_toml(s)
    assert tomllib.loads(text)["model"]["name"] == "m"
    assert same_but_source(load_scenario_text(text), s)


def test_counts_whole_numbers_as_integers() -> None:
    """Whole counts are written as TOML integers, fractional ones (ode) as floats."""
    s = load_scenario_text(
        'model = "sir"\nengine = "ode"\n[time]\nend = 1\n[initial]\nS = 9990.0\nI = 0.5\n'
    )
    data = tomllib.loads(scenario_to_toml(s))
    assert data["initial"] == {"S": 9990, "I": 0.5, "R": 0}
    assert isinstance(data["initial"]["S"], int)


def test_interventions_written_and_read_back() -> None:
    """at (one time or several), when, set and remove (with and without ``to``) survive
    the round trip, including a condition threshold that ``str`` would round."""
    base = load_scenario("munz-basic")
    ivs = (
        Intervention(At(5.0), (SetParameters({"alpha": 0.01}),), name="awareness"),
        Intervention(At((2.5, 5.0)), (Remove((Impulse("Z", 0.5, "R"), Impulse("S", 0.25))),)),
        Intervention(
            When(Condition(("Z", "R"), ">=", 1234567.891)), (SetParameters({"beta": 0.0}),)
        ),
    )
    s = base.replace(interventions=ivs)
    text = scenario_to_toml(s)
    assert "1234567.891" in text
    assert load_scenario_text(text).interventions == ivs


def test_model_to_dict_shapes() -> None:
    """model_to_dict writes parameters as tables when any has a description or unit (and
    as bare numbers when none has), a reaction's law only when one was given, and no
    empty keys."""
    model = Model(
        name="m",
        compartments=("S", "I"),
        parameters=(Parameter("a", 1.0), Parameter("b", 2.0, "rate", "1/day")),
        reactions=(
            Reaction.parse("S + I -> I + I", "b", law="frequency", name="infect"),
            Reaction.parse("I -> S", "a"),
        ),
    )
    d = model_to_dict(model)
    assert d["parameters"] == {
        "a": {"value": 1.0},
        "b": {"value": 2.0, "description": "rate", "unit": "1/day"},
    }
    assert list(d["parameters"]) == ["a", "b"]
    bare = Model(
        name="m",
        compartments=("S",),
        parameters=(Parameter("a", 1.0),),
        reactions=(Reaction.parse("S ->", "a"),),
    )
    assert model_to_dict(bare)["parameters"] == {"a": 1.0}
    assert d["reactions"] == [
        {"name": "infect", "equation": "S + I -> I + I", "rate": "b", "law": "frequency"},
        {"equation": "I -> S", "rate": "a"},
    ]
    assert "population" not in d and "humans" not in d and "description" not in d


def test_python_scenario_round_trips() -> None:
    """A scenario built in Python with every count given dumps and loads back equal."""
    s = Scenario(
        name="py",
        model=builtin_model("alemi"),
        parameters={"beta": 1.0, "kappa": 0.5},
        initial={"S": 100, "Z": 3, "R": 0},
        time=TimeGrid(end=5.0, points=11, unit="day"),
        engine="tau",
        runs=4,
        seed=2**62,
        model_ref="alemi",
        description="from python",
    )
    assert same_but_source(load_scenario_text(scenario_to_toml(s)), s)


def test_missing_counts_are_written_as_zero() -> None:
    """A Python scenario that leaves compartments out gets them written as 0; the loaded
    copy lists them, with the same initial state vector."""
    s = load_scenario("sir").replace(initial={"S": 10, "I": 1})
    loaded = load_scenario_text(scenario_to_toml(s))
    assert loaded.initial == {"S": 10, "I": 1, "R": 0}
    assert (loaded.x0 == s.x0).all()
