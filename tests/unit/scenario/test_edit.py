"""Editing a scenario by dotted keys: set on the scenario or in its table, checked once."""

from __future__ import annotations

from typing import Any

import pytest

import hyosan
from hyosan.errors import InputError
from hyosan.interventions import At, Impulse, Remove
from hyosan.scenario import Scenario, set_key, set_keys, set_names
from hyosan.scenario.edit import check_key, parse_key

SIR = hyosan.load_scenario("sir")
SCHOOL = hyosan.load_scenario("school")  # well mixed, one intervention
ROOMS = hyosan.load_scenario("hyosan-school")  # in a world


def _error(scenario: Scenario, items: list[tuple[str, Any]]) -> InputError:
    with pytest.raises(InputError) as err:
        set_keys(scenario, items)
    return err.value


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("world.seed[0].count", ["world", "seed", 0, "count"]),
        ("interventions[1][2].x", ["interventions", 1, 2, "x"]),
        ("runs", ["runs"]),
        ("parameters.beta_h", ["parameters", "beta_h"]),
    ],
)
def test_parse_key(key: str, text: list[Any]) -> None:
    """Dots part the names, brackets give list indices."""
    assert parse_key(key) == text


@pytest.mark.parametrize("key", ["", "a..b", "a.", "a b", "a[x]", "a[0]b", 5])
def test_parse_key_refuses_what_it_cannot_read(key: object) -> None:
    """Anything else is bad input under ``where`` (``key`` by default)."""
    with pytest.raises(InputError, match="cannot read this key") as err:
        parse_key(key, where="--sweep")
    assert err.value.key == "--sweep" and err.value.value == key


def test_direct_keys_set_the_scenario_and_keep_the_rest() -> None:
    """Parameters, well-mixed initial counts, runs, engine, seed and the time grid are set
    on the scenario itself; every other field stays as it was."""
    out = set_keys(
        SIR,
        [
            ("parameters.beta", 0.5),
            ("initial.I", 20),
            ("runs", 3),
            ("engine", "tau"),
            ("seed", 2**63 - 1),
            ("time.points", 11),
        ],
    )
    assert out.parameters == {"beta": 0.5, "gamma": 0.1} and out.initial["I"] == 20
    assert (out.runs, out.engine, out.seed) == (3, "tau", 2**63 - 1)
    assert (out.time.end, out.time.points, out.time.unit) == (160.0, 11, "day")
    assert (out.name, out.source, out.model) == (SIR.name, SIR.source, SIR.model)
    assert SIR.parameters["beta"] == 0.3, "the scenario given is not changed"


def test_table_keys_set_the_file_table_and_read_it_back() -> None:
    """Any other key is set in the scenario's table (missing tables made), which is read
    back: an intervention's time or actions, a world's movement, the time unit."""
    out = set_keys(
        SCHOOL,
        [
            ("interventions[0].at", [2.0, 3.0]),
            ("interventions[0].remove", [{"compartment": "Z", "fraction": 0.5}]),
            ("time.unit", "minute"),
            ("parameters.beta", 1.0),
        ],
    )
    (iv,) = out.interventions
    assert iv.trigger == At((2.0, 3.0)) and iv.name == SCHOOL.interventions[0].name
    assert iv.actions[1] == Remove((Impulse("Z", 0.5),))
    assert out.time.unit == "minute" and out.parameters["beta"] == 1.0
    assert (out.name, out.source) == (SCHOOL.name, SCHOOL.source)
    moved = set_key(ROOMS, "world.movement.Z", 1.5)
    assert moved.world is not None and moved.world.movement["Z"] == 1.5
    assert moved.world.movement["S"] == ROOMS.world.movement["S"]  # type: ignore[union-attr]


def test_the_value_is_copied() -> None:
    """Changing the value given after the call changes nothing in the scenario."""
    impulses = [{"compartment": "Z", "fraction": 0.5}]
    out = set_key(SCHOOL, "interventions[0].remove", impulses)
    impulses[0]["fraction"] = 0.9
    assert out.interventions[0].actions[1] == Remove((Impulse("Z", 0.5),))


@pytest.mark.parametrize(
    ("scenario", "key", "value"),
    [
        (SIR, "parameters.beta", -1),
        (SIR, "runs", 0),
        (SIR, "time.end", 0.0),
        (SIR, "seed", 2**63),
        (SIR, "initial.S", 2.5),
        (SIR, "engine", "gillespie"),
        (SCHOOL, "interventions[0].at", -1.0),
        (ROOMS, "world.movement.Z", -1.0),
        (ROOMS, "world.seed[0].count", -1.0),
        (ROOMS, "world.seed[0].where", "nowhere"),
    ],
)
def test_a_bad_value_is_refused_under_its_key(scenario: Scenario, key: str, value: Any) -> None:
    """The new scenario meets a file's checks: a bad value is bad input naming the key
    (as a file would) and the scenario's source."""
    err = _error(scenario, [(key, value)])
    assert err.key == key and err.source == scenario.source


