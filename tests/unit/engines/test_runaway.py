"""Runs that would not end stop with a RunawayError naming the reaction that explodes.

Each case here hung before the event budget (``max_events``) and the ODE's
budget of right-hand side evaluations existed: the budgets are set small so
that each case ends in well under a second.
"""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.engines import (
    DirectSSA,
    NextSubvolume,
    OdeEngine,
    Plan,
    SpatialODE,
    SpatialTauLeap,
    TauLeap,
    run_plan,
)
from hyosan.engines.runaway import MIN_MAX_EVENTS, default_max_events
from hyosan.errors import InputError, RunawayError
from hyosan.model import Model, Parameter, Reaction, builtin_model
from hyosan.space import World, WorldSetup

FLIP = Model(
    name="flip",
    compartments=("A", "B"),
    parameters=(Parameter("k", 1e12), Parameter("slow", 1.0)),
    reactions=(Reaction.parse("A -> B", "k"), Reaction.parse("B -> A", "slow * k")),
)
"""A and B turn into each other 1e12 times a day: a run to t = 1 never ends."""

BOOM = Model(
    name="boom",
    compartments=("Z",),
    parameters=(Parameter("r", 1.0),),
    reactions=(Reaction.parse("Z + Z -> Z + Z + Z", "r"),),
)
"""dZ/dt = r Z^2: the ODE's solution blows up in finite time (t = 1 / (r Z0))."""

TIMES = np.linspace(0.0, 1.0, 11)


def _run(plan: Plan, x0: list[float], max_events: int | None = None) -> None:
    rng = np.random.default_rng(1)
    run_plan(plan, np.array(x0), TIMES, rng, max_events=max_events)


@pytest.mark.parametrize("engine", [DirectSSA(budget=10_000), TauLeap(budget=10_000)])
def test_exact_and_leaping_runs_stop_at_the_event_budget(engine: DirectSSA | TauLeap) -> None:
    """A -> B and B -> A at 1e12: the run ends after the budget, naming the rate k."""
    plan = Plan.build(FLIP, None, engine)
    with pytest.raises(RunawayError) as caught:
        _run(plan, [1000.0, 0.0], max_events=50_000)
    err = caught.value
    assert isinstance(err, InputError)  # bad input: exit status 2 on the command line
    assert err.key == "parameters.k" and err.value == 1e12
    assert "more than --max-events 50,000" in err.problem
    assert "'A -> B'" in err.problem or "'B -> A'" in err.problem
    assert "a larger --max-events" in err.allowed


def test_the_budget_counts_the_events_of_the_whole_run() -> None:
    """A run within its budget ends as always; the same run with one event less is a runaway."""
    sir = builtin_model("sir")
    plan = Plan.build(sir, None, DirectSSA())
    x0 = np.array([990.0, 10.0, 0.0])
    times = np.linspace(0.0, 50.0, 6)
    _, events = run_plan(plan, x0, times, np.random.default_rng(3))
    out, again = run_plan(plan, x0, times, np.random.default_rng(3), max_events=events)
    assert again == events and out[-1].sum() == 1000.0
    with pytest.raises(RunawayError, match=f"{events:,} events"):
        run_plan(plan, x0, times, np.random.default_rng(3), max_events=events - 1)


@pytest.mark.parametrize("model, x0", [(FLIP, [1.0, 0.0]), (BOOM, [10.0])])
def test_ode_segments_stop_at_their_budget_of_evaluations(model: Model, x0: list[float]) -> None:
    """An ODE that explodes (a blow-up in finite time, or 1e200) ends, naming its rate."""
    values = {"k": 1e200} if model is FLIP else None
    plan = Plan.build(model, values, OdeEngine(max_evaluations=2_000))
    with pytest.raises(RunawayError, match="2,000 evaluations of its right-hand side") as caught:
        _run(plan, x0)
    assert caught.value.key == ("parameters.k" if model is FLIP else "parameters.r")
    assert "--engine tau" in caught.value.allowed


def test_runs_in_space_stop_too() -> None:
    """Next-subvolume, spatial tau-leaping and the ODE in space: the same budgets hold."""
    setup = WorldSetup(World.lattice([[10, 10], [10, 10]]), movement={"A": 1.0})
    x0 = [10.0, 0.0] * 4
    for engine in (NextSubvolume(budget=5_000), SpatialTauLeap(budget=5_000)):
        plan = Plan.build(FLIP, None, engine, setup=setup)
        with pytest.raises(RunawayError, match=r"fastest reaction is .(A -> B|B -> A)."):
            _run(plan, x0, max_events=20_000)
    plan = Plan.build(FLIP, {"k": 1e200}, SpatialODE(max_evaluations=2_000), setup=setup)
    with pytest.raises(RunawayError, match="2,000 evaluations"):
        _run(plan, x0)


def test_default_budget_grows_with_the_population() -> None:
    assert default_max_events(0) == MIN_MAX_EVENTS == default_max_events(-5)
    assert default_max_events(1e9) == 1000 * 10**9


def test_moves_that_never_end_are_named() -> None:
    """People who move a billion times a day, not a reaction, are what a run spends on."""
    setup = WorldSetup(World.lattice([[10, 10]]), movement={"S": 1e9})
    plan = Plan.build(builtin_model("sir"), None, NextSubvolume(budget=5_000), setup=setup)
    with pytest.raises(RunawayError, match="most of them are moves of S") as caught:
        _run(plan, [10.0, 0.0, 0.0] * 2, max_events=20_000)
    assert caught.value.key == "world.movement.S"
    assert "slower movement" in caught.value.allowed
