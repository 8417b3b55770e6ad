"""TOML round trip: any valid scenario, written by scenario_to_toml and read back by
load_scenario_text, is the same scenario (every field but ``source``)."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from hyosan.interventions import (
    Action,
    At,
    Condition,
    Impulse,
    Intervention,
    Remove,
    SetParameters,
    When,
)
from hyosan.model import Model, builtin_model
from hyosan.model.core import probabilities as probabilities_of
from hyosan.scenario import ENGINES, Scenario, TimeGrid, load_scenario_text, model_from_dict
from hyosan.scenario.dump import scenario_to_toml

CUSTOM = model_from_dict(
    {
        "name": "custom",
        "description": "inflow, outflow, a pair of one compartment, a complement",
        "compartments": ["A", "B", "C"],
        "population": ["A", "B"],
        "humans": ["A"],
        "zombies": ["B"],
        "references": ["nobody (2024)"],
        "parameters": {
            "k": {"value": 0.5, "description": "a rate", "unit": "1/day"},
            "p": 0.25,
            "birth": {"value": 3.0, "unit": "1/day"},
        },
        "reactions": [
            {"name": "pair", "equation": "A + A -> B", "rate": "k", "law": "mass_action"},
            {"equation": "A + B -> 2 B", "rate": "2 * k * (1 - p)", "law": "frequency"},
            {"equation": "-> A", "rate": "birth"},
            {"equation": "B ->", "rate": "p"},
            {"equation": "B -> C", "rate": "k * p", "law": "first_order"},
        ],
    }
)
MODELS = [
    ("sir", builtin_model("sir")),
    ("aouad", builtin_model("aouad")),
    ("munz-quarantine", builtin_model("munz-quarantine")),
    ("", CUSTOM),
]

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
values = st.floats(min_value=0.0, max_value=1e12, allow_nan=False, allow_infinity=False)
probabilities = st.floats(min_value=0.0, max_value=1.0)
times = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)


def _actions(values: dict[str, float], impulses: tuple[Impulse, ...]) -> tuple[Action, ...]:
    """The actions a table with these ``set`` and ``remove`` keys reads back as."""
    out: list[Action] = [SetParameters(values)] if values else []
    return (*out, Remove(impulses)) if impulses else tuple(out)


def interventions(model: Model, end: float) -> st.SearchStrategy[Intervention]:
    comps, params = model.compartments, model.parameter_names
    when = st.builds(
        Condition,
        st.lists(st.sampled_from(comps), min_size=1, max_size=3).map(tuple),
        st.sampled_from(["<", "<=", ">", ">="]),
        st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    )
    remove = st.builds(
        Impulse,
        st.sampled_from(comps),
        st.floats(min_value=0.0, max_value=1.0),
        st.none() | st.sampled_from(comps),
    )
    trigger = st.one_of(
        st.lists(st.floats(0.0, end), min_size=1, max_size=3).map(lambda t: At(tuple(t))),
        when.map(When),
    )
    action = st.tuples(
        st.dictionaries(st.sampled_from(params), probabilities, max_size=3),
        st.lists(remove, max_size=2).map(tuple),
    ).filter(lambda a: bool(a[0] or a[1]))
    return st.builds(
        lambda trig, act, name: Intervention(trig, _actions(*act), name=name),
        trigger,
        action,
        text,
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    ref, model = draw(st.sampled_from(MODELS))
    engine = draw(st.sampled_from(ENGINES))
    whole = st.integers(min_value=0, max_value=10**12)
    counts = whole | st.integers(0, 10**6).map(float) if engine != "ode" else whole | values
    end = draw(st.floats(min_value=1e-6, max_value=1e9))  # interventions act up to the end
    return Scenario(
        name=draw(text),
        model=model,
        parameters={
            p: draw(probabilities if p in probabilities_of(model) else values)
            for p in model.parameter_names
        },
        initial={c: draw(counts) for c in model.compartments},
        time=TimeGrid(
            end=end,
            points=draw(st.integers(min_value=2, max_value=100_000)),
            unit=draw(text),
        ),
        interventions=tuple(draw(st.lists(interventions(model, end), max_size=3))),
        engine=engine,
        runs=draw(st.integers(min_value=1, max_value=10**6)),
        seed=draw(st.none() | st.integers(min_value=0, max_value=2**63 - 1)),
        model_ref=ref,
        description=draw(text),
    )


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_dump_then_load_gives_the_same_scenario(scenario: Scenario) -> None:
    """Parameters, counts (whole or fractional), time grid, interventions (times,
    conditions, impulses), engine, runs, seed, names and the model (built-in by name or
    inline) all survive scenario_to_toml -> load_scenario_text unchanged."""
    loaded = load_scenario_text(scenario_to_toml(scenario))
    for field in dataclasses.fields(Scenario):
        if field.name != "source":
            assert getattr(loaded, field.name) == getattr(scenario, field.name), field.name


@settings(max_examples=50, deadline=None)
@given(scenarios())
def test_dumping_is_stable(scenario: Scenario) -> None:
    """Dumping a loaded copy gives the same text again: the output is a fixed point."""
    once = scenario_to_toml(scenario)
    assert scenario_to_toml(load_scenario_text(once)) == once
