"""Runs that follow named characters: the tagged model they run, and folding its output back.

A scenario's ``[[characters]]`` become tagged compartments
(:mod:`hyosan.model.characters`): the runs simulate the tagged model, whose
interventions and movement act on the tags as on their base compartments.
Their output is folded back into the scenario's compartments, and each
character's compartment (and patch) over time is read from its tags.
Internally the characters are called ``c1``, ``c2``... (tags must be
identifiers); their display names stay in the scenario.

The runs also watch the story's moments (:func:`watched`): the first zombie
and each ``[[milestones]]`` condition ride along as interventions that do
nothing, so the engines stop at the very event that makes one true and the
time is exact, not read off the output grid.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from hyosan._typing import FloatArray, IntArray
from hyosan.interventions import Condition, Intervention
from hyosan.model import Model
from hyosan.model.characters import (
    Tags,
    expand_interventions,
    expand_movement,
    place_characters,
    tag_model,
)
from hyosan.scenario import Scenario
from hyosan.scenario.cast import placement
from hyosan.space import WorldSetup

__all__ = ["Cast", "watched"]


def watched(scenario: Scenario) -> list[tuple[str, Condition]]:
    """The moments a run records: the first zombie (if the model has zombies), the milestones."""
    out = [("the first zombie", Condition(scenario.model.zombies, ">=", 1.0))]
    out = out if scenario.model.zombies else []
    return out + [(m.text, m.when) for m in scenario.milestones]


@dataclass(frozen=True, slots=True, eq=False)
class Cast:
    """What the runs simulate: the scenario's model, or its tagged copy when it has characters."""

    model: Model
    interventions: tuple[Intervention, ...]
    setup: WorldSetup | None
    x0: FloatArray
    tags: Tags | None = None

    @classmethod
    def of(cls, scenario: Scenario) -> Cast:
        """The runs' model, interventions (then the watched moments), setup and initial counts."""
        ivs = scenario.interventions + tuple(
            Intervention(when=cond, name=text) for text, cond in watched(scenario)
        )
        if not scenario.characters:
            return cls(scenario.model, ivs, scenario.world, scenario.x0)
        names = [f"c{i + 1}" for i in range(len(scenario.characters))]
        tags = Tags.of(scenario.model, names)
        where = placement(scenario.characters, scenario.model, scenario.world)
        comps = scenario.model.compartments
        start = {a: comps[j] for a, (_p, j) in zip(names, where, strict=True)}
        setup = scenario.world
        if setup is None:
            x0 = place_characters(scenario.x0, tags, start)
        else:
            base = setup.counts(scenario.model)
            patch = {a: p for a, (p, _j) in zip(names, where, strict=True)}
            x0 = place_characters(base, tags, start, patch).ravel()
            setup = dataclasses.replace(setup, movement=expand_movement(setup.movement, tags))
        return cls(
            tag_model(scenario.model, names),
            expand_interventions(ivs, tags),
            setup,
            x0,
            tags,
        )

    def fold(
        self, stacked: FloatArray, n_patches: int
    ) -> tuple[FloatArray, FloatArray | None, IntArray | None]:
        """Split the runs' output ``(runs, times, P * C')`` into base counts and characters.

        Returns the base counts per patch ``(runs, times, P, C)``, the
        characters' shares ``(runs, times, K, C)`` (0 or 1 in a stochastic run)
        and their patch ``(runs, times, K)`` (-1 where no patch holds all of
        one, as under the ODE), or ``None`` for both without characters.
        """
        runs, times = stacked.shape[:2]
        per_patch = stacked.reshape(runs, times, n_patches, -1)
        if self.tags is None:
            return per_patch, None, None
        tags = self.tags
        base = tags.fold(per_patch, axis=-1)
        states = tags.shares(per_patch.sum(axis=2), axis=-1)
        k = len(tags.characters)
        patch = np.full((runs, times, k), -1, dtype=np.int64)
        for i in range(k):
            mine = per_patch[..., tags.owner == i].sum(axis=-1)  # (runs, times, P)
            whole = np.isclose(mine, 1.0)
            patch[..., i] = np.where(whole.any(axis=-1), whole.argmax(axis=-1), -1)
        return base, states, patch

    def fold_change(self, change: FloatArray) -> FloatArray:
        """Interventions' changes ``(runs, I, C')`` folded to the base compartments."""
        return change if self.tags is None else self.tags.fold(change, axis=-1)
