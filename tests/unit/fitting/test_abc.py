"""ABC-SMC fits: the interval holds the truth, a seed gives one posterior, keys the data
cannot inform come back open, runaways are rejected, Dask runs the particles.

The data are one exact (SSA) run of a small SIR (200 people, 10 infected) at
beta = 0.3, gamma = 0.1; the fits are small (100 particles, 4 generations) and
seeded, so each result below is one fixed draw, not a flaky one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest

import hyosan
from hyosan.ensemble.fitting.abc import AbcFit, fit_abc, weighted_quantile
from hyosan.ensemble.fitting.observe import Predictor
from hyosan.ensemble.fitting.types import FitRange, Observed
from hyosan.errors import InputError, RunawayError
from hyosan.scenario import Scenario, set_keys

BETA = FitRange("parameters.beta", 0.05, 1.0)
GAMMA = FitRange("parameters.gamma", 0.02, 0.6)
TRUTH = {"beta": 0.3, "gamma": 0.1}
SMALL = {"population": 100, "generations": 4}


def _observed(times: np.ndarray, counts: np.ndarray | None = None) -> Observed:
    """I observed at ``times`` (zeros until the counts are simulated)."""
    counts = np.zeros((len(times), 1)) if counts is None else counts
    return Observed("test", times, ("I",), ((1,),), counts, "test")


def _simulated(scenario: Scenario, times: np.ndarray) -> Observed:
    """One SSA run of ``scenario`` at the true beta and gamma, observed at ``times``."""
    ranges = [BETA, GAMMA]
    run = Predictor(scenario, ranges, _observed(times), engine="ssa")
    return _observed(times, run.counts([TRUTH["beta"], TRUTH["gamma"]], 5))


@pytest.fixture(scope="module")
def small() -> Scenario:
    return set_keys(hyosan.load_scenario("sir"), [("initial.S", 190), ("initial.I", 10)])


@pytest.fixture(scope="module")
def beta_data(small: Scenario) -> Observed:
    """The whole epidemic of the small SIR, every 4 days to day 60."""
    return _simulated(small, np.arange(4.0, 64.0, 4.0))


@pytest.fixture(scope="module")
def beta_fit(small: Scenario, beta_data: Observed) -> tuple[AbcFit, list[tuple[int, float, int]]]:
    """Beta fitted (gamma held at its true value), with what ``on_generation`` was told."""
    told: list[tuple[int, float, int]] = []
    predictor = Predictor(small, [BETA], beta_data, engine="ssa")
    fit = fit_abc(
        predictor, beta_data, [BETA], seed=3, on_generation=lambda *a: told.append(a), **SMALL
    )
    return fit, told


def test_the_interval_holds_the_truth_and_is_narrower_than_the_prior(
    beta_fit: tuple[AbcFit, list[Any]],
) -> None:
    """Beta's 95% interval contains 0.3, is under half the prior's width and is closed."""
    (beta,) = beta_fit[0].estimates
    assert beta.low < TRUTH["beta"] < beta.high
    assert beta.high - beta.low < 0.5 * (BETA.high - BETA.low)
    assert not beta.open_low and not beta.open_high
    assert beta.low < beta.estimate < beta.high


def test_the_fit_reports_its_posterior_and_its_cost(beta_fit: tuple[AbcFit, list[Any]]) -> None:
    """One column per key on the natural scale and weights summing to 1; the counts agree."""
    fit = beta_fit[0]
    assert list(fit.posterior.columns) == ["beta", "weight"]
    assert len(fit.posterior) == fit.population == SMALL["population"]
    assert fit.posterior["weight"].sum() == pytest.approx(1.0)
    assert fit.posterior["beta"].between(BETA.low, BETA.high).all()
    assert fit.generations == SMALL["generations"]
    # at least the prior sample and one run per accepted particle of each generation
    assert fit.simulations >= (1 + fit.generations) * fit.population
    assert 0.0 < fit.acceptance <= 1.0 and fit.epsilon > 0.0 and fit.seconds > 0.0


def test_each_generation_is_told_as_it_ends(beta_fit: tuple[AbcFit, list[Any]]) -> None:
    """``on_generation`` hears t = 0, 1, ... once each, the population, the last epsilon."""
    fit, told = beta_fit
    assert [t for t, _, _ in told] == list(range(fit.generations))
    assert all(accepted == fit.population for _, _, accepted in told)
    assert told[-1][1] == fit.epsilon


def test_the_same_seed_gives_the_same_posterior_and_leaves_numpy_alone(
    small: Scenario, beta_data: Observed, beta_fit: tuple[AbcFit, list[Any]]
) -> None:
    """A second single-core fit with seed 3 gives the first's particles and weights, to the
    bit; the caller's global numpy state is as it was."""
    np.random.seed(123)  # noqa: NPY002 (the caller's state the fit must restore)
    before = np.random.random(3)  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002
    predictor = Predictor(small, [BETA], beta_data, engine="ssa")
    again = fit_abc(predictor, beta_data, [BETA], seed=3, **SMALL)
    pd.testing.assert_frame_equal(again.posterior, beta_fit[0].posterior)
    assert again.simulations == beta_fit[0].simulations
    np.testing.assert_array_equal(np.random.random(3), before)  # noqa: NPY002


