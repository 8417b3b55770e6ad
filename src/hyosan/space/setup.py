"""A :class:`WorldSetup`: a world as a scenario uses it.

It adds to a :class:`~hyosan.space.World` what a study chooses: how fast each
compartment moves, how strongly neighbours interact, which compartment the
world's population fills, and where the outbreak is seeded. In a scenario
file it is the ``[world]`` table::

    [world]
    builtin = "hyosan-school"   # or map = "korea" (cell = "10km"), file = "plan.toml",
                                # or lattice = { rows = 50, cols = 50, people = 1 },
                                # or [world.plan]: a world file's tables, inline
    movement = { Z = 0.5, S = 0.05 }   # moves per individual per time unit per unit edge weight
    coupling = 0.0              # weight of a neighbour's people in a patch's interactions
    fill = "S"                  # the compartment the world's population starts in
    scale = 1.0                 # people per patch times this (0.01: a hundredth of the people)
    camps = ["camp"]            # extra patches with no edges, reached by camp interventions

    [[world.seed]]
    compartment = "E"
    count = 1
    where = "science-lab"       # a selection; the count is spread by population
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hyosan._checks import check_number
from hyosan._typing import FloatArray
from hyosan.errors import unknown
from hyosan.model import Model
from hyosan.space.compiled import mobility_vector
from hyosan.space.select import Selection
from hyosan.space.world import World

__all__ = ["Placement", "WorldSetup", "spread_by_weight"]


@dataclass(frozen=True, slots=True)
class Placement:
    """``count`` people of ``compartment`` placed in the patches ``where`` selects."""

    compartment: str
    count: float
    where: Selection


def spread_by_weight(count: float, weights: FloatArray) -> FloatArray:
    """Split ``count`` over ``weights`` in whole numbers (largest remainder), or evenly.

    Examples
    --------
    >>> spread_by_weight(10, np.array([1.0, 1.0, 1.0])).tolist()
    [4.0, 3.0, 3.0]
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.sum() <= 0:
        w = np.ones_like(w)
    share = count * w / w.sum()
    if float(count) != int(count):
        return share
    base = np.floor(share)
    left = round(count - base.sum())
    order = np.argsort(-(share - base), kind="stable")
    base[order[:left]] += 1.0
    return base


@dataclass(frozen=True, slots=True)
class WorldSetup:
    """A world with movement rates, coupling, the filled compartment and seeds.

    ``ref`` says where the world came from, for writing the scenario back
    (``{"builtin": "hyosan-school"}``, ``{"map": "korea", "cell": "10km"}``...);
    two setups are equal when their ``ref`` and settings are.
    """

    world: World = field(compare=False)
    ref: Mapping[str, Any] = field(default_factory=dict)
    movement: Mapping[str, float] = field(default_factory=dict)
    coupling: float = 0.0
    fill: str = ""
    seeds: tuple[Placement, ...] = ()
    camps: tuple[str, ...] = ()
    scale: float = 1.0

    @property
    def population(self) -> FloatArray:
        """People per patch at the start: the world's, times ``scale`` in whole numbers.

        Scaled counts keep their total at ``round(scale * total)`` exactly
        (largest remainder).
        """
        pop = self.world.population
        if self.scale == 1.0:
            return pop
        return spread_by_weight(float(round(self.scale * pop.sum())), pop)

    def fill_compartment(self, model: Model) -> str:
        return self.fill or (model.humans[0] if model.humans else model.compartments[0])

    def check(self, model: Model) -> None:
        """Raise :class:`InputError` for names the model or world does not have."""
        comps = model.compartments
        fill = self.fill_compartment(model)
        if fill not in comps:
            raise unknown("compartment", fill, comps, key="world.fill")
        mobility_vector(comps, self.movement, self.coupling)
        check_number(
            self.scale,
            key="world.scale",
            low_open=True,
            problem="a scale of the population is a number > 0 (0.5: half the people)",
        )
        for i, s in enumerate(self.seeds):
            key = f"world.seed[{i}]"
            if s.compartment not in comps:
                raise unknown("compartment", s.compartment, comps, key=f"{key}.compartment")
            check_number(s.count, key=f"{key}.count", problem="a count is a number >= 0")
            s.where.resolve(self.world, key=f"{key}.where")

    def counts(self, model: Model) -> FloatArray:
        """Initial counts, shape ``(patches, compartments)``."""
        comps = model.compartments
        x = np.zeros((self.world.n_patches, len(comps)))
        x[:, comps.index(self.fill_compartment(model))] = self.population
        for s in self.seeds:
            idx = s.where.resolve(self.world)
            x[idx, comps.index(s.compartment)] += spread_by_weight(
                s.count, self.world.population[idx]
            )
        return x
