"""Spatial tau-leaping's helpers: jitted equals ``py_func``, and the written-out copies equal the
helpers they copy, to the bit.

``exact_patch``, ``to_partners``, ``_walk`` and ``refresh`` write out the
rate formula, the choices and the binomial splitting rather than call the
shared helpers (so numba drops its reference counting, see
``hyosan.engines._kernels.space.pick_edge``); these tests hold the copies to
the originals.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.random import PCG64, Generator

from hyosan.engines._kernels.space import (
    neighbour_count,
    out_weights,
    partner_count,
    patch_channels,
    pick_index,
    reaction_rates,
)
from hyosan.engines._kernels.spaceleap import leap_orders, refresh, sparse_changes
from hyosan.engines._kernels.spacepatch import exact_patch, leap_patch, to_partners
from hyosan.engines._kernels.spacetau import _walk
from hyosan.model import builtin_model, compile_model
from hyosan.space import CompiledSpace, World, compile_space

LATTICE = World.lattice(np.full((2, 3), 40.0))
AOUAD_MOVES = {"S": 0.2, "E": 0.2, "Z": 0.8, "H": 0.5}


def _space(model: str, coupling: float) -> CompiledSpace:
    m = builtin_model(model)
    return compile_space(m, compile_model(m), LATTICE, AOUAD_MOVES, coupling=coupling)


def _state(cs: CompiledSpace, seed: int, high: int = 30) -> np.ndarray:
    rng = Generator(PCG64(seed))
    return rng.integers(0, high, size=cs.n_patches * cs.n_compartments).astype(float)


def _exact_by_helpers(cs: CompiledSpace, p: int, tau: float, X: np.ndarray, dX, rng) -> int:
    """The direct method in patch ``p`` with the shared helpers: ``exact_patch``'s reference."""
    m = cs.model
    nr, nc = m.n_reactions, cs.n_compartments
    edges = (cs.out_ptr, cs.out_dst, cs.out_w)
    xl = X[p * nc : (p + 1) * nc].copy()
    al = np.zeros((1, nr))
    s, events = 0.0, 0
    while True:
        laws = (m.k, m.law, m.r1, m.r2, m.in_n, cs.coupled, cs.coupling)
        a0 = reaction_rates.py_func(p, xl, 0, X, *laws, *edges, True, al, 0)
        if a0 <= 0.0:
            break
        s -= math.log(1.0 - rng.random()) / a0
        if s >= tau:
            break
        j = pick_index.py_func(al, 0, nr, rng.random() * a0)
        xl += cs.chg_a[j]
        if cs.coupled[j]:
            c2 = m.r2[j]
            own = xl[c2]
            u = rng.random() * (own + neighbour_count(p, c2, X, nc, cs.coupling, *edges))
            q, acc = p, 0.0
            if u >= own:
                for e in range(cs.out_ptr[p], cs.out_ptr[p + 1]):
                    w = cs.coupling * X[cs.out_dst[e] * nc + c2] if cs.out_w[e] > 0.0 else 0.0
                    if w > 0.0:
                        acc += w
                        q = int(cs.out_dst[e])
                        if u - own < acc:
                            break
            if q == p:
                xl += cs.chg_b[j]
            else:
                dX[q * nc : (q + 1) * nc] += cs.chg_b[j]
        events += 1
    dX[p * nc : (p + 1) * nc] += xl - X[p * nc : (p + 1) * nc]
    return events


@pytest.mark.parametrize("coupling", [0.0, 0.5])
def test_exact_patch_is_the_direct_method_by_the_shared_helpers(coupling: float) -> None:
    """``exact_patch`` (compiled and as Python) draws the helpers' path, to the bit."""
    cs = _space("aouad", coupling)
    m, nc = cs.model, cs.n_compartments
    arrays = (m.k, m.law, m.r1, m.r2, m.in_n, cs.chg_a, cs.chg_b, cs.coupled, cs.coupling)
    edges = (cs.out_ptr, cs.out_dst, cs.out_w)
    total = 0
    for seed in range(4):
        X = _state(cs, seed)
        for p in range(cs.n_patches):
            want = np.zeros_like(X)
            n = _exact_by_helpers(cs, p, 0.5, X, want, Generator(PCG64(seed)))
            total += n
            for fn in (exact_patch, exact_patch.py_func):
                dX, al = np.zeros_like(X), np.zeros((1, m.n_reactions))
                xl = X[p * nc : (p + 1) * nc].copy()  # the caller sets the start, writes the end
                got = fn(p, 0.5, X, *arrays, *edges, dX, xl, al, Generator(PCG64(seed)))
                dX[p * nc : (p + 1) * nc] += xl - X[p * nc : (p + 1) * nc]
                assert got == n
                np.testing.assert_array_equal(dX, want)
    assert total > 100


