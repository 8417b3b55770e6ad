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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hyosan._typing import FloatArray
from hyosan.engines import Engine, Plan
from hyosan.interventions import Condition, Intervention, Op, When
from hyosan.model import Model
from hyosan.model.characters import (
    Tags,
    expand_movement,
    place_characters,
    reachable,
    tag_model,
)
from hyosan.scenario import Scenario
from hyosan.scenario.characters import placement
from hyosan.space import WorldSetup

__all__ = ["Cast", "watched"]


def watched(scenario: Scenario) -> list[tuple[str, Condition]]:
    """The moments a run records: the first zombie (if the model has zombies), the milestones."""
    out = [("the first zombie", Condition(scenario.model.zombies, Op.GE, 1.0))]
    out = out if scenario.model.zombies else []
    return out + [(m.text, m.when) for m in scenario.milestones]


def _sent_to(interventions: Sequence[Intervention], compartments: Sequence[str]) -> set[str]:
    """Every compartment an intervention may send someone to, erring wide: ``D`` (a strike's,
    also from the page) and every compartment its table names (a camp's ``detected_to``, an
    impulse's ``to``, and whatever else it lists)."""
    found = {"D"}

    def walk(value: object) -> None:
        if isinstance(value, str) and value in compartments:
            found.add(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)

    for iv in interventions:
        walk(iv.to_toml())
    return found


@dataclass(frozen=True, slots=True, eq=False)
class Cast:
    """What the runs simulate: the scenario's model, or its tagged copy when it has characters."""

    model: Model
    interventions: tuple[Intervention, ...]
    setup: WorldSetup | None
    x0: FloatArray
    tags: Tags

    @classmethod
    def of(cls, scenario: Scenario) -> Cast:
        """The runs' model, interventions (then the watched moments), setup and initial counts."""
        ivs = scenario.interventions + tuple(
            Intervention(When(cond), name=text) for text, cond in watched(scenario)
        )
        if not scenario.characters:
            return cls(scenario.model, ivs, scenario.world, scenario.x0, Tags.none(scenario.model))
        names = [f"c{i + 1}" for i in range(len(scenario.characters))]
        where = placement(scenario.characters, scenario.model, scenario.world)
        comps = scenario.model.compartments
        start = {a: comps[j] for a, (_p, j) in zip(names, where, strict=True)}
        sent = _sent_to(ivs, comps)
        reach = [reachable(scenario.model, start[a], sent) for a in names]
        tags = Tags.of(scenario.model, names, reach)
        setup = scenario.world
        if setup is None:
            x0 = place_characters(scenario.x0, tags, start)
        else:
            base = setup.counts(scenario.model)
            patch = {a: p for a, (p, _j) in zip(names, where, strict=True)}
            x0 = place_characters(base, tags, start, patch).ravel()
            setup = dataclasses.replace(setup, movement=expand_movement(setup.movement, names))
        return cls(
            tag_model(scenario.model, names, reach),
            tuple(iv.for_characters(tags) for iv in ivs),
            setup,
            x0,
            tags,
        )

    def plan(self, parameters: Mapping[str, float], engine: Engine) -> Plan:
        """The plan every run of this cast shares (see :class:`~hyosan.engines.Plan`)."""
        return Plan.build(
            self.model,
            parameters,
            engine,
            setup=self.setup,
            interventions=self.interventions,
            tags=self.tags,
        )

    def fold_change(self, change: FloatArray) -> FloatArray:
        """Interventions' changes ``(runs, I, C')`` folded to the base compartments."""
        return self.tags.fold(change, axis=-1)
