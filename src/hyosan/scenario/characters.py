"""Named characters and story milestones of a scenario: ``[[characters]]`` and ``[[milestones]]``.

A character is one person followed exactly through a stochastic run (the
tagging is :mod:`hyosan.model.characters`; a run's cast is set up by
:mod:`hyosan.ensemble.cast`)::

    [[characters]]
    name = "Nam On-jo"         # any text, unique
    compartment = "S"          # where they start (default: the world's fill, else the first human)
    where = "class-2-5"        # their patch, in a world

A milestone is a moment ``story.md`` reports: the first output time at which
its condition holds::

    [[milestones]]
    text = "the school fell"
    when = "S < 100 in school"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from hyosan._typing import FloatArray
from hyosan.errors import InputError, unknown
from hyosan.interventions import Condition
from hyosan.model import Model
from hyosan.space import Selection, WorldSetup

__all__ = ["Character", "Milestone", "check_cast", "placement"]


@dataclass(frozen=True, slots=True)
class Character:
    """A named person: where they start (compartment, and patch in a world)."""

    name: str
    compartment: str = ""
    where: Selection | None = None

    @classmethod
    def parse(cls, data: Mapping[str, Any], *, key: str) -> Character:
        where = data.get("where")
        return cls(
            name=str(data["name"]),
            compartment=str(data.get("compartment", "")),
            where=Selection.parse(where, key=f"{key}.where") if where is not None else None,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.compartment:
            out["compartment"] = self.compartment
        if self.where is not None:
            out["where"] = self.where.to_toml()
        return out


@dataclass(frozen=True, slots=True)
class Milestone:
    """A moment of the story: the first output time ``when`` holds."""

    text: str
    when: Condition

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "when": self.when.text()}


def start_of(character: Character, model: Model, world: WorldSetup | None) -> str:
    """The compartment a character starts in."""
    if character.compartment:
        return character.compartment
    if world is not None and world.fill:
        return world.fill
    return model.humans[0] if model.humans else model.compartments[0]


def placement(
    characters: tuple[Character, ...], model: Model, world: WorldSetup | None
) -> list[tuple[int, int]]:
    """Each character's (patch, compartment) index at the start; patch 0 well mixed."""
    out = []
    for c in characters:
        comp = model.compartments.index(start_of(c, model, world))
        patch = 0
        if world is not None and c.where is not None:
            patch = int(c.where.resolve(world.world)[0])
        out.append((patch, comp))
    return out


def _check_character(
    i: int,
    c: Character,
    before: tuple[Character, ...],
    model: Model,
    world: WorldSetup | None,
) -> None:
    """Character ``i``: a unique name, a known compartment, one patch in a world."""
    key = f"characters[{i}]"
    if not c.name.strip():
        raise InputError("a character needs a name", key=f"{key}.name", allowed="any text")
    if c.name in {b.name for b in before}:
        raise InputError("two characters share a name", key=f"{key}.name", value=c.name)
    start = start_of(c, model, world)
    if start not in model.compartments:
        raise unknown("compartment", start, model.compartments, key=f"{key}.compartment")
    if c.where is None:
        if world is not None and world.world.n_patches > 1:
            raise InputError(
                "in a world, say where a character starts",
                key=f"{key}.where",
                allowed="a patch name",
            )
        return
    if world is None:
        raise InputError(
            "a character has a place only in a world",
            key=f"{key}.where",
            value=c.where.to_toml(),
            allowed="add a [world] table, or leave out 'where'",
        )
    if len(c.where.resolve(world.world, key=f"{key}.where")) != 1:
        raise InputError(
            "a character stands in one patch",
            key=f"{key}.where",
            value=c.where.to_toml(),
            allowed="one patch name",
        )


def _check_enough(
    characters: tuple[Character, ...], model: Model, world: WorldSetup | None, have: FloatArray
) -> None:
    """Every character is one of the people who start where it starts (``have``: the
    initial counts, patches by compartments)."""
    comps = model.compartments
    taken = np.zeros_like(have)
    for i, (p, j) in enumerate(placement(characters, model, world)):
        taken[p, j] += 1
        if taken[p, j] > have[p, j]:
            people = "person" if have[p, j] == 1 else "people"
            raise InputError(
                f"there are only {have[p, j]:g} {people} of {comps[j]} there to be this character",
                key=f"characters[{i}]",
                value=characters[i].name,
                allowed="a compartment and place where enough people start",
            )


def check_cast(
    characters: tuple[Character, ...],
    milestones: tuple[Milestone, ...],
    model: Model,
    world: WorldSetup | None,
    initial: Mapping[str, float],
) -> None:
    """Raise :class:`InputError` for a character or milestone the scenario cannot hold."""
    comps = model.compartments
    for i, c in enumerate(characters):
        _check_character(i, c, characters[:i], model, world)
    if characters:
        have = (
            world.counts(model)
            if world is not None
            else np.array([[initial.get(c, 0.0) for c in comps]])
        )
        _check_enough(characters, model, world, have)
    for i, m in enumerate(milestones):
        m.when.check(comps, world.world if world is not None else None, key=f"milestones[{i}].when")
