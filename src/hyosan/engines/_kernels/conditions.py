"""Stop conditions checked inside the kernels: ``sum_i w[c, i] x[i]  op  threshold``.

Operator codes: 0 ``<``, 1 ``<=``, 2 ``>``, 3 ``>=``.
"""

from __future__ import annotations

from numba import njit


@njit(cache=True)
def first_condition(x, cond_w, cond_op, cond_thr):
    """Index of the first condition that holds in state ``x``, or -1."""
    for c in range(cond_thr.shape[0]):
        total = 0.0
        for i in range(x.shape[0]):
            total += cond_w[c, i] * x[i]
        op = cond_op[c]
        thr = cond_thr[c]
        if (
            (op == 0 and total < thr)
            or (op == 1 and total <= thr)
            or (op == 2 and total > thr)
            or (op == 3 and total >= thr)
        ):
            return c
    return -1
