"""The tau-leaping engines' steppers: prepared with their settings; a segment ends at its
stop time, at a condition, or when its event budget runs out."""

from __future__ import annotations

import numpy as np

from hyosan.engines import Output, Plan, Span, SpatialTauLeap, Status, Stops, TauLeap
from hyosan.engines._kernels import tau_leap_run
from hyosan.engines.base import KernelStepper
from hyosan.interventions import Condition
from hyosan.model import builtin_model, compile_model
from hyosan.model.characters import Tags, tag_model
from hyosan.space import World, WorldSetup

SIR = builtin_model("sir")
COMPILED = compile_model(SIR, SIR.defaults)
X0 = np.array([9900.0, 100.0, 0.0])
TIMES = np.linspace(0.0, 40.0, 41)


def _stops(*texts: str) -> Stops:
    return Stops.build([Condition.parse(t) for t in texts], SIR.compartments)


def _output() -> Output:
    out = Output.empty(TIMES, 3)
    out.values[:] = np.nan
    return out


def test_prepare_hands_the_settings_to_the_kernel() -> None:
    """The well-mixed stepper calls the tau-leap kernel with the engine's budget and its
    ``(eps, n_critical, n_ssa)``."""
    stepper = TauLeap(eps=0.05, n_critical=4, n_ssa=2.5, budget=99).prepare(
        COMPILED, Tags.none(SIR)
    )
    assert isinstance(stepper, KernelStepper)
    assert stepper.kernel is tau_leap_run and stepper.budget == 99 and not stepper.in_space
    assert stepper.tail == (0.05, 4, 2.5)


def test_in_space_a_characters_compartments_are_never_critical_by_count() -> None:
    """The spatial stepper gets a threshold per compartment: ``n_critical`` for the crowd,
    0 for each character's own compartments (whose counts are 0 or 1)."""
    tags = Tags.of(SIR, ["Onjo"])
    setup = WorldSetup(World.from_edges("w", ["a", "b"], [("a", "b", 1.0)], population=[5, 5]))
    plan = Plan.build(
        tag_model(SIR, ["Onjo"]), None, SpatialTauLeap(n_critical=7), setup=setup, tags=tags
    )
    eps, critical, n_ssa = plan.stepper.tail  # type: ignore[attr-defined]
    assert (eps, n_ssa) == (0.03, 10.0)
    assert critical.tolist() == [7.0, 7.0, 7.0, 0.0, 0.0, 0.0]


def test_a_segment_ends_at_the_leap_that_makes_a_condition_true() -> None:
    """'I > 500' (the second row) stops the call after the leap or event that makes it
    true: the state then holds it, in whole counts; the grid rows written before are
    states where it did not yet hold, the rows after are left for the next call."""
    stepper = TauLeap().prepare(COMPILED, Tags.none(SIR))
    x, out = X0.copy(), _output()
    stops = _stops("R > 1e9", "I > 500")
    step = stepper.advance(x, Span(0.0, 40.0, 0), COMPILED, stops, out, np.random.default_rng(4))
    assert step.status is Status.CONDITION and step.condition == 1
    assert x[1] > 500 and np.array_equal(x, np.round(x)) and x.sum() == 10_000
    assert 0.0 < step.t < 40.0 and step.events > 0
    assert step.i_out == np.sum(step.t > TIMES)
    written = out.values[: step.i_out]
    assert not np.isnan(written).any() and (written[:, 1] <= 500).all()
    assert np.isnan(out.values[step.i_out :]).all()


def test_the_next_call_goes_on_to_the_stop_time() -> None:
    """Called again from where it stopped, with no condition left, it reaches its stop
    time: every grid row before it is written, the state at the stop time is kept."""
    stepper = TauLeap().prepare(COMPILED, Tags.none(SIR))
    x, out, rng = X0.copy(), _output(), np.random.default_rng(4)
    first = stepper.advance(x, Span(0.0, 40.0, 0), COMPILED, _stops("I > 500"), out, rng)
    step = stepper.advance(x, Span(first.t, 30.0, first.i_out), COMPILED, _stops(), out, rng)
    assert (step.status, step.t, step.condition) == (Status.REACHED, 30.0, -1)
    assert step.i_out == 30 and not np.isnan(out.values[:30]).any()
    assert np.isnan(out.values[30:]).all() and x.sum() == 10_000


def test_a_call_ends_when_its_budget_runs_out() -> None:
    """With a budget of one event the call returns BUDGET before the stop time, having
    done at least that one event."""
    stepper = TauLeap(budget=1).prepare(COMPILED, Tags.none(SIR))
    x = X0.copy()
    step = stepper.advance(
        x, Span(0.0, 40.0, 0), COMPILED, _stops(), _output(), np.random.default_rng(0)
    )
    assert step.status is Status.BUDGET and step.events >= 1 and step.t < 40.0


def test_the_same_generator_state_gives_the_same_segment() -> None:
    """A stepper keeps nothing between calls: the same state and seed, the same result."""
    stepper = TauLeap().prepare(COMPILED, Tags.none(SIR))
    results = []
    for _ in range(2):
        x, out = X0.copy(), _output()
        step = stepper.advance(
            x, Span(0.0, 20.0, 0), COMPILED, _stops(), out, np.random.default_rng(9)
        )
        results.append((step, x, out.values))
    (s1, x1, o1), (s2, x2, o2) = results
    assert s1 == s2
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(o1, o2)
