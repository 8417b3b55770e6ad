"""Alemi et al.'s fully connected SZR model against its exact results.

- The ODE engine reproduces the closed-form solution
  (:func:`hyosan.analytic.szr_ode_solution`) to within its tolerance.
- The dynamic programme for the takeover probability equals the
  reflection-principle count of lattice paths, and tends to the gambler's-ruin
  limit ``1 - alpha`` as the number of humans grows.
- The exact engine's takeover frequency matches the dynamic programme within
  binomial standard errors.

Statistical assertions are at 4 standard errors: a two-sided false alarm
rate of 6.3e-5 each.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from hyosan.analytic import szr_ode_solution, takeover_probability, takeover_probability_limit
from hyosan.engines import DirectSSA, OdeEngine, run_path
from hyosan.model import builtin_model
from hyosan.testing import sample_paths

Z_LIMIT = 4.0
FOREVER = np.array([0.0, 1e9])  # absorbed long before: the SSA stops at a0 = 0 and costs nothing


@pytest.mark.parametrize(
    ("kappa", "s0", "z0"),
    [(0.5, 999.0, 1.0), (1.0, 990.0, 10.0), (1.5, 900.0, 100.0), (1.5, 600.0, 300.0)],
    ids=["zombies-win", "alpha=1", "humans-win", "c=0"],
)
def test_ode_engine_matches_closed_form(kappa: float, s0: float, z0: float) -> None:
    """LSODA on the ``alemi`` model equals the closed form, within its tolerance.

    Covers alpha < 1 (humans die out), alpha = 1 (Z constant), alpha > 1
    (zombies die out) and c = 0, where the solution is algebraic.
    """
    model = builtin_model("alemi")
    times = np.linspace(0.0, 60.0, 121)
    exact = szr_ode_solution(times, s0, z0, beta=1.0, kappa=kappa)
    n = s0 + z0
    errors = []
    for rtol in (1e-8, 1e-10):
        ode, _ = run_path(
            model,
            {"beta": 1.0, "kappa": kappa},
            np.array([s0, z0, 0.0]),
            times,
            (),
            OdeEngine(rtol=rtol, atol=rtol * 100),
            np.random.default_rng(0),
        )
        errors.append(np.abs(ode - exact).max())
        # LSODA keeps each step's local error below rtol |y| + atol <= 2 rtol N.
        # The flow carries a relative error along without amplifying it (in the
        # exponential phase the error and the solution grow by the same factor),
        # so after at most 1e4 steps the global error is below 1e4 * 2 rtol N.
        assert errors[-1] < 1e4 * 2 * rtol * n, f"rtol {rtol}: error {errors[-1]:.3g}"
    # A right closed form is approached as the tolerance shrinks; a wrong one is not.
    assert errors[1] < errors[0] / 10


def test_closed_form_conserves_population_and_has_the_right_limits() -> None:
    """S + Z + R = N always; S -> 0 if alpha < 1; Z -> 0, S -> c/(1 - alpha) if alpha > 1."""
    times = np.array([0.0, 1.0, 10.0, 1e3, 1e5])
    win = szr_ode_solution(times, 999.0, 1.0, beta=1.0, kappa=0.5)
    lose = szr_ode_solution(times, 900.0, 100.0, beta=1.0, kappa=1.5)
    # Exact algebra; rounding only: a few ulp of N = 1000.
    np.testing.assert_allclose(win.sum(axis=1), 1000.0, rtol=1e-13)
    np.testing.assert_allclose(lose.sum(axis=1), 1000.0, rtol=1e-13)
    assert win[-1, 0] == 0.0 and win[-1, 1] == pytest.approx(500.5, rel=1e-13)
    c = 100.0 + (1 - 1.5) * 900.0
    assert lose[-1, 0] == pytest.approx(c / (1 - 1.5), rel=1e-13)
    assert lose[-1, 1] == pytest.approx(0.0, abs=1e-9)


def _ballot(s0: int, z0: int, alpha: Fraction) -> float:
    """Takeover probability by counting paths (reflection principle), in exact arithmetic.

    Takeover = the ``s0``-th bite comes before the zombies hit 0. Before that
    bite there are ``s0 - 1`` bites and ``k`` kills with z > 0 throughout:
    C(s0-1+k, k) - C(s0-1+k, k-z0) orderings (reflection), each of
    probability p^(s0-1) q^k, then the final bite with probability p.
    """
    p, q = 1 / (1 + alpha), alpha / (1 + alpha)
    total = Fraction(0)
    for k in range(z0 + s0 - 1):
        ways = math.comb(s0 - 1 + k, k) - (math.comb(s0 - 1 + k, k - z0) if k >= z0 else 0)
        total += ways * q**k
    return float(p**s0 * total)


@pytest.mark.parametrize("alpha", [Fraction(1, 2), Fraction(4, 5), Fraction(13, 10)])
def test_takeover_dp_equals_path_count(alpha: Fraction) -> None:
    """The dynamic programme equals the exact path count for s0 <= 24, z0 in {1, 2, 3, 5}."""
    worst = max(
        abs(takeover_probability(s0, z0, alpha=float(alpha)) - _ballot(s0, z0, alpha))
        for s0 in range(1, 25)
        for z0 in (1, 2, 3, 5)
    )
    # The DP is ~s0 (s0 + z0) < 1000 convex combinations, each off by <= 1 ulp (1.1e-16).
    assert worst < 1000 * 1.2e-16


def test_takeover_tends_to_gamblers_ruin() -> None:
    """P(takeover) falls to 1 - alpha from above as humans grow, at the rate (4pq)^N.

    For one zombie, takeover = at least N up-steps before the walk hits 0, so
    P(N) - (1 - alpha) = sum_{u >= N} C_u p^u q^(u+1) (C_u Catalan numbers),
    which decays like (4pq)^N N^(-3/2). At alpha = 1 there is no drift and
    P(N) ~ 1 / sqrt(pi N) -> 0.
    """
    for alpha in (0.5, 0.8, 0.9):
        limit = takeover_probability_limit(alpha)
        p, q = 1 / (1 + alpha), alpha / (1 + alpha)
        sizes = [10, 20, 50, 100, 200, 500, 1000]
        gaps = [takeover_probability(n, 1, alpha=alpha) - limit for n in sizes]
        for n, gap in zip(sizes, gaps, strict=True):
            # Catalan tail: C_u (pq)^u q <= (4pq)^u q / (u^1.5 sqrt(pi)), a geometric sum,
            # plus the DP's rounding: n (n + 1) operations of at most 1 ulp (1.1e-16) each.
            tail = (4 * p * q) ** n * q / (n**1.5 * math.sqrt(math.pi)) / (1 - 4 * p * q)
            rounding = n * (n + 1) * 1.2e-16
            assert -rounding < gap <= tail + rounding, f"alpha {alpha}, N {n}: gap {gap:.3g}"
    # alpha = 1: the gap is the symmetric walk's survival, 1/sqrt(pi N) (1 + O(1/N)).
    for n in (100, 1000):
        assert takeover_probability(n, 1, alpha=1.0) == pytest.approx(
            1 / math.sqrt(math.pi * n), rel=2 / n
        )


@pytest.mark.parametrize(
    ("humans", "kappa", "runs"),
    [(100, 0.5, 2000), (10, 0.8, 2000)],
    ids=["N=100,alpha=0.5", "N=10,alpha=0.8"],
)
def test_ssa_takeover_frequency_matches_exact(humans: int, kappa: float, runs: int) -> None:
    """One zombie among N humans: the SSA's takeover frequency equals the exact DP value.

    At N = 10, alpha = 0.8 the exact value (0.278) is 7.8 standard errors away
    from the N -> inf limit (0.2), so the check sees the finite-N correction.
    """
    model = builtin_model("alemi")
    params = {"beta": 1.0, "kappa": kappa}
    x0 = np.array([float(humans), 1.0, 0.0])
    rng = np.random.default_rng(20150529 + humans)
    final = sample_paths(model, params, x0, FOREVER, DirectSSA(), runs, rng)[:, -1]
    assert np.all((final[:, 0] == 0.0) | (final[:, 1] == 0.0)), "a run was not absorbed"
    wins = int(np.sum((final[:, 0] == 0.0) & (final[:, 1] > 0.0)))
    p = takeover_probability(humans, 1, alpha=kappa)
    se = math.sqrt(p * (1 - p) / runs)  # binomial standard error at the exact p
    p_hat = wins / runs
    print(f"N={humans} alpha={kappa}: p_hat {p_hat:.4f}, exact {p:.6f}, SE {se:.4f}")
    assert abs(p_hat - p) < Z_LIMIT * se, f"p_hat {p_hat}, exact {p:.5f}, SE {se:.4f}"
