"""Ensembles prepared once, cut into chunks, run by a runner, folded back into results.

:class:`Ensemble` is what ``simulate`` prepares for one scenario (the engine
chosen, the seeds spawned, the plan built); :func:`run_ensembles` runs the
chunks of one or more ensembles on a runner (:mod:`hyosan.ensemble.runners`),
skipping the chunks a :class:`ChunkStore` already holds and saving those that
finish, and hands each ensemble's runs, in run order, to ``finished`` once all
its chunks are in. A sweep runs all its grid points this way at once, so
the workers never wait for a point to finish.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from hyosan._seeds import spawn_seeds
from hyosan._typing import SeedLike
from hyosan.engines import Engine, get_engine
from hyosan.engines.runaway import default_max_events
from hyosan.ensemble.assemble import assemble
from hyosan.ensemble.cast import Cast
from hyosan.ensemble.chunks import Gather, Paths, Seeds, Shared, chunk_bounds
from hyosan.ensemble.runners import Runner, Task
from hyosan.results import Result
from hyosan.scenario import Scenario
from hyosan.scenario.sizes import check_sizes

__all__ = ["ChunkStore", "Ensemble", "Progress", "Tally", "run_ensembles", "shifted"]

Progress = Callable[[float, float, int], None]
"""Called with (runs done, runs in all, events so far); a run under way counts by the
share of its time span it has reached."""


@dataclass(frozen=True, slots=True, eq=False)
class Ensemble:
    """One scenario's runs, ready to run: build one with :meth:`prepare`."""

    resolved: Scenario
    cast: Cast
    shared: Shared
    seeds: Sequence[np.random.SeedSequence]  # a Seeds: each made only when asked for
    recorded: int

    @classmethod
    def prepare(
        cls,
        scenario: Scenario,
        *,
        engine: str | Engine | None = None,
        seed: SeedLike = None,
        runs: int | None = None,
        max_events: int | None = None,
    ) -> Ensemble:
        """Choose the engine, check the sizes, spawn the seeds and build the plan."""
        eng, n = cls.check(scenario, engine, runs)  # before a seed or a count is allocated
        recorded, seeds = spawn_seeds(seed if seed is not None else scenario.seed, n)
        resolved = scenario.replace(
            engine=eng.name, runs=n, seed=recorded if recorded >= 0 else None
        )
        cast = Cast.of(resolved)
        plan = cast.plan(resolved.parameters, eng)
        budget = max_events if max_events is not None else default_max_events(float(cast.x0.sum()))
        shared = Shared(plan, cast.x0, resolved.time.times, budget)
        return cls(resolved, cast, shared, seeds, recorded)

    @staticmethod
    def check(
        scenario: Scenario, engine: str | Engine | None = None, runs: int | None = None
    ) -> tuple[Engine, int]:
        """The engine and the number of runs (one for a deterministic engine) that
        :meth:`prepare` would use, once the counts suit the engine and the result fits
        in memory: what can be refused, refused without preparing anything."""
        if not isinstance(engine, Engine):
            engine = get_engine(engine or scenario.engine, in_space=scenario.world is not None)
        n = 1 if not engine.stochastic else (runs if runs is not None else scenario.runs)
        if engine.integer_counts:  # a scenario written for the ODE may hold fractions
            scenario.check_integer_counts()
        check_sizes(scenario, runs=n, engine=engine.name)
        return engine, n

    @property
    def runs(self) -> int:
        return len(self.seeds)

    def needs_compiling(self) -> bool:
        return self.shared.needs_compiling()

    def tasks(self, bounds: Sequence[tuple[int, int]]) -> list[Task]:
        return [Task(self.shared, a, Seeds.of(self.seeds[a:b])) for a, b in bounds]

    def result(self, paths: Paths) -> Result:
        """The :class:`Result` of all the runs, ``paths`` in run order."""
        return assemble(self.resolved, self.cast, paths, seed=self.recorded)


