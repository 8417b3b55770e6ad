"""Actions on a hand-made run state: each does what its docstring says, and no more.

The states here are counts by patch (``X``, patches by compartments) made by
hand; the draws are exact (the ODE's reading), or recorded, so that every
number an action moves can be written down.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from hyosan.errors import InputError
from hyosan.interventions import (
    ACTIONS,
    Barricade,
    BinomialDraws,
    Camp,
    Cordon,
    ExactDraws,
    Impulse,
    Lockdown,
    Remove,
    Reopen,
    RunSeed,
    RunState,
    SetParameters,
    Setting,
    Strike,
)
from hyosan.model import Model, builtin_model
from hyosan.model.characters import Tags, place_characters
from hyosan.space import Selection, World

SIR = builtin_model("sir")
AOUAD = builtin_model("aouad")
LINE = World.from_edges("line", ["a", "b", "c"], [("a", "b", 2.0), ("b", "c", 3.0)])


class Recorded:
    """Exact draws that write down each ``(count, fraction)`` asked for."""

    def __init__(self) -> None:
        self.asked: list[tuple[float, float]] = []

    def take(self, count: float, fraction: float) -> float:
        self.asked.append((count, fraction))
        return count * fraction


def _state(model: Model, X: Any, world: World | None = None, tags: Tags | None = None) -> RunState:
    tags = tags if tags is not None else Tags.none(model)
    setting = Setting(tags.compartments, tags.expand(model.zombies), tags, world)
    weight = world.weight.copy() if world is not None else None
    return RunState(np.array(X, dtype=float), dict(model.defaults), setting, weight)


def test_exact_draws_take_the_exact_share() -> None:
    """The ODE's draws: ``count * fraction``, fractional counts included."""
    assert ExactDraws().take(7.0, 0.5) == 3.5
    assert ExactDraws().take(0.3, 1.0) == 0.3


def test_binomial_draws_come_from_their_own_child_stream() -> None:
    """A ``BinomialDraws`` draws ``binomial(count, fraction)`` from the generator seeded
    ``SeedSequence(run.entropy, spawn_key=(*run.spawn_key, key))``: the same run and key
    give the same numbers, another key others."""
    run = np.random.SeedSequence(1234).spawn(3)[2]
    draws = BinomialDraws(RunSeed(run), key=99)
    got = [draws.take(1000.0, 0.3) for _ in range(5)]
    seed = np.random.SeedSequence(run.entropy, spawn_key=(*run.spawn_key, 99))
    rng = np.random.Generator(np.random.PCG64(seed))
    assert got == [float(rng.binomial(1000, 0.3)) for _ in range(5)]
    assert all(isinstance(n, float) for n in got)
    same, other = BinomialDraws(RunSeed(run), 99), BinomialDraws(RunSeed(run), 98)
    assert [same.take(1000.0, 0.3) for _ in range(5)] == got
    assert [other.take(1000.0, 0.3) for _ in range(5)] != got
    assert BinomialDraws(RunSeed(run), 1).take(50.0, 1.0) == 50.0
    assert BinomialDraws(RunSeed(run), 1).take(50.0, 0.0) == 0.0


def test_a_run_seed_from_a_generator_reads_its_state_at_the_start() -> None:
    """Without the run's seed, the seed is made from the generator's state when the run
    seed is made: a generator advanced afterwards changes nothing, one advanced before
    gives another seed, and the generator itself is left as it was."""
    rng = np.random.default_rng(3)
    state = rng.bit_generator.state
    early = RunSeed(rng=rng)
    assert rng.bit_generator.state == state
    rng.random()
    late = RunSeed(rng=rng)
    assert early.get().entropy == RunSeed(rng=np.random.default_rng(3)).get().entropy
    assert late.get().entropy != early.get().entropy


def test_set_parameters_changes_values_and_says_so() -> None:
    """``set`` updates the values it names, keeps the others, flags the rates, and
    touches neither the counts nor the edges."""
    state = _state(SIR, [[90.0, 10.0, 0.0]])
    SetParameters({"beta": 0.0}).apply(state, ExactDraws())
    assert state.values == {"beta": 0.0, "gamma": 0.1}
    assert state.rates_changed and not state.edges_changed
    assert state.X.tolist() == [[90.0, 10.0, 0.0]]


