"""The driver: one run of a plan, cut into segments at interventions.

Order of one run (:func:`run_plan`):

1. At the current time, fire every intervention due at that time, then
   every conditional intervention whose condition holds (each fires once).
   Firing applies the intervention's actions in order; if an action changed
   parameters, the rate constants are rebuilt, if it changed edges, the
   edge weights.
2. Advance the engine's stepper to the next intervention time (or the end),
   stopping early if a waiting condition becomes true (then fire it) or the
   work budget runs out (then report progress and go on).
3. Repeat from 1 until the end time; the grid times at the end receive the
   final state.

A run that spends its event budget (``max_events``, checked after each call
of the stepper, so a kernel call may overshoot it by its own budget) or an
ODE segment that spends its steps ends with a
:class:`~hyosan.errors.RunawayError` naming the fastest reaction
(:mod:`hyosan.engines.runaway`). Each kernel call takes a bounded number of
events, so the driver, and with it Ctrl-C, gets control back often.

The driver knows triggers (their times and conditions) and actions (that
they apply), not their kinds. In space the state holds ``P * C`` counts,
patch by patch; conditions apply to the totals over patches (or over a
region's patches).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from hyosan._typing import FloatArray
from hyosan.engines.base import Engine, Output, Span
from hyosan.engines.plan import Firings, Plan
from hyosan.engines.runaway import runaway
from hyosan.engines.status import Status, Step
from hyosan.engines.stops import Stops
from hyosan.errors import EngineError, RunawayError
from hyosan.interventions import Draws, Intervention, RunState
from hyosan.interventions.actions import Action
from hyosan.model import Model, rate_constants
from hyosan.model.characters import Tags
from hyosan.space import WorldSetup

__all__ = ["Firings", "Progress", "RunInterventions", "run_path", "run_plan"]

Progress = Callable[[float, int], None]
"""Called between segments with the current time and the events so far."""


def run_plan(
    plan: Plan,
    x0: FloatArray,
    times: FloatArray,
    rng: np.random.Generator,
    *,
    seed: np.random.SeedSequence | None = None,
    progress: Progress | None = None,
    firings: Firings | None = None,
    max_events: int | None = None,
) -> tuple[FloatArray, int]:
    """Simulate one path of ``plan``; return counts on the grid ``(len(times), P * C)``
    and the number of events.

    ``rng`` drives the engine; each intervention draws from its own stream,
    a child of ``seed`` (the run's seed, when the caller has it) or else of
    ``rng``'s state at the start (:meth:`Plan.draws`). ``firings``, when
    given, is filled with what each intervention did. Without a world ``P``
    is 1. More than ``max_events`` events (None: no limit) raise a
    :class:`~hyosan.errors.RunawayError`.
    """
    x = np.array(x0, dtype=np.float64).ravel()
    output = Output.empty(times, len(x))
    t_end = float(times[-1])
    run = (
        RunInterventions(plan, x, plan.draws(rng, seed), firings, t_end)
        if plan.interventions
        else None
    )
    compiled, stops = plan.compiled, plan.stops
    t, i_out, events = 0.0, 0, 0
    while True:
        if run is not None:
            run.fire_due(t)
            compiled, stops = run.compiled, run.stops()
        if t >= t_end:
            break
        t_stop = run.next_stop(t_end) if run is not None else t_end
        step = plan.stepper.advance(x, Span(t, t_stop, i_out), compiled, stops, output, rng)
        t, i_out, events = step.t, step.i_out, events + step.events
        if step.status is Status.RUNAWAY or (max_events is not None and events > max_events):
            raise _runaway(plan, run, x, step, events, max_events)
        if step.status is Status.CONDITION:
            assert run is not None
            run.fire_waiting(step.condition, t)
        elif step.status is Status.REACHED:
            t = t_stop
        elif step.status is not Status.BUDGET:
            raise EngineError(step.status.explain(plan.engine.name, step.t, step.detail))
        if progress is not None:
            progress(t, events)
    if i_out < len(times):
        output.values[i_out:] = x
    return output.values, events


def _runaway(
    plan: Plan,
    run: RunInterventions | None,
    x: FloatArray,
    step: Step,
    events: int,
    max_events: int | None,
) -> RunawayError:
    """The error for a run over its budget: events, or an ODE segment's evaluations."""
    values = run.state.values if run is not None else plan.values
    moves = _moves(plan, run, x)
    if step.status is Status.RUNAWAY:
        spent = f"the {plan.engine.name} solver took {step.detail} of its right-hand side"
        allow = "a stochastic engine (--engine tau)"
        return runaway(plan.model, values, x, step.t, spent, allow, moves)
    spent = f"{events:,} events, more than --max-events {max_events:,}"
    return runaway(plan.model, values, x, step.t, spent, "a larger --max-events", moves)


def _moves(plan: Plan, run: RunInterventions | None, x: FloatArray) -> dict[str, float]:
    """Each moving compartment's moves per unit time in the state ``x`` (none well mixed)."""
    if plan.setup is None:
        return {}
    world = plan.setup.world
    weight = run.state.weight if run is not None and run.state.weight is not None else world.weight
    out_weight = np.bincount(world.src, weights=weight, minlength=world.n_patches)
    X = x.reshape(world.n_patches, -1)
    return {
        c: float(rate * out_weight @ X[:, i])
        for i, c in enumerate(plan.model.compartments)
        if (rate := plan.setup.movement.get(c, 0.0)) > 0.0
    }


class RunInterventions:
    """The interventions' side of one run: what is due, what waits, and what they changed."""

    __slots__ = ("_stops", "compiled", "draws", "firings", "plan", "state", "timed", "waiting")

    def __init__(
        self,
        plan: Plan,
        x: FloatArray,
        draws: list[Draws],
        firings: Firings | None,
        t_end: float,
    ) -> None:
        ivs = plan.interventions
        self.plan, self.firings, self.compiled = plan, firings, plan.compiled
        self.timed = sorted(
            (t, i) for i, iv in enumerate(ivs) for t in iv.trigger.times if t <= t_end
        )
        self.waiting = list(plan.waiting)
        world = plan.setting.world
        weight = world.weight.copy() if world is not None else None
        X = x.reshape(-1, len(plan.model.compartments))  # a view: one row per patch
        self.state = RunState(X, dict(plan.values), plan.setting, weight)
        self.draws = draws
        self._stops: Stops | None = plan.stops  # the waiting conditions' rows, None: stale

    def fire(self, i: int, t: float) -> None:
        """Apply intervention ``i``'s actions, rebuild what they changed, record the firing."""
        X = self.state.X
        before = X.sum(axis=0) if self.firings is not None else None
        self.act(self.plan.interventions[i].actions, self.draws[i])
        if self.firings is not None and before is not None:
            if np.isnan(self.firings.time[i]):
                self.firings.time[i] = t
            self.firings.change[i] += X.sum(axis=0) - before

    def act(self, actions: Sequence[Action], draws: Draws) -> None:
        """Apply ``actions`` in order, then rebuild the rates or edge weights they changed."""
        state = self.state
        for action in actions:
            action.apply(state, draws)
        if state.rates_changed:
            self.compiled = self.compiled.with_rates(rate_constants(self.plan.model, state.values))
        if state.edges_changed:
            assert state.weight is not None
            self.compiled = self.compiled.with_edge_weights(state.weight)  # type: ignore[union-attr]
        state.rates_changed = state.edges_changed = False

    def fire_due(self, t: float) -> None:
        """Fire what is due at ``t``, then every waiting condition that holds, until none does."""
        while self.timed and self.timed[0][0] <= t:
            self.fire(self.timed.pop(0)[1], t)
        setting, fired = self.plan.setting, True
        while fired:
            fired = False
            for i in list(self.waiting):
                cond = self.plan.interventions[i].trigger.condition
                assert cond is not None
                if cond.holds(cond.total(self.state.X, setting.compartments, setting.world)):
                    self.waiting.remove(i)
                    self._stops = None
                    self.fire(i, t)
                    fired = True

    def fire_waiting(self, row: int, t: float) -> None:
        """Fire the waiting intervention whose condition, row ``row`` of :meth:`stops`, held."""
        self._stops = None
        self.fire(self.waiting.pop(row), t)

    def stops(self) -> Stops:
        """The conditions still waiting, in the order of :attr:`waiting`."""
        if self._stops is None:
            rows = [self.plan.waiting.index(i) for i in self.waiting]
            self._stops = self.plan.stops.rows(rows)
        return self._stops

    def next_stop(self, t_end: float) -> float:
        return min(self.timed[0][0], t_end) if self.timed else t_end


def run_path(
    model: Model,
    parameters: Mapping[str, float] | None,
    x0: FloatArray,
    times: FloatArray,
    interventions: Sequence[Intervention],
    engine: str | Engine,
    rng: np.random.Generator,
    progress: Progress | None = None,
    *,
    setup: WorldSetup | None = None,
    tags: Tags | None = None,
    firings: Firings | None = None,
) -> tuple[FloatArray, int]:
    """One run of ``model``: :meth:`Plan.build` then :func:`run_plan`, for a single call.

    Runs that share a model build the :class:`~hyosan.engines.plan.Plan` once
    and call :func:`run_plan` for each, as ``simulate`` does.
    """
    plan = Plan.build(
        model, parameters, engine, setup=setup, interventions=interventions, tags=tags
    )
    return run_plan(plan, x0, times, rng, progress=progress, firings=firings)
