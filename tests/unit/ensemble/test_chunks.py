"""Chunks: how runs are cut up, the seeds they carry, and the arrays they send back."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import hyosan
from hyosan._seeds import spawn_seeds
from hyosan.ensemble import chunks
from hyosan.ensemble.batch import Ensemble, run_ensembles
from hyosan.ensemble.chunks import (
    MAX_CHUNK_RUNS,
    SMALL_PAGES_FROM,
    Gather,
    Paths,
    Seeds,
    chunk_bounds,
    counts_array,
    run_chunk,
)
from hyosan.ensemble.runners import InProcess


@given(st.integers(0, 300_000), st.integers(1, 64))
def test_chunks_cover_every_run_once_in_order(runs: int, workers: int) -> None:
    bounds = chunk_bounds(runs, workers)
    starts = [a for a, _ in bounds]
    assert [b for _, b in bounds][:-1] == starts[1:]  # back to back
    assert (starts[:1] == [0]) == (runs > 0) and (bounds[-1][1] if bounds else 0) == runs
    assert all(0 < b - a <= MAX_CHUNK_RUNS for a, b in bounds)
    assert len(bounds) >= min(runs, 8 * workers)  # enough to balance the workers


@pytest.mark.parametrize("seed", [0, 12345, 2**63 - 1])
def test_seeds_travel_as_a_few_numbers_and_come_back_the_same(seed: int) -> None:
    children = np.random.SeedSequence(seed).spawn(50)
    packed = Seeds.of(children[10:40])
    assert isinstance(packed, Seeds)
    for a, b in zip(packed.sequences(), children[10:40], strict=True):
        assert a.generate_state(4).tolist() == b.generate_state(4).tolist()


@pytest.mark.parametrize("seed", [0, 2026, 2**63 - 1])
def test_an_int_seed_spawns_no_object_until_a_run_asks(seed: int) -> None:
    """spawn_seeds(int, n) is a Seeds: run i's child (indexing, from either end, slicing,
    iterating) is SeedSequence(seed).spawn(n)[i], made when asked for."""
    recorded, lazy = spawn_seeds(seed, 100_000)
    assert recorded == seed and isinstance(lazy, Seeds) and len(lazy) == 100_000
    eager = np.random.SeedSequence(seed).spawn(100)
    state = [c.generate_state(2).tolist() for c in eager]
    assert [lazy[i].generate_state(2).tolist() for i in range(100)] == state
    part = lazy[40:60]
    assert isinstance(part, Seeds) and len(part) == 20 and Seeds.of(part) is part
    assert [c.generate_state(2).tolist() for c in part] == state[40:60]
    assert part[-1].generate_state(2).tolist() == state[59]
    assert lazy[99_999].spawn_key == (99_999,) and len(lazy[100_000:]) == 0
    with pytest.raises(IndexError):
        lazy[100_000]


def test_seeds_that_are_not_consecutive_children_travel_as_they_are() -> None:
    children = np.random.SeedSequence(3).spawn(4)
    assert Seeds.of([children[0], children[2]]) == (children[0], children[2])
    root = np.random.SeedSequence(1)  # no spawn key: not a child
    assert Seeds.of([root]) == (root,)


@given(st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=30), st.booleans())
def test_packed_counts_are_the_same_numbers(values: list[int], fraction: bool) -> None:
    counts = np.array(values, dtype=np.float64).reshape(1, -1, 1) + (0.5 if fraction else 0.0)
    paths = Paths(counts, np.zeros(1, np.int64), np.zeros((1, 0)), np.zeros((1, 0, 1)))
    small = paths.packed()
    gather = Gather([1])
    gather.add(0, small)
    back = gather.paths()
    assert back.counts.dtype == np.float64
    np.testing.assert_array_equal(back.counts, counts)
    if not fraction and max(map(abs, values)) < 2**31:
        assert small.counts.itemsize < 8  # whole counts travel small


def test_chunks_gathered_in_any_order_are_the_runs_in_order() -> None:
    """Chunks of 2, 3 and 1 runs (counts sent as uint8), added last first, give one float64
    array in run order, and their events, firings and changes in the same order."""
    sizes, rng = (2, 3, 1), np.random.default_rng(0)
    parts = [
        Paths(
            rng.integers(0, 200, (n, 4, 3)).astype(np.float64),
            rng.integers(0, 99, n),
            rng.random((n, 2)),
            rng.random((n, 2, 3)),
        )
        for n in sizes
    ]
    gather = Gather(sizes)
    for c in (2, 0, 1):
        assert not gather.complete
        gather.add(c, parts[c].packed())
    assert gather.complete
    got = gather.paths()
    assert got.counts.dtype == np.float64 and got.runs == 6
    assert not gather.complete and gather.counts is None  # handed over, none kept
    for field in ("counts", "events", "fired", "change"):
        whole = np.concatenate([getattr(p, field) for p in parts])
        np.testing.assert_array_equal(getattr(got, field), whole)


def _vm_flags(address: int) -> list[str]:
    """The kernel's flags of the mapping of this process that holds ``address``."""
    inside = False
    for line in Path("/proc/self/smaps").read_text(encoding="ascii").splitlines():
        first = line.split()[0] if line.split() else ""
        if "-" in first and not first.endswith(":"):
            lo, hi = (int(x, 16) for x in first.split("-"))
            inside = lo <= address < hi
        elif inside and line.startswith("VmFlags:"):
            return line.split()[1:]
    raise AssertionError(f"no mapping holds {address:#x}")


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps"), reason="Linux's /proc only")
def test_a_large_counts_array_is_mapped_without_huge_pages() -> None:
    """An ensemble's large counts array is asked of the kernel without transparent huge
    pages (``nh``): new to the machine, they cost several times small ones to write
    here (distributed.md). A small one is numpy's own."""
    big = counts_array((SMALL_PAGES_FROM // 8 // 1024, 8, 128))
    assert big.dtype == np.float64 and big.flags.writeable and big.flags.c_contiguous
    assert big.nbytes == SMALL_PAGES_FROM
    assert "nh" in _vm_flags(big.ctypes.data)
    big[-1, -1, -1] = 7.0
    assert big.reshape(-1)[-1] == 7.0
    small = counts_array((3, 4, 5))
    assert small.flags.owndata and small.shape == (3, 4, 5)


def test_chunks_gathered_into_a_mapped_array_are_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same runs gathered into an array of numpy's and into one mapped apart."""
    ens = Ensemble.prepare(hyosan.load_scenario("school"), runs=12, seed=3)
    got: list[Paths] = []
    for limit in (SMALL_PAGES_FROM, 0):
        monkeypatch.setattr(chunks, "SMALL_PAGES_FROM", limit)
        run_ensembles([ens], InProcess(), lambda _e, p: got.append(p))
    assert got[0].counts.flags.owndata and not got[1].counts.flags.owndata
    np.testing.assert_array_equal(got[0].counts, got[1].counts)


def test_a_chunk_gives_the_runs_of_the_whole_ensemble() -> None:
    """Runs 3..6 run alone, from the seeds carried as numbers, equal runs 3..6 of all."""
    ens = Ensemble.prepare(hyosan.load_scenario("school"), runs=10, seed=8)
    whole: list[Paths] = []
    run_ensembles([ens], InProcess(), lambda _e, p: whole.append(p))
    part = run_chunk(ens.shared, 3, Seeds.of(ens.seeds[3:7]))
    np.testing.assert_array_equal(part.counts, whole[0].counts[3:7])
    np.testing.assert_array_equal(part.events, whole[0].events[3:7])
    np.testing.assert_array_equal(part.fired, whole[0].fired[3:7])


@pytest.mark.parametrize(
    "code",
    [
        "import hyosan, hyosan.ensemble, hyosan.cli.main",
        "from hyosan.cli import main; main(['run', 'sir', '--runs', '2', '--workers', '1'])",
    ],
    ids=["import", "workers-1"],
)
def test_dask_is_loaded_only_for_a_cluster(code: str) -> None:
    """``import hyosan`` and a run in this process (``--workers 1``, the default) leave Dask
    unloaded: its import costs about a second (checked in a fresh process)."""
    import subprocess
    import sys

    check = "; import sys; assert not {'dask', 'distributed'} & set(sys.modules), 'dask'"
    subprocess.run([sys.executable, "-c", code + check], check=True, capture_output=True)
