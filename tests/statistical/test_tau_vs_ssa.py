"""Tau-leaping against the exact SSA: two-sample tests on final sizes and peak times.

Each test runs the same model with both engines and compares the two samples
of an outcome with Welch's t-test (means), the two-sample Kolmogorov-Smirnov
test and the k-sample Anderson-Darling test (distributions), each at
``ALPHA = 0.001`` two-sided (:func:`hyosan.testing.compare_samples`). With
25 such p-values and 2 equivalence tests below, the chance that any of them
fails while the engines agree is below 27 x 0.001 = 2.7%.

Run counts come from a power computation written next to each assertion: a
two-sample test at ``ALPHA`` detects a shift ``d`` of the mean with power 0.8
when each sample has ``n >= 2 (z_{1-ALPHA/2} + z_{0.8})^2 sd^2 / d^2`` runs
(:func:`hyosan.testing.runs_to_detect`), here with ``d`` = 2% of the exact
mean final size and ``sd`` the observed spread. Every test uses at least that
many runs, and states the smaller shift its run count actually resolves.

What is true, and tested here (measured with 4000 runs per engine; the
fractions of events fired in leaps with an instrumented copy of the kernel):

- SIR at N = 1e4 is where tau-leaping leaps (94% of events in leaps at the
  default ``eps = 0.03``). There its known O(eps) bias is detectable: the
  mean final size is 11.1 +- 0.8 people (0.12%) above the exact one, and the
  mean peak time 0.09 +- 0.02 days later (two measurements of 4000 runs).
  That is a finding, documented in ``docs/design/tau-leaping.md``. The tests
  check what holds: the bias is below 2% of the mean (an equivalence test);
  at ``eps = 0.003`` (28% of events still in leaps; bias +0.1 +- 0.6 people
  over two measurements) the distributions agree within what 1000 runs
  resolve. At ``eps = 0.01`` (81% in leaps) the bias, +3.3 +- 0.6 people
  (0.035%), is itself resolved by a few thousand runs, and 1000 runs would
  flag it about one time in eight, so agreement is not asserted there.
- Alemi's SZR and the ``aouad`` model at N = 1e4 (90% and 89% of events in
  leaps at the default eps): no bias detectable with 4000 runs, so the
  default engine is tested for equal distributions.
- The ``school`` scenario (aouad, N = 1000, barricades at hour 4): outbreaks
  die out or take over (bimodal). Take-over fractions are compared with a
  two-proportion z-test, outcomes conditionally on take-over (more than half
  the humans lost by 48 h). At N = 1000 the tau engine leaps for only 0.3%
  of events: this test checks its exact-step fallback, critical reactions and
  interventions, not the leap itself.
"""

from __future__ import annotations

import numpy as np
import pytest

from hyosan._typing import FloatArray
from hyosan.engines import DirectSSA, Engine, TauLeap
from hyosan.interventions import Intervention
from hyosan.model import Model, builtin_model
from hyosan.scenario import load_scenario
from hyosan.testing import compare_samples, runs_to_detect, sample_paths, two_proportions

pytestmark = pytest.mark.slow

ALPHA = 0.001
POWER = 0.8
SHIFT = 0.02  # relative shift of the mean final size the run counts must detect


def _paths(
    model: Model,
    params: dict[str, float],
    x0: list[float],
    times: FloatArray,
    interventions: tuple[Intervention, ...],
    engine: Engine,
    runs: int,
    seed: int,
) -> FloatArray:
    rng = np.random.default_rng(seed)
    x = np.array(x0, dtype=np.float64)
    return sample_paths(model, params, x, times, engine, runs, rng, interventions=interventions)


def _peak_time(paths: FloatArray, times: FloatArray, column: int) -> FloatArray:
    """First grid time at which ``column`` reaches its largest value, per run."""
    return times[paths[:, :, column].argmax(axis=1)]


def _check_power(final_exact: FloatArray, final_tau: FloatArray) -> int:
    """Runs needed to detect a 2% shift of the mean final size; assert both samples have them."""
    sd = np.sqrt((final_exact.var(ddof=1) + final_tau.var(ddof=1)) / 2.0)
    need = runs_to_detect(sd, SHIFT * final_exact.mean(), ALPHA, POWER)
    assert min(len(final_exact), len(final_tau)) >= need, (
        f"{len(final_exact)}, {len(final_tau)} runs; {need} needed to detect a 2% shift"
    )
    return need


# --- SIR, N = 1e4, 1% infected: no early extinction (probability (1/3)^100) ----

