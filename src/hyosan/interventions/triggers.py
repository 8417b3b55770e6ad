"""When an intervention fires: at times (:class:`At`) or once a condition holds (:class:`When`).

The driver asks a trigger two things: the times at which it fires
(:attr:`Trigger.times`) and the condition it waits for
(:attr:`Trigger.condition`); it knows nothing else about it.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, replace

from hyosan._checks import check_number
from hyosan.errors import InputError
from hyosan.interventions.conditions import Condition
from hyosan.model.characters import Tags
from hyosan.space import World

__all__ = ["At", "Trigger", "When"]


class Trigger(abc.ABC):
    """When an intervention fires."""

    __slots__ = ()

    @property
    @abc.abstractmethod
    def times(self) -> tuple[float, ...]:
        """The times at which it fires, each once (empty for a condition)."""

    @property
    @abc.abstractmethod
    def condition(self) -> Condition | None:
        """The condition whose first holding fires it (``None`` for times)."""

    @abc.abstractmethod
    def check(self, compartments: tuple[str, ...], world: World | None, *, key: str) -> None:
        """Raise :class:`~hyosan.errors.InputError` for a trigger the scenario cannot hold."""

    @abc.abstractmethod
    def to_toml(self) -> dict[str, object]:
        """The trigger's keys in an ``[[interventions]]`` table."""

    def for_characters(self, tags: Tags) -> Trigger:
        """The same trigger on the tagged model (see :mod:`hyosan.model.characters`)."""
        return self


@dataclass(frozen=True, slots=True)
class At(Trigger):
    """Fire once at each of ``times`` (a number is one time).

    Examples
    --------
    >>> At(5.0).times, At((2.5, 5.0)).to_toml()
    ((5.0,), {'at': [2.5, 5.0]})
    """

    at: tuple[float, ...] | float

    def __post_init__(self) -> None:
        at = self.at if isinstance(self.at, tuple | list) else (self.at,)
        object.__setattr__(self, "at", tuple(at))

    @property
    def times(self) -> tuple[float, ...]:
        return self.at  # type: ignore[return-value]

    @property
    def condition(self) -> None:
        return None

    def check(self, compartments: tuple[str, ...], world: World | None, *, key: str) -> None:
        if not self.times:
            raise InputError(
                "an intervention needs a time",
                key=f"{key}.at",
                value=[],
                allowed="a time or a list of times, e.g. at = 6.0 or at = [10.0, 20.0]",
            )
        for t in self.times:
            check_number(t, key=f"{key}.at", problem="intervention times are finite and >= 0")

    def to_toml(self) -> dict[str, object]:
        times = [float(t) for t in self.times]
        return {"at": times[0] if len(times) == 1 else times}


@dataclass(frozen=True, slots=True)
class When(Trigger):
    """Fire once, the first time ``condition`` holds (checked at every event)."""

    when: Condition

    @property
    def times(self) -> tuple[float, ...]:
        return ()

    @property
    def condition(self) -> Condition:
        return self.when

    def check(self, compartments: tuple[str, ...], world: World | None, *, key: str) -> None:
        self.when.check(compartments, world, key=f"{key}.when")

    def to_toml(self) -> dict[str, object]:
        return {"when": self.when.text()}

    def for_characters(self, tags: Tags) -> When:
        """A condition counts the tagged copies too: ``Z > 100`` reads ``Z + Z__a + ... > 100``."""
        return When(replace(self.when, compartments=tags.expand(self.when.compartments)))
