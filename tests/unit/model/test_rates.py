"""Rate laws and rate expressions: names, reactant counts, parsing, evaluation, printing."""

from __future__ import annotations

import pytest

from hyosan.errors import InputError
from hyosan.model import RateExpression, RateLaw, Reaction

# --- RateLaw -------------------------------------------------------------------


@pytest.mark.parametrize("law", list(RateLaw))
def test_rate_law_label_reads_back(law: RateLaw) -> None:
    """Each law's file name (``"mass_action"``) reads back as the law, in any case and padding."""
    assert RateLaw.from_name(law.label) is law
    assert RateLaw.from_name(f"  {law.label.upper()} ") is law


@pytest.mark.parametrize("bad", ["quadratic", "", "mass action", 3, None])
def test_unknown_rate_law_names_key_value_and_the_laws(bad: object) -> None:
    """A name that is no law (or no string) raises InputError with the key, the value and
    the four laws allowed."""
    with pytest.raises(InputError) as err:
        RateLaw.from_name(bad, key="model.reactions[0].law")  # type: ignore[arg-type]
    assert err.value.key == "model.reactions[0].law"
    assert err.value.value == bad
    assert err.value.allowed == "constant, first_order, mass_action, frequency"


def test_misspelt_rate_law_suggests_the_closest() -> None:
    """A misspelt law is answered with the law meant."""
    with pytest.raises(InputError, match="did you mean 'frequency'"):
        RateLaw.from_name("frequncy")


def test_reactants_of_each_law() -> None:
    """Constant laws have no reactant, first-order one, mass action and frequency two."""
    assert [law.n_reactants for law in RateLaw] == [0, 1, 2, 2]


@pytest.mark.parametrize("equation", ["-> S", "I -> R", "S + Z -> Z + Z"])
def test_inferred_law_has_as_many_reactants_as_the_reaction(equation: str) -> None:
    """The law a reaction infers from its reactants expects exactly that many reactants."""
    reaction = Reaction.parse(equation, "k")
    assert reaction.rate_law.n_reactants == len(reaction.reactants)


# --- RateExpression.parse --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "coefficient", "names", "complements"),
    [
        ("beta", 1.0, ("beta",), ()),
        ("sigma * (1 - p_hybrid)", 1.0, ("sigma",), ("p_hybrid",)),
        ("0.5*beta*2", 1.0, ("beta",), ()),
        ("  3e-2 * a * ( 1-b ) * c * (1 - d)", 0.03, ("a", "c"), ("b", "d")),
        (".25", 0.25, (), ()),
    ],
)
def test_parse_splits_numbers_names_and_complements(
    text: str, coefficient: float, names: tuple[str, ...], complements: tuple[str, ...]
) -> None:
    """Numbers multiply into the coefficient; names and ``(1 - name)`` keep their order."""
    expr = RateExpression.parse(text)
    assert expr == RateExpression(coefficient, names, complements)
    assert expr.parameters == names + complements


@pytest.mark.parametrize(
    "text",
    ["beta + 1", "exp(beta)", "__import__('os')", "", "beta*", "-1 * beta", "(1 - (p))", "2 p"],
)
def test_parse_rejects_anything_but_a_product(text: str) -> None:
    """Anything but a product of numbers, names and complements is refused, never evaluated."""
    with pytest.raises(InputError, match="allowed"):
        RateExpression.parse(text)


@pytest.mark.parametrize("text", ["beta / 2", "   ", 0.3])
def test_parse_error_names_the_key_and_the_text(text: object) -> None:
    """The error carries the key it was given and the text (or value) that was read."""
    with pytest.raises(InputError) as err:
        RateExpression.parse(text, key="reactions[2].rate")  # type: ignore[arg-type]
    assert err.value.key == "reactions[2].rate" and err.value.value == text


# --- evaluate and str ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("beta", 2.0),
        ("sigma * (1 - p)", 6.0 * 0.75),
        ("0.5 * beta * (1 - p)", 0.75),
        ("4", 4.0),
        ("(1 - p) * (1 - p)", 0.5625),
    ],
)
def test_evaluate_multiplies_the_factors(text: str, value: float) -> None:
    """A rate expression evaluates to the product of its factors for the values given."""
    expr = RateExpression.parse(text)
    assert expr.evaluate({"beta": 2.0, "sigma": 6.0, "p": 0.25}) == value


def test_evaluate_needs_every_parameter() -> None:
    """A parameter missing from the values is an error, not a silent 0 or 1."""
    with pytest.raises(KeyError):
        RateExpression.parse("beta * (1 - p)").evaluate({"beta": 1.0})


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("beta", "beta"),
        ("sigma * (1 - p)", "sigma * (1 - p)"),
        ("0.5 * beta", "0.5 * beta"),
        ("2", "2.0"),
        ("1 * (1 - q)", "(1 - q)"),
    ],
)
def test_str_writes_a_rate_that_reads_back(text: str, shown: str) -> None:
    """``str`` writes the shortest product (no coefficient of 1) and parses back to the same."""
    expr = RateExpression.parse(text)
    assert str(expr) == shown
    assert RateExpression.parse(str(expr)) == expr