def test_a_key_the_data_cannot_bound_comes_back_open(small: Scenario) -> None:
    """Early growth (days 1 to 10 of the full SIR, S/N near 1) shows only beta - gamma:
    gamma's interval spans most of its range and is open, while beta - gamma is bounded."""
    scenario = hyosan.load_scenario("sir")
    data = _simulated(scenario, np.arange(1.0, 11.0))
    ranges = [FitRange("parameters.beta", 0.1, 1.0), GAMMA]
    fit = fit_abc(Predictor(scenario, ranges, data, engine="ssa"), data, ranges, seed=1, **SMALL)
    gamma = fit.estimates[1]
    assert gamma.open_low or gamma.open_high
    assert gamma.high - gamma.low > 0.75 * (GAMMA.high - GAMMA.low)
    post = fit.posterior
    r = (post["beta"] - post["gamma"]).to_numpy()
    lo, hi = (weighted_quantile(r, post["weight"].to_numpy(), q) for q in (0.025, 0.975))
    assert lo < TRUTH["beta"] - TRUTH["gamma"] < hi and hi - lo < 0.3


class _Fake:
    """A cheap stand-in for a Predictor: Poisson counts of mean ``100 * v`` at 10 times."""

    def __init__(self, runaway_above: float = np.inf, ignore: bool = False) -> None:
        self.runaway_above, self.ignore = runaway_above, ignore

    def counts(self, values: Sequence[float], seed: int | np.random.SeedSequence) -> np.ndarray:
        (v,) = values
        if v > self.runaway_above:
            raise RunawayError(f"v = {v} runs away")
        mean = 50.0 if self.ignore else 100.0 * v
        return np.random.default_rng(seed).poisson(mean, (10, 1)).astype(np.float64)


def test_a_runaway_is_infinitely_far() -> None:
    """Values that run away (v > 0.6, 42% of the prior) are never accepted; the rest fit."""
    data = _observed(np.arange(1.0, 11.0), _Fake().counts([0.5], 0))
    v = FitRange("parameters.v", 0.05, 1.0)
    fake: Any = _Fake(runaway_above=0.6)
    fit = fit_abc(fake, data, [v], seed=2, **SMALL)
    assert fit.posterior["v"].max() <= 0.6
    (est,) = fit.estimates
    assert est.low < 0.5 < est.high and not est.open_high


@pytest.mark.parametrize("stop", [{"min_epsilon": 1e9}, {"max_seconds": 0.0}])
def test_a_fit_stops_at_its_threshold_or_its_time(stop: dict[str, float]) -> None:
    """A threshold already below ``min_epsilon``, or no time left, ends the fit after one
    generation of the four allowed."""
    data = _observed(np.arange(1.0, 11.0), _Fake().counts([0.5], 0))
    fake: Any = _Fake()
    fit = fit_abc(
        fake, data, [FitRange("v", 0.05, 1.0)], seed=2, population=50, generations=4, **stop
    )
    assert fit.generations == 1


def test_ranges_that_mostly_run_away_are_refused() -> None:
    """Where most of the prior's runs run away (v > 0.3: 74%), the first threshold would
    be a runaway's: the fit says so instead of accepting them."""
    data = _observed(np.arange(1.0, 11.0), _Fake().counts([0.2], 0))
    v = FitRange("parameters.v", 0.05, 1.0)
    fake: Any = _Fake(runaway_above=0.3)
    with pytest.raises(InputError, match="more than half of the runs"):
        fit_abc(fake, data, [v], seed=2, population=50, generations=2)


def test_a_log_uniform_prior_is_kept_where_the_data_say_nothing() -> None:
    """A key the counts ignore, on three decades: its posterior stays log-uniform (median
    near 10**-1.5, not the 0.5 of a uniform prior) and is open at both ends. (400 particles:
    the 2.5% quantile of a flat posterior then lies within 1.5% to 5% of the width.)"""
    data = _observed(np.arange(1.0, 11.0), _Fake(ignore=True).counts([0.0], 0))
    v = FitRange("parameters.v", 1e-3, 1.0)
    fake: Any = _Fake(ignore=True)
    fit = fit_abc(fake, data, [v], seed=2, population=400, generations=2)
    (est,) = fit.estimates
    assert 0.01 < est.estimate < 0.1
    assert est.open_low and est.open_high


def test_weighted_quantiles_with_equal_weights_are_the_midpoint_quantiles() -> None:
    """Equal weights give numpy's Hazen quantiles (each value at (k - 1/2) / n); the weights'
    scale does not matter; a value holding nearly all the weight is the median."""
    values = np.array([3.0, 1.0, 2.0, 7.0, 4.0])
    for q in (0.05, 0.25, 0.5, 0.9):
        expected = np.quantile(values, q, method="hazen")
        assert weighted_quantile(values, np.ones(5), q) == pytest.approx(expected)
        assert weighted_quantile(values, np.full(5, 0.2), q) == pytest.approx(expected)
    heavy = np.array([1.0, 1.0, 1.0, 1000.0, 1.0])
    assert weighted_quantile(values, heavy, 0.5) == pytest.approx(7.0, abs=0.02)


def test_a_dask_client_runs_the_particles(
    dask_client: Any, small: Scenario, beta_data: Observed
) -> None:
    """A fit on a two-worker cluster finishes with a posterior whose interval holds beta."""
    predictor = Predictor(small, [BETA], beta_data, engine="ssa")
    fit = fit_abc(
        predictor, beta_data, [BETA], seed=3, population=50, generations=2, client=dask_client
    )
    assert fit.generations == 2 and len(fit.posterior) == 50
    assert fit.posterior["weight"].sum() == pytest.approx(1.0)
    (beta,) = fit.estimates
    assert beta.low < TRUTH["beta"] < beta.high
