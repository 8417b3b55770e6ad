"""SBML in and out (:mod:`hyosan.model.sbml`): the mapping, the round trip, the refusals.

SBML documents for the mapping and the refusals are built here with
libsbml's own API (the laws parsed by ``libsbml.parseL3Formula``), so each
test shows the one construct it is about. The models written by independent
tools (Antimony, GillesPy2) are in ``test_sbml_tools.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import libsbml
import pandas as pd
import pytest

from hyosan.ensemble import simulate
from hyosan.errors import InputError
from hyosan.model import BUILTIN_MODELS, Model, Parameter, RateLaw, Reaction, builtin_model
from hyosan.model.sbml import read_sbml, sbml_from_string, sbml_string, write_sbml
from hyosan.scenario import Scenario, TimeGrid, load_scenario

from ..cli.cli_runner import Cli

SZR = {"S": 100.0, "Z": 2.0, "R": 0.0}
RATES = {"beta": 0.01, "alpha": 0.005, "k": 0.3}


def sbml_text(
    reactions: Sequence[tuple[str, str, str]],
    *,
    amounts: Mapping[str, float] = SZR,
    parameters: Mapping[str, float] = RATES,
    edit: Callable[[Any], None] | None = None,
    size: float = 1.0,
) -> str:
    """An SBML L3V2 document: species with initial amounts in one compartment of ``size``,
    constant parameters, and reactions ``(id, "S + Z -> 2 Z", "law formula")``."""
    doc = libsbml.SBMLDocument(3, 2)
    m = doc.createModel()
    m.setId("test")
    c = m.createCompartment()
    c.setId("world")
    c.setSize(size)
    c.setConstant(True)
    for name, n in amounts.items():
        s = m.createSpecies()
        s.setId(name)
        s.setCompartment("world")
        s.setInitialAmount(n)
        s.setHasOnlySubstanceUnits(False)
        s.setBoundaryCondition(False)
        s.setConstant(False)
    for name, v in parameters.items():
        p = m.createParameter()
        p.setId(name)
        p.setValue(v)
        p.setConstant(True)
    for rid, equation, law in reactions:
        r = m.createReaction()
        r.setId(rid)
        r.setReversible(False)
        left, right = equation.split("->")
        for side, create in ((left, r.createReactant), (right, r.createProduct)):
            for term in filter(None, (t.strip() for t in side.split("+"))):
                n, _, name = term.rpartition(" ")
                ref = create()
                ref.setSpecies(name)
                ref.setStoichiometry(float(n or 1))
                ref.setConstant(True)
        math = libsbml.parseL3Formula(law)
        assert math is not None, law
        r.createKineticLaw().setMath(math)
    if edit is not None:
        edit(m)
    return str(libsbml.writeSBMLToString(doc))


def read(text: str) -> Model:
    return sbml_from_string(text, source="test.xml").model


def only(model: Model) -> Reaction:
    (reaction,) = model.reactions
    return reaction


# -- the round trip of every built-in model ----------------------------------------


@pytest.mark.parametrize("name", BUILTIN_MODELS)
def test_builtin_model_round_trips_to_the_same_model(name: str) -> None:
    """hyosan -> SBML -> hyosan gives every built-in model back: the same reactions (reactants,
    products, rate expression, rate law, in order), parameters, roles and descriptions."""
    model = builtin_model(name)
    back = read(sbml_string(model))
    assert back == model
    for mine, theirs in zip(model.reactions, back.reactions, strict=True):
        assert Counter(theirs.reactants) == Counter(mine.reactants)
        assert Counter(theirs.products) == Counter(mine.products)
        assert theirs.rate_expression == mine.rate_expression
        assert theirs.rate_law is mine.rate_law


@pytest.mark.parametrize("name", BUILTIN_MODELS)
def test_builtin_model_sbml_passes_libsbml_consistency_check(name: str) -> None:
    """The SBML written for each built-in model is Level 3 Version 2 and libsbml's
    ``checkConsistency()`` finds no error in it (unit warnings aside)."""
    doc = libsbml.readSBMLFromString(sbml_string(builtin_model(name)))
    assert (doc.getLevel(), doc.getVersion()) == (3, 2)
    doc.checkConsistency()
    errors = [
        doc.getError(i).getMessage()
        for i in range(doc.getNumErrors())
        if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR
    ]
    assert errors == []


def _counts(model: Model) -> dict[str, int]:
    return {c: 300 if c == "S" else 2 for c in model.compartments}


@pytest.mark.parametrize("name", BUILTIN_MODELS)
def test_builtin_model_round_trip_gives_the_same_numbers(name: str, tmp_path: Path) -> None:
    """Two ssa runs of each built-in model and of its SBML round trip (written to a file and
    read back, initial counts included) give the same counts, exactly, for the same seed."""
    model = builtin_model(name)
    path = write_sbml(model, tmp_path / f"{name}.xml", initial=_counts(model))
    back = read_sbml(path)
    assert dict(back.initial) == _counts(model)

    def totals(m: Model, initial: Mapping[str, float]) -> pd.DataFrame:
        sc = Scenario(
            name=name,
            model=m,
            parameters=m.defaults,
            initial=dict(initial),
            time=TimeGrid(end=2.0, points=21, unit=m.time_unit),
            engine="ssa",
            runs=2,
        )
        return simulate(sc, seed=2024).totals

    mine, theirs = totals(model, _counts(model)), totals(back.model, back.initial)
    assert mine[list(model.compartments)].to_numpy().std() > 0  # something happened
    pd.testing.assert_frame_equal(theirs, mine, check_exact=True)


def test_values_round_trip_exactly_beyond_fifteen_digits() -> None:
    """libsbml writes 15 significant digits; hyosan's annotation keeps the exact values, so a
    parameter of 1/3 and an initial count of 2/3 come back bit for bit."""
    model = builtin_model("sir")
    text = sbml_string(model, parameters={"beta": 1 / 3}, initial={"S": 2 / 3})
    back = sbml_from_string(text)
    assert back.model.defaults["beta"] == 1 / 3
    assert back.initial["S"] == 2 / 3


def test_a_value_changed_in_another_tool_wins_over_the_annotation() -> None:
    """A parameter value edited in the SBML itself (as COPASI would) is read, not the stale exact
    value in hyosan's annotation."""
    text = sbml_string(builtin_model("sir"), parameters={"beta": 1 / 3})
    doc = libsbml.readSBMLFromString(text)
    doc.getModel().getParameter("beta").setValue(0.25)
    back = sbml_from_string(libsbml.writeSBMLToString(doc))
    assert back.model.defaults["beta"] == 0.25


