"""SBML kinetic laws reduced to hyosan's rate laws, or refused.

A kinetic law is read as one product (see ``docs/design/sbml.md``)::

    number * parameter * (1 - parameter) * species [* species] [/ total]

Numbers, compartment sizes, and the constant parameters a law divides by
are folded into the coefficient; the species factors (at most two, a power
``S^2`` counting twice) are the reaction's reactants in hyosan; a total is
a sum of species (``S + Z + R``), a parameter that an assignment rule makes
such a sum, or a constant parameter equal to everyone at the start of a
model that never changes its total (``N``). Anything else (a sum of
terms, a function, ``time``, a delay, a negative sign) is not one
mass-action term and raises :class:`InputError` saying what it found.

Reading never evaluates text: the law is libsbml's parsed tree
(``ASTNode``), walked node by node.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from hyosan.errors import InputError

__all__ = ["LAWS_ALLOWED", "Symbols", "Term", "addends", "reduce_law"]

LAWS_ALLOWED = (
    "one mass-action term: a product of numbers, parameters, (1 - parameter) and at most two "
    "species, optionally divided by the total population (a sum of species, or a parameter "
    "equal to it), e.g. beta*S*Z or beta*S*Z/(S+Z+R)"
)


@dataclass(frozen=True, slots=True)
class Symbols:
    """What each identifier a kinetic law may read stands for.

    Attributes
    ----------
    species
        Species identifiers (hyosan compartments).
    parameters
        Parameter identifier (local ones first) -> (hyosan name, value).
    sizes
        Compartment identifier -> size.
    totals
        Identifier -> the species it sums: parameters an assignment rule makes
        a sum of species, and constant parameters equal to everyone at the start
        of a model that keeps its total (see :func:`reduce_law`).
    """

    species: frozenset[str]
    parameters: Mapping[str, tuple[str, float]]
    sizes: Mapping[str, float] = field(default_factory=dict)
    totals: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Term:
    """A law reduced: ``coefficient * names * (1 - complements) * species / total``.

    ``divided`` holds the parameters folded into the coefficient as divisors;
    ``total_by`` the parameter that stands for the total (``N``), if one does,
    with its value (a law that turns out not to be frequency dependent
    divides by that value instead).
    """

    coefficient: float = 1.0
    names: tuple[str, ...] = ()
    complements: tuple[str, ...] = ()
    species: tuple[str, ...] = ()
    total: frozenset[str] | None = None
    divided: tuple[str, ...] = ()
    total_by: tuple[str, float] | None = None

    def times(self, other: Term) -> Term:
        if self.total is not None and other.total is not None:
            raise _not_mass_action("the law divides by the population twice")
        return Term(
            self.coefficient * other.coefficient,
            self.names + other.names,
            self.complements + other.complements,
            self.species + other.species,
            self.total if self.total is not None else other.total,
            self.divided + other.divided,
            self.total_by or other.total_by,
        )

    def without_total(self) -> Term:
        """The term with a total that a parameter stood for folded in as that parameter's value."""
        if self.total_by is None:
            return self
        name, value = self.total_by
        return replace(
            self,
            coefficient=self.coefficient / value,
            total=None,
            divided=(*self.divided, name),
            total_by=None,
        )


def reduce_law(node: Any, symbols: Symbols) -> Term:
    """The term the libsbml ``ASTNode`` ``node`` is, or :class:`InputError` saying why not."""
    import libsbml

    kind = node.getType()
    if node.isNumber():
        return Term(coefficient=_number(node))
    constant = _constant(kind)
    if constant is not None:
        return Term(coefficient=constant)
    if kind == libsbml.AST_NAME:
        return _name(node.getName(), symbols)
    if kind == libsbml.AST_TIMES:
        out = Term()
        for i in range(node.getNumChildren()):
            out = out.times(reduce_law(node.getChild(i), symbols))
        return out
    if kind == libsbml.AST_DIVIDE:
        return _divide(node, symbols)
    if kind in (libsbml.AST_POWER, libsbml.AST_FUNCTION_POWER):
        return _power(node, symbols)
    if kind == libsbml.AST_MINUS and node.getNumChildren() == 2:
        return _complement(node, symbols)
    if kind == libsbml.AST_PLUS and node.getNumChildren() == 1:
        return reduce_law(node.getChild(0), symbols)
    raise _not_mass_action(_what(node))


def _name(name: str, symbols: Symbols) -> Term:
    if name in symbols.species:
        return Term(species=(name,))
    if name in symbols.parameters:
        return Term(names=(symbols.parameters[name][0],))
    if name in symbols.sizes:
        return Term(coefficient=symbols.sizes[name])
    if name in symbols.totals:
        raise _not_mass_action(
            f"{name!r} (the sum of {', '.join(sorted(symbols.totals[name]))}) multiplies the "
            "law; hyosan divides by a total only"
        )
    raise _not_mass_action(f"the law reads {name!r}, which is no species, parameter or compartment")


def _divide(node: Any, symbols: Symbols) -> Term:
    top = reduce_law(node.getChild(0), symbols)
    below = _divisor(node.getChild(1), symbols)
    if below.coefficient == 0.0 or not math.isfinite(below.coefficient):
        raise _not_mass_action("the law divides by zero (or by a parameter without a value)")
    out = top.times(replace(below, coefficient=1.0))
    return replace(out, coefficient=top.coefficient / below.coefficient)


