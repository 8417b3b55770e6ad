"""Results: one type for every engine, and summaries as free functions over it."""

from hyosan.results import summaries
from hyosan.results.result import Result
from hyosan.results.summaries import *  # noqa: F403 (the summaries, as listed in their __all__)

__all__ = ["Result", *summaries.__all__]