def test_remove_moves_each_patch_share_in_order() -> None:
    """Each patch loses its own share, drawn patch by patch and impulse by impulse; a later
    impulse on the same compartment takes its share of what is left; no ``to`` takes
    people out of the model."""
    state = _state(SIR, [[0.0, 100.0, 0.0], [0.0, 40.0, 8.0]])
    draws = Recorded()
    Remove((Impulse("I", 0.5, to="R"), Impulse("I", 0.25), Impulse("R", 1.0, "S"))).apply(
        state, draws
    )
    assert draws.asked == [
        (100.0, 0.5),
        (50.0, 0.25),
        (50.0, 1.0),
        (40.0, 0.5),
        (20.0, 0.25),
        (28.0, 1.0),
    ]
    assert state.X.tolist() == [[50.0, 37.5, 0.0], [28.0, 15.0, 0.0]]
    assert not state.rates_changed and not state.edges_changed


def test_remove_changes_the_engine_state_in_place() -> None:
    """``X`` is a view of the engine's state: the action writes through it."""
    x = np.array([0.0, 10.0, 0.0])
    state = RunState(x.reshape(1, -1), {}, Setting(SIR.compartments, SIR.zombies, Tags.none(SIR)))
    Remove((Impulse("I", 1.0, "R"),)).apply(state, ExactDraws())
    assert x.tolist() == [0.0, 0.0, 10.0]


@pytest.mark.parametrize(
    ("impulse", "key", "words"),
    [
        (Impulse("II", 0.5), "interventions[0].remove[1].compartment", "did you mean"),
        (Impulse("I", 0.5, "RR"), "interventions[0].remove[1].to", "or leave out"),
        (Impulse("I", 1.5), "interventions[0].remove[1].fraction", "between 0 and 1"),
        (Impulse("I", -0.1), "interventions[0].remove[1].fraction", "between 0 and 1"),
        (Impulse("I", True), "interventions[0].remove[1].fraction", "between 0 and 1"),
    ],
)
def test_remove_check_names_the_key(impulse: Impulse, key: str, words: str) -> None:
    """A bad impulse is reported under its place in the table."""
    remove = Remove((Impulse("S", 0.1), impulse))
    with pytest.raises(InputError) as err:
        remove.check(SIR, None, key="interventions[0].remove")
    assert err.value.key == key and words in str(err.value)


def test_remove_and_set_check_their_whole_value() -> None:
    """An empty ``remove`` is refused; ``set`` names an unknown parameter and a value
    out of range under ``<key>.<name>``."""
    with pytest.raises(InputError, match="nothing to remove") as err:
        Remove(()).check(SIR, None, key="interventions[2].remove")
    assert err.value.key == "interventions[2].remove"
    with pytest.raises(InputError, match="did you mean 'beta'") as err:
        SetParameters({"betta": 1.0}).check(SIR, None, key="interventions[2].set")
    assert err.value.key == "interventions[2].set.betta"
    with pytest.raises(InputError) as err:
        SetParameters({"p_hybrid": 2.0}).check(AOUAD, None, key="interventions[2].set")
    assert err.value.key == "interventions[2].set.p_hybrid"


ONE_OF_EACH = [
    SetParameters({"alpha": 0.6, "beta": 1.0}),
    Remove((Impulse("Z", 0.5, "D"), Impulse("S", 0.1))),
    Reopen(Selection(patches=("a", "b"))),
    Cordon(Selection(region="east")),
    Lockdown(Selection(patches=("c",))),
    Barricade(Selection(around=(126.9, 37.5), radius_km=3.0)),
    Camp(Selection(region="east"), "camp", 0.25, 0.75, ("S", "H"), ("E",), "D"),
    Camp(Selection(), "camp"),
    Strike(Selection(patches=("a",))),
]


