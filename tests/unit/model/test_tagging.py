"""Tagging a model for characters: names, the versions of a reaction, movement copies.

``tests/unit/model/test_characters.py`` checks that the versions split every
propensity exactly; these are the naming and position rules of the module.
"""

from __future__ import annotations

import pytest

from hyosan.errors import InputError
from hyosan.model import Model, Parameter, Reaction, builtin_model
from hyosan.model.characters import (
    TAG,
    check_characters,
    expand_compartments,
    expand_movement,
    tag_model,
    tagged,
)
from hyosan.model.characters.tagging import version_counts

SIR = builtin_model("sir")


def _model(*equations: str) -> Model:
    return Model(
        "m",
        ("S", "Z", "D"),
        (Parameter("k", 1.0),),
        tuple(Reaction.parse(e, "k") for e in equations),
    )


def test_tagged_names() -> None:
    """A copy is the compartment, ``__`` and the character."""
    assert TAG == "__"
    assert tagged("Ez", "On_jo") == "Ez__On_jo"


def test_expand_keeps_the_names_then_each_characters_copies() -> None:
    """Base names first, then for each character in order the copies of those names; no
    characters gives the names themselves."""
    assert expand_compartments(["S", "Z"], ["A", "B"]) == ("S", "Z", "S__A", "Z__A", "S__B", "Z__B")
    assert expand_compartments(("S",), ()) == ("S",)
    assert expand_compartments((), ["A"]) == ()


def test_expand_movement_gives_each_copy_its_base_rate() -> None:
    """Each tagged copy moves as its base compartment; the input is left as it was."""
    movement = {"S": 0.1, "Z": 3.0}
    out = expand_movement(movement, ["A"])
    assert out == {"S": 0.1, "Z": 3.0, "S__A": 0.1, "Z__A": 3.0}
    assert movement == {"S": 0.1, "Z": 3.0}
    assert expand_movement({}, ["A"]) == {}


def test_check_characters_returns_a_tuple_and_refuses_non_names() -> None:
    """Any sequence of names comes back as a tuple; a name that is not a string is refused
    under its index."""
    assert check_characters(["A", "B_2"], SIR) == ("A", "B_2")
    assert check_characters([], SIR) == ()
    with pytest.raises(InputError) as err:
        check_characters(["A", 7], SIR)  # type: ignore[list-item]
    assert err.value.key == "characters[1].name" and err.value.value == 7


def test_a_product_beyond_the_reactants_never_carries_a_tag() -> None:
    """``Z -> Z + Z``: the tagged zombie stays itself and its offspring is nobody in
    particular, so a character is never copied; a removal loses the tag with the person."""
    tm = tag_model(_model("Z -> Z + Z", "Z ->"), ["a"])
    assert [r.equation for r in tm.reactions] == [
        "Z -> Z + Z",
        "Z__a -> Z__a + Z",
        "Z ->",
        "Z__a ->",
    ]


def test_the_untagged_version_comes_first_and_no_character_plays_two_roles() -> None:
    """Versions run over who takes each reactant position, nobody in particular first;
    ``S + Z`` with a and b has 3 * 3 - 2 versions, none with one character twice."""
    tm = tag_model(_model("S + Z -> Z + Z"), ["a", "b"])
    assert [r.equation for r in tm.reactions] == [
        "S + Z -> Z + Z",
        "S + Z__a -> Z + Z__a",
        "S + Z__b -> Z + Z__b",
        "S__a + Z -> Z__a + Z",
        "S__a + Z__b -> Z__a + Z__b",
        "S__b + Z -> Z__b + Z",
        "S__b + Z__a -> Z__b + Z__a",
    ]
    assert version_counts(_model("S + Z -> Z + Z", "-> S", "Z ->"), ["a", "b"]) == [7, 1, 3]


def test_unnamed_reactions_stay_unnamed_and_settings_are_kept() -> None:
    """Only named reactions get the roles in their versions' names; rates and laws are
    those of the base reaction."""
    model = Model(
        "m",
        ("S", "Z"),
        (Parameter("k", 1.0),),
        (
            Reaction.parse("S + Z -> Z + Z", "k", law="frequency", name="bite"),
            Reaction.parse("Z -> S", "2 * k"),
        ),
    )
    tm = tag_model(model, ["a"])
    assert [r.name for r in tm.reactions] == ["bite", "bite [a as Z]", "bite [a as S]", "", ""]
    assert {(r.rate, r.law) for r in tm.reactions[:3]} == {
        (model.reactions[0].rate, model.reactions[0].law)
    }
    assert {r.rate for r in tm.reactions[3:]} == {model.reactions[1].rate}
