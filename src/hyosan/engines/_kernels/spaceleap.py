"""Spatial tau-leaping, choosing a step: which patches are live, which run exact, how long a leap.

The rules are those of ``spacetau``'s module docstring; these functions
visit only the patches in a list (``ids``, the live ones), never the world.
"""

from __future__ import annotations

import math

import numpy as np

from hyosan.engines._kernels._jit import njit
from hyosan.engines._kernels.space import reaction_rates

EXACT_BELOW = 100.0
"""A patch whose leap bound is shorter than the step runs exact instead when it expects
at most this many reaction events in the step (``spacetau``'s module docstring)."""

MOST_PATCH_EVENTS = 1e6
"""A patch that runs exact or leaps on its own expects at most this many reaction events
in one step: a shorter step where it would expect more. Only absurd rates (``A -> B``
and back at 1e12) reach it; without it one step of such a patch would never end."""


@njit(cache=True)
def sparse_changes(chg_a, chg_b):
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
def leap_orders(law, r1, r2, nc):
    """``g[c]``: Cao et al.'s highest-order factor for each compartment (0: never a reactant)."""
    g = np.zeros(nc)
    for j in range(law.shape[0]):
        for r in (r1[j], r2[j]):
            if r >= 0 and law[j] >= 1:
                g[r] = max(g[r], 2.0 if law[j] >= 2 else 1.0)
    return g


@njit(cache=True)
def refresh(
    cand, n_cand, X, k, law, r1, r2, in_n, coupled, coupling, out_ptr, out_dst, out_w, mob,
    wout, a, ids,
):  # fmt: skip
    """Channels of the patches ``cand[:n_cand]`` into ``a``; the live ones into ``ids``.

    Returns ``(n_ids, a0)``, the number of live patches and their total rate.
    """
    nc = mob.shape[0]
    nr = k.shape[0]
    a0 = 0.0
    n_ids = 0
    for i in range(n_cand):
        p = cand[i]
        base = p * nc
        sp = reaction_rates(
            p, X, base, X, k, law, r1, r2, in_n, coupled, coupling, out_ptr, out_dst, out_w,
            True, a, p,
        )  # fmt: skip
        for c in range(nc):  # patch_channels' movement channels
            v = mob[c] * wout[p] * X[base + c]
            a[p, nr + c] = v
            sp += v
        if sp > 0.0:
            ids[n_ids] = p
            n_ids += 1
            a0 += sp
    return n_ids, a0


@njit(cache=True)
def gather(patches, n, out_ptr, out_dst, with_neighbours, mark, stamp, into, n_into):
    """Add ``patches[:n]`` (and their out-neighbours) to ``into[n_into:]``, each once.

    ``mark`` holds, per patch, the last ``stamp`` that listed it; a patch
    marked with ``stamp`` already is not added again. Returns the new length.
    """
    for i in range(n):
        q = patches[i]
        for e in range(out_ptr[q] - 1, out_ptr[q + 1] if with_neighbours else out_ptr[q]):
            r = q if e < out_ptr[q] else out_dst[e]
            if mark[r] != stamp:
                mark[r] = stamp
                into[n_into] = r
                n_into += 1
    return n_into


@njit(cache=True)
def plan_patches(
    X, a, g, chg_a, chg_b, nz_n, nz_c, coupled, coupling, out_ptr, out_dst, out_w, eps,
    n_critical, exact, bound_p, ids, n_ids,
):  # fmt: skip
    """Mark patches with critical reactions as exact; Cao's leap bound of the others in ``bound_p``.

    Only the patches ``ids[:n_ids]`` (those where something can happen) and
    their live reactions are visited.
    """
    nc = chg_a.shape[1]
    nr = chg_a.shape[0]
    live = np.empty(nr, dtype=np.int64)
    mu = np.zeros(nc)
    s2 = np.zeros(nc)
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
                    nb = 0.0  # partner_count, written out
                    for e in range(out_ptr[p], out_ptr[p + 1]):
                        if out_w[e] > 0.0:
                            nb += coupling * X[out_dst[e] * nc + c]
                    if X[base + c] + nb < -chg_b[j, c] * n_critical[c]:
                        exact[p] = True
        if not exact[p]:
            bound_p[p] = cao_bound(
                X, base, a, p, live, n_live, g, chg_a, chg_b, nz_n, nz_c, eps, mu, s2
            )


@njit(cache=True)
def cao_bound(xs, off, a, row, live, n_live, g, chg_a, chg_b, nz_n, nz_c, eps, mu, s2):
    """Cao et al.'s leap bound (their eq. 32) for one patch.

    The patch's counts are ``xs[off : off + C]`` and its live reactions
    ``live[:n_live]``, with propensities ``a[row, j]``; a coupled reaction's
    partner changes count as the patch's own, for the bound only. ``mu`` and
    ``s2`` (C) are work arrays, zero on entry and on return. Written with one
    exit and no calls (see ``reaction_rates``).
    """
    tau = math.inf
    for q in range(n_live):
        j = live[q]
        for m in range(nz_n[j]):
            c = nz_c[j, m]
            v = chg_a[j, c] + chg_b[j, c]
            mu[c] += v * a[row, j]
            s2[c] += v * v * a[row, j]
    for c in range(g.shape[0]):
        if g[c] != 0.0 and (mu[c] != 0.0 or s2[c] > 0.0):
            bound = max(eps * xs[off + c] / g[c], 1.0)
            if mu[c] != 0.0:
                tau = min(tau, bound / abs(mu[c]))
            if s2[c] > 0.0:
                tau = min(tau, bound * bound / s2[c])
        mu[c] = 0.0
        s2[c] = 0.0
    return tau


@njit(cache=True)
def choose_leap(h, a, nr, exact, own, bound_p, ids, n_ids, n_ssa, convert):
    """The reaction leap, at most ``h``; marks the patches that run exact or leap on their own.

    If ``convert`` (no coupled reactions), a patch with a critical reaction
    (marked exact by ``plan_patches``) or a bound shorter than ``h`` runs
    exact if it expects at most ``EXACT_BELOW`` events in ``h``, else it
    leaps on its own (``own``, ``spacepatch.leap_patch``); the leap stays
    ``h``. Otherwise a bound shorter than ``h`` shortens the leap. A patch
    that runs exact or on its own and would expect more than
    ``MOST_PATCH_EVENTS`` events shortens it too. Then a patch that expects
    fewer than ``n_ssa`` events runs exact (leaping pays only where many
    events are due).
    """
    tau = h
    for i in range(n_ids):
        p = ids[i]
        own[p] = False
        if convert and (exact[p] or bound_p[p] < h):
            a0p = 0.0  # the patch's reaction propensity
            for j in range(nr):
                a0p += a[p, j]
            own[p] = a0p * h > EXACT_BELOW
            exact[p] = not own[p]
        elif not exact[p] and bound_p[p] < h:
            tau = min(tau, bound_p[p])
    for i in range(n_ids):
        p = ids[i]
        if exact[p] or own[p]:
            a0p = 0.0
            for j in range(nr):
                a0p += a[p, j]
            if a0p * tau > MOST_PATCH_EVENTS:
                tau = MOST_PATCH_EVENTS / a0p
    for i in range(n_ids):
        p = ids[i]
        if not exact[p] and not own[p]:
            a0p = 0.0
            for j in range(nr):
                a0p += a[p, j]
            exact[p] = a0p * tau < n_ssa
    return tau
