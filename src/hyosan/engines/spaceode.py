"""The deterministic mean-field limit in space (``--engine ode`` with a world).

The reaction-rate equations hold in every patch, with movement as flows
along the edges and coupled reactions shared with the neighbours as in
expectation (``_kernels/space.py``). They are integrated by an explicit
Runge-Kutta method (RK45): LSODA's stiff mode would form a dense Jacobian
over every patch. Stop conditions sum over their regions' patches.

References
----------
.. [1] J. R. Dormand, P. J. Prince, "A family of embedded Runge-Kutta
   formulae", J. Comput. Appl. Math. 6, 19-26 (1980).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from hyosan._typing import FloatArray
from hyosan.engines._kernels import space_ode_rhs
from hyosan.engines.base import Compiled
from hyosan.engines.ode import OdeStepper
from hyosan.engines.settings import MeanFieldSettings
from hyosan.model.characters import Tags
from hyosan.space import CompiledSpace

__all__ = ["SpatialODE"]

_space_rhs: Callable[..., Any] = space_ode_rhs  # numba's Dispatcher type knows no signature


@dataclass(frozen=True, slots=True)
class SpatialODE(MeanFieldSettings):
    """The ODE limit over a world of patches, by RK45; settings of :class:`MeanFieldSettings`."""

    in_space: ClassVar[bool] = True

    def prepare(self, model: Compiled, tags: Tags) -> OdeStepper:
        return OdeStepper(
            _spatial_rhs, "RK45", self.rtol, self.atol, dense=True, budget=self.max_evaluations
        )


def _spatial_rhs(model: Compiled) -> Callable[[float, FloatArray], FloatArray]:
    assert isinstance(model, CompiledSpace)
    arrays = model.arrays

    def rhs(_t: float, y: FloatArray) -> FloatArray:
        dydt = np.empty_like(y)
        _space_rhs(y, *arrays, dydt)
        return dydt

    return rhs
