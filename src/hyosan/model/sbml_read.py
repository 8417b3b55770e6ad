"""An SBML model (a libsbml document) turned into a hyosan :class:`Model`, or refused.

The mapping (``docs/design/sbml.md``): species become compartments, global
parameters and kinetic laws' local parameters become parameters, each
reaction whose kinetic law is one mass-action term becomes a reaction whose
reactants are the species the law multiplies, in the law's order. A species
the law multiplies beyond the reaction's reactants is a modifier: it becomes
a catalyst on both sides (``S -> Z; beta*S*Z`` is ``S + Z -> Z + Z``). So do
boundary species, which no reaction changes. A law divided by a total of
species is frequency dependent, and those species are the model's
``population``.

Everything hyosan cannot represent is refused with one :class:`InputError`
naming the file, the SBML element by its id, why, and what is allowed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from hyosan.errors import InputError
from hyosan.model.core import Model, Parameter, Reaction, resolve_parameters
from hyosan.model.rates import RateExpression, RateLaw
from hyosan.model.sbml_checks import bad, population_parameters, refuse_unsupported, rule_totals
from hyosan.model.sbml_laws import LAWS_ALLOWED, Symbols, Term, reduce_law
from hyosan.model.sbml_meta import Meta, exact, free_name, read_meta

__all__ = ["model_from_document"]

_UNITS = {1.0: "second", 60.0: "minute", 3600.0: "hour", 86400.0: "day", 604800.0: "week"}
"""Time units hyosan names in words, by their length in seconds."""


@dataclass(frozen=True, slots=True)
class _Species:
    """A species as hyosan reads it: its count at the start and whether reactions change it."""

    amount: float
    fixed: bool


@dataclass(frozen=True, slots=True)
class _Mapped:
    """One SBML reaction read: hyosan's reaction, the total its law divides by (frequency
    dependence), the parameters folded into its number, and its local parameters."""

    ident: str
    reaction: Reaction
    total: frozenset[str] | None
    folded: tuple[str, ...]
    locals_: dict[str, float]


def model_from_document(doc: Any, *, source: str, name: str) -> tuple[Model, dict[str, float]]:
    """The model in the libsbml document ``doc`` and its species' initial amounts.

    ``source`` names the file in errors; ``name`` is the model's name when
    neither hyosan's annotation nor the SBML model gives one.
    """
    refuse_unsupported(doc, source)
    m = doc.getModel()
    meta = read_meta(m)
    sizes = {c.getId(): c.getSize() for c in m.getListOfCompartments() if c.isSetSize()}
    species = {s.getId(): _species(s, sizes, meta, source) for s in m.getListOfSpecies()}
    values = _globals(m, meta)
    totals = rule_totals(m, frozenset(species), source)
    amounts = {s: v.amount for s, v in species.items()}
    changes = [_net_change(r, species) for r in m.getListOfReactions()]
    totals.update(population_parameters(amounts, changes, values))
    symbols = Symbols(frozenset(species), {p: (p, v) for p, v in values.items()}, sizes, totals)
    taken = {*species, *values, *sizes, *totals, *(r.getId() for r in m.getListOfReactions())}
    mapped = [_reaction(r, species, symbols, taken, source) for r in m.getListOfReactions()]
    used = {n for x in mapped for n in x.reaction.rate_expression.parameters}
    folded = {n for x in mapped for n in x.folded} | set(totals)
    # a parameter no law reads is kept if hyosan can hold its value (a number >= 0)
    kept = {k: v for k, v in values.items() if k in used or (k not in folded and 0 <= v < math.inf)}
    kept.update({k: v for x in mapped for k, v in x.locals_.items() if k in used})
    reactions = [x.reaction for x in mapped]
    if meta.name is not None:  # written by hyosan: a reaction without a name has none
        names = [r.getName() for r in m.getListOfReactions()]
        reactions = [replace(r, name=n) for r, n in zip(reactions, names, strict=True)]
    try:
        model = Model(
            name=meta.name or m.getName() or m.getId() or name,
            compartments=tuple(species),
            parameters=tuple(_parameter(n, v, meta, source) for n, v in kept.items()),
            reactions=tuple(reactions),
            population=_population(mapped, tuple(species), meta, source),
            humans=meta.roles.get("humans", ()),
            zombies=meta.roles.get("zombies", ()),
            survivors=meta.roles.get("survivors", ()),
            hybrids=meta.roles.get("hybrids", ()),
            time_unit=meta.time_unit or _time_unit(m),
            description=meta.description or "",
            references=meta.references,
        )
        resolve_parameters(model, source=source)  # a p of (1 - p) is at most 1
    except InputError as err:
        raise err.at(source) from None
    return model, amounts


def _species(s: Any, sizes: Mapping[str, float], meta: Meta, source: str) -> _Species:
    key = f"species {s.getId()!r}"
    size = sizes.get(s.getCompartment(), math.nan)
    if not s.getHasOnlySubstanceUnits() and size != 1.0:
        problem = f"a concentration in compartment {s.getCompartment()!r} of size {size:g}"
        allowed = "compartments of size 1, or hasOnlySubstanceUnits='true' (hyosan counts people)"
        raise bad(source, key, problem, allowed)
    if s.isSetConversionFactor():
        raise bad(source, key, "a conversion factor is not supported", "none")
    if s.isSetInitialAmount():
        amount = s.getInitialAmount()
    elif s.isSetInitialConcentration():
        amount = s.getInitialConcentration() * size
    else:
        raise bad(source, key, "no initial amount", "initialAmount or initialConcentration")
    if not (math.isfinite(amount) and amount >= 0):
        raise bad(source, key, "an initial amount is a number >= 0", "a count of people", amount)
    amount = exact(amount, meta.amounts.get(s.getId()))
    return _Species(amount, fixed=s.getBoundaryCondition() or s.getConstant())


def _globals(m: Any, meta: Meta) -> dict[str, float]:
    """Global parameters that no rule sets, with their values (NaN when unset)."""
    ruled = {rule.getVariable() for rule in m.getListOfRules()}
    out = {}
    for p in m.getListOfParameters():
        if p.getId() not in ruled:
            value = p.getValue() if p.isSetValue() else math.nan
            out[p.getId()] = exact(value, meta.parameters.get(p.getId(), {}).get("value"))
    return out


def _net_change(r: Any, species: Mapping[str, _Species]) -> float:
    """How much reaction ``r`` changes the total of the species reactions change."""
    made = sum(x.getStoichiometry() for x in r.getListOfProducts() if _changes(x, species))
    return made - sum(x.getStoichiometry() for x in r.getListOfReactants() if _changes(x, species))


def _changes(ref: Any, species: Mapping[str, _Species]) -> bool:
    s = species.get(ref.getSpecies())
    return s is not None and not s.fixed


def _reaction(
    r: Any, species: Mapping[str, _Species], symbols: Symbols, taken: set[str], source: str
) -> _Mapped:
    """The SBML reaction ``r`` read; its local parameters get names not ``taken``."""
    import libsbml

    key = f"reaction {r.getId()!r}"
    law = r.getKineticLaw() if r.isSetKineticLaw() else None
    if law is None or not law.isSetMath():
        raise bad(source, key, "no kinetic law", LAWS_ALLOWED)
    locals_ = {}
    for p in law.getListOfParameters():
        name = free_name(f"{r.getId()}_{p.getId()}", taken)
        locals_[p.getId()] = (name, p.getValue() if p.isSetValue() else math.nan)
    symbols = replace(symbols, parameters={**symbols.parameters, **locals_})
    formula = libsbml.formulaToL3String(law.getMath())
    try:
        term = reduce_law(law.getMath(), symbols)
    except InputError as err:
        raise bad(source, key, err.problem, err.allowed, formula[:200]) from None
    except RecursionError:
        raise bad(source, key, "a law nested too deep to read", LAWS_ALLOWED) from None
    if term.total is not None and len(term.species) != 2:
        term = term.without_total()
    reaction = _mass_action(r, term, species, source, key, formula)
    values = dict(symbols.parameters.values())
    for p in reaction.rate_expression.parameters:
        if not (math.isfinite(values[p]) and values[p] >= 0):
            where = f"parameter {next(k for k, v in symbols.parameters.items() if v[0] == p)!r}"
            raise bad(
                source, where, "a rate's parameter is a number >= 0", "a number >= 0", values[p]
            )
    total_by = (term.total_by[0],) if term.total_by else ()
    return _Mapped(r.getId(), reaction, term.total, term.divided + total_by, dict(locals_.values()))


def _mass_action(
    r: Any, term: Term, species: Mapping[str, _Species], source: str, key: str, formula: str
) -> Reaction:
    """hyosan's reaction for ``r`` whose law is ``term``: reactants are what the law multiplies."""
    if term.total is not None and len(term.species) != 2:
        problem = "a law divided by the population multiplies two species (k * X * Y / N)"
        raise bad(source, key, f"not one mass-action term: {problem}", LAWS_ALLOWED, formula)
    if len(term.species) > 2:
        problem = f"the law multiplies {len(term.species)} species; hyosan's reactions have two"
        raise bad(source, key, f"not one mass-action term: {problem}", LAWS_ALLOWED, formula)
    if not (math.isfinite(term.coefficient) and term.coefficient >= 0):
        raise bad(source, key, "the law's number must be finite and >= 0", LAWS_ALLOWED, formula)
    consumed = _side(r.getListOfReactants(), species, source, key)
    made = _side(r.getListOfProducts(), species, source, key)
    missing = Counter(consumed) - Counter(term.species)
    if missing:
        s = next(iter(missing))
        problem = f"not mass action: reactant {s!r} is consumed {consumed.count(s)} time(s) "
        problem += f"but the law multiplies it {term.species.count(s)} time(s)"
        raise bad(source, key, problem, LAWS_ALLOWED, formula)
    extra = Counter(term.species) - Counter(consumed)  # modifiers: catalysts on both sides
    catalysts = []
    for s in term.species:
        if extra[s]:
            catalysts.append(s)
            extra[s] -= 1
    rate = str(RateExpression(term.coefficient, term.names, term.complements))
    law = RateLaw.FREQUENCY if term.total is not None else None
    return Reaction(term.species, (*made, *catalysts), rate, law, r.getName() or r.getId())


