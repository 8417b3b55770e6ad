"""hyosan's exact engine against an independent simulator: GillesPy2's NumPy SSA.

The three models are written out again below in GillesPy2's own terms, by
hand, from their equations (not translated from hyosan's model objects), so
that a mistake in hyosan's parsing, rate laws, stoichiometry, dependency
graph or kernel shows up as a difference. Frequency-dependent laws are
GillesPy2 custom propensities (``"beta*S*Z/(S+Z+R)"``); first-order ones use
its mass-action rates (``k*X``), or custom propensities where the rate is an
expression (``"sigma*(1-p_hybrid)*E"``). Both simulators get the same parameter
values, the same initial counts and the same uniform output grid (GillesPy2's
``timespan``), and both record at a grid time the state after every event up
to it, so outcomes read off the grid (peak times at grid resolution) are
defined identically.

At these sizes (N = 200) outbreaks often die out early, so each case compares:

- the take-over fraction, by a pooled two-proportion z-test;
- given take-over, the final size and a time (the peak, or for Alemi's SZR,
  where zombies only grow, the humans' half-life), by Welch's t-test and the
  two-sample Kolmogorov-Smirnov and Anderson-Darling tests
  (:func:`hyosan.testing.compare_samples`).

Every p-value is read at ``ALPHA = 0.001``; with 21 of them (7 per model),
the chance of a false alarm in this file is below 2.1%. What the run counts
resolve is written next to the assertions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from hyosan._typing import BoolArray, FloatArray
from hyosan.engines import DirectSSA
from hyosan.model import builtin_model
from hyosan.testing import compare_samples, sample_paths, two_proportions

gillespy2 = pytest.importorskip("gillespy2")

# GillesPy2 1.8 parses propensity strings with ast.NodeVisitor.visit_Num.
pytestmark = pytest.mark.filterwarnings("ignore:visit_Num is deprecated:DeprecationWarning")

ALPHA = 0.001

Paths = dict[str, FloatArray]
"""One array ``(runs, len(times))`` per compartment."""


def _species(model: object, counts: dict[str, float]) -> dict[str, object]:
    species = {
        name: gillespy2.Species(name=name, initial_value=int(n), mode="discrete")
        for name, n in counts.items()
    }
    model.add_species(list(species.values()))  # type: ignore[attr-defined]
    return species


def _parameters(model: object, values: dict[str, float]) -> None:
    params = [gillespy2.Parameter(name=k, expression=v) for k, v in values.items()]
    model.add_parameter(params)  # type: ignore[attr-defined]


def gillespy2_sir(params: dict[str, float], x0: dict[str, float], times: FloatArray) -> object:
    """SIR: infection ``beta S I / N`` (N = S + I + R), recovery ``gamma I``."""
    m = gillespy2.Model(name="sir")
    _parameters(m, params)
    sp = _species(m, x0)
    s, i, r = sp["S"], sp["I"], sp["R"]
    m.add_reaction(
        [
            gillespy2.Reaction(
                name="infection",
                reactants={s: 1, i: 1},
                products={i: 2},
                propensity_function="beta*S*I/(S+I+R)",
            ),
            gillespy2.Reaction(name="recovery", reactants={i: 1}, products={r: 1}, rate="gamma"),
        ]
    )
    m.timespan(times)
    return m


def gillespy2_alemi(params: dict[str, float], x0: dict[str, float], times: FloatArray) -> object:
    """Alemi's SZR: bite ``beta S Z / N`` (S -> Z), kill ``kappa S Z / N`` (Z -> R), N = S+Z+R."""
    m = gillespy2.Model(name="alemi")
    _parameters(m, params)
    sp = _species(m, x0)
    s, z, r = sp["S"], sp["Z"], sp["R"]
    m.add_reaction(
        [
            gillespy2.Reaction(
                name="bite",
                reactants={s: 1, z: 1},
                products={z: 2},
                propensity_function="beta*S*Z/(S+Z+R)",
            ),
            gillespy2.Reaction(
                name="kill",
                reactants={s: 1, z: 1},
                products={s: 1, r: 1},
                propensity_function="kappa*S*Z/(S+Z+R)",
            ),
        ]
    )
    m.timespan(times)
    return m


