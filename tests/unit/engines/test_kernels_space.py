"""Spatial helpers (``_kernels/space.py``): jitted equals ``py_func``, to the bit.

``out_weights``, ``partner_count``, ``patch_channels``, ``pick_partner``,
``pick_edge`` and ``space_ode_rhs`` are checked in ``test_space_kernels.py``;
here ``neighbour_count``, ``reaction_rates`` (on the world's counts and on a
patch's own copy) and ``pick_index``.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.random import PCG64, Generator

from hyosan.engines._kernels.space import (
    neighbour_count,
    out_weights,
    patch_channels,
    pick_index,
    reaction_rates,
)
from hyosan.model import builtin_model, compile_model
from hyosan.space import CompiledSpace, World, compile_space

LATTICE = World.lattice(np.full((2, 3), 40.0))
AOUAD_MOVES = {"S": 0.2, "E": 0.2, "Z": 0.8, "H": 0.5}


def _space(coupling: float) -> CompiledSpace:
    """aouad on the lattice, the edge from patch 0 to its first neighbour closed."""
    m = builtin_model("aouad")
    cs = compile_space(m, compile_model(m), LATTICE, AOUAD_MOVES, coupling=coupling)
    weight = LATTICE.weight.copy()
    weight[cs.edge[cs.out_ptr[0]]] = 0.0
    return cs.with_edge_weights(weight)


def _state(cs: CompiledSpace, seed: int) -> np.ndarray:
    rng = Generator(PCG64(seed))
    X = rng.integers(0, 30, size=cs.n_patches * cs.n_compartments).astype(float)
    X[: cs.n_compartments] = [2.0, 1.0, 0.0, 1.0, 0.0, 5.0]  # a patch of few, for X (X - 1)
    return X


def test_neighbour_count_equals_py_func() -> None:
    """The weighted count next door of every compartment of every patch, compiled and as
    Python; a closed edge adds nothing."""
    cs = _space(0.5)
    nc = cs.n_compartments
    X = _state(cs, 1)
    edges = (cs.out_ptr, cs.out_dst, cs.out_w)
    assert cs.out_w[cs.out_ptr[0]] == 0.0
    for p in range(cs.n_patches):
        for c in range(nc):
            args = (p, c, X, nc, cs.coupling, *edges)
            got = neighbour_count(*args)
            assert got == neighbour_count.py_func(*args)
            open_ = [
                int(cs.out_dst[e])
                for e in range(cs.out_ptr[p], cs.out_ptr[p + 1])
                if cs.out_w[e] > 0.0
            ]
            assert got == pytest.approx(0.5 * X[np.array(open_) * nc + c].sum(), rel=1e-15)


@pytest.mark.parametrize("coupling", [0.0, 0.5])
@pytest.mark.parametrize("exact", [True, False])
def test_reaction_rates_equals_py_func_on_the_world_and_on_a_copy(
    coupling: float, exact: bool
) -> None:
    """Each patch's reaction rates and their sum, compiled and as Python, from the world's
    counts (into the patch's row) and from a copy of the patch's counts at an offset (into
    row 0): the same numbers, which are ``patch_channels``' reaction channels."""
    cs = _space(coupling)
    m, nc, nr = cs.model, cs.n_compartments, cs.model.n_reactions
    laws = (m.k, m.law, m.r1, m.r2, m.in_n, cs.coupled, cs.coupling)
    edges = (cs.out_ptr, cs.out_dst, cs.out_w)
    wout = out_weights(cs.n_patches, cs.out_ptr, cs.out_w)
    for seed in range(3):
        X = _state(cs, seed)
        full = np.full((cs.n_patches, nr + nc), np.nan)
        for p in range(cs.n_patches):
            patch_channels(p, X, *laws, *edges, cs.mob, wout, exact, full)
            xs = np.concatenate([[7.0, 7.0], X[p * nc : (p + 1) * nc]])  # the patch at offset 2
            rows = []
            for fn in (reaction_rates, reaction_rates.py_func):
                a, a_copy = np.full((cs.n_patches, nr), np.nan), np.full((1, nr), np.nan)
                s = fn(p, X, p * nc, X, *laws, *edges, exact, a, p)
                s_copy = fn(p, xs, 2, X, *laws, *edges, exact, a_copy, 0)
                assert s == s_copy
                np.testing.assert_array_equal(a[p], a_copy[0])
                rows.append((s, a[p]))
            assert rows[0][0] == rows[1][0]
            np.testing.assert_array_equal(rows[0][1], rows[1][1])
            np.testing.assert_array_equal(rows[0][1], full[p, :nr])


def test_pick_index_equals_py_func_and_never_picks_a_zero_channel() -> None:
    """For 2,000 uniform targets over each patch's channels (and the very top), the channel
    picked, compiled and as Python; it never has rate 0, and the top picks the last live one."""
    cs = _space(0.5)
    m, nc, nr = cs.model, cs.n_compartments, cs.model.n_reactions
    wout = out_weights(cs.n_patches, cs.out_ptr, cs.out_w)
    a = np.zeros((cs.n_patches, nr + nc))
    X = _state(cs, 4)
    laws = (m.k, m.law, m.r1, m.r2, m.in_n, cs.coupled, cs.coupling)
    edges = (cs.out_ptr, cs.out_dst, cs.out_w, cs.mob, wout)
    totals = [patch_channels(p, X, *laws, *edges, True, a) for p in range(cs.n_patches)]
    rng = Generator(PCG64(5))
    for p, total in enumerate(totals):
        assert (a[p] == 0.0).any() and total > 0.0
        for target in [*(rng.random(2000) * total), total]:
            j = pick_index(a, p, nr + nc, target)
            assert j == pick_index.py_func(a, p, nr + nc, target)
            assert a[p, j] > 0.0
        assert pick_index(a, p, nr + nc, total) == np.flatnonzero(a[p])[-1]
