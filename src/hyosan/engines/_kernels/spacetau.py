"""Tau-leaping in space: leap where counts are large, exact where they are small, walk by splitting.

One step of length ``tau`` from the state ``X``:

1. Every patch's reaction propensities. A patch is *exact* if one of its live
   reactions could exhaust a reactant of compartment ``c`` within
   ``n_critical[c]`` firings (Cao, Gillespie & Petzold's critical reactions),
   or if it expects fewer than ``n_ssa`` reaction events in the leap; the
   other patches *leap*. A compartment with ``n_critical[c] = 0`` never makes
   a patch exact: a followed character (a count of 0 or 1) leaps with the
   crowd around it, its reactions drawn as Poisson numbers like the others',
   and a step in which it would fire twice is halved and drawn again (3.).
2. ``tau`` bounds the expected relative change of every count in the
   leaping patches by ``eps`` (Cao et al.'s eq. 32, over their reactions),
   the chance that one individual moves by ``3 eps`` (so that two moves in
   one step stay rare), and never crosses an output time.
3. Reactions: a leaping patch fires Poisson numbers of each reaction; an
   exact patch runs the direct method over ``[t, t + tau)`` on its own counts.
   A coupled reaction's partner is drawn from the neighbourhood by weighted
   count at the start of the step (multinomially when leaping). If any count
   would go negative the step is halved and drawn again.
4. Movement, after the reactions (operator splitting, as in the multinomial
   simulation algorithm): each individual of ``c`` in ``p`` leaves with
   probability ``1 - exp(-mob[c] wout[p] tau)`` (a binomial draw per patch
   and compartment), to an out-edge chosen by weight (binomial splitting).
   Moves never make a count negative.

The errors are those of tau-leaping (first order in ``eps``) and of the
splitting (first order in ``tau``); both vanish as ``eps -> 0``.

Only patches where something can happen are visited: a patch whose
propensities are all zero stays so until its counts or (with coupling) its
neighbours' counts change, so each step visits the live patches and, next
step, those the step changed. Cost per step: O(A (R + C d)) for ``A`` live
patches, plus the exact events of the exact patches.

References
----------
.. [1] Y. Cao, D. T. Gillespie, L. R. Petzold, "Efficient step size selection
   for the tau-leaping simulation method", J. Chem. Phys. 124, 044109 (2006).
.. [2] S. Lampoudi, D. T. Gillespie, L. R. Petzold, "The multinomial
   simulation algorithm for discrete stochastic simulation of
   reaction-diffusion systems", J. Chem. Phys. 130, 094104 (2009).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from hyosan.engines._kernels.conditions import credit, first_holding, region_sums
from hyosan.engines._kernels.direct import record_until
from hyosan.engines._kernels.space import out_weights, partner_count, patch_channels, share
from hyosan.engines._kernels.spacepatch import exact_patch, to_partners
from hyosan.engines._kernels.status import BUDGET, CONDITION, REACHED


@njit(cache=True)
def _sparse(chg_a, chg_b):
    """For each reaction the compartments it changes (in its patch or its partner's).

    Returns ``(n, cs)``: reaction ``j`` changes ``cs[j, :n[j]]``. Tagged models
    have many reactions and compartments, each reaction touching at most four.
    """
    nr, nc = chg_a.shape
    n = np.zeros(nr, dtype=np.int64)
    cs = np.zeros((nr, nc), dtype=np.int64)
    for j in range(nr):
        for c in range(nc):
            if chg_a[j, c] != 0.0 or chg_b[j, c] != 0.0:
                cs[j, n[j]] = c
                n[j] += 1
    return n, cs


@njit(cache=True)
def _plan(
    X,
    a,
    g,
    chg_a,
    chg_b,
    nz_n,
    nz_c,
    coupled,
    coupling,
    r2,
    out_ptr,
    out_dst,
    out_w,
    eps,
    n_critical,
    exact,
    ids,
    n_ids,
):
    """Mark patches with critical reactions as exact; return Cao's leap over the others.

    Only the patches ``ids[:n_ids]`` (those where something can happen) and
    their live reactions are visited.
    """
    nc = chg_a.shape[1]
    nr = chg_a.shape[0]
    live = np.empty(nr, dtype=np.int64)
    mu = np.zeros(nc)
    s2 = np.zeros(nc)
    tau = math.inf
    for i in range(n_ids):
        p = ids[i]
        exact[p] = False
        base = p * nc
        n_live = 0
        for j in range(nr):
            if a[p, j] > 0.0:
                live[n_live] = j
                n_live += 1
        for q in range(n_live):
            j = live[q]
            for m in range(nz_n[j]):
                c = nz_c[j, m]
                if chg_a[j, c] < 0.0 and X[base + c] < -chg_a[j, c] * n_critical[c]:
                    exact[p] = True
                if coupled[j] and chg_b[j, c] < 0.0:
                    pool = partner_count(p, c, X, nc, coupling, out_ptr, out_dst, out_w)
                    if pool < -chg_b[j, c] * n_critical[c]:
                        exact[p] = True
        if exact[p]:
            continue
        for q in range(n_live):  # partner changes counted here, for the bound only
            j = live[q]
            for m in range(nz_n[j]):
                c = nz_c[j, m]
                v = chg_a[j, c] + chg_b[j, c]
                mu[c] += v * a[p, j]
                s2[c] += v * v * a[p, j]
        for c in range(nc):
            if g[c] != 0.0 and (mu[c] != 0.0 or s2[c] > 0.0):
                bound = max(eps * X[base + c] / g[c], 1.0)
                if mu[c] != 0.0:
                    tau = min(tau, bound / abs(mu[c]))
                if s2[c] > 0.0:
                    tau = min(tau, bound * bound / s2[c])
            mu[c] = 0.0
            s2[c] = 0.0
    return tau


@njit(cache=True)
def _order(law, r1, r2, nc):
    """``g[c]``: Cao et al.'s highest-order factor for each compartment (0: never a reactant)."""
    g = np.zeros(nc)
    for j in range(law.shape[0]):
        for r in (r1[j], r2[j]):
            if r >= 0 and law[j] >= 1:
                g[r] = max(g[r], 2.0 if law[j] >= 2 else 1.0)
    return g


@njit(cache=True)
def _react(
    tau,
    X,
    a,
    exact,
    k,
    law,
    r1,
    r2,
    in_n,
    chg_a,
    chg_b,
    nz_n,
    nz_c,
    coupled,
    coupling,
    out_ptr,
    out_dst,
    out_w,
    dX,
    ids,
    n_ids,
    rng,
):
    """Step 3 of the module docstring: reaction changes over ``tau`` into ``dX``; events."""
    nr = k.shape[0]
    nc = chg_a.shape[1]
    events = 0
    xl = np.empty(nc)
    al = np.empty((1, nr))
    for i in range(n_ids):
        p = ids[i]
        live = False
        for j in range(nr):
            live = live or a[p, j] > 0.0
        if not live:  # nothing can react here during the step (neighbours frozen)
            continue
        if exact[p]:
            events += exact_patch(
                p,
                tau,
                X,
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
                dX,
                xl,
                al,
                rng,
            )
            continue
        for j in range(nr):
            if a[p, j] <= 0.0:
                continue
            n = float(rng.poisson(a[p, j] * tau))
            if n == 0.0:
                continue
            events += int(n)
            for m in range(nz_n[j]):
                c = nz_c[j, m]
                dX[p * nc + c] += chg_a[j, c] * n
            if coupled[j]:
                to_partners(p, j, n, X, nc, r2, chg_b, coupling, out_ptr, out_dst, out_w, dX, rng)
    return events


@njit(cache=True)
def _walk(tau, X, mob, wout, out_ptr, out_dst, out_w, dX, ids, n_ids, rng):
    """Step 4 of the module docstring: moves over ``tau`` into ``dX``; returns the moves."""
    nc = mob.shape[0]
    moves = 0
    for i in range(n_ids):
        p = ids[i]
        if wout[p] <= 0.0:
            continue
        for c in range(nc):
            x = X[p * nc + c]
            if x <= 0.0 or mob[c] <= 0.0:
                continue
            n = float(rng.binomial(int(x), -math.expm1(-mob[c] * wout[p] * tau)))
            if n == 0.0:
                continue
            moves += int(n)
            dX[p * nc + c] -= n
            left = n
            rest = wout[p]
            for e in range(out_ptr[p], out_ptr[p + 1]):
                w = out_w[e]
                if w <= 0.0:
                    continue
                m = share(left, w, rest, rng)
                dX[out_dst[e] * nc + c] += m
                left -= m
                rest -= w
                if left <= 0.0:
                    break
    return moves


@njit(cache=True)
def _apply(X, dX, csum, cond_w, cond_m, changed, n_changed):
    """``X += dX`` and the conditions' sums, over the changed patches; leaves ``dX`` zero there."""
    nc = cond_w.shape[1]
    watched = csum.shape[0] > 0
    for i in range(n_changed):
        base = changed[i] * nc
        for c in range(nc):
            d = dX[base + c]
            if d != 0.0:
                X[base + c] += d
                if watched:
                    credit(csum, cond_w, cond_m, changed[i], c, d)
                dX[base + c] = 0.0


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
    cond_m,
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
    """Leap ``X`` from ``t`` towards ``t_stop``; see the module docstring.

    Returns ``(status, t, i_out, n_events, condition)``; events count reactions and moves.
    """
    nr = k.shape[0]
    nc = mob.shape[0]
    n_patches = X.shape[0] // nc
    wout = out_weights(n_patches, out_ptr, out_w)
    g = _order(law, r1, r2, nc)
    a = np.empty((n_patches, nr + nc))
    exact = np.empty(n_patches, dtype=np.bool_)
    dX = np.zeros(X.shape[0])
    csum = region_sums(X, cond_w, cond_m)
    any_coupled = False
    for j in range(nr):
        any_coupled = any_coupled or coupled[j]
    nz_n, nz_c = _sparse(chg_a, chg_b)
    ids = np.empty(n_patches, dtype=np.int64)  # patches where something can happen
    changed = np.empty(n_patches, dtype=np.int64)  # those and their out-neighbours
    cand = np.arange(n_patches)  # patches whose propensities may have changed
    n_cand = n_patches
    mark = np.zeros(n_patches, dtype=np.int64)
    stamp = 0
    n_cond = cond_thr.shape[0]
    n_events = 0
    while n_events < max_events:
        while i_out < t_out.shape[0] and t_out[i_out] <= t and t_out[i_out] < t_stop:
            out[i_out, :] = X
            i_out += 1
        a0 = 0.0
        n_ids = 0
        for i in range(n_cand):
            p = cand[i]
            sp = patch_channels(
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
            if sp > 0.0:
                ids[n_ids] = p
                n_ids += 1
                a0 += sp
        if a0 <= 0.0:
            i_out = record_until(X, t_stop, t_out, out, i_out)
            return REACHED, t_stop, i_out, n_events, -1
        t_cap = t_stop
        if i_out < t_out.shape[0] and t_out[i_out] < t_cap:
            t_cap = t_out[i_out]
        tau = _plan(
            X,
            a,
            g,
            chg_a,
            chg_b,
            nz_n,
            nz_c,
            coupled,
            coupling,
            r2,
            out_ptr,
            out_dst,
            out_w,
            eps,
            n_critical,
            exact,
            ids,
            n_ids,
        )
        stamp += 1
        n_changed = 0
        for i in range(n_ids):
            p = ids[i]
            for e in range(out_ptr[p] - 1, out_ptr[p + 1]):
                q = p if e < out_ptr[p] else out_dst[e]
                if mark[q] != stamp:
                    mark[q] = stamp
                    changed[n_changed] = q
                    n_changed += 1
        for i in range(n_ids):
            p = ids[i]
            for c in range(nc):
                rate = mob[c] * wout[p]
                if rate > 0.0 and X[p * nc + c] > 0.0:
                    tau = min(tau, 3.0 * eps / rate)
        for i in range(n_ids):  # leaping pays only where many events are due
            p = ids[i]
            if not exact[p]:
                a0p = 0.0
                for j in range(nr):
                    a0p += a[p, j]
                exact[p] = a0p * min(tau, t_cap - t) < n_ssa
        capped = tau >= t_cap - t
        if capped:
            tau = t_cap - t
        while True:
            for i in range(n_changed):
                for c in range(nc):
                    dX[changed[i] * nc + c] = 0.0
            done = _react(
                tau,
                X,
                a,
                exact,
                k,
                law,
                r1,
                r2,
                in_n,
                chg_a,
                chg_b,
                nz_n,
                nz_c,
                coupled,
                coupling,
                out_ptr,
                out_dst,
                out_w,
                dX,
                ids,
                n_ids,
                rng,
            )
            ok = True
            for i in range(n_changed):
                for c in range(nc):
                    if X[changed[i] * nc + c] + dX[changed[i] * nc + c] < 0.0:
                        ok = False
            if ok:
                break
            tau /= 2.0
            capped = False
        _apply(X, dX, csum, cond_w, cond_m, changed, n_changed)
        done += _walk(tau, X, mob, wout, out_ptr, out_dst, out_w, dX, ids, n_ids, rng)
        _apply(X, dX, csum, cond_w, cond_m, changed, n_changed)
        n_events += done
        stamp += 1  # next candidates: what changed, and with coupling its neighbours too
        n_cand = 0
        for i in range(n_changed):
            q = changed[i]
            for e in range(out_ptr[q] - 1, out_ptr[q + 1] if any_coupled else out_ptr[q]):
                r = q if e < out_ptr[q] else out_dst[e]
                if mark[r] != stamp:
                    mark[r] = stamp
                    cand[n_cand] = r
                    n_cand += 1
        t = t_cap if capped else t + tau
        if t >= t_stop:
            i_out = record_until(X, t_stop, t_out, out, i_out)
            return REACHED, t_stop, i_out, n_events, -1
        if n_cond > 0:
            cond = first_holding(csum, cond_op, cond_thr)
            if cond >= 0:
                return CONDITION, t, i_out, n_events, cond
    return BUDGET, t, i_out, n_events, -1
