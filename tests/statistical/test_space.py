"""The spatial engines against exact results and against the well-mixed direct method.

- The next-subvolume method (NSM) on one patch is the direct method: equal
  distributions of SIR's final size and of S at day 20.
- A lattice with no movement and no coupling is a set of independent
  well-mixed populations: each cell's outcome has the well-mixed distribution,
  and the cells' outcomes are uncorrelated.
- Spatial tau-leaping at ``eps = 0.003`` equals the NSM in distribution on a
  two-cell lattice with movement and coupling.
- Spatial tau-leaping at ``eps = 0.01`` equals the NSM in distribution where
  dense patches leap on their own (the series' model, no coupling).
- Movement alone: every individual is an independent two-state Markov chain,
  so a patch's count is binomial with a known mean that relaxes to the
  stationary, weight-proportional share; the NSM's mean and variance match it
  and the ODE's solution equals the mean.
- Coupled kills with no bites and no movement are independent exponential
  deaths (each zombie in patch ``p`` is destroyed at rate ``kappa (S_p / N_p +
  c sum_n S_n / N_n)``), so each patch's zombies are binomial. The NSM fails
  this: see :func:`test_coupled_kills_are_independent_exponential_deaths`.

Two-sample comparisons use :func:`hyosan.testing.compare_samples` (Welch,
Kolmogorov-Smirnov, Anderson-Darling) at ``ALPHA = 0.001`` each; comparisons
with an exact law are z-tests at the two-sided ``ALPHA`` quantile, with
standard errors computed from the law (binomial moments), not estimated.
There are 45 such p-values in the tests expected to pass (6 + 7 + 9 + 15 +
8), so the chance that any one fails while the engines are right is below
45 x 0.001 = 4.5% for a random choice of seeds (the seeds are fixed, so a run
repeats exactly).

Tau-leaping is tested at a small eps: at the default ``eps = 0.03`` its known
O(eps) bias shows in the linear processes below (in the coupled death process
of the last test, measured on a fixed engine with 400 runs and 1000 + 2000
zombies, the mean at t = 1 is 2.8 and 4.4 standard errors low, as explicit
Euler steps of the mean would have it); at 0.01 and 0.003 nothing showed.

Run counts come from the power computation of ``test_tau_vs_ssa.py``: a
two-sample test at ``ALPHA`` detects a shift ``d`` of the mean with power 0.8
when each sample has ``n >= 2 (z_{1-ALPHA/2} + z_{0.8})^2 sd^2 / d^2`` runs
(:func:`hyosan.testing.runs_to_detect`), with ``d`` = 2% of the mean and
``sd`` observed; each test asserts that it has them and says what it resolves.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyosan._typing import FloatArray
from hyosan.engines import DirectSSA, Engine, OdeEngine, TauLeap
from hyosan.model import Model, builtin_model
from hyosan.space import World, WorldSetup
from hyosan.testing import compare_samples, runs_to_detect, sample_paths, z_quantile

pytestmark = pytest.mark.slow

ALPHA = 0.001
POWER = 0.8
SHIFT = 0.02  # relative shift of a mean the run counts must detect
Z_CRIT = z_quantile(1.0 - ALPHA / 2.0)  # 3.29

SIR = builtin_model("sir")
ALEMI = builtin_model("alemi")


def _paths(
    model: Model,
    params: dict[str, float],
    x0: FloatArray,
    times: FloatArray,
    engine: Engine,
    runs: int,
    seed: int,
    setup: WorldSetup | None = None,
) -> FloatArray:
    """``runs`` paths, shape ``(runs, times, patches, compartments)``."""
    rng = np.random.default_rng(seed)
    x = np.asarray(x0, dtype=np.float64).ravel()
    out = sample_paths(model, params, x, times, engine, runs, rng, setup=setup)
    return out.reshape(runs, len(times), -1, len(model.compartments))


def _check_power(a: FloatArray, b: FloatArray) -> int:
    """Runs needed to detect a 2% shift of the mean of ``b``; assert both samples have them."""
    sd = math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2.0)
    need = runs_to_detect(sd, SHIFT * abs(b.mean()), ALPHA, POWER)
    assert min(len(a), len(b)) >= need, f"{len(a)}, {len(b)} runs; {need} needed"
    return need


def _binomial_z(sample: FloatArray, n: float, p: float) -> tuple[float, float]:
    """z-scores of a sample's mean and variance against Binomial(n, p), from exact moments.

    The variance's standard error is ``sqrt((mu4 - sigma^4 (r - 3) / (r - 1)) / r)`` for
    ``r`` runs, with the binomial's fourth central moment ``mu4 = n p q (1 + 3 (n - 2) p q)``.
    """
    r = len(sample)
    q = 1.0 - p
    var = n * p * q
    mu4 = var * (1.0 + 3.0 * (n - 2.0) * p * q)
    se_var = math.sqrt((mu4 - var**2 * (r - 3) / (r - 1)) / r)
    z_mean = (sample.mean() - n * p) / math.sqrt(var / r)
    z_var = (sample.var(ddof=1) - var) / se_var
    return float(z_mean), float(z_var)


# --- one patch: the NSM is the direct method ------------------------------------------


def test_nsm_on_one_patch_equals_the_direct_method() -> None:
    """SIR at N = 100 (5 infected): NSM in a one-cell world = direct method, in distribution.

    The world's movement rates are set but a lone cell has no edges, so the
    movement channels are 0. Final size: sd ~ 7.2, 2% of the mean 93 = 1.9:
    n >= 2 (3.29 + 0.84)^2 7.2^2 / 1.9^2 ~ 500 runs; 2000 runs per engine
    resolve 4.13 * 7.2 sqrt(2/2000) = 0.9 people (1%). S at day 20 (sd ~ 15.5)
    is resolved to 4.13 * 15.5 sqrt(2/2000) = 2.0 people.
    """
    params = {"beta": 0.3, "gamma": 0.1}
    x0 = np.array([95.0, 5.0, 0.0])
    times = np.array([0.0, 20.0, 400.0])
    lone = WorldSetup(World.lattice([[100.0]]), movement={"S": 1.0, "I": 1.0, "R": 1.0})
    runs = 2000
    nsm = _paths(SIR, params, x0, times, DirectSSA(), runs, 61, setup=lone)[:, :, 0]
    direct = _paths(SIR, params, x0, times, DirectSSA(), runs, 62)[:, :, 0]
    assert nsm[:, -1, 1].max() == 0.0 and direct[:, -1, 1].max() == 0.0, "infected at day 400"
    _check_power(nsm[:, -1, 2], direct[:, -1, 2])
    final = compare_samples(nsm[:, -1, 2], direct[:, -1, 2], alpha=ALPHA)
    assert final.agree, final.describe("recovered")
    day20 = compare_samples(nsm[:, 1, 0], direct[:, 1, 0], alpha=ALPHA)
    assert day20.agree, day20.describe("susceptible at day 20")


# --- an uncoupled lattice: independent well-mixed cells ----------------------------------


def test_uncoupled_lattice_is_independent_well_mixed_cells() -> None:
    """SIR in each cell of a 2 x 2 lattice (95 susceptible, 5 infected), no movement,
    coupling 0: every cell's final size has the well-mixed law, and no two cells'
    final sizes are correlated.

    Final size: sd ~ 7.2, 2% of the mean 93 = 1.9: about 500 runs needed;
    1500 runs resolve 4.13 * 7.2 sqrt(2/1500) = 1.1 people. Correlation: under
    independence Fisher's ``atanh(r) sqrt(n - 3)`` is standard normal; the
    largest of the 6 pairs is held to the Bonferroni quantile
    ``z_{1 - ALPHA / 12}`` (a family-wise ALPHA); with 1500 runs that flags a
    correlation of 3.8 / sqrt(1497) = 0.1.
    """
    params = {"beta": 0.3, "gamma": 0.1}
    times = np.array([0.0, 400.0])
    runs = 1500
    cell = np.array([95.0, 5.0, 0.0])
    lattice = WorldSetup(World.lattice(np.full((2, 2), 100.0)))
    space = _paths(SIR, params, np.tile(cell, 4), times, DirectSSA(), runs, 71, lattice)
    mixed = _paths(SIR, params, cell, times, DirectSSA(), runs, 72)[:, -1, 0, 2]
    assert space[:, -1, :, 1].max() == 0.0, "infected at day 400"
    final = space[:, -1, :, 2]  # runs x cells
    for p in (0, 3):  # two opposite corners; the other two are the same by symmetry
        _check_power(final[:, p], mixed)
        cmp = compare_samples(final[:, p], mixed, alpha=ALPHA)
        assert cmp.agree, f"cell {p}: " + cmp.describe("recovered")
    r = np.corrcoef(final.T)
    pairs = [(i, j) for i in range(4) for j in range(i + 1, 4)]
    z = max(abs(math.atanh(r[i, j])) * math.sqrt(runs - 3) for i, j in pairs)
    assert z < z_quantile(1.0 - ALPHA / (2 * len(pairs))), f"correlations {r.round(3)}"


# --- spatial tau-leaping against the NSM ---------------------------------------------------


def test_space_tau_at_eps_0_003_matches_nsm_on_a_lattice_with_movement() -> None:
    """SIR on a 1 x 2 lattice of 5000 people per cell, 100 infected in cell 0, everyone
    moving at 0.01 per day, coupling 0.5: tau (eps = 0.003) = NSM in distribution.

    Outcomes: the final size, the final size in cell 1 (reached only through
    movement and coupling) and the day of cell 1's infection peak. About 20%
    of the events fire in leaps at this eps (measured with an instrumented
    copy of the kernel; at N = 2500 per cell it is 0%, at eps = 0.01 80%).
    Final size: sd ~ 35, 2% of 9410 = 188: n >= 2 (4.13)^2 35^2 / 188^2 ~ 2
    runs; 400 runs resolve 4.13 * 35 sqrt(2/400) = 10 people (0.11%). The
    peak day (sd ~ 0.5, 2% of 10.7) needs about 170 runs. With 2000 runs per
    engine no difference showed either (final size -1.3 +- 1.1 people).
    """
    params = {"beta": 0.5, "gamma": 0.25}
    world = World.lattice(np.full((1, 2), 5000.0))
    setup = WorldSetup(world, movement={"S": 0.01, "I": 0.01, "R": 0.01}, coupling=0.5)
    x0 = np.array([[4900.0, 100.0, 0.0], [5000.0, 0.0, 0.0]])
    times = np.linspace(0.0, 60.0, 241)
    runs = 400
    exact = _paths(SIR, params, x0, times, DirectSSA(), runs, 81, setup)
    tau = _paths(SIR, params, x0, times, TauLeap(eps=0.003), runs, 82, setup)
    for name, f in (
        ("final size", lambda x: x[:, -1, :, 2].sum(axis=1)),
        ("final size in cell 1", lambda x: x[:, -1, 1, 2]),
        ("peak day in cell 1", lambda x: times[x[:, :, 1, 1].argmax(axis=1)]),
    ):
        a, b = f(tau), f(exact)
        _check_power(a, b)
        cmp = compare_samples(a, b, alpha=ALPHA)
        assert cmp.agree, f"{name}: " + cmp.describe()


def test_space_tau_patches_leaping_on_their_own_match_nsm() -> None:
    """The series' model on a 1 x 2 lattice of 20,000 people per cell, 50 zombies in cell 0,
    zombies moving at 0.01 and hybrids at 0.005 per hour, no coupling: tau (eps = 0.01) =
    NSM in distribution.

    Without coupled reactions a patch whose bound is shorter than the step
    leaps on its own (``spacepatch.leap_patch``); here that is where most
    events fire: 77% of them at this eps, measured with an instrumented copy
    of the kernel (at eps = 0.003 under 1%). The rare hybrids make the
    hybrid fights critical reactions, which fire at most once a leap.
    Outcomes: humans at hour 4, the hour cell 1 falls to half its humans,
    hybrids made, the dead, zombies at hour 10. The hybrids (sd ~ 14, 2% of
    199) need the most runs, about 430; 500 runs resolve 4.13 * 14 sqrt(2/500)
    = 3.7 hybrids. With 2000 runs per engine no outcome differed by 1 SE of
    the difference at this eps; at eps = 0.03 humans at hours 4 and 8 were
    2.0 SE high, as with the kernel before patches leapt on their own (2.4).
    """
    aouad = builtin_model("aouad")
    setup = WorldSetup(World.lattice(np.full((1, 2), 20000.0)), movement={"Z": 0.01, "H": 0.005})
    x0 = np.zeros((2, 6))
    x0[:, 0] = 20000.0
    x0[0, 0] -= 50.0
    x0[0, 3] = 50.0
    times = np.linspace(0.0, 30.0, 121)
    runs = 500
    exact = _paths(aouad, aouad.defaults, x0, times, DirectSSA(), runs, 121, setup)
    tau = _paths(aouad, aouad.defaults, x0, times, TauLeap(eps=0.01), runs, 122, setup)
    for name, f in (
        ("humans at hour 4", lambda x: x[:, 16, :, 0].sum(axis=1)),
        ("hour cell 1 is half eaten", lambda x: times[(x[:, :, 1, 0] < 10000.0).argmax(axis=1)]),
        ("hybrids", lambda x: x[:, -1, :, 4].sum(axis=1)),
        ("dead", lambda x: x[:, -1, :, 5].sum(axis=1)),
        ("zombies at hour 10", lambda x: x[:, 40, :, 3].sum(axis=1)),
    ):
        a, b = f(tau), f(exact)
        _check_power(a, b)
        cmp = compare_samples(a, b, alpha=ALPHA)
        assert cmp.agree, f"{name}: " + cmp.describe()


# --- movement alone ---------------------------------------------------------------------

#: a -> b of weight 1, b -> a of weight 3, S moving at 0.5: every person leaves a at
#: rate lam = 0.5 and b at rate mu = 1.5; in the long run a holds mu / (lam + mu) = 3/4.
TWO_WAY = World.from_edges("two", ["a", "b"], [("a", "b", 1.0), ("b", "a", 3.0)], two_way=False)
LAM, MU = 0.5 * 1.0, 0.5 * 3.0


def _share_in_a(times: FloatArray) -> FloatArray:
    """P(in a at t) for someone in a at 0: ``mu/(lam+mu) + lam/(lam+mu) e^{-(lam+mu) t}``."""
    k = LAM + MU
    return MU / k + LAM / k * np.exp(-k * times)


def test_movement_alone_is_binomial_and_relaxes_to_the_stationary_share() -> None:
    """200 people start in a; with no reactions the count in a is Binomial(200, p_a(t)).

    At t = 0.25, 0.5, 1 and 4 (where p_a is within 3e-4 of the stationary
    3/4) the NSM's mean and variance over 2000 runs are z-tested against the
    binomial's, with exact standard errors (8 p-values). The mean's standard
    error is sqrt(200 p q / 2000) ~ 0.14 people, 0.1% of the mean; the
    variance's about 3% of it. The ODE engine gives the mean itself.
    """
    times = np.array([0.0, 0.25, 0.5, 1.0, 4.0])
    setup = WorldSetup(TWO_WAY, movement={"S": 0.5})
    x0 = np.array([[200.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    still = {"beta": 0.0, "gamma": 0.0}
    in_a = _paths(SIR, still, x0, times, DirectSSA(), 2000, 91, setup)[:, :, 0, 0]
    p = _share_in_a(times)
    assert abs(p[-1] - 0.75) < 3e-4
    np.testing.assert_array_equal(in_a[:, 0], 200.0)
    for i in range(1, len(times)):
        z_mean, z_var = _binomial_z(in_a[:, i], 200.0, float(p[i]))
        assert abs(z_mean) < Z_CRIT, f"t = {times[i]}: mean {in_a[:, i].mean():.2f}, z {z_mean:.2f}"
        assert abs(z_var) < Z_CRIT, f"t = {times[i]}: variance z {z_var:.2f}"
    ode = _paths(SIR, still, x0, times, OdeEngine(), 1, 0, setup)[0, :, 0, 0]
    np.testing.assert_allclose(ode, 200.0 * p, rtol=1e-6)


def test_tau_walkers_spread_at_the_exact_hop_rate() -> None:
    """2000 people in the middle of a 1 x 121 line, moving at 1 per day along each edge, no
    reactions: under tau-leaping their mean squared distance from the start at day 20 is
    the exact 2 m T = 40 (one hop of +-1 at rate m per edge, two edges).

    The leap sits at the movement cap (P(move) = 3 eps = 0.09 a step). Leaving with
    probability 1 - exp(-rate tau), as the kernel once did, hops at
    (1 - e^{-0.09}) / 0.09 = 95.6% of the rate: 38.2 instead of 40. 50 runs of 2000
    walkers give a standard error of about sqrt(2 * 40^2 / 100000) = 0.18 (Gaussian
    displacements), so that bias is 10 standard errors; the walls, 9.5 sd away, do
    not matter.
    """
    n = 121
    pop = np.zeros((1, n))
    pop[0, n // 2] = 2000.0
    setup = WorldSetup(World.lattice(pop), movement={"S": 1.0})
    still = {"beta": 0.0, "gamma": 0.0}
    times = np.array([0.0, 20.0])
    x0 = np.column_stack([pop[0], np.zeros(n), np.zeros(n)])
    counts = _paths(SIR, still, x0, times, TauLeap(), 50, 111, setup)[:, -1, :, 0]
    d2 = (np.arange(n) - n // 2) ** 2.0
    per_run = counts @ d2 / counts.sum(axis=1)
    z = (per_run.mean() - 40.0) / (per_run.std(ddof=1) / math.sqrt(len(per_run)))
    assert abs(z) < Z_CRIT, f"mean squared distance {per_run.mean():.2f}, z {z:.2f}"


# --- coupled kills: independent exponential deaths ----------------------------------------


def test_coupled_kills_are_independent_exponential_deaths() -> None:
    """Alemi's kills only (beta = 0), no movement, coupling 1 between a (50 humans, no
    zombie) and b (50 humans, 20 zombies): a never has a zombie, and b's zombies at t = 1
    are Binomial(20, e^{-lam}) with lam = kappa (S_b / N_b + S_a / N_a) = 50/70 + 1.

    N_p = S_p + Z_p + R_p never changes (a kill turns a zombie into R where it
    is), so every zombie in b dies at rate lam on its own. 1000 runs; the
    mean's SE is sqrt(20 p q / 1000) = 0.05 zombies.
    """
    world = World.from_edges("two", ["a", "b"], [("a", "b", 1.0)])
    setup = WorldSetup(world, coupling=1.0)
    x0 = np.array([[50.0, 0.0, 0.0], [50.0, 20.0, 0.0]])
    times = np.array([0.0, 1.0, 10.0])
    x = _paths(ALEMI, {"beta": 0.0, "kappa": 1.0}, x0, times, DirectSSA(), 1000, 101, setup)
    assert np.all(x[:, :, 0, 1:] == 0.0), f"zombies in a: min {x[:, :, 0, 1].min()}"
    z_mean, z_var = _binomial_z(x[:, 1, 1, 1], 20.0, math.exp(-(50.0 / 70.0 + 1.0)))
    assert abs(z_mean) < Z_CRIT and abs(z_var) < Z_CRIT, (z_mean, z_var)
