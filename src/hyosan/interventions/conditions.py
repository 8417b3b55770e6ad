"""Conditions on counts, and the one comparison type every part of hyosan uses.

A :class:`Condition` reads ``sum of compartments  op  threshold``
(``"Z > 100"``, ``"S + E < 1"``, ``"Z >= 10 in downtown"``). Its :class:`Op`
is the comparison that interventions' ``when``, the kernels' stop conditions
(as the integer codes of :class:`Op`), the story's milestones and the sweep's
outcomes all share.
"""

from __future__ import annotations

import enum
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hyosan._checks import check_number
from hyosan._typing import FloatArray
from hyosan.errors import InputError, unknown
from hyosan.space import Selection, World

__all__ = ["Condition", "Op"]

_COND = re.compile(
    r"^\s*(?P<lhs>[A-Za-z_][A-Za-z0-9_]*(?:\s*\+\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*"
    r"(?P<op><=|>=|<|>)\s*(?P<rhs>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
    r"(?:\s+in\s+(?P<where>\S.*?))?\s*$"
)


class Op(enum.IntEnum):
    """A comparison; its value is the code the kernels read (``cond_op``).

    Examples
    --------
    >>> Op.parse(">=").holds(10.0, 10.0), str(Op.LT)
    (True, '<')
    """

    LT = 0
    LE = 1
    GT = 2
    GE = 3

    @classmethod
    def parse(cls, symbol: str | Op) -> Op:
        """The comparison written ``symbol`` (``"<"``, ``"<="``, ``">"``, ``">="``)."""
        if isinstance(symbol, Op):
            return symbol
        for op in cls:
            if op.symbol == symbol:
                return op
        raise unknown("comparison", symbol, [o.symbol for o in cls], key="op")

    @property
    def symbol(self) -> str:
        return ("<", "<=", ">", ">=")[self.value]

    @property
    def rising(self) -> bool:
        """Whether it becomes true as the total grows (``>`` and ``>=``)."""
        return self >= Op.GT

    def holds(self, total: Any, threshold: Any) -> Any:
        """``total op threshold``, elementwise for arrays."""
        return _FUNCS[self](total, threshold)

    def __str__(self) -> str:
        return self.symbol


_FUNCS: dict[Op, Callable[[Any, Any], Any]] = {
    Op.LT: operator.lt,
    Op.LE: operator.le,
    Op.GT: operator.gt,
    Op.GE: operator.ge,
}


@dataclass(frozen=True, slots=True)
class Condition:
    """``sum of compartments  op  threshold``, e.g. ``Z > 100`` or ``S + E < 1``.

    In a world the sum runs over every patch, or over a region's patches when
    the text ends with ``in`` and a patch, region or place name:
    ``Z >= 10 in downtown``. ``op`` may be given as its symbol.
    """

    compartments: tuple[str, ...]
    op: Op
    threshold: float
    where: Selection | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "op", Op.parse(self.op))

    @classmethod
    def parse(cls, text: str, *, key: str = "when") -> Condition:
        """Read ``"Z + E > 100"`` or ``"Z >= 10 in downtown"``."""
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
        threshold = check_number(float(match["rhs"]), key=key, low=-float("inf"))
        return cls(comps, Op.parse(match["op"]), threshold, where)

    def total(self, X: FloatArray, compartments: tuple[str, ...], world: World | None) -> float:
        """The condition's sum in state ``X`` (patches x compartments), over its region."""
        rows = X if self.where is None or world is None else X[self.where.resolve(world)]
        return sum(float(rows[:, compartments.index(c)].sum()) for c in self.compartments)

    def holds(self, total: Any) -> Any:
        """Whether the condition holds for this total of its compartments (or array of them)."""
        return self.op.holds(total, self.threshold)

    def check(self, compartments: tuple[str, ...], world: World | None, *, key: str) -> None:
        """Raise :class:`InputError` if it names a compartment or region there is not."""
        for c in self.compartments:
            if c not in compartments:
                raise unknown("compartment in condition", c, compartments, key=key)
        if self.where is not None:
            if world is None:
                raise InputError(
                    "this condition counts in a region, and the scenario has no world",
                    key=key,
                    value=str(self),
                    allowed='add a [world] table, or drop "in ..." to count everywhere',
                )
            self.where.resolve(world, key=key)

    def text(self) -> str:
        """``"Z + E > 100.0"``: the threshold exactly (``str`` rounds it), and ``in`` its region."""
        text = f"{' + '.join(self.compartments)} {self.op.symbol} {float(self.threshold)!r}"
        return text if self.where is None else f"{text} in {self.where.patches[0]}"

    def __str__(self) -> str:
        text = f"{' + '.join(self.compartments)} {self.op.symbol} {self.threshold:g}"
        return text if self.where is None else f"{text} in {self.where.patches[0]}"
