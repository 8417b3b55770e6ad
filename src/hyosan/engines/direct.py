"""Exact stochastic simulation, well mixed: Gillespie's direct method (``--engine ssa``).

Each event draws its waiting time and its reaction from the propensities,
and updates only the propensities that depend on what changed. The kernel is
written for each model (:mod:`hyosan.engines._codegen`) and falls back to the
generic one (``_kernels/direct.py``) for models of many reactions; both draw
the same path from the same random numbers. Cost per event: O(R), R the
number of reactions.

References
----------
.. [1] D. T. Gillespie, "Exact stochastic simulation of coupled chemical
   reactions", J. Phys. Chem. 81, 2340-2361 (1977).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hyosan.engines._codegen import generated_kernel
from hyosan.engines._kernels import ssa_direct_run
from hyosan.engines.base import Compiled, KernelStepper
from hyosan.engines.settings import ExactSettings
from hyosan.model import CompiledModel
from hyosan.model.characters import Tags

__all__ = ["DirectSSA"]


@dataclass(frozen=True, slots=True)
class DirectSSA(ExactSettings):
    """Every event, exactly, in one well-mixed population; settings of :class:`ExactSettings`."""

    in_space: ClassVar[bool] = False

    def prepare(self, model: Compiled, tags: Tags) -> KernelStepper:
        assert isinstance(model, CompiledModel)
        kernel = generated_kernel(model)
        if kernel is None:
            return KernelStepper(ssa_direct_run, self.budget, in_space=False)
        return KernelStepper(kernel, self.budget, False, rebuild=(self.prepare, model, tags))
