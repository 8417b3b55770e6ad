"""The next-subvolume method's helpers (``_kernels/nsm.py``): jitted equals ``py_func``.

``nsm_steps`` is checked in ``test_space_kernels.py``, where ``heap_fix``,
``_next_time`` and ``_to_touch`` also serve, as Python, in a reference copy
of its loop; here each helper is held to its own source directly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.random import PCG64, Generator

from hyosan.engines._kernels.nsm import HEAP_PAD, _next_time, _to_touch, heap_fix
from hyosan.model import builtin_model, compile_model
from hyosan.space import World, compile_space

LATTICE = World.lattice(np.full((3, 4), 40.0))


def _heap(key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    heap = np.argsort(key).astype(np.int64)
    hk = np.append(key[heap], np.full(HEAP_PAD, np.inf))
    pos = np.empty(len(key), dtype=np.int64)
    pos[heap] = np.arange(len(key))
    return heap, hk, pos


@pytest.mark.parametrize("n", [1, 5, 37])
def test_heap_fix_equals_py_func_change_by_change(n: int) -> None:
    """Two copies of one heap, fixed by the compiled and the Python helper through the same
    2,000 key changes (a fifth to or from infinity), are equal after every change."""
    rng = Generator(PCG64(n))
    key = rng.random(n)
    jit, py = _heap(key), _heap(key)
    for _ in range(2000):
        p = int(rng.integers(n))
        new = math.inf if rng.random() < 0.2 else float(rng.random())
        heap_fix(*jit, p, new)
        heap_fix.py_func(*py, p, new)
        for a, b in zip(jit, py, strict=True):
            np.testing.assert_array_equal(a, b)


def test_next_time_equals_py_func() -> None:
    """A patch's next time, compiled and as Python: infinite with no rate, a fresh draw, or
    the old time rescaled by the old over the new rate (from a finite or infinite old time)."""
    t, lg = 2.5, math.log(0.3)
    cases = [  # (tn_q, old, new, draw)
        (3.7, 3.0, 4.0, True),
        (3.7, 3.0, 4.0, False),
        (math.inf, 3.0, 4.0, False),
        (math.inf, 0.0, 1.5, True),
        (3.7, 3.0, 0.0, True),
        (3.7, 3.0, 0.0, False),
    ]
    got = []
    for tn_q, old, new, draw in cases:
        a = _next_time(t, tn_q, old, new, draw, lg)
        assert a == _next_time.py_func(t, tn_q, old, new, draw, lg)
        got.append(a)
    assert got[0] == t - lg / 4.0 and got[1] == t + (3.7 - t) * 0.75
    assert got[2:] == [math.inf, t - lg / 1.5, math.inf, math.inf]


@pytest.mark.parametrize("any_coupled", [False, True])
def test_to_touch_equals_py_func_for_every_pair_of_neighbours(any_coupled: bool) -> None:
    """For every patch and each of itself and its neighbours as the second patch, the
    patches to refresh, compiled and as Python: the same list, starting with the two,
    with their neighbours only when a reaction is coupled."""
    m = builtin_model("aouad")
    cs = compile_space(m, compile_model(m), LATTICE, {"Z": 1.0}, coupling=0.5)
    ptr, dst = cs.out_ptr, cs.out_dst
    width = 2 + 2 * int(np.diff(ptr).max())
    for p in range(LATTICE.n_patches):
        for q in [p, *dst[ptr[p] : ptr[p + 1]].tolist()]:
            got = []
            for fn in (_to_touch, _to_touch.py_func):
                touched = np.full(width, -1, dtype=np.int64)
                n = fn(p, q, any_coupled, ptr, dst, touched)
                got.append(touched[:n].tolist())
            assert got[0] == got[1]
            assert got[0][: 1 + (q != p)] == ([p] if q == p else [p, q])
            assert (len(got[0]) > 2) == any_coupled
