"""Chunks: the unit of work that goes to a worker, and the count arrays it sends back.

An ensemble of ``n`` runs is cut into chunks of consecutive runs
(:func:`chunk_bounds`). A chunk carries the seeds of its runs and a
:class:`Shared` (the plan, the initial counts, the output times and the event
budget, the same for every chunk of the ensemble: a worker receives it once
and keeps it). It returns :class:`Paths`, the stacked count arrays of its runs,
never whole result objects. Run ``i`` runs from its own seed whatever chunk
holds it, so where a chunk runs changes no number.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import mmap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hyosan._cache import kernel_folder
from hyosan._files import locked, replacing
from hyosan._seeds import Seeds
from hyosan._typing import FloatArray
from hyosan.engines import Firings, Plan, run_plan

__all__ = [
    "MAX_CHUNK_RUNS",
    "Gather",
    "Paths",
    "Seeds",
    "Shared",
    "chunk_bounds",
    "counts_array",
    "run_chunk",
]

MAX_CHUNK_RUNS = 1000
"""The most runs in one chunk: a chunk of the school's runs takes about half a second."""

CHUNKS_PER_WORKER = 8
"""Chunks per worker at least: the last chunks balance the workers' loads."""


def chunk_bounds(runs: int, workers: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of each chunk of ``runs`` runs shared among ``workers``.

    At least :data:`CHUNKS_PER_WORKER` chunks per worker (where there are runs
    enough), and none of more than :data:`MAX_CHUNK_RUNS` runs.

    >>> chunk_bounds(10, 1)
    [(0, 1), (1, 2), (2, 3), (3, 5), (5, 6), (6, 7), (7, 8), (8, 10)]
    >>> len(chunk_bounds(100_000, 2)), chunk_bounds(3, 4)
    (100, [(0, 1), (1, 2), (2, 3)])
    """
    if runs <= 0:
        return []
    wanted = max(CHUNKS_PER_WORKER * max(workers, 1), math.ceil(runs / MAX_CHUNK_RUNS))
    n = min(wanted, runs)
    edges = [k * runs // n for k in range(n + 1)]  # sizes differ by one at most
    return list(itertools.pairwise(edges))


@dataclass(frozen=True, slots=True, eq=False)
class Shared:
    """What every chunk of one ensemble shares; sent to each worker once."""

    plan: Plan
    x0: FloatArray
    times: FloatArray
    max_events: int | None = None

    def needs_compiling(self) -> bool:
        return self.plan.needs_compiling()


@dataclass(frozen=True, slots=True, eq=False)
class Paths:
    """The runs of a chunk as arrays: counts ``(runs, times, width)``, events ``(runs,)``,
    and each intervention's first firing time ``(runs, k)`` and net change ``(runs, k, c)``."""

    counts: np.ndarray  # float64; a worker sends whole counts as a small integer type
    events: np.ndarray
    fired: FloatArray
    change: FloatArray

    @property
    def runs(self) -> int:
        return len(self.events)

    @classmethod
    def of(cls, runs: Sequence[tuple[FloatArray, int, Firings]]) -> Paths:
        return cls(
            np.stack([r[0] for r in runs]),
            np.array([r[1] for r in runs], dtype=np.int64),
            np.stack([r[2].time for r in runs]),
            np.stack([r[2].change for r in runs]),
        )

    def packed(self) -> Paths:
        """The same paths with whole counts in the smallest integer type that holds them
        exactly (what a worker sends back: a fraction of the bytes); :class:`Gather`
        makes them floats again, the same numbers."""
        c = self.counts
        if c.size == 0 or not np.all(np.isfinite(c)):
            return self
        low, high = float(c.min()), float(c.max())
        for kind in (np.uint8, np.uint16, np.int32):
            info = np.iinfo(kind)
            if info.min <= low and high <= info.max:
                small = c.astype(kind)
                if np.array_equal(small, c):
                    return Paths(small, self.events, self.fired, self.change)
                break
        return self

    def save(self, path: Path) -> None:
        """Write to ``path`` (``.npy`` arrays in one uncompressed ``.npz``), all or nothing."""
        with replacing(path) as tmp, open(tmp, "wb") as f:
            np.savez(f, **{f: getattr(self, f) for f in _FIELDS})

    @classmethod
    def load(cls, path: Path) -> Paths:
        with np.load(path, allow_pickle=False) as data:
            return cls(*(data[f] for f in _FIELDS))


_FIELDS = ("counts", "events", "fired", "change")

RunProgress = Callable[[int, float, int], None]
"""Called with (run index, time reached, events so far) as runs advance."""


class Gather:
    """An ensemble's chunks put together as they come in, in any order: each chunk's
    counts go at once into one float64 array (whole counts sent small become floats
    there), so nothing is left to copy when the last one comes in and each chunk's own
    arrays are freed as it arrives."""

    def __init__(self, sizes: Sequence[int]) -> None:
        self.starts = [0, *itertools.accumulate(sizes)]
        self.counts: np.ndarray | None = None
        self.small: dict[int, tuple[np.ndarray, FloatArray, FloatArray]] = {}
        self.taken = False

    def add(self, chunk: int, paths: Paths) -> None:
        if self.counts is None:
            self.counts = counts_array((self.starts[-1], *paths.counts.shape[1:]))
        a, b = self.starts[chunk], self.starts[chunk + 1]
        self.counts[a:b] = paths.counts
        self.small[chunk] = (paths.events, paths.fired, paths.change)

    @property
    def complete(self) -> bool:
        """Every chunk is in, and :meth:`paths` has not handed them over yet."""
        return not self.taken and len(self.small) == len(self.starts) - 1

    def paths(self) -> Paths:
        """All the chunks, in run order, handed over: the gather keeps none of them (a
        sweep's points do not pile up in memory)."""
        assert self.counts is not None and self.complete
        parts = [self.small[c] for c in range(len(self.small))]
        rest = (np.concatenate([p[k] for p in parts]) for k in range(3))
        out = Paths(self.counts, *rest)
        self.counts, self.small, self.taken = None, {}, True
        return out


SMALL_PAGES_FROM = 64 * 2**20
"""Bytes from which an ensemble's counts go in memory without transparent huge pages."""


def counts_array(shape: tuple[int, ...]) -> FloatArray:
    """An empty float64 array for an ensemble's counts; a large one is mapped without
    transparent huge pages.

    numpy asks the kernel for huge pages for every array of 4 MB and more. Where the
    memory is new to the machine (a virtual machine whose host backs each page
    as it is first written, and takes freed memory back), writing it that way costs
    2.3 to 3.0 ms a MB on this project's machine, against 1.0 to 1.3 ms a MB in small
    pages: 100,000 runs of the school are 926 MB of counts, written while the workers
    run, on the cores they run on. Read back, the two are as fast
    (``docs/design/distributed.md``).
    """
    size = math.prod(shape) * 8
    if size < SMALL_PAGES_FROM or not hasattr(mmap, "MADV_NOHUGEPAGE"):
        return np.empty(shape, np.float64)
    block = mmap.mmap(-1, size)
    block.madvise(mmap.MADV_NOHUGEPAGE)
    return np.frombuffer(block, np.float64).reshape(shape)  # freed with the array


def run_chunk(
    shared: Shared,
    start: int,
    seeds: Seeds | Sequence[np.random.SeedSequence],
    progress: RunProgress | None = None,
) -> Paths:
    """Runs ``start, start + 1, ...`` of an ensemble, one from each of ``seeds``.

    A kernel not yet compiled on this machine is compiled by one process at a
    time (:func:`_compiling_in_turn`): the others then load it from the cache.
    """
    runs = []
    for r, seed in enumerate(seeds.sequences() if isinstance(seeds, Seeds) else seeds):
        report = _for_run(progress, start + r)
        if r == 0 and shared.needs_compiling():
            with _compiling_in_turn():
                runs.append(_one(shared, seed, report))
        else:
            runs.append(_one(shared, seed, report))
    return Paths.of(runs)


def _one(
    shared: Shared, seed: np.random.SeedSequence, progress: Callable[[float, int], None] | None
) -> tuple[FloatArray, int, Firings]:
    p = shared.plan
    rng = np.random.Generator(np.random.PCG64(seed))
    firings = Firings.empty(len(p.interventions), len(p.model.compartments))
    out, events = run_plan(
        p,
        shared.x0,
        shared.times,
        rng,
        seed=seed,
        progress=progress,
        firings=firings,
        max_events=shared.max_events,
    )
    return out, events, firings


def _for_run(progress: RunProgress | None, i: int) -> Callable[[float, int], None] | None:
    if progress is None:
        return None
    report = progress
    return lambda t, events: report(i, t, events)


@contextlib.contextmanager
def _compiling_in_turn() -> Iterator[None]:
    """Hold the kernel cache folder's lock (when there is a folder): workers of one
    machine compile a kernel one at a time, and the later ones load it from the cache."""
    folder = kernel_folder()
    if folder is None:
        yield
        return
    with locked(folder):
        yield
