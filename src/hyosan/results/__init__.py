"""Results: one type for every engine, and summaries as free functions over it."""

from hyosan.results.result import Result
from hyosan.results.summaries import (
    final_counts,
    peak,
    summarize,
    takeover_fraction,
    time_below,
    took_over,
)

__all__ = [
    "Result",
    "final_counts",
    "peak",
    "summarize",
    "takeover_fraction",
    "time_below",
    "took_over",
]
