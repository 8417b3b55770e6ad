"""Spatial tau-leaping's reaction step (``_kernels/spacetau.py``): jitted equals ``py_func``.

``space_tau_run`` is checked in ``test_space_kernels.py`` and ``_walk`` in
``test_spacetau_kernels.py``; here ``_react``, ``_react_checked`` and
``_apply``, from the same seed, on aouad in a 2 x 3 lattice planned as
``space_tau_run`` plans a step. Three cases reach every branch of ``_react``:
patches leaping on their own and exact ones (``alone``), Poisson leaps beside
exact patches (``leaps``), and Poisson leaps of coupled reactions whose
partners are spread over the neighbours (``coupled``). The Python sources
call the jitted helpers (``leap_patch``, ``exact_patch``, ``to_partners``).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.random import PCG64, Generator

from hyosan.engines._kernels.conditions import region_sums
from hyosan.engines._kernels.space import out_weights
from hyosan.engines._kernels.spaceleap import (
    choose_leap,
    gather,
    leap_orders,
    plan_patches,
    refresh,
    sparse_changes,
)
from hyosan.engines._kernels.spacetau import _apply, _react, _react_checked
from hyosan.space import CompiledSpace

from .spatial_case import EPS, N_SSA, PATCHES, aouad_space

CASES = {"alone": (0.0, 1.0), "leaps": (0.0, 0.01), "coupled": (0.5, 0.005)}  # coupling, tau


@dataclasses.dataclass
class Step:
    """A planned step: the state, its rates, the live and changed patches, who runs how."""

    cs: CompiledSpace
    X: np.ndarray
    a: np.ndarray
    ids: np.ndarray
    n_ids: int
    changed: np.ndarray
    n_changed: int
    exact: np.ndarray
    own: np.ndarray
    tau: float

    def args(self, tau: float, dX: np.ndarray) -> tuple:
        """``_react``'s arguments before ``dX`` (``tau`` to ``n_ssa``), then ``dX``."""
        cs, m, nc = self.cs, self.cs.model, self.cs.n_compartments
        g = leap_orders(m.law, m.r1, m.r2, nc)
        nz_n, nz_c = sparse_changes(cs.chg_a, cs.chg_b)
        return (
            tau, self.X, self.a, self.exact.copy(), self.own.copy(), m.k, m.law, m.r1, m.r2,
            m.in_n, cs.chg_a, cs.chg_b, nz_n, nz_c, cs.coupled, cs.coupling, cs.out_ptr,
            cs.out_dst, cs.out_w, g, EPS, np.full(nc, 10.0), N_SSA, dX,
        )  # fmt: skip


def _step(case: str) -> Step:
    """``PATCHES`` planned as ``space_tau_run`` plans a step; with coupling, the step is
    longer than the bounds allow, so that the crowded patches leap (the bounds are the
    kernel's business, not ``_react``'s)."""
    coupling, tau = CASES[case]
    cs = aouad_space(coupling)
    cm, n, nc = cs.model, cs.n_patches, cs.n_compartments
    X = np.array(PATCHES, dtype=float).ravel()
    wout = out_weights(n, cs.out_ptr, cs.out_w)
    a = np.zeros((n, cm.n_reactions + nc))
    ids = np.zeros(n, dtype=np.int64)
    laws = (cm.k, cm.law, cm.r1, cm.r2, cm.in_n, cs.coupled, cs.coupling)
    edges = (cs.out_ptr, cs.out_dst, cs.out_w)
    n_ids, _ = refresh(np.arange(n), n, X, *laws, *edges, cs.mob, wout, a, ids)
    g = leap_orders(cm.law, cm.r1, cm.r2, nc)
    nz_n, nz_c = sparse_changes(cs.chg_a, cs.chg_b)
    exact, own, bound_p = np.zeros(n, np.bool_), np.zeros(n, np.bool_), np.full(n, np.inf)
    plan_patches(
        X, a, g, cs.chg_a, cs.chg_b, nz_n, nz_c, cs.coupled, coupling, *edges, EPS,
        np.full(nc, 10.0), exact, bound_p, ids, n_ids,
    )  # fmt: skip
    if coupling == 0.0:  # converting: patches with short bounds run exact or alone, tau stays
        assert (
            choose_leap(tau, a, cm.n_reactions, exact, own, bound_p, ids, n_ids, N_SSA, True) == tau
        )
    changed = np.empty(n, dtype=np.int64)
    n_changed = gather(
        ids, n_ids, cs.out_ptr, cs.out_dst, True, np.zeros(n, np.int64), 1, changed, 0
    )
    return Step(cs, X, a, ids, n_ids, changed, n_changed, exact, own, tau)


