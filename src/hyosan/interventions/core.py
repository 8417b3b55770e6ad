"""Interventions in a well-mixed population: what people do to an outbreak.

An :class:`Intervention` fires once at each of its times (``at``), or once
the first time its :class:`Condition` holds (``when``). When it fires it sets
parameters (awareness raises ``alpha``) and removes fractions of compartments
at once (Munz et al.'s impulsive eradication). Engines stop at these moments
and the driver applies them between kernel segments.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from hyosan._typing import FloatArray
from hyosan.errors import InputError
from hyosan.interventions.space import Camp
from hyosan.space import Selection, World

__all__ = ["Condition", "Intervention", "Remove"]

_OPS = ("<=", ">=", "<", ">")
_COND = re.compile(
    r"^\s*(?P<lhs>[A-Za-z_][A-Za-z0-9_]*(?:\s*\+\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*"
    r"(?P<op><=|>=|<|>)\s*(?P<rhs>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
    r"(?:\s+in\s+(?P<where>\S.*?))?\s*$"
)


@dataclass(frozen=True, slots=True)
class Condition:
    """``sum of compartments  op  threshold``, e.g. ``Z > 100`` or ``S + E < 1``.

    In a world the sum runs over every patch, or over a region's patches when
    the text ends with ``in`` and a patch, region or place name:
    ``Z >= 10 in downtown``.
    """

    compartments: tuple[str, ...]
    op: str
    threshold: float
    where: Selection | None = None

    @classmethod
    def parse(cls, text: str, *, key: str = "when") -> Condition:
        match = _COND.match(text) if isinstance(text, str) else None
        if match is None:
            raise InputError(
                "cannot read this condition",
                key=key,
                value=text,
                allowed='compartments joined by "+", one of < <= > >=, a number, and '
                'optionally "in" a region: "Z > 100", "Z >= 10 in downtown"',
            )
        comps = tuple(c.strip() for c in match["lhs"].split("+"))
        where = Selection(patches=(match["where"],)) if match["where"] else None
        return cls(comps, match["op"], float(match["rhs"]), where)

    def total(self, X: FloatArray, compartments: tuple[str, ...], world: World | None) -> float:
        """The condition's sum in state ``X`` (patches x compartments), over its region."""
        rows = X if self.where is None or world is None else X[self.where.resolve(world)]
        return sum(float(rows[:, compartments.index(c)].sum()) for c in self.compartments)

    def holds(self, total: float) -> bool:
        """Whether the condition holds for this total of its compartments."""
        t = self.threshold
        return {"<": total < t, "<=": total <= t, ">": total > t, ">=": total >= t}[self.op]

    def check(self, compartments: tuple[str, ...], world: World | None, *, key: str) -> None:
        """Raise :class:`InputError` if it names a compartment or region there is not."""
        for c in self.compartments:
            if c not in compartments:
                raise InputError(
                    "unknown compartment in condition",
                    key=key,
                    value=c,
                    allowed=", ".join(compartments),
                )
        if self.where is not None:
            if world is None:
                raise InputError(
                    "this condition counts in a region, and the scenario has no world",
                    key=key,
                    value=str(self),
                    allowed='add a [world] table, or drop "in ..." to count everywhere',
                )
            self.where.resolve(world, key=key)

    def __str__(self) -> str:
        text = f"{' + '.join(self.compartments)} {self.op} {self.threshold:g}"
        return text if self.where is None else f"{text} in {self.where.patches[0]}"


@dataclass(frozen=True, slots=True)
class Remove:
    """Move ``fraction`` of ``compartment`` at once to ``to`` (or out of the model)."""

    compartment: str
    fraction: float
    to: str | None = None


