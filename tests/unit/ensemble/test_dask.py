"""Runs on a real Dask cluster give the numbers of the runs in this process, to the bit.

Well mixed and in space, exact, tau-leaping and ODE, with characters and
interventions; a sweep's table too; and a worker killed in the middle of a
chunk costs nothing but time.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any

import numpy as np
import pytest
import xarray as xr

import hyosan
from hyosan.ensemble.sweep import Axis, sweep

CASES = [
    ("sir", "ssa", 30),
    ("sir", "tau", 30),
    ("sir", "ode", 1),
    ("school", "ssa", 40),  # interventions, milestones
    ("hyosan-school", "ssa", 6),  # rooms, characters, interventions
    ("hyosan-school", "tau", 6),
    ("hyosan-school", "ode", 1),
    ("season2", "tau", 3),  # the city, hybrids, strikes
]


def _scenario(name: str) -> hyosan.Scenario:
    """A built-in scenario; season2 cut to its first 10 days (its seven characters make
    a 30-day run take about 4 s: these tests are about where runs go, not how long)."""
    scenario = hyosan.load_scenario(name)
    if name == "season2":
        scenario = hyosan.set_keys(scenario, [("time.end", 240.0), ("time.points", 81)])
    return scenario


@pytest.mark.parametrize("name, engine, runs", CASES, ids=[f"{n}-{e}" for n, e, _ in CASES])
def test_a_cluster_gives_the_numbers_of_this_process(
    dask_client: Any, name: str, engine: str, runs: int
) -> None:
    scenario = _scenario(name)
    here = hyosan.simulate(scenario, engine=engine, runs=runs, seed=11)
    there = hyosan.simulate(scenario, engine=engine, runs=runs, seed=11, client=dask_client)
    xr.testing.assert_identical(here.dataset, there.dataset)
    assert there.runs == runs


_TRIM_GIVEN = os.environ.get("MALLOC_TRIM_THRESHOLD_")
"""As the tests started: Dask writes its own value into the environment of a process that
starts workers with it, and leaves it there."""


def _environ(names: tuple[str, ...]) -> dict[str, str | None]:
    return {name: os.environ.get(name) for name in names}


def test_local_workers_keep_glibcs_own_trim_threshold(dask_client: Any) -> None:
    """hyosan's local workers start without Dask's ``MALLOC_TRIM_THRESHOLD_=65536`` (which
    makes each chunk's arrays new memory, page faults and all) and with the rest of
    Dask's start-up environment (one thread for the maths libraries)."""
    names = ("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS")
    seen = list(dask_client.run(_environ, names).values())
    assert len(seen) == 2
    ours = _TRIM_GIVEN  # one set in the environment would still win
    assert all(w == {"MALLOC_TRIM_THRESHOLD_": ours, "OMP_NUM_THREADS": "1"} for w in seen)


def test_a_client_passed_as_the_executor_is_used_as_a_client(dask_client: Any) -> None:
    scenario = hyosan.load_scenario("sir")
    here = hyosan.simulate(scenario, runs=5, seed=2)
    there = hyosan.simulate(scenario, runs=5, seed=2, executor=dask_client)
    np.testing.assert_array_equal(here.counts, there.counts)


def test_a_sweep_on_a_cluster_gives_the_same_table(dask_client: Any) -> None:
    scenario = hyosan.load_scenario("school")
    axes = [Axis("parameters.beta", (0.5, 2.0)), Axis("runs", (7, 12))]
    kw: dict[str, Any] = {"outbreak": "Z >= 5", "seed": 4}
    here = sweep(scenario, axes, **kw)
    there = sweep(scenario, axes, client=dask_client, **kw)
    assert here.equals(there) and list(there["runs"]) == [7, 12, 7, 12]


def test_progress_counts_every_run_once(dask_client: Any) -> None:
    seen: list[tuple[float, float, int]] = []
    result = hyosan.simulate(
        hyosan.load_scenario("school"),
        runs=50,
        seed=3,
        client=dask_client,
        progress=lambda *a: seen.append(a),
    )
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and seen[-1][:2] == (50.0, 50.0)
    assert seen[-1][2] == int(result.dataset["events"].sum())


def _listen() -> None:
    """On a worker: record what numba compiles from now on."""
    from numba.core import event

    recorder = event.RecordingListener()
    event.register("numba:compile", recorder)
    event._hyosan_recorder = recorder  # type: ignore[attr-defined]


def _compiled() -> list[str]:
    """On a worker: the kernels numba compiled since :func:`_listen`."""
    from numba.core import event

    recorder = event._hyosan_recorder  # type: ignore[attr-defined]
    return [str(e[1].data.get("dispatcher")) for e in recorder.buffer if e[1].is_start]


@pytest.mark.parametrize("name, engine", [("school", "ssa"), ("season2", "tau")])
def test_new_workers_load_the_kernels_from_the_cache(name: str, engine: str) -> None:
    """Each worker loads the kernels compiled on this machine, however the ensemble
    reached it. (numba pickles a kernel by value, and a copy compiles again in every
    new process; Dask rebuilds arrays read-only, and numba compiles again for those:
    20 s and more each time.)"""
    from hyosan.ensemble.cluster import local_cluster

    scenario = _scenario(name)
    hyosan.simulate(scenario, engine=engine, runs=1, seed=0)  # compiled or loaded here
    with local_cluster(2) as client:  # new worker processes
        client.run(_listen)
        hyosan.simulate(scenario, engine=engine, runs=4, seed=1, client=client)
        compiled = client.run(_compiled)
    assert list(compiled.values()) == [[], []]


def test_a_worker_killed_mid_chunk_loses_nothing() -> None:
    """SIGKILL a worker while it runs a chunk: Dask runs the chunk again on a new
    worker, from the same seeds, and the result is the one of this process."""
    from hyosan.ensemble.cluster import local_cluster

    scenario = _scenario("season2")
    here = hyosan.simulate(scenario, runs=6, seed=5)
    started = threading.Event()
    with local_cluster(2) as client:
        victims = list(client.run(os.getpid).values())
        result: list[Any] = []

        def work() -> None:
            result.append(
                hyosan.simulate(
                    scenario, runs=6, seed=5, client=client, progress=lambda *_: started.set()
                )
            )

        worker = threading.Thread(target=work)
        worker.start()
        assert started.wait(120), "no chunk finished"
        time.sleep(0.3)  # a chunk takes about a second: the workers are in the middle of one
        os.kill(victims[0], signal.SIGKILL)
        worker.join(300)
        assert not worker.is_alive()
        assert victims[0] not in client.run(os.getpid).values()  # it was replaced
    xr.testing.assert_identical(here.dataset, result[0].dataset)
