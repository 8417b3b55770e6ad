"""Models: parsing reactions and rates, checks, compilation to arrays."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.errors import InputError
from hyosan.model import (
    BUILTIN_MODELS,
    Model,
    Parameter,
    RateLaw,
    Reaction,
    builtin_model,
    compile_model,
    resolve_parameters,
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


_GAMMA = Parameter("gamma", 0.1)
_FREQUENCY_SI = Reaction.parse("S -> I", "beta", law="frequency")


@pytest.mark.parametrize(
    ("changes", "key", "value"),
    [
        ({"compartments": ("S", "I", "R", "2x")}, "compartments[3]", "2x"),
        ({"compartments": ("S", "I", "R", "I")}, "compartments", "I"),
        ({"parameters": (Parameter("beta", 0.3), Parameter("beta", 0.1))}, "parameters", "beta"),
        ({"parameters": (Parameter("S", 0.3), _GAMMA)}, "parameters.S", "S"),
        ({"parameters": (Parameter("beta", "fast"), _GAMMA)}, "parameters.beta", "fast"),
        ({"parameters": (Parameter("beta", True), _GAMMA)}, "parameters.beta", True),
        ({"reactions": (_FREQUENCY_SI,)}, "reactions[0].equation", "S -> I"),
        ({"humans": ("s",)}, "humans", "s"),
        ({"survivors": ("S", "Q")}, "survivors", "Q"),
    ],
)
def test_bad_models_name_the_model_key_and_value(
    changes: dict[str, object], key: str, value: object
) -> None:
    """Bad names, duplicates, bad defaults, a law with the wrong number of reactants and
    unknown compartments in a role raise InputError naming the model, the key and the value."""
    with pytest.raises(InputError) as err:
        _sir(**changes)
    assert err.value.source == "model 't'"
    assert err.value.key == key and err.value.value == value


def test_unknown_names_suggest_the_closest() -> None:
    """A misspelt compartment, parameter or built-in model is answered with the name meant."""
    with pytest.raises(InputError, match="did you mean 'S'"):
        _sir(humans=("SS",))
    with pytest.raises(InputError, match="did you mean 'gamma'"):
        compile_model(_sir(), {"gama": 0.2})
    with pytest.raises(InputError, match="did you mean 'munz-cure'"):
        builtin_model("munz-kure")


@pytest.mark.parametrize("value", [-0.1, float("inf"), float("nan"), "0.3", None])
def test_parameter_values_are_finite_numbers_at_least_zero(value: object) -> None:
    """An override that is negative, infinite, NaN or no number is refused under its key,
    with what is allowed."""
    with pytest.raises(InputError) as err:
        resolve_parameters(_sir(), {"beta": value}, source="s.toml", key_prefix="set")
    assert err.value.key == "set.beta" and err.value.source == "s.toml"
    assert err.value.allowed == "a finite number >= 0"


def test_probabilities_are_at_most_one() -> None:
    """A parameter used as ``(1 - p)`` may be 1 but not more."""
    model = builtin_model("aouad")
    assert resolve_parameters(model, {"p_hybrid": 1})["p_hybrid"] == 1.0
    with pytest.raises(InputError, match="cannot exceed 1") as err:
        resolve_parameters(model, {"p_hybrid": 1.5})
    assert err.value.key == "parameters.p_hybrid" and err.value.value == 1.5


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


def _dependencies_pair_by_pair(cm: object) -> list[list[int]]:
    """The dependency graph's definition, reaction pair by reaction pair (the module
    docstring of hyosan.model.compiled): what the compiled arrays must hold."""
    law, r1, r2, stoich, in_n = (getattr(cm, f) for f in ("law", "r1", "r2", "stoich", "in_n"))
    graph = []
    for j in range(len(law)):
        changed = set(np.flatnonzero(stoich[j]).tolist())
        changes_n = bool(np.dot(stoich[j], in_n) != 0)
        graph.append(
            [
                m
                for m in range(len(law))
                if m == j
                or ({int(r1[m]), int(r2[m])} - {-1}) & changed
                or (changes_n and law[m] == RateLaw.FREQUENCY)
            ]
        )
    return graph


@pytest.mark.parametrize("name", ["school", "hyosan-school", "season1", "season2", "munz-cure"])
def test_dependencies_of_the_runs_models_are_the_definitions(name: str) -> None:
    """The graph of each built-in scenario's runs (its tagged model where it has
    characters: season 2's 453 reactions), in order, as the definition makes it."""
    import hyosan
    from hyosan.ensemble.cast import Cast

    cm = compile_model(Cast.of(hyosan.load_scenario(name)).model)
    got = [cm.dep_idx[cm.dep_ptr[j] : cm.dep_ptr[j + 1]].tolist() for j in range(cm.n_reactions)]
    assert got == _dependencies_pair_by_pair(cm)
    assert cm.dep_ptr.dtype == cm.dep_idx.dtype == np.int64


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
    """compile_model gives the same arrays for the same model; the rate constants follow the
    parameters, and nothing else does."""
    from hyosan.model import builtin_model, compile_model, rate_constants

    model = builtin_model("alemi")
    assert builtin_model("alemi") is model  # built once
    a = compile_model(model, {"beta": 1.0, "kappa": 0.5})
    b = compile_model(model, {"beta": 1.0, "kappa": 0.5})
    c = compile_model(model, {"beta": 2.0, "kappa": 0.5})
    np.testing.assert_array_equal(a.k, b.k)
    for name in ("law", "r1", "r2", "stoich_f", "chg_ptr", "chg_idx", "dep_ptr", "dep_idx"):
        np.testing.assert_array_equal(getattr(c, name), getattr(a, name))  # one structure
    expected = rate_constants(model, model.defaults | {"beta": 2.0, "kappa": 0.5})
    np.testing.assert_array_equal(c.k, expected)
    assert not np.array_equal(c.k, a.k)
    with pytest.raises(InputError, match="unknown parameter"):
        compile_model(model, {"beta": 1.0, "gamma": 1.0})
