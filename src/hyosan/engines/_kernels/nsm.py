"""The next-subvolume method: exact stochastic simulation in space.

Every patch (subvolume) ``p`` has a total propensity ``s[p]`` over its
``R + C`` channels and a tentative next event time ``tn[p]``, kept in an
indexed 4-ary min-heap. One step:

1. Take the patch ``p`` with the earliest ``tn``; time advances to it.
2. Pick one of its channels with probability ``a[p, j] / s[p]``: a reaction
   (for a coupled reaction also the partner's patch, by weighted count), or a
   move of one individual along an out-edge chosen by weight.
3. Apply the change; refresh every patch whose propensities can have
   changed (the patch, the move's destination, and with coupling their
   neighbours), recomputing only the channels that read a count that
   changed (``nsm_deps``).
4. Draw a fresh ``tn[p] = t + Exp(1) / s[p]`` for the patch that fired, and
   rescale the others as Gibson & Bruck do, ``tn = t + (tn - t) s_old /
   s_new``, which keeps the method exact without new random numbers.

Cost per event: O((R + C) d + log P), ``d`` the patches refreshed. Conditions
are checked on their sums over their regions (every patch for a world-wide
one), credited with every change.

The helpers the loop calls have one exit, no ``break`` and no calls of
their own: numba then drops the reference counting of their array
arguments. Kept, those atomic operations took three quarters of the time
on the lattice benchmark (``benchmarks/lattice.py``). The refresh
(``nsm_deps.refresh_channels``) is written into the loop rather than
called: a call passes each of its 14 array arguments field by field on the
stack, and those pushes took a sixth of the time
(``tools/numba_perf.py``); ``test_nsm_steps_is_the_method_by_the_shared_helpers``
holds the loop to the helpers, to the bit. The written-out refresh, the
heap's descent and ``pick_edge`` index with unsigned integers: with a signed
index numba computes the wraparound of a negative one (a shift, a mask and
an add) before every load. In the refresh alone that was a tenth of the US
run (``benchmarks/space.py usa --engine ssa``).

References
----------
.. [1] J. Elf, M. Ehrenberg, "Spontaneous separation of bi-stable biochemical
   systems into spatial domains of opposite phases", Syst. Biol. 1, 230-236
   (2004) (the next-subvolume method).
.. [2] M. A. Gibson, J. Bruck, "Efficient exact stochastic simulation of
   chemical systems with many species and many channels", J. Phys. Chem. A
   104, 1876-1889 (2000).
"""

from __future__ import annotations

import math

import numpy as np

from hyosan.engines._kernels._jit import njit
from hyosan.engines._kernels.conditions import credit, first_holding, region_sums
from hyosan.engines._kernels.direct import record_until
from hyosan.engines._kernels.nsm_deps import channel_sets, refresh_channels
from hyosan.engines._kernels.space import (
    out_weights,
    pick_edge,
    pick_index,
    pick_partner,
)
from hyosan.engines._kernels.status import BUDGET, CONDITION, REACHED

HEAP_PAD = 3
"""Slots of ``inf`` kept past the end of the heap's keys: see ``heap_fix``."""


@njit(cache=True)
def heap_fix(heap, hk, pos, p, key):
    """Give patch ``p`` the key ``key`` and restore the order of the 4-ary min-heap.

    ``heap[h]`` is the patch at heap slot ``h`` and ``hk[h]`` its key, kept side
    by side so that comparisons read one array; ``pos[p]`` is ``p``'s slot.
    Slot ``h``'s children are ``4 h + 1`` to ``4 h + 4``. ``hk`` has
    ``HEAP_PAD`` slots more than ``heap``, holding ``inf``: a last family
    of fewer than four children is padded with keys that never win, and the
    smallest child is chosen by arithmetic rather than branches (a branch
    there, taken at random, is mispredicted half the time). Ties go to the
    first child. Four children a level halve the levels of a binary heap,
    each level a chain of dependent loads. The descent indexes with unsigned
    integers: numba then does not compute the wraparound of negative indices,
    two instructions on that chain at every load (5% of the US run).
    """
    h = pos[p]
    hk[h] = key
    while h > 0:
        up = (h - 1) >> 2
        k_up = hk[up]
        if k_up <= key:
            break
        z = heap[up]  # locals: stores to one array would make the compiler reload another
        heap[h] = z
        hk[h] = k_up
        pos[z] = h
        h = up
    n = heap.shape[0]
    first = 4 * h + 1
    while first < n:
        u = np.uint64(first)  # unsigned indices: no wraparound of negative ones to compute
        k0 = hk[u]
        k1 = hk[u + np.uint64(1)]
        k2 = hk[u + np.uint64(2)]
        k3 = hk[u + np.uint64(3)]
        m01 = first + (1 if k1 < k0 else 0)
        m23 = first + (3 if k3 < k2 else 2)
        k01 = min(k0, k1)
        k23 = min(k2, k3)
        m = m23 if k23 < k01 else m01
        k_m = min(k01, k23)
        if k_m >= key:
            break
        z = heap[np.uint64(m)]
        heap[np.uint64(h)] = z
        hk[np.uint64(h)] = k_m
        pos[np.uint64(z)] = h
        h = m
        first = 4 * h + 1
    heap[h] = p
    hk[h] = key
    pos[p] = h


