"""Adaptive tau-leaping in space (Cao, Gillespie & Petzold 2006, over all patches).

The well-mixed method (``tauleap.py``) applied to the ``P (R + C)`` channels
of a world. One step:

1. Every channel's propensity; channels that could exhaust a reactant within
   ``n_critical`` firings are critical (a move of compartment ``c`` out of
   ``p`` exhausts ``X[p, c]``; a coupled reaction's partner may be drawn from
   the patch's whole neighbourhood).
2. The leap ``tau1`` bounds every count's expected relative change by
   ``eps`` (Cao et al.'s eq. 32), the means and variances gathered from where
   each channel's changes land: moves spread over out-edges by weight, a
   coupled reaction's partner change over the neighbourhood by weighted count.
3. Where ``tau1 < n_ssa / a0`` leaping does not pay: up to
   ``max(100, P)`` exact events by the next-subvolume method instead.
4. Otherwise: the time to the next critical firing ``tau2``; leap by the
   smaller; Poisson numbers for non-critical channels, split over
   destinations by multinomial draws, and at most one critical firing. If a
   count would go negative the leap is halved and drawn again.

Leaps never cross an output time.

References
----------
.. [1] Y. Cao, D. T. Gillespie, L. R. Petzold, "Efficient step size selection
   for the tau-leaping simulation method", J. Chem. Phys. 124, 044109 (2006).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from hyosan.engines._kernels.conditions import first_condition
from hyosan.engines._kernels.direct import record_until
from hyosan.engines._kernels.nsm import nsm_steps
from hyosan.engines._kernels.space import out_weights, partner_count, patch_channels
from hyosan.engines._kernels.status import BUDGET, CONDITION, REACHED


@njit(cache=True)
def _order(law, r1, r2, mob, nc):
    """``g[c]``: Cao et al.'s highest-order factor for each compartment (0: never a reactant)."""
    g = np.zeros(nc)
    for j in range(law.shape[0]):
        for r in (r1[j], r2[j]):
            if r >= 0 and law[j] >= 1:
                g[r] = max(g[r], 2.0 if law[j] >= 2 else 1.0)
    for c in range(nc):
        if mob[c] > 0.0:
            g[c] = max(g[c], 1.0)
    return g


@njit(cache=True)
def _spread(
    X,
    a,
    crit,
    fired,
    leap,
    tau,
    chg_a,
    chg_b,
    coupled,
    coupling,
    r2,
    out_ptr,
    out_dst,
    out_w,
    wout,
    mu,
    s2,
    dX,
    rng,
):
    """Gather means/variances of the changes (``leap`` false) or apply drawn firings (true).

    With ``leap`` true, ``fired[p, j]`` firings are split over destinations by
    multinomial draws and added to ``dX``; otherwise ``mu``/``s2`` receive the
    expected change and its variance per unit time from non-critical channels.
    """
    n_patches, nch = a.shape
    nc = mu.shape[0] // n_patches
    nr = nch - nc
    for p in range(n_patches):
        base = p * nc
        for j in range(nch):
            if leap:
                n = fired[p, j]
                if n == 0.0:
                    continue
            else:
                if crit[p, j] or a[p, j] == 0.0:
                    continue
                n = a[p, j]
            if j < nr:
                for c in range(nc):
                    v = chg_a[j, c]
                    if v != 0.0:
                        if leap:
                            dX[base + c] += v * n
                        else:
                            mu[base + c] += v * n
                            s2[base + c] += v * v * n
                if not coupled[j]:
                    continue
                b = partner_count(p, r2[j], X, nc, coupling, out_ptr, out_dst, out_w)
                left = n
                rest = b
                for e in range(-1, out_ptr[p + 1] - out_ptr[p]):
                    if e < 0:
                        q = p
                        w = X[base + r2[j]]
                    else:
                        ee = out_ptr[p] + e
                        if out_w[ee] <= 0.0:
                            continue
                        q = out_dst[ee]
                        w = coupling * X[q * nc + r2[j]]
                    if w <= 0.0:
                        continue
                    if leap:
                        m = (
                            left
                            if w >= rest
                            else float(rng.binomial(int(left), min(w / rest, 1.0)))
                        )
                        left -= m
                    else:
                        m = n * w / b
                    rest -= w
                    for c in range(nc):
                        v = chg_b[j, c]
                        if v != 0.0:
                            if leap:
                                dX[q * nc + c] += v * m
                            else:
                                mu[q * nc + c] += v * m
                                s2[q * nc + c] += v * v * m
                    if leap and left <= 0.0:
                        break
            else:
                c = j - nr
                if leap:
                    dX[base + c] -= n
                else:
                    mu[base + c] -= n
                    s2[base + c] += n
                left = n
                rest = wout[p]
                for e in range(out_ptr[p], out_ptr[p + 1]):
                    w = out_w[e]
                    if w <= 0.0:
                        continue
                    q = out_dst[e]
                    if leap:
                        m = (
                            left
                            if w >= rest
                            else float(rng.binomial(int(left), min(w / rest, 1.0)))
                        )
                        left -= m
                        dX[q * nc + c] += m
                        if left <= 0.0:
                            break
                    else:
                        m = n * w / wout[p]
                        mu[q * nc + c] += m
                        s2[q * nc + c] += m
                    rest -= w


