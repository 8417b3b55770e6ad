"""An :class:`Intervention`: a trigger and a list of actions, with a random stream of its own.

When its trigger fires (:mod:`hyosan.interventions.triggers`) the driver
applies its actions in order (:mod:`hyosan.interventions.actions`,
:mod:`hyosan.interventions.space`); it knows triggers and actions, not their
kinds. :data:`ACTIONS` maps each key of an ``[[interventions]]`` table to
its action, in the order a table's actions apply.

Each intervention draws from a stream of its own (:func:`stream_keys`),
derived from the run's random state at its start and the intervention's
identity (its name, or what it does when it has none), never from its place
in the list nor from the engine's stream: adding or
moving one changes nothing before it fires, and grid points of a sweep that
differ only in a rate draw the same numbers (common random numbers).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from hyosan.errors import InputError
from hyosan.interventions.actions import Action, Remove, SetParameters
from hyosan.interventions.space import Barricade, Camp, Cordon, Lockdown, Reopen, Strike
from hyosan.interventions.triggers import At, Trigger
from hyosan.model import Model
from hyosan.model.characters import Tags
from hyosan.space import World

__all__ = ["ACTIONS", "Intervention", "stream_keys", "until"]

ACTIONS: dict[str, type[Action]] = {
    a.key: a for a in (SetParameters, Remove, Reopen, Cordon, Lockdown, Barricade, Camp, Strike)
}
"""Every action by its key, in the order the actions of one table apply."""


@dataclass(frozen=True, slots=True)
class Intervention:
    """Do ``actions``, in order, when ``trigger`` fires.

    Examples
    --------
    >>> from hyosan.interventions import At, SetParameters
    >>> iv = Intervention(At(6.0), (SetParameters({"alpha": 0.6}),), name="barricades")
    >>> iv.to_toml()
    {'name': 'barricades', 'at': 6.0, 'set': {'alpha': 0.6}}
    """

    trigger: Trigger
    actions: tuple[Action, ...] = ()
    name: str = ""

    @property
    def needs_world(self) -> bool:
        """Whether it acts on patches (and so needs a world)."""
        return any(a.needs_world for a in self.actions)

    def check(self, model: Model, world: World | None, *, key: str = "interventions") -> None:
        """Raise :class:`InputError` for anything the model (or world) does not have."""
        self.trigger.check(model.compartments, world, key=key)
        if not self.actions:
            raise InputError(
                "an intervention must do something",
                key=key,
                allowed=", ".join(f"'{k}'" for k in ACTIONS) + " (the last six need a world)",
            )
        kinds = [a.key for a in self.actions]
        for a in self.actions:
            if kinds.count(a.key) > 1:
                raise InputError("one action of each kind", key=f"{key}.{a.key}", value=kinds)
            if a.needs_world and world is None:
                raise InputError(
                    "this intervention acts on patches, and the scenario has no world",
                    key=f"{key}.{a.key}",
                    allowed="add a [world] table to the scenario, or use 'set'/'remove'",
                )
            a.check(model, world, key=f"{key}.{a.key}")

    def for_characters(self, tags: Tags) -> Intervention:
        """The intervention on the tagged model: it acts on the tags as on their base."""
        actions = tuple(a.for_characters(tags) for a in self.actions)
        return Intervention(self.trigger.for_characters(tags), actions, self.name)

    def to_toml(self) -> dict[str, object]:
        """The ``[[interventions]]`` table that reads back as this intervention."""
        out: dict[str, object] = {"name": self.name} if self.name else {}
        out.update(self.trigger.to_toml())
        out.update({a.key: a.to_toml() for a in self.actions})
        return out


def stream_keys(interventions: Sequence[Intervention]) -> tuple[int, ...]:
    """Each intervention's stream key: a 64-bit hash of its identity.

    The identity is its name, else the kinds of its trigger and actions
    (``"At:set,remove"``), so that changing a number of it keeps its stream;
    a repeated identity is counted (``#2``). Intervention ``i`` of a run
    whose seed is ``run`` draws from ``SeedSequence(run.entropy,
    spawn_key=(*run.spawn_key, keys[i]))`` (:class:`~hyosan.interventions.BinomialDraws`).
    """
    seen: dict[str, int] = {}
    out = []
    for iv in interventions:
        kinds = ",".join(a.key for a in iv.actions)
        ident = iv.name or f"{type(iv.trigger).__name__}:{kinds}"
        seen[ident] = seen.get(ident, 0) + 1
        digest = hashlib.sha256(f"{ident}#{seen[ident]}".encode()).digest()
        out.append(int.from_bytes(digest[:8], "little"))
    return tuple(out)


def until(
    interventions: Sequence[Intervention], end: float
) -> tuple[tuple[Intervention, ...], list[str]]:
    """The interventions of a run cut short at ``end``, and what that leaves out, in words.

    Times after ``end`` are left out; an intervention left with none goes. Each
    intervention that lost a time is named (``"curfew (at 8)"``).

    >>> cull = Intervention(At((2.0, 8.0)), (SetParameters({"beta": 0.1}),), name="cull")
    >>> kept, left_out = until([cull], 5.0)
    >>> kept[0].trigger.times, left_out
    ((2.0,), ['cull (at 8)'])
    """
    kept, left_out = [], []
    for i, iv in enumerate(interventions):
        times = iv.trigger.times
        early = tuple(t for t in times if t <= end)
        if len(early) < len(times):
            late = ", ".join(f"{t:g}" for t in times if t > end)
            left_out.append(f"{iv.name or f'interventions[{i}]'} (at {late})")
            if not early:
                continue
            iv = dataclasses.replace(iv, trigger=At(early))
        kept.append(iv)
    return tuple(kept), left_out
