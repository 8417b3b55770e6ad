"""``simulate``: run a scenario once or many times and gather one :class:`Result`.

Runs go through a standard :class:`concurrent.futures.Executor` (serial when
none is given). Run ``i`` always gets the ``i``-th child of
``SeedSequence(seed)``, so the numbers do not depend on where it ran.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np

from hyosan._seeds import spawn_seeds
from hyosan._typing import FloatArray, SeedLike
from hyosan.engines import Engine, Firings, Plan, get_engine, run_plan
from hyosan.engines.runaway import default_max_events
from hyosan.ensemble.assemble import assemble
from hyosan.ensemble.cast import Cast
from hyosan.results import Result
from hyosan.scenario import Scenario
from hyosan.scenario.sizes import check_sizes

__all__ = ["simulate"]

RunProgress = Callable[[int, float, int], None]
"""Called with (run index, time reached, events so far) as runs advance."""


@dataclass(frozen=True, slots=True)
class _Job:
    """Everything one run needs; small and picklable for process and Dask executors."""

    plan: Plan
    x0: FloatArray
    times: FloatArray
    seed: np.random.SeedSequence
    max_events: int | None = None

    def __call__(
        self, progress: Callable[[float, int], None] | None = None
    ) -> tuple[FloatArray, int, Firings]:
        p = self.plan
        rng = np.random.Generator(np.random.PCG64(self.seed))
        firings = Firings.empty(len(p.interventions), len(p.model.compartments))
        out, events = run_plan(
            p,
            self.x0,
            self.times,
            rng,
            seed=self.seed,
            progress=progress,
            firings=firings,
            max_events=self.max_events,
        )
        return out, events, firings


def _for_run(progress: RunProgress | None, i: int) -> Callable[[float, int], None] | None:
    if progress is None:
        return None
    report = progress
    return lambda t, events: report(i, t, events)


def _call(job: _Job) -> tuple[FloatArray, int, Firings]:
    return job()


def simulate(
    scenario: Scenario,
    *,
    engine: str | Engine | None = None,
    seed: SeedLike = None,
    runs: int | None = None,
    executor: Executor | None = None,
    progress: RunProgress | None = None,
    compiling: Callable[[str], None] | None = None,
    max_events: int | None = None,
) -> Result:
    """Simulate ``scenario`` and return every run on its output grid.

    Parameters
    ----------
    scenario
        What to simulate (see :func:`hyosan.load_scenario`).
    engine
        ``"ode"``, ``"ssa"``, ``"tau"`` or an :class:`~hyosan.engines.Engine` (or the scenario's).
    seed
        An int, a ``SeedSequence``, a ``Generator`` or None (the scenario's
        seed, else a fresh one, recorded in the result).
    runs
        Number of runs (or the scenario's); the deterministic ODE always gives one.
    executor
        Where runs execute; default: one after another in this process.
    progress
        Called with (run, time, events) between segments of serial runs.
    compiling
        Called with the engine's name before the first run when its kernel
        must be compiled first (it is neither loaded nor in numba's cache).
    max_events
        The events one run may take (more: :class:`~hyosan.errors.RunawayError`);
        default :func:`~hyosan.engines.runaway.default_max_events`.

    Examples
    --------
    >>> import hyosan
    >>> result = hyosan.simulate(hyosan.load_scenario("sir"), engine="ode")
    >>> result.compartments
    ('S', 'I', 'R')
    """
    eng = get_engine(engine or scenario.engine, in_space=scenario.world is not None)
    n = 1 if not eng.stochastic else (runs if runs is not None else scenario.runs)
    if eng.integer_counts:  # a scenario written for the ODE may hold fractions
        scenario.check_integer_counts()
    check_sizes(scenario, runs=n, engine=eng.name)  # before a seed or a count is allocated
    recorded, seeds = spawn_seeds(seed if seed is not None else scenario.seed, n)
    resolved = scenario.replace(engine=eng.name, runs=n, seed=recorded if recorded >= 0 else None)
    cast = Cast.of(resolved)
    plan = cast.plan(resolved.parameters, eng)
    if compiling is not None and plan.needs_compiling():
        compiling(eng.name)
    budget = max_events if max_events is not None else default_max_events(float(cast.x0.sum()))
    jobs = [_Job(plan, cast.x0, resolved.time.times, s, budget) for s in seeds]
    if executor is None:
        paths = [job(_for_run(progress, i)) for i, job in enumerate(jobs)]
    else:
        paths = list(executor.map(_call, jobs))
    return assemble(resolved, cast, paths, seed=recorded)
