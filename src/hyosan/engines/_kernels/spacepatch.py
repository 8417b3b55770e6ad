"""One patch over one leap of spatial tau-leaping: exact events, or Poisson partners.

``exact_patch`` runs the direct method inside one patch for the length of a
leap, its neighbours' counts frozen at the start of the step (the patches
where counts are small, see ``spacetau``); ``to_partners`` spreads the
partner changes of a leap's firings of a coupled reaction over the
neighbourhood by binomial splitting. Both write changes into ``dX`` and never
into ``X``.
"""

from __future__ import annotations

import math

from numba import njit

from hyosan.engines._kernels.space import (
    neighbour_count,
    partner_count,
    pick_index,
    pick_neighbour,
    reaction_rates,
    share,
)


@njit(cache=True)
def to_partners(p, j, n, X, nc, r2, chg_b, coupling, out_ptr, out_dst, out_w, dX, rng):
    """Apply the partner changes of ``n`` firings of coupled reaction ``j`` in patch ``p``."""
    rest = partner_count(p, r2[j], X, nc, coupling, out_ptr, out_dst, out_w)
    left = n
    for e in range(out_ptr[p] - 1, out_ptr[p + 1]):
        if left <= 0.0:
            return
        if e < out_ptr[p]:
            q = p
            w = X[p * nc + r2[j]]
        else:
            if out_w[e] <= 0.0:
                continue
            q = out_dst[e]
            w = coupling * X[q * nc + r2[j]]
        if w <= 0.0:
            continue
        m = share(left, w, rest, rng)
        left -= m
        rest -= w
        for c in range(nc):
            if chg_b[j, c] != 0.0:
                dX[q * nc + c] += chg_b[j, c] * m


@njit(cache=True)
def exact_patch(
    p, tau, X, k, law, r1, r2, in_n, chg_a, chg_b, coupled, coupling, out_ptr, out_dst, out_w,
    dX, xl, al, rng,
):  # fmt: skip
    """The direct method in patch ``p`` over ``tau``, neighbours frozen; returns the events.

    ``xl`` (C) and ``al`` (1 x R) are work arrays.
    """
    nr = k.shape[0]
    nc = chg_a.shape[1]
    for c in range(nc):
        xl[c] = X[p * nc + c]
    s = 0.0
    events = 0
    while True:
        a0 = reaction_rates(
            p,
            xl,
            0,
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
            True,
            al,
            0,
        )
        if a0 <= 0.0:
            break
        s -= math.log(1.0 - rng.random()) / a0
        if s >= tau:
            break
        j = pick_index(al, 0, nr, rng.random() * a0)
        for c in range(nc):
            xl[c] += chg_a[j, c]
        if coupled[j]:
            own = xl[r2[j]]
            nb = neighbour_count(p, r2[j], X, nc, coupling, out_ptr, out_dst, out_w)
            u = rng.random() * (own + nb)
            q = (
                p
                if u < own
                else pick_neighbour(p, r2[j], X, nc, coupling, out_ptr, out_dst, out_w, u - own)
            )
            for c in range(nc):
                if q == p:
                    xl[c] += chg_b[j, c]
                else:
                    dX[q * nc + c] += chg_b[j, c]
        events += 1
    for c in range(nc):
        dX[p * nc + c] += xl[c] - X[p * nc + c]
    return events