def test_the_scenario_is_checked_once_after_every_key_is_set() -> None:
    """A value that is bad on its own but replaced by a later item is never checked,
    on the scenario or in the table; a bad last value is."""
    assert (
        set_keys(SIR, [("parameters.beta", -1), ("parameters.beta", 0.5)]).parameters["beta"] == 0.5
    )
    out = set_keys(SCHOOL, [("interventions[0].at", -1.0), ("interventions[0].at", 2.0)])
    assert out.interventions[0].trigger == At(2.0)
    assert _error(SIR, [("runs", 2), ("runs", 0)]).key == "runs"


@pytest.mark.parametrize(
    ("scenario", "key", "problem", "allowed"),
    [
        (SIR, "parametres.beta", "no key 'parametres' in the scenario", "name, description"),
        (SIR, "initial.Q", "no key 'Q' in initial", "S, I, R"),
        (SIR, "world.movement.Z", "no key 'world' in the scenario", "parameters, initial"),
        (SIR, "sweep", "no key 'sweep' in the scenario", "interventions"),
        (SCHOOL, "interventions[1].at", "no item [1] in interventions", "0 to 0"),
        (SCHOOL, "interventions[0].sett", "no key 'sett' in interventions[0]", "set, remove"),
        (ROOMS, "initial.S", "no key 'initial' in the scenario", "world"),
        (ROOMS, "world.movement.Q", "no key 'Q' in world.movement", "S, E, Ez, Z, H, D"),
    ],
)
def test_a_key_without_a_place_is_refused_naming_the_keys_there(
    scenario: Scenario, key: str, problem: str, allowed: str
) -> None:
    """A key the table has no place for names the keys allowed where it went wrong; a
    world scenario has no initial counts, a well-mixed one no world, none a sweep."""
    for fail in (lambda: set_key(scenario, key, 1), lambda: check_key(scenario, key)):
        with pytest.raises(InputError) as err:
            fail()
        assert err.value.key == key and err.value.problem == problem
        assert allowed in err.value.allowed


def test_check_key_looks_at_the_place_only() -> None:
    """``check_key`` passes the keys that have a place (whatever value follows) and names
    an unknown parameter with a did-you-mean."""
    for key in ("parameters.beta", "runs", "time.end", "initial.S"):
        check_key(SIR, key)
    check_key(SCHOOL, "interventions[0].at")
    check_key(ROOMS, "world.movement.H")
    with pytest.raises(InputError, match="did you mean 'beta'") as err:
        check_key(SIR, "parameters.betta")
    assert err.value.key == "parameters.betta"


def test_set_names_sets_parameters_and_counts_by_name() -> None:
    """``beta=0.5 I=3``: a parameter or a well-mixed initial count, by its name."""
    out = set_names(SIR, {"beta": 0.5, "I": 3})
    assert out.parameters["beta"] == 0.5 and out.initial["I"] == 3
    assert set_names(ROOMS, {"alpha": 0.1}).parameters["alpha"] == 0.1


def test_set_names_errors_are_placed_in_the_source_under_the_name() -> None:
    """An unknown name (did-you-mean), a count in a world, a bad value: each reported in
    ``source`` under the name as the user wrote it."""
    with pytest.raises(InputError, match="did you mean 'beta'") as err:
        set_names(SIR, {"betta": 1.0})
    assert (err.value.key, err.value.source) == ("betta", "--set")
    with pytest.raises(InputError, match="placed by the world") as err:
        set_names(ROOMS, {"S": 3}, source="viewer")
    assert (err.value.key, err.value.source) == ("S", "viewer")
    with pytest.raises(InputError, match="one by one") as err:
        set_names(SIR, {"I": 2.5})
    assert (err.value.key, err.value.source, err.value.value) == ("I", "--set", 2.5)
    with pytest.raises(InputError) as err:
        set_names(SIR, {"beta": -1})
    assert (err.value.key, err.value.source) == ("beta", "--set")


def test_an_edited_lattice_leaves_the_scenario_it_came_from_alone() -> None:
    """Setting ``world.lattice.rows`` on a copy does not reach the original's table
    (its world's reference was copied one level deep: the original then wrote back rows = 5)."""
    from hyosan.scenario import load_scenario_text
    from hyosan.scenario.dump import scenario_to_dict

    text = (
        'model = "sir"\n[time]\nend = 10\n[world]\nlattice = { rows = 3, cols = 3, people = 10 }\n'
    )
    base = load_scenario_text(text)
    edited = set_key(base, "world.lattice.rows", 5)
    assert scenario_to_dict(edited)["world"]["lattice"]["rows"] == 5
    assert scenario_to_dict(base)["world"]["lattice"]["rows"] == 3
    assert base.world is not None and base.world.world.n_patches == 9
