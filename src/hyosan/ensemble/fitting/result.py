"""What a fit gives: each key's estimate and 95% interval, the fitted scenario, a band."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from hyosan._typing import FloatArray
from hyosan.ensemble.fitting.types import FitRange, Observed
from hyosan.scenario import Scenario

__all__ = ["Band", "FitResult", "KeyFit", "quantile_band", "warnings_for"]


@dataclass(frozen=True, slots=True)
class KeyFit:
    """One key's estimate and 95% interval, and whether the data bound it on each side.

    ``open_low`` (``open_high``): the interval reaches the range's lower (upper)
    end, so that end is the range's, not the data's.
    """

    range: FitRange
    estimate: float
    low: float
    high: float
    open_low: bool = False
    open_high: bool = False

    @property
    def identified(self) -> bool:
        return not (self.open_low or self.open_high)


@dataclass(frozen=True, slots=True, eq=False)
class Band:
    """The fitted model against time: its middle line and 95% band per observed column.

    ``median``/``low``/``high`` are ``(times, columns)``. Least squares: the ODE's
    counts and the 95% range of an observation about them under the noise model;
    abc: the median and 2.5%/97.5% quantiles of runs drawn from the posterior.
    """

    times: FloatArray
    median: FloatArray
    low: FloatArray
    high: FloatArray
    label: str


@dataclass(frozen=True, slots=True, eq=False)
class FitResult:
    """A fit of a scenario's keys to observed counts (:func:`hyosan.fit`).

    ``settings`` holds the method's settings and figures (the noise model and
    its size ``k``, the negative log-likelihood, evaluations; for abc the
    population, generations, final epsilon and runs). ``posterior`` (abc) is
    the final generation's particles with their weights.
    """

    method: str
    engine: str
    keys: tuple[KeyFit, ...]
    scenario: Scenario
    observed: Observed
    seed: int
    band: Band
    settings: dict[str, Any] = field(default_factory=dict)
    posterior: pd.DataFrame | None = None
    warnings: tuple[str, ...] = ()

    @property
    def estimates(self) -> dict[str, float]:
        """Each key's estimate, by its name (``"beta"``, ``"initial.I"``)."""
        return {k.range.name: k.estimate for k in self.keys}

    def table(self) -> pd.DataFrame:
        """One row per key: estimate, 95% interval, the range and whether the data bound it."""
        rows = [
            {
                "key": k.range.name,
                "estimate": k.estimate,
                "low": k.low,
                "high": k.high,
                "range": f"{_g(k.range.low)}:{_g(k.range.high)}",
                "identified": k.identified,
            }
            for k in self.keys
        ]
        return pd.DataFrame(rows).set_index("key")

    def to_dict(self) -> dict[str, Any]:
        """What ``fit.json`` holds."""
        return {
            "scenario": self.scenario.name,
            "method": self.method,
            "engine": self.engine,
            "seed": self.seed,
            "data": {
                "source": self.observed.source,
                "sha256": self.observed.digest,
                "columns": list(self.observed.columns),
                "times": len(self.observed.times),
                "observations": int(self.observed.seen.sum()),
            },
            "keys": {
                k.range.name: {
                    "key": k.range.key,
                    "estimate": k.estimate,
                    "interval_95": [k.low, k.high],
                    "range": [k.range.low, k.range.high],
                    "identified": k.identified,
                    "open_low": k.open_low,
                    "open_high": k.open_high,
                }
                for k in self.keys
            },
            "settings": self.settings,
            "warnings": list(self.warnings),
        }

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{k.range.name}={_g(k.estimate)} [{_g(k.low)}, {_g(k.high)}]" for k in self.keys
        )
        return f"<FitResult {self.method} of {self.scenario.name}: {shown}>"


def warnings_for(keys: tuple[KeyFit, ...]) -> tuple[str, ...]:
    """A warning per key the data do not bound: on one side, or not at all."""
    said = []
    for k in keys:
        r = k.range
        span = f"{_g(r.low)}:{_g(r.high)}"
        if k.open_low and k.open_high:
            said.append(
                f"{r.name}: the data cannot identify it: its 95% interval is its whole range {span}"
            )
        elif k.open_low or k.open_high:
            side, end = ("below", r.low) if k.open_low else ("above", r.high)
            said.append(
                f"{r.name}: the data do not bound it from {side}: its 95% interval runs to "
                f"the range's end, {_g(end)}"
            )
    return tuple(said)


def _g(x: float) -> str:
    return f"{x:.4g}"


def quantile_band(runs: FloatArray, times: FloatArray, label: str) -> Band:
    """The median and 2.5%/97.5% quantiles over ``runs`` ``(runs, times, columns)``."""
    lo, mid, hi = np.percentile(runs, [2.5, 50.0, 97.5], axis=0)
    return Band(times, mid, lo, hi, label)
