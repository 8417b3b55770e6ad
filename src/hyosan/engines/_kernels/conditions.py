"""Stop conditions checked inside the kernels.

Well mixed, a condition is ``sum_c w[k, c] x[c]  op  threshold``. In space it
sums over the patches of its region too: ``sum_{p, c} m[k, p] w[k, c]
X[p * C + c]``, with ``m[k]`` the region's mask (all ones for the whole
world). The spatial kernels keep these sums as running totals, credited with
every change, so a check costs O(conditions) per event.

Operator codes: 0 ``<``, 1 ``<=``, 2 ``>``, 3 ``>=``.
"""

from __future__ import annotations

import numpy as np

from hyosan.engines._kernels._jit import njit


@njit(cache=True)
def _holds(total, op, thr):
    return (
        (op == 0 and total < thr)
        or (op == 1 and total <= thr)
        or (op == 2 and total > thr)
        or (op == 3 and total >= thr)
    )


@njit(cache=True)
def first_condition(x, cond_w, cond_op, cond_thr):
    """Index of the first condition that holds in well-mixed state ``x``, or -1."""
    for c in range(cond_thr.shape[0]):
        total = 0.0
        for i in range(x.shape[0]):
            total += cond_w[c, i] * x[i]
        if _holds(total, cond_op[c], cond_thr[c]):
            return c
    return -1


@njit(cache=True)
def region_sums(X, cond_w, cond_m):
    """Each condition's sum over its region, for the spatial state ``X`` (``P * C``)."""
    n_cond, nc = cond_w.shape
    s = np.zeros(n_cond)
    for i in range(X.shape[0]):
        if X[i] != 0.0:
            p = i // nc
            c = i - p * nc
            for k in range(n_cond):
                s[k] += cond_w[k, c] * cond_m[k, p] * X[i]
    return s


@njit(cache=True)
def credit(s, cond_w, cond_m, p, c, d):
    """Add a change ``d`` of compartment ``c`` in patch ``p`` to the running sums."""
    for k in range(s.shape[0]):
        s[k] += cond_w[k, c] * cond_m[k, p] * d


@njit(cache=True)
def first_holding(s, cond_op, cond_thr):
    """Index of the first condition whose running sum holds, or -1."""
    for k in range(s.shape[0]):
        if _holds(s[k], cond_op[k], cond_thr[k]):
            return k
    return -1
