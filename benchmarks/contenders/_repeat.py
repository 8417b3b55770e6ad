"""Repeated timings of a warm kernel, for the runs that take milliseconds at small N."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

MIN_REPEATS = 3
MAX_REPEATS = 50
MIN_TOTAL_S = 0.5


def best_rate(once: Callable[[int], dict[str, Any]]) -> dict[str, Any]:
    """Call ``once(r)`` for r = 0, 1, ... until 3 calls and 0.5 s (at most 50 calls).

    ``once`` returns an outcome with ``events``; ``r`` offsets the seed, so
    calls differ. Returns the outcome of the call with the most events per
    second, its time as ``run_s``, and ``median_events_per_s`` and
    ``repeats`` over all calls.
    """
    rates: list[float] = []
    best: dict[str, Any] = {}
    total = 0.0
    while len(rates) < MAX_REPEATS and (len(rates) < MIN_REPEATS or total < MIN_TOTAL_S):
        start = time.perf_counter()
        out = once(len(rates))
        elapsed = time.perf_counter() - start
        rate = out["events"] / elapsed
        if not rates or rate > max(rates):
            best = {**out, "run_s": elapsed}
        rates.append(rate)
        total += elapsed
    return {**best, "median_events_per_s": statistics.median(rates), "repeats": len(rates)}
