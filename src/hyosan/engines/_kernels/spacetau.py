"""Tau-leaping in space: leap where counts are large, exact where they are small, walk by splitting.

One step of length ``tau`` from the state ``X``:

1. Every live patch's reaction propensities. A patch is *exact* if one of
   its live reactions could exhaust a reactant of compartment ``c`` within
   ``n_critical[c]`` firings (Cao, Gillespie & Petzold's critical reactions),
   or if it expects fewer than ``n_ssa`` reaction events in the leap; the
   other patches *leap*. A compartment with ``n_critical[c] = 0`` never makes
   a patch exact: a followed character (a count of 0 or 1) leaps with the
   crowd around it, its reactions drawn as Poisson numbers like the others',
   and a step in which it would fire twice is halved and drawn again.
2. ``tau`` keeps the chance that one individual moves below ``3 eps`` (so
   that two moves in one step stay rare) and never crosses an output time.
   A reaction leap keeps the expected relative change of every count in the
   leaping patches below ``eps`` (Cao et al.'s eq. 32, over their
   reactions). Without coupled reactions a patch's reactions read only its
   own counts, so the few patches whose bound is shorter than the step (or
   that have a critical reaction) do not shorten the step of the whole
   world: each runs exact when it expects at most ``EXACT_BELOW`` reaction
   events in the leap, else it leaps *on its own*, in leaps of its own
   bound (``spacepatch.leap_patch``: Cao et al.'s leap, critical reactions
   firing at most once at an exponential time, as in the well-mixed
   ``tauleap``), and finishes exact where a leap would cover fewer than
   ``n_ssa`` events. With coupled reactions such a patch shortens the step:
   a patch running alone would read its neighbours' counts frozen over the
   leap, and there only their own bounds keep those counts from changing
   much (measured: an infection peak reached through coupling came 0.17
   days late, 4.6 standard errors, in ``tests/statistical/test_space.py``,
   when such patches ran exact).
3. Reactions: a leaping patch fires Poisson numbers of each reaction; an
   exact patch runs the direct method on its own counts, a patch leaping on
   its own its own leaps (then the direct method). A coupled
   reaction's partner is drawn from the neighbourhood by weighted count at
   the start of the leap (multinomially when leaping). If any count would go
   negative the leap is halved and drawn again.
4. Movement (the multinomial simulation algorithm's treatment of
   diffusion): each individual of ``c`` in ``p`` leaves with probability
   ``mob[c] wout[p] tau`` (a binomial draw per patch and compartment), to an
   out-edge chosen by weight (binomial splitting). Moves never make a count
   negative.

When every leaping patch's bound allows the whole step, a step is one
reaction leap, then the moves (as the multinomial simulation algorithm).
When some patch's bound is shorter, the reactions run in two halves around
the moves (Strang splitting), each half planned (1.-2.) from the counts at
its start and cut into shorter leaps where a bound or a count going
negative asks for it.

The errors are those of tau-leaping (first order in ``eps``) and of the
splitting; both vanish as ``eps -> 0``. Two choices keep a walking front at
its exact speed. The leaving probability is the rate times ``tau`` rather
than ``1 - exp(-rate tau)``: moves happen only between leaps, so the latter
keeps everyone a mean ``tau / 2`` too long in each patch (it hops at
``(1 - e^{-x}) / x`` of the rate, 95.6% at the cap), the former gives the
exact mean number of hops. And the split in halves keeps the reactions
between moves short where the steps grew long. Measured with
``python benchmarks/front_bias.py`` (a 30 x 30 lattice, 60 runs per engine,
humans left at day 40, exact engine 99,785 +- 2,011): the earlier kernel
(short steps, ``1 - exp``) 106,302 +- 2,645; long steps, one leap then the
moves, ``1 - exp``: 117,915 +- 4,051 (20 runs); long steps split in halves,
``1 - exp``: 110,691 +- 2,123; one leap then the moves, rate times ``tau``:
106,022 +- 1,860; split, rate times ``tau`` (this kernel): 100,623 +- 2,425.

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

import numpy as np

from hyosan.engines._kernels._jit import njit
from hyosan.engines._kernels.conditions import credit, first_holding, region_sums
from hyosan.engines._kernels.direct import record_until
from hyosan.engines._kernels.space import out_weights
from hyosan.engines._kernels.spaceleap import (
    choose_leap,
    gather,
    leap_orders,
    plan_patches,
    refresh,
    sparse_changes,
)
from hyosan.engines._kernels.spacepatch import exact_patch, leap_patch, to_partners
from hyosan.engines._kernels.status import BUDGET, CONDITION, REACHED


@njit(cache=True)
def _react(
    tau, X, a, exact, own, k, law, r1, r2, in_n, chg_a, chg_b, nz_n, nz_c, coupled, coupling,
    out_ptr, out_dst, out_w, g, eps, n_critical, n_ssa, dX, ids, n_ids, rng,
):  # fmt: skip
    """Step 3 of the module docstring: reaction changes over ``tau`` into ``dX``; events."""
    nr = k.shape[0]
    nc = chg_a.shape[1]
    events = 0
    xl = np.empty(nc)
    al = np.empty((1, nr))
    dl = np.empty(nc)
    live_j = np.empty(nr, dtype=np.int64)
    mu = np.zeros(nc)
    s2 = np.zeros(nc)
    for i in range(n_ids):
        p = ids[i]
        live = False
        for j in range(nr):
            live = live or a[p, j] > 0.0
        if not live:  # nothing can react here during the step (neighbours frozen)
            continue
        if exact[p] or own[p]:  # the patch's counts advanced in xl, event by event or leap by leap
            for c in range(nc):
                xl[c] = X[p * nc + c]
            used = 0.0
            if own[p]:
                more, used = leap_patch(
                    p, tau, X, k, law, r1, r2, in_n, chg_a, chg_b, nz_n, nz_c, coupled, coupling,
                    out_ptr, out_dst, out_w, g, eps, n_critical, n_ssa, xl, al, dl, live_j, mu,
                    s2, rng,
                )  # fmt: skip
                events += more
            if used < tau:  # the rest exact
                events += exact_patch(
                    p, tau - used, X, k, law, r1, r2, in_n, chg_a, chg_b, coupled, coupling,
                    out_ptr, out_dst, out_w, dX, xl, al, rng,
                )  # fmt: skip
            for c in range(nc):
                dX[p * nc + c] += xl[c] - X[p * nc + c]
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
            n = float(rng.binomial(int(x), min(mob[c] * wout[p] * tau, 1.0)))
            if n == 0.0:
                continue
            moves += int(n)
            dX[p * nc + c] -= n
            left = n
            rest = wout[p]
            for e in range(out_ptr[p], out_ptr[p + 1]):
                w = out_w[e]
                if w > 0.0 and left > 0.0:  # binomial splitting
                    m = left if w >= rest else float(rng.binomial(int(left), w / rest))
                    dX[out_dst[e] * nc + c] += m
                    left -= m
                    rest -= w
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
def _react_checked(
    tau, X, a, exact, own, k, law, r1, r2, in_n, chg_a, chg_b, nz_n, nz_c, coupled, coupling,
    out_ptr, out_dst, out_w, g, eps, n_critical, n_ssa, dX, ids, n_ids, changed, n_changed, rng,
):  # fmt: skip
    """``_react`` into a cleared ``dX``; returns ``(events, ok)``: ok if no count goes below 0."""
    nc = chg_a.shape[1]
    for i in range(n_changed):
        for c in range(nc):
            dX[changed[i] * nc + c] = 0.0
    done = _react(
        tau, X, a, exact, own, k, law, r1, r2, in_n, chg_a, chg_b, nz_n, nz_c, coupled, coupling,
        out_ptr, out_dst, out_w, g, eps, n_critical, n_ssa, dX, ids, n_ids, rng,
    )  # fmt: skip
    ok = True
    for i in range(n_changed):
        for c in range(nc):
            if X[changed[i] * nc + c] + dX[changed[i] * nc + c] < 0.0:
                ok = False
    return done, ok


@njit(cache=True)
def space_tau_run(
    X, t, t_stop, m, cond, t_out, out, i_out, max_events, rng, eps, n_critical, n_ssa
):
    """Leap ``X`` from ``t`` towards ``t_stop``; see the module docstring.

    Returns ``(status, t, i_out, n_events, condition)``; events count reactions and moves.
    """
    k, law, r1, r2, in_n, chg_a, chg_b, coupled, coupling, out_ptr, out_dst, out_w, mob = m
    cond_w, cond_m, cond_op, cond_thr = cond
    nr = k.shape[0]
    nc = mob.shape[0]
    n_patches = X.shape[0] // nc
    wout = out_weights(n_patches, out_ptr, out_w)
    g = leap_orders(law, r1, r2, nc)
    a = np.empty((n_patches, nr + nc))
    exact = np.empty(n_patches, dtype=np.bool_)
    own = np.zeros(n_patches, dtype=np.bool_)  # leaps of its own (spacepatch.leap_patch)
    bound_p = np.empty(n_patches)
    dX = np.zeros(X.shape[0])
    csum = region_sums(X, cond_w, cond_m)
    any_coupled = False
    for j in range(nr):
        any_coupled = any_coupled or coupled[j]
    nz_n, nz_c = sparse_changes(chg_a, chg_b)
    moving = False
    for c in range(nc):
        moving = moving or mob[c] > 0.0
    convert = not any_coupled
    ids = np.empty(n_patches, dtype=np.int64)  # patches where something can happen
    changed = np.empty(n_patches, dtype=np.int64)  # those and their out-neighbours
    cand = np.arange(n_patches)  # patches whose propensities may have changed
    n_cand = n_patches
    mark = np.zeros(n_patches, dtype=np.int64)
    stamp = 0
    steps = 0
    seen = np.zeros(n_patches, dtype=np.int64)  # marks of the next candidates, per step
    n_cond = cond_thr.shape[0]
    n_events = 0
    while n_events < max_events:
        while i_out < t_out.shape[0] and t_out[i_out] <= t and t_out[i_out] < t_stop:
            out[i_out, :] = X
            i_out += 1
        n_ids, a0 = refresh(
            cand, n_cand, X, k, law, r1, r2, in_n, coupled, coupling, out_ptr, out_dst, out_w,
            mob, wout, a, ids,
        )  # fmt: skip
        if a0 <= 0.0:
            i_out = record_until(X, t_stop, t_out, out, i_out)
            return REACHED, t_stop, i_out, n_events, -1
        t_cap = t_stop
        if i_out < t_out.shape[0] and t_out[i_out] < t_cap:
            t_cap = t_out[i_out]
        target = t_cap - t  # the step movement allows, at most to the next output time
        for i in range(n_ids):
            p = ids[i]
            for c in range(nc):
                rate = mob[c] * wout[p]
                if rate > 0.0 and X[p * nc + c] > 0.0:
                    target = min(target, 3.0 * eps / rate)
        # 1. half the reactions, from the counts at the start of the step
        plan_patches(
            X, a, g, chg_a, chg_b, nz_n, nz_c, coupled, coupling, out_ptr, out_dst, out_w, eps,
            n_critical, exact, bound_p, ids, n_ids,
        )  # fmt: skip
        # reactions in two halves around the moves only where a patch's bound would
        # shorten the step the moves allow; else one leap, then the moves
        split = False
        if moving:
            for i in range(n_ids):
                split = split or (not exact[ids[i]] and bound_p[ids[i]] < target)
        parts = 2.0 if split else 1.0
        first = choose_leap(target / parts, a, nr, exact, own, bound_p, ids, n_ids, n_ssa, convert)
        tau = parts * first
        capped = tau >= t_cap - t
        if capped:
            tau = t_cap - t
        stamp += 1
        steps += 1
        n_changed = gather(ids, n_ids, out_ptr, out_dst, True, mark, stamp, changed, 0)
        # the next candidates: every patch this step changes (with coupling, their neighbours)
        n_cand = gather(changed, n_changed, out_ptr, out_dst, any_coupled, seen, steps, cand, 0)
        while True:  # a count below zero: the whole step is halved
            done, ok = _react_checked(
                tau / parts, X, a, exact, own, k, law, r1, r2, in_n, chg_a, chg_b, nz_n, nz_c,
                coupled, coupling, out_ptr, out_dst, out_w, g, eps, n_critical, n_ssa, dX, ids,
                n_ids, changed, n_changed, rng,
            )  # fmt: skip
            if ok:
                break
            tau /= 2.0
            capped = False
        _apply(X, dX, csum, cond_w, cond_m, changed, n_changed)
        if moving:  # 2. the moves of the whole step (in the middle when split)
            done += _walk(tau, X, mob, wout, out_ptr, out_dst, out_w, dX, ids, n_ids, rng)
            _apply(X, dX, csum, cond_w, cond_m, changed, n_changed)
        left = tau / 2.0 if split else 0.0
        # 3. the other half of the reactions, from the counts the moves left: in
        # shorter leaps where a patch's bound asks for it or a count would go below zero
        while left > 0.0:
            n_ids, a0 = refresh(
                changed, n_changed, X, k, law, r1, r2, in_n, coupled, coupling, out_ptr,
                out_dst, out_w, mob, wout, a, ids,
            )  # fmt: skip
            if a0 <= 0.0:
                break
            plan_patches(
                X, a, g, chg_a, chg_b, nz_n, nz_c, coupled, coupling, out_ptr, out_dst, out_w,
                eps, n_critical, exact, bound_p, ids, n_ids,
            )  # fmt: skip
            h = choose_leap(left, a, nr, exact, own, bound_p, ids, n_ids, n_ssa, convert)
            stamp += 1
            n_changed = gather(ids, n_ids, out_ptr, out_dst, True, mark, stamp, changed, 0)
            n_cand = gather(
                changed, n_changed, out_ptr, out_dst, any_coupled, seen, steps, cand, n_cand
            )
            while True:
                more, ok = _react_checked(
                    h, X, a, exact, own, k, law, r1, r2, in_n, chg_a, chg_b, nz_n, nz_c, coupled,
                    coupling, out_ptr, out_dst, out_w, g, eps, n_critical, n_ssa, dX, ids, n_ids,
                    changed, n_changed, rng,
                )  # fmt: skip
                if ok:
                    break
                h /= 2.0
            _apply(X, dX, csum, cond_w, cond_m, changed, n_changed)
            done += more
            left = left - h if h < left else 0.0
        n_events += done
        t = t_cap if capped else t + tau
        if t >= t_stop:
            i_out = record_until(X, t_stop, t_out, out, i_out)
            return REACHED, t_stop, i_out, n_events, -1
        if n_cond > 0:
            cond = first_holding(csum, cond_op, cond_thr)
            if cond >= 0:
                return CONDITION, t, i_out, n_events, cond
    return BUDGET, t, i_out, n_events, -1
