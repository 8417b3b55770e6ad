"""Propensities and the ODE right-hand side (``_kernels/propensity.py``): jitted equals
``py_func`` to the bit, on every built-in model.

``test_kernels.py`` compares ``propensities`` and ``ode_rhs`` to a relative
1e-15 on one model each; here they are held to the bit on all of them, and
``propensity`` (inlined into its callers) on its own.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.random import PCG64, Generator

from hyosan.engines._kernels.propensity import ode_rhs, propensities, propensity
from hyosan.model import BUILTIN_MODELS, CompiledModel, builtin_model, compile_model


def _states(cm: CompiledModel, seed: int) -> list[np.ndarray]:
    """Whole counts (some 0 and 1, where ``X (X - 1)`` matters), fractional ones, a dead world."""
    rng = Generator(PCG64(seed))
    nc = cm.n_compartments
    whole = rng.integers(0, 400, size=nc).astype(float)
    whole[rng.integers(nc)] = 1.0
    return [whole, rng.uniform(0.0, 400.0, size=nc), np.zeros(nc)]


@pytest.mark.parametrize("name", sorted(BUILTIN_MODELS))
def test_propensity_equals_py_func(name: str) -> None:
    """Each reaction's propensity, exact and not, compiled and as Python; some are positive."""
    cm = compile_model(builtin_model(name))
    positive = 0
    for x in _states(cm, 1):
        n_total = float(cm.in_n @ x)
        for exact in (True, False):
            for j in range(cm.n_reactions):
                args = (j, x, n_total, cm.k, cm.law, cm.r1, cm.r2, exact)
                got = propensity(*args)
                assert got == propensity.py_func(*args)
                positive += got > 0.0
    assert positive > 0


@pytest.mark.parametrize("name", sorted(BUILTIN_MODELS))
def test_propensities_equal_py_func_to_the_bit(name: str) -> None:
    """Every reaction's propensity and their sum, exact and not, compiled and as Python."""
    cm = compile_model(builtin_model(name))
    for x in _states(cm, 2):
        for exact in (True, False):
            a1, a2 = np.full(cm.n_reactions, np.nan), np.full(cm.n_reactions, np.nan)
            s1 = propensities(x, cm.k, cm.law, cm.r1, cm.r2, cm.in_n, exact, a1)
            s2 = propensities.py_func(x, cm.k, cm.law, cm.r1, cm.r2, cm.in_n, exact, a2)
            assert s1 == s2
            np.testing.assert_array_equal(a1, a2)


@pytest.mark.parametrize("name", sorted(BUILTIN_MODELS))
def test_ode_rhs_equals_py_func_to_the_bit(name: str) -> None:
    """The ODE right-hand side, compiled and as Python, also where counts are negative (read
    as 0)."""
    cm = compile_model(builtin_model(name))
    for x in [*_states(cm, 3), np.linspace(-5.0, 300.0, cm.n_compartments)]:
        d1, d2 = np.full_like(x, np.nan), np.full_like(x, np.nan)
        ode_rhs(x, cm.k, cm.law, cm.r1, cm.r2, cm.stoich_f, cm.in_n, d1)
        ode_rhs.py_func(x, cm.k, cm.law, cm.r1, cm.r2, cm.stoich_f, cm.in_n, d2)
        np.testing.assert_array_equal(d1, d2)
