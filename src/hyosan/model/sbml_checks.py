"""What an SBML model holds besides species and reactions: refused, or read as a total.

hyosan simulates reactions only. An SBML model whose numbers change in any
other way (events, rate and algebraic rules, an assignment rule to anything
but a total population), or that asks a simulator to check or scale
something (constraints, conversion factors, fast reactions, required
packages), is refused here, naming the element by its id. Two things read
as the total population ``N`` of frequency-dependent laws are found here
too: an assignment rule ``N = S + Z + R``, and a constant parameter equal
to everyone at the start of a model whose reactions never change the total.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from hyosan.errors import InputError
from hyosan.model.sbml_laws import addends

__all__ = ["bad", "population_parameters", "refuse_unsupported", "rule_totals"]

SUPPORTED = "species, parameters, compartments and reactions with mass-action kinetic laws"
TOTAL_RULE = "an assignment rule that makes a parameter a sum of species (a total population)"


def bad(
    source: str, key: str, problem: str, allowed: str, value: Any = InputError._UNSET
) -> InputError:
    """The one error of an SBML file: its path, the element (``reaction 'J2'``), why, what is
    allowed."""
    return InputError(problem, source=source, key=key, value=value, allowed=allowed)


def refuse_unsupported(doc: Any, source: str) -> None:
    """Refuse a document hyosan cannot simulate as written, naming the first element why."""
    spaces = doc.getNamespaces()
    declared = {spaces.getURI(i) for i in range(spaces.getNumNamespaces())}
    for i in range(doc.getNumPlugins() if doc.getLevel() == 3 else 0):  # packages: Level 3
        plugin = doc.getPlugin(i)
        package = plugin.getPackageName()
        uri = plugin.getURI()  # l3v2extendedmath's is core's: part of Level 3 Version 2
        if uri in declared and uri != doc.getURI() and doc.getPackageRequired(package):
            problem = "a required SBML package (it changes what the model means)"
            raise bad(source, f"package {package!r}", problem, SUPPORTED)
    m = doc.getModel()
    for items, what, why in (
        (m.getListOfEvents(), "event", "an event (interventions belong in a hyosan scenario)"),
        (m.getListOfConstraints(), "constraint", "a constraint (hyosan checks none)"),
    ):
        for i, item in enumerate(items):
            ident = repr(item.getId()) if item.getId() else f"number {i + 1}"
            raise bad(source, f"{what} {ident}", f"{why} is not supported", SUPPORTED)
    for rule in m.getListOfRules():
        if not rule.isAssignment():
            kind = "a rate rule" if rule.isRate() else "an algebraic rule"
            raise bad(
                source, f"rule for {rule.getVariable()!r}", f"{kind} is not supported", TOTAL_RULE
            )
    if m.isSetConversionFactor():
        raise bad(source, "model", "a conversion factor is not supported", SUPPORTED)
    for r in m.getListOfReactions():
        if r.isSetFast() and r.getFast():
            raise bad(
                source,
                f"reaction {r.getId()!r}",
                "a fast reaction is not supported",
                "fast='false'",
            )


def rule_totals(m: Any, species: frozenset[str], source: str) -> dict[str, frozenset[str]]:
    """Assignment rules that make a parameter a sum of species: totals a law may divide by.

    Any other assignment rule (to a species, to a compartment, or of any other
    formula) is refused.
    """
    import libsbml

    out = {}
    for rule in m.getListOfRules():
        var, node = rule.getVariable(), rule.getMath()
        terms = addends(node) if node is not None else [None]
        ids = [t.getName() for t in terms if t is not None and t.getType() == libsbml.AST_NAME]
        if (
            var in species
            or len(ids) != len(terms)
            or len(set(ids)) != len(ids)
            or not set(ids) <= species
        ):
            formula = libsbml.formulaToL3String(node) if node is not None else ""
            problem = f"an assignment rule that is not a sum of species (for {var!r})"
            raise bad(source, f"rule for {var!r}", problem, TOTAL_RULE, formula)
        out[var] = frozenset(ids)
    return out


def population_parameters(
    amounts: Mapping[str, float], changes: Iterable[float], values: Mapping[str, float]
) -> dict[str, frozenset[str]]:
    """Constant parameters that stand for everyone: equal to the sum of the initial ``amounts``,
    in a model whose reactions (their net ``changes``) all keep that sum, so they stay equal."""
    if any(c != 0 for c in changes):
        return {}
    everyone = math.fsum(amounts.values())
    return {
        p: frozenset(amounts)
        for p, v in values.items()
        if everyone > 0 and math.isclose(v, everyone, rel_tol=1e-12, abs_tol=0.0)
    }
