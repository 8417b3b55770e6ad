"""Tests of :mod:`hyosan.results.fates` on small results built by hand, with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyosan.results import Result
from hyosan.results.fates import hybrid_fates, moment_chances
from hyosan.results.tracks import with_milestones

COMPS = ("S", "H", "Hc", "D", "Dh")
HYBRIDS = ("H", "Hc", "Dh")
ALIVE = ("S", "H", "Hc")


def _result(ends: list[tuple[float, float, float]], engine: str = "ssa") -> Result:
    """Runs that start with 10 humans, 2 hybrids on their own and 1 helped, and end with
    ``(H, Hc, Dh)`` of ``ends[run]`` (the humans make up the rest of 13 people)."""
    counts = np.zeros((len(ends), 2, len(COMPS)))
    counts[:, 0] = [10.0, 2.0, 1.0, 0.0, 0.0]
    for r, (h, hc, dh) in enumerate(ends):
        counts[r, 1] = [13.0 - h - hc - dh, h, hc, 0.0, dh]
    return Result.from_arrays(
        counts,
        [0.0, 1.0],
        COMPS,
        events=[0] * len(ends),
        engine=engine,
        seed=1,
        scenario_name="t",
        model="aouad-camp",
        humans=("S",),
        zombies=(),
        time_unit="hour",
    )


def test_the_hybrids_of_each_run_and_over_runs() -> None:
    """Four runs: none killed, one killed, two killed, and one newly turned with none
    killed. Start 3 each; all survived in 2 of 4 (0.5 ± sqrt(0.25 / 4)); the shares
    alive are 1, 2/3, 1/3 and 1 (4 of 4), their mean with sd / sqrt(4)."""
    fates = hybrid_fates(_result([(2, 1, 0), (1, 1, 1), (1, 0, 2), (3, 1, 0)]), HYBRIDS, ALIVE)
    assert fates is not None
    np.testing.assert_array_equal(fates.start, [3, 3, 3, 3])
    np.testing.assert_array_equal(fates.alive, [3, 2, 1, 4])
    np.testing.assert_array_equal(fates.killed, [0, 1, 2, 0])
    np.testing.assert_array_equal(fates.all_survived, [1, 0, 0, 1])
    shares = np.array([1.0, 2 / 3, 1 / 3, 1.0])
    np.testing.assert_allclose(fates.share_alive, shares)
    every, share = fates.over_runs()
    assert every.value == 0.5 and every.se == pytest.approx(math.sqrt(0.25 / 4))
    assert share.value == pytest.approx(shares.mean())
    assert share.se == pytest.approx(shares.std(ddof=1) / 2)
    assert every.text() == "0.50 ± 0.25"


def test_no_hybrids_no_fates_and_under_the_ode_no_all_survived() -> None:
    """A model that names no hybrids has no fates; under the ODE "all survived" is NaN and
    the expected share alive has a standard error of 0."""
    assert hybrid_fates(_result([(2, 1, 0)]), (), ALIVE) is None
    fates = hybrid_fates(_result([(1.5, 1.0, 0.5)], engine="ode"), HYBRIDS, ALIVE)
    assert fates is not None and np.isnan(fates.all_survived).all()
    every, share = fates.over_runs()
    assert math.isnan(every.value)
    assert share.value == pytest.approx(2.5 / 3.0) and share.se == 0.0


def test_moment_chances_are_shares_of_runs_with_binomial_errors() -> None:
    """Over 4 runs a moment that came in 2 has chance 0.5 ± 0.25, one that came in 1
    0.25 ± sqrt(3/64), one that never came 0 ± 0; a result without recorded moments has
    none."""
    r = _result([(2, 1, 0)] * 4)
    assert moment_chances(r) == []
    nan = np.nan
    times = [[nan, 1.0, nan], [2.0, nan, nan], [nan, nan, nan], [1.0, nan, nan]]
    rows = moment_chances(with_milestones(r, ["a second outbreak", "once", "never"], times))
    assert [(text, n, c.value) for text, n, c in rows] == [
        ("a second outbreak", 2, 0.5),
        ("once", 1, 0.25),
        ("never", 0, 0.0),
    ]
    assert [c.se for _, _, c in rows] == pytest.approx([0.25, math.sqrt(3 / 64), 0.0])
