"""Approximate Bayesian computation of the fitted keys by sequential Monte Carlo (pyabc).

Each particle is one stochastic run of the model (:class:`.Predictor`), its
summary the square roots of the seen counts (variance stabilising for
counts). The distance is the Euclidean norm of the differences, each scaled
by the median absolute deviation of that statistic over the last generation's
runs, accepted or not (adaptive, refitted every generation [2]_). A run that
runs away (:class:`~hyosan.errors.RunawayError`) has NaN statistics: pyabc's
scales leave it out, its distance is NaN, which no threshold accepts (not
even an infinite one), and it sorts above every distance. The threshold of a
generation is the weighted median of the last one's distances; the first is
the median over a sample of the prior, so more than half of that sample
running away is an error.

The priors are uniform on each key's range, log-uniform (``log10`` of the
value uniform) where the range spans more than two decades from above 0.
A fit stops after ``generations`` generations, once the threshold reaches
``min_epsilon``, once ``max_seconds`` have passed (checked between
generations), or when a generation would accept under 1% of its runs (that
generation is dropped).

Cost: ``population`` runs per generation divided by the acceptance rate,
which falls as the threshold does, plus ``population`` runs from the prior
at the start.

References
----------
.. [1] T. Toni, D. Welch, N. Strelkowa, A. Ipsen and M. P. H. Stumpf,
   "Approximate Bayesian computation scheme for parameter inference and model
   selection in dynamical systems", J. R. Soc. Interface 6, 187-202 (2009).
.. [2] D. Prangle, "Adapting the ABC distance function", Bayesian Analysis 12,
   289-309 (2017).
.. [3] E. Klinger, D. Rickert and J. Hasenauer, "pyABC: distributed,
   likelihood-free inference", Bioinformatics 34, 3591-3593 (2018).
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from hyosan._typing import BoolArray, FloatArray
from hyosan.ensemble.fitting.observe import Predictor
from hyosan.ensemble.fitting.types import FitRange, Observed
from hyosan.errors import InputError, RunawayError

__all__ = ["AbcFit", "Summary", "fit_abc", "weighted_quantile"]

MIN_ACCEPTANCE = 0.01
"""The least acceptance rate of a generation; below it the fit stops."""
LOG_SPAN = 100.0
"""A range whose ``high / low`` exceeds this (from ``low > 0``) gets a log-uniform prior."""
EDGE = 0.05
"""An interval that ends within this fraction of its range's width of an end is open there.

Not 2.5%: where the data say nothing the posterior is the flat prior, whose 2.5%
quantile lies at 2.5% of the width itself, and the particles' estimate of it
falls on either side (1.5% to 5% of the width with 400 particles).
"""
BATCHES_PER_CORE = 8
"""On Dask, a generation's first ``population`` runs go out in this many tasks per core."""
_STAT = "sqrt_counts"


@dataclass(frozen=True, slots=True)
class Summary:
    """One key's weighted posterior median and 95% interval (2.5% and 97.5% quantiles);
    ``open_low``/``open_high``: the interval reaches the range's end there (within 5%
    of its width, on the prior's scale), so the data do not bound the key on that side."""

    estimate: float
    low: float
    high: float
    open_low: bool
    open_high: bool


@dataclass(frozen=True, slots=True, eq=False)
class AbcFit:
    """The fit: the last generation's weighted particles and what it took to get them.

    ``posterior`` has one column per key (named ``FitRange.name``, natural scale,
    whole keys rounded) and a ``weight`` column summing to 1; ``estimates`` follow
    the ranges' order; ``epsilon`` and ``acceptance`` are the last generation's;
    ``simulations`` counts every run, the prior sample that set the first
    threshold included.
    """

    posterior: pd.DataFrame
    estimates: tuple[Summary, ...]
    epsilon: float
    generations: int
    simulations: int
    population: int
    acceptance: float
    seconds: float


def weighted_quantile(values: FloatArray, weights: FloatArray, q: float) -> float:
    """The ``q`` quantile of ``values`` weighted by ``weights``, each weight centred on its
    value and linear in between (so equal weights give the midpoint median).

    Examples
    --------
    >>> weighted_quantile(np.array([4.0, 1.0, 3.0, 2.0]), np.ones(4), 0.5)
    2.5
    >>> weighted_quantile(np.array([1.0, 2.0]), np.array([3.0, 1.0]), 0.5)
    1.25
    """
    order = np.argsort(values)
    v, w = np.asarray(values, dtype=np.float64)[order], np.asarray(weights, dtype=np.float64)[order]
    at = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, at, v))


