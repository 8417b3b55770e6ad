"""Rate laws and rate expressions: what a reaction's propensity is made of.

A rate expression is a product of factors, each a number, a parameter name, or
the complement ``(1 - name)`` of a probability parameter, e.g.
``"sigma * (1 - p_hybrid)"``. The grammar is this small on purpose: it is
parsed, never evaluated, so a scenario file cannot run code.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass

from hyosan.errors import InputError, unknown

__all__ = ["RateExpression", "RateLaw"]


class RateLaw(enum.IntEnum):
    """How a reaction's propensity depends on the counts.

    With ``k`` the rate constant, ``X`` and ``Y`` the reactant counts and ``N``
    the living population (the model's ``population`` compartments):

    - ``CONSTANT``: ``k`` (inflow, e.g. births ``Pi``);
    - ``FIRST_ORDER``: ``k * X``;
    - ``MASS_ACTION``: ``k * X * Y`` (``k * X * (X - 1)`` in the exact engines
      when both reactants are the same compartment);
    - ``FREQUENCY``: ``k * X * Y / N`` (zero when ``N`` is zero).
    """

    CONSTANT = 0
    FIRST_ORDER = 1
    MASS_ACTION = 2
    FREQUENCY = 3

    @classmethod
    def from_name(cls, name: str, *, key: str = "law") -> RateLaw:
        """The law called ``name`` (``"mass_action"``, ``"frequency"``, ...)."""
        try:
            return cls[name.strip().upper() if isinstance(name, str) else ""]
        except KeyError:
            raise unknown("rate law", name, [law.label for law in cls], key=key) from None

    @property
    def label(self) -> str:
        """The name used in files: ``"mass_action"``."""
        return self.name.lower()

    @property
    def n_reactants(self) -> int:
        """Reactants a reaction of this law has: 0 constant, 1 first order, 2 otherwise."""
        return (0, 1, 2, 2)[self]


_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_NUMBER = r"(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_FACTOR = re.compile(
    rf"^\s*(?:(?P<num>{_NUMBER})|(?P<name>{_NAME})|\(\s*1\s*-\s*(?P<comp>{_NAME})\s*\))\s*$"
)


@dataclass(frozen=True, slots=True)
class RateExpression:
    """A product ``coefficient * p1 * ... * (1 - q1) * ...`` of parameters.

    Attributes
    ----------
    coefficient
        The product of the numbers in the expression.
    names
        Parameters that appear as themselves.
    complements
        Parameters that appear as ``(1 - name)``.
    """

    coefficient: float
    names: tuple[str, ...]
    complements: tuple[str, ...]

    @classmethod
    def parse(cls, text: str, *, key: str = "rate") -> RateExpression:
        """Parse ``text``; raise :class:`InputError` naming ``key`` if it is not a product."""
        allowed = 'a product of numbers, parameter names and "(1 - name)", e.g. "sigma * (1 - p)"'
        if not isinstance(text, str) or not text.strip():
            raise InputError(
                "a rate must be a non-empty expression", key=key, value=text, allowed=allowed
            )
        coefficient = 1.0
        names: list[str] = []
        complements: list[str] = []
        for part in _split_product(text):
            match = _FACTOR.match(part)
            if match is None:
                raise InputError("cannot read this rate", key=key, value=text, allowed=allowed)
            if match["num"] is not None:
                coefficient *= float(match["num"])
            elif match["name"] is not None:
                names.append(match["name"])
            else:
                complements.append(match["comp"])
        return cls(coefficient, tuple(names), tuple(complements))

    @property
    def parameters(self) -> tuple[str, ...]:
        """Every parameter the expression reads."""
        return self.names + self.complements

    def evaluate(self, values: Mapping[str, float]) -> float:
        """The rate constant for these parameter values."""
        out = self.coefficient
        for name in self.names:
            out *= values[name]
        for name in self.complements:
            out *= 1.0 - values[name]
        return out

    def __str__(self) -> str:
        parts = (
            []
            if self.coefficient == 1.0 and (self.names or self.complements)
            else [repr(self.coefficient)]
        )
        parts += list(self.names) + [f"(1 - {c})" for c in self.complements]
        return " * ".join(parts)


def _split_product(text: str) -> list[str]:
    """Split on ``*`` outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "*" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts
