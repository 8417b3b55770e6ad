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
        Events per kernel call; between calls the driver reports progress.
    """

    name: ClassVar[str] = "ssa"
    stochastic: ClassVar[bool] = True
    integer_counts: ClassVar[bool] = True
    budget: int = 5_000_000


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
        Events per kernel call.
    """

    name: ClassVar[str] = "tau"
    stochastic: ClassVar[bool] = True
    integer_counts: ClassVar[bool] = True
    eps: float = 0.03
    n_critical: int = 10
    n_ssa: float = 10.0
    budget: int = 50_000_000


@dataclass(frozen=True, slots=True)
class MeanFieldSettings(Engine):
    """The deterministic limit (``ode``): fractional counts allowed, one run.

    Parameters
    ----------
    rtol, atol
        Relative and absolute tolerances handed to :func:`scipy.integrate.solve_ivp`.
    """

    name: ClassVar[str] = "ode"
    stochastic: ClassVar[bool] = False
    integer_counts: ClassVar[bool] = False
    rtol: float = 1e-8
    atol: float = 1e-6
