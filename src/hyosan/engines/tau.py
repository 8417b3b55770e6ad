"""Adaptive tau-leaping, well mixed (Cao, Gillespie & Petzold 2006; ``--engine tau``).

Each leap fires a Poisson number of every non-critical reaction over a step
``tau`` chosen so that no count's expected relative change exceeds ``eps``;
reactions that could exhaust a reactant are critical and fire at most once
per leap, as in the exact method. Where a leap would cover fewer than
``n_ssa`` expected events the kernel takes exact steps instead; a leap that
would make a count negative is halved and drawn again, so counts never go
below zero.

References
----------
.. [1] Y. Cao, D. T. Gillespie, L. R. Petzold, "Efficient step size selection
   for the tau-leaping simulation method", J. Chem. Phys. 124, 044109 (2006).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hyosan.engines._kernels import tau_leap_run
from hyosan.engines.base import Compiled, KernelStepper
from hyosan.engines.settings import LeapSettings
from hyosan.model import CompiledModel
from hyosan.model.characters import Tags

__all__ = ["TauLeap"]


@dataclass(frozen=True, slots=True)
class TauLeap(LeapSettings):
    """Tau-leaping in one well-mixed population; settings of :class:`LeapSettings`."""

    in_space: ClassVar[bool] = False

    def prepare(self, model: Compiled, tags: Tags) -> KernelStepper:
        assert isinstance(model, CompiledModel)
        tail = (self.eps, self.n_critical, self.n_ssa)
        return KernelStepper(tau_leap_run, self.budget, in_space=False, tail=tail)
