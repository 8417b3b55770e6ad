"""Classic exact results: SIR final size, pure death, immigration-death.

- The Kermack-McKendrick final size (:func:`hyosan.analytic.km_final_size`)
  solves its equation, is the ODE engine's final state, and is the mean final
  size of the exact engine at N = 1e5.
- The exact SIR final-size distribution from the embedded jump chain
  (:func:`hyosan.analytic.sir_final_size_distribution`) equals a brute-force
  linear-algebra solution, tends to the KM value and the branching-process
  major-outbreak probability, and is what the exact engine produces at N = 30.
- Pure death: ``X(t) ~ Binomial(n0, e^{-mu t})`` under the exact engine;
  tau-leaping follows the explicit leap recursion (not the exact law).
- Immigration-death: the long-run distribution is ``Poisson(lam / mu)``.

Mean and variance checks are z-tests at 4 standard errors (two-sided false
alarm 6.3e-5 each); chi-square tests reject at p < 1e-3 (false alarm 1e-3
each, by the chi-square approximation, good with every pooled cell
expecting >= 5).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyosan.analytic import (
    DEATH,
    IMMIGRATION_DEATH,
    immigration_death_pmf,
    km_final_size,
    pooled_chi_square,
    pure_death_pmf,
    sir_final_size_by_linear_algebra,
    sir_final_size_distribution,
)
from hyosan.engines import DirectSSA, Engine, OdeEngine, TauLeap, run_path
from hyosan.model import builtin_model
from hyosan.testing import sample_paths

pytestmark = pytest.mark.slow

Z_LIMIT = 4.0
P_MIN = 1e-3
FOREVER = np.array([0.0, 1e9])  # the SSA stops at a0 = 0: absorption costs nothing more


def _variance_se(var: float, mu4: float, n: int) -> float:
    """SE of the sample variance of n iid draws (variance var, 4th central moment mu4)."""
    return math.sqrt((mu4 - var**2 * (n - 3) / (n - 1)) / n)


def _z_mean_var(x: np.ndarray, mean: float, var: float, mu4: float) -> tuple[float, float]:
    """z-scores of the sample mean and variance against the null moments."""
    n = len(x)
    z_mean = (x.mean() - mean) / math.sqrt(var / n)
    z_var = (x.var(ddof=1) - var) / _variance_se(var, mu4, n)
    return float(z_mean), float(z_var)


# -- Kermack-McKendrick -----------------------------------------------------


def test_km_final_size_solves_its_equation() -> None:
    """z = 1 - exp(-R0 (s0 z + i0)) to rounding; the textbook value at R0 = 2; 0 below threshold."""
    assert km_final_size(2.0) == pytest.approx(0.7968121300200199, abs=1e-15)
    assert km_final_size(1.0) == 0.0 and km_final_size(0.5, 1.0, 0.0) == 0.0
    for r0, s0, i0 in [(1.5, 0.999, 0.001), (3.0, 1.0, 0.0), (0.8, 0.99, 0.01), (12.0, 0.5, 0.1)]:
        z = km_final_size(r0, s0, i0)
        # brentq to xtol 1e-15 in u = -log(1 - z); the residual is a few ulp.
        assert abs(1 - z - math.exp(-r0 * (s0 * z + i0))) < 1e-14


def test_ode_final_state_is_km() -> None:
    """hyosan's ODE (rtol 1e-10) ends at S(inf) = S0 (1 - z), z from the KM relation."""
    n, i0 = 100_000.0, 100.0
    x0 = np.array([n - i0, i0, 0.0])
    rtol = 1e-10
    # Late decay rate of I is gamma (1 - R0 s_inf) = 0.037/day: by t = 2000, I < 1e-20 N.
    ode, _ = run_path(
        builtin_model("sir"),
        {"beta": 0.15, "gamma": 0.1},
        x0,
        np.array([0.0, 2000.0]),
        (),
        OdeEngine(rtol=rtol, atol=1e-8),
        np.random.default_rng(0),
    )
    expected = (n - i0) * (1 - km_final_size(1.5, (n - i0) / n, i0 / n))
    # Local error per step <= rtol N; relative errors carried, not amplified: <= 1e4 steps.
    assert abs(ode[-1, 0] - expected) < 1e4 * rtol * n


