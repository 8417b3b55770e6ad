"""Exact and closed-form results the engines are checked against.

- :mod:`hyosan.analytic.alemi`: Alemi et al.'s fully connected SZR model, its
  ODE in closed form and the exact takeover probability.
- :mod:`hyosan.analytic.classic`: the Kermack-McKendrick final size, the exact
  SIR final-size distribution, pure death and immigration-death.
- :mod:`hyosan.analytic.munz`: Munz et al.'s models: equilibria, Jacobians,
  ``R0``, the exact quarantine jump chain, the cure equilibrium. Its names are
  model-specific, so they are used as ``hyosan.analytic.munz.<name>``.

The names of ``alemi`` and ``classic`` are importable from here.
"""

from __future__ import annotations

from hyosan.analytic import alemi, classic, munz
from hyosan.analytic.alemi import *  # noqa: F403
from hyosan.analytic.classic import *  # noqa: F403

__all__ = ["munz"]
__all__ += alemi.__all__
__all__ += classic.__all__