def _log_prior(r: FitRange) -> bool:
    """Whether ``r`` gets a log-uniform prior: from above 0 over more than two decades."""
    return r.low > 0 and r.high / r.low > LOG_SPAN


class _Model:
    """One run per particle: the square roots of the seen counts, or NaN for a runaway.

    A module-level class holding the predictor, so that Dask can pickle it. Each
    run's seed is drawn from numpy's global generator, the one pyabc samples
    with: so a single-core fit is reproducible from its own seed.
    """

    def __init__(self, predictor: Predictor, ranges: Sequence[FitRange], seen: BoolArray) -> None:
        self.predictor = predictor
        self.logs = tuple(_log_prior(r) for r in ranges)
        self.seen = seen
        self.size = int(seen.sum())

    def __call__(self, pars: Mapping[str, float]) -> dict[str, FloatArray]:
        values = [
            10.0 ** float(pars[f"p{i}"]) if log else float(pars[f"p{i}"])
            for i, log in enumerate(self.logs)
        ]
        seed = int(np.random.randint(0, 2**63 - 1, dtype=np.int64))  # noqa: NPY002 (pyabc's)
        try:
            counts = self.predictor.counts(values, seed)
        except RunawayError:
            return {_STAT: np.full(self.size, np.nan)}
        return {_STAT: np.sqrt(np.clip(counts[self.seen], 0.0, None))}


