"""Spatial tau-leaping's step planning (``_kernels/spaceleap.py``): jitted equals ``py_func``.

``refresh`` is checked in ``test_spacetau_kernels.py``; here the other helpers
``space_tau_run`` plans a step with: ``sparse_changes``, ``leap_orders``,
``gather``, ``plan_patches``, ``cao_bound`` and ``choose_leap``. The world is
aouad on a 2 x 3 lattice whose patches span the cases: a dead one, a crowded
one, small ones with critical reactions, one with humans only.
"""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.engines._kernels.space import out_weights
from hyosan.engines._kernels.spaceleap import (
    cao_bound,
    choose_leap,
    gather,
    leap_orders,
    plan_patches,
    refresh,
    sparse_changes,
)
from hyosan.model import BUILTIN_MODELS, builtin_model, compile_model
from hyosan.space import CompiledSpace, compile_space

from .spatial_case import EPS, LATTICE, N_SSA, PATCHES, aouad_space


def _live(cs: CompiledSpace, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Channel rates of every patch, and the live patches, as ``space_tau_run`` starts a step."""
    m, n = cs.model, cs.n_patches
    wout = out_weights(n, cs.out_ptr, cs.out_w)
    a = np.zeros((n, m.n_reactions + cs.n_compartments))
    ids = np.zeros(n, dtype=np.int64)
    laws = (m.k, m.law, m.r1, m.r2, m.in_n, cs.coupled, cs.coupling)
    n_ids, _ = refresh(
        np.arange(n), n, X, *laws, cs.out_ptr, cs.out_dst, cs.out_w, cs.mob, wout, a, ids
    )
    return a, ids, n_ids


def _plan(cs: CompiledSpace, fn=plan_patches) -> tuple:
    """``plan_patches`` by ``fn`` on ``PATCHES``: ``(X, a, ids, n_ids, exact, bound_p)``."""
    m, nc = cs.model, cs.n_compartments
    X = np.array(PATCHES, dtype=float).ravel()
    a, ids, n_ids = _live(cs, X)
    g = leap_orders(m.law, m.r1, m.r2, nc)
    nz_n, nz_c = sparse_changes(cs.chg_a, cs.chg_b)
    exact = np.ones(cs.n_patches, dtype=np.bool_)  # a patch left out keeps what it had
    bound_p = np.full(cs.n_patches, np.nan)
    fn(
        X, a, g, cs.chg_a, cs.chg_b, nz_n, nz_c, cs.coupled, cs.coupling, cs.out_ptr, cs.out_dst,
        cs.out_w, EPS, np.full(nc, 10.0), exact, bound_p, ids, n_ids,
    )  # fmt: skip
    return X, a, ids, n_ids, exact, bound_p


@pytest.mark.parametrize("name", sorted(BUILTIN_MODELS))
@pytest.mark.parametrize("coupling", [0.0, 0.5])
def test_sparse_changes_and_leap_orders_equal_py_func(name: str, coupling: float) -> None:
    """Each reaction's changed compartments and each compartment's highest order, compiled and
    as Python, on every built-in model; the changed ones are those of the placed changes."""
    m = builtin_model(name)
    cs = compile_space(m, compile_model(m), LATTICE, {}, coupling=coupling)
    cm = cs.model
    n, c = sparse_changes(cs.chg_a, cs.chg_b)
    n_py, c_py = sparse_changes.py_func(cs.chg_a, cs.chg_b)
    np.testing.assert_array_equal(n, n_py)
    np.testing.assert_array_equal(c, c_py)
    for j in range(cm.n_reactions):
        changed = np.flatnonzero((cs.chg_a[j] != 0.0) | (cs.chg_b[j] != 0.0))
        np.testing.assert_array_equal(c[j, : n[j]], changed)
    g = leap_orders(cm.law, cm.r1, cm.r2, cs.n_compartments)
    np.testing.assert_array_equal(g, leap_orders.py_func(cm.law, cm.r1, cm.r2, cs.n_compartments))
    assert set(g.tolist()) <= {0.0, 1.0, 2.0} and g.max() == 2.0


@pytest.mark.parametrize("with_neighbours", [False, True])
def test_gather_equals_py_func_and_lists_each_patch_once(with_neighbours: bool) -> None:
    """Patches (and their neighbours) appended after a prefix, each once, compiled and as
    Python; a patch marked with the stamp already is not added again (its neighbours are)."""
    cs = aouad_space(0.5)
    n = cs.n_patches
    patches = np.array([4, 1, 4, 0], dtype=np.int64)
    got = []
    for fn in (gather, gather.py_func):
        mark = np.zeros(n, dtype=np.int64)
        mark[1] = 7  # listed already under this stamp
        into = np.full(2 * n, -1, dtype=np.int64)
        into[0] = 99  # a prefix kept
        n_into = fn(patches, 3, cs.out_ptr, cs.out_dst, with_neighbours, mark, 7, into, 1)
        got.append((n_into, into, mark))
    assert got[0][0] == got[1][0]
    np.testing.assert_array_equal(got[0][1], got[1][1])
    np.testing.assert_array_equal(got[0][2], got[1][2])
    n_into, into, mark = got[0]
    listed = into[1:n_into].tolist()
    assert into[0] == 99 and len(set(listed)) == len(listed) and 1 not in listed
    near = {
        4,
        *cs.out_dst[cs.out_ptr[4] : cs.out_ptr[5]],
        *cs.out_dst[cs.out_ptr[1] : cs.out_ptr[2]],
    }
    assert set(listed) == (near - {1} if with_neighbours else {4})
    assert (mark[listed] == 7).all()


@pytest.mark.parametrize("coupling", [0.0, 0.5])
def test_plan_patches_equals_py_func(coupling: float) -> None:
    """Which live patches run exact, and the others' leap bounds, compiled and as Python:
    the patches of few are exact, the crowded one is not, the dead one is left alone."""
    cs = aouad_space(coupling)
    *_, ids, n_ids, exact, bound_p = _plan(cs)
    *_, exact_py, bound_py = _plan(cs, plan_patches.py_func)
    np.testing.assert_array_equal(exact, exact_py)
    np.testing.assert_array_equal(bound_p, bound_py)
    assert 0 not in ids[:n_ids].tolist() and exact[0] and np.isnan(bound_p[0])
    assert exact[2] and exact[5] and not exact[1] and 0.0 < bound_p[1] < np.inf


@pytest.mark.parametrize("coupling", [0.0, 0.5])
def test_cao_bound_equals_py_func_and_clears_its_work_arrays(coupling: float) -> None:
    """Each live patch's leap bound, compiled and as Python, is ``plan_patches``' bound where
    it set one; the work arrays are zero again after each call."""
    cs = aouad_space(coupling)
    m, nc, nr = cs.model, cs.n_compartments, cs.model.n_reactions
    X, a, ids, n_ids, exact, bound_p = _plan(cs)
    g = leap_orders(m.law, m.r1, m.r2, nc)
    nz_n, nz_c = sparse_changes(cs.chg_a, cs.chg_b)
    bound = np.full(cs.n_patches, np.nan)
    for p in ids[:n_ids]:
        live = np.flatnonzero(a[p, :nr] > 0.0).astype(np.int64)
        bounds = []
        for fn in (cao_bound, cao_bound.py_func):
            mu, s2 = np.zeros(nc), np.zeros(nc)
            args = (X, p * nc, a, p, live, len(live), g, cs.chg_a, cs.chg_b, nz_n, nz_c, EPS)
            bounds.append(fn(*args, mu, s2))
            assert not mu.any() and not s2.any()
        assert bounds[0] == bounds[1]
        bound[p] = bounds[0]
    leaping = ids[:n_ids][~exact[ids[:n_ids]]]
    assert len(leaping) >= 2 and np.isfinite(bound[leaping]).sum() >= 2
    np.testing.assert_array_equal(bound[leaping], bound_p[leaping])


@pytest.mark.parametrize("coupling", [0.0, 0.5])
@pytest.mark.parametrize("h", [0.01, 0.1, 1.0])
@pytest.mark.parametrize("convert", [True, False])
def test_choose_leap_equals_py_func(coupling: float, h: float, convert: bool) -> None:
    """The leap and which patches run exact or leap on their own, compiled and as Python.

    Converting, the leap stays ``h`` and only patches with a critical reaction or a short
    bound change; otherwise the shortest bound shortens the leap and nobody leaps alone.
    """
    cs = aouad_space(coupling)
    nr = cs.model.n_reactions
    _, a, ids, n_ids, exact, bound_p = _plan(cs)
    got = []
    for fn in (choose_leap, choose_leap.py_func):
        ex, own = exact.copy(), np.zeros(cs.n_patches, dtype=np.bool_)
        tau = fn(h, a, nr, ex, own, bound_p, ids, n_ids, N_SSA, convert)
        got.append((tau, ex, own))
    (tau, ex, own), (tau_py, ex_py, own_py) = got
    assert tau == tau_py
    np.testing.assert_array_equal(ex, ex_py)
    np.testing.assert_array_equal(own, own_py)
    live_bounds = [bound_p[p] for p in ids[:n_ids] if not exact[p]]
    if convert:
        assert tau == h
    else:
        assert tau == min(h, *live_bounds) and not own.any()
