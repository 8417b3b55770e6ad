"""The next-subvolume method's dependency graph (``_kernels/nsm_deps.py``): jitted equals
``py_func``.

``refresh_channels`` is checked in ``test_space_kernels.py``; here ``_reads``
and ``channel_sets``, on every built-in model, coupled and not, with rates
and mobilities of 0 among them (channels that are left out).
"""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.engines._kernels.nsm_deps import _reads, channel_sets
from hyosan.model import BUILTIN_MODELS, builtin_model, compile_model
from hyosan.space import CompiledSpace, World, compile_space

LATTICE = World.lattice(np.full((2, 3), 40.0))


def _space(name: str, coupling: float) -> CompiledSpace:
    """``name`` on the lattice, half its compartments moving, its first rate set to 0."""
    m = builtin_model(name)
    moves = {c: 0.5 for c in m.compartments[::2]}
    cs = compile_space(m, compile_model(m), LATTICE, moves, coupling=coupling)
    k = cs.model.k.copy()
    k[0] = 0.0
    return cs.with_rates(k)


@pytest.mark.parametrize("name", sorted(BUILTIN_MODELS))
def test_reads_equals_py_func(name: str) -> None:
    """Whether each reaction reads each compartment, compiled and as Python; some do, some
    do not, and the reaction whose rate is 0 reads nothing."""
    m = _space(name, 0.0).model
    got = np.array(
        [
            [_reads(j, c, m.k, m.law, m.r1, m.r2, m.in_n) for c in range(m.n_compartments)]
            for j in range(m.n_reactions)
        ]
    )
    want = np.array(
        [
            [_reads.py_func(j, c, m.k, m.law, m.r1, m.r2, m.in_n) for c in range(m.n_compartments)]
            for j in range(m.n_reactions)
        ]
    )
    np.testing.assert_array_equal(got, want)
    assert got.any() and not got.all() and not got[0].any()


@pytest.mark.parametrize("name", sorted(BUILTIN_MODELS))
@pytest.mark.parametrize("coupling", [0.0, 0.5])
def test_channel_sets_equals_py_func(name: str, coupling: float) -> None:
    """The channel sets in CSR form, compiled and as Python; the last set holds every
    channel and the movement channel of a compartment that does not move is in no other."""
    cs = _space(name, coupling)
    m = cs.model
    args = (m.k, m.law, m.r1, m.r2, m.in_n, cs.chg_a, cs.chg_b, cs.coupled, cs.mob)
    ptr, idx = channel_sets(*args)
    ptr_py, idx_py = channel_sets.py_func(*args)
    np.testing.assert_array_equal(ptr, ptr_py)
    np.testing.assert_array_equal(idx, idx_py)
    n = m.n_reactions + cs.n_compartments
    assert len(ptr) == 2 * n + 2 and ptr[-1] == len(idx)
    np.testing.assert_array_equal(idx[ptr[-2] :], np.arange(n))
    still = m.n_reactions + np.flatnonzero(cs.mob == 0.0)
    assert len(still) > 0 and not np.isin(idx[: ptr[-2]], still).any()
