"""Actions on patches: cordons, lockdowns, barricades, reopening, strikes and camps.

Each acts on a :class:`~hyosan.space.Selection` of patches when its
intervention fires:

- :class:`Cordon`: close every edge that crosses the selection's border, both
  ways (martial law: nobody leaves or enters, and with coupling nobody bites
  across the line);
- :class:`Lockdown`: close every edge with an end in the selection (no movement);
- :class:`Barricade`: close the closable edges (doors) with an end in the selection;
- :class:`Reopen`: give every edge with an end in the selection its world weight back;
- :class:`Strike`: everyone in the selection dies, infected or not (moved to
  the model's ``D`` compartment, a character to its own copy of it, or out of
  the model if it has no ``D``);
- :class:`Camp`: move people to a camp patch through a screening.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from hyosan._checks import check_number
from hyosan._typing import BoolArray
from hyosan.errors import unknown
from hyosan.interventions.actions import Action, Draws, RunState
from hyosan.model import Model
from hyosan.model.characters import Tags
from hyosan.space import Selection, World

__all__ = ["Barricade", "Camp", "Cordon", "EdgeAction", "Lockdown", "Reopen", "Strike"]


@dataclass(frozen=True, slots=True)
class _OnPatches(Action):
    """An action on the patches of a selection (written as the selection itself)."""

    needs_world: ClassVar[bool] = True
    where: Selection

    def check(self, model: Model, world: World | None, *, key: str) -> None:
        assert world is not None  # Intervention.check says so first
        self.where.resolve(world, key=key)

    def to_toml(self) -> Any:
        return self.where.to_toml()

    @classmethod
    def from_toml(cls, value: Any, *, key: str) -> Action:
        return cls(Selection.parse(value, key=key))

    def inside(self, world: World) -> BoolArray:
        """Whether each patch of ``world`` is selected."""
        inside = np.zeros(world.n_patches, dtype=bool)
        inside[self.where.resolve(world)] = True
        return inside


class EdgeAction(_OnPatches, abc.ABC):
    """An action that opens or closes edges: it changes the run's edge weights."""

    __slots__ = ()

    def apply(self, state: RunState, draws: Draws) -> None:
        world = state.setting.world
        assert world is not None and state.weight is not None
        inside = self.inside(world)
        hit = self.edges(inside[world.src], inside[world.dst], world)
        state.weight[hit] = world.weight[hit] if self.opens else 0.0
        state.edges_changed = True

    opens: ClassVar[bool] = False

    @abc.abstractmethod
    def edges(self, src_in: BoolArray, dst_in: BoolArray, world: World) -> BoolArray:
        """The edges it acts on, from whether each edge's ends are selected."""


@dataclass(frozen=True, slots=True)
class Cordon(EdgeAction):
    """Close every edge across the selection's border, both ways (martial law)."""

    key: ClassVar[str] = "cordon"

    def edges(self, src_in: BoolArray, dst_in: BoolArray, world: World) -> BoolArray:
        return np.asarray(src_in != dst_in)


@dataclass(frozen=True, slots=True)
class Lockdown(EdgeAction):
    """Close every edge with an end in the selection: nobody moves there."""

    key: ClassVar[str] = "lockdown"

    def edges(self, src_in: BoolArray, dst_in: BoolArray, world: World) -> BoolArray:
        return src_in | dst_in


@dataclass(frozen=True, slots=True)
class Barricade(EdgeAction):
    """Close the doors that can be closed (``closable`` edges) with an end in the selection."""

    key: ClassVar[str] = "barricade"

    def edges(self, src_in: BoolArray, dst_in: BoolArray, world: World) -> BoolArray:
        return (src_in | dst_in) & world.closable


@dataclass(frozen=True, slots=True)
class Reopen(EdgeAction):
    """Give every edge with an end in the selection its world weight back."""

    key: ClassVar[str] = "reopen"
    opens: ClassVar[bool] = True

    def edges(self, src_in: BoolArray, dst_in: BoolArray, world: World) -> BoolArray:
        return src_in | dst_in


@dataclass(frozen=True, slots=True)
class Strike(_OnPatches):
    """Everyone in the selection dies, infected or not."""

    key: ClassVar[str] = "strike"

    def apply(self, state: RunState, draws: Draws) -> None:
        setting, X = state.setting, state.X
        assert setting.world is not None
        dead = setting.tags.copy_index("D")
        alive = np.flatnonzero(dead != np.arange(len(dead)))
        for p in self.where.resolve(setting.world):
            killed = X[p, alive].copy()
            X[p, alive] = 0.0
            if dead[0] >= 0:
                np.add.at(X[p], dead[alive], killed)


