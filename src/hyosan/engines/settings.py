"""What each family of engines is called and takes: the same well mixed and in space.

A user names a family (``ssa``, ``tau``, ``ode``); its algorithm well mixed
and its algorithm in space take the same settings, declared once here as an
abstract base that the two final engines extend (see :mod:`.choose`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hyosan.engines.base import Engine

__all__ = ["ExactSettings", "LeapSettings", "MeanFieldSettings"]


@dataclass(frozen=True, slots=True)
class ExactSettings(Engine):
    """Every event, exactly (``ssa``).

    Parameters
    ----------
    budget
        Events per kernel call; between calls the driver reports progress, checks
        the run's event budget and lets Ctrl-C through. 100,000 events take at
        most about 0.6 s (next-subvolume in season 1's city, 6 us an event).
    """

    name: ClassVar[str] = "ssa"
    stochastic: ClassVar[bool] = True
    integer_counts: ClassVar[bool] = True
    budget: int = 100_000


@dataclass(frozen=True, slots=True)
class LeapSettings(Engine):
    """Poisson leaps where many events are due, exact steps where few are (``tau``).

    Parameters
    ----------
    eps
        Bound on the expected relative change of a count in one leap (0.03).
    n_critical
        Reactions that could exhaust a reactant in fewer firings are critical (10).
    n_ssa
        Leap only when a leap covers more than this many expected events (10).
    budget
        Events per kernel call: 500,000 take at most about 0.6 s (season 1's
        city, where most steps are exact). A leap is never cut, so a call
        ends after the leap that reaches the budget.
    """

    name: ClassVar[str] = "tau"
    stochastic: ClassVar[bool] = True
    integer_counts: ClassVar[bool] = True
    eps: float = 0.03
    n_critical: int = 10
    n_ssa: float = 10.0
    budget: int = 500_000


@dataclass(frozen=True, slots=True)
class MeanFieldSettings(Engine):
    """The deterministic limit (``ode``): fractional counts allowed, one run.

    Parameters
    ----------
    rtol, atol
        Relative and absolute tolerances handed to :func:`scipy.integrate.solve_ivp`.
    max_evaluations
        Evaluations of the right-hand side one segment may take before the run
        is called a runaway (:mod:`hyosan.engines.runaway`); the built-in
        scenarios take at most about 52,000 (season 2); 250,000 take LSODA
        about 15 s on a model that explodes.
    """

    name: ClassVar[str] = "ode"
    stochastic: ClassVar[bool] = False
    integer_counts: ClassVar[bool] = False
    rtol: float = 1e-8
    atol: float = 1e-6
    max_evaluations: int = 250_000
