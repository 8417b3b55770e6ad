"""Deterministic mean-field solution: the reaction-rate equations, solved by SciPy.

In space the equations hold per patch, with movement as flows along edges;
they are integrated by an explicit Runge-Kutta method (RK45), as LSODA's
stiff mode would form a dense Jacobian over every patch.

``dx/dt = sum_j v_j a_j(x)`` with the same rate laws as the stochastic
engines (mass action uses ``X * Y`` rather than ``X * (X - 1)``), integrated by
LSODA, which switches between non-stiff and stiff methods by itself.
Stop conditions become SciPy events, located to the solver's tolerance.

References
----------
.. [1] L. Petzold, "Automatic selection of methods for solving stiff and
   nonstiff systems of ordinary differential equations", SIAM J. Sci. Stat.
   Comput. 4, 136-148 (1983).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from hyosan._typing import FloatArray
from hyosan.engines._kernels import CONDITION, REACHED, ode_rhs, space_ode_rhs
from hyosan.engines.base import Conditions, Engine, Step
from hyosan.errors import EngineError
from hyosan.model import CompiledModel
from hyosan.space import CompiledSpace

__all__ = ["OdeEngine"]

_space_rhs: Callable[..., Any] = (
    space_ode_rhs  # numba's Dispatcher type does not know the signature
)


class OdeEngine(Engine):
    """The ODE limit (``--engine ode``): deterministic, fractional counts allowed.

    Parameters
    ----------
    rtol, atol
        Relative and absolute tolerances handed to :func:`scipy.integrate.solve_ivp`.
    """

    name: ClassVar[str] = "ode"
    stochastic: ClassVar[bool] = False
    integer_counts: ClassVar[bool] = False

    def __init__(self, rtol: float = 1e-8, atol: float = 1e-6) -> None:
        self.rtol = rtol
        self.atol = atol

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
        from scipy.integrate import solve_ivp  # here, so ssa and tau runs start faster

        rhs = _rhs(model)
        spatial = isinstance(model, CompiledSpace)
        if spatial:  # conditions sum over their regions' patches
            conditions = Conditions(
                conditions.dense(), conditions.ops, conditions.thresholds, conditions.masks
            )

        grid = t_out[i_out:]
        t_eval = np.append(grid[(grid >= t) & (grid < t_stop)], t_stop)
        sol = solve_ivp(
            rhs,
            (t, t_stop),
            x,
            method="RK45" if spatial else "LSODA",
            t_eval=t_eval,
            rtol=self.rtol,
            atol=self.atol,
            events=_events(conditions),
        )
        if sol.status < 0:
            raise EngineError(f"the ODE solver failed at t = {sol.t[-1]:g}: {sol.message}")
        stopped = sol.status == 1
        c = _fired(sol) if stopped else -1
        t_end = float(sol.t_events[c][0]) if stopped else t_stop
        # SciPy gives lists, not arrays, when an event stops it before the first t_eval
        sol_t = np.asarray(sol.t, dtype=np.float64)
        sol_y = np.asarray(sol.y, dtype=np.float64).reshape(len(x), len(sol_t))
        keep = np.flatnonzero(sol_t < t_end)
        out[i_out : i_out + len(keep)] = np.maximum(sol_y[:, keep].T, 0.0)
        if len(keep) and sol_t[keep[0]] == t:
            out[i_out] = x  # the state at the segment's start, exactly, not interpolated
        if stopped:
            x[:] = np.maximum(sol.y_events[c][0], 0.0)
            return Step(CONDITION, t_end, i_out + len(keep), 0, c)
        x[:] = np.maximum(sol.y[:, -1], 0.0)
        return Step(REACHED, t_stop, i_out + len(keep), 0)


def _rhs(model: CompiledModel | CompiledSpace) -> Callable[[float, FloatArray], FloatArray]:
    """The right-hand side ``dx/dt`` for SciPy, well mixed or in space."""
    if isinstance(model, CompiledSpace):
        arrays = model.kernel_arrays

        def rhs_space(_t: float, y: FloatArray) -> FloatArray:
            dydt = np.empty_like(y)
            _space_rhs(y, *arrays, dydt)
            return dydt

        return rhs_space
    m = model

    def rhs(_t: float, y: FloatArray) -> FloatArray:
        dydt = np.empty_like(y)
        ode_rhs(y, m.k, m.law, m.r1, m.r2, m.stoich_f, m.in_n, dydt)
        return dydt

    return rhs


def _fired(sol: object) -> int:
    events = sol.t_events  # type: ignore[attr-defined]
    return next(c for c, te in enumerate(events) if len(te))


def _events(conditions: Conditions) -> list[Callable[..., float]]:
    events: list[Callable[..., float]] = []
    for c in range(len(conditions)):
        w, thr, op = conditions.weights[c], conditions.thresholds[c], conditions.ops[c]

        def event(_t: float, y: FloatArray, w: FloatArray = w, thr: float = thr) -> float:
            return float(w @ y - thr)

        event.terminal = True  # type: ignore[attr-defined]
        event.direction = 1.0 if op >= 2 else -1.0  # type: ignore[attr-defined]
        events.append(event)
    return events
