"""A hyosan :class:`Model` written as an SBML Level 3 Version 2 document.

Each compartment is a species (an amount: ``hasOnlySubstanceUnits``, in one
SBML compartment of size 1), each parameter a constant global parameter,
each reaction an irreversible reaction whose reactants and products are
hyosan's (a catalyst, ``S + Z -> E + Z``, is a reactant and a product) and
whose kinetic law is its propensity in the ODE's terms: ``k * X * Y``, or
``k * X * Y / (S + E + ...)`` over the model's population for frequency
dependence. Laws are built as libsbml trees, never parsed from text, so a
parameter called ``pi`` or ``time`` stays a parameter. What SBML has no
place for goes into hyosan's annotation (:mod:`hyosan.model.sbml_meta`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from hyosan.model.core import Model, Reaction
from hyosan.model.rates import RateLaw
from hyosan.model.sbml_meta import free_name, meta_xml, xml_text

__all__ = ["model_document"]

_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}


def model_document(model: Model, values: Mapping[str, float], amounts: Mapping[str, float]) -> Any:
    """The libsbml ``SBMLDocument`` of ``model`` with these parameter ``values`` and ``amounts``."""
    import libsbml

    doc = libsbml.SBMLDocument(3, 2)
    m = doc.createModel()
    taken = {*model.compartments, *model.parameter_names}
    _ok(m.setId(_sid(model.name, taken)))
    _ok(m.setName(xml_text(model.name)))
    _units(m, model.time_unit, taken)
    place = m.createCompartment()
    _ok(place.setId(_sid("population", taken)))
    _ok(place.setConstant(True))
    _ok(place.setSize(1.0))
    _ok(place.setSpatialDimensions(3))
    for c in model.compartments:
        s = m.createSpecies()
        _ok(s.setId(c))
        _ok(s.setCompartment(place.getId()))
        _ok(s.setInitialAmount(float(amounts[c])))
        _ok(s.setHasOnlySubstanceUnits(True))
        _ok(s.setBoundaryCondition(False))
        _ok(s.setConstant(False))
    for p in model.parameters:
        q = m.createParameter()
        _ok(q.setId(p.name))
        _ok(q.setValue(float(values[p.name])))
        _ok(q.setConstant(True))
    for r in model.reactions:
        _reaction(m.createReaction(), r, model.counted, taken)
    _ok(m.setAnnotation(meta_xml(model, values, amounts)))
    if model.description:
        _ok(m.setNotes(_notes(model)))
    return doc


def _reaction(out: Any, r: Reaction, counted: tuple[str, ...], taken: set[str]) -> None:
    _ok(out.setId(_sid(r.name or "reaction", taken)))
    if r.name:
        _ok(out.setName(xml_text(r.name)))
    _ok(out.setReversible(False))
    for species, n in Counter(r.reactants).items():
        _reference(out.createReactant(), species, n)
    for species, n in Counter(r.products).items():
        _reference(out.createProduct(), species, n)
    if r.rate_law is RateLaw.FREQUENCY:  # the law reads the whole population
        for species in counted:
            if species not in r.reactants and species not in r.products:
                _ok(out.createModifier().setSpecies(species))
    law = out.createKineticLaw()
    _ok(law.setMath(_law(r, counted)))


def _reference(ref: Any, species: str, n: int) -> None:
    _ok(ref.setSpecies(species))
    _ok(ref.setStoichiometry(float(n)))
    _ok(ref.setConstant(True))


def _law(r: Reaction, counted: tuple[str, ...]) -> Any:
    """``coefficient * names * (1 - complements) * reactants [/ (sum of counted)]``."""
    import libsbml

    expr = r.rate_expression
    factors = []
    if expr.coefficient != 1.0 or not (expr.parameters or r.reactants):
        factors.append(_number(expr.coefficient))
    factors += [_name(n) for n in expr.names]
    factors += [_apply(libsbml.AST_MINUS, [_number(1), _name(c)]) for c in expr.complements]
    factors += [_name(s) for s in r.reactants]
    node = factors[0] if len(factors) == 1 else _apply(libsbml.AST_TIMES, factors)
    if r.rate_law is RateLaw.FREQUENCY:
        total = [_name(c) for c in counted]
        below = total[0] if len(total) == 1 else _apply(libsbml.AST_PLUS, total)
        node = _apply(libsbml.AST_DIVIDE, [node, below])
    return node


def _apply(kind: int, children: Iterable[Any]) -> Any:
    import libsbml

    node = libsbml.ASTNode(kind)
    for child in children:
        _ok(node.addChild(child))
    return node


def _name(ident: str) -> Any:
    import libsbml

    node = libsbml.ASTNode(libsbml.AST_NAME)
    _ok(node.setName(ident))
    return node


def _number(value: float) -> Any:
    import libsbml

    if float(value).is_integer() and abs(value) < 2**31:
        node = libsbml.ASTNode(libsbml.AST_INTEGER)
        _ok(node.setValue(int(value)))
    else:
        node = libsbml.ASTNode(libsbml.AST_REAL)
        _ok(node.setValue(float(value)))
    return node


def _units(m: Any, word: str, taken: set[str]) -> None:
    """The time unit as an SBML unit where it is one of :data:`_SECONDS`; people are items."""
    import libsbml

    _ok(m.setSubstanceUnits("item"))
    _ok(m.setExtentUnits("item"))
    if word not in _SECONDS:
        return  # the annotation keeps the word
    if word == "second":
        _ok(m.setTimeUnits("second"))
        return
    unit = m.createUnitDefinition()
    _ok(unit.setId(_sid(word, taken)))
    u = unit.createUnit()
    _ok(u.setKind(libsbml.UNIT_KIND_SECOND))
    _ok(u.setExponent(1))
    _ok(u.setScale(0))
    _ok(u.setMultiplier(float(_SECONDS[word])))
    _ok(m.setTimeUnits(unit.getId()))


def _notes(model: Model) -> str:
    from xml.sax.saxutils import escape

    paragraphs = [model.description, *model.references]
    body = "".join(f"<p>{escape(xml_text(p))}</p>" for p in paragraphs)
    return f'<body xmlns="http://www.w3.org/1999/xhtml">{body}</body>'


def _sid(text: str, taken: set[str]) -> str:
    """An SBML identifier made from ``text``, not among ``taken`` (which it joins)."""
    base = re.sub(r"[^A-Za-z0-9_]", "_", text) or "x"
    return free_name(f"_{base}" if base[0].isdigit() else base, taken)


def _ok(status: int | None) -> None:
    """libsbml's setters return a status: anything but success is a fault of ours."""
    if status not in (None, 0):  # 0: LIBSBML_OPERATION_SUCCESS
        raise RuntimeError(f"libsbml refused a value while writing SBML (status {status})")