@njit(cache=True)
def _next_time(t, tn_q, old, new, draw, lg):
    """A patch's next time for its new total ``new`` (``old`` before the event).

    A fresh time ``t - lg / new`` (``lg`` the log of a uniform) when ``draw``;
    otherwise Gibson & Bruck's rescaling of the old time ``tn_q``.
    """
    if new <= 0.0:
        return math.inf
    if draw:
        return t - lg / new
    return t + (tn_q - t) * (old / new)


@njit(cache=True)
def _to_touch(p, q, any_coupled, out_ptr, out_dst, touched):
    """Fill ``touched`` with the patches to refresh, in order: ``p``, ``q``, their neighbours.

    Returns how many. A neighbour of both ``p`` and ``q`` comes twice, as it
    always has: the path depends on the order of rescalings.
    """
    n = 1
    touched[0] = p
    if q != p:
        touched[1] = q
        n = 2
    if any_coupled:  # the neighbours' coupled reactions read the counts that changed
        for iz in range(2):
            z = p if iz == 0 else q
            if iz == 1 and q == p:
                continue
            for e in range(out_ptr[z], out_ptr[z + 1]):
                nb = out_dst[e]
                if nb != p and nb != q:
                    touched[n] = nb
                    n += 1
    return n


@njit(cache=True)
def nsm_steps(X, t, t_stop, m, cond, t_out, out, i_out, max_events, rng):
    """Up to ``max_events`` exact events from ``t`` towards ``t_stop``; see the module docstring.

    Returns ``(status, t, i_out, n_events, condition)``.
    """
    k, law, r1, r2, in_n, chg_a, chg_b, coupled, coupling, out_ptr, out_dst, out_w, mob = m
    cond_w, cond_m, cond_op, cond_thr = cond
    nr = k.shape[0]
    nc = mob.shape[0]
    n_patches = X.shape[0] // nc
    wout = out_weights(n_patches, out_ptr, out_w)
    dep_ptr, dep_idx = channel_sets(k, law, r1, r2, in_n, chg_a, chg_b, coupled, mob)
    every = dep_ptr.shape[0] - 2  # the set of all channels
    a = np.empty((n_patches, nr + nc))
    s = np.zeros(n_patches)
    tn = np.empty(n_patches)
    for p in range(n_patches):
        s[p] = refresh_channels(
            p, dep_ptr[every], dep_ptr[every + 1], dep_idx, X, k, law, r1, r2, in_n, coupled,
            coupling, out_ptr, out_dst, out_w, mob, wout, a, s,
        )  # fmt: skip
        tn[p] = t - math.log(1.0 - rng.random()) / s[p] if s[p] > 0.0 else math.inf
    heap = np.argsort(tn).astype(np.int64)  # a sorted array is a heap
    hk = np.full(n_patches + HEAP_PAD, math.inf)  # see heap_fix
    hk[:n_patches] = tn[heap]
    pos = np.empty(n_patches, dtype=np.int64)
    for h in range(n_patches):
        pos[heap[h]] = h
    csum = region_sums(X, cond_w, cond_m)
    any_coupled = False
    for j in range(nr):
        any_coupled = any_coupled or coupled[j]
    max_degree = 0
    for p in range(n_patches):
        max_degree = max(max_degree, out_ptr[p + 1] - out_ptr[p])
    touched = np.empty(2 + 2 * max_degree, dtype=np.int64)
    nc_u = np.uint64(nc)
    nr_u = np.uint64(nr)
    dep_u = dep_idx.astype(np.uint64)
    r1_u = r1.astype(np.uint64)
    r2_u = r2.astype(np.uint64)
    n_out = t_out.shape[0]
    next_out = t_out[i_out] if i_out < n_out else math.inf
    n_cond = cond_thr.shape[0]
    n_events = 0
    while n_events < max_events:
        p = heap[0]
        t_next = tn[p]
        if t_next >= next_out:
            i_out = record_until(X, min(t_next, t_stop), t_out, out, i_out)
            next_out = t_out[i_out] if i_out < n_out else math.inf
        if t_next >= t_stop:
            return REACHED, t_stop, i_out, n_events, -1
        t = t_next
        j = pick_index(a, p, nr + nc, rng.random() * s[p])
        q = p
        if j < nr:
            if coupled[j]:
                q = pick_partner(p, r2[j], X, nc, coupling, out_ptr, out_dst, out_w, rng.random())
            for c in range(nc):
                if chg_a[j, c] != 0.0:
                    X[p * nc + c] += chg_a[j, c]
                    if n_cond > 0:
                        credit(csum, cond_w, cond_m, p, c, chg_a[j, c])
                if chg_b[j, c] != 0.0:
                    X[q * nc + c] += chg_b[j, c]
                    if n_cond > 0:
                        credit(csum, cond_w, cond_m, q, c, chg_b[j, c])
        else:
            c = j - nr
            q = pick_edge(p, out_ptr, out_dst, out_w, wout[p], rng.random())
            X[p * nc + c] -= 1.0
            X[q * nc + c] += 1.0
            if n_cond > 0:
                credit(csum, cond_w, cond_m, p, c, -1.0)
                credit(csum, cond_w, cond_m, q, c, 1.0)
        n_changed = 1 if q == p else 2
        n_touched = _to_touch(p, q, any_coupled, out_ptr, out_dst, touched)
        for i in range(n_touched):
            z = np.uint64(touched[i])
            lo = dep_ptr[2 * j] if i < n_changed else dep_ptr[2 * j + 1]
            hi = dep_ptr[2 * j + 1] if i < n_changed else dep_ptr[2 * j + 2]
            # refresh_channels(z, lo, hi, ...), written out: a call passes each array
            # argument field by field on the stack, a sixth of the step's time
            # unsigned indices (z, jj, zb): no wraparound of negative ones to compute
            zb = z * nc_u
            n_total = 0.0
            for cc in range(nc):
                n_total += in_n[cc] * X[zb + np.uint64(cc)]
            for ii in range(lo, hi):
                jj = dep_u[ii]
                if jj < nr_u:
                    v = k[jj]
                    if law[jj] >= 1:
                        v *= X[zb + r1_u[jj]]
                    if law[jj] >= 2 and v != 0.0:
                        b = X[zb + r2_u[jj]]
                        if coupled[jj]:
                            nb = 0.0
                            for e in range(out_ptr[z], out_ptr[z + np.uint64(1)]):
                                if out_w[e] > 0.0:
                                    nb += coupling * X[out_dst[e] * nc + r2[jj]]
                            b += nb
                        elif r1[jj] == r2[jj]:
                            b -= 1.0
                        v *= b
                        if law[jj] == 3:
                            v = v / n_total if n_total > 0.0 else 0.0
                else:
                    v = mob[jj - nr_u] * wout[z] * X[zb + jj - nr_u]
                a[z, jj] = v
            new = s[z]
            if hi > lo:
                new = 0.0
                for jj in range(nr + nc):
                    new += a[z, jj]
            draw = new > 0.0 and (i == 0 or s[z] <= 0.0 or not tn[z] < math.inf)
            lg = math.log(1.0 - rng.random()) if draw else 0.0
            key = _next_time(t, tn[z], s[z], new, draw, lg)
            s[z] = new
            if key != tn[z]:  # an unchanged key leaves the heap as it is
                tn[z] = key
                heap_fix(heap, hk, pos, np.int64(z), key)
        n_events += 1
        if n_cond > 0:
            cond = first_holding(csum, cond_op, cond_thr)
            if cond >= 0:
                return CONDITION, t, i_out, n_events, cond
    return BUDGET, t, i_out, n_events, -1
