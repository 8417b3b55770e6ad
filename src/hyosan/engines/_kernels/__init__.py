"""Numba kernels: arrays in, arrays out, an explicit Generator, a status code back.

Kernels import only numpy, numba (its ``njit`` through ``_jit``, which decides
where they cache) and math. They never allocate outputs the caller can see,
never print, and never touch global random state.
"""

from hyosan.engines._kernels.direct import ssa_direct_run
from hyosan.engines._kernels.nsm import nsm_steps
from hyosan.engines._kernels.propensity import ode_rhs, propensities
from hyosan.engines._kernels.space import space_ode_rhs
from hyosan.engines._kernels.spacetau import space_tau_run
from hyosan.engines._kernels.status import BUDGET, CONDITION, REACHED
from hyosan.engines._kernels.tauleap import select_tau, tau_leap_run

__all__ = [
    "BUDGET",
    "CONDITION",
    "REACHED",
    "nsm_steps",
    "ode_rhs",
    "propensities",
    "select_tau",
    "space_ode_rhs",
    "space_tau_run",
    "ssa_direct_run",
    "tau_leap_run",
]
