"""Stop-condition kernels (``_kernels/conditions.py``): jitted equals ``py_func``, to the bit.

``first_condition`` is checked in ``test_kernels.py``; these are the helpers the
spatial kernels use: ``_holds``, ``region_sums``, ``credit`` and ``first_holding``.
The condition arrays are written out here as the engines build them (weights
over compartments, a mask over patches, operator codes, thresholds).
"""

from __future__ import annotations

import operator

import numpy as np
import pytest
from numpy.random import PCG64, Generator

from hyosan.engines._kernels.conditions import _holds, credit, first_holding, region_sums
from hyosan.model import builtin_model

N_PATCHES = 6
CONDITIONS = [  # compartments, operator code, threshold, region (None: every patch)
    (("Z",), 3, 3.0, (2,)),  # Z >= 3 in one patch
    (("S", "E"), 0, 50.0, (0, 3)),  # S + E < 50 in two patches
    (("Z", "H"), 2, 20.0, None),  # Z + H > 20
    (("D",), 1, 0.0, None),  # D <= 0
]
OPS = [operator.lt, operator.le, operator.gt, operator.ge]  # codes 0 1 2 3


class Arrays:
    """``CONDITIONS`` on aouad in six patches, as the kernels read them."""

    def __init__(self) -> None:
        comps = builtin_model("aouad").compartments
        k = len(CONDITIONS)
        self.weights = np.zeros((k, len(comps)))
        self.masks = np.ones((k, N_PATCHES))
        for i, (names, _, _, region) in enumerate(CONDITIONS):
            self.weights[i, [comps.index(c) for c in names]] = 1.0
            if region is not None:
                self.masks[i] = 0.0
                self.masks[i, list(region)] = 1.0
        self.ops = np.array([c[1] for c in CONDITIONS], dtype=np.int64)
        self.thresholds = np.array([c[2] for c in CONDITIONS])

    def dense(self) -> np.ndarray:
        """``(K, P * C)`` weights over the whole state, patch by patch."""
        return (self.masks[:, :, None] * self.weights[:, None, :]).reshape(len(self.ops), -1)


def _state(seed: int, n: int) -> np.ndarray:
    """Whole counts, a quarter of them zero (``region_sums`` skips zeros)."""
    rng = Generator(PCG64(seed))
    x = rng.integers(0, 30, size=n).astype(float)
    x[rng.random(n) < 0.25] = 0.0
    return x


@pytest.mark.parametrize("op", range(4))
def test_holds_equals_py_func_and_the_operator(op: int) -> None:
    """Below, at and above the threshold, each operator code gives its operator's answer."""
    for total in (9.0, 10.0, 10.5, -1.0, np.inf):
        want = OPS[op](total, 10.0)
        assert _holds(total, op, 10.0) == _holds.py_func(total, op, 10.0) == want


def test_region_sums_equals_py_func_and_the_dense_sum() -> None:
    """Each condition's sum over its region, compiled and as Python, is the dense weighted sum."""
    cond = Arrays()
    w, m = cond.weights, cond.masks
    for seed in range(5):
        X = _state(seed, N_PATCHES * w.shape[1])
        got = region_sums(X, w, m)
        np.testing.assert_array_equal(got, region_sums.py_func(X, w, m))
        np.testing.assert_array_equal(got, cond.dense() @ X)  # whole counts: exact


def test_credit_equals_py_func_and_keeps_the_sums_running() -> None:
    """Crediting 200 random changes one by one, compiled and as Python, gives the same sums,
    and they are the sums of the changed state."""
    cond = Arrays()
    w, m = cond.weights, cond.masks
    nc = w.shape[1]
    X = _state(1, N_PATCHES * nc)
    s1, s2 = region_sums(X, w, m), region_sums(X, w, m)
    rng = Generator(PCG64(2))
    for _ in range(200):
        p, c = int(rng.integers(N_PATCHES)), int(rng.integers(nc))
        d = float(rng.integers(-3, 4))
        X[p * nc + c] += d
        credit(s1, w, m, p, c, d)
        credit.py_func(s2, w, m, p, c, d)
        np.testing.assert_array_equal(s1, s2)
    np.testing.assert_array_equal(s1, region_sums(X, w, m))


def test_first_holding_equals_py_func() -> None:
    """The first condition whose running sum holds, or -1, compiled and as Python; over
    random sums near the thresholds every answer from -1 to 3 comes up."""
    cond = Arrays()
    rng = Generator(PCG64(3))
    seen = set()
    for _ in range(500):
        s = cond.thresholds + rng.integers(-3, 4, size=len(cond.ops))
        got = first_holding(s, cond.ops, cond.thresholds)
        assert got == first_holding.py_func(s, cond.ops, cond.thresholds)
        seen.add(got)
    assert seen == {-1, 0, 1, 2, 3}
