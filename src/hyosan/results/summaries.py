"""Summaries of a :class:`~hyosan.results.Result`, as free functions.

Every time reported here is a time of the output grid: a peak or a crossing
that happens between two output times is reported at the grid point where it is
first seen, so the resolution is the spacing of the grid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from hyosan._typing import BoolArray, FloatArray
from hyosan.errors import unknown

if TYPE_CHECKING:  # pandas is imported when a frame is asked for: summarize needs none
    import pandas as pd

    from hyosan.results.result import Result  # annotations only: Result.summary() imports us

__all__ = [
    "final_counts",
    "peak",
    "summarize",
    "takeover_fraction",
    "time_below",
    "took_over",
]


def final_counts(result: Result) -> pd.DataFrame:
    """Counts at the last output time: one row per run (index ``run``), a column per compartment."""
    import pandas as pd

    final = result.counts[:, -1, :]
    index = pd.RangeIndex(result.runs, name="run")
    return pd.DataFrame(final, index=index, columns=list(result.compartments))


def peak(result: Result, compartments: Sequence[str] | None = None) -> pd.DataFrame:
    """Largest total of ``compartments`` in each run, and the first output time it is reached.

    Parameters
    ----------
    result
        The result.
    compartments
        Compartments summed before taking the maximum; default ``result.zombies``.

    Returns
    -------
    pandas.DataFrame
        Columns ``run``, ``peak`` and ``time``, one row per run.
    """
    import pandas as pd

    top, when = _peak(result, compartments)
    return pd.DataFrame({"run": np.arange(result.runs, dtype=np.int64), "peak": top, "time": when})


def _peak(result: Result, compartments: Sequence[str] | None) -> tuple[FloatArray, FloatArray]:
    total = _sum_of(result, result.zombies if compartments is None else compartments)
    where = np.argmax(total, axis=1)
    return total[np.arange(result.runs), where], result.times[where]


def time_below(
    result: Result, compartments: Sequence[str] | None = None, threshold: float = 1.0
) -> pd.Series:
    """First output time at which the total of ``compartments`` is below ``threshold``.

    The resolution is the output grid: the answer is the first grid time at which
    the total is seen below the threshold, not the exact crossing time.

    Parameters
    ----------
    result
        The result.
    compartments
        Compartments summed; default ``result.humans``.
    threshold
        The level; the default 1 means "fewer than one person left".

    Returns
    -------
    pandas.Series
        One value per run (index ``run``), NaN for a run that never goes below.
    """
    import pandas as pd

    times = _time_below(result, compartments, threshold)
    return pd.Series(times, index=pd.RangeIndex(result.runs, name="run"), name="time_below")


def _time_below(result: Result, compartments: Sequence[str] | None, threshold: float) -> FloatArray:
    total = _sum_of(result, result.humans if compartments is None else compartments)
    below = total < threshold
    first = np.argmax(below, axis=1)
    times: FloatArray = np.where(below.any(axis=1), result.times[first], np.nan)
    return times


def took_over(result: Result) -> pd.Series:
    """Whether zombies took over each run: at the last output time, fewer than
    one human is left and at least one zombie walks.

    A run that ends with everyone dead, zombies included (a strike), is not a
    takeover; nor is one in which humans remain.
    """
    import pandas as pd

    return pd.Series(
        _took_over(result), index=pd.RangeIndex(result.runs, name="run"), name="took_over"
    )


def _took_over(result: Result) -> BoolArray:
    humans = _sum_of(result, result.humans)[:, -1]
    zombies = _sum_of(result, result.zombies)[:, -1]
    over: BoolArray = (humans < 1.0) & (zombies >= 1.0)
    return over


def takeover_fraction(result: Result) -> tuple[float, float]:
    """Fraction of runs that zombies took over, and its binomial standard error.

    Returns
    -------
    tuple of float
        ``(p, sqrt(p * (1 - p) / runs))``.
    """
    p = float(_took_over(result).mean())
    return p, math.sqrt(p * (1.0 - p) / result.runs)


def summarize(result: Result) -> dict[str, Any]:
    """Per-run and aggregate summaries as plain Python values, ready for :func:`json.dumps`.

    Numbers that are not finite (a time that never happened, the spread of a
    single run) are ``None``. ``final_sd`` is the sample standard deviation over runs.

    Returns
    -------
    dict
        Keys ``scenario``, ``engine``, ``seed``, ``runs``, ``time_unit``,
        ``per_run`` (a list of dicts with ``run``, ``final``, ``peak_zombies``,
        ``peak_zombies_time``, ``humans_below_1_time``, ``zombies_took_over``,
        ``events``) and ``aggregate`` (``final_mean``, ``final_sd``,
        ``peak_zombies_mean``, ``peak_zombies_time_mean``, ``takeover_fraction``,
        ``takeover_fraction_se``).
    """
    comps = result.compartments
    final = result.counts[:, -1, :]
    top, when = _peak(result, None)
    below = _time_below(result, None, 1.0)
    over = _took_over(result)
    events = result.events
    per_run = [
        {
            "run": i,
            "final": {c: _num(final[i, j]) for j, c in enumerate(comps)},
            "peak_zombies": _num(top[i]),
            "peak_zombies_time": _num(when[i]),
            "humans_below_1_time": _num(below[i]),
            "zombies_took_over": bool(over[i]),
            "events": int(events[i]),
        }
        for i in range(result.runs)
    ]
    p, se = takeover_fraction(result)
    by_comp = np.ascontiguousarray(final.T)  # each compartment's runs summed pairwise, as pandas
    sd = by_comp.std(axis=1, ddof=1) if result.runs > 1 else final[0] * np.nan
    aggregate = {
        "final_mean": {c: _num(v) for c, v in zip(comps, by_comp.mean(axis=1), strict=True)},
        "final_sd": {c: _num(v) for c, v in zip(comps, sd, strict=True)},
        "peak_zombies_mean": _num(top.mean()),
        "peak_zombies_time_mean": _num(when.mean()),
        "takeover_fraction": p,
        "takeover_fraction_se": se,
    }
    return {
        "scenario": result.scenario_name,
        "engine": result.engine,
        "seed": result.seed,
        "runs": result.runs,
        "time_unit": result.time_unit,
        "per_run": per_run,
        "aggregate": aggregate,
    }


def _sum_of(result: Result, compartments: Sequence[str]) -> FloatArray:
    """Sum of the named compartments, shape ``(runs, times)``."""
    names = result.compartments
    if isinstance(compartments, str):
        compartments = (compartments,)
    missing = [c for c in compartments if c not in names]
    if missing:
        raise unknown("compartment", missing[0], names, key="compartments")
    idx = [names.index(c) for c in compartments]
    total: FloatArray = result.counts[:, :, idx].sum(axis=2)
    return total


def _num(value: Any) -> float | None:
    """A plain float, or None for NaN and infinities."""
    x = float(value)
    return x if math.isfinite(x) else None
