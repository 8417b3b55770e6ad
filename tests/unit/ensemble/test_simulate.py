"""simulate: seeds, runs, engines and executors give one result type and the same numbers."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

import hyosan
import hyosan.scenario
from hyosan.errors import InputError
from hyosan.scenario import set_names

SMALL = set_names(hyosan.load_scenario("sir"), {"S": 300, "I": 5})


def test_same_seed_same_numbers_and_recorded_seed_reproduces() -> None:
    """A seed fixes every run; the seed written into the result reproduces it."""
    a = hyosan.simulate(SMALL, engine="ssa", seed=11, runs=4)
    b = hyosan.simulate(SMALL, engine="ssa", seed=11, runs=4)
    np.testing.assert_array_equal(a.counts, b.counts)
    assert a.seed == 11
    resolved = hyosan.scenario.load_scenario_text(a.dataset.attrs["scenario_toml"])
    assert resolved.seed == 11
    c = hyosan.simulate(resolved)
    np.testing.assert_array_equal(a.counts, c.counts)


def test_different_seeds_differ_and_runs_are_independent() -> None:
    """Different seeds give different paths, and the runs of one ensemble differ."""
    a = hyosan.simulate(SMALL, engine="ssa", seed=1, runs=3)
    b = hyosan.simulate(SMALL, engine="ssa", seed=2, runs=3)
    assert not np.array_equal(a.counts, b.counts)
    assert not np.array_equal(a.counts[0], a.counts[1])


def test_run_i_does_not_depend_on_the_number_of_runs() -> None:
    """Run i gets the i-th spawned seed, so the first 2 of 5 runs equal a 2-run ensemble."""
    five = hyosan.simulate(SMALL, engine="tau", seed=5, runs=5)
    two = hyosan.simulate(SMALL, engine="tau", seed=5, runs=2)
    np.testing.assert_array_equal(five.counts[:2], two.counts)


@pytest.mark.parametrize("pool", [ThreadPoolExecutor, ProcessPoolExecutor])
def test_executors_give_the_serial_numbers(pool: type) -> None:
    """Threads and processes give exactly the numbers of the serial loop."""
    serial = hyosan.simulate(SMALL, engine="ssa", seed=3, runs=4)
    with pool(max_workers=2) as ex:
        parallel = hyosan.simulate(SMALL, engine="ssa", seed=3, runs=4, executor=ex)
    np.testing.assert_array_equal(serial.counts, parallel.counts)


def test_ode_gives_one_run_on_the_same_grid() -> None:
    """The ODE is deterministic: one run, on the grid the stochastic engines use."""
    ode = hyosan.simulate(SMALL, engine="ode", runs=10)
    ssa = hyosan.simulate(SMALL, engine="ssa", seed=1, runs=2)
    assert ode.runs == 1 and ssa.runs == 2
    np.testing.assert_array_equal(ode.times, ssa.times)
    assert ode.compartments == ssa.compartments == ("S", "I", "R")


def test_fractional_counts_refused_for_exact_engines() -> None:
    """Asking ssa to count 10.5 people is bad input that names the compartment."""
    frac = set_names(hyosan.load_scenario("sir").replace(engine="ode"), {"I": 10.5})
    with pytest.raises(InputError, match=r"initial\.I"):
        hyosan.simulate(frac, engine="ssa")
    assert hyosan.simulate(frac, engine="ode").counts[0, 0, 1] == 10.5