def test_ssa_mean_final_size_is_km_at_large_n() -> None:
    """N = 1e5, R0 = 1.5, 100 initially infected: the SSA's mean final size is the KM value.

    A minor outbreak needs all 100 initial chains to die out: probability
    (1/R0)^100 = 2.5e-18 (branching approximation), so no conditioning is
    needed. The exact process's mean differs from N z by O(1) people
    (Andersson & Britton 2000, Sec. 4.3), against a standard error of ~45.
    """
    n, i0, runs = 100_000, 100, 200
    model = builtin_model("sir")
    x0 = np.array([n - i0, i0, 0.0])
    rng = np.random.default_rng(1927)
    params = {"beta": 0.15, "gamma": 0.1}
    paths = sample_paths(model, params, x0, FOREVER, DirectSSA(), runs, rng)
    infected = (n - i0) - paths[:, -1, 0]
    expected = (n - i0) * km_final_size(1.5, (n - i0) / n, i0 / n)
    se = infected.std(ddof=1) / math.sqrt(runs)
    print(f"KM: mean {infected.mean():.1f}, expected {expected:.1f}, SE {se:.1f}")
    assert abs(infected.mean() - expected) < Z_LIMIT * se


# -- exact final-size distribution --------------------------------------------


@pytest.mark.parametrize(("s0", "i0", "r0"), [(1, 1, 2.0), (7, 1, 1.5), (6, 3, 4.0), (9, 2, 0.7)])
def test_final_size_dp_equals_linear_algebra(s0: int, i0: int, r0: float) -> None:
    """The DP over (S, I) equals the absorption probabilities found by a linear solve."""
    dp = sir_final_size_distribution(s0, i0, r0)
    # Both exact up to rounding: O(states) operations of size <= 1, condition number ~ states.
    np.testing.assert_allclose(dp, sir_final_size_by_linear_algebra(s0, i0, r0), atol=1e-13)
    assert dp.sum() == pytest.approx(1.0, abs=1e-13)


def test_final_size_distribution_tends_to_branching_and_km() -> None:
    """At large N: P(major) -> 1 - 1/R0 and the mean major final size -> KM, both at rate 1/N.

    Corrections to both limits are O(1/N) (Andersson & Britton 2000,
    Ch. 3-4); measured N * gap is about 2, so N * gap < 5 is a generous
    bound, and the gap must shrink from N = 1000 to N = 3000.
    """
    r0 = 2.0
    gaps = []
    for n in (1000, 3000):
        dist = sir_final_size_distribution(n - 1, 1, r0)
        k = np.arange(n)
        major = k > n / 4  # the valley between minor and major outbreaks
        p_major = dist[major].sum()
        mean_major = (dist[major] * k[major]).sum() / p_major / (n - 1)
        gaps.append((abs(p_major - (1 - 1 / r0)), abs(mean_major - km_final_size(r0))))
        assert n * gaps[-1][0] < 5 and n * gaps[-1][1] < 5, f"N {n}: gaps {gaps[-1]}"
    assert gaps[1][0] < gaps[0][0] and gaps[1][1] < gaps[0][1]


@pytest.mark.parametrize("engine", [DirectSSA(), TauLeap()], ids=["ssa", "tau"])
def test_final_size_distribution_at_n30(engine: Engine) -> None:
    """N = 30, one infected, R0 = 2: the simulated final sizes follow the exact distribution.

    (tau-leaping runs exact steps at these counts: a leap would cover fewer
    than 10 events.)
    """
    s0, runs = 29, 4000
    exact = sir_final_size_distribution(s0, 1, 2.0)
    x0 = np.array([29.0, 1.0, 0.0])
    rng = np.random.default_rng({"ssa": 30, "tau": 31}[engine.name])
    model = builtin_model("sir")
    paths = sample_paths(model, {"beta": 0.2, "gamma": 0.1}, x0, FOREVER, engine, runs, rng)
    sizes = (s0 - paths[:, -1, 0]).astype(int)
    observed = np.bincount(sizes, minlength=s0 + 1)
    stat, dof, p_value = pooled_chi_square(observed, runs * exact)
    k = np.arange(s0 + 1)
    mean = (k * exact).sum()
    sd = math.sqrt((k**2 * exact).sum() - mean**2)
    z = (sizes.mean() - mean) / (sd / math.sqrt(runs))  # SE from the exact variance
    print(f"{engine.name}: chi2 {stat:.1f} on {dof} dof, p {p_value:.3f}; mean z {z:.2f}")
    assert p_value > P_MIN, f"chi-square {stat:.1f} on {dof} dof, p = {p_value:.2g}"
    assert abs(z) < Z_LIMIT


# -- pure death ---------------------------------------------------------------