def gillespy2_aouad(params: dict[str, float], x0: dict[str, float], times: FloatArray) -> object:
    """The seven reactions of *All of Us Are Dead*; N = S + E + Ez + Z + H (the dead D excluded).

    bite ``S + Z -> E + Z`` at ``beta S Z / N``; turning ``E -> Z`` at
    ``sigma (1 - p_hybrid) E`` and ``E -> H`` at ``sigma p_hybrid E``; hybrid
    bite ``S + H -> Ez + H`` at ``beta_h S H / N``; ``Ez -> Z`` at
    ``sigma Ez``; humans destroy zombies ``S + Z -> S + D`` at
    ``alpha S Z / N`` and hybrids ``S + H -> S + D`` at ``alpha_h S H / N``.
    """
    m = gillespy2.Model(name="aouad")
    _parameters(m, params)
    sp = _species(m, x0)
    s, e, ez, z, h, d = (sp[k] for k in ("S", "E", "Ez", "Z", "H", "D"))
    n = "(S+E+Ez+Z+H)"
    m.add_reaction(
        [
            gillespy2.Reaction(
                name="bite",
                reactants={s: 1, z: 1},
                products={e: 1, z: 1},
                propensity_function=f"beta*S*Z/{n}",
            ),
            gillespy2.Reaction(
                name="turn",
                reactants={e: 1},
                products={z: 1},
                propensity_function="sigma*(1-p_hybrid)*E",
            ),
            gillespy2.Reaction(
                name="turn_hybrid",
                reactants={e: 1},
                products={h: 1},
                propensity_function="sigma*p_hybrid*E",
            ),
            gillespy2.Reaction(
                name="hybrid_bite",
                reactants={s: 1, h: 1},
                products={ez: 1, h: 1},
                propensity_function=f"beta_h*S*H/{n}",
            ),
            gillespy2.Reaction(name="turn_ez", reactants={ez: 1}, products={z: 1}, rate="sigma"),
            gillespy2.Reaction(
                name="fight_zombie",
                reactants={s: 1, z: 1},
                products={s: 1, d: 1},
                propensity_function=f"alpha*S*Z/{n}",
            ),
            gillespy2.Reaction(
                name="fight_hybrid",
                reactants={s: 1, h: 1},
                products={s: 1, d: 1},
                propensity_function=f"alpha_h*S*H/{n}",
            ),
        ]
    )
    m.timespan(times)
    return m


def _peak_time(column: str) -> Callable[[Paths, FloatArray], FloatArray]:
    def peak(paths: Paths, times: FloatArray) -> FloatArray:
        return times[paths[column].argmax(axis=1)]

    peak.__doc__ = f"first grid time at which {column} is largest"
    return peak


def _half_life(paths: Paths, times: FloatArray) -> FloatArray:
    """first grid time with at most half the initial humans left"""
    s = paths["S"]
    return times[(s <= s[:, :1] / 2).argmax(axis=1)]


def _half_lost(paths: Paths) -> BoolArray:
    """More than half the initial humans lost by the last grid time."""
    s = paths["S"]
    return (s[:, 0] - s[:, -1]) > s[:, 0] / 2


def _no_humans_left(paths: Paths) -> BoolArray:
    """No humans left at the last grid time."""
    return paths["S"][:, -1] == 0


@dataclass(frozen=True)
class Case:
    """One model, its initial state, grid and the outcomes compared."""

    name: str
    params: dict[str, float]
    x0: dict[str, float]
    times: FloatArray
    build: Callable[[dict[str, float], dict[str, float], FloatArray], object]
    take_over: Callable[[Paths], BoolArray]  # which runs took over
    take_over_label: str
    final: str  # compartment whose count at the last grid time is the final size
    timing: Callable[[Paths, FloatArray], FloatArray]
    timing_label: str
    unit: str
    runs: int = 1000