def _divisor(node: Any, symbols: Symbols) -> Term:
    """What a law divides by: numbers, sizes and parameters (their values), or one total."""
    import libsbml

    kind = node.getType()
    if node.isNumber() or _constant(kind) is not None:
        return reduce_law(node, symbols)
    if kind == libsbml.AST_NAME:
        name = node.getName()
        if name in symbols.totals:
            if name in symbols.parameters:  # a constant parameter equal to N: its value kept
                return Term(
                    total=symbols.totals[name], total_by=(name, symbols.parameters[name][1])
                )
            return Term(total=symbols.totals[name])
        if name in symbols.parameters:
            return Term(coefficient=symbols.parameters[name][1], divided=(name,))
        if name in symbols.sizes:
            return Term(coefficient=symbols.sizes[name])
    if kind == libsbml.AST_PLUS and node.getNumChildren() > 1:
        return Term(total=_species_sum(node, symbols))
    if kind == libsbml.AST_TIMES:
        out = Term()
        for i in range(node.getNumChildren()):
            out = out.times(_divisor(node.getChild(i), symbols))
        return out
    raise _not_mass_action(
        f"the law divides by {_formula(node)}, which is no total population (a sum of "
        "species): Michaelis-Menten and Hill laws divide so"
    )


def _species_sum(node: Any, symbols: Symbols) -> frozenset[str]:
    """``S + Z + R``: each species once, nothing else."""
    import libsbml

    names = []
    for child in addends(node):
        if child.getType() != libsbml.AST_NAME or child.getName() not in symbols.species:
            raise _not_mass_action(
                f"the law divides by {_formula(node)}, which is no sum of species (the total "
                "population): Michaelis-Menten and Hill laws divide so"
            )
        names.append(child.getName())
    if len(set(names)) != len(names):
        raise _not_mass_action(f"the total {_formula(node)} counts a species twice")
    return frozenset(names)


def addends(node: Any) -> list[Any]:
    """The terms of a sum, nested sums (``(S + Z) + R``, as libsbml may read it) flattened."""
    import libsbml

    if node.getType() != libsbml.AST_PLUS:
        return [node]
    return [t for i in range(node.getNumChildren()) for t in addends(node.getChild(i))]


def _power(node: Any, symbols: Symbols) -> Term:
    """``S^2``: a factor repeated a whole number of times (1 to 4)."""
    exponent = node.getChild(1)
    n = _number(exponent) if exponent.isNumber() else math.nan
    if n not in (1.0, 2.0, 3.0, 4.0):
        raise _not_mass_action(f"a power {_formula(node)}; mass action raises to 1 or 2")
    base = reduce_law(node.getChild(0), symbols)
    if base.total is not None:
        raise _not_mass_action(f"a power of the population in {_formula(node)}")
    out = Term()
    for _ in range(int(n)):
        out = out.times(base)
    return out


def _complement(node: Any, symbols: Symbols) -> Term:
    """``(1 - p)`` for a parameter ``p``; any other difference is refused."""
    import libsbml

    one, p = node.getChild(0), node.getChild(1)
    if (
        one.isNumber()
        and _number(one) == 1.0
        and p.getType() == libsbml.AST_NAME
        and p.getName() in symbols.parameters
    ):
        return Term(complements=(symbols.parameters[p.getName()][0],))
    raise _not_mass_action(
        f"a difference {_formula(node)}: a law is one term (only (1 - parameter) subtracts); "
        "write a reversible reaction as two reactions"
    )


def _number(node: Any) -> float:
    import libsbml

    if node.getType() == libsbml.AST_RATIONAL:
        return float(node.getNumerator()) / float(node.getDenominator())
    return float(node.getValue())


def _what(node: Any) -> str:
    """What a node that is not part of a mass-action term is, in a few words."""
    import libsbml

    kind = node.getType()
    if kind == libsbml.AST_MINUS:
        return "a negative sign (a rate is never negative)"
    if kind == libsbml.AST_PLUS:
        return "a sum of terms (hyosan's reactions have one mass-action term each)"
    if kind == libsbml.AST_NAME_TIME:
        return "the time (a law that changes with time is not mass action)"
    if kind == libsbml.AST_FUNCTION_DELAY:
        return "a delay (hyosan's reactions have no memory)"
    if kind == libsbml.AST_FUNCTION:
        return f"a function {node.getName()!r} that cannot be reduced to a product"
    if kind == libsbml.AST_NAME_AVOGADRO:
        return "Avogadro's number (hyosan counts people, not moles)"
    return f"{_formula(node)} (e.g. Michaelis-Menten, Hill, exp, piecewise)"


def _formula(node: Any) -> str:
    import libsbml

    text = libsbml.formulaToL3String(node) or "?"
    return text if len(text) <= 80 else text[:77] + "..."


def _not_mass_action(problem: str) -> InputError:
    return InputError(f"not one mass-action term: {problem}", allowed=LAWS_ALLOWED)


def _constant(kind: int) -> float | None:
    """The value of a MathML constant a law may multiply by (pi, e), else None."""
    import libsbml

    return {libsbml.AST_CONSTANT_PI: math.pi, libsbml.AST_CONSTANT_E: math.e}.get(kind)
