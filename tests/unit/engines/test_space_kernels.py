"""Spatial kernels: jitted equals ``py_func`` under one seed, and propensities by hand.

The state is ``X[p * C + c]``; a coupled reaction ``A + B`` in patch ``p``
has propensity ``k A_p (B_p + coupling * sum of B_n over open neighbours) /
N_p`` (frequency dependent), and the movement channel of compartment ``c``
is ``mob[c] * wout[p] * X[p, c]`` (see ``hyosan.space.compiled``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pytest
from numpy.random import PCG64, Generator

from hyosan.engines import Stops
from hyosan.engines._kernels import BUDGET, REACHED, nsm_steps, space_ode_rhs, space_tau_run
from hyosan.engines._kernels.nsm import HEAP_PAD, _next_time, _to_touch, heap_fix
from hyosan.engines._kernels.nsm_deps import channel_sets, refresh_channels
from hyosan.engines._kernels.space import (
    out_weights,
    partner_count,
    patch_channels,
    pick_edge,
    pick_index,
    pick_partner,
)
from hyosan.interventions import Condition
from hyosan.model import Model, Parameter, Reaction, builtin_model, compile_model
from hyosan.space import CompiledSpace, World, compile_space

TIMES = np.linspace(0.0, 4.0, 9)
OUT = 6  # position of the output array in the spatial kernels' arguments
AOUAD_MOVES = {"S": 0.2, "E": 0.2, "Z": 0.8, "H": 0.5}


def _space(
    model: str,
    world: World,
    mobility: dict[str, float],
    coupling: float,
    params: dict[str, float] | None = None,
) -> CompiledSpace:
    m = builtin_model(model)
    return compile_space(m, compile_model(m, params), world, mobility, coupling=coupling)


LATTICE = World.lattice(np.full((2, 3), 40.0))


def _lattice_case() -> tuple[CompiledSpace, np.ndarray]:
    """aouad on a 2 x 3 lattice, coupled, everyone but the dead moving; one bitten in a corner."""
    world = LATTICE
    cs = _space("aouad", world, AOUAD_MOVES, 0.5)
    x = np.zeros((world.n_patches, cs.n_compartments))
    x[:, 0] = 40.0
    x[0, 0], x[0, 1], x[4, 3] = 38.0, 2.0, 1.0
    return cs, x.ravel()


def _kernel_args(cs: CompiledSpace, x0: np.ndarray, cond: Stops | None = None) -> tuple:
    c = cond or Stops.build([], cs.compartments)
    out = np.zeros((len(TIMES), len(x0)))
    return (x0.copy(), 0.0, float(TIMES[-1]), cs.arrays, c.spatial, TIMES, out, 0)


def _fresh(args: tuple) -> tuple:
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


def test_nsm_steps_equals_py_func() -> None:
    """The compiled next-subvolume method and its Python source draw the same path."""
    cs, x0 = _lattice_case()
    a, b = _fresh(_kernel_args(cs, x0)), _fresh(_kernel_args(cs, x0))
    ra = nsm_steps(*a, 10**7, Generator(PCG64(5)))
    rb = nsm_steps.py_func(*b, 10**7, Generator(PCG64(5)))
    assert ra[0] == REACHED and ra[3] > 100 and ra == rb
    np.testing.assert_array_equal(a[OUT], b[OUT])
    np.testing.assert_array_equal(a[0], b[0])
    assert a[0].sum() == x0.sum()  # aouad conserves people, moves included


def _nsm_by_helpers(
    cs: CompiledSpace, X: np.ndarray, out: np.ndarray, budget: int, rng: Generator
) -> tuple:
    """The next-subvolume method over ``TIMES`` with the shared helpers as Python, refreshing
    with ``refresh_channels``: ``nsm_steps``' reference (it writes the refresh out).

    Returns ``(t, i_out, events)``: ``t`` is the end, or the last event's time when
    ``budget`` events ran out."""
    m = cs.model
    nr, nc, n = m.n_reactions, cs.n_compartments, cs.n_patches
    laws = (m.k, m.law, m.r1, m.r2, m.in_n, cs.coupled, cs.coupling)
    edges = (cs.out_ptr, cs.out_dst, cs.out_w)
    wout = out_weights(n, cs.out_ptr, cs.out_w)
    ptr, idx = channel_sets(m.k, m.law, m.r1, m.r2, m.in_n, cs.chg_a, cs.chg_b, cs.coupled, cs.mob)
    a, s, tn = np.empty((n, nr + nc)), np.zeros(n), np.empty(n)
    refresh = refresh_channels.py_func
    for p in range(n):
        s[p] = refresh(p, ptr[-2], ptr[-1], idx, X, *laws, *edges, cs.mob, wout, a, s)
        tn[p] = -np.log(1.0 - rng.random()) / s[p] if s[p] > 0.0 else np.inf
    heap = np.argsort(tn).astype(np.int64)
    hk = np.append(tn[heap], np.full(HEAP_PAD, np.inf))
    pos = np.empty(n, dtype=np.int64)
    pos[heap] = np.arange(n)
    touched = np.empty(2 + 2 * int(np.diff(cs.out_ptr).max()), dtype=np.int64)
    t, t_stop, i_out, events = 0.0, float(TIMES[-1]), 0, 0
    while events < budget:
        p = int(heap[0])
        t = tn[p]
        while i_out < len(TIMES) and TIMES[i_out] < min(t, t_stop):
            out[i_out] = X
            i_out += 1
        if t >= t_stop:
            return t_stop, i_out, events
        j = pick_index.py_func(a, p, nr + nc, rng.random() * s[p])
        q = p
        if j < nr:
            if cs.coupled[j]:
                q = pick_partner.py_func(p, m.r2[j], X, nc, cs.coupling, *edges, rng.random())
            X[p * nc : (p + 1) * nc] += cs.chg_a[j]
            X[q * nc : (q + 1) * nc] += cs.chg_b[j]
        else:
            q = pick_edge.py_func(p, *edges, wout[p], rng.random())
            X[p * nc + j - nr] -= 1.0
            X[q * nc + j - nr] += 1.0
        n_changed = 1 if q == p else 2
        for i in range(_to_touch.py_func(p, q, bool(cs.coupled.any()), *edges[:2], touched)):
            z = int(touched[i])
            lo, hi = (
                (ptr[2 * j], ptr[2 * j + 1]) if i < n_changed else (ptr[2 * j + 1], ptr[2 * j + 2])
            )
            new = refresh(z, lo, hi, idx, X, *laws, *edges, cs.mob, wout, a, s)
            draw = new > 0.0 and (i == 0 or s[z] <= 0.0 or not tn[z] < np.inf)
            lg = np.log(1.0 - rng.random()) if draw else 0.0
            key = _next_time.py_func(t, tn[z], s[z], new, draw, lg)
            s[z] = new
            if key != tn[z]:
                tn[z] = key
                heap_fix.py_func(heap, hk, pos, z, key)
        events += 1
    return t, i_out, events


def _fights() -> CompiledSpace:
    """Zombies that also fight each other (``Z + Z``, one reactant twice: the rate's
    ``Z (Z - 1)``), which no built-in model has, on the lattice, coupled."""
    m = Model(
        "fights",
        ("S", "Z", "R"),
        (Parameter("beta", 1.0), Parameter("kappa", 0.5), Parameter("f", 0.05)),
        (
            Reaction.parse("S + Z -> 2 Z", "beta", law="frequency"),
            Reaction.parse("S + Z -> S + R", "kappa", law="frequency"),
            Reaction.parse("Z + Z -> Z + R", "f"),
        ),
    )
    return compile_space(m, compile_model(m), LATTICE, {"Z": 0.8}, coupling=0.5)


@pytest.mark.parametrize("case", ["aouad", "aouad coupled", "fights"])
def test_nsm_steps_is_the_method_by_the_shared_helpers(case: str) -> None:
    """``nsm_steps`` (which writes ``refresh_channels`` out in its loop) draws the path of the
    same method built from the shared helpers, to the bit: counts, output, events, and
    (stopped by a budget) the time of the last event."""
    if case == "fights":
        cs = _fights()
        x0 = np.tile([40.0, 0.0, 0.0], LATTICE.n_patches)
        x0[1], x0[4] = 30.0, 10.0  # zombies in the first patch
    else:
        cs = _space("aouad", LATTICE, AOUAD_MOVES, 0.5 if "coupled" in case else 0.0)
        x0 = _lattice_case()[1]
    for seed, budget in ((0, 10**7), (1, 10**7), (2, 10**7), (3, 150)):
        args = _fresh(_kernel_args(cs, x0))
        status, t, i_out, events, _c = nsm_steps(*args, budget, Generator(PCG64(seed)))
        X, out = x0.copy(), np.zeros_like(args[OUT])
        want = _nsm_by_helpers(cs, X, out, budget, Generator(PCG64(seed)))
        assert status == (REACHED if budget > 150 else BUDGET) and events > 100
        assert (t, i_out, events) == want
        np.testing.assert_array_equal(args[0], X)
        np.testing.assert_array_equal(args[OUT][:i_out], out[:i_out])


def test_nsm_steps_stops_on_condition_and_on_budget() -> None:
    """A condition on totals over patches stops at the event that makes it true; a budget too."""
    cs, x0 = _lattice_case()
    cond = Stops.build([Condition.parse("E + Z > 5")], cs.compartments, LATTICE)
    args = _kernel_args(cs, x0, cond)
    status, t, _i, n, c = nsm_steps(*args, 10**7, Generator(PCG64(2)))
    x = args[0].reshape(-1, cs.n_compartments)
    assert status == 1 and c == 0  # CONDITION (this seed's bitten turn before they die)
    assert x[:, 1].sum() + x[:, 3].sum() == 6 and 0 < t < TIMES[-1]
    args = _kernel_args(cs, x0)
    status, t, _i, n, c = nsm_steps(*args, 7, Generator(PCG64(2)))
    assert (status, n, c) == (2, 7, -1) and 0 < t < TIMES[-1]  # BUDGET after 7 events


@pytest.mark.parametrize("kernel", ["ssa", "tau"])
def test_a_condition_in_a_region_counts_only_its_patches(kernel: str) -> None:
    """``Z >= 1 in`` the far corner stops when the first zombie stands there, not before.

    Patch 4 starts with a zombie and patch 0 with two bitten; the condition
    reads patch 2 only (a region of one patch), so it cannot hold at the
    start though the world has a zombie, and when it stops the zombie count
    in patch 2 is what the condition says.
    """
    world = dataclasses.replace(LATTICE, regions={"corner": (2,)})
    cs, x0 = _lattice_case()
    cond = Stops.build([Condition.parse("Z >= 1 in corner")], cs.compartments, world)
    assert cond.masks.tolist() == [[0.0, 0.0, 1.0, 0.0, 0.0, 0.0]]
    stopped = 0
    for seed in range(10):
        args = _kernel_args(cs, x0, cond)
        if kernel == "ssa":
            status, t, _i, _n, c = nsm_steps(*args, 10**7, Generator(PCG64(seed)))
        else:
            status, t, _i, _n, c = space_tau_run(
                *args, 10**7, Generator(PCG64(seed)), 0.03, np.full(cs.n_compartments, 10.0), 10.0
            )
        x = args[0].reshape(-1, cs.n_compartments)
        if status == 1:  # CONDITION
            stopped += 1
            assert c == 0 and x[2, 3] >= 1 and 0 < t < TIMES[-1]
        else:
            assert (args[OUT][:, 2 * cs.n_compartments + 3] == 0).all()
    assert stopped > 0


def test_nsm_steps_refreshes_neighbours_after_an_event_within_a_patch() -> None:
    """Coupled kills only: a zombie is never destroyed in a patch that has none.

    Patch a holds 1 human, patch b 2 humans and 1 zombie; coupling 0.5, no
    bites, no movement. When b's own kill destroys the zombie, a's kill rate
    (which read b's zombie) must drop to 0; if it is left stale, a fires
    later, finds no partner anywhere and drives its zombie count to -1.
    """
    cs = _space("alemi", World.from_edges("two", ["a", "b"], [("a", "b", 1.0)]), {}, 0.5)
    cs = cs.with_rates(np.array([0.0, 1.0]))  # beta 0, kappa 1
    x0 = np.array([1.0, 0.0, 0.0, 2.0, 1.0, 0.0])
    lows = []
    for seed in range(20):
        args = _kernel_args(cs, x0)
        nsm_steps(*args[:2], 1000.0, *args[3:], 100, Generator(PCG64(seed)))
        lows.append(args[0].min())
        np.testing.assert_array_equal(args[0][:3], [1.0, 0.0, 0.0], err_msg=f"seed {seed}")
    assert min(lows) >= 0.0


def test_space_tau_run_equals_py_func() -> None:
    """The compiled spatial tau-leap and its Python source draw the same path (leaps included)."""
    world = World.lattice(np.full((2, 2), 5000.0))
    cs = _space("aouad", world, AOUAD_MOVES, 0.5)
    x = np.zeros((4, cs.n_compartments))
    x[:, 0] = 5000.0
    x[:, 3] = [200.0, 0.0, 50.0, 0.0]
    x0 = x.ravel()
    # With a budget of one event, an exact step returns 1 event, a leap many: it leaps here.
    first = space_tau_run(
        *_fresh(_kernel_args(cs, x0)),
        1,
        Generator(PCG64(9)),
        0.03,
        np.full(cs.n_compartments, 10.0),
        10.0,
    )
    assert first[3] > 1
    a, b = _fresh(_kernel_args(cs, x0)), _fresh(_kernel_args(cs, x0))
    ra = space_tau_run(*a, 10**9, Generator(PCG64(9)), 0.03, np.full(cs.n_compartments, 10.0), 10.0)
    rb = space_tau_run.py_func(
        *b, 10**9, Generator(PCG64(9)), 0.03, np.full(cs.n_compartments, 10.0), 10.0
    )
    assert ra[0] == REACHED and ra == rb
    np.testing.assert_array_equal(a[OUT], b[OUT])
    np.testing.assert_array_equal(a[0], b[0])
    assert a[0].sum() == x0.sum() and a[0].min() >= 0


def test_space_tau_run_with_few_people_equals_py_func() -> None:
    """With few people the tau kernel falls back on exact steps; still equal to its source."""
    cs, x0 = _lattice_case()
    a, b = _fresh(_kernel_args(cs, x0)), _fresh(_kernel_args(cs, x0))
    ra = space_tau_run(*a, 10**9, Generator(PCG64(4)), 0.03, np.full(cs.n_compartments, 10.0), 10.0)
    rb = space_tau_run.py_func(
        *b, 10**9, Generator(PCG64(4)), 0.03, np.full(cs.n_compartments, 10.0), 10.0
    )
    assert ra[0] == REACHED and ra == rb
    np.testing.assert_array_equal(a[OUT], b[OUT])


def _channels(
    cs: CompiledSpace,
    x: np.ndarray,
    p: int,
    exact: bool = True,
    fn: Callable[..., float] = patch_channels,
) -> tuple[float, np.ndarray]:
    """Patch ``p``'s total propensity and its ``R + C`` channels, by ``fn``."""
    m = cs.model
    wout = out_weights(cs.n_patches, cs.out_ptr, cs.out_w)
    a = np.full((cs.n_patches, m.n_reactions + cs.n_compartments), np.nan)
    laws = (m.k, m.law, m.r1, m.r2, m.in_n, cs.coupled, cs.coupling)
    edges = (cs.out_ptr, cs.out_dst, cs.out_w, cs.mob, wout)
    total = fn(p, x, *laws, *edges, exact, a)
    return total, a[p]


def _state(cs: CompiledSpace, seed: int) -> np.ndarray:
    rng = Generator(PCG64(seed))
    return rng.integers(0, 30, size=cs.n_patches * cs.n_compartments).astype(float)


def test_patch_channels_equals_py_func() -> None:
    """Every patch's channel propensities and total, compiled and as Python."""
    cs, _ = _lattice_case()
    x = _state(cs, 1)
    np.testing.assert_array_equal(
        out_weights(cs.n_patches, cs.out_ptr, cs.out_w),
        out_weights.py_func(cs.n_patches, cs.out_ptr, cs.out_w),
    )
    nc = cs.n_compartments
    for exact in (True, False):
        for p in range(cs.n_patches):
            s1, a1 = _channels(cs, x, p, exact)
            s2, a2 = _channels(cs, x, p, exact, patch_channels.py_func)
            assert s1 == s2 and s1 == pytest.approx(a1.sum())
            np.testing.assert_array_equal(a1, a2)
            for c in range(nc):
                args = (p, c, x, nc, cs.coupling, cs.out_ptr, cs.out_dst, cs.out_w)
                assert partner_count(*args) == partner_count.py_func(*args)


def _sets(cs: CompiledSpace) -> tuple[np.ndarray, np.ndarray]:
    m = cs.model
    return channel_sets(m.k, m.law, m.r1, m.r2, m.in_n, cs.chg_a, cs.chg_b, cs.coupled, cs.mob)


def _refresh(cs: CompiledSpace, x: np.ndarray, p: int, lo: int, hi: int, a, s, fn=refresh_channels):
    m, idx = cs.model, _sets(cs)[1]
    wout = out_weights(cs.n_patches, cs.out_ptr, cs.out_w)
    laws = (m.k, m.law, m.r1, m.r2, m.in_n, cs.coupled, cs.coupling)
    return fn(p, lo, hi, idx, x, *laws, cs.out_ptr, cs.out_dst, cs.out_w, cs.mob, wout, a, s)


@pytest.mark.parametrize("coupling", [0.0, 0.5])
def test_refresh_of_every_channel_is_patch_channels_to_the_bit(coupling: float) -> None:
    """The next-subvolume method's own rate loop gives ``patch_channels``' rates and total.

    Bit for bit, compiled and as Python: the engine's paths rest on it.
    """
    cs = _space("aouad", LATTICE, AOUAD_MOVES, coupling)
    ptr, _ = _sets(cs)
    n = cs.model.n_reactions + cs.n_compartments
    for seed in range(3):
        x = _state(cs, seed)
        for p in range(cs.n_patches):
            want_s, want_a = _channels(cs, x, p)
            for fn in (refresh_channels, refresh_channels.py_func):
                a, s = np.full((cs.n_patches, n), np.nan), np.zeros(cs.n_patches)
                assert _refresh(cs, x, p, ptr[-2], ptr[-1], a, s, fn) == want_s
                np.testing.assert_array_equal(a[p], want_a)


@pytest.mark.parametrize(("model", "coupling"), [("aouad", 0.5), ("alemi", 0.5), ("sir", 0.0)])
def test_channel_sets_hold_every_channel_an_event_changes(model: str, coupling: float) -> None:
    """After any event, the channels left out of its sets keep their rates.

    Each reaction fired in a patch (its partner in each neighbour in turn) and
    each move along each edge; rates recomputed in full for the two patches
    and all their neighbours, against the sets of the patches that changed
    and of their neighbours.
    """
    moves = {c: 0.5 for c in builtin_model(model).compartments}
    cs = _space(model, LATTICE, moves, coupling)
    ptr, idx = _sets(cs)
    nr, nc = cs.model.n_reactions, cs.n_compartments
    x = _state(cs, 4) + 2.0
    before = np.array([_channels(cs, x, p)[1] for p in range(cs.n_patches)])
    for j in range(nr + nc):
        for p in range(cs.n_patches):
            for q in [p, *cs.out_dst[cs.out_ptr[p] : cs.out_ptr[p + 1]]]:
                y = x.copy()
                if j < nr:
                    y[p * nc : (p + 1) * nc] += cs.chg_a[j]
                    y[q * nc : (q + 1) * nc] += cs.chg_b[j]
                else:
                    y[[p * nc + j - nr, q * nc + j - nr]] += [-1.0, 1.0]
                near = {p, q, *cs.out_dst[cs.out_ptr[p] : cs.out_ptr[p + 1]]}
                near |= set(cs.out_dst[cs.out_ptr[q] : cs.out_ptr[q + 1]])
                for z in range(cs.n_patches):
                    changed = set(np.flatnonzero(_channels(cs, y, z)[1] != before[z]))
                    side = 0 if z in (p, q) else 1
                    allowed = idx[ptr[2 * j + side] : ptr[2 * j + side + 1]] if z in near else []
                    assert changed <= set(allowed), (j, p, q, z)


def test_pick_partner_and_pick_edge_equal_py_func() -> None:
    """Partner and edge choices for the same uniforms, compiled and as Python."""
    cs, _ = _lattice_case()
    x = _state(cs, 2)
    wout = out_weights(cs.n_patches, cs.out_ptr, cs.out_w)
    edges = (cs.out_ptr, cs.out_dst, cs.out_w)
    for u in Generator(PCG64(3)).random(50):
        for p in range(cs.n_patches):
            for c in range(cs.n_compartments):
                args = (p, c, x, cs.n_compartments, cs.coupling, *edges, u)
                assert pick_partner(*args) == pick_partner.py_func(*args)
            args_e = (p, *edges, wout[p], u)
            assert pick_edge(*args_e) == pick_edge.py_func(*args_e)


def test_space_ode_rhs_equals_py_func() -> None:
    """The spatial ODE right-hand side, compiled and as Python."""
    cs, _ = _lattice_case()
    x = _state(cs, 4) + 0.25
    d1, d2 = np.empty_like(x), np.empty_like(x)
    space_ode_rhs(x, *cs.arrays, d1)
    space_ode_rhs.py_func(x, *cs.arrays, d2)
    np.testing.assert_array_equal(d1, d2)


# --- hand computations on two patches ----------------------------------------------

TWO = World.from_edges("two", ["p", "n"], [("p", "n", 1.0)])


def test_placed_changes_of_alemi() -> None:
    """The bite turns the human where the human is; the kill destroys the zombie where it is."""
    cs = _space("alemi", TWO, {"Z": 1.0}, 0.5)
    assert cs.coupled.tolist() == [True, True]
    # S, Z, R; bite S + Z -> Z + Z, kill S + Z -> S + R
    np.testing.assert_array_equal(cs.chg_a, [[-1, 1, 0], [0, 0, 0]])
    np.testing.assert_array_equal(cs.chg_b, [[0, 0, 0], [0, -1, 1]])
    uncoupled = _space("alemi", TWO, {"Z": 1.0}, 0.0)
    assert not uncoupled.coupled.any()
    np.testing.assert_array_equal(uncoupled.chg_a, [[-1, 1, 0], [0, -1, 1]])
    np.testing.assert_array_equal(uncoupled.chg_b, 0.0)


@pytest.mark.parametrize("coupling", [0.0, 0.3, 1.0])
def test_coupled_propensities_by_hand(coupling: float) -> None:
    """bite in p = beta S_p (Z_p + coupling Z_n) / N_p; moves mob[c] wout[p] X[p, c]."""
    beta, kappa = 1.7, 0.6
    world = World.from_edges("two", ["p", "n"], [("p", "n", 2.5)])
    cs = _space("alemi", world, {"S": 0.1, "Z": 0.4}, coupling, {"beta": beta, "kappa": kappa})
    x = np.array([30.0, 5.0, 2.0, 10.0, 7.0, 1.0])  # p: S Z R, n: S Z R
    np.testing.assert_array_equal(out_weights(2, cs.out_ptr, cs.out_w), [2.5, 2.5])
    total, a = _channels(cs, x, 0)
    n_p = 30.0 + 5.0 + 2.0  # alemi counts S, Z and R in N
    want = [
        beta * 30.0 * (5.0 + coupling * 7.0) / n_p,
        kappa * 30.0 * (5.0 + coupling * 7.0) / n_p,
        0.1 * 2.5 * 30.0,
        0.4 * 2.5 * 5.0,
        0.0,
    ]
    np.testing.assert_allclose(a, want, rtol=1e-14)
    assert total == pytest.approx(sum(want), rel=1e-14)
    _, a = _channels(cs, x, 1)
    assert a[0] == pytest.approx(beta * 10.0 * (7.0 + coupling * 5.0) / 18.0, rel=1e-14)


def test_closed_edge_stops_moves_and_bites_across_it() -> None:
    """With the edge's weight 0 nobody moves along it and nobody bites across it."""
    cs = _space("alemi", TWO, {"S": 1.0, "Z": 1.0}, 1.0).with_edge_weights(np.zeros(2))
    x = np.array([30.0, 5.0, 2.0, 10.0, 7.0, 1.0])
    _, a = _channels(cs, x, 0)
    np.testing.assert_allclose(a, [30.0 * 5.0 / 37.0, 0.8 * 30.0 * 5.0 / 37.0, 0, 0, 0])
    assert pick_partner(0, 1, x, 3, 1.0, cs.out_ptr, cs.out_dst, cs.out_w, 0.999) == 0


def test_pick_partner_shares_by_weighted_count() -> None:
    """For u on a fine even grid, partners are chosen in proportion to Z_p, c Z_n1, c Z_n2."""
    world = World.from_edges("line", ["a", "p", "b"], [("a", "p", 1.0), ("p", "b", 1.0)])
    cs = _space("alemi", world, {}, 0.5)
    x = np.array([0.0, 6.0, 0.0, 0.0, 2.0, 0.0, 0.0, 4.0, 0.0])  # Z: a 6, p 2, b 4
    n_u = 10_000
    picks = [
        pick_partner(1, 1, x, 3, 0.5, cs.out_ptr, cs.out_dst, cs.out_w, (i + 0.5) / n_u)
        for i in range(n_u)
    ]
    counts = np.bincount(picks, minlength=3) / n_u
    np.testing.assert_allclose(counts, np.array([3.0, 2.0, 2.0]) / 7.0, atol=1.0 / n_u)


def test_pick_edge_shares_by_weight_and_skips_closed_edges() -> None:
    """Moves take an out-edge with probability weight / wout; closed edges never."""
    world = World.from_edges(
        "star", ["h", "a", "b", "c"], [("h", "a", 1), ("h", "b", 3), ("h", "c", 4)]
    )
    cs = _space("alemi", world, {"S": 1.0}, 0.0)
    weight = world.weight.copy()
    weight[(world.src == 0) & (world.dst == 3)] = 0.0  # close h -> c
    cs = cs.with_edge_weights(weight)
    wout = out_weights(4, cs.out_ptr, cs.out_w)
    assert wout[0] == 4.0
    n_u = 8000
    picks = [
        pick_edge(0, cs.out_ptr, cs.out_dst, cs.out_w, wout[0], (i + 0.5) / n_u) for i in range(n_u)
    ]
    np.testing.assert_allclose(np.bincount(picks, minlength=4) / n_u, [0, 0.25, 0.75, 0])


# --- the spatial ODE ----------------------------------------------------------------


@pytest.mark.parametrize("model", ["aouad", "alemi", "sir"])
@pytest.mark.parametrize("coupling", [0.0, 0.7])
def test_space_ode_rhs_conserves_people(model: str, coupling: float) -> None:
    """For a model that conserves people, d/dt of the total over patches and compartments is 0."""
    world = World.lattice(np.ones((3, 3)))
    comps = builtin_model(model).compartments
    cs = _space(model, world, dict.fromkeys(comps, 0.3), coupling)
    x = Generator(PCG64(11)).uniform(0.0, 50.0, size=world.n_patches * len(comps))
    d = np.empty_like(x)
    space_ode_rhs(x, *cs.arrays, d)
    assert np.abs(d).max() > 1.0
    assert d.sum() == pytest.approx(0.0, abs=1e-9)


def test_space_ode_rhs_with_no_reactions_is_the_movement_flow() -> None:
    """All rates 0: dX[p, c] = -mob[c] X[p, c] sum_out w + sum_in mob[c] w X[q, c], by hand.

    Three patches with one-way edges of unequal weights (a -> b 2, b -> a 1,
    b -> c 0.5, c -> a 3), compartments S, Z, R moving at 0.1, 0.4, 0.
    """
    world = World.from_edges(
        "loop",
        ["a", "b", "c"],
        [("a", "b", 2.0), ("b", "a", 1.0), ("b", "c", 0.5), ("c", "a", 3.0)],
        two_way=False,
    )
    cs = _space("alemi", world, {"S": 0.1, "Z": 0.4}, 0.0, {"beta": 0.0, "kappa": 0.0})
    x = np.array([10.0, 4.0, 1.0, 20.0, 6.0, 2.0, 30.0, 8.0, 3.0])
    d = np.empty_like(x)
    space_ode_rhs(x, *cs.arrays, d)
    X = x.reshape(3, 3)
    mob = np.array([0.1, 0.4, 0.0])
    want = np.zeros((3, 3))
    want[0] = mob * (-2.0 * X[0] + 1.0 * X[1] + 3.0 * X[2])
    want[1] = mob * (-(1.0 + 0.5) * X[1] + 2.0 * X[0])
    want[2] = mob * (-3.0 * X[2] + 0.5 * X[1])
    np.testing.assert_allclose(d.reshape(3, 3), want, rtol=1e-14, atol=1e-14)


def test_space_ode_rhs_coupled_reactions_by_hand() -> None:
    """Alemi's coupled kill: the zombie removed where it is, shared by weighted count.

    In patch p, bite b = beta S_p (Z_p + c Z_n) / N_p and kill k = kappa S_p
    (Z_p + c Z_n) / N_p; dS_p gets -b, dZ_p gets +b - k Z_p / (Z_p + c Z_n),
    dZ_n gets -k c Z_n / (Z_p + c Z_n), dR likewise +. Nobody moves.
    """
    beta, kappa, c = 1.3, 0.7, 0.4
    cs = _space("alemi", TWO, {}, c, {"beta": beta, "kappa": kappa})
    x = np.array([30.0, 5.0, 2.0, 10.0, 7.0, 1.0])
    d = np.empty_like(x)
    space_ode_rhs(x, *cs.arrays, d)
    S, Z, N = x[[0, 3]], x[[1, 4]], x[[0, 3]] + x[[1, 4]] + x[[2, 5]]
    want = np.zeros((2, 3))
    for p, q in ((0, 1), (1, 0)):
        pool = Z[p] + c * Z[q]
        bite = beta * S[p] * pool / N[p]
        kill = kappa * S[p] * pool / N[p]
        want[p] += [-bite, bite - kill * Z[p] / pool, kill * Z[p] / pool]
        want[q] += [0.0, -kill * c * Z[q] / pool, kill * c * Z[q] / pool]
    np.testing.assert_allclose(d.reshape(2, 3), want, rtol=1e-13)


@pytest.mark.parametrize("jitted", [True, False])
def test_heap_fix_keeps_the_heap_order_and_the_positions(jitted: bool) -> None:
    """After 2,000 random key changes (including to and from infinity) the top is the
    smallest key, every parent is at most its children, ``pos`` inverts ``heap`` and
    ``hk`` holds each patch's key; the jitted helper and its py_func agree."""
    fix = heap_fix if jitted else heap_fix.py_func
    rng = np.random.default_rng(5)
    n = 37
    key = rng.random(n)
    heap = np.argsort(key).astype(np.int64)
    hk = np.append(key[heap], np.full(HEAP_PAD, np.inf))  # the slots past the end
    pos = np.empty(n, dtype=np.int64)
    pos[heap] = np.arange(n)
    for _ in range(2000):
        p = int(rng.integers(n))
        key[p] = np.inf if rng.random() < 0.2 else float(rng.random())
        fix(heap, hk, pos, p, key[p])
        assert heap[0] == int(np.argmin(key)) or key[heap[0]] == key.min()
    children = np.arange(1, n)
    assert np.all(hk[(children - 1) // 4] <= hk[children])
    np.testing.assert_array_equal(pos[heap], np.arange(n))
    np.testing.assert_array_equal(hk[:n], key[heap])
    assert np.all(hk[n:] == np.inf)
