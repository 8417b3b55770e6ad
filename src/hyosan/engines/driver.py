"""The driver: one run of one engine, cut into segments at interventions.

Order of one run:

1. Compile the model's rate constants for the run's parameter values.
2. At the current time, apply every intervention due at that time, then every
   conditional intervention whose condition holds (each fires once).
3. Advance the engine to the next intervention time (or the end), stopping
   early if a pending condition becomes true or the work budget runs out
   (then report progress and go on).
4. Repeat from 2 until the end time; the grid times at the end receive the
   final state.

In space (``setup`` given) the state holds ``P * C`` counts, patch by patch;
conditions apply to the totals over patches (or over a region's patches),
impulses to every patch, and
cordons, lockdowns, barricades, camps and strikes to the patches they select.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from hyosan._typing import FloatArray
from hyosan.engines._kernels import BUDGET, CONDITION, REACHED
from hyosan.engines.base import Conditions, Engine
from hyosan.errors import EngineError
from hyosan.interventions import Intervention, apply_intervention
from hyosan.interventions.space import close_edges, evacuate, strike
from hyosan.model import CompiledModel, Model, compile_model, rate_constants
from hyosan.space import CompiledSpace, WorldSetup, compile_space

__all__ = ["Firings", "run_path"]

Progress = Callable[[float, int], None]
"""Called between segments with the current time and the events so far."""


@dataclass(frozen=True, slots=True)
class Firings:
    """What each intervention of one run did: when it first fired, and what it changed.

    ``time[i]`` is the first time intervention ``i`` fired (NaN if it never
    did); ``change[i, c]`` the net change of compartment ``c``'s world total
    over all its firings (a strike's toll shows as the losses of the living
    and the dead's gain; moving people between patches changes no total).
    """

    time: FloatArray
    change: FloatArray

    @classmethod
    def empty(cls, n_interventions: int, n_compartments: int) -> Firings:
        return cls(np.full(n_interventions, np.nan), np.zeros((n_interventions, n_compartments)))


def run_path(
    model: Model,
    parameters: Mapping[str, float],
    x0: FloatArray,
    times: FloatArray,
    interventions: tuple[Intervention, ...],
    engine: Engine,
    rng: np.random.Generator,
    progress: Progress | None = None,
    compiled: CompiledModel | CompiledSpace | None = None,
    setup: WorldSetup | None = None,
    firings: Firings | None = None,
) -> tuple[FloatArray, int]:
    """Simulate one path; return counts on the grid ``(len(times), P * C)`` and the event count.

    ``compiled`` is ``compile_model(model, parameters)`` (in space, the
    :func:`~hyosan.space.compile_space` of it) when the caller has it already
    (an ensemble compiles once for all its runs). Without a world ``P`` is 1.
    ``firings``, when given, is filled with what each intervention did.
    """
    comps = model.compartments
    values = dict(parameters)
    cm: CompiledModel | CompiledSpace
    if compiled is not None:
        cm = compiled
    elif setup is None:
        cm = compile_model(model, values)
    else:
        cm = space_of(model, compile_model(model, values), setup)
    x = np.array(x0, dtype=np.float64).ravel()
    X = x.reshape(-1, len(comps))  # a view: one row per patch
    world = setup.world if setup is not None else None
    weight = world.weight.copy() if world is not None else None
    out = np.empty((len(times), len(x)))
    t_end = float(times[-1])
    timed: list[tuple[float, int]] = []
    waiting: list[int] = []
    if interventions:  # (a run without them, at N = 1e3, is about 60 us: skip the work)
        timed = sorted((t, i) for i, iv in enumerate(interventions) for t in iv.at if t <= t_end)
        waiting = [i for i, iv in enumerate(interventions) if iv.when is not None]

    def take(count: float, fraction: float) -> float:
        return engine.remove(count, fraction, rng)

    def fire(i: int) -> None:
        nonlocal cm
        iv = interventions[i]
        before = X.sum(axis=0) if firings is not None else None
        changed = any([apply_intervention(iv, row, values, comps, take) for row in X])
        if changed:
            cm = cm.with_rates(rate_constants(model, values))
        if setup is not None and iv.in_space:
            assert isinstance(cm, CompiledSpace) and weight is not None
            assert world is not None
            for kind, sel in iv.edge_actions:
                close_edges(kind, sel.resolve(world), world, weight)
            if iv.edge_actions:
                cm = cm.with_edge_weights(weight)
            if iv.camp is not None:
                to = world.index(iv.camp.to)
                evacuate(iv.camp, iv.camp.patches.resolve(world), to, X, comps, model.zombies, take)
            if iv.strike is not None:
                strike(iv.strike.resolve(world), X, comps)
        if firings is not None:
            if np.isnan(firings.time[i]):
                firings.time[i] = t
            firings.change[i] += X.sum(axis=0) - before

    t, i_out, events = 0.0, 0, 0
    while True:
        while timed and timed[0][0] <= t:
            fire(timed.pop(0)[1])
        fired = True
        while fired:
            fired = False
            for i in list(waiting):
                cond = interventions[i].when
                assert cond is not None
                if cond.holds(cond.total(X, comps, world)):
                    waiting.remove(i)
                    fire(i)
                    fired = True
        if t >= t_end:
            break
        t_stop = min(timed[0][0], t_end) if timed else t_end
        pending = [interventions[i].when for i in waiting]
        conds = Conditions.build(pending, comps, world)  # type: ignore[arg-type]
        step = engine.advance(x, t, t_stop, cm, conds, times, out, i_out, rng)
        t, i_out, events = step.t, step.i_out, events + step.events
        if step.status == CONDITION:
            fire(waiting.pop(step.condition))
        elif step.status == REACHED:
            t = t_stop
        elif step.status != BUDGET:
            raise EngineError(f"the {engine.name} engine stopped with status {step.status}")
        if progress is not None:
            progress(t, events)
    if i_out < len(times):
        out[i_out:] = x
    return out, events


def space_of(model: Model, compiled: CompiledModel, setup: WorldSetup) -> CompiledSpace:
    """The compiled model in the setup's world, with its movement rates and coupling."""
    return compile_space(model, compiled, setup.world, setup.movement, coupling=setup.coupling)