SIR = builtin_model("sir")
SIR_PARAMS = {"beta": 0.3, "gamma": 0.1}
SIR_X0 = [9900.0, 100.0, 0.0]
SIR_TIMES = np.linspace(0.0, 200.0, 801)  # 0.25 days, under half of 2% of the peak time
SIR_RUNS = 1000


@pytest.fixture(scope="module")
def sir_exact() -> FloatArray:
    return _paths(SIR, SIR_PARAMS, SIR_X0, SIR_TIMES, (), DirectSSA(), SIR_RUNS, 2026)


def test_sir_tau_bias_is_below_2_percent(sir_exact: FloatArray) -> None:
    """At the default eps, tau's mean final size and peak time are within 2% of the exact ones.

    Equivalence by two one-sided tests at ALPHA: the 99.8% confidence interval
    of the difference lies inside +-2% of the exact mean. The bias itself
    (+0.12% in final size) is real and detectable; this test bounds it.
    """
    tau = _paths(SIR, SIR_PARAMS, SIR_X0, SIR_TIMES, (), TauLeap(), SIR_RUNS, 2027)
    final = compare_samples(tau[:, -1, 2], sir_exact[:, -1, 2], alpha=ALPHA)
    # sd ~ 35 people, 2% of 9410 = 188: n >= 2 (3.29 + 0.84)^2 35^2 / 188^2 ~ 2 runs.
    _check_power(sir_exact[:, -1, 2], tau[:, -1, 2])
    assert final.within(SHIFT * final.mean_b), final.describe("people")
    peak = compare_samples(
        _peak_time(tau, SIR_TIMES, 1), _peak_time(sir_exact, SIR_TIMES, 1), alpha=ALPHA
    )
    assert peak.within(SHIFT * peak.mean_b), peak.describe("days")


def test_sir_tau_at_eps_0_003_matches_exact(sir_exact: FloatArray) -> None:
    """At eps = 0.003 tau's final-size and peak-time distributions equal the exact ones.

    Resolution: 1000 runs per engine give a standard error of the difference
    of about 35 sqrt(2/1000) = 1.6 people, so Welch's test detects a shift of
    (3.29 + 0.84) 1.6 = 6.5 people (0.07%) with power 0.8; the KS test
    rejects an ECDF gap above 1.95 sqrt(2/1000) = 0.087. The bias measured at
    this eps (+0.1 +- 0.6 people) is far below that resolution; a 2% shift
    (188 people, 120 standard errors) could not pass.
    """
    tau = _paths(SIR, SIR_PARAMS, SIR_X0, SIR_TIMES, (), TauLeap(eps=0.003), SIR_RUNS, 2028)
    _check_power(sir_exact[:, -1, 2], tau[:, -1, 2])
    final = compare_samples(tau[:, -1, 2], sir_exact[:, -1, 2], alpha=ALPHA)
    assert final.agree, final.describe("people")
    peak = compare_samples(
        _peak_time(tau, SIR_TIMES, 1), _peak_time(sir_exact, SIR_TIMES, 1), alpha=ALPHA
    )
    assert peak.agree, peak.describe("days")


# --- Alemi's SZR, N = 1e4, 1% zombies: zombies die out with probability 0.8^100 --


def test_alemi_tau_matches_exact() -> None:
    """Alemi's SZR at N = 1e4: destroyed zombies and the humans' half-life agree (default eps).

    Zombies only grow in this model (Z = Z0 + (1 - kappa/beta)(S0 - S)), so
    the timing outcome is the first grid time with at most half the humans
    left, not a peak. Every run ends with no humans (checked), so the final
    number of destroyed zombies R is the final size of the fight.
    """
    model = builtin_model("alemi")
    params = {"beta": 1.0, "kappa": 0.8}
    x0 = [9900.0, 100.0, 0.0]
    times = np.linspace(0.0, 200.0, 801)
    runs = 600
    exact = _paths(model, params, x0, times, (), DirectSSA(), runs, 31)
    tau = _paths(model, params, x0, times, (), TauLeap(), runs, 32)
    assert exact[:, -1, 0].max() == 0.0 and tau[:, -1, 0].max() == 0.0, "humans left at day 200"
    # sd ~ 120, 2% of 7920 = 158: n >= 2 (3.29 + 0.84)^2 120^2 / 158^2 ~ 20 runs;
    # 600 runs resolve 4.13 * 120 sqrt(2/600) = 29 zombies (0.4%).
    _check_power(exact[:, -1, 2], tau[:, -1, 2])
    final = compare_samples(tau[:, -1, 2], exact[:, -1, 2], alpha=ALPHA)
    assert final.agree, final.describe("destroyed zombies")

    def half_life(paths: FloatArray) -> FloatArray:
        return times[(paths[:, :, 0] <= x0[0] / 2).argmax(axis=1)]

    half = compare_samples(half_life(tau), half_life(exact), alpha=ALPHA)
    assert half.agree, half.describe("days")


