"""Exact and closed-form results the engines are checked against.

- :mod:`hyosan.analytic.alemi`: Alemi et al.'s fully connected SZR model, its
  ODE in closed form and the exact takeover probability.
- :mod:`hyosan.analytic.classic`: the Kermack-McKendrick final size, the exact
  SIR final-size distribution, pure death and immigration-death.
"""

from __future__ import annotations

from hyosan.analytic.alemi import (
    szr_ode_solution,
    takeover_probability,
    takeover_probability_limit,
)
from hyosan.analytic.classic import (
    DEATH,
    IMMIGRATION_DEATH,
    immigration_death_pmf,
    km_final_size,
    pooled_chi_square,
    pure_death_pmf,
    sir_final_size_by_linear_algebra,
    sir_final_size_distribution,
)

__all__ = [
    "DEATH",
    "IMMIGRATION_DEATH",
    "immigration_death_pmf",
    "km_final_size",
    "pooled_chi_square",
    "pure_death_pmf",
    "sir_final_size_by_linear_algebra",
    "sir_final_size_distribution",
    "szr_ode_solution",
    "takeover_probability",
    "takeover_probability_limit",
]

# Munz et al. (2009): equilibria, Jacobians, R0, the exact quarantine jump chain, the cure
# equilibrium; used as ``hyosan.analytic.munz.<name>`` (its names are model-specific).
from hyosan.analytic import munz

__all__ += ["munz"]
