"""Models: compartments, parameters and reactions, as frozen value objects.

A :class:`Model` is pure data. It says what is simulated, not how;
:func:`hyosan.model.compile_model` turns it into the plain arrays the engines
run on.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from hyosan._checks import check_number
from hyosan.errors import InputError, unknown
from hyosan.model.rates import RateExpression, RateLaw

__all__ = ["ROLES", "Model", "Parameter", "Reaction"]

ROLES = ("population", "humans", "zombies", "survivors", "hybrids")
"""The model's lists of compartments that say what its compartments are."""

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IDENT_WORDS = "letters, digits and _, not starting with a digit"
_TERM = re.compile(r"^\s*(?:(?P<n>\d+)\s*\*?\s*)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*$")


@dataclass(frozen=True, slots=True)
class Parameter:
    """A named model parameter with its default value, meaning and unit."""

    name: str
    default: float
    description: str = ""
    unit: str = ""


@dataclass(frozen=True, slots=True)
class Reaction:
    """One event: ``reactants -> products`` at a rate law and rate expression.

    Parameters
    ----------
    reactants, products
        Compartment names, repeated for a stoichiometry above one.
    rate
        A rate expression (see :class:`~hyosan.model.rates.RateExpression`).
    law
        The rate law; ``None`` infers it from the number of reactants
        (0: constant, 1: first order, 2: mass action).
    name
        A short label such as ``"bite"``.

    Examples
    --------
    >>> Reaction.parse("S + Z -> E + Z", rate="beta", law="frequency", name="bite").reactants
    ('S', 'Z')
    """

    reactants: tuple[str, ...]
    products: tuple[str, ...]
    rate: str
    law: RateLaw | None = None
    name: str = ""

    @classmethod
    def parse(
        cls, equation: str, rate: str, *, law: str | RateLaw | None = None, name: str = ""
    ) -> Reaction:
        """Build a reaction from ``"S + Z -> 2 Z"``; ``0`` or nothing stands for no compartment."""
        if not isinstance(equation, str) or equation.count("->") != 1:
            raise InputError(
                "a reaction must be written 'reactants -> products'",
                key="equation",
                value=equation,
                allowed='e.g. "S + Z -> E + Z", "-> S" for inflow, "Z ->" for removal',
            )
        left, right = equation.split("->")
        if isinstance(law, str):
            law = RateLaw.from_name(law)
        return cls(_side(left, equation), _side(right, equation), rate, law, name)

    @property
    def rate_law(self) -> RateLaw:
        """The law, given or inferred from the number of reactants."""
        if self.law is not None:
            return self.law
        return (RateLaw.CONSTANT, RateLaw.FIRST_ORDER, RateLaw.MASS_ACTION)[
            min(len(self.reactants), 2)
        ]

    @property
    def equation(self) -> str:
        """The reaction written as ``"S + Z -> E + Z"``."""
        return f"{' + '.join(self.reactants)} -> {' + '.join(self.products)}".strip()

    @property
    def rate_expression(self) -> RateExpression:
        """The parsed rate."""
        return _parse_rate(self.rate)

    def change(self) -> Counter[str]:
        """Net change of each compartment when the reaction fires once."""
        delta: Counter[str] = Counter(self.products)
        delta.subtract(Counter(self.reactants))
        return delta


@functools.lru_cache(maxsize=4096)
def _parse_rate(text: str) -> RateExpression:
    return RateExpression.parse(text)


def _side(text: str, equation: str) -> tuple[str, ...]:
    text = text.strip()
    if text in ("", "0", "∅"):
        return ()
    out: list[str] = []
    for term in text.split("+"):
        match = _TERM.match(term)
        if match is None:
            raise InputError(
                "cannot read this side of a reaction",
                key="equation",
                value=equation,
                allowed='terms like "S", "2 Z", joined by "+"',
            )
        out += [match["name"]] * int(match["n"] or 1)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Model:
    """A mass-action compartment model.

    Parameters
    ----------
    name
        Short name (``"munz-basic"``).
    compartments
        Compartment names, in the order of every array.
    parameters
        Parameters with their default values.
    reactions
        The events.
    population
        Compartments counted in ``N`` for frequency-dependent reactions;
        empty means all compartments.
    humans, zombies
        Which compartments count as human and as zombie in summaries
        (peak zombies, when humans fell below one, takeover).
    survivors
        Where a named character counts as having survived (default: ``humans``);
        in ``aouad`` humans and hybrids.
    hybrids
        Where the hybrids are, alive (those also in ``survivors``) or killed:
        summaries tell from it whether the hybrids survived. Exact when the
        model puts its killed hybrids in a compartment of their own (as
        ``aouad-camp``'s ``Dh``); empty for a model without hybrids.
    time_unit
        The unit of time its rates are given in (``"day"``, ``"hour"``).
    description, references
        Free text, shown by ``hyosan list`` and kept in provenance.
    """

    name: str
    compartments: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    reactions: tuple[Reaction, ...]
    population: tuple[str, ...] = ()
    humans: tuple[str, ...] = ()
    zombies: tuple[str, ...] = ()
    survivors: tuple[str, ...] = ()
    hybrids: tuple[str, ...] = ()
    time_unit: str = "day"
    description: str = ""
    references: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        _check_model(self)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    @property
    def defaults(self) -> dict[str, float]:
        """Default value of every parameter."""
        return {p.name: p.default for p in self.parameters}

    @property
    def surviving(self) -> tuple[str, ...]:
        """Compartments in which a character has survived: ``survivors``, else ``humans``."""
        return self.survivors or self.humans

    @property
    def counted(self) -> tuple[str, ...]:
        """Compartments in ``N``."""
        return self.population or self.compartments

    @property
    def conserves_population(self) -> bool:
        """Whether every reaction keeps the total over all compartments."""
        return all(sum(r.change().values()) == 0 for r in self.reactions)


