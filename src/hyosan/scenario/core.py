"""The :class:`Scenario`: a validated, frozen description of one study.

A scenario holds everything needed to reproduce a run: the model, complete
parameter values and initial counts, interventions, the output time grid, the
engine, the number of runs and the seed. :mod:`hyosan.scenario.load` builds
one from TOML; :mod:`hyosan.scenario.dump` writes one back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from hyosan._checks import check_number, check_whole
from hyosan._typing import FloatArray
from hyosan.errors import InputError, unknown
from hyosan.interventions import Intervention
from hyosan.model import Model
from hyosan.model.core import resolve_parameters
from hyosan.scenario.characters import Character, Milestone, check_cast
from hyosan.scenario.sizes import MAX_POINTS, MAX_RUNS
from hyosan.space import WorldSetup

__all__ = ["ENGINES", "Scenario", "TimeGrid"]

MIN_END = 1e-6
"""The earliest ``time.end``, in any unit (1e-6 days is 0.09 s)."""


ENGINES = ("ode", "ssa", "tau")
"""Names of the engines a scenario can ask for."""


@dataclass(frozen=True, slots=True)
class TimeGrid:
    """Output times ``linspace(0, end, points)`` in the model's time ``unit``."""

    end: float
    points: int = 201
    unit: str = "day"

    @property
    def times(self) -> FloatArray:
        return np.linspace(0.0, self.end, self.points)

    def check(self, *, key: str = "time") -> None:
        # from 1e-6 on: a shorter run would need output times closer than floats resolve
        problem = f"the end time must be a number from {MIN_END:g} on"
        check_number(self.end, key=f"{key}.end", low=MIN_END, problem=problem)
        problem = f"the output grid has from 2 to {MAX_POINTS:,} points"
        check_whole(self.points, key=f"{key}.points", low=2, high=MAX_POINTS, problem=problem)


@dataclass(frozen=True, slots=True)
class Scenario:
    """One study, resolved and checked.

    Attributes
    ----------
    name
        Short name (the built-in scenario's name or the file's stem).
    model
        The model.
    model_ref
        The built-in model's name, or ``""`` when the model is defined inline.
    parameters
        Every parameter of the model, with its value.
    initial
        Every compartment, with its count at time 0.
    time
        The output grid.
    interventions
        What happens during the run.
    engine, runs, seed
        How it runs by default; ``seed`` is ``None`` until one is chosen.
    description, source
        Free text, and where the scenario came from (a path or ``builtin:NAME``).
    world
        Where people are (:class:`~hyosan.space.WorldSetup`), or ``None`` for
        a well-mixed population. With a world, ``initial`` holds the totals
        over patches, derived from the world's population and seeds.
    characters, milestones
        Named people followed through the runs, and moments ``story.md``
        reports (:mod:`hyosan.scenario.characters`).
    sweep
        The ``[sweep]`` table, as written (:mod:`hyosan.ensemble.sweep` reads it).
    """

    name: str
    model: Model
    parameters: Mapping[str, float]
    initial: Mapping[str, float]
    time: TimeGrid
    interventions: tuple[Intervention, ...] = ()
    engine: str = "ssa"
    runs: int = 1
    seed: int | None = None
    model_ref: str = ""
    description: str = ""
    source: str = "python"
    world: WorldSetup | None = None
    characters: tuple[Character, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    sweep: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.world is not None:
            try:
                self.world.check(self.model)
            except InputError as err:
                raise err.at(self.source) from None
            totals = self.world.counts(self.model).sum(axis=0)
            object.__setattr__(
                self,
                "initial",
                {c: float(v) for c, v in zip(self.model.compartments, totals, strict=True)},
            )
        self.check()
        full = {c: self.initial.get(c, 0.0) for c in self.model.compartments}
        object.__setattr__(self, "initial", full)

    def check(self) -> None:
        """Raise :class:`InputError` (placed in ``source``) if anything is inconsistent."""
        try:
            self._check()
        except InputError as err:
            raise err.at(self.source) from None

    def _check(self) -> None:
        comps = self.model.compartments
        resolve_parameters(self.model, self.parameters, source="", key_prefix="parameters")
        missing = [p for p in self.model.parameter_names if p not in self.parameters]
        if missing:
            raise InputError(
                "parameter without a value", key=f"parameters.{missing[0]}", allowed="a number >= 0"
            )
        for c, v in self.initial.items():
            if c not in comps:
                raise unknown("compartment", c, comps, key=f"initial.{c}")
            check_number(v, key=f"initial.{c}", problem="an initial count is a number >= 0")
        self.time.check()
        if self.engine not in ENGINES:
            raise unknown("engine", self.engine, ENGINES, key="engine")
        if self.engine != "ode":
            self.check_integer_counts(key_prefix="initial")
        problem = f"the number of runs is a whole number from 1 to {MAX_RUNS:,}"
        check_whole(self.runs, key="runs", low=1, high=MAX_RUNS, problem=problem)
        if self.seed is not None:
            check_whole(
                self.seed,
                key="seed",
                high=2**63 - 1,
                problem="a seed is a whole number from 0 to 2**63 - 1",
            )
        world = self.world.world if self.world is not None else None
        for i, iv in enumerate(self.interventions):
            iv.check(self.model, world, key=f"interventions[{i}]")
            self._check_times(iv.trigger.times, key=f"interventions[{i}].at")
        check_cast(self.characters, self.milestones, self.model, self.world, self.initial)

    def _check_times(self, times: tuple[float, ...], *, key: str) -> None:
        """An intervention's times lie in the run: one after ``time.end`` would never fire."""
        for j, t in enumerate(times):
            if t > self.time.end:
                raise InputError(
                    "after the end of the simulation",
                    key=key if len(times) == 1 else f"{key}[{j}]",
                    value=float(t),
                    allowed=f"times from 0 to time.end = {self.time.end:g}",
                )

    def check_integer_counts(self, *, key_prefix: str = "initial") -> None:
        """Exact and tau-leaping engines count people one by one."""
        total = sum(float(v) for v in self.initial.values())
        if total > 2**53:
            raise InputError(
                "the ssa and tau engines count people exactly only up to 2**53 in all",
                source=self.source,
                key=key_prefix,
                value=total,
                allowed="a total of at most 9,007,199,254,740,992, or --engine ode",
            )
        if self.world is not None:
            counts = self.world.counts(self.model)
            if np.any(counts != np.round(counts)):
                p, c = np.argwhere(counts != np.round(counts))[0]
                raise InputError(
                    "the ssa and tau engines count people one by one",
                    source=self.source,
                    key=f"world ({self.world.world.patches[p]}, {self.model.compartments[c]})",
                    value=float(counts[p, c]),
                    allowed="whole numbers of people in every patch, or --engine ode",
                )
        for c, v in self.initial.items():
            if float(v) != int(v):
                raise InputError(
                    "the ssa and tau engines count people one by one",
                    source=self.source,
                    key=f"{key_prefix}.{c}",
                    value=v,
                    allowed="a whole number, or --engine ode for fractional counts",
                )

    @property
    def x0(self) -> FloatArray:
        """Initial counts in compartment order, patch by patch in a world (``P * C`` values)."""
        if self.world is not None:
            return self.world.counts(self.model).ravel()
        return np.array([float(self.initial.get(c, 0.0)) for c in self.model.compartments])

    def replace(self, **changes: object) -> Scenario:
        """A copy with some fields changed, checked again."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
