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


@njit(cache=True)
def to_partners(p, j, n, X, nc, r2, chg_b, coupling, out_ptr, out_dst, out_w, dX, rng):
    """Apply the partner changes of ``n`` firings of coupled reaction ``j`` in patch ``p``.

    The pool is ``partner_count``'s; each part (the patch, then each open
    neighbour) takes a binomial share of the firings left, in proportion to
    its weighted count. Written out with one exit and no calls to other numba
    functions (see ``exact_patch``).
    """
    c2 = r2[j]
    nb = 0.0
    for e in range(out_ptr[p], out_ptr[p + 1]):
        if out_w[e] > 0.0:
            nb += coupling * X[out_dst[e] * nc + c2]
    rest = X[p * nc + c2] + nb
    left = n
    for e in range(out_ptr[p] - 1, out_ptr[p + 1]):  # the patch itself, then its neighbours
        q = p
        w = X[p * nc + c2]
        if e >= out_ptr[p]:
            q = out_dst[e]
            w = coupling * X[q * nc + c2] if out_w[e] > 0.0 else 0.0
        if w > 0.0 and left > 0.0:
            m = left if w >= rest else float(rng.binomial(int(left), w / rest))
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

    ``xl`` (C) and ``al`` (1 x R) are work arrays. The rates are
    ``reaction_rates``' (exact), the reaction ``pick_index``'s, the partner's
    patch ``pick_partner``'s but from the patch's advanced own count, all
    written out: with one exit, no ``break`` and no calls to other numba
    functions, numba drops the reference counting of the array arguments, which
    would otherwise cost more than the events (see ``pick_edge``). A test keeps
    them equal to the bit.
    """
    nr = k.shape[0]
    nc = chg_a.shape[1]
    for c in range(nc):
        xl[c] = X[p * nc + c]
    s = 0.0
    events = 0
    going = True
    while going:
        n_total = 0.0
        for c in range(nc):
            n_total += in_n[c] * xl[c]
        a0 = 0.0
        for j in range(nr):
            v = k[j]
            if law[j] >= 1:
                v *= xl[r1[j]]
            if law[j] >= 2 and v != 0.0:
                b = xl[r2[j]]
                if coupled[j]:
                    nb = 0.0
                    for e in range(out_ptr[p], out_ptr[p + 1]):
                        if out_w[e] > 0.0:
                            nb += coupling * X[out_dst[e] * nc + r2[j]]
                    b += nb
                elif r1[j] == r2[j]:
                    b -= 1.0
                v *= b
                if law[j] == 3:
                    v = v / n_total if n_total > 0.0 else 0.0
            al[0, j] = v
            a0 += v
        going = not a0 <= 0.0
        if going:
            s -= math.log(1.0 - rng.random()) / a0
            going = not s >= tau
        if going:
            target = rng.random() * a0
            acc = al[0, 0]
            j = 0
            while j < nr - 1 and not acc > target:
                j += 1
                acc += al[0, j]
            while al[0, j] == 0.0:
                j -= 1
            for c in range(nc):
                xl[c] += chg_a[j, c]
            if coupled[j]:
                c2 = r2[j]
                own = xl[c2]
                nb = 0.0
                for e in range(out_ptr[p], out_ptr[p + 1]):
                    if out_w[e] > 0.0:
                        nb += coupling * X[out_dst[e] * nc + c2]
                u = rng.random() * (own + nb)
                q = p
                if not u < own:  # an open neighbour, by weighted count
                    target = u - own
                    acc = 0.0
                    e = out_ptr[p]
                    end = out_ptr[p + 1]
                    while e < end:
                        if out_w[e] > 0.0:
                            w = coupling * X[out_dst[e] * nc + c2]
                            if w > 0.0:
                                acc += w
                                q = out_dst[e]
                                if target < acc:
                                    end = e
                        e += 1
                for c in range(nc):
                    if q == p:
                        xl[c] += chg_b[j, c]
                    else:
                        dX[q * nc + c] += chg_b[j, c]
            events += 1
    for c in range(nc):
        dX[p * nc + c] += xl[c] - X[p * nc + c]
    return events
