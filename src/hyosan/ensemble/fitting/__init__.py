"""``fit``: the values of scenario keys that explain observed counts, with their uncertainty.

Two methods (``docs/design/fitting.md``):

- ``least-squares``: maximum likelihood on the ODE engine under a Poisson or
  negative binomial observation model, 95% intervals from the profile
  likelihood (:mod:`.leastsq`);
- ``abc``: approximate Bayesian computation by sequential Monte Carlo on a
  stochastic engine, with pyabc (:mod:`.abc`): a posterior sample.

The data are read and checked by :mod:`.data`, the keys and ranges by
:mod:`.ranges`; a :class:`~.observe.Predictor` runs the scenario at the
observed times for values of the keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from hyosan._seeds import fresh_seed
from hyosan.ensemble.fitting.data import read_observed
from hyosan.ensemble.fitting.leastsq import fit_least_squares
from hyosan.ensemble.fitting.noise import NOISES, Noise
from hyosan.ensemble.fitting.observe import Predictor
from hyosan.ensemble.fitting.ranges import parse_fits, ranges_from
from hyosan.ensemble.fitting.result import Band, FitResult, KeyFit, quantile_band, warnings_for
from hyosan.ensemble.fitting.types import FitRange, Observed
from hyosan.errors import InputError
from hyosan.scenario import Scenario

__all__ = ["METHODS", "NOISES", "Band", "FitRange", "FitResult", "KeyFit", "Observed", "fit"]

METHODS = ("least-squares", "abc")
BAND_POINTS = 201
BAND_RUNS = 200
"""Runs drawn from an abc posterior for the fitted band."""


def fit(
    scenario: Scenario,
    data: str | PathLike[str] | pd.DataFrame | Observed,
    ranges: Mapping[str, tuple[float, float]] | Sequence[str | FitRange],
    *,
    method: str = "least-squares",
    noise: str = "poisson",
    engine: str | None = None,
    runs: int | None = None,
    generations: int = 8,
    seed: int | None = None,
    client: Any | None = None,
    progress: Callable[[str], None] | None = None,
) -> FitResult:
    """Fit keys of ``scenario`` to the counts in ``data``; see ``hyosan fit --help``.

    Parameters
    ----------
    scenario
        The scenario whose keys are fitted (:func:`hyosan.load_scenario`).
    data
        A CSV file (or a DataFrame) with a ``time`` column and one column per
        observed compartment, or sum of them (``"E+Z"``); empty cells are missing
        (or an :class:`Observed` already read).
    ranges
        The keys and their ranges: ``{"beta": (0.1, 5)}`` or ``["beta=0.1:5"]``;
        a bare name is a parameter (or, well mixed, an initial count).
    method
        ``"least-squares"`` (the ODE, profile-likelihood intervals) or ``"abc"``
        (a stochastic engine, a posterior sample).
    noise
        The observation model of least squares: ``"poisson"`` or ``"negbin"``.
    engine
        abc's engine, ``"ssa"`` or ``"tau"`` (default: the scenario's, else ``"ssa"``).
    runs
        abc's population: the runs accepted in each generation (default 400).
    generations
        abc's most generations.
    seed, client, progress
        The seed of the search and the runs (default: a fresh one, recorded); a
        :class:`dask.distributed.Client` for abc's runs; told what the fit does.

    Examples
    --------
    >>> import hyosan, pandas as pd
    >>> data = pd.DataFrame({"time": [10.0, 20, 30, 40], "I": [66, 370, 1650, 3020]})
    >>> found = hyosan.fit(hyosan.load_scenario("sir"), data, {"beta": (0.1, 1)}, seed=1)
    >>> round(found.estimates["beta"], 1)
    0.3
    """
    method = _choice(method, METHODS, "method")
    noise_ = _choice(noise, NOISES, "noise")
    fitted = _ranges(scenario, ranges)
    observed = data if isinstance(data, Observed) else read_observed(data, scenario, fitted)
    seed = fresh_seed() if seed is None else int(seed)
    tell = progress or (lambda _text: None)
    if method == "least-squares":
        return _least_squares(scenario, fitted, observed, noise_, seed, tell)
    eng = engine or (scenario.engine if scenario.engine != "ode" else "ssa")
    return _abc(scenario, fitted, observed, eng, runs or 400, generations, seed, client, tell)


def _choice(value: str, allowed: Sequence[str], key: str) -> Any:
    if value not in allowed:
        raise InputError(
            "unknown", source="python", key=key, value=value, allowed=", ".join(allowed)
        )
    return value


def _ranges(
    scenario: Scenario, ranges: Mapping[str, tuple[float, float]] | Sequence[str | FitRange]
) -> tuple[FitRange, ...]:
    if isinstance(ranges, Mapping):
        return ranges_from(ranges, scenario)
    given = list(ranges)
    if all(isinstance(r, FitRange) for r in given):
        return tuple(r for r in given if isinstance(r, FitRange))
    return parse_fits([str(r) for r in given], scenario, source="python")


def _fine_times(observed: Observed) -> np.ndarray:
    return np.linspace(0.0, float(observed.times[-1]), BAND_POINTS)


def _least_squares(
    scenario: Scenario,
    ranges: tuple[FitRange, ...],
    observed: Observed,
    noise: Noise,
    seed: int,
    tell: Callable[[str], None],
) -> FitResult:
    tell("searching")
    predictor = Predictor(scenario, ranges, observed, "ode")
    found = fit_least_squares(
        predictor, observed, ranges, noise, seed=seed, on_key=lambda n: tell(f"profiling {n}")
    )
    keys = tuple(
        KeyFit(r, p.estimate, p.low, p.high, p.open_low, p.open_high)
        for r, p in zip(ranges, found.keys, strict=True)
    )
    values = [k.estimate for k in keys]
    times = _fine_times(observed)
    mu = Predictor(scenario, ranges, observed, "ode", times=times).counts(values)
    if found.k is None:
        low, high = stats.poisson.ppf([[[0.025]], [[0.975]]], mu)
    else:
        p = found.k / (found.k + mu)
        low, high = stats.nbinom.ppf([[[0.025]], [[0.975]]], found.k, p)
    band = Band(times, mu, low, high, f"ODE, 95% of observations ({noise})")
    settings = {
        "noise": noise,
        "size_k": found.k,
        "neg_log_likelihood": found.neg_log_likelihood,
        "evaluations": found.evaluations,
    }
    return FitResult(
        "least-squares", "ode", keys, predictor.scenario_at(values), observed, seed, band,
        settings, None, warnings_for(keys),
    )  # fmt: skip


def _abc(
    scenario: Scenario,
    ranges: tuple[FitRange, ...],
    observed: Observed,
    engine: str,
    population: int,
    generations: int,
    seed: int,
    client: Any | None,
    tell: Callable[[str], None],
) -> FitResult:
    from hyosan.ensemble.fitting.abc import fit_abc  # pyabc loads slowly

    predictor = Predictor(scenario, ranges, observed, engine)
    found = fit_abc(
        predictor, observed, ranges, seed=seed, population=population,
        generations=generations, client=client,
        on_generation=lambda t, eps, _n: tell(f"generation {t + 1}: epsilon {eps:.3g}"),
    )  # fmt: skip
    keys = tuple(
        KeyFit(r, s.estimate, s.low, s.high, s.open_low, s.open_high)
        for r, s in zip(ranges, found.estimates, strict=True)
    )
    tell("drawing the band")
    band = _posterior_band(scenario, ranges, observed, engine, found.posterior, seed)
    settings = {
        "population": found.population,
        "generations": found.generations,
        "epsilon": found.epsilon,
        "simulations": found.simulations,
        "acceptance": found.acceptance,
        "seconds": found.seconds,
    }
    values = [k.estimate for k in keys]
    return FitResult(
        "abc", engine, keys, predictor.scenario_at(values), observed, seed, band,
        settings, found.posterior, warnings_for(keys),
    )  # fmt: skip


def _posterior_band(
    scenario: Scenario,
    ranges: tuple[FitRange, ...],
    observed: Observed,
    engine: str,
    posterior: pd.DataFrame,
    seed: int,
) -> Band:
    """Runs at particles drawn from the posterior by weight: their median and 95% band."""
    times = _fine_times(observed)
    predictor = Predictor(scenario, ranges, observed, engine, times=times)
    rng = np.random.default_rng([seed, 1])
    weights = posterior["weight"].to_numpy(dtype=np.float64)
    rows = rng.choice(len(posterior), size=BAND_RUNS, p=weights / weights.sum())
    values = posterior[[r.name for r in ranges]].to_numpy(dtype=np.float64)[rows]
    seeds = np.random.SeedSequence([seed, 2]).spawn(BAND_RUNS)
    runs = np.stack([predictor.counts(list(v), s) for v, s in zip(values, seeds, strict=True)])
    return quantile_band(runs, times, f"{engine} runs from the posterior: median, 95%")