def _leaping(s: Step) -> list[int]:
    """The live patches that draw Poisson numbers of their reactions."""
    nr = s.cs.model.n_reactions
    return [int(p) for p in s.ids[: s.n_ids] if not (s.exact[p] or s.own[p]) and s.a[p, :nr].any()]


@pytest.mark.parametrize("case", sorted(CASES))
def test_react_equals_py_func(case: str) -> None:
    """The reaction changes of a step and their number, compiled and as Python, from one seed,
    leave the two generators in the same state; nobody appears or vanishes."""
    s = _step(case)
    assert s.exact[2]  # the patch of few runs exact in every case
    assert s.own.any() == (case == "alone") and bool(_leaping(s)) == (case != "alone")
    got = []
    for fn in (_react, _react.py_func):
        dX, rng = np.zeros_like(s.X), Generator(PCG64(8))
        events = fn(*s.args(s.tau, dX), s.ids, s.n_ids, rng)
        got.append((events, dX, rng.bit_generator.state))
    (events, dX, state), (events_py, dX_py, state_py) = got
    assert events == events_py > 50
    np.testing.assert_array_equal(dX, dX_py)
    assert state == state_py
    assert dX.sum() == 0.0 and dX[: s.cs.n_compartments].tolist() == [0.0] * 6  # dead patch


@pytest.mark.parametrize(("case", "tau", "ok"), [("leaps", 0.01, True), ("coupled", 0.5, False)])
def test_react_checked_equals_py_func(case: str, tau: float, ok: bool) -> None:
    """``_react_checked`` clears ``dX`` over the changed patches, reacts and says whether a
    count would go below 0, compiled and as Python from one seed: a short step keeps every
    count, a long one does not."""
    s = _step(case)
    got = []
    for fn in (_react_checked, _react_checked.py_func):
        dX, rng = np.full_like(s.X, 5.0), Generator(PCG64(3))  # stale changes, to be cleared
        events, fine = fn(*s.args(tau, dX), s.ids, s.n_ids, s.changed, s.n_changed, rng)
        got.append((events, fine, dX, rng.bit_generator.state))
    assert got[0][:2] == got[1][:2] and got[0][1] == ok and got[0][0] > 0
    np.testing.assert_array_equal(got[0][2], got[1][2])
    assert got[0][3] == got[1][3]
    assert ((s.X + got[0][2]).min() >= 0.0) == ok


@pytest.mark.parametrize("watched", [True, False])
def test_apply_equals_py_func_and_credits_the_conditions(watched: bool) -> None:
    """``X += dX`` over the changed patches, ``dX`` zeroed there and the conditions' sums
    credited, compiled and as Python; the sums are those of the new state."""
    s = _step("coupled")
    dX = np.zeros_like(s.X)
    _react(*s.args(s.tau, dX), s.ids, s.n_ids, Generator(PCG64(4)))
    assert dX.any()
    # Z >= 3500 in the top row, S < 100, E + Z > 10: weights over S E Ez Z H D, masks
    w = np.array([[0, 0, 0, 1, 0, 0], [1, 0, 0, 0, 0, 0], [0, 1, 0, 1, 0, 0]], dtype=float)
    m = np.array([[1, 1, 1, 0, 0, 0], [1] * 6, [1] * 6], dtype=float)
    if not watched:
        w, m = w[:0], m[:0]
    got = []
    for fn in (_apply, _apply.py_func):
        X, d, csum = s.X.copy(), dX.copy(), region_sums(s.X, w, m)
        fn(X, d, csum, w, m, s.changed, s.n_changed)
        got.append((X, d, csum))
    for a, b in zip(got[0], got[1], strict=True):
        np.testing.assert_array_equal(a, b)
    X, d, csum = got[0]
    np.testing.assert_array_equal(X, s.X + dX)
    assert not d.any()
    np.testing.assert_array_equal(csum, region_sums(X, w, m))
    assert len(csum) == (3 if watched else 0)