@dataclass(frozen=True, slots=True)
class Camp(Action):
    """Move people from ``patches`` to the camp patch ``to``, screening them on the way.

    Of each compartment in ``move``, ``fraction`` is taken to the camp. Those
    in ``screen`` compartments (the bitten) are caught with probability
    ``sensitivity`` and go to ``detected_to`` (a compartment, in their own
    patch; a character to its own copy of it) or, if it is empty, are turned
    back and stay where they were. Hybrids are never detected: leave them
    out of ``screen``.

    ``move`` and ``screen`` default (when empty) to every compartment that is
    neither a zombie nor ``D``, and to ``E`` and ``Ez`` where the model has them.
    """

    key: ClassVar[str] = "camp"
    needs_world: ClassVar[bool] = True
    draws: ClassVar[bool] = True
    patches: Selection
    to: str
    fraction: float = 1.0
    sensitivity: float = 0.9
    move: tuple[str, ...] = ()
    screen: tuple[str, ...] = ()
    detected_to: str = ""

    def check(self, model: Model, world: World | None, *, key: str) -> None:
        assert world is not None  # Intervention.check says so first
        comps = model.compartments
        world.index(self.to, key=f"{key}.to")
        self.patches.resolve(world, key=f"{key}.patches")
        for name in ("fraction", "sensitivity"):
            v = getattr(self, name)
            problem = "a probability is between 0 and 1"
            check_number(v, key=f"{key}.{name}", high=1.0, problem=problem)
        for name in ("move", "screen"):
            for c in getattr(self, name):
                if c not in comps:
                    raise unknown("compartment", c, comps, key=f"{key}.{name}")
        if self.detected_to and self.detected_to not in comps:
            extra = ' (or "" to turn them back)'
            raise unknown(
                "compartment", self.detected_to, comps, key=f"{key}.detected_to", extra=extra
            )

    def roles(
        self, compartments: tuple[str, ...], zombies: tuple[str, ...]
    ) -> tuple[list[int], list[int]]:
        """Indices of the compartments moved and of those screened."""
        move = self.move or tuple(c for c in compartments if c not in zombies and c != "D")
        screen = self.screen or tuple(c for c in ("E", "Ez") if c in compartments)
        return [compartments.index(c) for c in move], [compartments.index(c) for c in screen]

    def apply(self, state: RunState, draws: Draws) -> None:
        setting, X = state.setting, state.X
        assert setting.world is not None
        to = setting.world.index(self.to)
        move, screen = self.roles(setting.compartments, setting.zombies)
        detected = setting.tags.copy_index(self.detected_to) if self.detected_to else None
        for p in self.patches.resolve(setting.world):
            if p == to:
                continue
            for c in move:
                n = draws.take(float(X[p, c]), self.fraction)
                caught = draws.take(n, self.sensitivity) if c in screen else 0.0
                X[p, c] -= n
                X[to, c] += n - caught
                X[p, c if detected is None else detected[c]] += caught

    def to_toml(self) -> dict[str, Any]:
        table: dict[str, Any] = {
            "patches": self.patches.to_toml(),
            "to": self.to,
            "fraction": float(self.fraction),
            "sensitivity": float(self.sensitivity),
        }
        if self.move:
            table["move"] = list(self.move)
        if self.screen:
            table["screen"] = list(self.screen)
        if self.detected_to:
            table["detected_to"] = self.detected_to
        return table

    @classmethod
    def from_toml(cls, value: Any, *, key: str) -> Camp:
        return cls(
            patches=Selection.parse(value["patches"], key=f"{key}.patches"),
            to=value["to"],
            fraction=value.get("fraction", 1.0),
            sensitivity=value.get("sensitivity", 0.9),
            move=tuple(value.get("move", ())),
            screen=tuple(value.get("screen", ())),
            detected_to=value.get("detected_to", ""),
        )

    def for_characters(self, tags: Tags) -> Camp:
        """``move`` and ``screen`` (their defaults made explicit first) gain the tagged copies.

        ``detected_to`` stays the base name: a caught ``E__a`` goes to the
        same owner's copy of it, so a caught character stays followed.
        """
        move, screen = self.roles(tags.base, tags.zombies)
        return Camp(
            patches=self.patches,
            to=self.to,
            fraction=self.fraction,
            sensitivity=self.sensitivity,
            move=tags.expand([tags.base[i] for i in move]),
            screen=tags.expand([tags.base[i] for i in screen]),
            detected_to=self.detected_to,
        )
