"""Least squares on the ODE: the likelihood it maximises, what it recovers, what it cannot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import hyosan
from hyosan.ensemble.fitting import fit
from hyosan.ensemble.fitting.noise import deviance_residuals, neg_log_likelihood
from hyosan.ensemble.fitting.observe import Predictor
from hyosan.ensemble.fitting.types import FitRange, Observed

TIMES = np.linspace(10.0, 150.0, 15)
TRUTH = {"beta": 0.3, "gamma": 0.1}


def _mean(scenario: hyosan.Scenario, values: dict[str, float], times: np.ndarray) -> np.ndarray:
    """The ODE's I at ``times`` for ``values`` of the parameters."""
    ranges = [FitRange(f"parameters.{k}", v / 10, v * 10) for k, v in values.items()]
    blank = Observed("x", times, ("I",), ((1,),), np.zeros((len(times), 1)), "")
    return Predictor(scenario, ranges, blank).counts(list(values.values()))[:, 0]


@pytest.fixture(scope="module")
def sir() -> hyosan.Scenario:
    return hyosan.load_scenario("sir")


def test_the_residuals_square_to_twice_the_likelihood(sir: hyosan.Scenario) -> None:
    """sum(r**2) / 2 minus the saturated term is scipy's negative log-likelihood, both noises."""
    y = np.array([0.0, 3, 10, 50, 400])
    mu = np.array([1.0, 2.5, 12, 40, 380])
    assert neg_log_likelihood(y, mu) == pytest.approx(-stats.poisson.logpmf(y, mu).sum())
    k = 3.0
    want = -stats.nbinom.logpmf(y, k, k / (k + mu)).sum()
    assert neg_log_likelihood(y, mu, k) == pytest.approx(want)
    # the Poisson residuals are 0 where the model meets the data, and signed
    r = deviance_residuals(np.array([5.0, 5, 5]), np.array([5.0, 4, 6]))
    assert r[0] == 0 and r[1] > 0 > r[2]


def test_poisson_data_give_back_the_parameters(sir: hyosan.Scenario) -> None:
    """From the ODE's I with Poisson noise, beta and gamma come back inside narrow intervals."""
    rng = np.random.default_rng(5)
    data = pd.DataFrame({"time": TIMES, "I": rng.poisson(_mean(sir, TRUTH, TIMES))})
    found = fit(sir, data, {"beta": (0.05, 5.0), "gamma": (0.01, 1.0)}, seed=1)
    for key in found.keys:
        truth = TRUTH[key.range.name]
        assert key.low < truth < key.high
        assert key.low < key.estimate < key.high
        assert (key.high - key.low) / truth < 0.1
        assert key.identified
    assert found.warnings == ()
    assert found.scenario.parameters["beta"] == pytest.approx(found.estimates["beta"])


def test_negative_binomial_data_give_back_the_size(sir: hyosan.Scenario) -> None:
    """With overdispersed data the negative binomial's intervals are wider, and hold the truth."""
    rng = np.random.default_rng(8)
    mu = _mean(sir, TRUTH, TIMES)
    k = 20.0
    data = pd.DataFrame({"time": TIMES, "I": rng.negative_binomial(k, k / (k + mu))})
    ranges = {"beta": (0.05, 5.0), "gamma": (0.01, 1.0)}
    nb = fit(sir, data, ranges, noise="negbin", seed=1)
    po = fit(sir, data, ranges, noise="poisson", seed=1)
    for a, b in zip(nb.keys, po.keys, strict=True):
        assert a.low < TRUTH[a.range.name] < a.high
        assert a.high - a.low > 2 * (b.high - b.low)
    assert 3 < nb.settings["size_k"] < 150


def test_a_parameter_the_data_cannot_see_is_reported(sir: hyosan.Scenario) -> None:
    """Only the early exponential rise (rate beta - gamma): beta and gamma are not identified.

    Along the ridge beta - gamma = 0.2 the likelihood is nearly flat, so each
    interval runs to a range's end and the fit says so.
    """
    rng = np.random.default_rng(2)
    early = np.linspace(2.0, 12.0, 6)
    data = pd.DataFrame({"time": early, "I": rng.poisson(_mean(sir, TRUTH, early))})
    found = fit(sir, data, {"beta": (0.2, 2.0), "gamma": (0.01, 1.0)}, seed=1)
    assert not any(k.identified for k in found.keys)
    assert len(found.warnings) == 2
    assert all("bound" in w or "identify" in w for w in found.warnings)
    gamma = found.keys[1]
    assert gamma.high / gamma.low > 10


def test_an_initial_count_is_fitted_too(sir: hyosan.Scenario) -> None:
    """initial.I is a whole key: fitted continuously on the ODE, written back rounded."""
    scenario = hyosan.set_keys(sir, [("initial.I", 25), ("initial.S", 9975)])
    rng = np.random.default_rng(4)
    mu = _mean(scenario, TRUTH, TIMES)
    data = pd.DataFrame({"time": TIMES, "I": rng.poisson(mu)})
    found = fit(sir, data, ["initial.I=1:200", "beta=0.1:1"], seed=1)
    i0 = found.keys[0]
    assert i0.low < 25 < i0.high
    assert isinstance(found.scenario.initial["I"], int)