def test_parameters_named_like_mathml_constants_stay_parameters() -> None:
    """Laws are written as trees, not parsed text: parameters called ``pi``, ``time`` and ``e``
    are written and read back as parameters (not as pi, the time and Euler's number)."""
    model = Model(
        name="odd names",
        compartments=("S", "I"),
        parameters=(Parameter("pi", 0.2), Parameter("time", 0.5), Parameter("e", 0.1)),
        reactions=(
            Reaction.parse("S + I -> 2 I", "pi * (1 - time)", law="frequency"),
            Reaction.parse("I -> S", "2.5 * e"),
        ),
    )
    assert read(sbml_string(model)) == model


# -- reading: the mapping ----------------------------------------------------------


def test_a_modifier_in_the_law_becomes_a_catalyst_on_both_sides() -> None:
    """BioModels' idiom: ``S -> Z; beta*S*Z`` is the bite ``S + Z -> Z + Z`` and
    ``Z -> R; alpha*S*Z`` is ``S + Z -> R + S``; reactants in the law's order."""
    model = read(sbml_text([("bite", "S -> Z", "beta*S*Z"), ("destroy", "Z -> R", "alpha*S*Z")]))
    bite, destroy = model.reactions
    assert (bite.reactants, Counter(bite.products)) == (("S", "Z"), Counter({"Z": 2}))
    assert (destroy.reactants, Counter(destroy.products)) == (("S", "Z"), Counter("RS"))
    assert [r.rate for r in model.reactions] == ["beta", "alpha"]
    assert all(r.rate_law is RateLaw.MASS_ACTION for r in model.reactions)


@pytest.mark.parametrize(
    ("law", "population"),
    [("beta*S*Z/(S+Z+R)", ()), ("beta*S*Z/(S+Z)", ("S", "Z")), ("beta*S*Z/(R+Z+S)", ())],
)
def test_a_law_divided_by_a_sum_of_species_is_frequency_dependent(
    law: str, population: tuple[str, ...]
) -> None:
    """``beta*S*Z/(S+Z+R)`` is hyosan's frequency law; the summed species are the population
    (all of them: the default, written as none)."""
    model = read(sbml_text([("bite", "S -> Z", law)]))
    assert only(model).rate_law is RateLaw.FREQUENCY
    assert only(model).rate == "beta"
    assert model.population == population


