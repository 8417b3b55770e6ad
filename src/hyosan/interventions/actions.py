"""What an intervention does when it fires: small actions, each with one ``apply``.

An action changes a run's :class:`RunState` (its counts per patch, its
parameter values, its edge weights) and says so through the state's flags,
so that the driver rebuilds only what changed. Where it takes a random share
of people it draws through its intervention's own :class:`Draws`: a binomial
draw from the intervention's own random stream under the stochastic engines,
the exact fraction under the ODE. Adding or moving one intervention
therefore changes no random number of the engine, nor of any other
intervention.

This module holds the base class and the actions of a well-mixed population
(:class:`SetParameters`, :class:`Remove`); :mod:`hyosan.interventions.space`
holds those that act on patches.
"""

from __future__ import annotations

import abc
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import numpy as np

from hyosan._checks import check_number, check_whole
from hyosan._typing import FloatArray
from hyosan.errors import InputError, unknown
from hyosan.model import Model
from hyosan.model.characters import Tags
from hyosan.model.core import resolve_parameters
from hyosan.space import World

__all__ = [
    "Action",
    "BinomialDraws",
    "Draws",
    "ExactDraws",
    "Impulse",
    "Remove",
    "RunSeed",
    "RunState",
    "SetParameters",
    "Setting",
]


class Draws(Protocol):
    """How many of ``count`` people a ``fraction`` takes."""

    def take(self, count: float, fraction: float) -> float: ...


class ExactDraws:
    """The exact share (the ODE's mean-field reading of a random share)."""

    __slots__ = ()

    def take(self, count: float, fraction: float) -> float:
        return count * fraction


class RunSeed:
    """The seed of one run's intervention streams, made only when an intervention first draws.

    Given the run's own ``SeedSequence`` (``simulate`` knows it), its streams
    are that seed's children; given only the engine's generator, a seed is
    made from the generator's state at the start of the run (read then,
    hashed when needed), so that runs sharing one generator draw differently.
    """

    __slots__ = ("_seed", "_state")

    def __init__(
        self, seed: np.random.SeedSequence | None = None, rng: np.random.Generator | None = None
    ) -> None:
        self._seed = seed
        self._state = rng.bit_generator.state if seed is None and rng is not None else None

    def get(self) -> np.random.SeedSequence:
        if self._seed is None:
            digest = hashlib.sha256(repr(self._state).encode()).digest()
            self._seed = np.random.SeedSequence(int.from_bytes(digest, "little"))
        return self._seed


class BinomialDraws:
    """Binomial draws from a stream of their own, started only when first needed.

    The stream is seeded by ``SeedSequence(run.entropy, spawn_key=(*run.spawn_key,
    key))``: a child of the run's seed that no other intervention shares
    (``key`` from :func:`~hyosan.interventions.stream_keys`).
    """

    __slots__ = ("_key", "_rng", "_run")

    def __init__(self, run: RunSeed, key: int) -> None:
        self._run, self._key = run, key
        self._rng: np.random.Generator | None = None

    def take(self, count: float, fraction: float) -> float:
        if self._rng is None:
            run = self._run.get()
            seed = np.random.SeedSequence(run.entropy, spawn_key=(*run.spawn_key, self._key))
            self._rng = np.random.Generator(np.random.PCG64(seed))
        return float(self._rng.binomial(int(count), fraction))


@dataclass(frozen=True, slots=True)
class Setting:
    """What actions read and never change: the compartments' layout and the world."""

    compartments: tuple[str, ...]
    zombies: tuple[str, ...]
    tags: Tags
    world: World | None = None


@dataclass(slots=True)
class RunState:
    """What actions change in one run.

    ``X`` is the counts, patches by compartments (a view of the engine's
    state: one row well mixed); ``values`` the parameter values; ``weight``
    the world's edge weights (0: closed), or ``None`` well mixed. An action
    that changes ``values`` sets ``rates_changed``, one that changes
    ``weight`` sets ``edges_changed``.
    """

    X: FloatArray
    values: dict[str, float]
    setting: Setting
    weight: FloatArray | None = None
    rates_changed: bool = False
    edges_changed: bool = False


class Action(abc.ABC):
    """One thing an intervention does; ``key`` is its key in an ``[[interventions]]`` table."""

    __slots__ = ()
    key: ClassVar[str]
    needs_world: ClassVar[bool] = False
    draws: ClassVar[bool] = False
    """Whether it takes random shares of people (and so needs a stream)."""

    @abc.abstractmethod
    def apply(self, state: RunState, draws: Draws) -> None:
        """Change ``state`` in place."""

    @abc.abstractmethod
    def check(self, model: Model, world: World | None, *, key: str) -> None:
        """Raise :class:`~hyosan.errors.InputError` for names or numbers the scenario lacks."""

    @abc.abstractmethod
    def to_toml(self) -> Any:
        """The value of :attr:`key` in an ``[[interventions]]`` table."""

    @classmethod
    @abc.abstractmethod
    def from_toml(cls, value: Any, *, key: str) -> Action:
        """Read the value of :attr:`key` (its shape already checked by the schema)."""

    def for_characters(self, tags: Tags) -> Action:
        """The same action on the tagged model (see :mod:`hyosan.model.characters`)."""
        return self