@pytest.mark.parametrize("action", ONE_OF_EACH, ids=lambda a: type(a).__name__)
def test_to_toml_and_from_toml_round_trip(action: Any) -> None:
    """Every action reads back from its ``to_toml`` as an equal action, under its key."""
    assert ACTIONS[action.key] is type(action)
    again = type(action).from_toml(action.to_toml(), key=f"interventions[0].{action.key}")
    assert again == action


def test_actions_apply_in_the_documented_order() -> None:
    """``ACTIONS`` lists each key once, in the order the actions of a table apply."""
    assert list(ACTIONS) == [
        "set",
        "remove",
        "reopen",
        "cordon",
        "lockdown",
        "barricade",
        "camp",
        "strike",
    ]
    assert [cls.needs_world for cls in ACTIONS.values()] == [False] * 2 + [True] * 6


def test_strike_sends_everyone_there_to_their_own_dead() -> None:
    """Everyone in the selected patches goes to D, a character to its own copy of D;
    other patches and the dead already there are untouched; nothing is drawn."""
    tags = Tags.of(AOUAD, ["Onjo"])
    base = np.array([[10.0, 1, 2, 3, 4, 5], [6.0, 0, 0, 1, 0, 0], [1.0, 1, 1, 1, 1, 1]])
    X = place_characters(base, tags, {"Onjo": "H"}, {"Onjo": 0})
    state = _state(AOUAD, X, LINE, tags)
    draws = Recorded()
    Strike(Selection(patches=("a", "c"))).apply(state, draws)
    d, d_onjo = tags.compartments.index("D"), tags.compartments.index("D__Onjo")
    want = np.zeros_like(X)
    want[1] = X[1]
    want[0, d], want[0, d_onjo] = base[0].sum() - 1.0, 1.0
    want[2, d] = base[2].sum()
    np.testing.assert_array_equal(state.X, want)
    assert draws.asked == [] and not state.edges_changed


def test_strike_without_d_takes_people_out_of_the_model() -> None:
    """A model without D loses the struck people."""
    state = _state(SIR, [[5.0, 3.0, 2.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]], LINE)
    Strike(Selection(patches=("b",))).apply(state, ExactDraws())
    assert state.X.tolist() == [[5.0, 3.0, 2.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]


def test_camp_moves_a_share_and_screens_the_bitten() -> None:
    """From each selected patch (never the camp itself) ``fraction`` of each moved
    compartment is drawn, then of the screened ones ``sensitivity`` of those: the caught
    go to ``detected_to`` in their own patch, a character to its own copy, the others
    to the camp."""
    tags = Tags.of(AOUAD, ["Onjo"])
    world = LINE.with_patch("camp")
    base = np.array([[20.0, 8, 0, 3, 4, 0], [0.0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0.0] * 6])
    base[3, 1] = 4.0  # bitten people already in the camp are not moved again
    X = place_characters(base, tags, {"Onjo": "E"}, {"Onjo": 0})
    state = _state(AOUAD, X, world, tags)
    draws = Recorded()
    camp = Camp(Selection(patches=("a", "camp")), "camp", 0.5, 0.25, ("S", "E"), ("E",), "D")
    camp.for_characters(tags).apply(state, draws)
    comps = tags.compartments
    i = {c: comps.index(c) for c in ("S", "E", "Z", "H", "D", "E__Onjo", "D__Onjo")}
    assert draws.asked == [
        (20.0, 0.5),  # S
        (7.0, 0.5),  # E, then the screening of those moved
        (3.5, 0.25),
        (0.0, 0.5),  # S__Onjo
        (1.0, 0.5),  # E__Onjo
        (0.5, 0.25),
    ]
    a, at_camp = state.X[0], state.X[3]
    assert (a[i["S"]], a[i["E"]], a[i["D"]]) == (10.0, 3.5, 0.875)
    assert (a[i["Z"]], a[i["H"]]) == (3.0, 4.0), "neither moved"
    assert (a[i["E__Onjo"]], a[i["D__Onjo"]]) == (0.5, 0.125)
    assert (at_camp[i["S"]], at_camp[i["E"]], at_camp[i["E__Onjo"]]) == (10.0, 6.625, 0.375)
    assert state.X.sum() == X.sum() and not state.edges_changed
