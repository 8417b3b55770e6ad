"""Adaptive tau-leaping (Cao, Gillespie & Petzold 2006), well mixed.

References
----------
.. [1] Y. Cao, D. T. Gillespie, L. R. Petzold, "Efficient step size selection
   for the tau-leaping simulation method", J. Chem. Phys. 124, 044109 (2006).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from hyosan._typing import FloatArray
from hyosan.engines._kernels import space_tau_run, tau_leap_run
from hyosan.engines.base import Conditions, Engine, Step
from hyosan.model import CompiledModel
from hyosan.model.characters import TAG
from hyosan.space import CompiledSpace

_kernel: Callable[..., Any] = tau_leap_run  # numba's Dispatcher type does not know the signature
_space_kernel: Callable[..., Any] = space_tau_run

__all__ = ["TauLeap"]


class TauLeap(Engine):
    """Adaptive tau-leaping (``--engine tau``): Poisson leaps, exact steps where few events are due.

    In space the same method runs over every patch's channels at once
    (``hyosan.engines._kernels.spacetau``).

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

    def __init__(
        self,
        eps: float = 0.03,
        n_critical: int = 10,
        n_ssa: float = 10.0,
        budget: int = 50_000_000,
    ) -> None:
        self.eps = eps
        self.n_critical = n_critical
        self.n_ssa = n_ssa
        self.budget = budget

    def advance(
        self,
        x: FloatArray,
        t: float,
        t_stop: float,
        model: CompiledModel | CompiledSpace,
        conditions: Conditions,
        t_out: FloatArray,
        out: FloatArray,
        i_out: int,
        rng: np.random.Generator,
    ) -> Step:
        spatial = isinstance(model, CompiledSpace)
        kernel = _space_kernel if spatial else _kernel
        status, t_new, i_new, events, cond = kernel(
            x,
            t,
            t_stop,
            *model.kernel_arrays,
            *(conditions.space_arrays if spatial else conditions.arrays),
            t_out,
            out,
            i_out,
            self.budget,
            rng,
            self.eps,
            _critical(model.compartments, self.n_critical) if spatial else self.n_critical,
            self.n_ssa,
        )
        return Step(int(status), float(t_new), int(i_new), int(events), int(cond))


def _critical(compartments: tuple[str, ...], n_critical: int) -> FloatArray:
    """``n_critical`` per compartment; 0 for a character's own (tagged) compartments.

    A character's count is 0 or 1, so with the same threshold as the crowd
    its patch would always run exactly; see ``hyosan.engines._kernels.spacetau``.
    """
    return np.array([0.0 if TAG in c else float(n_critical) for c in compartments])
