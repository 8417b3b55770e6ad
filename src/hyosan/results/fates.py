"""How runs ended: how often each moment came, and whether the hybrids survived.

Two readings of a :class:`~hyosan.results.Result` across its runs, each a
share of runs or a mean over runs with its standard error:

- :func:`moment_chances`: for each recorded moment (the first zombie, the
  scenario's ``[[milestones]]``; ``milestone_time``), in how many runs it
  came and its chance, with the binomial standard error
  ``sqrt(p (1 - p) / runs)``;
- :func:`hybrid_fates`: the hybrids of each run, from the model's
  ``hybrids`` compartments: those at the start, those alive at the end (in
  a ``survivors`` compartment) and those killed (the growth of the others,
  the killed hybrids' own compartment, such as ``aouad-camp``'s ``Dh``);
  whether every hybrid survived, and the share of the run's hybrids alive
  at the end (those at the start and any newly turned). Over runs
  (:meth:`HybridFates.over_runs`): the chance that they all survived and the
  mean share, each with its standard error.

Under the ODE a count is an expectation, not people: "every hybrid
survived" has no meaning there and is NaN; the share is the expected one,
with a standard error of 0. At a chance of 0 or 1 the standard error is 0,
yet over ``n`` runs the other outcome may still have a chance up to about
``3 / n`` (95%, the rule of three).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hyosan._typing import FloatArray
from hyosan.results.result import Result

__all__ = ["Chance", "HybridFates", "hybrid_fates", "moment_chances"]


@dataclass(frozen=True, slots=True)
class Chance:
    """A share of runs, or a mean over runs, with its standard error (NaN: not defined)."""

    value: float
    se: float

    def text(self) -> str:
        """``"0.18 ± 0.04"``."""
        return f"{self.value:.2f} ± {self.se:.2f}"


def _share(hits: FloatArray, stochastic: bool) -> Chance:
    """The mean of 0/1 values (NaN left out), with the binomial standard error."""
    seen = hits[~np.isnan(hits)]
    if not seen.size:
        return Chance(math.nan, math.nan)
    p = float(seen.mean())
    return Chance(p, math.sqrt(p * (1.0 - p) / seen.size) if stochastic else 0.0)


def _mean(values: FloatArray, stochastic: bool) -> Chance:
    """The mean of the values (NaN left out), with ``sd / sqrt(n)`` (NaN for one value)."""
    seen = values[~np.isnan(values)]
    if not seen.size:
        return Chance(math.nan, math.nan)
    if not stochastic:
        return Chance(float(seen.mean()), 0.0)
    se = float(seen.std(ddof=1)) / math.sqrt(seen.size) if seen.size > 1 else math.nan
    return Chance(float(seen.mean()), se)


def moment_chances(result: Result) -> list[tuple[str, int, Chance]]:
    """Each recorded moment's text, the runs it came in, and its chance over the runs.

    Empty when the result records no moments (``milestone_time``).
    """
    if not result.has("milestone_time"):
        return []
    times = np.asarray(result.values_of("milestone_time"), dtype=np.float64)
    came = (~np.isnan(times)).astype(np.float64)
    stochastic = result.engine != "ode"
    return [
        (str(name), int(came[:, i].sum()), _share(came[:, i], stochastic))
        for i, name in enumerate(result.values_of("milestone"))
    ]


@dataclass(frozen=True, slots=True)
class HybridFates:
    """The hybrids of each run: ``start`` (alive at the first output time), ``alive`` (at
    the last), ``killed`` (during the run); and whether the runs were stochastic."""

    start: FloatArray
    alive: FloatArray
    killed: FloatArray
    stochastic: bool

    @property
    def all_survived(self) -> FloatArray:
        """1 where no hybrid was killed, else 0; NaN under the ODE."""
        if not self.stochastic:
            return np.full(self.killed.shape, np.nan)
        return (self.killed < 0.5).astype(np.float64)

    @property
    def share_alive(self) -> FloatArray:
        """The share of each run's hybrids alive at the end; NaN where it had none."""
        ever = self.alive + self.killed
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(ever > 0, self.alive / ever, np.nan)

    def over_runs(self) -> tuple[Chance, Chance]:
        """The chance that every hybrid survived, and the mean share alive at the end."""
        return _share(self.all_survived, self.stochastic), _mean(self.share_alive, self.stochastic)


def hybrid_fates(
    result: Result, hybrids: Sequence[str], survivors: Sequence[str]
) -> HybridFates | None:
    """The hybrids' fates in each run of ``result``; ``None`` if the model names no hybrids.

    ``hybrids`` are the model's hybrid compartments (its ``hybrids``), the alive
    among them those in ``survivors`` (its ``surviving``); the others hold the
    killed, so a model that sends a killed hybrid elsewhere (to ``D`` with the
    dead humans) undercounts them.
    """
    comps = result.compartments
    names = [c for c in hybrids if c in comps]
    if not names:
        return None
    counts = result.counts
    alive = [comps.index(c) for c in names if c in survivors]
    dead = [comps.index(c) for c in names if c not in survivors]
    lost = counts[:, -1, dead].sum(axis=1) - counts[:, 0, dead].sum(axis=1)
    return HybridFates(
        start=counts[:, 0, alive].sum(axis=1),
        alive=counts[:, -1, alive].sum(axis=1),
        killed=lost,
        stochastic=result.engine != "ode",
    )