@njit(cache=True)
def _critical(X, a, chg_a, chg_b, coupled, coupling, r2, out_ptr, out_dst, out_w, n_critical, crit):
    """Mark channels that could exhaust a reactant within ``n_critical`` firings."""
    n_patches, nch = a.shape
    nc = chg_a.shape[1]
    nr = nch - nc
    for p in range(n_patches):
        for j in range(nch):
            crit[p, j] = False
            if a[p, j] <= 0.0:
                continue
            firings = math.inf
            if j < nr:
                for c in range(nc):
                    if chg_a[j, c] < 0.0:
                        firings = min(firings, math.floor(X[p * nc + c] / -chg_a[j, c]))
                    if chg_b[j, c] < 0.0 and coupled[j]:
                        pool = partner_count(p, c, X, nc, 1.0, out_ptr, out_dst, out_w)
                        firings = min(firings, math.floor(pool / -chg_b[j, c]))
            else:
                firings = X[p * nc + j - nr]
            crit[p, j] = firings < n_critical


@njit(cache=True)
def space_tau_run(
    X,
    t,
    t_stop,
    k,
    law,
    r1,
    r2,
    in_n,
    chg_a,
    chg_b,
    coupled,
    coupling,
    out_ptr,
    out_dst,
    out_w,
    mob,
    cond_w,
    cond_op,
    cond_thr,
    t_out,
    out,
    i_out,
    max_events,
    rng,
    eps,
    n_critical,
    n_ssa,
):
    """Tau-leap ``X`` from ``t`` towards ``t_stop``; see the module docstring.

    Returns ``(status, t, i_out, n_events, condition)``.
    """
    nr = k.shape[0]
    nc = mob.shape[0]
    n_patches = X.shape[0] // nc
    nch = nr + nc
    wout = out_weights(n_patches, out_ptr, out_w)
    g = _order(law, r1, r2, mob, nc)
    a = np.empty((n_patches, nch))
    crit = np.empty((n_patches, nch), dtype=np.bool_)
    fired = np.zeros((n_patches, nch))
    mu = np.empty(X.shape[0])
    s2 = np.empty(X.shape[0])
    dX = np.empty(X.shape[0])
    tot = np.empty(nc)
    n_cond = cond_thr.shape[0]
    n_exact = max(100, n_patches)
    n_events = 0
    while n_events < max_events:
        while i_out < t_out.shape[0] and t_out[i_out] <= t and t_out[i_out] < t_stop:
            out[i_out, :] = X
            i_out += 1
        a0 = 0.0
        for p in range(n_patches):
            a0 += patch_channels(
                p,
                X,
                k,
                law,
                r1,
                r2,
                in_n,
                coupled,
                coupling,
                out_ptr,
                out_dst,
                out_w,
                mob,
                wout,
                True,
                a,
            )
        if a0 <= 0.0:
            i_out = record_until(X, t_stop, t_out, out, i_out)
            return REACHED, t_stop, i_out, n_events, -1
        t_cap = t_stop
        if i_out < t_out.shape[0] and t_out[i_out] < t_cap:
            t_cap = t_out[i_out]
        _critical(
            X, a, chg_a, chg_b, coupled, coupling, r2, out_ptr, out_dst, out_w, n_critical, crit
        )
        mu[:] = 0.0
        s2[:] = 0.0
        _spread(
            X,
            a,
            crit,
            fired,
            False,
            0.0,
            chg_a,
            chg_b,
            coupled,
            coupling,
            r2,
            out_ptr,
            out_dst,
            out_w,
            wout,
            mu,
            s2,
            dX,
            rng,
        )
        tau1 = math.inf
        for i in range(X.shape[0]):
            gi = g[i % nc]
            if gi == 0.0:
                continue
            bound = max(eps * X[i] / gi, 1.0)
            if mu[i] != 0.0:
                tau1 = min(tau1, bound / abs(mu[i]))
            if s2[i] > 0.0:
                tau1 = min(tau1, bound * bound / s2[i])
        if tau1 < n_ssa / a0:
            status, t, i_out, done, cond = nsm_steps(
                X,
                t,
                t_stop,
                k,
                law,
                r1,
                r2,
                in_n,
                chg_a,
                chg_b,
                coupled,
                coupling,
                out_ptr,
                out_dst,
                out_w,
                mob,
                cond_w,
                cond_op,
                cond_thr,
                t_out,
                out,
                i_out,
                min(n_exact, max_events - n_events),
                rng,
            )
            n_events += done
            if status != BUDGET:
                return status, t, i_out, n_events, cond
            continue
        a0c = 0.0
        for p in range(n_patches):
            for j in range(nch):
                if crit[p, j]:
                    a0c += a[p, j]
        while True:
            tau2 = -math.log(1.0 - rng.random()) / a0c if a0c > 0.0 else math.inf
            tau = min(tau1, tau2)
            capped = tau >= t_cap - t
            if capped:
                tau = t_cap - t
            chosen_p = -1
            chosen_j = -1
            if not capped and tau2 <= tau1:
                target = rng.random() * a0c
                acc = 0.0
                for p in range(n_patches):
                    for j in range(nch):
                        if crit[p, j]:
                            acc += a[p, j]
                            chosen_p = p
                            chosen_j = j
                            if acc > target:
                                break
                    if acc > target:
                        break
            for p in range(n_patches):
                for j in range(nch):
                    fired[p, j] = 0.0
                    if not crit[p, j] and a[p, j] > 0.0:
                        fired[p, j] = rng.poisson(a[p, j] * tau)
            if chosen_p >= 0:
                fired[chosen_p, chosen_j] = 1.0
            dX[:] = 0.0
            _spread(
                X,
                a,
                crit,
                fired,
                True,
                tau,
                chg_a,
                chg_b,
                coupled,
                coupling,
                r2,
                out_ptr,
                out_dst,
                out_w,
                wout,
                mu,
                s2,
                dX,
                rng,
            )
            ok = True
            for i in range(X.shape[0]):
                if X[i] + dX[i] < 0.0:
                    ok = False
                    break
            if ok:
                break
            tau1 = tau / 2.0
        X += dX
        t = t_cap if capped else t + tau
        for p in range(n_patches):
            for j in range(nch):
                n_events += int(fired[p, j])
        if t >= t_stop:
            i_out = record_until(X, t_stop, t_out, out, i_out)
            return REACHED, t_stop, i_out, n_events, -1
        if n_cond > 0:
            tot[:] = 0.0
            for i in range(X.shape[0]):
                tot[i % nc] += X[i]
            cond = first_condition(tot, cond_w, cond_op, cond_thr)
            if cond >= 0:
                return CONDITION, t, i_out, n_events, cond
    return BUDGET, t, i_out, n_events, -1
