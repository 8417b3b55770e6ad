"""Exact stochastic simulation in space: the next-subvolume method (``--engine ssa`` with a world).

Every patch has its reaction and movement channels; the patch whose next
event comes first fires, found in a heap of the patches' next times, and
only the patches an event touches draw again. Cost per event: O(log P) for
the heap plus the channels of the patches touched.

References
----------
.. [1] J. Elf, M. Ehrenberg, "Spontaneous separation of bi-stable biochemical
   systems into spatial domains of opposite phases", Syst. Biol. 1, 230-236
   (2004).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hyosan.engines._kernels import nsm_steps
from hyosan.engines.base import Compiled, KernelStepper
from hyosan.engines.settings import ExactSettings
from hyosan.model.characters import Tags
from hyosan.space import CompiledSpace

__all__ = ["NextSubvolume"]


@dataclass(frozen=True, slots=True)
class NextSubvolume(ExactSettings):
    """Every event, exactly, in a world of patches; settings of :class:`ExactSettings`."""

    in_space: ClassVar[bool] = True

    def prepare(self, model: Compiled, tags: Tags) -> KernelStepper:
        assert isinstance(model, CompiledSpace)
        return KernelStepper(nsm_steps, self.budget, in_space=True)
