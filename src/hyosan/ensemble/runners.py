"""Where chunks run: in this process, on a :class:`concurrent.futures.Executor`, or on
a Dask cluster (a :class:`dask.distributed.Client`).

A runner takes the chunks of one or more ensembles (each a :class:`Task`) and
calls ``done(i, paths)`` in this process as each task finishes, in whatever
order they finish. On Dask, each ensemble's :class:`~hyosan.ensemble.chunks.Shared`
goes to every worker once, pickled to bytes (scattered with ``broadcast``, so
that a worker lost leaves copies on the others); a worker unpickles it
(loading its kernels) once, however many chunks it runs.
A worker lost in the middle of a chunk costs nothing but time: Dask runs the
chunk again elsewhere, from the same seeds. Dask is imported only when a
client is given.
"""

from __future__ import annotations

import collections
import os
import pickle
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from hyosan.ensemble.chunks import Paths, RunProgress, Seeds, Shared, run_chunk
from hyosan.errors import WorkersLost

__all__ = ["InProcess", "OnDask", "OnExecutor", "Runner", "Task", "runner_for"]


@dataclass(frozen=True, slots=True, eq=False)
class Task:
    """Runs ``start .. start + len(seeds) - 1`` of the ensemble that ``shared`` describes."""

    shared: Shared
    start: int
    seeds: Seeds | tuple[np.random.SeedSequence, ...]


Done = Callable[[int, Paths], None]
"""Called in this process with (task index, its paths) as each task finishes."""

Step = Callable[[int, int, float, int], None]
"""Called with (task index, run within the task, time reached, events so far) as runs
advance, by a runner that sees them (the one in this process)."""


class Runner(Protocol):
    """Runs tasks somewhere and reports each as it finishes."""

    @property
    def workers(self) -> int:
        """How many tasks can run at once (chunks are sized for it)."""
        ...

    def run(self, tasks: Iterable[Task], done: Done, step: Step | None) -> None:
        """Run ``tasks``, calling ``done`` as each finishes and ``step`` (where the runner
        sees them) as its runs advance. ``tasks`` may be an iterator: each task goes out
        as it is taken."""
        ...


class InProcess:
    """One task after another in this process: no start-up cost, progress within runs."""

    workers = 1

    def run(self, tasks: Iterable[Task], done: Done, step: Step | None) -> None:
        for i, task in enumerate(tasks):
            done(i, run_chunk(task.shared, task.start, task.seeds, _within(step, i, task.start)))


def _within(step: Step | None, i: int, start: int) -> RunProgress | None:
    if step is None:
        return None
    tell = step
    return lambda run, t, events: tell(i, run - start, t, events)


class OnExecutor:
    """Tasks on any :class:`concurrent.futures.Executor` (threads, processes, ...)."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor

    @property
    def workers(self) -> int:
        return int(getattr(self.executor, "_max_workers", 0) or os.cpu_count() or 1)

    def run(self, tasks: Iterable[Task], done: Done, step: Step | None) -> None:
        futures: dict[Future[Paths], int] = {}
        try:
            for i, t in enumerate(tasks):
                futures[self.executor.submit(_run_packed, t.shared, t.start, t.seeds)] = i
            for future in as_completed(futures):
                done(futures[future], future.result())
        finally:
            for future in futures:
                future.cancel()


def _run_packed(
    shared: Shared, start: int, seeds: Seeds | tuple[np.random.SeedSequence, ...]
) -> Paths:
    """:func:`run_chunk` in a worker: its counts go back packed (:meth:`Paths.packed`)."""
    return run_chunk(shared, start, seeds).packed()


_KEPT: collections.OrderedDict[str, Shared] = collections.OrderedDict()
"""In a worker process: the ensembles it has unpacked, by token (the last few)."""

KEEP = 4


def _run_shared(
    packed: bytes, token: str, start: int, seeds: Seeds | tuple[np.random.SeedSequence, ...]
) -> Paths:
    """A chunk in a Dask worker, from its ensemble's :class:`Shared` as pickled bytes.

    Each worker unpickles an ensemble once (its kernels by name, loaded from the
    cache) and keeps it for the ensemble's other chunks. The ensemble travels as
    bytes, never as an object: Dask would rebuild its arrays read-only from its
    network buffers, and numba compiles a kernel anew (20 s and more) for
    read-only arrays.
    """
    shared = _KEPT.get(token)
    if shared is None:
        shared = pickle.loads(packed)
        assert isinstance(shared, Shared)
        _KEPT[token] = shared
        while len(_KEPT) > KEEP:
            _KEPT.popitem(last=False)
    _KEPT.move_to_end(token)
    return run_chunk(shared, start, seeds).packed()


class OnDask:
    """Tasks on a Dask cluster through ``client``."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @property
    def workers(self) -> int:
        info = self.client.scheduler_info()
        threads = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values())
        return max(1, int(threads))

    def run(self, tasks: Iterable[Task], done: Done, step: Step | None) -> None:
        from dask.distributed import as_completed as dask_completed

        # each ensemble goes to every worker once, as bytes (see _run_shared)
        shared: dict[int, tuple[Future[Any], str]] = {}
        futures: dict[Any, int] = {}
        try:
            for i, t in enumerate(tasks):  # each goes out as it is taken
                if id(t.shared) not in shared:
                    packed = pickle.dumps(t.shared)
                    data = self.client.scatter(packed, broadcast=True, hash=False)
                    shared[id(t.shared)] = (data, uuid.uuid4().hex)
                on = shared[id(t.shared)]
                futures[self.client.submit(_run_shared, *on, t.start, t.seeds, pure=False)] = i
            for future in dask_completed(futures):
                paths = _outcome(future)
                done(futures[future], paths)
                future.release()  # its arrays leave the worker's memory
        finally:
            self.client.cancel([*futures, *(data for data, _ in shared.values())])


def _outcome(future: Any) -> Paths:
    """A finished chunk's paths; a chunk the cluster gave up is :class:`WorkersLost`."""
    from concurrent.futures import CancelledError

    from dask.distributed import KilledWorker

    try:
        paths: Paths = future.result()
    except KilledWorker as e:
        raise WorkersLost(
            "the Dask workers running a chunk of runs died each time it ran (out of "
            f"memory, or killed; the workers' own logs say which): {_first_line(e)}"
        ) from None
    except CancelledError as e:  # the scheduler went away: its futures are cancelled
        raise WorkersLost(f"the Dask scheduler went away mid-run: {_first_line(e)}") from None
    return paths


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:300]


def runner_for(executor: Executor | None, client: Any | None) -> Runner:
    """The runner for what ``simulate`` or ``sweep`` was given: a client, an executor or neither."""
    if client is not None and executor is not None:
        raise TypeError("give either an executor or a client, not both")
    if client is not None:
        return OnDask(client)
    if _is_dask_client(executor):  # a Client passed as the executor
        return OnDask(executor)
    if executor is not None:
        return OnExecutor(executor)
    return InProcess()


def _is_dask_client(obj: object) -> bool:
    return type(obj).__module__.startswith("distributed") and hasattr(obj, "scheduler_info")