# --- aouad: the school scenario at N = 1e3 (bimodal) and at N = 1e4 -----------

SCHOOL = load_scenario("school")
_Z = SCHOOL.model.compartments.index("Z")


def test_school_take_over_and_outcomes_match_exact() -> None:
    """School scenario (N = 1000, one bitten, barricades at hour 4): tau = exact.

    Take-over (more than half the humans lost by hour 48) fractions agree by a
    two-proportion z-test; given take-over, the zombies at hour 48 and the
    zombie peak time have equal distributions.

    The conditioning event is a function of the path, the same for both
    engines, so the conditional distributions are equal when the engines are.
    It separates the outcomes cleanly: of 2000 runs about 20% lose under 1% of
    the humans and about 80% lose all of them; a few in 1000 fall between,
    where the first bitten became a hybrid (probability 0.005) whose slow
    bites start an outbreak that is still under way at hour 48.
    """
    sc = SCHOOL
    runs = 2000
    x0 = list(sc.x0)
    args = (sc.model, dict(sc.parameters), x0, sc.time.times, sc.interventions)
    exact = _paths(*args, DirectSSA(), runs, 41)
    tau = _paths(*args, TauLeap(), runs, 42)
    lost_e, lost_t = x0[0] - exact[:, -1, 0], x0[0] - tau[:, -1, 0]
    big_e, big_t = lost_e > x0[0] / 2, lost_t > x0[0] / 2
    # p ~ 0.8: the difference of two fractions has SE sqrt(2 * 0.8 * 0.2 / 2000) = 0.013,
    # so the z-test detects 4.13 * 0.013 = 0.052 with power 0.8.
    z, p = two_proportions(int(big_t.sum()), runs, int(big_e.sum()), runs)
    assert p > ALPHA, f"take-over {big_t.mean():.3f} (tau) vs {big_e.mean():.3f}, z = {z:.2f}"
    # Zombies at hour 48 given take-over: sd ~ 25, 2% of 608 = 12:
    # n >= 2 (3.29 + 0.84)^2 25^2 / 12^2 ~ 150 runs per engine; about 1600 each here.
    _check_power(exact[big_e, -1, _Z], tau[big_t, -1, _Z])
    final = compare_samples(tau[big_t, -1, _Z], exact[big_e, -1, _Z], alpha=ALPHA)
    assert final.agree, final.describe("zombies")
    times = sc.time.times
    peak = compare_samples(
        _peak_time(tau[big_t], times, _Z), _peak_time(exact[big_e], times, _Z), alpha=ALPHA
    )
    assert peak.agree, peak.describe("hours")


def test_aouad_at_n_1e4_tau_matches_exact() -> None:
    """The school's model and barricades at N = 1e4 (10 bitten), where tau leaps: tau = exact.

    Ten bitten at the start: every run takes over (checked), so no
    conditioning is needed. Zombies at hour 48 and the zombie peak time agree.
    """
    sc = SCHOOL
    x0 = [9990.0, 10.0, 0.0, 0.0, 0.0, 0.0]
    runs = 400
    args = (sc.model, dict(sc.parameters), x0, sc.time.times, sc.interventions)
    exact = _paths(*args, DirectSSA(), runs, 51)
    tau = _paths(*args, TauLeap(), runs, 52)
    assert exact[:, -1, 0].max() == 0.0 and tau[:, -1, 0].max() == 0.0, "humans left at hour 48"
    # sd ~ 84, 2% of 6060 = 121: n >= 2 (3.29 + 0.84)^2 84^2 / 121^2 ~ 17 runs;
    # 400 runs resolve 4.13 * 84 sqrt(2/400) = 25 zombies (0.4%).
    _check_power(exact[:, -1, _Z], tau[:, -1, _Z])
    final = compare_samples(tau[:, -1, _Z], exact[:, -1, _Z], alpha=ALPHA)
    assert final.agree, final.describe("zombies")
    times = sc.time.times
    peak = compare_samples(_peak_time(tau, times, _Z), _peak_time(exact, times, _Z), alpha=ALPHA)
    assert peak.agree, peak.describe("hours")