def _abcsmc(model: _Model, ranges: Sequence[FitRange], population: int, client: Any) -> Any:
    """pyabc's sampler, priors and adaptive distance around ``model``."""
    import pyabc  # type: ignore[import-untyped]

    priors = {}
    for i, r in enumerate(ranges):
        lo, hi = (np.log10(r.low), np.log10(r.high)) if _log_prior(r) else (r.low, r.high)
        priors[f"p{i}"] = pyabc.RV("uniform", float(lo), float(hi - lo))
    if client is None:  # check_max_eval: a generation under 1% acceptance stops early
        sampler = pyabc.sampler.SingleCoreSampler(check_max_eval=True)
    else:  # batches: one task per run would spend more on Dask than on the runs
        cores = max(1, sum(client.ncores().values()))
        batch = max(1, population // (BATCHES_PER_CORE * cores))
        sampler = pyabc.sampler.DaskDistributedSampler(dask_client=client, batch_size=batch)
    distance = pyabc.distance.AdaptivePNormDistance(p=2)  # scales: a NaN-aware MAD
    return pyabc.ABCSMC(
        model, pyabc.Distribution(**priors), distance, population_size=population, sampler=sampler
    )


@contextmanager
def _quiet_and_seeded(seed: int) -> Iterator[None]:
    """pyabc's loggers at WARNING and numpy's global generator seeded; both restored after."""
    import pyabc  # noqa: F401 (its import sets "ABC" to INFO)

    names = ["ABC", *(n for n in logging.root.manager.loggerDict if n.startswith("ABC."))]
    levels = {n: logging.getLogger(n).level for n in names}
    state = np.random.get_state()  # noqa: NPY002
    try:
        for n in names:
            logging.getLogger(n).setLevel(logging.WARNING)
        np.random.seed(seed)  # noqa: NPY002 (pyabc samples from the global generator)
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002
        for n, level in levels.items():
            logging.getLogger(n).setLevel(level)


def _generations(
    abc: Any, stops: dict[str, Any], on_generation: Callable | None, source: str
) -> None:
    """``ABCSMC.run``'s loop over its public steps, telling ``on_generation`` as each ends."""
    t = abc.initialize_components_before_run(
        min_acceptance_rate=MIN_ACCEPTANCE,
        max_total_nr_simulations=np.inf,
        min_eps_diff=0.0,
        **stops,
    )
    try:
        if not np.isfinite(abc.eps(t)):  # the prior sample's median distance is a runaway's
            raise InputError(
                "more than half of the runs drawn from the ranges ran away",
                source=source,
                allowed="narrower ranges, or longer runs (see RunawayError's message)",
            )
        while True:
            done = abc.run_generation(t=t)
            if not done["successful"]:
                break
            if on_generation is not None:
                pops = abc.history.get_all_populations().set_index("t")
                on_generation(t, float(pops.at[t, "epsilon"]), int(pops.at[t, "particles"]))
            if abc.check_terminate(t=t, acceptance_rate=done["acceptance_rate"]):
                break
            t += 1
    finally:
        abc.history.done(end_time=datetime.now())
        abc.sampler.stop()


def _summary(values: FloatArray, w: FloatArray, r: FitRange) -> Summary:
    """The weighted median and 95% interval of one key, with its open ends."""
    est, lo, hi = (weighted_quantile(values, w, q) for q in (0.5, 0.025, 0.975))
    scale = np.log10 if _log_prior(r) else (lambda v: v)
    a, b, low, high = (float(scale(v)) for v in (r.low, r.high, lo, hi))
    edge = EDGE * (b - a)
    return Summary(est, lo, hi, low - a <= edge, b - high <= edge)


def _result(history: Any, ranges: Sequence[FitRange], population: int, seconds: float) -> AbcFit:
    """The fit read from pyabc's history: its last generation and the counts of runs."""
    pops = history.get_all_populations().set_index("t")
    frame, w = history.get_distribution(m=0, t=history.max_t)
    w = np.asarray(w, dtype=np.float64) / np.sum(w)
    columns = {}
    for i, r in enumerate(ranges):
        v = frame[f"p{i}"].to_numpy(dtype=np.float64)
        v = 10.0**v if _log_prior(r) else v
        columns[r.name] = np.round(v) if r.integer else v
    posterior = pd.DataFrame({**columns, "weight": w})
    last = pops.loc[history.max_t]
    return AbcFit(
        posterior=posterior,
        estimates=tuple(_summary(columns[r.name], w, r) for r in ranges),
        epsilon=float(last["epsilon"]),
        generations=int(history.n_populations),
        simulations=int(history.total_nr_simulations),
        population=population,
        acceptance=float(last["particles"] / last["samples"]),
        seconds=seconds,
    )


def fit_abc(
    predictor: Predictor,
    observed: Observed,
    ranges: Sequence[FitRange],
    *,
    seed: int,
    population: int = 400,
    generations: int = 8,
    min_epsilon: float = 0.0,
    max_seconds: float | None = None,
    client: Any | None = None,
    on_generation: Callable[[int, float, int], None] | None = None,
) -> AbcFit:
    """Fit ``ranges``' keys to ``observed`` by ABC-SMC, one stochastic run per particle.

    Parameters
    ----------
    predictor
        Runs the model for values of the keys (a stochastic engine: ``"ssa"``, ``"tau"``).
    observed, ranges
        The counts to fit (the seen ones) and the keys, in ``predictor``'s order.
    seed
        Seeds numpy's global generator, which pyabc draws from (the caller's state
        is restored after): a fit on one core is the same for the same seed.
    population, generations, min_epsilon, max_seconds
        Particles per generation and when to stop (see the module's notes).
    client
        A ``dask.distributed.Client`` to run the particles on, else this process.
        A Dask fit is not reproducible bit for bit: its particles come back in the
        order they finish, and each task reseeds the workers' generator.
    on_generation
        Told ``(t, epsilon, accepted)`` as each generation ends, during the fit.

    Raises
    ------
    InputError
        If more than half of the runs drawn from the ranges run away, or not even the
        first generation accepts 1% of its runs.
    """
    model = _Model(predictor, ranges, observed.seen)
    y = np.sqrt(np.clip(observed.counts[observed.seen], 0.0, None))
    stops = {
        "minimum_epsilon": min_epsilon,
        "max_nr_populations": generations,
        "max_walltime": None if max_seconds is None else timedelta(seconds=max_seconds),
    }
    with tempfile.TemporaryDirectory(prefix="hyosan-abc-") as tmp, _quiet_and_seeded(seed):
        start = time.perf_counter()
        abc = _abcsmc(model, ranges, population, client)
        history = abc.new("sqlite:///" + os.path.join(tmp, "abc.db"), {_STAT: y})
        _generations(abc, stops, on_generation, observed.source)
        if history.max_t < 0:
            raise InputError(
                f"no generation of the fit accepted {MIN_ACCEPTANCE:.0%} of its runs",
                source=observed.source,
                allowed="ranges whose values mostly run (not away) and come near the data",
            )
        return _result(history, ranges, population, time.perf_counter() - start)