def test_an_assignment_rule_that_sums_species_is_the_total() -> None:
    """``N := S + Z + R`` (an assignment rule) and ``beta*S*Z/N``: frequency dependent; ``N``
    is the population, not a parameter."""

    def total(m: Any) -> None:
        n = m.createParameter()
        n.setId("N")
        n.setConstant(False)
        rule = m.createAssignmentRule()
        rule.setVariable("N")
        rule.setMath(libsbml.parseL3Formula("S + Z + R"))

    model = read(sbml_text([("bite", "S -> Z", "beta*S*Z/N")], edit=total))
    assert only(model).rate_law is RateLaw.FREQUENCY
    assert "N" not in model.parameter_names


def test_a_constant_n_equal_to_everyone_is_the_total_only_where_it_stays_so() -> None:
    """``beta*S*Z/N`` with a constant ``N`` = 102 = S + Z + R at the start: frequency dependent
    when no reaction changes the total; with births it is folded in as the number 1/102."""
    values = {**RATES, "N": 102.0, "b": 1.0}
    closed = read(sbml_text([("bite", "S -> Z", "beta*S*Z/N")], parameters=values))
    assert only(closed).rate_law is RateLaw.FREQUENCY
    assert "N" not in closed.parameter_names
    births = [("bite", "S -> Z", "beta*S*Z/N"), ("birth", "-> S", "b")]
    open_ = read(sbml_text(births, parameters=values))
    bite = open_.reactions[0]
    assert bite.rate_law is RateLaw.MASS_ACTION
    assert bite.rate_expression.coefficient == pytest.approx(1 / 102, rel=1e-15)
    assert bite.rate_expression.names == ("beta",)
    assert "N" not in open_.parameter_names


def test_numbers_powers_complements_and_compartment_sizes_fold_into_the_rate() -> None:
    """``2*k*(1-beta)*S^2/world``: the number 2 (the compartment's size 1 divides it), the
    complement ``(1 - beta)``, and ``S`` twice as the two reactants."""
    model = read(sbml_text([("pair", "2 S -> R", "2*k*(1-beta)*S^2/world")]))
    r = only(model)
    assert r.reactants == ("S", "S") and r.products == ("R",)
    assert r.rate_expression.coefficient == 2.0
    assert r.rate_expression.names == ("k",)
    assert r.rate_expression.complements == ("beta",)


def test_local_parameters_become_parameters_named_after_their_reaction() -> None:
    """A kinetic law's local parameter ``k`` of reaction ``J1`` is the parameter ``J1_k`` (a
    global ``k`` exists too, and keeps its own value)."""

    def local(m: Any) -> None:
        p = m.getReaction("J1").getKineticLaw().createLocalParameter()
        p.setId("k")
        p.setValue(0.7)

    model = read(sbml_text([("J1", "Z -> R", "k*Z")], edit=local))
    assert only(model).rate == "J1_k"
    assert model.defaults["J1_k"] == 0.7 and model.defaults["k"] == 0.3


def test_boundary_species_are_catalysts_no_reaction_changes() -> None:
    """A boundary species ``X`` (fixed) in ``X -> S; k*X`` stays on both sides: ``X -> S + X``."""

    def fixed(m: Any) -> None:
        m.getSpecies("X").setBoundaryCondition(True)

    amounts = {**SZR, "X": 10.0}
    model = read(sbml_text([("J1", "X -> S", "k*X")], amounts=amounts, edit=fixed))
    assert only(model).reactants == ("X",)
    assert Counter(only(model).products) == Counter("SX")


def test_function_definitions_and_initial_assignments_are_expanded() -> None:
    """A function definition ``bite(b, x, y) = b*x*y`` is inlined and an initial assignment
    ``S = 3 * R0`` evaluated (libsbml's converters) before the laws are read."""

    def extras(m: Any) -> None:
        f = m.createFunctionDefinition()
        f.setId("bite")
        f.setMath(libsbml.parseL3Formula("lambda(b, x, y, b*x*y)"))
        init = m.createInitialAssignment()
        init.setSymbol("S")
        init.setMath(libsbml.parseL3Formula("3 * k"))

    read_ = sbml_from_string(sbml_text([("J1", "S -> Z", "bite(beta, S, Z)")], edit=extras))
    assert only(read_.model).reactants == ("S", "Z")
    assert read_.initial["S"] == pytest.approx(0.9)


