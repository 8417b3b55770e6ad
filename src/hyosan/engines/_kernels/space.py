"""Helpers shared by the spatial kernels: channel propensities, partners, the ODE.

State ``X[p * C + c]``; per patch ``R + C`` channels (reactions, then one
movement channel per compartment); see ``hyosan.space.compiled`` for the
arrays (``chg_a``, ``chg_b``, ``coupled``, ``coupling``, ``out_*``, ``mob``).
"""

from __future__ import annotations

import numpy as np

from hyosan.engines._kernels._jit import njit


@njit(cache=True)
def out_weights(n_patches, out_ptr, out_w):
    """``wout[p]``: summed weight of patch ``p``'s out-edges."""
    wout = np.zeros(n_patches)
    for p in range(n_patches):
        for e in range(out_ptr[p], out_ptr[p + 1]):
            wout[p] += out_w[e]
    return wout


@njit(cache=True)
def neighbour_count(p, c, X, nc, coupling, out_ptr, out_dst, out_w):
    """``coupling * sum of X[n, c]`` over ``p``'s open out-neighbours."""
    b = 0.0
    for e in range(out_ptr[p], out_ptr[p + 1]):
        if out_w[e] > 0.0:
            b += coupling * X[out_dst[e] * nc + c]
    return b


@njit(cache=True)
def partner_count(p, c, X, nc, coupling, out_ptr, out_dst, out_w):
    """``X[p, c] + coupling * sum of X[n, c]`` over ``p``'s open out-neighbours."""
    return X[p * nc + c] + neighbour_count(p, c, X, nc, coupling, out_ptr, out_dst, out_w)


@njit(cache=True)
def reaction_rates(
    p, xs, off, X, k, law, r1, r2, in_n, coupled, coupling, out_ptr, out_dst, out_w, exact, a, row
):
    """Fill ``a[row, :R]`` with patch ``p``'s reaction propensities; return their sum.

    The patch's own counts are ``xs[off : off + C]`` (``X`` itself at ``p * C``,
    or a copy being advanced); ``X`` holds the neighbours' for coupled
    reactions. Offsets rather than slices keep the hot loop free of views.
    Written with one exit and no calls to other numba functions (the
    neighbours' sum is ``neighbour_count``'s, written out): so numba drops the
    reference counting of the array arguments, which costs more than the
    arithmetic (see ``pick_edge``). Callers in hot loops call it, not inline it.
    """
    nc = in_n.shape[0]
    n_total = 0.0
    for c in range(nc):
        n_total += in_n[c] * xs[off + c]
    total = 0.0
    for j in range(k.shape[0]):
        v = k[j]
        if law[j] >= 1:
            v *= xs[off + r1[j]]
        if law[j] >= 2 and v != 0.0:
            b = xs[off + r2[j]]
            if coupled[j]:
                nb = 0.0
                for e in range(out_ptr[p], out_ptr[p + 1]):
                    if out_w[e] > 0.0:
                        nb += coupling * X[out_dst[e] * nc + r2[j]]
                b += nb
            elif exact and r1[j] == r2[j]:
                b -= 1.0
            v *= b
            if law[j] == 3:
                v = v / n_total if n_total > 0.0 else 0.0
        a[row, j] = v
        total += v
    return total


@njit(cache=True)
def patch_channels(
    p, X, k, law, r1, r2, in_n, coupled, coupling, out_ptr, out_dst, out_w, mob, wout, exact, a
):
    """Fill ``a[p, :]`` with patch ``p``'s ``R + C`` channel propensities; return their sum."""
    nr = k.shape[0]
    nc = mob.shape[0]
    base = p * nc
    total = reaction_rates(
        p, X, base, X, k, law, r1, r2, in_n, coupled, coupling, out_ptr, out_dst, out_w, exact, a, p
    )
    for c in range(nc):
        v = mob[c] * wout[p] * X[base + c]
        a[p, nr + c] = v
        total += v
    return total


