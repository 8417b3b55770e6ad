"""The next-subvolume method's dependency graph: which channels an event can change.

A patch's channel reads some compartments: reaction ``j`` its reactants
(``r1``, and ``r2`` for two reactants), all counted compartments (``N``) if
frequency dependent; a coupled reaction also reads ``r2`` in every
neighbour; the movement channel of ``c`` reads ``c``. An event changes a few
compartments in one or two patches (a reaction's ``chg_a`` and ``chg_b``, a
move's compartment at both ends), so only the channels reading one of them
need recomputing: in the patches that changed, those reading it there or (if
coupled) next door; in their neighbours, the coupled ones.

Set ``2 j`` lists the channels to recompute in the patches where reaction
``j`` changed counts, ``2 j + 1`` those in their neighbours; sets ``2 (R +
c)`` and ``2 (R + c) + 1`` the same for a move of compartment ``c``.
Channels that cannot be anything but 0 (``k[j] = 0``, ``mob[c] = 0``) are
left out. The last set, ``2 (R + C)``, holds every channel. A refresh then
sums the whole row in channel order, as a full recomputation does, so the
totals, and the path, are the same to the bit.
"""

from __future__ import annotations

import numpy as np

from hyosan.engines._kernels._jit import njit


@njit(cache=True)
def _reads(j, c, k, law, r1, r2, in_n):
    """Whether reaction ``j``'s propensity in a patch reads that patch's count of ``c``."""
    reads = (law[j] >= 1 and r1[j] == c) or (law[j] >= 2 and r2[j] == c)
    return k[j] != 0.0 and (reads or (law[j] == 3 and in_n[c] != 0.0))


@njit(cache=True)
def channel_sets(k, law, r1, r2, in_n, chg_a, chg_b, coupled, mob):
    """The channel sets in CSR form ``(ptr, idx)``; see the module docstring."""
    nr = k.shape[0]
    nc = mob.shape[0]
    n_sets = 2 * (nr + nc) + 1
    ptr = np.zeros(n_sets + 1, dtype=np.int64)
    idx = np.empty(n_sets * (nr + nc), dtype=np.int64)
    changed = np.zeros(nc, dtype=np.bool_)
    n = 0
    for e in range(nr + nc):
        for c in range(nc):
            if e < nr:
                changed[c] = chg_a[e, c] != 0.0 or chg_b[e, c] != 0.0
            else:
                changed[c] = c == e - nr
        for side in range(2):  # 0: the patches that changed, 1: their neighbours
            for j in range(nr + nc):
                hit = False
                for c in range(nc):
                    if not changed[c]:
                        continue
                    if j >= nr:
                        hit = hit or (side == 0 and j - nr == c and mob[c] != 0.0)
                    else:
                        own = side == 0 and _reads(j, c, k, law, r1, r2, in_n)
                        hit = hit or own or (coupled[j] and k[j] != 0.0 and r2[j] == c)
                if hit:
                    idx[n] = j
                    n += 1
            ptr[2 * e + side + 1] = n
    for j in range(nr + nc):  # the last set: every channel, for a first computation
        idx[n] = j
        n += 1
    ptr[n_sets] = n
    return ptr, idx[:n].copy()


@njit(cache=True)
def refresh_channels(
    q, lo, hi, idx, X, k, law, r1, r2, in_n, coupled, coupling, out_ptr, out_dst, out_w, mob,
    wout, a, s,
):  # fmt: skip
    """Recompute patch ``q``'s channels ``idx[lo:hi]`` in ``a[q]``; return the row's new sum.

    The rates are ``reaction_rates``' and ``patch_channels``' (exact), and the
    sum runs over the whole row in channel order as theirs does, so the
    numbers are the same to the bit; with nothing to recompute it is ``s[q]``.
    The formula is written out rather than shared through an inlined helper:
    with one exit and no calls, numba drops the reference counting of the
    array arguments, which would otherwise cost more than the arithmetic.
    """
    nr = k.shape[0]
    nc = mob.shape[0]
    base = q * nc
    n_total = 0.0
    for c in range(nc):
        n_total += in_n[c] * X[base + c]
    for i in range(lo, hi):
        j = idx[i]
        if j < nr:
            v = k[j]
            if law[j] >= 1:
                v *= X[base + r1[j]]
            if law[j] >= 2 and v != 0.0:
                b = X[base + r2[j]]
                if coupled[j]:
                    nb = 0.0
                    for e in range(out_ptr[q], out_ptr[q + 1]):
                        if out_w[e] > 0.0:
                            nb += coupling * X[out_dst[e] * nc + r2[j]]
                    b += nb
                elif r1[j] == r2[j]:
                    b -= 1.0
                v *= b
                if law[j] == 3:
                    v = v / n_total if n_total > 0.0 else 0.0
        else:
            v = mob[j - nr] * wout[q] * X[base + j - nr]
        a[q, j] = v
    total = s[q]
    if hi > lo:
        total = 0.0
        for j in range(nr + nc):
            total += a[q, j]
    return total
