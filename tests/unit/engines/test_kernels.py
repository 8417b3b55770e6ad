"""Kernels: each jitted function gives exactly what its pure-Python source gives."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.engines import Stops
from hyosan.engines._kernels import (
    REACHED,
    ode_rhs,
    propensities,
    select_tau,
    ssa_direct_run,
    tau_leap_run,
)
from hyosan.model import builtin_model, compile_model

TIMES = np.linspace(0.0, 10.0, 11)
OUT = 6  # position of the output array in the kernels' arguments


def _args(model: str, x0: list[float], cond: Stops | None = None) -> tuple:
    m = compile_model(builtin_model(model))
    c = cond or Stops.build([], m.compartments)
    out = np.zeros((len(TIMES), m.n_compartments))
    return (np.array(x0), 0.0, 10.0, m.arrays, c.mixed, TIMES, out, 0)


def _fresh(args: tuple) -> tuple:
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


@pytest.mark.parametrize(
    ("model", "x0"),
    [("sir", [990.0, 10.0, 0.0]), ("aouad", [999.0, 1.0, 0.0, 0.0, 0.0, 0.0])],
)
def test_ssa_direct_run_equals_py_func(model: str, x0: list[float]) -> None:
    """The compiled direct method and its Python source draw the same path from one seed."""
    a, b = _fresh(_args(model, x0)), _fresh(_args(model, x0))
    ra = ssa_direct_run(*a, 10_000_000, np.random.default_rng(7))
    rb = ssa_direct_run.py_func(*b, 10_000_000, np.random.default_rng(7))
    assert ra[0] == REACHED and ra == rb
    np.testing.assert_array_equal(a[OUT], b[OUT])
    np.testing.assert_array_equal(a[0], b[0])


def test_tau_leap_run_equals_py_func() -> None:
    """The compiled tau-leap and its Python source draw the same path from one seed."""
    x0 = [99_000.0, 1_000.0, 0.0]
    a, b = _fresh(_args("sir", x0)), _fresh(_args("sir", x0))
    ra = tau_leap_run(*a, 10**9, np.random.default_rng(3), 0.03, 10, 10.0)
    rb = tau_leap_run.py_func(*b, 10**9, np.random.default_rng(3), 0.03, 10, 10.0)
    assert ra[0] == REACHED and ra == rb
    np.testing.assert_array_equal(a[OUT], b[OUT])


def test_select_tau_and_propensities_equal_py_func() -> None:
    """The leap selection and the propensities match their Python sources."""
    m = compile_model(builtin_model("aouad"))
    x = np.array([800.0, 20.0, 3.0, 150.0, 2.0, 25.0])
    a1, a2 = np.empty(m.n_reactions), np.empty(m.n_reactions)
    assert propensities(x, m.k, m.law, m.r1, m.r2, m.in_n, True, a1) == pytest.approx(
        propensities.py_func(x, m.k, m.law, m.r1, m.r2, m.in_n, True, a2)
    )
    np.testing.assert_allclose(a1, a2, rtol=1e-15)
    crit = np.zeros(m.n_reactions, dtype=np.bool_)
    t1 = select_tau(x, a1, crit, m.stoich_f, m.r1, m.r2, m.law, 0.03)
    t2 = select_tau.py_func(x, a1, crit, m.stoich_f, m.r1, m.r2, m.law, 0.03)
    assert t1 == pytest.approx(t2, rel=1e-14) and 0 < t1 < np.inf


def test_ode_rhs_equals_py_func_and_conserves() -> None:
    """The ODE right-hand side matches its Python source and sums to zero for SIR."""
    m = compile_model(builtin_model("sir"))
    x = np.array([700.0, 200.0, 100.0])
    d1, d2 = np.empty(3), np.empty(3)
    ode_rhs(x, m.k, m.law, m.r1, m.r2, m.stoich_f, m.in_n, d1)
    ode_rhs.py_func(x, m.k, m.law, m.r1, m.r2, m.stoich_f, m.in_n, d2)
    np.testing.assert_allclose(d1, d2, rtol=1e-15)
    assert d1.sum() == pytest.approx(0.0, abs=1e-12)
    assert d1[0] == pytest.approx(-0.3 * 700 * 200 / 1000)


def test_frequency_propensity_matches_hand_computation() -> None:
    """k S Z / N with N the living compartments only (the dead are not counted)."""
    m = compile_model(builtin_model("aouad"), {"beta": 2.0})
    x = np.array([60.0, 0.0, 0.0, 20.0, 0.0, 1000.0])
    a = np.empty(m.n_reactions)
    propensities(x, m.k, m.law, m.r1, m.r2, m.in_n, True, a)
    assert a[m.reactions.index("bite")] == pytest.approx(2.0 * 60 * 20 / 80)


def test_direct_stops_on_condition() -> None:
    """A stop condition ends the call at the event that makes it true."""
    m = compile_model(builtin_model("sir"))
    from hyosan.interventions import Condition

    cond = Stops.build([Condition.parse("I > 20")], m.compartments)
    args = _args("sir", [990.0, 10.0, 0.0], cond)
    status, t, _i, _n, c = ssa_direct_run(*args, 10**7, np.random.default_rng(1))
    # I doubles in about 3.5 days (beta - gamma = 0.2 a day): it passes 20 within the 10
    assert status == 1 and c == 0 and args[0][1] == 21.0 and 0 < t < 10


def test_direct_steps_equals_py_func() -> None:
    """The inner loop of the direct method, compiled and as Python, draws the same events."""
    from hyosan.engines._kernels.direct import direct_steps

    m = compile_model(builtin_model("aouad"))
    cond = Stops.build([], m.compartments)
    results = []
    for fn in (direct_steps, direct_steps.py_func):
        x = np.array([999.0, 1.0, 0.0, 0.0, 0.0, 0.0])
        a = np.empty(m.n_reactions)
        propensities(x, m.k, m.law, m.r1, m.r2, m.in_n, True, a)
        out = np.zeros((len(TIMES), m.n_compartments))
        status = fn(
            x,
            0.0,
            10.0,
            m.arrays,
            cond.mixed,
            TIMES,
            out,
            0,
            10**7,
            a,
            np.random.default_rng(11),
        )
        results.append((status, x, out))
    (s1, x1, o1), (s2, x2, o2) = results
    assert s1 == s2 and s1[3] > 0
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(o1, o2)


def test_small_kernel_helpers_equal_py_func() -> None:
    """Critical-reaction marking, branch-free laws and condition checks match their sources."""
    from hyosan.engines._kernels.conditions import first_condition
    from hyosan.engines._kernels.direct import branch_free_laws
    from hyosan.engines._kernels.tauleap import critical_reactions
    from hyosan.interventions import Condition

    m = compile_model(builtin_model("aouad"))
    x = np.array([5.0, 20.0, 3.0, 150.0, 2.0, 25.0])
    a = np.empty(m.n_reactions)
    propensities(x, m.k, m.law, m.r1, m.r2, m.in_n, True, a)
    c1, c2 = np.empty(m.n_reactions, dtype=np.bool_), np.empty(m.n_reactions, dtype=np.bool_)
    critical_reactions(x, a, m.stoich_f, 10, c1)
    critical_reactions.py_func(x, a, m.stoich_f, 10, c2)
    np.testing.assert_array_equal(c1, c2)
    assert c1[m.reactions.index("bite")]  # only 5 humans left to bite: critical
    for got, want in zip(
        branch_free_laws(m.law, m.r1, m.r2, 6),
        branch_free_laws.py_func(m.law, m.r1, m.r2, 6),
        strict=True,
    ):
        np.testing.assert_array_equal(got, want)
    cond = Stops.build([Condition.parse("S < 1"), Condition.parse("Z + H > 100")], m.compartments)
    assert first_condition(x, *cond.mixed) == first_condition.py_func(x, *cond.mixed) == 1