def test_to_partners_equals_py_func_and_places_every_partner_change() -> None:
    """The partners of ``n`` firings are spread over the neighbourhood, each change placed once."""
    cs = _space("aouad", 0.5)
    nc = cs.n_compartments
    X = _state(cs, 3, high=60)
    edges = (cs.out_ptr, cs.out_dst, cs.out_w)
    for j in np.flatnonzero(cs.coupled):
        for p in range(cs.n_patches):
            if partner_count(p, cs.model.r2[j], X, nc, cs.coupling, *edges) <= 0.0:
                continue
            got = []
            for fn in (to_partners, to_partners.py_func):
                dX = np.zeros_like(X)
                args = (p, j, 25.0, X, nc, cs.model.r2, cs.chg_b, cs.coupling, *edges, dX)
                fn(*args, Generator(PCG64(int(j) * 10 + p)))
                got.append(dX)
            np.testing.assert_array_equal(got[0], got[1])
            np.testing.assert_array_equal(got[0].reshape(-1, nc).sum(axis=0), 25.0 * cs.chg_b[j])


def test_walk_equals_py_func_and_keeps_everyone() -> None:
    """The moves, compiled and as Python, are the same; nobody appears or vanishes."""
    cs = _space("aouad", 0.0)
    X = _state(cs, 5, high=200)
    wout = out_weights(cs.n_patches, cs.out_ptr, cs.out_w)
    ids = np.arange(cs.n_patches)
    got = []
    for fn in (_walk, _walk.py_func):
        dX = np.zeros_like(X)
        args = (0.3, X, cs.mob, wout, cs.out_ptr, cs.out_dst, cs.out_w, dX, ids, cs.n_patches)
        moves = fn(*args, Generator(PCG64(2)))
        got.append((moves, dX))
    assert got[0][0] == got[1][0] > 50
    np.testing.assert_array_equal(got[0][1], got[1][1])
    assert got[0][1].sum() == 0.0 and (X + got[0][1]).min() >= 0.0


@pytest.mark.parametrize("coupling", [0.0, 0.5])
def test_refresh_gives_patch_channels_rates_to_the_bit(coupling: float) -> None:
    """``refresh``'s rows and totals are ``patch_channels``'; it lists the live patches."""
    cs = _space("aouad", coupling)
    m = cs.model
    n = m.n_reactions + cs.n_compartments
    wout = out_weights(cs.n_patches, cs.out_ptr, cs.out_w)
    laws = (m.k, m.law, m.r1, m.r2, m.in_n, cs.coupled, cs.coupling)
    edges = (cs.out_ptr, cs.out_dst, cs.out_w, cs.mob, wout)
    X = _state(cs, 7, high=4)
    X[: cs.n_compartments] = 0.0  # a dead patch
    want = np.zeros((cs.n_patches, n))
    sums = [patch_channels(p, X, *laws, *edges, True, want) for p in range(cs.n_patches)]
    cand = np.arange(cs.n_patches)
    for fn in (refresh, refresh.py_func):
        a, ids = np.full((cs.n_patches, n), np.nan), np.zeros(cs.n_patches, dtype=np.int64)
        n_ids, a0 = fn(cand, cs.n_patches, X, *laws, *edges, a, ids)
        np.testing.assert_array_equal(a, want)
        live = [p for p in range(cs.n_patches) if sums[p] > 0.0]
        assert ids[:n_ids].tolist() == live and 0 not in live
        assert a0 == sum(sums[p] for p in live)


def test_leap_patch_equals_py_func_and_keeps_people() -> None:
    """``leap_patch`` in a crowded patch: compiled equals Python to the bit, counts stay whole
    and non-negative, and the series' model keeps everyone.

    Hybrids start at 3, so their fights are critical reactions (fired at most
    once a leap); with 20,000 humans, 3,000 zombies and the bitten near their
    steady state (bites / sigma) the patch leaps through thousands of events.
    """
    cs = _space("aouad", 0.0)
    m, nc, nr = cs.model, cs.n_compartments, cs.model.n_reactions
    g = leap_orders(m.law, m.r1, m.r2, nc)
    nz_n, nz_c = sparse_changes(cs.chg_a, cs.chg_b)
    arrays = (m.k, m.law, m.r1, m.r2, m.in_n, cs.chg_a, cs.chg_b, nz_n, nz_c, cs.coupled)
    edges = (cs.coupling, cs.out_ptr, cs.out_dst, cs.out_w)
    n_critical = np.full(nc, 10.0)
    X = np.zeros(cs.n_patches * nc)
    start = np.array([20000.0, 600.0, 0.0, 3000.0, 3.0, 0.0])  # S E Ez Z H D
    X[:nc] = start
    fired = []
    for seed in range(5):
        got = []
        for fn in (leap_patch, leap_patch.py_func):
            xl = start.copy()
            work = (np.zeros((1, nr)), np.zeros(nc), np.zeros(nr, dtype=np.int64))
            zeros = (np.zeros(nc), np.zeros(nc))
            events, used = fn(
                0, 0.5, X, *arrays, *edges, g, 0.03, n_critical, 10.0, xl, *work, *zeros,
                Generator(PCG64(seed)),
            )  # fmt: skip
            got.append((events, used, xl))
        (events, used, xl), (events_py, used_py, xl_py) = got
        assert (events, used) == (events_py, used_py)
        np.testing.assert_array_equal(xl, xl_py)
        assert xl.min() >= 0.0 and np.array_equal(xl, np.round(xl))
        assert xl.sum() == start.sum()
        assert 0.0 < used <= 0.5
        fired.append(events)
    assert min(fired) > 1000
