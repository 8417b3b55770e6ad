"""Adaptive tau-leaping in space (``--engine tau`` with a world).

The same method as :mod:`hyosan.engines.tau` over every patch's reaction and
movement channels at once: patches where counts are large leap (on their own
where no reaction couples them to their neighbours), patches where they are
small run exactly, and people move between patches by binomial splitting
(``hyosan.engines._kernels.spacetau`` writes the step out). A character's
own compartments hold 0 or 1, so they are never critical by count: with the
crowd's threshold its patch would always run exactly.

References
----------
.. [1] S. Lampoudi, D. T. Gillespie, L. R. Petzold, "The multinomial
   simulation algorithm for discrete stochastic simulation of
   reaction-diffusion systems", J. Chem. Phys. 130, 094104 (2009) (moves by
   splitting); the leaps are Cao, Gillespie & Petzold's (2006), see
   :mod:`hyosan.engines.tau`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from hyosan.engines._kernels import space_tau_run
from hyosan.engines.base import Compiled, KernelStepper
from hyosan.engines.settings import LeapSettings
from hyosan.model.characters import Tags
from hyosan.space import CompiledSpace

__all__ = ["SpatialTauLeap"]


@dataclass(frozen=True, slots=True)
class SpatialTauLeap(LeapSettings):
    """Tau-leaping over a world of patches; settings of :class:`LeapSettings`
    (``n_critical`` is 0 for a character's own compartments)."""

    in_space: ClassVar[bool] = True

    def prepare(self, model: Compiled, tags: Tags) -> KernelStepper:
        assert isinstance(model, CompiledSpace)
        critical = np.where(tags.tagged, 0.0, float(self.n_critical))
        tail = (self.eps, critical, self.n_ssa)
        return KernelStepper(space_tau_run, self.budget, in_space=True, tail=tail)