def test_initial_concentrations_in_a_compartment_of_size_one_are_amounts() -> None:
    """``initialConcentration`` times a compartment size of 1 is the initial count."""

    def concentrations(m: Any) -> None:
        s = m.getSpecies("S")
        s.unsetInitialAmount()
        s.setInitialConcentration(42.0)

    read_ = sbml_from_string(sbml_text([("J1", "S -> R", "k*S")], edit=concentrations))
    assert read_.initial["S"] == 42.0


def test_the_time_unit_is_read_from_the_models_time_units() -> None:
    """``timeUnits`` naming a unit of 3600 seconds is the model's time unit ``hour``."""

    def hours(m: Any) -> None:
        unit = m.createUnitDefinition()
        unit.setId("h")
        u = unit.createUnit()
        u.setKind(libsbml.UNIT_KIND_SECOND)
        u.setExponent(1)
        u.setScale(0)
        u.setMultiplier(3600)
        m.setTimeUnits("h")

    assert read(sbml_text([("J1", "S -> R", "k*S")], edit=hours)).time_unit == "hour"


# -- reading: what is refused ------------------------------------------------------


def _event(m: Any) -> None:
    e = m.createEvent()
    e.setId("cure_day")
    e.setUseValuesFromTriggerTime(True)
    t = e.createTrigger()
    t.setMath(libsbml.parseL3Formula("time > 5"))
    t.setInitialValue(False)
    t.setPersistent(True)
    a = e.createEventAssignment()
    a.setVariable("Z")
    a.setMath(libsbml.parseL3Formula("0"))


def _rate_rule(m: Any) -> None:
    rule = m.createRateRule()
    rule.setVariable("R")
    rule.setMath(libsbml.parseL3Formula("k * Z"))


def _assignment_rule(m: Any) -> None:
    m.getParameter("k").setConstant(False)
    rule = m.createAssignmentRule()
    rule.setVariable("k")
    rule.setMath(libsbml.parseL3Formula("beta * 2"))


