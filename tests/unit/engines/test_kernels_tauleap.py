"""Well-mixed tau-leaping's step selection (``_kernels/tauleap.py``): jitted equals ``py_func``
to the bit, on every built-in model.

``tau_leap_run`` is checked in ``test_kernels.py``, ``critical_reactions`` there
on one state and ``select_tau`` to a relative 1e-14; here both are held to the
bit over many states of every built-in model.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.random import PCG64, Generator

from hyosan.engines._kernels.propensity import propensities
from hyosan.engines._kernels.tauleap import critical_reactions, select_tau
from hyosan.model import BUILTIN_MODELS, builtin_model, compile_model


@pytest.mark.parametrize("name", sorted(BUILTIN_MODELS))
def test_critical_reactions_and_select_tau_equal_py_func(name: str) -> None:
    """For 50 states from a handful of people to thousands, the critical reactions and the
    leap, compiled and as Python; some states have critical reactions, some leaps are finite."""
    cm = compile_model(builtin_model(name))
    rng = Generator(PCG64(6))
    n_crit = finite = 0
    for _ in range(50):
        x = rng.integers(0, 10 ** rng.integers(1, 5), size=cm.n_compartments).astype(float)
        a = np.empty(cm.n_reactions)
        propensities(x, cm.k, cm.law, cm.r1, cm.r2, cm.in_n, True, a)
        c1, c2 = np.ones(cm.n_reactions, np.bool_), np.ones(cm.n_reactions, np.bool_)
        critical_reactions(x, a, cm.stoich_f, 10, c1)
        critical_reactions.py_func(x, a, cm.stoich_f, 10, c2)
        np.testing.assert_array_equal(c1, c2)
        for crit in (c1, np.zeros(cm.n_reactions, np.bool_)):
            args = (x, a, crit, cm.stoich_f, cm.r1, cm.r2, cm.law, 0.03)
            tau = select_tau(*args)
            assert tau == select_tau.py_func(*args)
            finite += tau < np.inf
        n_crit += c1.any()
    assert n_crit > 0 and finite > 0
