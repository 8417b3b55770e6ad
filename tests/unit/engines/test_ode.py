"""The ODE engine's stepper: a segment ends at its stop time, at a condition, or fails."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.engines import (
    OdeEngine,
    Output,
    Span,
    SpatialODE,
    Status,
    Stops,
    get_engine,
    run_path,
)
from hyosan.engines.ode import OdeStepper
from hyosan.errors import EngineError
from hyosan.interventions import Condition
from hyosan.model import Model, Parameter, Reaction, builtin_model, compile_model
from hyosan.model.characters import Tags
from hyosan.space import World, WorldSetup

SIR = builtin_model("sir")
COMPILED = compile_model(SIR, SIR.defaults)
X0 = np.array([990.0, 10.0, 0.0])
TIMES = np.linspace(0.0, 20.0, 21)
RNG = np.random.default_rng(0)  # the ODE never draws from it


def _stops(*texts: str) -> Stops:
    return Stops.build([Condition.parse(t) for t in texts], SIR.compartments)


def _output() -> Output:
    out = Output.empty(TIMES, 3)
    out.values[:] = np.nan  # rows the stepper does not write stay NaN
    return out


def test_prepare_sets_method_and_tolerances() -> None:
    """Well mixed: LSODA with the engine's tolerances; in space: RK45, conditions dense."""
    stepper = OdeEngine(rtol=1e-5, atol=1e-3).prepare(COMPILED, Tags.none(SIR))
    assert isinstance(stepper, OdeStepper)
    assert (stepper.method, stepper.rtol, stepper.atol, stepper.dense) == (
        "LSODA",
        1e-5,
        1e-3,
        False,
    )
    spatial = SpatialODE(rtol=1e-4).prepare(COMPILED, Tags.none(SIR))
    assert (spatial.method, spatial.rtol, spatial.dense) == ("RK45", 1e-4, True)
    assert not stepper.needs_compiling()


def test_a_segment_reaches_its_end_and_fills_the_grid_before_it() -> None:
    """From 0 to 10: rows 0 to 9 are written (row 0 the start state exactly), the state is
    advanced in place to t = 10, and the next segment starts its row at that state."""
    stepper = OdeEngine().prepare(COMPILED, Tags.none(SIR))
    x, out = X0.copy(), _output()
    step = stepper.advance(x, Span(0.0, 10.0, 0), COMPILED, _stops(), out, RNG)
    assert (step.status, step.t, step.i_out, step.events, step.condition) == (
        Status.REACHED,
        10.0,
        10,
        0,
        -1,
    )
    np.testing.assert_array_equal(out.values[0], X0)
    assert not np.isnan(out.values[:10]).any() and np.isnan(out.values[10:]).all()
    assert x[0] < out.values[9, 0] < X0[0] and x.sum() == pytest.approx(1000.0, rel=1e-9)
    at_ten = x.copy()
    step = stepper.advance(x, Span(10.0, 20.0, step.i_out), COMPILED, _stops(), out, RNG)
    assert step.i_out == 20
    np.testing.assert_array_equal(out.values[10], at_ten)


def test_a_segment_ends_where_a_condition_becomes_true() -> None:
    """'I > 100' (the second row) stops the segment at the crossing, located to the
    solver's tolerance; the state is the crossing state; only grid times before the
    crossing are written."""
    stepper = OdeEngine().prepare(COMPILED, Tags.none(SIR))
    x, out = X0.copy(), _output()
    step = stepper.advance(x, Span(0.0, 20.0, 0), COMPILED, _stops("R > 1e9", "I > 100"), out, RNG)
    assert step.status is Status.CONDITION and step.condition == 1
    assert 0.0 < step.t < 20.0
    assert x[1] == pytest.approx(100.0, abs=1e-3)
    assert step.i_out == int(np.sum(step.t > TIMES))
    assert not np.isnan(out.values[: step.i_out]).any()
    assert np.isnan(out.values[step.i_out :]).all()
    assert out.values[step.i_out - 1, 1] < 100.0


def test_a_falling_condition_stops_where_the_total_comes_down() -> None:
    """'S < 500' waits for S to fall to 500 (a rising crossing of another row does not
    stop it)."""
    stepper = OdeEngine().prepare(COMPILED, Tags.none(SIR))
    x = X0.copy()
    step = stepper.advance(
        x, Span(0.0, 40.0, 0), COMPILED, _stops("S < 500", "R > 1e9"), _output(), RNG
    )
    assert step.status is Status.CONDITION and step.condition == 0
    assert x[0] == pytest.approx(500.0, abs=1e-3)


def _blow_up() -> OdeStepper:
    """dZ/dt = Z^2: from Z = 1 the solution 1 / (1 - t) blows up at t = 1."""
    return OdeStepper(lambda _m: lambda _t, y: y * y, "RK45", 1e-8, 1e-6, dense=False)


def test_a_failed_solve_returns_failed_with_the_solvers_words() -> None:
    """A solve that cannot go on gives FAILED, no later than where it gave up, with
    SciPy's message as the detail; no grid row is written and the state is left alone."""
    x, out = np.array([1.0]), Output.empty(np.array([0.0, 2.0]), 1)
    out.values[:] = np.nan
    step = _blow_up().advance(x, Span(0.0, 3.0, 0), COMPILED, Stops.build([], ("Z",)), out, RNG)
    assert step.status is Status.FAILED and step.status.failed
    assert 0.0 <= step.t <= 1.0 + 1e-6 and step.i_out == 0 and step.events == 0
    assert "step size" in step.detail
    assert x.tolist() == [1.0] and np.isnan(out.values).all()


def test_a_failed_solve_reports_where_it_failed() -> None:
    """The time of a FAILED step is where the solver gave up (near 1 here), so that the
    error's 'stopped at t = ...' is true whatever the output grid."""
    x, out = np.array([1.0]), Output.empty(np.array([0.0, 2.0]), 1)
    step = _blow_up().advance(x, Span(0.0, 3.0, 0), COMPILED, Stops.build([], ("Z",)), out, RNG)
    assert step.t == pytest.approx(1.0, abs=1e-2)


def test_the_driver_turns_a_failure_into_an_engine_error() -> None:
    """In a world (RK45) a model that blows up ends the run with an EngineError that
    names the engine, the time and what to try instead."""
    model = Model(
        "blowup",
        ("Z",),
        (Parameter("k", 1.0),),
        (Reaction.parse("Z + Z -> Z + Z + Z", "k", law="mass_action"),),
    )
    setup = WorldSetup(World.from_edges("one", ["a"], [], population=[1.0]))
    assert isinstance(get_engine("ode", in_space=True), SpatialODE)
    with pytest.raises(EngineError, match=r"^the ode engine stopped at t = 1: .*--engine ssa"):
        run_path(
            model,
            None,
            setup.counts(model).ravel(),
            np.linspace(0.0, 3.0, 4),
            (),
            OdeEngine(),
            RNG,
            setup=setup,
        )
