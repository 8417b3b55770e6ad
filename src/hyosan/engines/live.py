"""A run advanced by its caller, a piece at a time, with actions applied between pieces.

:func:`~hyosan.engines.driver.run_plan` runs a path from start to end in one
call. The browser viewer (:mod:`hyosan.viz.web`) needs the same run in
pieces: advance a little, show the state, take what the user did (a slider
moved, zombies dropped on a room, a cordon drawn) and go on from there. A
:class:`LiveRun` is that run. Between two calls of :meth:`LiveRun.advance` the
caller may :meth:`~LiveRun.act`: an action applies at once, as an
intervention firing at that moment would (a
:class:`~hyosan.interventions.SetParameters` is how a changed parameter takes
effect from now on).

Each :meth:`~LiveRun.advance` goes through the same steps as the driver: the
scenario's own interventions fire when due and when their conditions hold,
the stepper advances segment by segment, and a run over its event budget
raises :class:`~hyosan.errors.RunawayError`. The path is a path of the
model, but not the very path :func:`run_plan` draws from the same seed: an
exact engine that stops at a piece's end draws again from there.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hyosan._typing import FloatArray
from hyosan.engines.base import Output, Span
from hyosan.engines.driver import RunInterventions
from hyosan.engines.plan import Plan
from hyosan.engines.runaway import runaway
from hyosan.engines.status import Status
from hyosan.errors import EngineError, RunawayError
from hyosan.interventions import Action, BinomialDraws, Draws, ExactDraws, RunSeed

__all__ = ["LiveRun"]

_LIVE_KEY = 1 << 64
"""Where the streams of the caller's actions start: past every key of the scenario's own
interventions (64-bit hashes: :func:`~hyosan.interventions.stream_keys`)."""


class LiveRun:
    """One run of ``plan`` from ``x0``, advanced by :meth:`advance`, changed by :meth:`act`.

    ``times`` is the output grid: :attr:`kept` holds the state at each grid
    time passed so far (as float32 rows of ``P * C`` counts), for the files
    of the run. The run ends at ``times[-1]``.
    """

    def __init__(
        self,
        plan: Plan,
        x0: FloatArray,
        times: FloatArray,
        seed: np.random.SeedSequence,
        *,
        max_events: int | None = None,
    ) -> None:
        self.plan = plan
        self.times = np.asarray(times, dtype=np.float64)
        self.t_end = float(self.times[-1])
        self.x = np.array(x0, dtype=np.float64).ravel()
        self.rng = np.random.Generator(np.random.PCG64(seed))
        self._seed = RunSeed(seed)
        self.run = RunInterventions(plan, self.x, plan.draws(self.rng, seed), None, self.t_end)
        self.t, self.events, self.max_events = 0.0, 0, max_events
        self.kept = np.empty((len(self.times), self.x.size), dtype=np.float32)
        self.n_kept = 0
        self._acts = 0
        self.run.fire_due(0.0)

    @property
    def finished(self) -> bool:
        return self.t >= self.t_end

    @property
    def values(self) -> dict[str, float]:
        """Every parameter's value now."""
        return self.run.state.values

    def counts(self) -> FloatArray:
        """The counts now, patches by compartments (a view: do not change it)."""
        return self.run.state.X

    def totals(self) -> FloatArray:
        """Each compartment's total over the patches now."""
        return self.run.state.X.sum(axis=0)

    def act(self, actions: Sequence[Action]) -> None:
        """Apply ``actions`` now, as an intervention firing at this moment would."""
        self._acts += 1
        self.run.act(actions, self._draws())
        self.run.fire_due(self.t)  # a condition the action made true fires now

    def advance(self, t_to: float, looks: int = 0) -> list[tuple[float, FloatArray]]:
        """Advance to ``t_to`` (at most the end), firing the scenario's interventions on the way.

        Returns the state at ``looks`` times evenly spaced inside the piece (before
        ``t_to``), as ``(t, counts)`` with float32 counts ``(P, C)``: a viewer shows
        them in turn while the next piece runs.
        """
        t_to = min(float(t_to), self.t_end)
        first = int(np.searchsorted(self.times, self.t, side="left"))
        first = max(first, self.n_kept)
        last = int(np.searchsorted(self.times, t_to, side="left"))
        if t_to >= self.t_end:
            last = len(self.times) - 1
        seen = self.t + (t_to - self.t) * np.arange(1, looks + 1) / (looks + 1)
        seen = seen[~np.isin(seen, self.times)]  # a time on the grid once (solvers want so)
        wanted = np.concatenate([self.times[first:last], seen])
        order = np.argsort(wanted, kind="stable")
        grid = Output.empty(wanted[order], self.x.size)
        i_out = self._run_to(t_to, grid)
        rows = np.empty_like(grid.values)
        rows[order] = grid.values  # back in the order asked: the grid's rows, then the looks
        n_grid = last - first
        done = np.zeros(len(wanted), dtype=bool)
        done[order[:i_out]] = True
        self._keep(rows[:n_grid][done[:n_grid]], first)
        shape = self.run.state.X.shape
        return [
            (float(t), rows[n_grid + k].reshape(shape).astype(np.float32))
            for k, t in enumerate(seen)
            if done[n_grid + k]
        ]

    def _run_to(self, t_to: float, grid: Output) -> int:
        """The driver's loop from now to ``t_to``, filling ``grid``; returns the rows filled."""
        i_out, run, plan = 0, self.run, self.plan
        while self.t < t_to:
            t_stop = min(run.next_stop(self.t_end), t_to)
            span = Span(self.t, t_stop, i_out)
            step = plan.stepper.advance(self.x, span, run.compiled, run.stops(), grid, self.rng)
            self.t, i_out, self.events = step.t, step.i_out, self.events + step.events
            self._check(step.status)
            if step.status is Status.CONDITION:
                run.fire_waiting(step.condition, self.t)
            elif step.status is Status.REACHED:
                self.t = t_stop
            run.fire_due(self.t)
        return i_out

    def _keep(self, rows: FloatArray, first: int) -> None:
        self.kept[first : first + len(rows)] = rows
        self.n_kept = first + len(rows)
        if self.n_kept < len(self.times) and self.times[self.n_kept] <= self.t:
            self.kept[self.n_kept] = self.x  # a piece that ends on a grid time: its state now
            self.n_kept += 1
        if self.finished and self.n_kept < len(self.times):
            self.kept[self.n_kept :] = self.x
            self.n_kept = len(self.times)

    def _check(self, status: Status) -> None:
        over = self.max_events is not None and self.events > self.max_events
        if status is Status.RUNAWAY or over:
            plan, spent = self.plan, f"{self.events:,} events, more than {self.max_events:,}"
            what = "a slower speed or other parameters"
            error: RunawayError = runaway(plan.model, self.values, self.x, self.t, spent, what)
            raise error
        if status.failed:
            raise EngineError(status.explain(self.plan.engine.name, self.t))

    def _draws(self) -> Draws:
        if not self.plan.engine.stochastic:
            return ExactDraws()
        return BinomialDraws(self._seed, _LIVE_KEY + self._acts)