CASES = (
    Case(
        name="sir",
        params={"beta": 0.3, "gamma": 0.1},
        x0={"S": 199, "I": 1, "R": 0},
        times=np.linspace(0.0, 250.0, 251),
        build=gillespy2_sir,
        take_over=_half_lost,
        take_over_label="more than half infected",
        final="R",
        timing=_peak_time("I"),
        timing_label="peak time of I",
        unit="day",
    ),
    Case(
        name="alemi",
        params={"beta": 1.0, "kappa": 0.8},
        x0={"S": 195, "Z": 5, "R": 0},
        times=np.linspace(0.0, 300.0, 301),
        build=gillespy2_alemi,
        take_over=_no_humans_left,
        take_over_label="no humans left",
        final="R",
        timing=_half_life,
        timing_label="humans' half-life",
        unit="day",
    ),
    Case(
        name="aouad",
        params={
            "beta": 1.5,
            "sigma": 6.0,
            "p_hybrid": 0.005,
            "beta_h": 0.02,
            "alpha": 0.3,
            "alpha_h": 0.005,
        },
        x0={"S": 199, "E": 1, "Ez": 0, "Z": 0, "H": 0, "D": 0},
        times=np.linspace(0.0, 48.0, 193),
        build=gillespy2_aouad,
        take_over=_half_lost,
        take_over_label="more than half the humans bitten",
        final="Z",
        timing=_peak_time("Z"),
        timing_label="peak time of Z",
        unit="hour",
    ),
)


def run_gillespy2(case: Case, runs: int, seed: int) -> Paths:
    """``runs`` trajectories of GillesPy2's NumPySSASolver on ``case``."""
    model = case.build(case.params, case.x0, case.times)
    results = model.run(  # type: ignore[attr-defined]
        solver=gillespy2.NumPySSASolver, number_of_trajectories=runs, seed=seed
    )
    trajectories = [results[i] for i in range(runs)]
    assert np.allclose(trajectories[0]["time"], case.times), "GillesPy2 changed the grid"
    return {c: np.array([tr[c] for tr in trajectories]) for c in case.x0}


def run_hyosan(case: Case, runs: int, seed: int) -> Paths:
    """``runs`` paths of hyosan's exact engine on ``case``."""
    model = builtin_model(case.name)
    x0 = np.array([case.x0[c] for c in model.compartments], dtype=np.float64)
    rng = np.random.default_rng(seed)
    out = sample_paths(model, case.params, x0, case.times, DirectSSA(), runs, rng)
    return {c: out[:, :, i] for i, c in enumerate(model.compartments)}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hyosan_ssa_matches_gillespy2(case: Case) -> None:
    """Take-over fraction, final size and a timing given take-over: hyosan = GillesPy2.

    Resolution (1000 runs each): take-over fractions near 0.7 differ by SE
    sqrt(2 * 0.7 * 0.3 / 1000) = 0.020, so the z-test detects 4.13 * 0.020 =
    0.085 with power 0.8. Given take-over (about 700 runs each), the KS test
    rejects ECDF gaps above 1.95 sqrt(2/700) = 0.10, and Welch's test detects
    a shift of 4.13 sd sqrt(2/700) = 0.22 sd of the mean with power 0.8 (SIR's
    final size: sd 5, so 1.1 people of 188, 0.6%).
    """
    hy = run_hyosan(case, case.runs, seed=17)
    gp = run_gillespy2(case, case.runs, seed=17)
    big_h, big_g = case.take_over(hy), case.take_over(gp)
    z, p = two_proportions(int(big_h.sum()), case.runs, int(big_g.sum()), case.runs)
    assert p > ALPHA, f"take-over {big_h.mean():.3f} (hyosan) vs {big_g.mean():.3f}, z = {z:.2f}"
    final = compare_samples(hy[case.final][big_h, -1], gp[case.final][big_g, -1], alpha=ALPHA)
    assert final.agree, f"final {case.final}: {final.describe()}"
    t_h = case.timing({c: a[big_h] for c, a in hy.items()}, case.times)
    t_g = case.timing({c: a[big_g] for c, a in gp.items()}, case.times)
    timing = compare_samples(t_h, t_g, alpha=ALPHA)
    assert timing.agree, f"{case.timing_label}: {timing.describe(case.unit)}"
