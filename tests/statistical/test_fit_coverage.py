"""The 95% intervals of ``hyosan.fit`` cover the truth in 95% of synthetic data sets.

A smaller version of the coverage checks in ``validation/checks_fit.py``
(``docs/validation.md``): each data set is drawn from the model the method
assumes (least squares: the ODE with Poisson noise; abc: one exact run), and
the number of intervals holding the truth is tested against Binomial(n, 0.95)
by the exact two-sided binomial test, rejecting at p < 1e-3 (false alarm 1e-3
per key).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import hyosan
from hyosan.ensemble.fitting.observe import Predictor
from hyosan.ensemble.fitting.types import FitRange, Observed

TRUTH = {"beta": 0.3, "gamma": 0.1}
P_MIN = 1e-3


def _counts(scenario: hyosan.Scenario, times: np.ndarray, engine: str, seed: int) -> np.ndarray:
    """I of ``scenario`` at ``times`` at the truth: the ODE, or one run of ``engine``."""
    ranges = [FitRange(f"parameters.{k}", v / 10, v * 10) for k, v in TRUTH.items()]
    blank = Observed("x", times, ("I",), ((1,),), np.zeros((len(times), 1)), "")
    return Predictor(scenario, ranges, blank, engine).counts(list(TRUTH.values()), seed)[:, 0]


def _covered(results: list[dict[str, tuple[float, float]]], key: str) -> int:
    return sum(r[key][0] <= TRUTH[key] <= r[key][1] for r in results)


@pytest.mark.slow
def test_least_squares_intervals_cover_the_truth() -> None:
    """60 data sets of sir's I (15 times, Poisson noise about the ODE), each fitted by
    least squares: each key's 95% profile interval holds the truth in about 95% of them."""
    sc = hyosan.load_scenario("sir")
    times = np.linspace(10.0, 150.0, 15)
    mu = _counts(sc, times, "ode", 0)
    results = []
    for i in range(60):
        y = np.random.default_rng([77, i]).poisson(mu)
        found = hyosan.fit(sc, pd.DataFrame({"time": times, "I": y}),
                           {"beta": (0.05, 5.0), "gamma": (0.01, 1.0)}, seed=i)  # fmt: skip
        results.append({k.range.name: (k.low, k.high) for k in found.keys})
    for key in TRUTH:
        covered = _covered(results, key)
        assert stats.binomtest(covered, 60, 0.95).pvalue > P_MIN, (key, covered)


@pytest.mark.slow
def test_abc_intervals_cover_the_truth() -> None:
    """16 data sets, each one exact run of sir with 300 people (I seen at 10 times),
    fitted by abc: each key's 95% posterior interval holds the truth in about 95%."""
    sc = hyosan.set_keys(hyosan.load_scenario("sir"), [("initial.S", 290), ("initial.I", 10)])
    times = np.linspace(10.0, 100.0, 10)
    results = []
    for i in range(16):
        y = _counts(sc, times, "ssa", 500 + i)
        found = hyosan.fit(
            sc, pd.DataFrame({"time": times, "I": y}), {"beta": (0.05, 1.0), "gamma": (0.02, 0.5)},
            method="abc", engine="ssa", runs=100, generations=6, seed=i,
        )  # fmt: skip
        results.append({k.range.name: (k.low, k.high) for k in found.keys})
    for key in TRUTH:
        covered = _covered(results, key)
        assert stats.binomtest(covered, 16, 0.95).pvalue > P_MIN, (key, covered)
