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
from hyosan.ensemble.assemble import assemble
from hyosan.ensemble.cast import Cast
from hyosan.errors import InputError
from hyosan.results import Result
from hyosan.scenario import Scenario

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

    def __call__(
        self, progress: Callable[[float, int], None] | None = None
    ) -> tuple[FloatArray, int, Firings]:
        p = self.plan
        rng = np.random.Generator(np.random.PCG64(self.seed))
        firings = Firings.empty(len(p.interventions), len(p.model.compartments))
        out, events = run_plan(
            p, self.x0, self.times, rng, seed=self.seed, progress=progress, firings=firings
        )
        return out, events, firings


def _for_run(progress: RunProgress | None, i: int) -> Callable[[float, int], None] | None:
    if progress is None:
        return None
    report = progress
    return lambda t, events: report(i, t, events)


def _call(job: _Job) -> tuple[FloatArray, int, Firings]:
    return job()


def _check_memory(scenario: Scenario, runs: int, n_comps: int) -> None:
    """Refuse, before any work, a result that cannot fit in this machine's memory.

    Every run's counts on the output grid are kept (``runs * times * patches *
    compartments`` float64, held about twice while the result is assembled).
    """
    import os

    patches = scenario.world.world.n_patches if scenario.world is not None else 1
    need = 2 * 8 * runs * scenario.time.points * patches * n_comps
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not every platform says
        return
    if need > 0.8 * total:
        raise InputError(
            f"the result would need about {need / 2**30:.1f} GiB of memory "
            f"(runs x output times x patches x compartments), more than this machine's "
            f"{total / 2**30:.1f} GiB allows",
            source=scenario.source,
            key="time.points",
            value=scenario.time.points,
            allowed="fewer output times (time.points), fewer runs, or a coarser world "
            '(cell = "10km")',
        )


def simulate(
    scenario: Scenario,
    *,
    engine: str | Engine | None = None,
    seed: SeedLike = None,
    runs: int | None = None,
    executor: Executor | None = None,
    progress: RunProgress | None = None,
    compiling: Callable[[str], None] | None = None,
) -> Result:
    """Simulate ``scenario`` and return every run on its output grid.

    Parameters
    ----------
    scenario
        What to simulate (see :func:`hyosan.load_scenario`).
    engine
        ``"ode"``, ``"ssa"``, ``"tau"`` or an :class:`~hyosan.engines.Engine`;
        default: the scenario's.
    seed
        An int, a ``SeedSequence``, a ``Generator`` or None (the scenario's
        seed, else a fresh one, recorded in the result).
    runs
        Number of runs; default: the scenario's. The ODE is deterministic
        and always gives one run.
    executor
        Where runs execute; default: one after another in this process.
    progress
        Called with (run, time, events) between segments of serial runs.
    compiling
        Called with the engine's name before the first run when its kernel
        must be compiled first (it is neither loaded nor in numba's cache).

    Examples
    --------
    >>> import hyosan
    >>> result = hyosan.simulate(hyosan.load_scenario("sir"), engine="ode")
    >>> result.compartments
    ('S', 'I', 'R')
    """
    in_space = scenario.world is not None
    eng = get_engine(engine if engine is not None else scenario.engine, in_space=in_space)
    if eng.integer_counts:
        scenario.check_integer_counts()
    n = 1 if not eng.stochastic else (runs if runs is not None else scenario.runs)
    recorded, seeds = spawn_seeds(seed if seed is not None else scenario.seed, n)
    resolved = scenario.replace(engine=eng.name, runs=n, seed=recorded if recorded >= 0 else None)
    cast = Cast.of(resolved)
    _check_memory(resolved, n, len(cast.model.compartments))
    plan = cast.plan(resolved.parameters, eng)
    if compiling is not None and plan.needs_compiling():
        compiling(eng.name)
    jobs = [_Job(plan, cast.x0, resolved.time.times, s) for s in seeds]
    if executor is None:
        paths = [job(_for_run(progress, i)) for i, job in enumerate(jobs)]
    else:
        paths = list(executor.map(_call, jobs))
    return assemble(resolved, cast, paths, seed=recorded)
