"""Munz et al. (2009), "When zombies attack!", against hyosan's engines.

- The hand-written Jacobians (:mod:`hyosan.analytic.munz`) equal finite
  differences of hyosan's own right-hand side, so the analysis below is about
  the equations hyosan integrates.
- Basic model: no equilibrium with humans and zombies; the disease-free state
  is unstable for every ``beta > 0``; doomsday is a sink on its plane of
  constant total (its zero eigenvalue is the conserved total); the ``ode``
  engine ends there.
- Quarantine model: ``R0`` is the next-generation number of hyosan's
  reactions; below 1 the ODE outbreak dies out and above 1 it takes off (both
  at the exact final size); the ``ssa`` engine's fraction of major outbreaks
  matches the exact jump-chain probability, which lies between the
  branching-process bounds ``1 - 1/R0``.
- Cure model: the coexistence equilibrium is a sink on its plane and the
  ``ode`` engine ends there.
- BioModels MODEL1009230000 (``S0 = 500``, ``Z0 = 1``, births ``Pi = delta N``):
  the ``ode`` engine at rtol 1e-10 agrees with SciPy's DOP853 at rtol 1e-12
  within the bound their tolerances imply, and ``S + Z + R = 501 + Pi t``.

ODE error bounds: a solver keeps each step's local error below
``sqrt(n) (rtol |y| + atol)`` per component (its weighted RMS norm is at most
1), and a local error made at time ``s`` reaches time ``t`` multiplied by at
most ``F = max_s ||Phi(t, s)||`` (:func:`error_propagation_factors`). After
at most ``nfev`` steps (each step costs at least one evaluation, counted
here) the global error is below ``nfev F sqrt(n) (rtol max|y| + atol)``.
Statistical assertions are at 4 binomial standard errors (two-sided false
alarm rate 6.3e-5 each).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp
from scipy.optimize import root

import hyosan.engines.ode as ode_module
from hyosan._typing import FloatArray
from hyosan.analytic.munz import (
    PRINTED,
    basic_dfe_eigenvalues,
    basic_doomsday_eigenvalues,
    basic_equilibria,
    basic_jacobian,
    basic_rhs,
    cure_coexistence,
    error_propagation_factors,
    plane_eigenvalues,
    quarantine_extinction_probability,
    quarantine_final_size,
    quarantine_growth_rate,
    quarantine_major_outbreak_probability,
    quarantine_r0,
    sizrq_jacobian,
    sizrq_rhs,
)
from hyosan.engines import DirectSSA, OdeEngine, run_path
from hyosan.engines._kernels import ode_rhs, propensities
from hyosan.model import builtin_model, compile_model
from hyosan.testing import sample_paths

pytestmark = pytest.mark.slow

EPS = np.finfo(float).eps
ETA = np.finfo(float).smallest_subnormal  # the absolute floor of a rounding error
Z_LIMIT = 4.0
SIZRQ = ("S", "I", "Z", "R", "Q")
N = 500  # humans in the quarantine runs
M = 50  # bites that make an outbreak major (10% of N)
QUARANTINE = {"Pi": 0.0, "delta": 0.0, "beta": 0.0125, "alpha": 0.005, "zeta": 0.0}
QUARANTINE |= {"rho": 0.005, "sigma": 0.001, "gamma": 0.0001}
CURE = {**PRINTED, "c": 0.05}  # c is hyosan's munz-cure default, not a printed value
FAST = settings(max_examples=60, deadline=None)
rate = st.floats(1e-4, 1.0)


def kappa_for(r0: float, p: Mapping[str, float] = QUARANTINE, n: float = N) -> float:
    """The quarantine rate of the infected that gives ``R0 = r0`` (see quarantine_r0)."""
    turn = r0 * (p["alpha"] * n + p["sigma"]) / (p["beta"] * n)
    return p["rho"] / turn - p["rho"] - p["delta"]


def for_model(name: str, p: Mapping[str, float]) -> dict[str, float]:
    """``p`` restricted to the model's parameters; absent mechanisms are 0, as in munz.py."""
    names = builtin_model(name).defaults
    return {k: float(p.get(k, 0.0)) for k in names}


