"""Type aliases shared across hyosan."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

SeedLike: TypeAlias = int | np.random.SeedSequence | np.random.Generator | None
"""What a ``seed`` argument accepts: an int, a SeedSequence, a Generator or None."""

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

__all__ = ["BoolArray", "FloatArray", "IntArray", "SeedLike"]