def _side(refs: Any, species: Mapping[str, _Species], source: str, key: str) -> list[str]:
    """The species a side of a reaction changes, each repeated as its stoichiometry."""
    out: list[str] = []
    for ref in refs:
        where = f"{key}, species {ref.getSpecies()!r}"
        if ref.isSetStoichiometryMath():
            raise bad(source, where, "a stoichiometry given by math", "a whole number")
        n = ref.getStoichiometry() if ref.isSetStoichiometry() else 1.0
        if not (math.isfinite(n) and 0 <= n <= 1000 and n == int(n)):
            problem = "a stoichiometry must be a whole number (hyosan moves whole people)"
            raise bad(source, where, problem, "0, 1, 2, ... up to 1000", n)
        if _changes(ref, species):
            out += [ref.getSpecies()] * int(n)
    return out


def _parameter(name: str, value: float, meta: Meta, source: str) -> Parameter:
    if not (math.isfinite(value) and value >= 0):
        raise bad(
            source, f"parameter {name!r}", "a parameter is a number >= 0", "a number >= 0", value
        )
    info = meta.parameters.get(name, {})
    return Parameter(name, value, info.get("description", ""), info.get("unit", ""))


def _population(
    mapped: list[_Mapped], species: tuple[str, ...], meta: Meta, source: str
) -> tuple[str, ...]:
    """The species in ``N``: what the frequency-dependent laws divide by (one total for all)."""
    totals = {x.total for x in mapped if x.total is not None}
    written = meta.roles.get("population", ())
    if not totals:
        return written  # no law reads N: the annotation's, if any, changes nothing
    if len(totals) > 1:
        seen = [x for x in mapped if x.total is not None]
        other = next(x for x in seen if x.total != seen[0].total)
        problem = "frequency-dependent laws divide by different totals; hyosan has one population N"
        allowed = "the same sum of species in every frequency-dependent law"
        raise bad(source, f"reaction {other.ident!r}", problem, allowed)
    (total,) = totals
    if set(written) == total:
        return written
    return () if total == set(species) else tuple(s for s in species if s in total)


def _time_unit(m: Any) -> str:
    """The model's ``timeUnits`` in words (second, minute, hour, day, week), else "day"."""
    if not m.isSetTimeUnits():
        return "day"
    ident = m.getTimeUnits()
    if ident in ("second", "dimensionless"):
        return ident
    unit = m.getUnitDefinition(ident)
    if unit is None or unit.getNumUnits() != 1:
        return ident
    u = unit.getUnit(0)
    if not u.isSecond() or u.getExponentAsDouble() != 1.0:
        return ident
    seconds = u.getMultiplier() * 10.0 ** u.getScale()
    return next((w for s, w in _UNITS.items() if math.isclose(s, seconds)), ident)