@njit(cache=True, inline="always")
def pick_index(a, row, n, target):
    """The first ``j < n`` where the running sum of ``a[row, :]`` passes ``target``.

    Rounding at the top end steps back to the last ``j`` with ``a[row, j] > 0``.
    """
    acc = a[row, 0]
    j = 0
    while j < n - 1 and not acc > target:  # no break: see pick_edge
        j += 1
        acc += a[row, j]
    while a[row, j] == 0.0:
        j -= 1
    return j


@njit(cache=True)
def pick_partner(p, c, X, nc, coupling, out_ptr, out_dst, out_w, u):
    """The patch of a coupled reaction's second reactant, for ``u`` uniform on [0, 1).

    The patch itself by its own count, else an open out-neighbour by its
    weighted count (the last live one at the top), written out without calls
    or early exits (see ``pick_edge``).
    """
    own = X[p * nc + c]
    b = 0.0
    for e in range(out_ptr[p], out_ptr[p + 1]):
        if out_w[e] > 0.0:
            b += coupling * X[out_dst[e] * nc + c]
    target = u * (own + b) - own
    q = p
    acc = 0.0
    e = out_ptr[p]
    end = out_ptr[p + 1] if target >= 0.0 else e
    while e < end:
        if out_w[e] > 0.0:
            w = coupling * X[out_dst[e] * nc + c]
            if w > 0.0:
                acc += w
                q = out_dst[e]
                if target < acc:
                    end = e
        e += 1
    return q


@njit(cache=True)
def pick_edge(p, out_ptr, out_dst, out_w, wout_p, u):
    """The destination of a move out of ``p``, an out-edge chosen by weight.

    Written without ``break`` or early ``return``: with one way out, numba
    drops the reference counting of the array arguments (atomic operations
    that cost more than the search), also where the function is inlined.
    """
    target = u * wout_p
    acc = 0.0
    last = -1
    e = np.uint64(out_ptr[p])  # unsigned: no wraparound of negative indices to compute
    end = np.uint64(out_ptr[p + 1])
    while e < end:
        w = out_w[e]
        if w > 0.0:
            acc += w
            last = out_dst[e]
            if target < acc:
                end = e
        e += np.uint64(1)
    return last


@njit(cache=True)
def space_ode_rhs(
    X, k, law, r1, r2, in_n, chg_a, chg_b, coupled, coupling, out_ptr, out_dst, out_w, mob, dxdt
):
    """``dX/dt`` of the spatial model: reactions per patch, coupled partners, movement flows.

    A coupled reaction's partner change is shared among the patch and its
    neighbours in proportion to their weighted counts, as in expectation.
    """
    nr = k.shape[0]
    nc = mob.shape[0]
    n_patches = X.shape[0] // nc
    Xp = np.maximum(X, 0.0)
    wout = out_weights(n_patches, out_ptr, out_w)
    a = np.empty((n_patches, nr + nc))
    dxdt[:] = 0.0
    for p in range(n_patches):
        patch_channels(
            p,
            Xp,
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
            False,
            a,
        )
        base = p * nc
        for j in range(nr):
            v = a[p, j]
            if v == 0.0:
                continue
            for c in range(nc):
                dxdt[base + c] += chg_a[j, c] * v
            if coupled[j]:
                b = partner_count(p, r2[j], Xp, nc, coupling, out_ptr, out_dst, out_w)
                share = Xp[base + r2[j]] / b
                for c in range(nc):
                    dxdt[base + c] += chg_b[j, c] * v * share
                for e in range(out_ptr[p], out_ptr[p + 1]):
                    if out_w[e] > 0.0:
                        q = out_dst[e]
                        share = coupling * Xp[q * nc + r2[j]] / b
                        if share > 0.0:
                            for c in range(nc):
                                dxdt[q * nc + c] += chg_b[j, c] * v * share
        for c in range(nc):
            v = a[p, nr + c]
            if v == 0.0:
                continue
            dxdt[base + c] -= v
            for e in range(out_ptr[p], out_ptr[p + 1]):
                if out_w[e] > 0.0:
                    dxdt[out_dst[e] * nc + c] += v * out_w[e] / wout[p]
