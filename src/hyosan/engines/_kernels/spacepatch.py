"""One patch over one leap of spatial tau-leaping: exact events, its own leaps, or Poisson partners.

``exact_patch`` runs the direct method inside one patch for the length of a
leap, its neighbours' counts frozen at the start of the step (the patches
where counts are small, see ``spacetau``); ``leap_patch`` runs adaptive
tau-leaping inside one patch, in leaps of its own (models without coupled
reactions, where a patch's reactions read only its own counts);
``to_partners`` spreads the partner changes of a leap's firings of a coupled
reaction over the neighbourhood by binomial splitting. They advance a copy of
the patch's counts or write changes into ``dX``, never into ``X``.
"""

from __future__ import annotations

import math

from hyosan.engines._kernels._jit import njit
from hyosan.engines._kernels.space import reaction_rates
from hyosan.engines._kernels.spaceleap import cao_bound


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

    The patch's counts start in ``xl`` (C), set by the caller, and end there;
    partner changes in other patches go into ``dX``. ``al`` (1 x R) is a work
    array. The rates are
    ``reaction_rates``' (exact), the reaction ``pick_index``'s, the partner's
    patch ``pick_partner``'s but from the patch's advanced own count, all
    written out: with one exit, no ``break`` and no calls to other numba
    functions, numba drops the reference counting of the array arguments, which
    would otherwise cost more than the events (see ``pick_edge``). A test keeps
    them equal to the bit.
    """
    nr = k.shape[0]
    nc = chg_a.shape[1]
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
    return events


@njit(cache=True)
def leap_patch(
    p, h, X, k, law, r1, r2, in_n, chg_a, chg_b, nz_n, nz_c, coupled, coupling, out_ptr, out_dst,
    out_w, g, eps, n_critical, n_ssa, xl, al, dl, live, mu, s2, rng,
):  # fmt: skip
    """Adaptive tau-leaping in patch ``p`` alone, from the counts in ``xl``, for up to ``h``.

    Only for models without coupled reactions: there a patch's reactions read
    only its own counts, so between two moves each patch can leap on its own,
    and a patch whose bound is shorter than the world's step leaps in leaps of
    its own bound rather than shortening every patch's step. Each leap is
    Cao, Gillespie & Petzold's (as ``tauleap``'s): a reaction that could
    exhaust a reactant within ``n_critical[c]`` firings is critical and fires
    at most once, at an exponential time; the others fire Poisson numbers
    over the smaller of that time and their bound; a leap in which a count
    would go below zero is halved and drawn again. It stops where a leap
    would cover fewer than ``n_ssa`` events; the caller runs the rest exact.
    ``xl`` ends at the counts reached; ``al`` (1 x R), ``dl`` (C), ``live``
    (R), ``mu`` and ``s2`` (C, zero) are work arrays. Returns
    ``(events, time leapt)``.
    """
    nr = k.shape[0]
    nc = xl.shape[0]
    used = 0.0
    events = 0
    going = h > 0.0
    while going:
        a0 = reaction_rates(
            p, xl, 0, X, k, law, r1, r2, in_n, coupled, coupling, out_ptr, out_dst, out_w, True,
            al, 0,
        )  # fmt: skip
        n_live = 0  # the live reactions, non-critical first, critical from the end
        n_crit = 0
        a_crit = 0.0
        for j in range(nr):
            if al[0, j] > 0.0:
                critical = False
                for m in range(nz_n[j]):
                    c = nz_c[j, m]
                    if chg_a[j, c] < 0.0 and xl[c] < -chg_a[j, c] * n_critical[c]:
                        critical = True
                if critical:
                    n_crit += 1
                    live[nr - n_crit] = j
                    a_crit += al[0, j]
                else:
                    live[n_live] = j
                    n_live += 1
        rest = h - used
        bound = cao_bound(xl, 0, al, 0, live, n_live, g, chg_a, chg_b, nz_n, nz_c, eps, mu, s2)
        t1 = min(bound, rest)
        going = a0 * t1 >= n_ssa
        tl = t1
        fired = 0
        ok = not going
        while not ok:
            t2 = math.inf  # the next critical firing
            if a_crit > 0.0:
                t2 = -math.log(1.0 - rng.random()) / a_crit
            tl = min(t1, t2)
            fired = 0
            for c in range(nc):
                dl[c] = 0.0
            for q in range(n_live):
                j = live[q]
                n = float(rng.poisson(al[0, j] * tl))
                fired += int(n)
                for m in range(nz_n[j]):
                    c = nz_c[j, m]
                    dl[c] += chg_a[j, c] * n
            if t2 <= t1:  # one critical reaction, by propensity
                target = rng.random() * a_crit
                q = nr - 1
                acc = al[0, live[q]]
                while q > nr - n_crit and not acc > target:
                    q -= 1
                    acc += al[0, live[q]]
                j = live[q]
                fired += 1
                for m in range(nz_n[j]):
                    c = nz_c[j, m]
                    dl[c] += chg_a[j, c]
            ok = True
            for c in range(nc):
                ok = ok and xl[c] + dl[c] >= 0.0
            if not ok:
                t1 /= 2.0
        if going:
            for c in range(nc):
                xl[c] += dl[c]
            events += fired
            used = h if tl >= rest else used + tl
            going = used < h
    return events, used
