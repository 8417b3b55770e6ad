"""Choosing the engine: a name and whether there is a world give one class, settings kept."""

from __future__ import annotations

import dataclasses

import pytest

from hyosan.engines import (
    ENGINES,
    DirectSSA,
    Engine,
    NextSubvolume,
    OdeEngine,
    SpatialODE,
    SpatialTauLeap,
    TauLeap,
    get_engine,
)
from hyosan.errors import InputError

PAIRS = [
    ("ode", OdeEngine, SpatialODE),
    ("ssa", DirectSSA, NextSubvolume),
    ("tau", TauLeap, SpatialTauLeap),
]


@pytest.mark.parametrize(("name", "mixed", "spatial"), PAIRS)
def test_a_name_picks_the_algorithm_for_the_kind_of_model(
    name: str, mixed: type[Engine], spatial: type[Engine]
) -> None:
    """Each name has its well-mixed and its spatial class, with default settings; both
    carry the name and say which kind they are."""
    assert ENGINES[name] == (mixed, spatial)
    assert get_engine(name) == mixed() and type(get_engine(name)) is mixed
    assert type(get_engine(name, in_space=True)) is spatial
    assert mixed.name == spatial.name == name
    assert (mixed.in_space, spatial.in_space) == (False, True)
    assert mixed.stochastic == spatial.stochastic == (name != "ode")
    assert mixed.integer_counts == spatial.integer_counts == (name != "ode")


def test_counterparts_take_the_same_settings() -> None:
    """A well-mixed engine and its spatial counterpart have the same fields (names,
    types and defaults), so that one converts to the other."""
    for _, mixed, spatial in PAIRS:
        fields = [(f.name, f.type, f.default) for f in dataclasses.fields(mixed)]  # type: ignore[arg-type]
        assert fields == [(f.name, f.type, f.default) for f in dataclasses.fields(spatial)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "engine",
    [
        TauLeap(eps=0.01, n_critical=3, n_ssa=2.0, budget=7),
        DirectSSA(budget=11),
        OdeEngine(rtol=1e-5, atol=1e-3),
    ],
    ids=lambda e: type(e).__name__,
)
def test_an_engine_converts_with_the_same_settings(engine: Engine) -> None:
    """An instance is kept as it is for its kind of model, and becomes its counterpart
    with the same settings for the other; converting back gives an equal engine."""
    assert get_engine(engine) is engine
    spatial = get_engine(engine, in_space=True)
    assert spatial.in_space and spatial.name == engine.name
    assert dataclasses.asdict(spatial) == dataclasses.asdict(engine)  # type: ignore[call-overload]
    assert get_engine(spatial, in_space=True) is spatial
    assert get_engine(spatial) == engine


@pytest.mark.parametrize(("name", "close"), [("sas", "ssa"), ("tua", "tau"), ("odee", "ode")])
def test_an_unknown_name_suggests_the_close_one(name: str, close: str) -> None:
    """Bad input keyed 'engine', with a did-you-mean and the names allowed."""
    with pytest.raises(InputError) as err:
        get_engine(name, in_space=True)
    assert err.value.key == "engine" and err.value.value == name
    assert f"did you mean {close!r}" in err.value.problem
    assert err.value.allowed == "ode, ssa, tau"
