"""Adaptive explicit tau-leaping after Cao, Gillespie & Petzold (2006).

One step:

1. Reactions that could exhaust a reactant within ``n_critical`` firings are
   *critical*; they fire at most once per leap.
2. ``select_tau`` bounds the expected relative change of every reactant
   count by ``eps`` (the paper's eq. 32, with ``g_i`` from the highest order
   of the reactions that consume compartment ``i``).
3. Where that leap is shorter than ``n_ssa / a0``, leaping would not pay:
   the kernel takes up to 100 exact direct-method steps instead.
4. Otherwise it draws the time to the next critical firing, leaps by the
   smaller of the two, fires Poisson numbers of the non-critical reactions
   and at most one critical reaction; if any count would go negative, it
   halves the leap and draws again. Counts therefore never go negative.

Leaps never cross an output time, so output times receive exact states of
the simulated path (the same right-continuous convention as the direct
method).

References
----------
.. [1] Y. Cao, D. T. Gillespie, L. R. Petzold, "Efficient step size selection
   for the tau-leaping simulation method", J. Chem. Phys. 124, 044109 (2006).
"""

from __future__ import annotations

import math

import numpy as np

from hyosan.engines._kernels._jit import njit
from hyosan.engines._kernels.conditions import first_condition
from hyosan.engines._kernels.direct import direct_steps, record_until
from hyosan.engines._kernels.propensity import propensities
from hyosan.engines._kernels.status import BUDGET, CONDITION, REACHED

_N_SSA_STEPS = 100


@njit(cache=True)
def critical_reactions(x, a, stoich, n_critical, crit):
    """Mark in ``crit`` the live reactions that can fire fewer than ``n_critical`` times."""
    nc = x.shape[0]
    for j in range(a.shape[0]):
        crit[j] = False
        if a[j] <= 0.0:
            continue
        firings = math.inf
        for i in range(nc):
            v = stoich[j, i]
            if v < 0.0:
                firings = min(firings, math.floor(x[i] / -v))
        crit[j] = firings < n_critical


@njit(cache=True)
def select_tau(x, a, crit, stoich, r1, r2, law, eps):
    """Largest leap keeping each reactant's expected relative change under ``eps``.

    Implements eq. (32) of Cao, Gillespie & Petzold (2006) over the
    non-critical reactions; ``inf`` when none is live.
    """
    nc = x.shape[0]
    nr = a.shape[0]
    tau = math.inf
    for i in range(nc):
        g = 0.0
        for j in range(nr):
            if r1[j] == i or r2[j] == i:
                if law[j] >= 2:
                    if r1[j] == r2[j]:
                        g = max(g, 2.0 + 1.0 / (x[i] - 1.0) if x[i] > 1.0 else 3.0)
                    else:
                        g = max(g, 2.0)
                else:
                    g = max(g, 1.0)
        if g == 0.0:
            continue
        mu = 0.0
        s2 = 0.0
        for j in range(nr):
            if not crit[j] and a[j] > 0.0:
                v = stoich[j, i]
                mu += v * a[j]
                s2 += v * v * a[j]
        bound = max(eps * x[i] / g, 1.0)
        if mu != 0.0:
            tau = min(tau, bound / abs(mu))
        if s2 > 0.0:
            tau = min(tau, bound * bound / s2)
    return tau


@njit(cache=True)
def tau_leap_run(x, t, t_stop, m, cond, t_out, out, i_out, max_events, rng, eps, n_critical, n_ssa):
    """Tau-leap ``x`` (float64 counts, changed in place) from ``t`` towards ``t_stop``.

    Arguments as for ``ssa_direct_run``, plus ``eps`` (error control, 0.03 in
    the paper), ``n_critical`` (10) and ``n_ssa`` (10: leap only when the leap
    covers more than ``n_ssa`` expected events). Returns
    ``(status, t, i_out, n_events, condition)``.
    """
    k, law, r1, r2, stoich, in_n = m.k, m.law, m.r1, m.r2, m.stoich_f, m.in_n
    cond_w, cond_op, cond_thr = cond
    nr = k.shape[0]
    nc = x.shape[0]
    a = np.empty(nr)
    crit = np.empty(nr, dtype=np.bool_)
    fired = np.empty(nr)
    x_new = np.empty(nc)
    n_cond = cond_thr.shape[0]
    n_events = 0
    while n_events < max_events:
        while i_out < t_out.shape[0] and t_out[i_out] <= t and t_out[i_out] < t_stop:
            out[i_out, :] = x
            i_out += 1
        a0 = propensities(x, k, law, r1, r2, in_n, True, a)
        if a0 <= 0.0:
            i_out = record_until(x, t_stop, t_out, out, i_out)
            return REACHED, t_stop, i_out, n_events, -1
        t_cap = t_stop
        if i_out < t_out.shape[0] and t_out[i_out] < t_cap:
            t_cap = t_out[i_out]
        critical_reactions(x, a, stoich, n_critical, crit)
        tau1 = select_tau(x, a, crit, stoich, r1, r2, law, eps)
        if tau1 < n_ssa / a0:
            budget = min(_N_SSA_STEPS, max_events - n_events)
            status, t, i_out, done, c = direct_steps(
                x, t, t_stop, m, cond, t_out, out, i_out, budget, a, rng
            )
            n_events += done
            if status != BUDGET:
                return status, t, i_out, n_events, c
            continue
        while True:
            a0c = 0.0
            for j in range(nr):
                if crit[j]:
                    a0c += a[j]
            tau2 = math.inf
            if a0c > 0.0:
                tau2 = -math.log(1.0 - rng.random()) / a0c
            chosen = -1
            if tau1 < tau2:
                tau = tau1
            else:
                tau = tau2
                target = rng.random() * a0c
                acc = 0.0
                for j in range(nr):
                    if crit[j]:
                        acc += a[j]
                        chosen = j
                        if acc > target:
                            break
            capped = tau >= t_cap - t
            if capped:
                tau = t_cap - t
                chosen = -1
            for j in range(nr):
                fired[j] = 0.0
                if not crit[j] and a[j] > 0.0:
                    fired[j] = rng.poisson(a[j] * tau)
            if chosen >= 0:
                fired[chosen] = 1.0
            ok = True
            for i in range(nc):
                x_new[i] = x[i]
                for j in range(nr):
                    x_new[i] += fired[j] * stoich[j, i]
                if x_new[i] < 0.0:
                    ok = False
            if ok:
                break
            tau1 = tau / 2.0
        x[:] = x_new
        t = t_cap if capped else t + tau
        for j in range(nr):
            n_events += int(fired[j])
        if t >= t_stop:
            i_out = record_until(x, t_stop, t_out, out, i_out)
            return REACHED, t_stop, i_out, n_events, -1
        if n_cond > 0:
            c = first_condition(x, cond_w, cond_op, cond_thr)
            if c >= 0:
                return CONDITION, t, i_out, n_events, c
    return BUDGET, t, i_out, n_events, -1
