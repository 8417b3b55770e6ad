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
from hyosan.engines import Engine, get_engine, run_path
from hyosan.engines.driver import Firings, space_of
from hyosan.ensemble.cast import Cast, watched
from hyosan.errors import InputError
from hyosan.interventions import Intervention
from hyosan.model import CompiledModel, compile_model
from hyosan.results import Result
from hyosan.results.tracks import with_characters, with_firings, with_milestones
from hyosan.scenario import Scenario, scenario_to_toml
from hyosan.space import CompiledSpace

__all__ = ["simulate"]

RunProgress = Callable[[int, float, int], None]
"""Called with (run index, time reached, events so far) as runs advance."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """What every run of one ensemble shares, prepared once."""

    scenario: Scenario
    cast: Cast
    engine: Engine
    compiled: CompiledModel | CompiledSpace
    times: FloatArray


@dataclass(frozen=True, slots=True)
class _Job:
    """Everything one run needs; small and picklable for process and Dask executors."""

    plan: _Plan
    seed: np.random.SeedSequence

    def __call__(
        self, progress: Callable[[float, int], None] | None = None
    ) -> tuple[FloatArray, int, Firings]:
        p, c = self.plan, self.plan.cast
        rng = np.random.Generator(np.random.PCG64(self.seed))
        firings = Firings.empty(len(c.interventions), len(c.model.compartments))
        out, events = run_path(
            c.model,
            p.scenario.parameters,
            c.x0,
            p.times,
            c.interventions,
            p.engine,
            rng,
            progress,
            compiled=p.compiled,
            setup=c.setup,
            firings=firings,
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

    Examples
    --------
    >>> import hyosan
    >>> result = hyosan.simulate(hyosan.load_scenario("sir"), engine="ode")
    >>> result.compartments
    ('S', 'I', 'R')
    """
    eng = get_engine(engine if engine is not None else scenario.engine)
    if eng.integer_counts:
        scenario.check_integer_counts()
    n = 1 if not eng.stochastic else (runs if runs is not None else scenario.runs)
    recorded, seeds = spawn_seeds(seed if seed is not None else scenario.seed, n)
    resolved = scenario.replace(engine=eng.name, runs=n, seed=recorded if recorded >= 0 else None)
    cast = Cast.of(resolved)
    _check_memory(resolved, n, len(cast.model.compartments))
    well_mixed = compile_model(cast.model, resolved.parameters)
    compiled: CompiledModel | CompiledSpace = well_mixed
    if cast.setup is not None:
        compiled = space_of(cast.model, well_mixed, cast.setup)
    plan = _Plan(resolved, cast, eng, compiled, resolved.time.times)
    jobs = [_Job(plan, s) for s in seeds]
    if executor is None:
        paths = [job(_for_run(progress, i)) for i, job in enumerate(jobs)]
    else:
        paths = list(executor.map(_call, jobs))
    model = resolved.model
    world = resolved.world.world if resolved.world is not None else None
    stacked = np.stack([p[0] for p in paths])  # (runs, times, patches * compartments)
    per_patch, states, where = cast.fold(stacked, world.n_patches if world is not None else 1)
    fields = per_patch.transpose(0, 1, 3, 2) if world is not None else None
    counts = per_patch.sum(axis=2)
    result = Result.from_arrays(
        counts,
        resolved.time.times,
        model.compartments,
        events=np.array([p[1] for p in paths], dtype=np.int64),
        engine=eng.name,
        seed=recorded,
        scenario_name=resolved.name,
        model=model.name,
        humans=model.humans,
        zombies=model.zombies,
        time_unit=resolved.time.unit,
        scenario_toml=scenario_to_toml(resolved),
        fields=fields,
        world=world,
    )
    n_iv = len(resolved.interventions)
    fired = np.stack([p[2].time for p in paths]) if paths else np.zeros((0, 0))
    if n_iv:
        change = cast.fold_change(np.stack([p[2].change[:n_iv] for p in paths]))
        names = intervention_names(resolved.interventions)
        result = with_firings(result, names, fired[:, :n_iv], change)
    moments = watched(resolved)
    if moments:
        result = with_milestones(result, [text for text, _ in moments], fired[:, n_iv:])
    if states is not None:
        names = [c.name for c in resolved.characters]
        result = with_characters(result, names, states, where, model.surviving)
    return result


def intervention_names(interventions: tuple[Intervention, ...]) -> list[str]:
    """A unique label for each intervention: its name, else ``intervention N``."""
    names: list[str] = []
    for i, iv in enumerate(interventions):
        name = iv.name or f"intervention {i + 1}"
        names.append(name if name not in names else f"{name} ({i + 1})")
    return names