def hyosan_rhs(name: str, p: Mapping[str, float]) -> tuple[Callable[..., FloatArray], Callable]:
    """hyosan's ODE right-hand side for a built-in model, and the sum of its absolute terms."""
    cm = compile_model(builtin_model(name), for_model(name, p))
    size = np.abs(cm.stoich_f).T

    def f(x: FloatArray) -> FloatArray:
        out = np.empty(len(x))
        ode_rhs(np.asarray(x, dtype=float), cm.k, cm.law, cm.r1, cm.r2, cm.stoich_f, cm.in_n, out)
        return out

    def terms(x: FloatArray) -> FloatArray:
        a = np.empty(len(cm.k))
        propensities(np.asarray(x, dtype=float), cm.k, cm.law, cm.r1, cm.r2, cm.in_n, False, a)
        return size @ a

    return f, terms


def fd_jacobian(name: str, p: Mapping[str, float], x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Forward differences of hyosan's right-hand side, and a bound on their rounding error.

    No reaction of these models has a compartment twice, so the right-hand
    side is affine in each single count and a forward difference along an
    axis is its derivative exactly, for any step ``h``. Only rounding is
    left: each component is a sum of at most 8 rounded products, so it is
    off by at most ``16 eps`` times the sum of its absolute terms, and the
    difference quotient by that, twice, over ``h``. With gradual underflow each
    rounding may also be off by half the smallest subnormal (``ETA``), whatever
    the size: a state of 2e-311 people (hypothesis found one) is rounded that way.
    """
    f, terms = hyosan_rhs(name, p)
    f0, t0 = f(x), terms(x)
    jac, bound = np.empty((len(x), len(x))), np.empty((len(x), len(x)))
    for j in range(len(x)):
        h = max(abs(x[j]), 1.0)
        xh = x.copy()
        xh[j] += h
        jac[:, j] = (f(xh) - f0) / h
        bound[:, j] = 16 * (EPS * (t0 + terms(xh)) + ETA) / h
    return jac, bound


@contextmanager
def counted_rhs() -> Iterator[list[int]]:
    """Count the ODE engine's right-hand side evaluations (an upper bound on its steps)."""
    calls = [0]
    original = ode_module.ode_rhs

    def counting(*args: object) -> None:
        calls[0] += 1
        original(*args)

    ode_module.ode_rhs = counting
    try:
        yield calls
    finally:
        ode_module.ode_rhs = original


def hyosan_ode(
    name: str, p: Mapping[str, float], x0: FloatArray, times: FloatArray, tol: float
) -> tuple[FloatArray, int]:
    """hyosan's ``ode`` engine at rtol = atol = tol; the path and the evaluations it took."""
    with counted_rhs() as calls:
        out, _ = run_path(
            builtin_model(name),
            for_model(name, p),
            np.asarray(x0, dtype=float),
            np.asarray(times, dtype=float),
            (),
            OdeEngine(rtol=tol, atol=tol),
            np.random.default_rng(0),
        )
    return out, calls[0]


def global_bound(factor: float, nfev: int, n: int, tol: float, size: float) -> float:
    """``nfev F sqrt(n) (rtol max|y| + atol)``: see the module docstring."""
    return (nfev + 1) * factor * math.sqrt(n) * tol * (size + 1.0)


def embed(x: FloatArray, comps: tuple[str, ...]) -> FloatArray:
    """A state of a hyosan model as ``(S, I, Z, R, Q)``."""
    return np.array([x[comps.index(c)] if c in comps else 0.0 for c in SIZRQ])


# -- the hand-written equations are hyosan's ------------------------------------------------


@FAST
@given(
    beta=rate,
    alpha=rate,
    zeta=rate,
    delta=rate,
    pi=st.floats(0.0, 10.0),
    rho=rate,
    kappa=rate,
    sigma=rate,
    gamma=rate,
    c=rate,
    x=st.lists(st.floats(0.0, 1e3), min_size=5, max_size=5),
)
def test_hand_jacobians_equal_finite_differences_of_hyosans_rhs(
    beta: float,
    alpha: float,
    zeta: float,
    delta: float,
    pi: float,
    rho: float,
    kappa: float,
    sigma: float,
    gamma: float,
    c: float,
    x: list[float],
) -> None:
    """basic_jacobian and sizrq_jacobian equal hyosan's derivatives (basic, quarantine, cure).

    The finite differences are exact up to rounding (see fd_jacobian), so the
    bound is rounding of the differences plus ``4 (eps |J| + eta)`` for the hand terms.
    """
    p = {"Pi": pi, "delta": delta, "beta": beta, "alpha": alpha, "zeta": zeta, "rho": rho}
    p |= {"kappa": kappa, "sigma": sigma, "gamma": gamma, "c": c}
    xs = np.array(x)
    cases = [
        ("munz-basic", ("S", "Z", "R"), basic_jacobian(xs[[0, 2, 3]], p)),
        ("munz-quarantine", SIZRQ, sizrq_jacobian(xs, {**p, "c": 0.0})),
    ]
    cure = {**p, "kappa": 0.0, "sigma": 0.0, "gamma": 0.0}
    cases.append(("munz-cure", SIZRQ[:4], sizrq_jacobian(np.append(xs[:4], 0.0), cure)[:4, :4]))
    for name, comps, hand in cases:
        params = cure if name == "munz-cure" else p
        state = embed(xs, SIZRQ)[[SIZRQ.index(c) for c in comps]]
        fd, bound = fd_jacobian(name, params, state)
        assert builtin_model(name).compartments == comps
        assert np.all(np.abs(fd - hand) <= bound + 4 * (EPS * np.abs(hand) + ETA)), name


# -- basic model ------------------------------------------------------------------------------


@FAST
@given(
    beta=rate,
    alpha=rate,
    zeta=rate,
    delta=st.floats(0.0, 1.0),
    pi=st.floats(0.0, 10.0),
    s=st.floats(1e-3, 1e4),
    z=st.floats(1e-3, 1e4),
    r=st.floats(0.0, 1e4),
)
def test_basic_model_has_no_state_with_humans_and_zombies_at_rest(
    beta: float, alpha: float, zeta: float, delta: float, pi: float, s: float, z: float, r: float
) -> None:
    """hyosan's rhs: the total grows at exactly Pi, and with Pi = 0, S' = -S (beta Z + delta) < 0.

    So no equilibrium has S > 0 and Z > 0, whatever beta > 0 and alpha; with
    Pi > 0 there is no equilibrium at all. Bounds: 16 eps times the sum of
    absolute terms (rounding only).
    """
    p = {"Pi": pi, "delta": delta, "beta": beta, "alpha": alpha, "zeta": zeta}
    f, terms = hyosan_rhs("munz-basic", p)
    x = np.array([s, z, r])
    dx, scale = f(x), 16 * EPS * terms(x)
    assert abs(dx.sum() - pi) <= scale.sum()
    if pi == 0.0:
        assert dx[0] < 0.0
        assert abs(dx[0] + s * (beta * z + delta)) <= scale[0]
    assert bool(basic_equilibria(p, s + z + r)) == (pi == 0.0)


@FAST
@given(beta=rate, alpha=rate, zeta=rate, n=st.floats(1.0, 1e4))
def test_disease_free_state_is_unstable_for_every_beta(
    beta: float, alpha: float, zeta: float, n: float
) -> None:
    """At (N, 0, 0) (Pi = delta = 0) one eigenvalue is positive, also for beta < alpha.

    The paper's argument: on the plane S + Z + R = N the eigenvalues are the
    roots of lambda^2 + (zeta - (beta - alpha) N) lambda - beta zeta N, whose
    product is negative. Checked on hyosan's own Jacobian (finite
    differences, exact to rounding): its trace and determinant on the plane
    are the paper's coefficients, and the product of the roots is negative.
    """
    p = {"Pi": 0.0, "delta": 0.0, "beta": beta, "alpha": alpha, "zeta": zeta}
    x = np.array([n, 0.0, 0.0])
    assert not np.any(basic_rhs(x, p))  # an equilibrium
    jac, bound = fd_jacobian("munz-basic", p, x)
    # On the plane with coordinates (Z, R) (S = N - Z - R) the Jacobian is the (Z, R) block
    # minus the S column: d(Z', R')/d(Z, R) - d(Z', R')/dS (1, 1). The S column is 0 here.
    assert np.all(np.abs(jac[:, 0]) <= bound[:, 0])
    block, err = jac[1:, 1:], bound[1:, 1:]
    trace, det = np.trace(block), np.linalg.det(block)
    assert abs(trace - ((beta - alpha) * n - zeta)) <= err.trace() + 4 * EPS * (
        (beta + alpha) * n + zeta
    )
    # First-order effect of the entry errors on a d - b c, plus rounding of both sides.
    det_rounding = 8 * EPS * (abs(block[0, 0] * block[1, 1]) + abs(block[0, 1] * block[1, 0]))
    det_bound = (np.abs(block) * err[::-1, ::-1]).sum() + det_rounding + 4 * EPS * beta * zeta * n
    assert abs(det + beta * zeta * n) <= det_bound
    assert det < 0.0  # product of the two plane eigenvalues: one is positive
    assert basic_dfe_eigenvalues(p, n)[-1] > 0.0


def test_basic_model_eigenvalues_at_the_printed_parameters() -> None:
    """The closed forms equal numpy's eigenvalues of hyosan's Jacobian (printed values, N = 500).

    Disease-free (delta = 0): 0, -2.1e-4 and +2.250; doomsday (0, 501, 0):
    0, -zeta and -(beta T + delta). The eigenvalues are well separated, so
    numpy's are accurate to about eps ||J|| = 1e-15; 1e-12 ||J|| leaves room.
    The zero eigenvalue has the left eigenvector (1, 1, 1): the conserved total.
    """
    p = {**PRINTED, "delta": 0.0}
    for x, closed in [
        (np.array([500.0, 0.0, 0.0]), basic_dfe_eigenvalues(p, 500.0)),
        (np.array([0.0, 501.0, 0.0]), basic_doomsday_eigenvalues(PRINTED, 501.0)),
    ]:
        params = p if x[0] else dict(PRINTED)
        jac, _ = fd_jacobian("munz-basic", params, x)
        values = np.sort(np.linalg.eigvals(jac).real)
        assert np.allclose(values, closed, rtol=0, atol=1e-12 * np.abs(jac).sum())
        assert np.abs(jac.sum(axis=0)).max() <= 1e-12 * np.abs(jac).sum()


@FAST
@given(beta=rate, alpha=rate, zeta=rate, delta=st.floats(0.0, 1.0), total=st.floats(1.0, 1e4))
def test_doomsday_is_a_sink_on_its_plane(
    beta: float, alpha: float, zeta: float, delta: float, total: float
) -> None:
    """At (0, T, 0) the eigenvalues are 0, -(beta T + delta), -zeta; none is positive.

    The paper lists 0, -beta Z, -zeta and calls doomsday asymptotically
    stable. The 0 belongs to the conserved total (left eigenvector (1,1,1),
    right eigenvector (0,1,0), the line of doomsday states); on the plane
    S + Z + R = T the two eigenvalues are negative, so doomsday attracts
    every nearby state of the same total. Bounds: rounding of 2x2 algebra.
    """
    p = {"Pi": 0.0, "delta": delta, "beta": beta, "alpha": alpha, "zeta": zeta}
    x = np.array([0.0, total, 0.0])
    assert not np.any(basic_rhs(x, p))
    jac, bound = fd_jacobian("munz-basic", p, x)
    assert np.all(np.abs(jac[:, 1]) <= bound[:, 1])  # eigenvalue 0, eigenvector (0, 1, 0)
    assert np.all(np.abs(jac.sum(axis=0)) <= bound.sum(axis=0) + 8 * EPS * np.abs(jac).sum(0))
    # Plane coordinates (S, R): d(S', R')/d(S, R) - d(S', R')/dZ (1, 1), and that column is 0.
    block = jac[np.ix_([0, 2], [0, 2])]
    assert abs(block[0, 1]) <= bound[0, 2]  # triangular: eigenvalues on the diagonal
    expected = (-(beta * total + delta), -zeta)
    assert abs(block[0, 0] - expected[0]) <= bound[0, 0] + 4 * EPS * abs(expected[0])
    assert abs(block[1, 1] - expected[1]) <= bound[2, 2] + 4 * EPS * zeta
    assert max(expected) < 0.0


def test_ode_engine_converges_to_doomsday() -> None:
    """Printed values (Pi = 0, delta = 1e-4), 500 humans, one zombie: (S, Z, R) -> (0, 501, 0).

    Total conserved, so doomsday is (0, T, 0) with T = 501. The slowest rate on
    the plane is zeta = 1e-4 a day: by day 1e4 the humans are gone and
    R = R(1e4) exp(-zeta (t - 1e4)) < 501 exp(-99) at t = 1e6, nothing. The
    rest is solver error, bounded as in the module docstring.
    """
    p = dict(PRINTED)
    times = np.array([0.0, 10.0, 1e4, 1e6])
    tol = 1e-10
    out, nfev = hyosan_ode("munz-basic", p, np.array([500.0, 1.0, 0.0]), times, tol)
    (target,) = basic_equilibria(p, 501.0).values()
    factor = error_propagation_factors(basic_rhs, basic_jacobian, p, out[0], [1e6])[0]
    bound = global_bound(factor, nfev, 3, tol, 501.0) + 501 * math.exp(-99)
    assert np.abs(out[-1] - target).max() <= bound, (out[-1] - target, bound)


# -- quarantine model --------------------------------------------------------------------------


@FAST
@given(
    beta=rate,
    alpha=rate,
    rho=rate,
    kappa=rate,
    sigma=rate,
    gamma=rate,
    delta=st.floats(0.0, 0.1),
    n=st.floats(1.0, 1e4),
)
def test_quarantine_r0_is_the_next_generation_number_of_hyosans_reactions(
    beta: float,
    alpha: float,
    rho: float,
    kappa: float,
    sigma: float,
    gamma: float,
    delta: float,
    n: float,
) -> None:
    """R0 = spectral radius of F V^-1 from hyosan's Jacobian at the disease-free state.

    Disease-free state S = N, I = Z = Q = 0 with Pi = delta N and zeta = 0 (the
    dead R pile up at delta N a day but, with zeta = 0, never return). From
    hyosan's (I, Z) block J: F = [[0, J_IZ], [0, 0]] (bites), V = F - J; then
    R0 = J_IZ (-V_ZI) / (V_II V_ZZ). With delta = 0 this is the paper's
    beta N rho / ((rho + kappa)(alpha N + sigma)). The growth rate r solves
    det(J - r) = 0 and has the sign of R0 - 1. Bounds: rounding.
    """
    p = {"Pi": delta * n, "delta": delta, "beta": beta, "alpha": alpha, "zeta": 0.0, "rho": rho}
    p |= {"kappa": kappa, "sigma": sigma, "gamma": gamma}
    x = np.array([n, 0.0, 0.0, 0.0, 0.0])
    f, terms = hyosan_rhs("munz-quarantine", p)
    rest = [0, 1, 2, 4]  # S, I, Z, Q at rest; the dead R pile up at delta N, which zeta = 0 ignores
    assert np.all(np.abs(f(x)[rest]) <= 16 * EPS * terms(x)[rest])
    assert f(x)[3] == pytest.approx(delta * n, rel=16 * EPS, abs=0.0)
    jac, _ = fd_jacobian("munz-quarantine", p, x)
    block = jac[np.ix_([1, 2], [1, 2])]
    v_ii, v_zi, v_zz = -block[0, 0], -block[1, 0], -block[1, 1]
    r0 = block[0, 1] * (-v_zi) / (v_ii * v_zz)
    assert r0 == pytest.approx(quarantine_r0(p, n), rel=64 * EPS)
    paper = beta * n * rho / ((rho + kappa) * (alpha * n + sigma))
    assert quarantine_r0({**p, "delta": 0.0}, n) == pytest.approx(paper, rel=8 * EPS)
    r = quarantine_growth_rate(p, n)
    char = (block[0, 0] - r) * (block[1, 1] - r) - block[0, 1] * block[1, 0]
    scale = (abs(block[0, 0]) + abs(r)) * (abs(block[1, 1]) + abs(r)) + abs(
        block[0, 1] * block[1, 0]
    )
    assert abs(char) <= 64 * EPS * scale
    if abs(r0 - 1.0) > 1e-9:
        assert (r > 0) == (r0 > 1)


def test_exact_chain_lies_between_the_branching_bounds() -> None:
    """1 - 1/R0(N - m) <= P(m bites) <= P_branching(m bites), and the latter -> 1 - 1/R0 from above.

    The coupling argument of quarantine_major_outbreak_probability; exact
    inequalities, checked with 1e-12 for the rounding of the O(m^3) sums.
    """
    for r0 in (0.5, 2.0):
        p = {**QUARANTINE, "kappa": kappa_for(r0)}
        assert quarantine_r0(p, N) == pytest.approx(r0, rel=1e-14)
        q = quarantine_extinction_probability(p, N)
        exact = quarantine_major_outbreak_probability(p, N, M)
        branching = quarantine_major_outbreak_probability(p, N, M, depletion=False)
        longer = quarantine_major_outbreak_probability(p, N, 2 * M, depletion=False)
        lower = 1.0 - 1.0 / quarantine_r0(p, N - M)
        assert lower - 1e-12 <= exact <= branching + 1e-12
        assert 1.0 - q - 1e-12 <= longer <= branching + 1e-12
    assert q == pytest.approx(0.5, rel=1e-14)  # R0 = 2: extinction 1/R0


@pytest.mark.parametrize("r0", [0.5, 2.0])
def test_ode_outbreak_dies_out_below_one_and_takes_off_above(r0: float) -> None:
    """Quarantine ODE from 500 humans and one zombie ends at the exact final size.

    R0 = 0.5: about 5 humans bitten (fewer than the 5 of the linearised
    model) and I + Z -> 0; R0 = 2: every human bitten, I + Z grows past 100. The final size solves
    ln(S/S0) = -(beta/sigma)[Z0 + (S0 - S)(p - alpha/beta)]
    (quarantine_final_size). After day 5000 the decay of I + Z at rate
    |r| = 0.012 leaves under 1e-20 bites to come. Bound: solver error.
    """
    p = {**QUARANTINE, "kappa": kappa_for(r0)}
    times = np.linspace(0.0, 5000.0, 501)
    x0 = np.array([float(N), 0.0, 1.0, 0.0, 0.0])
    tol = 1e-10
    out, nfev = hyosan_ode("munz-quarantine", p, x0, times, tol)
    infected = out[:, 1] + out[:, 2]
    factor = error_propagation_factors(sizrq_rhs, sizrq_jacobian, p, x0, [5000.0])[0]
    bound = global_bound(factor, nfev, 5, tol, float(N) + 1)
    assert abs(out[-1, 0] - quarantine_final_size(p, float(N))) <= bound
    if r0 < 1:
        # Without depletion each zombie bites beta N / (alpha N + sigma) humans and a zombie
        # leaves 1 / (1 - R0) zombies in all: fewer humans can only mean fewer bites.
        linear = p["beta"] * N / ((p["alpha"] * N + p["sigma"]) * (1 - r0))
        assert infected[-1] <= bound and N - out[-1, 0] <= linear + bound
    else:
        assert infected.max() > 100 and out[-1, 0] <= bound


@pytest.mark.parametrize("r0", [0.5, 2.0])
def test_ssa_major_outbreak_fraction_matches_the_exact_chain(r0: float) -> None:
    """Fraction of 3000 exact runs (500 humans, one zombie) with >= 50 bites.

    Expected: the exact jump-chain probability (0.0085 for R0 = 0.5, 0.5001
    for R0 = 2), the branching-process limit being 0 and 1 - 1/R0 = 0.5.
    Within 4 binomial standard errors sqrt(p (1 - p) / n) of the exact value.
    """
    p = {**QUARANTINE, "kappa": kappa_for(r0)}
    model, params = builtin_model("munz-quarantine"), for_model("munz-quarantine", p)
    runs, rng, engine = 3000, np.random.default_rng(20091), DirectSSA()
    x0, forever = np.array([float(N), 0.0, 1.0, 0.0, 0.0]), np.array([0.0, 1e7])
    bitten = N - sample_paths(model, params, x0, forever, engine, runs, rng)[:, -1, 0]
    observed = float(np.mean(bitten >= M))
    expected = quarantine_major_outbreak_probability(p, N, M)
    se = math.sqrt(expected * (1 - expected) / runs)
    assert abs(observed - expected) <= Z_LIMIT * se, (observed, expected, se)


# -- cure model --------------------------------------------------------------------------------


@FAST
@given(c=st.floats(1e-3, 1.0), total=st.floats(10.0, 1e4))
def test_cure_coexistence_equilibrium_is_a_sink_on_its_plane(c: float, total: float) -> None:
    """The closed-form equilibrium zeroes hyosan's rhs and its plane eigenvalues are negative.

    Printed parameters (Pi = 0) with cure rate c: the Jacobian (hand-written,
    equal to hyosan's by the test above) has one 0 (the conserved total) and
    three eigenvalues with negative real part; their real parts stay below
    -3e-5 ||J|| over this range, far beyond eigenvalue rounding (~1e-15 ||J||).
    Residual bound: 16 eps times the sum of absolute terms.
    """
    p = {**PRINTED, "c": c}
    eq = cure_coexistence(p, total)
    assert eq is not None and np.all(eq > 0)
    f, terms = hyosan_rhs("munz-cure", p)
    assert np.all(np.abs(f(eq)) <= 16 * EPS * terms(eq))
    jac = sizrq_jacobian(np.append(eq, 0.0), p)[:4, :4]
    values = plane_eigenvalues(jac)
    assert values.real.max() < -1e-6 * np.abs(jac).sum()


def test_cure_equilibrium_agrees_with_a_root_finder() -> None:
    """scipy.optimize.root on the hand-written equations (plus the total) finds the same point.

    Independent of the closed form's algebra; both are exact up to the root
    finder's tolerance (xtol 1e-13 relative), so 1e-10 relative is ample.
    """
    eq = cure_coexistence(CURE, 501.0)
    assert eq is not None

    def equations(y: FloatArray) -> FloatArray:
        x = np.append(y, 0.0)
        return np.append(sizrq_rhs(x, CURE)[:3], y.sum() - 501.0)

    found = root(equations, np.array([50.0, 50.0, 50.0, 351.0]), tol=1e-13)
    assert found.success
    np.testing.assert_allclose(found.x, eq, rtol=1e-10)


def test_ode_engine_converges_to_the_cure_equilibrium() -> None:
    """Printed parameters, c = 0.05, 500 humans and one zombie: the ODE ends at the equilibrium.

    (S, I, Z, R) -> (5.23, 16.95, 1.74, 477.08). The slowest rate on the
    plane is 1.8e-3 a day, so by day 1e5 the distance left is of order
    501 exp(-160), nothing; the rest is solver error, bounded as in the
    module docstring.
    """
    times = np.array([0.0, 1e3, 1e4, 1e5])
    tol = 1e-10
    x0 = np.array([500.0, 0.0, 1.0, 0.0])
    out, nfev = hyosan_ode("munz-cure", CURE, x0, times, tol)
    eq = cure_coexistence(CURE, 501.0)
    assert eq is not None
    factor = error_propagation_factors(sizrq_rhs, sizrq_jacobian, CURE, embed(x0, SIZRQ[:4]), [1e5])
    bound = global_bound(factor[0], nfev, 4, tol, 501.0)
    assert np.abs(out[-1] - eq).max() <= bound, (out[-1] - eq, bound)


# -- BioModels MODEL1009230000 -------------------------------------------------------------------


def test_biomodels_basic_model_matches_a_high_precision_reference() -> None:
    """S0 = 500, Z0 = 1, Pi = delta N: hyosan (LSODA, 1e-10) against DOP853 (1e-12), days 0-30.

    Births equal natural deaths only at t = 0: the total S + Z + R grows at
    exactly Pi = 0.05 a day (checked to rounding: LSODA keeps linear
    invariants, up to 16 eps max|y| per evaluation). At checkpoints t the
    difference stays below the sum of both solvers' global error bounds
    (module docstring), and it shrinks when hyosan's tolerance does.
    """
    p = {**PRINTED, "Pi": PRINTED["delta"] * 500}
    times = np.linspace(0.0, 30.0, 301)
    x0 = np.array([500.0, 1.0, 0.0])
    ref = solve_ivp(
        lambda _t, x: basic_rhs(x, p),
        (0.0, 30.0),
        x0,
        method="DOP853",
        rtol=1e-12,
        atol=1e-12,
        t_eval=times,
    )
    size = float(np.abs(ref.y).max())
    checks = [10, 20, 30, 40, 50, 100, 300]  # days 1, 2, 3, 4, 5, 10, 30
    factors = error_propagation_factors(basic_rhs, basic_jacobian, p, x0, times[checks].tolist())
    errors = []
    for tol in (1e-8, 1e-10):
        out, nfev = hyosan_ode("munz-basic", p, x0, times, tol)
        diff = np.abs(out - ref.y.T).max(axis=1)
        errors.append(diff.max())
        for i, factor in zip(checks, factors, strict=True):
            bound = global_bound(factor, nfev, 3, tol, size)
            bound += global_bound(factor, ref.nfev, 3, 1e-12, size)
            assert diff[i] <= bound, (times[i], diff[i], bound)
        total = out.sum(axis=1) - (501.0 + p["Pi"] * times)
        assert np.abs(total).max() <= (nfev + 1) * 16 * EPS * size
    assert errors[1] < errors[0] / 10