class ChunkStore(Protocol):
    """Where finished chunks are kept, so that a stopped run can go on (``--resume``)."""

    def begin(
        self, ensembles: Sequence[Ensemble], proposed: list[list[tuple[int, int]]]
    ) -> list[list[tuple[int, int]]]:
        """Before any run: the chunks of each ensemble, those stored before (after checking
        that the ensembles are those stored), else ``proposed`` (stored)."""
        ...

    def load(self, ensemble: int, chunk: int) -> Paths | None: ...

    def save(self, ensemble: int, chunk: int, paths: Paths) -> None: ...


class Tally:
    """Counts runs and events for a :data:`Progress`: chunks as they finish, and the
    chunk under way in this process (when the runner reports it) by the time its run reached."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = float(total)
        self.runs, self.events = 0, 0  # in finished chunks
        self._now = (-1, -1, 0)  # task, run within it, events of its earlier runs
        self._part = (0.0, 0)  # runs and events of the chunk under way

    def step(self, task: int, run: int, share: float, events: int) -> None:
        """Run ``run`` of task ``task`` has done ``share`` of its span, with ``events``."""
        t0, r0, before = self._now
        if (task, run) != (t0, r0):
            before = self._part[1] if task == t0 else 0  # the run before ended there
            self._now = (task, run, before)
        self._part = (run + share, before + events)
        self._tell()

    def finished(self, paths: Paths) -> None:
        self.runs += paths.runs
        self.events += int(paths.events.sum())
        self._now, self._part = (-1, -1, 0), (0.0, 0)
        self._tell()

    def _tell(self) -> None:
        if self.progress is not None:
            done = min(self.runs + self._part[0], self.total)
            self.progress(done, self.total, self.events + self._part[1])


def shifted(progress: Progress | None, before: int) -> Progress | None:
    """``progress`` counting ``before`` runs (finished earlier: kept parts) as done."""
    if progress is None:
        return None
    tell = progress
    return lambda done, total, events: tell(before + done, before + total, events)


def run_ensembles(
    ensembles: Iterable[Ensemble],
    runner: Runner,
    finished: Callable[[int, Paths], None],
    *,
    store: ChunkStore | None = None,
    progress: Progress | None = None,
    total: int | None = None,
) -> None:
    """Run every ensemble's chunks (:func:`~hyosan.ensemble.chunks.chunk_bounds`, or the
    ``store``'s) on ``runner``; ``finished(e, paths)`` gets ensemble ``e``'s runs, in run
    order, once all its chunks are in. ``ensembles`` may be an iterator that prepares
    each when asked (a sweep's points): an ensemble's chunks go out before the next is
    taken, so the workers start while this process prepares the rest; ``total`` then
    gives the runs in all."""
    workers = runner.workers
    planned: list[list[tuple[int, int]]] | None = None
    if store is not None or total is None:
        ensembles = list(ensembles)
        total = sum(e.runs for e in ensembles)
        bounds = [chunk_bounds(e.runs, workers) for e in ensembles]
        planned = store.begin(ensembles, bounds) if store is not None else bounds
    tally = Tally(progress, total)
    taken: list[Ensemble] = []
    got: list[Gather] = []
    where: list[tuple[int, int]] = []  # task -> (ensemble, chunk)

    def complete(e: int) -> None:
        if got[e].complete:
            finished(e, got[e].paths())

    def tasks() -> Iterator[Task]:
        for e, ens in enumerate(ensembles):
            chunks = planned[e] if planned is not None else chunk_bounds(ens.runs, workers)
            taken.append(ens)
            got.append(Gather([b - a for a, b in chunks]))
            for c, task in enumerate(ens.tasks(chunks)):
                kept = store.load(e, c) if store is not None else None
                if kept is None:
                    where.append((e, c))
                    yield task
                else:
                    got[e].add(c, kept)
                    tally.finished(kept)
            complete(e)  # when all its chunks were kept

    def done(i: int, paths: Paths) -> None:
        e, c = where[i]
        if store is not None:
            store.save(e, c, paths)
        got[e].add(c, paths)
        tally.finished(paths)
        complete(e)

    def step(i: int, run: int, t: float, events: int) -> None:
        end = taken[where[i][0]].resolved.time.end
        tally.step(i, run, t / end if end > 0 else 1.0, events)

    runner.run(tasks(), done, step if progress is not None else None)
