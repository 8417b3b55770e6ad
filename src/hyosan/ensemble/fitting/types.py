"""What a fit is given: the observed counts and the keys to fit, each with its range."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hyosan._typing import FloatArray

__all__ = ["FitRange", "Observed"]


@dataclass(frozen=True, slots=True, eq=False)
class Observed:
    """Counts observed over time, one column per compartment or sum of compartments.

    ``counts[i, j]`` is column ``j`` at ``times[i]`` (NaN: not observed).
    ``members[j]`` are the indices, in the model's compartments, that column ``j``
    sums (``"E+Z"``: those of E and Z). ``digest`` is the SHA-256 of the data as
    read (the file's bytes, or the frame's values), recorded in ``fit.json``.
    """

    source: str
    times: FloatArray
    columns: tuple[str, ...]
    members: tuple[tuple[int, ...], ...]
    counts: FloatArray
    digest: str

    @property
    def seen(self) -> np.ndarray:
        """Where a count was observed (bool, like ``counts``)."""
        return ~np.isnan(self.counts)


@dataclass(frozen=True, slots=True)
class FitRange:
    """One key to fit and its range, ``low < high``.

    ``key`` is a full scenario key (``"parameters.beta"``, ``"initial.I"``,
    ``"world.seed[0].count"``); ``integer``: the key holds a whole number
    (an initial count, a seed's count), so stochastic engines get it rounded.
    ``log``: fitted and searched on a log scale (``low > 0``).
    """

    key: str
    low: float
    high: float
    integer: bool = False

    @property
    def log(self) -> bool:
        return self.low > 0

    @property
    def name(self) -> str:
        """The key as a user would write it: a parameter's bare name, else the key."""
        head, _, rest = self.key.partition(".")
        return rest if head == "parameters" and "." not in rest and "[" not in rest else self.key
