"""The mean-field limit, well mixed: the reaction-rate equations by LSODA (``--engine ode``).

``dx/dt = sum_j v_j a_j(x)`` with the same rate laws as the stochastic
engines (mass action uses ``X * Y`` rather than ``X * (X - 1)``), integrated
by SciPy's LSODA, which switches between non-stiff and stiff methods by
itself. Stop conditions become SciPy events, located to the solver's
tolerance. :class:`OdeStepper` serves this engine and its counterpart in
space (:mod:`hyosan.engines.spaceode`).

References
----------
.. [1] L. Petzold, "Automatic selection of methods for solving stiff and
   nonstiff systems of ordinary differential equations", SIAM J. Sci. Stat.
   Comput. 4, 136-148 (1983).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from hyosan._typing import FloatArray
from hyosan.engines._kernels import ode_rhs
from hyosan.engines.base import Compiled, Output, Rng, Span, Stepper
from hyosan.engines.settings import MeanFieldSettings
from hyosan.engines.status import Status, Step
from hyosan.engines.stops import Stops
from hyosan.interventions import Op
from hyosan.model import CompiledModel
from hyosan.model.characters import Tags

__all__ = ["OdeEngine", "OdeStepper"]

Rhs = Callable[[Compiled], Callable[[float, FloatArray], FloatArray]]
"""Makes SciPy's right-hand side ``f(t, y)`` from a compiled model's current arrays."""


@dataclass(frozen=True, slots=True)
class OdeEngine(MeanFieldSettings):
    """The ODE limit, well mixed, by LSODA; settings of :class:`MeanFieldSettings`."""

    in_space: ClassVar[bool] = False

    def prepare(self, model: Compiled, tags: Tags) -> OdeStepper:
        return OdeStepper(
            _well_mixed_rhs, "LSODA", self.rtol, self.atol, dense=False, budget=self.max_evaluations
        )


def _well_mixed_rhs(model: Compiled) -> Callable[[float, FloatArray], FloatArray]:
    assert isinstance(model, CompiledModel)
    m = model

    def rhs(_t: float, y: FloatArray) -> FloatArray:
        dydt = np.empty_like(y)
        ode_rhs(y, m.k, m.law, m.r1, m.r2, m.stoich_f, m.in_n, dydt)
        return dydt

    return rhs


@dataclass(frozen=True, slots=True)
class OdeStepper(Stepper):
    """SciPy's ``solve_ivp`` over one segment, stopping at the first condition that holds.

    ``dense``: conditions sum over their regions' patches (the state is ``P * C``).
    ``budget``: the evaluations of the right-hand side the segment may take;
    past it the step ends with :attr:`Status.RUNAWAY` (a model that explodes
    makes the solver's steps ever smaller, and it would not end).
    """

    rhs: Rhs
    method: str
    rtol: float
    atol: float
    dense: bool
    budget: int = 250_000

    def advance(
        self, x: FloatArray, span: Span, model: Compiled, stops: Stops, output: Output, rng: Rng
    ) -> Step:
        from scipy.integrate import solve_ivp  # here, so ssa and tau runs start faster

        t, t_stop, i_out = span

        grid = output.times[i_out:]
        t_eval = np.append(grid[(grid >= t) & (grid < t_stop)], t_stop)
        weights = stops.dense() if self.dense else stops.weights
        rhs = _budgeted(self.rhs(model), self.budget)
        try:
            sol = solve_ivp(
                rhs,
                (t, t_stop),
                x,
                method=self.method,
                t_eval=t_eval,
                rtol=self.rtol,
                atol=self.atol,
                events=_events(weights, stops),
            )
        except _OverBudget as over:
            x[:] = np.where(np.isfinite(over.y), over.y, x)
            return Step(Status.RUNAWAY, over.t, i_out, 0, detail=f"{self.budget:,} evaluations")
        if sol.status < 0:
            # where it failed: sol.t holds only the grid times reached, so solve again
            # without a grid (a rare path, kept off the right-hand side's hot path)
            again = solve_ivp(
                self.rhs(model), (t, t_stop), x, method=self.method, rtol=self.rtol, atol=self.atol
            )
            return Step(Status.FAILED, float(again.t[-1]), i_out, 0, detail=str(sol.message))
        stopped = sol.status == 1
        c = _fired(sol) if stopped else -1
        t_end = float(sol.t_events[c][0]) if stopped else t_stop
        # SciPy gives lists, not arrays, when an event stops it before the first t_eval
        sol_t = np.asarray(sol.t, dtype=np.float64)
        sol_y = np.asarray(sol.y, dtype=np.float64).reshape(len(x), len(sol_t))
        keep = np.flatnonzero(sol_t < t_end)
        out = output.values
        out[i_out : i_out + len(keep)] = np.maximum(sol_y[:, keep].T, 0.0)
        if len(keep) and sol_t[keep[0]] == t:
            out[i_out] = x  # the state at the segment's start, exactly, not interpolated
        if stopped:
            x[:] = np.maximum(sol.y_events[c][0], 0.0)
            return Step(Status.CONDITION, t_end, i_out + len(keep), 0, c)
        x[:] = np.maximum(sol.y[:, -1], 0.0)
        return Step(Status.REACHED, t_stop, i_out + len(keep), 0)


class _OverBudget(Exception):
    """Raised from the right-hand side when the segment's budget is spent."""

    def __init__(self, t: float, y: FloatArray) -> None:
        super().__init__(t)
        self.t, self.y = t, np.array(y, dtype=np.float64)


def _budgeted(
    rhs: Callable[[float, FloatArray], FloatArray], budget: int
) -> Callable[[float, FloatArray], FloatArray]:
    """``rhs`` that raises :class:`_OverBudget` at its ``budget + 1``-th call."""
    left = [budget]

    def counted(t: float, y: FloatArray) -> FloatArray:
        left[0] -= 1
        if left[0] < 0:
            raise _OverBudget(t, y)
        return rhs(t, y)

    return counted


def _fired(sol: Any) -> int:
    return next(c for c, te in enumerate(sol.t_events) if len(te))


def _events(weights: FloatArray, stops: Stops) -> list[Callable[..., float]]:
    """One terminal SciPy event per stop condition: ``w @ y - threshold`` crossing zero
    upwards for ``>`` and ``>=``, downwards for ``<`` and ``<=``."""
    events: list[Callable[..., float]] = []
    for c in range(len(stops)):
        w, thr, op = weights[c], float(stops.thresholds[c]), Op(int(stops.ops[c]))

        def event(_t: float, y: FloatArray, w: FloatArray = w, thr: float = thr) -> float:
            return float(w @ y - thr)

        event.terminal = True  # type: ignore[attr-defined]
        event.direction = 1.0 if op.rising else -1.0  # type: ignore[attr-defined]
        events.append(event)
    return events
