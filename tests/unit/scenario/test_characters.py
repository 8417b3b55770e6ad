"""A scenario's characters and milestones: read, written, placed, and checked."""

from __future__ import annotations

import pytest

from hyosan.errors import InputError
from hyosan.interventions import Condition
from hyosan.model import builtin_model
from hyosan.scenario.characters import Character, Milestone, check_cast, placement, start_of
from hyosan.space import Selection, World, WorldSetup

AOUAD = builtin_model("aouad")  # S E Ez Z H D; humans: S
TOWN = World.from_edges(
    "town",
    ["a", "b", "c"],
    [("a", "b", 1.0), ("b", "c", 1.0)],
    population=[2.0, 0.0, 1.0],
    regions={"ab": ["a", "b"]},
)
SETUP = WorldSetup(TOWN, fill="H")
INITIAL = {"S": 2.0, "Z": 1.0}


def test_character_reads_and_writes_its_table() -> None:
    """``[[characters]]`` tables read back as equal characters; what is left out is not
    written."""
    for table in (
        {"name": "Nam On-jo"},
        {"name": "Lee Su-hyeok", "compartment": "H", "where": "class-2-5"},
        {"name": "Choi Nam-ra", "where": {"region": "classrooms"}},
    ):
        character = Character.parse(table, key="characters[0]")
        assert character.to_dict() == table
        assert Character.parse(character.to_dict(), key="k") == character
    assert Character.parse({"name": 7}, key="k").name == "7"


def test_milestone_writes_its_condition_exactly() -> None:
    """A milestone is written with its condition's exact text."""
    m = Milestone("the school fell", Condition.parse("Z >= 0.1 in school"))
    assert m.to_dict() == {"text": "the school fell", "when": "Z >= 0.1 in school"}


def test_where_a_character_starts() -> None:
    """Its compartment if given, else the world's fill, else the model's first human,
    else its first compartment; in a world, the one patch its ``where`` names."""
    assert start_of(Character("a", "Z"), AOUAD, SETUP) == "Z"
    assert start_of(Character("a"), AOUAD, SETUP) == "H"
    assert start_of(Character("a"), AOUAD, None) == "S"
    assert start_of(Character("a"), builtin_model("sir"), None) == "S"
    cast = (Character("a", "Z", Selection(patches=("c",))), Character("b", where=Selection(("b",))))
    assert placement(cast, AOUAD, SETUP) == [(2, 3), (1, 4)]
    assert placement((Character("a"),), AOUAD, None) == [(0, 0)]


def test_a_sound_cast_passes() -> None:
    """Characters with distinct names where people start, milestones the model can count."""
    milestones = (Milestone("m", Condition.parse("Z >= 1 in ab")),)
    check_cast((Character("a", "S", Selection(("a",))),), milestones, AOUAD, WorldSetup(TOWN), {})
    check_cast((Character("a"), Character("b")), (), AOUAD, None, INITIAL)


def _error(
    cast: tuple[Character, ...], world: WorldSetup | None = None, **kw: object
) -> InputError:
    milestones = kw.get("milestones", ())
    with pytest.raises(InputError) as err:
        check_cast(cast, milestones, AOUAD, world, INITIAL)  # type: ignore[arg-type]
    return err.value


def test_names_are_needed_and_unique() -> None:
    """A blank name, or one used twice, is refused under that character's name key."""
    assert _error((Character("a"), Character("  "))).key == "characters[1].name"
    twice = _error((Character("a"), Character("b"), Character("a")))
    assert twice.key == "characters[2].name" and twice.value == "a"


def test_an_unknown_start_compartment_is_refused() -> None:
    """With a did-you-mean, under the character's compartment key."""
    err = _error((Character("a", "ZZ"),))
    assert err.key == "characters[0].compartment" and "did you mean 'Z'" in err.problem


def test_a_place_needs_a_world_and_names_one_patch() -> None:
    """``where`` only in a world, naming one patch that is there; in a world of several
    patches a character must say where it starts."""
    assert _error((Character("a", where=Selection(("a",))),)).key == "characters[0].where"
    region = _error((Character("a", "S", Selection(region="ab")),), SETUP)
    assert region.key == "characters[0].where" and "one patch" in region.problem
    unknown = _error((Character("a", "S", Selection(("d",))),), SETUP)
    assert unknown.key == "characters[0].where"
    nowhere = _error((Character("a", "S"),), SETUP)
    assert nowhere.key == "characters[0].where" and "say where" in nowhere.problem


def test_there_must_be_people_enough_where_characters_start() -> None:
    """Each character is one of the people of its compartment and patch: two in a patch
    of one, or one where nobody starts, is refused under the character that does not fit."""
    one_z = _error((Character("a", "Z"), Character("b", "Z")))
    assert one_z.key == "characters[1]" and "only 1 person of Z" in one_z.problem
    at_c = (Character("x", "H", Selection(("a",))), Character("y", "H", Selection(("c",))))
    check_cast(at_c[1:], (), AOUAD, SETUP, {})
    empty = _error((*at_c, Character("z", "H", Selection(("b",)))), SETUP)
    assert empty.key == "characters[2]" and empty.value == "z" and "only 0 people" in empty.problem


def test_milestones_are_checked_under_their_when() -> None:
    """A milestone's condition must name the model's compartments, and a region only in
    a world that has it."""
    bad = (Milestone("m", Condition.parse("ZZ > 1")),)
    assert _error((), milestones=bad).key == "milestones[0].when"
    far = (
        Milestone("ok", Condition.parse("Z > 1")),
        Milestone("m", Condition.parse("Z > 1 in ab")),
    )
    assert _error((), milestones=far).key == "milestones[1].when"
    assert _error((), SETUP, milestones=(Milestone("m", Condition.parse("Z > 1 in x")),)).key == (
        "milestones[0].when"
    )
