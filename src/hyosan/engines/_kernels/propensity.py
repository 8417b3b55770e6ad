"""Propensities and the deterministic right-hand side, for every rate law.

Rate-law codes (see ``hyosan.model.rates.RateLaw``): 0 constant ``k``,
1 first order ``k X``, 2 mass action ``k X Y``, 3 frequency dependent
``k X Y / N``. With ``exact`` true, a reaction with the same compartment twice
uses ``X (X - 1)`` (ordered pairs of distinct individuals).
"""

from __future__ import annotations

import numpy as np

from hyosan.engines._kernels._jit import njit


@njit(cache=True, inline="always")
def propensity(j, x, n_total, k, law, r1, r2, exact):
    """Propensity of reaction ``j`` in state ``x`` with living population ``n_total``."""
    code = law[j]
    if code == 0:
        return k[j]
    a = x[r1[j]]
    if code == 1:
        return k[j] * a
    b = x[r2[j]]
    if r1[j] == r2[j] and exact:
        b = a - 1.0
    if code == 2:
        return k[j] * a * b
    if n_total <= 0.0:
        return 0.0
    return k[j] * a * b / n_total


@njit(cache=True)
def propensities(x, k, law, r1, r2, in_n, exact, a):
    """Fill ``a`` with every reaction's propensity; return their sum ``a0``."""
    n_total = 0.0
    for i in range(x.shape[0]):
        n_total += in_n[i] * x[i]
    a0 = 0.0
    for j in range(k.shape[0]):
        a[j] = propensity(j, x, n_total, k, law, r1, r2, exact)
        a0 += a[j]
    return a0


@njit(cache=True)
def ode_rhs(x, k, law, r1, r2, stoich, in_n, dxdt):
    """Write ``dx/dt = sum_j v_j a_j(x)`` into ``dxdt`` (negative counts read as 0)."""
    nc = x.shape[0]
    xp = np.empty(nc)
    for i in range(nc):
        xp[i] = x[i] if x[i] > 0.0 else 0.0
    a = np.empty(k.shape[0])
    propensities(xp, k, law, r1, r2, in_n, False, a)
    for i in range(nc):
        dxdt[i] = 0.0
    for j in range(k.shape[0]):
        if a[j] != 0.0:
            for i in range(nc):
                dxdt[i] += stoich[j, i] * a[j]