BIT = [("J1", "S -> Z", "beta*S*Z")]
COMP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<sbml xmlns="http://www.sbml.org/sbml/level3/'
    'version1/core" xmlns:comp="http://www.sbml.org/sbml/level3/version1/comp/version1" '
    'comp:required="true" level="3" version="1"><model id="m"><listOfCompartments>'
    '<compartment id="c" size="1" constant="true"/></listOfCompartments></model></sbml>'
)
REFUSED = {
    "event": (sbml_text(BIT, edit=_event), "event 'cure_day'", "event"),
    "rate rule": (sbml_text(BIT, edit=_rate_rule), "rule for 'R'", "rate rule"),
    "assignment rule": (sbml_text(BIT, edit=_assignment_rule), "rule for 'k'", "assignment"),
    "michaelis-menten": (
        sbml_text([("J1", "S -> Z", "k*S/(beta+S)")]),
        "reaction 'J1'",
        "not one mass-action term",
    ),
    "fractional stoichiometry": (
        sbml_text([("J1", "0.5 S -> Z", "k*S")]),
        "reaction 'J1', species 'S'",
        "whole number",
    ),
    "three species": (sbml_text([("J1", "S -> Z", "k*S*Z*R")]), "reaction 'J1'", "3 species"),
    "reversible law": (sbml_text([("J1", "S -> Z", "k*S - k*Z")]), "reaction 'J1'", "difference"),
    "delay": (sbml_text([("J1", "S -> Z", "k*delay(S, 1)")]), "reaction 'J1'", "delay"),
    "time": (sbml_text([("J1", "S -> Z", "k*S*time")]), "reaction 'J1'", "time"),
    "consumed but not in the law": (
        sbml_text([("J1", "S + Z -> R", "k*S")]),
        "reaction 'J1'",
        "reactant 'Z'",
    ),
    "concentration in a compartment of size 2": (
        sbml_text(BIT, size=2.0),
        "species 'S'",
        "concentration",
    ),
    "a required package": (COMP, "package 'comp'", "required SBML package"),
    "not xml": ("this is not XML <", "", "not an SBML file"),
    "xml but not sbml": ("<?xml version='1.0'?><model/>", "", "not an SBML file"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_what_hyosan_cannot_represent_exits_2_naming_the_file_and_element(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``hyosan run bad.xml`` (and ``validate``) refuse, exit status 2, with one message that names
    the file, the SBML element by its id and the reason, and says what is allowed."""
    text, element, reason = REFUSED[case]
    path = tmp_path / "bad model.xml"
    path.write_text(text, encoding="utf-8")
    cli = Cli(capsys)
    for command in ("run", "validate"):
        assert cli(command, path) == 2
        assert cli.err.startswith(f"hyosan: error: {path}: {element}")
        assert reason in cli.err and "allowed:" in cli.err
        assert len(cli.err.strip().splitlines()) == 1 and "Traceback" not in cli.err


def test_a_missing_sbml_file_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``hyosan run missing.xml`` exits 2: no such SBML file, named."""
    cli = Cli(capsys)
    path = tmp_path / "missing.xml"
    assert cli("run", path) == 2
    assert cli.err.startswith(f"hyosan: error: {path}: no such SBML file")


def test_a_scenario_whose_model_is_a_bad_sbml_file_names_that_file(tmp_path: Path) -> None:
    """``model = "bad.xml"`` in a scenario: the error names the SBML file and its element."""
    (tmp_path / "bad.xml").write_text(sbml_text(BIT, edit=_event), encoding="utf-8")
    scenario = tmp_path / "s.toml"
    scenario.write_text('model = "bad.xml"\n[time]\nend = 1\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(scenario)
    assert info.value.source == str(tmp_path / "bad.xml")
    assert info.value.key == "event 'cure_day'"


def test_a_scenario_reads_an_sbml_model_and_its_initial_amounts(tmp_path: Path) -> None:
    """``model = "szr.xml"``: the file's model, its parameter values, and its initial amounts
    for the compartments ``[initial]`` leaves out (those it gives win)."""
    (tmp_path / "szr.xml").write_text(sbml_text(BIT), encoding="utf-8")
    scenario = tmp_path / "s.toml"
    text = 'model = "szr.xml"\n[time]\nend = 1\n[initial]\nZ = 7\n[parameters]\nbeta = 0.02\n'
    scenario.write_text(text, encoding="utf-8")
    sc = load_scenario(scenario)
    assert dict(sc.initial) == {"S": 100.0, "Z": 7, "R": 0.0}
    assert sc.parameters["beta"] == 0.02 and sc.parameters["alpha"] == RATES["alpha"]
    assert only(sc.model).reactants == ("S", "Z")


def test_a_probability_above_one_and_two_different_totals_are_refused() -> None:
    """``(1 - p)`` with ``p = 1.5`` is refused naming the parameter; two frequency-dependent laws
    dividing by different totals are refused naming the second reaction (hyosan has one N)."""
    values = {**RATES, "p": 1.5}
    with pytest.raises(InputError, match="probability") as info:
        read(sbml_text([("J1", "S -> R", "k*(1-p)*S")], parameters=values))
    assert (info.value.source, info.value.key) == ("test.xml", "parameters.p")
    two = [("J1", "S -> Z", "beta*S*Z/(S+Z+R)"), ("J2", "Z -> R", "alpha*S*Z/(S+Z)")]
    with pytest.raises(InputError, match="one population N") as info:
        read(sbml_text(two))
    assert info.value.key == "reaction 'J2'"


def test_a_parameter_no_law_reads_is_kept_only_with_a_value_hyosan_can_hold() -> None:
    """Unused parameters stay (as in a model file) when their value is a number >= 0; one
    without a value, or negative, is left out rather than refused: nothing reads it."""

    def unset(m: Any) -> None:
        m.getParameter("alpha").unsetValue()

    values = {**RATES, "spare": 2.0, "negative": -1.0}
    model = read(sbml_text([("J1", "S -> R", "k*S")], parameters=values, edit=unset))
    assert model.parameter_names == ("beta", "k", "spare")


def test_level_2_files_are_read_and_level_1_refused() -> None:
    """The same model converted by libsbml to SBML Level 2 Version 4 reads as the same model;
    Level 1 (no ids, no modifiers) is refused naming what is read."""
    doc = libsbml.readSBMLFromString(sbml_string(builtin_model("munz-latent")))
    assert doc.setLevelAndVersion(2, 4, False)
    assert read(libsbml.writeSBMLToString(doc)) == builtin_model("munz-latent")
    old = libsbml.SBMLDocument(1, 2)
    m = old.createModel()
    m.createCompartment().setName("c")
    s = m.createSpecies()
    s.setName("S")
    s.setCompartment("c")
    s.setInitialAmount(1)
    r = m.createReaction()
    r.setName("J1")
    r.createReactant().setSpecies("S")
    r.createKineticLaw().setFormula("S")
    with pytest.raises(InputError, match="Level 1 is not read") as info:
        read(libsbml.writeSBMLToString(old))
    assert "Level 2 or 3" in info.value.allowed