@dataclass(frozen=True, slots=True)
class Intervention:
    """Set parameters and remove people, at times or when a condition first holds.

    Parameters
    ----------
    at
        Times at which it fires (each once). Empty when ``when`` is given.
    when
        A condition; it fires the first time the condition holds.
    set
        Parameter values to set.
    remove
        Impulses to apply.
    name
        A label for output and stories.
    cordon, lockdown, barricade, reopen, strike, camp
        Actions in space (see :mod:`hyosan.interventions.space`); they need a world.
    """

    at: tuple[float, ...] = ()
    when: Condition | None = None
    set: Mapping[str, float] = field(default_factory=dict)
    remove: tuple[Remove, ...] = ()
    name: str = ""
    cordon: Selection | None = None
    lockdown: Selection | None = None
    barricade: Selection | None = None
    reopen: Selection | None = None
    strike: Selection | None = None
    camp: Camp | None = None

    @property
    def edge_actions(self) -> tuple[tuple[str, Selection], ...]:
        """The cordon, lockdown, barricade and reopen actions, in the order they apply."""
        pairs = (
            ("reopen", self.reopen),
            ("cordon", self.cordon),
            ("lockdown", self.lockdown),
            ("barricade", self.barricade),
        )
        return tuple((kind, sel) for kind, sel in pairs if sel is not None)

    @property
    def in_space(self) -> bool:
        """Whether it acts on patches (and so needs a world)."""
        return bool(self.edge_actions) or self.strike is not None or self.camp is not None

    def check(
        self,
        compartments: tuple[str, ...],
        parameters: tuple[str, ...],
        *,
        key: str = "interventions",
        world: World | None = None,
    ) -> None:
        """Raise :class:`InputError` if it names anything the model (or world) does not have."""
        if bool(self.at) == (self.when is not None):
            raise InputError(
                "an intervention needs exactly one of 'at' and 'when'",
                key=key,
                allowed='at = TIME (or a list of times), or when = "Z > 100"',
            )
        for t in self.at:
            if not 0 <= t < float("inf"):
                raise InputError(
                    "intervention times are finite and >= 0",
                    key=f"{key}.at",
                    value=t,
                    allowed="a finite number >= 0",
                )
        if not self.set and not self.remove and not self.in_space:
            raise InputError(
                "an intervention must do something",
                key=key,
                allowed="'set', 'remove', or in a world 'cordon', 'lockdown', 'barricade', "
                "'reopen', 'strike', 'camp'",
            )
        if self.in_space:
            if world is None:
                what = next(
                    n
                    for n in ("cordon", "lockdown", "barricade", "reopen", "strike", "camp")
                    if getattr(self, n) is not None
                )
                raise InputError(
                    "this intervention acts on patches, and the scenario has no world",
                    key=f"{key}.{what}",
                    allowed="add a [world] table to the scenario, or use 'set'/'remove'",
                )
            for kind, sel in (*self.edge_actions, ("strike", self.strike)):
                if sel is not None:
                    sel.resolve(world, key=f"{key}.{kind}")
            if self.camp is not None:
                self.camp.check(compartments, world, key=f"{key}.camp")
        allowed_c = ", ".join(compartments)
        if self.when is not None:
            self.when.check(compartments, world, key=f"{key}.when")
        for name, value in self.set.items():
            if name not in parameters:
                raise InputError(
                    "unknown parameter",
                    key=f"{key}.set.{name}",
                    value=name,
                    allowed=", ".join(parameters),
                )
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not (0 <= value < float("inf"))
            ):
                raise InputError(
                    "a parameter value must be a finite number >= 0",
                    key=f"{key}.set.{name}",
                    value=value,
                    allowed="a finite number >= 0",
                )
        for i, r in enumerate(self.remove):
            k = f"{key}.remove[{i}]"
            if r.compartment not in compartments:
                raise InputError(
                    "unknown compartment",
                    key=f"{k}.compartment",
                    value=r.compartment,
                    allowed=allowed_c,
                )
            if r.to is not None and r.to not in compartments:
                raise InputError(
                    "unknown compartment",
                    key=f"{k}.to",
                    value=r.to,
                    allowed=allowed_c + " (or leave out to remove from the model)",
                )
            if not 0.0 <= r.fraction <= 1.0:
                raise InputError(
                    "a fraction is between 0 and 1",
                    key=f"{k}.fraction",
                    value=r.fraction,
                    allowed="0 <= fraction <= 1",
                )
