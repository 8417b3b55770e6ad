"""Exact stochastic simulation: Gillespie's direct method, and in space the next-subvolume method.

References
----------
.. [1] D. T. Gillespie, "Exact stochastic simulation of coupled chemical
   reactions", J. Phys. Chem. 81, 2340-2361 (1977).
.. [2] J. Elf, M. Ehrenberg, "Spontaneous separation of bi-stable biochemical
   systems into spatial domains of opposite phases", Syst. Biol. 1, 230-236
   (2004).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from hyosan._typing import FloatArray
from hyosan.engines._codegen import generated_kernel
from hyosan.engines._kernels import nsm_steps, ssa_direct_run
from hyosan.engines.base import Conditions, Engine, Step
from hyosan.model import CompiledModel
from hyosan.space import CompiledSpace

_kernel: Callable[..., Any] = ssa_direct_run  # numba's Dispatcher type does not know the signature
_space_kernel: Callable[..., Any] = nsm_steps

__all__ = ["DirectSSA"]


class DirectSSA(Engine):
    """Every event, exactly (``--engine ssa``): the direct method, or next-subvolume in space.

    Parameters
    ----------
    budget
        Events per kernel call; between calls the driver reports progress.
    """

    name: ClassVar[str] = "ssa"
    stochastic: ClassVar[bool] = True
    integer_counts: ClassVar[bool] = True

    def __init__(self, budget: int = 5_000_000) -> None:
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
        kernel = _space_kernel if spatial else _well_mixed(model)  # type: ignore[arg-type]
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
        )
        return Step(int(status), float(t_new), int(i_new), int(events), int(cond))


def _well_mixed(model: CompiledModel) -> Callable[..., Any]:
    """The model's generated kernel (see ``hyosan.engines._codegen``), else the generic one."""
    return generated_kernel(model) or _kernel
