"""``simulate``: run a scenario once or many times and gather one :class:`Result`.

Runs go out in chunks (:mod:`hyosan.ensemble.chunks`) to a runner
(:mod:`hyosan.ensemble.runners`): this process by default, any
:class:`concurrent.futures.Executor`, or a Dask cluster through its
``Client``. Run ``i`` always gets the ``i``-th child of ``SeedSequence(seed)``,
so the numbers do not depend on where it ran.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from hyosan._typing import SeedLike
from hyosan.engines import Engine
from hyosan.ensemble.bar import showing
from hyosan.ensemble.batch import ChunkStore, Ensemble, Progress, run_ensembles
from hyosan.ensemble.chunks import Paths
from hyosan.ensemble.runners import runner_for
from hyosan.results import Result
from hyosan.scenario import Scenario

__all__ = ["simulate"]


def simulate(
    scenario: Scenario,
    *,
    engine: str | Engine | None = None,
    seed: SeedLike = None,
    runs: int | None = None,
    executor: Executor | None = None,
    client: Any | None = None,
    progress: Progress | bool | None = None,
    compiling: Callable[[str], None] | None = None,
    max_events: int | None = None,
    store: ChunkStore | None = None,
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
    executor, client
        Where runs execute: a :class:`concurrent.futures.Executor` or a
        :class:`dask.distributed.Client` (not both); default: one after another in
        this process. The numbers are the same wherever they run.
    progress
        Called with (runs done, runs in all, events so far) as runs advance
        (within a run only when runs go one after another in this process), or
        True: a bar in a notebook's output, or on stderr in a terminal (:mod:`.bar`).
    compiling
        Called with the engine's name before the first run when its kernel
        must be compiled first (it is neither loaded nor in numba's cache).
    max_events
        The events one run may take (more: :class:`~hyosan.errors.RunawayError`);
        default :func:`~hyosan.engines.runaway.default_max_events`.
    store
        Where finished chunks of runs are kept and found again
        (:class:`hyosan.io.parts.Parts`, for ``--resume``).

    Examples
    --------
    >>> import hyosan
    >>> result = hyosan.simulate(hyosan.load_scenario("sir"), engine="ode")
    >>> result.compartments
    ('S', 'I', 'R')
    """
    ens = Ensemble.prepare(scenario, engine=engine, seed=seed, runs=runs, max_events=max_events)
    runner = runner_for(executor, client)
    gathered: list[Paths] = []
    with showing(progress, compiling, _label(ens)) as (tell, say_compiling):
        if say_compiling is not None and ens.needs_compiling():
            say_compiling(ens.resolved.engine)
        run_ensembles([ens], runner, lambda _e, p: gathered.append(p), store=store, progress=tell)
    return ens.result(gathered[0])


def _label(ens: Ensemble) -> str:
    """What a progress bar calls the runs: the scenario and the engine."""
    return f"{ens.resolved.name} ({ens.resolved.engine})"
