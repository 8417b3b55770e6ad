"""Numba kernels: arrays in, arrays out, an explicit Generator, a status code back.

Kernels import only numpy, numba and math. They never allocate outputs the
caller can see, never print, and never touch global random state.
"""

from hyosan.engines._kernels.direct import ssa_direct_run
from hyosan.engines._kernels.propensity import ode_rhs, propensities
from hyosan.engines._kernels.status import BUDGET, CONDITION, NEGATIVE, REACHED
from hyosan.engines._kernels.tauleap import select_tau, tau_leap_run

__all__ = [
    "BUDGET",
    "CONDITION",
    "NEGATIVE",
    "REACHED",
    "ode_rhs",
    "propensities",
    "select_tau",
    "ssa_direct_run",
    "tau_leap_run",
]