@dataclass(frozen=True, slots=True)
class SetParameters(Action):
    """Set parameter values (awareness raises ``alpha``): ``set = { alpha = 0.6 }``."""

    key: ClassVar[str] = "set"
    values: Mapping[str, float] = field(default_factory=dict)

    def apply(self, state: RunState, draws: Draws) -> None:
        state.values.update(self.values)
        state.rates_changed = True

    def check(self, model: Model, world: World | None, *, key: str) -> None:
        resolve_parameters(model, self.values, source="", key_prefix=key)

    def to_toml(self) -> dict[str, float]:
        return {name: float(v) for name, v in self.values.items()}

    @classmethod
    def from_toml(cls, value: Any, *, key: str) -> SetParameters:
        return cls(dict(value))


@dataclass(frozen=True, slots=True)
class Impulse:
    """Move ``fraction`` of ``compartment`` at once to ``to`` (or out of the model)."""

    compartment: str
    fraction: float
    to: str | None = None

    def check(self, compartments: tuple[str, ...], *, key: str) -> None:
        if self.compartment not in compartments:
            raise unknown("compartment", self.compartment, compartments, key=f"{key}.compartment")
        if self.to is not None and self.to not in compartments:
            extra = " (or leave out to remove from the model)"
            raise unknown("compartment", self.to, compartments, key=f"{key}.to", extra=extra)
        problem = "a fraction is between 0 and 1"
        check_number(self.fraction, key=f"{key}.fraction", high=1.0, problem=problem)


@dataclass(frozen=True, slots=True)
class Remove(Action):
    """Munz et al.'s impulses: ``remove = [{ compartment = "Z", fraction = 0.5, to = "D" }]``.

    In a world each patch loses its own share (drawn patch by patch).
    """

    key: ClassVar[str] = "remove"
    draws: ClassVar[bool] = True
    impulses: tuple[Impulse, ...] = ()

    def apply(self, state: RunState, draws: Draws) -> None:
        comps = state.setting.compartments
        for row in state.X:
            for r in self.impulses:
                i = comps.index(r.compartment)
                n = draws.take(float(row[i]), r.fraction)
                row[i] -= n
                if r.to is not None:
                    row[comps.index(r.to)] += n

    def check(self, model: Model, world: World | None, *, key: str) -> None:
        if not self.impulses:
            raise InputError("nothing to remove", key=key, value=[], allowed="one or more impulses")
        for i, r in enumerate(self.impulses):
            r.check(model.compartments, key=f"{key}[{i}]")

    def to_toml(self) -> list[dict[str, Any]]:
        return [
            {"compartment": r.compartment, "fraction": float(r.fraction)}
            | ({"to": r.to} if r.to is not None else {})
            for r in self.impulses
        ]

    @classmethod
    def from_toml(cls, value: Any, *, key: str) -> Remove:
        return cls(tuple(Impulse(r["compartment"], r["fraction"], r.get("to")) for r in value))

    def for_characters(self, tags: Tags) -> Remove:
        """One impulse per copy: ``X`` to ``to`` and ``X__a`` to ``to__a``, each drawn on its own,
        so a character is taken with probability ``fraction`` like anyone else."""
        out = []
        for r in self.impulses:
            sources = tags.expand([r.compartment])
            targets = tags.expand([r.to]) if r.to is not None else (None,) * len(sources)
            out += [Impulse(c, r.fraction, to) for c, to in zip(sources, targets, strict=True)]
        return Remove(tuple(out))


@dataclass(frozen=True, slots=True)
class Release(Action):
    """Put ``count`` more of ``compartment`` into each of ``patches`` at once (well mixed: the
    population); what the viewer's click on the map does: ``release = { compartment = "Z",
    count = 5, patches = [3] }``.

    Not (yet) a key of a scenario file's ``[[interventions]]``: the live viewer applies it
    between two segments of a run (:class:`hyosan.engines.live.LiveRun`).
    """

    key: ClassVar[str] = "release"
    compartment: str
    count: float
    patches: tuple[int, ...] = (0,)

    def apply(self, state: RunState, draws: Draws) -> None:
        i = state.setting.compartments.index(self.compartment)
        for p in self.patches:
            state.X[p, i] += self.count

    def check(self, model: Model, world: World | None, *, key: str) -> None:
        if self.compartment not in model.compartments:
            raise unknown("compartment", self.compartment, model.compartments, key=key)
        check_number(self.count, key=f"{key}.count", high=1e9, problem="a count of people")
        n = world.n_patches if world is not None else 1
        for p in self.patches:
            check_whole(p, key=f"{key}.patches", high=n - 1, problem="no such patch")

    def to_toml(self) -> dict[str, Any]:
        where = {"patches": list(self.patches)}
        return {"compartment": self.compartment, "count": float(self.count)} | where

    @classmethod
    def from_toml(cls, value: Any, *, key: str) -> Release:
        return cls(value["compartment"], value["count"], tuple(value.get("patches", (0,))))