def _check_model(model: Model) -> None:
    """Raise :class:`InputError` for the first thing wrong with ``model``, in its key path."""
    source = f"model {model.name!r}"
    _check_compartments(model.compartments, source)
    _check_parameters(model, source)
    names = model.parameter_names
    for i, r in enumerate(model.reactions):
        _check_reaction(r, f"reactions[{i}]", model.compartments, names, source)
    for role in ROLES:
        for c in getattr(model, role):
            if c not in model.compartments:
                raise unknown("compartment", c, model.compartments, key=role, source=source)


def _check_compartments(comps: tuple[str, ...], source: str) -> None:
    for i, name in enumerate(comps):
        if not isinstance(name, str) or not _IDENT.match(name):
            raise InputError(
                "compartment names are identifiers",
                source=source,
                key=f"compartments[{i}]",
                value=name,
                allowed=_IDENT_WORDS,
            )
    if not comps:
        raise InputError(
            "a model needs at least one compartment",
            source=source,
            key="compartments",
            value=list(comps),
            allowed='a list of names, e.g. ["S", "Z", "R"]',
        )
    _refuse_twice("compartment", comps, "compartments", source)


def _check_parameters(model: Model, source: str) -> None:
    for i, p in enumerate(model.parameters):
        if not _IDENT.match(p.name):
            raise InputError(
                "parameter names are identifiers",
                source=source,
                key=f"parameters[{i}]",
                value=p.name,
                allowed=_IDENT_WORDS,
            )
        if p.name in model.compartments:
            raise InputError(
                "a parameter cannot share a compartment's name",
                source=source,
                key=f"parameters.{p.name}",
                value=p.name,
            )
        _check_value(p.default, source=source, key=f"parameters.{p.name}")
    _refuse_twice("parameter", model.parameter_names, "parameters", source)


def _refuse_twice(what: str, names: tuple[str, ...], key: str, source: str) -> None:
    if len(set(names)) != len(names):
        dup = next(n for n, c in Counter(names).items() if c > 1)
        raise InputError(
            f"{what} listed twice", source=source, key=key, value=dup, allowed="each name once"
        )


def _check_reaction(
    r: Reaction, key: str, comps: tuple[str, ...], names: tuple[str, ...], source: str
) -> None:
    """Its compartments and parameters exist, and its law has the right number of reactants."""
    for c in r.reactants + r.products:
        if c not in comps:
            raise unknown("compartment in reaction", c, comps, key=f"{key}.equation", source=source)
    law = r.rate_law
    need = law.n_reactants
    if len(r.reactants) != need:
        raise InputError(
            f"a {law.label} reaction has {need} reactant(s)",
            source=source,
            key=f"{key}.equation",
            value=r.equation,
            allowed="0 reactants: constant; 1: first_order; 2: mass_action or frequency",
        )
    try:
        expr = RateExpression.parse(r.rate, key=f"{key}.rate")
    except InputError as err:
        raise err.at(source) from None
    for pname in expr.parameters:
        if pname not in names:
            raise unknown("parameter in rate", pname, names, key=f"{key}.rate", source=source)


_VALUE_PROBLEM = "a rate or parameter must be a number, neither negative nor infinite"


def _check_value(value: object, *, source: str, key: str) -> float:
    """A parameter value must be a finite number >= 0; return it as float."""
    return check_number(value, key=key, source=source, problem=_VALUE_PROBLEM)


def probabilities(model: Model) -> set[str]:
    """Parameters used as ``(1 - p)`` in some rate: they must lie in [0, 1]."""
    return {c for r in model.reactions for c in r.rate_expression.complements}


def resolve_parameters(
    model: Model,
    overrides: Mapping[str, float] | None = None,
    *,
    source: str = "python",
    key_prefix: str = "parameters",
) -> dict[str, float]:
    """The model's defaults updated with ``overrides``, every name and value checked."""
    values = model.defaults
    for name, value in (overrides or {}).items():
        key = f"{key_prefix}.{name}"
        if name not in values:
            raise unknown("parameter", name, values, key=key, source=source)
        values[name] = _check_value(value, source=source, key=key)
    for name in probabilities(model):
        check_number(
            values[name],
            key=f"{key_prefix}.{name}",
            high=1.0,
            source=source,
            problem="a probability cannot exceed 1 (the model uses it as 1 - p)",
        )
    return values
