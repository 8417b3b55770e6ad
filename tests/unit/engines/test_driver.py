"""The driver: output grid, interventions at times and on conditions, impulses."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.engines import DirectSSA, OdeEngine, TauLeap, get_engine, run_path
from hyosan.errors import InputError
from hyosan.interventions import (
    At,
    Condition,
    Impulse,
    Intervention,
    Remove,
    SetParameters,
    When,
)
from hyosan.model import builtin_model

SIR = builtin_model("sir")
X0 = np.array([990.0, 10.0, 0.0])
TIMES = np.linspace(0.0, 50.0, 51)


@pytest.mark.parametrize("engine", ["ode", "ssa", "tau"])
def test_grid_starts_at_initial_state_and_conserves(engine: str) -> None:
    """Row 0 is the initial state; SIR keeps S + I + R fixed at every grid time."""
    out, events = run_path(
        SIR, SIR.defaults, X0, TIMES, (), get_engine(engine), np.random.default_rng(0)
    )
    np.testing.assert_array_equal(out[0], X0)
    np.testing.assert_allclose(out.sum(axis=1), 1000.0, rtol=1e-6)
    assert out.shape == (51, 3) and (events > 0) == (engine != "ode")


def test_parameter_set_at_time_changes_dynamics_from_then_on() -> None:
    """Setting beta to 0 at t = 5 stops new infections after 5 exactly (ODE)."""
    stop = Intervention(At(5.0), (SetParameters({"beta": 0.0}),))
    out, _ = run_path(SIR, SIR.defaults, X0, TIMES, (stop,), OdeEngine(), np.random.default_rng(0))
    assert out[5, 0] == pytest.approx(out[-1, 0], rel=1e-9)
    assert out[4, 0] > out[5, 0]


def test_impulse_removes_exact_fraction_in_ode_and_binomial_in_ssa() -> None:
    """Removing half the infected at t = 10: exactly half in the ODE, about half in SSA."""
    cull = Intervention(At(10.0), (Remove((Impulse("I", 0.5, to="R"),)),))
    ode, _ = run_path(
        SIR, {"beta": 0.0, "gamma": 0.0}, X0, TIMES, (cull,), OdeEngine(), np.random.default_rng(0)
    )
    assert ode[10].tolist() == [990.0, 5.0, 5.0]
    ssa, _ = run_path(
        SIR,
        {"beta": 0.0, "gamma": 0.0},
        np.array([0.0, 10_000.0, 0.0]),
        TIMES,
        (cull,),
        DirectSSA(),
        np.random.default_rng(0),
    )
    # binomial(10000, 0.5): sd 50, so 6 sd is 300
    assert abs(ssa[10, 1] - 5_000) < 300 and ssa[10].sum() == 10_000
    assert ssa[9, 1] == 10_000


@pytest.mark.parametrize("engine", [DirectSSA(), TauLeap(), OdeEngine()])
def test_condition_fires_once_when_crossed(engine: object) -> None:
    """'I > 100' fires the first time it holds, and only then (every engine)."""
    quarantine = Intervention(When(Condition.parse("I > 100")), (SetParameters({"beta": 0.0}),))
    out, _ = run_path(
        SIR,
        {"beta": 0.5, "gamma": 0.1},
        X0,
        TIMES,
        (quarantine,),
        engine,  # type: ignore[arg-type]
        np.random.default_rng(2),
    )
    total_infected = out[-1, 1] + out[-1, 2]
    # after the condition, no more infections: everyone ever infected is at most
    # the crossing level plus what one tau leap can add past it
    assert 100 < total_infected < 140


def test_condition_true_at_start_fires_at_once() -> None:
    """A condition already true at t = 0 fires before anything happens."""
    iv = Intervention(When(Condition.parse("I >= 10")), (Remove((Impulse("I", 1.0),)),))
    out, events = run_path(
        SIR, SIR.defaults, X0, TIMES, (iv,), DirectSSA(), np.random.default_rng(0)
    )
    assert out[0].tolist() == [990.0, 0.0, 0.0] and events == 0


def test_same_seed_same_path_and_budget_splits_do_not_matter() -> None:
    """Cutting a run into kernel calls of a few events draws the very same path."""
    a, _ = run_path(SIR, SIR.defaults, X0, TIMES, (), DirectSSA(), np.random.default_rng(5))
    b, _ = run_path(SIR, SIR.defaults, X0, TIMES, (), DirectSSA(budget=7), np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)


def test_progress_is_reported_between_segments() -> None:
    """The progress callback sees times increasing up to the end."""
    seen: list[float] = []
    run_path(
        SIR,
        SIR.defaults,
        X0,
        TIMES,
        (),
        DirectSSA(budget=50),
        np.random.default_rng(1),
        lambda t, _e: seen.append(t),
    )
    assert seen == sorted(seen) and seen[-1] == 50.0 and len(seen) > 2


def test_unknown_engine_is_bad_input() -> None:
    """An unknown engine name lists the engines."""
    with pytest.raises(InputError, match="ode, ssa, tau"):
        get_engine("gillespie")