def test_ssa_pure_death_is_binomial() -> None:
    """X -> 0 at mu, 40 individuals: X(t) ~ Binomial(40, e^{-mu t}) at t = 0.5, 1, 2.

    Three times, each a chi-square test and z-tests of mean and variance
    against the binomial's own moments.
    """
    n0, runs = 40, 4000
    times = np.array([0.0, 0.5, 1.0, 2.0])
    rng = np.random.default_rng(40)
    paths = sample_paths(DEATH, {"mu": 1.0}, [40.0], times, DirectSSA(), runs, rng)[:, :, 0]
    k = np.arange(n0 + 1)
    for j, t in enumerate(times[1:], start=1):
        x = paths[:, j].astype(int)
        pmf = pure_death_pmf(k, n0, 1.0, t)
        _, dof, p_value = pooled_chi_square(np.bincount(x, minlength=n0 + 1), runs * pmf)
        p = math.exp(-t)
        var = n0 * p * (1 - p)
        mu4 = var * (1 + 3 * (n0 - 2) * p * (1 - p))  # binomial 4th central moment
        z_mean, z_var = _z_mean_var(x, n0 * p, var, mu4)
        print(f"t={t}: chi2 p {p_value:.3f} ({dof} dof), z mean {z_mean:.2f}, z var {z_var:.2f}")
        assert p_value > P_MIN and abs(z_mean) < Z_LIMIT and abs(z_var) < Z_LIMIT


def test_tau_pure_death_follows_the_leap_recursion() -> None:
    """Tau-leaping (eps = 0.03) on 2000 dying individuals follows explicit tau-leaping's law.

    For X -> 0 Cao et al.'s step is tau = eps/mu whenever X > 1/eps, and it
    leaps while tau a0 >= 10, i.e. X >= 334: from 2000 to ~725 at t = 1 it
    always leaps, with 33 leaps of 0.03 and a last one of 0.01 (cut at the
    output time). One leap maps mean m and variance v to
    ((1 - mu h) m, mu h m + (1 - mu h)^2 v), which gives the prediction;
    the exact binomial mean is 1.5% (about 10 SE) higher: tau-leaping's
    first-order bias, see docs/design/tau-leaping.md.
    """
    n0, runs, mu = 2000, 400, 1.0
    rng = np.random.default_rng(2000)
    x = sample_paths(DEATH, {"mu": mu}, [float(n0)], [0.0, 1.0], TauLeap(), runs, rng)[:, -1, 0]
    m, v, t = float(n0), 0.0, 0.0
    while t < 1.0 - 1e-9:
        h = min(0.03 / mu, 1.0 - t)
        m, v, t = (1 - mu * h) * m, mu * h * m + (1 - mu * h) ** 2 * v, t + h
    z = (x.mean() - m) / math.sqrt(v / runs)
    z_exact = (x.mean() - n0 * math.exp(-mu)) / math.sqrt(v / runs)
    print(
        f"tau pure death: mean {x.mean():.1f}, leap law {m:.1f} (z {z:.2f}), exact z {z_exact:.1f}"
    )
    assert abs(z) < Z_LIMIT


# -- immigration-death ----------------------------------------------------------


@pytest.mark.parametrize("engine", [DirectSSA(), TauLeap()], ids=["ssa", "tau"])
def test_immigration_death_is_poisson(engine: Engine) -> None:
    """-> X at 20, X -> 0 at 1: one long run sampled every 10/mu is Poisson(20).

    Burn-in 20/mu: the start (X = 20) is forgotten up to a total variation of
    ~20 e^{-20}. Samples 10/mu apart have correlation e^{-10} = 4.5e-5, so
    they count as independent. SEs are the Poisson's own: var/K for the mean
    and (lam + 2 lam^2)/K for the variance (mu4 = lam + 3 lam^2).
    (tau-leaping runs exact steps at these counts; see the validation report
    for lam/mu = 1000, where it leaps and inflates the variance.)
    """
    lam, mu, samples = 20.0, 1.0, 4000
    times = np.concatenate([[0.0], 20.0 + 10.0 * np.arange(samples)])
    out, _ = run_path(
        IMMIGRATION_DEATH,
        {"lam": lam, "mu": mu},
        np.array([lam]),
        times,
        (),
        engine,
        np.random.default_rng({"ssa": 7, "tau": 8}[engine.name]),
    )
    x = out[1:, 0].astype(int)
    mean = lam / mu
    z_mean, z_var = _z_mean_var(x, mean, mean, mean + 3 * mean**2)
    k = np.arange(x.max() + 1)
    pmf = immigration_death_pmf(k, lam, mu)
    pmf = np.append(pmf, 1.0 - pmf.sum())  # the tail beyond the largest count seen
    _, dof, p_value = pooled_chi_square(np.append(np.bincount(x), 0), samples * pmf)
    print(
        f"{engine.name}: z mean {z_mean:.2f}, z var {z_var:.2f}, chi2 p {p_value:.3f} ({dof} dof)"
    )
    assert abs(z_mean) < Z_LIMIT and abs(z_var) < Z_LIMIT and p_value > P_MIN
