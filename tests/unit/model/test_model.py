"""Models: parsing reactions and rates, checks, compilation to arrays."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.errors import InputError
from hyosan.model import (
    BUILTIN_MODELS,
    Model,
    Parameter,
    RateExpression,
    RateLaw,
    Reaction,
    builtin_model,
    compile_model,
)


def _sir(**changes: object) -> Model:
    fields: dict[str, object] = dict(
        name="t",
        compartments=("S", "I", "R"),
        parameters=(Parameter("beta", 0.3), Parameter("gamma", 0.1)),
        reactions=(
            Reaction.parse("S + I -> 2 I", "beta", law="frequency"),
            Reaction.parse("I -> R", "gamma"),
        ),
    )
    fields.update(changes)
    return Model(**fields)  # type: ignore[arg-type]


def test_reaction_parse_counts_stoichiometry() -> None:
    """'2 I' means two of I, and '-> S' is an inflow with no reactant."""
    r = Reaction.parse("S + I -> 2 I", "beta")
    assert r.reactants == ("S", "I") and r.products == ("I", "I")
    assert dict(r.change()) == {"S": -1, "I": 1}
    inflow = Reaction.parse("-> S", "Pi")
    assert inflow.reactants == () and inflow.rate_law is RateLaw.CONSTANT


def test_rate_law_is_inferred_from_reactants() -> None:
    """0, 1 and 2 reactants give constant, first-order and mass-action laws."""
    assert Reaction.parse("-> S", "k").rate_law is RateLaw.CONSTANT
    assert Reaction.parse("I -> R", "k").rate_law is RateLaw.FIRST_ORDER
    assert Reaction.parse("S + Z -> Z + Z", "k").rate_law is RateLaw.MASS_ACTION


@pytest.mark.parametrize(
    ("text", "value"),
    [("beta", 2.0), ("sigma * (1 - p)", 6.0 * 0.75), ("0.5 * beta * (1 - p)", 0.75)],
)
def test_rate_expression_evaluates_products(text: str, value: float) -> None:
    """Rate expressions are products of numbers, names and complements."""
    expr = RateExpression.parse(text)
    assert expr.evaluate({"beta": 2.0, "sigma": 6.0, "p": 0.25}) == pytest.approx(value)


@pytest.mark.parametrize("text", ["beta + 1", "exp(beta)", "__import__('os')", "", "beta*"])
def test_rate_expression_rejects_anything_else(text: str) -> None:
    """Anything but a product is refused, never evaluated."""
    with pytest.raises(InputError, match="allowed"):
        RateExpression.parse(text)


def test_model_rejects_unknown_compartment_with_key_path() -> None:
    """A misspelt compartment in a reaction names the reaction and the allowed names."""
    bad = (Reaction.parse("S + Zz -> 2 I", "beta"),)
    with pytest.raises(InputError) as info:
        _sir(reactions=bad)
    msg = str(info.value)
    assert "reactions[0].equation" in msg and "'Zz'" in msg and "S, I, R" in msg


def test_model_rejects_unknown_parameter_and_negative_default() -> None:
    """Rates must name declared parameters, and defaults must be >= 0."""
    with pytest.raises(InputError, match="unknown parameter"):
        _sir(reactions=(Reaction.parse("I -> R", "gama"),))
    with pytest.raises(InputError, match="negative"):
        _sir(parameters=(Parameter("beta", -1.0), Parameter("gamma", 0.1)))


def test_compile_builds_arrays_and_dependencies() -> None:
    """Compiled arrays hold laws, reactants, rates and a complete dependency graph."""
    cm = compile_model(_sir(), {"beta": 0.5})
    assert cm.law.tolist() == [RateLaw.FREQUENCY, RateLaw.FIRST_ORDER]
    assert cm.r1.tolist() == [0, 1] and cm.r2.tolist() == [1, -1]
    assert cm.k.tolist() == [0.5, 0.1]
    np.testing.assert_array_equal(cm.stoich, [[-1, 1, 0], [0, -1, 1]])
    deps = {j: set(cm.dep_idx[cm.dep_ptr[j] : cm.dep_ptr[j + 1]].tolist()) for j in range(2)}
    # infection changes S and I: both reactions read I; recovery changes I: both read I
    assert deps == {0: {0, 1}, 1: {0, 1}}


def test_frequency_reactions_depend_on_changes_of_n() -> None:
    """A reaction that changes N (killing) makes every frequency-dependent reaction stale."""
    cm = compile_model(builtin_model("aouad"))
    fight = cm.reactions.index("fight zombie")
    stale = set(cm.dep_idx[cm.dep_ptr[fight] : cm.dep_ptr[fight + 1]].tolist())
    freq = {j for j in range(cm.n_reactions) if cm.law[j] == RateLaw.FREQUENCY}
    assert freq <= stale


@pytest.mark.parametrize("name", list(BUILTIN_MODELS))
def test_builtin_models_compile(name: str) -> None:
    """Every built-in model compiles with its defaults, all rate constants >= 0."""
    cm = compile_model(builtin_model(name))
    assert cm.n_reactions > 0 and np.all(cm.k >= 0)


def test_aouad_turning_splits_by_p_hybrid() -> None:
    """Turning into zombie and hybrid share sigma in the proportions 1 - p_hybrid and p_hybrid."""
    m = builtin_model("aouad")
    cm = compile_model(m, {"sigma": 2.0, "p_hybrid": 0.01})
    k = dict(zip(cm.reactions, cm.k, strict=True))
    assert k["turn"] == pytest.approx(2.0 * 0.99) and k["turn hybrid"] == pytest.approx(0.02)


def test_unknown_builtin_model_lists_choices() -> None:
    """Asking for a model that does not exist lists the built-in ones."""
    with pytest.raises(InputError, match="munz-basic"):
        builtin_model("munz")


def test_compiling_twice_gives_the_same_arrays_and_new_parameters_new_rates() -> None:
    """compile_model remembers a model's arrays; the rate constants follow the parameters."""
    from hyosan.model import builtin_model, compile_model, rate_constants

    model = builtin_model("alemi")
    assert builtin_model("alemi") is model  # built once
    a = compile_model(model, {"beta": 1.0, "kappa": 0.5})
    b = compile_model(model, {"beta": 1.0, "kappa": 0.5})
    c = compile_model(model, {"beta": 2.0, "kappa": 0.5})
    np.testing.assert_array_equal(a.k, b.k)
    assert c.law is a.law  # one structure for every parameter set
    expected = rate_constants(model, model.defaults | {"beta": 2.0, "kappa": 0.5})
    np.testing.assert_array_equal(c.k, expected)
    assert not np.array_equal(c.k, a.k)
    with pytest.raises(InputError, match="unknown parameter"):
        compile_model(model, {"beta": 1.0, "gamma": 1.0})
