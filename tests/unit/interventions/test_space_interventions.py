"""Interventions in space: each action, run through the driver and through a scenario file.

Every run here is checked for what the action guarantees whatever the random
numbers: a cordon or a lockdown keeps counts on each side of the closed edges
fixed, a strike leaves only the dead, a camp screens with the sensitivity it
is given. Each check of a closed edge comes with the open case beside it, to
show that movement would have crossed it.
"""

from __future__ import annotations

import numpy as np
import pytest

import hyosan
from hyosan.engines import get_engine, run_path
from hyosan.errors import InputError
from hyosan.interventions import (
    At,
    Barricade,
    Camp,
    Cordon,
    ExactDraws,
    Intervention,
    Lockdown,
    Reopen,
    RunState,
    Setting,
    Strike,
)
from hyosan.model import Model, builtin_model
from hyosan.model.characters import Tags
from hyosan.scenario import load_scenario_text
from hyosan.space import Placement, Selection, World, WorldSetup
from hyosan.space.graph import world_from_toml

ALEMI = builtin_model("alemi")
AOUAD = builtin_model("aouad")
AOUAD_STILL = dict.fromkeys(AOUAD.parameter_names, 0.0)  # no reactions at all
TIMES = np.linspace(0.0, 4.0, 9)
ENGINES = ["ssa", "tau", "ode"]


def _run(
    model: Model,
    setup: WorldSetup,
    interventions: tuple[Intervention, ...],
    *,
    engine: str = "ssa",
    params: dict[str, float] | None = None,
    x0: np.ndarray | None = None,
    seed: int = 0,
) -> np.ndarray:
    """One path; counts of shape ``(times, patches, compartments)``."""
    x = setup.counts(model) if x0 is None else x0
    out, _ = run_path(
        model,
        params if params is not None else model.defaults,
        x.ravel(),
        TIMES,
        interventions,
        get_engine(engine),
        np.random.default_rng(seed),
        setup=setup,
    )
    return out.reshape(len(TIMES), setup.world.n_patches, len(model.compartments))


def _line(n: int, people: float = 50.0) -> World:
    return World.lattice(np.full((1, n), people))


def _zombies_in_first_cell(world: World) -> WorldSetup:
    return WorldSetup(
        world,
        movement={"S": 3.0, "Z": 3.0},
        coupling=1.0,
        seeds=(Placement("Z", 5, Selection(patches=("r0c0",))),),
    )


# --- cordon --------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_cordon_keeps_zombies_inside(engine: str) -> None:
    """Cordon at t = 0 around the first two cells: no zombie, alive or destroyed, gets out.

    Movement (3 per unit time per border) and coupling (1) are high; without
    the cordon zombies reach the far cells (checked on the same seed).
    """
    setup = _zombies_in_first_cell(_line(4))
    cordon = Intervention(At(0.0), (Cordon(Selection(patches=("r0c0", "r0c1"))),))
    x = _run(ALEMI, setup, (cordon,), engine=engine)
    outside = x[:, 2:, 1:]  # Z and R in r0c2, r0c3
    assert np.all(outside == 0.0)
    np.testing.assert_allclose(x[:, :2].sum(axis=(1, 2)), 105.0, rtol=1e-9)
    np.testing.assert_allclose(x[:, 2:].sum(axis=(1, 2)), 100.0, rtol=1e-9)
    assert np.ptp(x[:, 0].sum(axis=1)) > 0  # people still move inside the cordon
    free = _run(ALEMI, setup, (), engine=engine)
    assert free[-1, 2:, 1:].sum() > 0


def test_cordon_later_fixes_each_side_from_then_on() -> None:
    """Cordon at t = 1 around r0c0, r0c1: before, people cross; from t = 1 each side is fixed."""
    setup = _zombies_in_first_cell(_line(4))
    cordon = Intervention(At(1.0), (Cordon(Selection(patches=("r0c0", "r0c1"))),))
    x = _run(ALEMI, setup, (cordon,), seed=3)
    inside = x[:, :2].sum(axis=(1, 2))
    after = TIMES >= 1.0
    assert np.ptp(inside[after]) == 0.0
    assert np.ptp(inside[~after]) > 0  # people crossed before the cordon


# --- lockdown, barricade, reopen -------------------------------------------------


def test_lockdown_stops_all_movement_in_the_region() -> None:
    """Lockdown of r0c0 and r0c1 on a 2 x 3 lattice: each of them keeps its count.

    Nobody moves between the two locked cells either (a cordon would let
    them); the other four cells still exchange people among themselves.
    """
    world = World.lattice(np.full((2, 3), 30.0))
    setup = WorldSetup(world, movement={"S": 4.0})
    lock = Intervention(At(0.0), (Lockdown(Selection(patches=("r0c0", "r0c1"))),))
    x = _run(ALEMI, setup, (lock,))[:, :, 0]
    np.testing.assert_array_equal(x[:, :2], 30.0)
    assert x[:, 2:].sum(axis=1).tolist() == [120.0] * len(TIMES)
    assert np.ptp(x[:, 2]) > 0 and np.ptp(x[:, 4]) > 0
    cordon = Intervention(At(0.0), (Cordon(Selection(patches=("r0c0", "r0c1"))),))
    y = _run(ALEMI, setup, (cordon,))[:, :, 0]
    assert np.ptp(y[:, 0]) > 0 and y[:, :2].sum(axis=1).tolist() == [60.0] * len(TIMES)


HOUSE = world_from_toml(
    {
        "name": "house",
        "patches": [{"name": n, "people": 20} for n in ("a", "b", "c", "d")],
        "doors": [
            {"between": ["a", "b"], "closable": True},
            {"between": ["b", "c"], "closable": False},
            {"between": ["c", "d"], "closable": True},
        ],
    }
)


def test_edge_actions_close_the_right_edges() -> None:
    """Edge weights after each action on patch b of the house a - b - c - d."""
    pairs = [
        (HOUSE.patches[s], HOUSE.patches[d]) for s, d in zip(HOUSE.src, HOUSE.dst, strict=True)
    ]

    kinds = {"cordon": Cordon, "lockdown": Lockdown, "barricade": Barricade, "reopen": Reopen}
    sir = builtin_model("sir")
    setting = Setting(sir.compartments, sir.zombies, Tags.none(sir), HOUSE)

    def closed(kind: str, patches: list[int], weight: np.ndarray | None = None) -> set:
        w = HOUSE.weight.copy() if weight is None else weight
        state = RunState(np.zeros((HOUSE.n_patches, 3)), {}, setting, w)
        where = Selection(patches=tuple(HOUSE.patches[p] for p in patches))
        kinds[kind](where).apply(state, ExactDraws())
        assert state.edges_changed
        return {pairs[e] for e in np.flatnonzero(w == 0.0)}

    b = [1]
    assert closed("cordon", b) == {("a", "b"), ("b", "a"), ("b", "c"), ("c", "b")}
    assert closed("lockdown", b) == {("a", "b"), ("b", "a"), ("b", "c"), ("c", "b")}
    assert closed("barricade", b) == {("a", "b"), ("b", "a")}
    assert closed("cordon", [1, 2]) == {("a", "b"), ("b", "a"), ("c", "d"), ("d", "c")}
    assert closed("lockdown", [1, 2]) == set(pairs)
    w = np.zeros(HOUSE.n_edges)
    assert closed("reopen", b, w) == {("c", "d"), ("d", "c")}


def test_barricade_closes_only_closable_doors_and_reopen_restores() -> None:
    """Barricade b at t = 0, reopen b at t = 2: a is cut off until 2; b - c stays open.

    The a - b door is closable, b - c is not: from 0 to 2 room a keeps its
    20 people while b, c, d exchange theirs; after the reopening a's count
    moves again.
    """
    setup = WorldSetup(HOUSE, movement={"S": 4.0})
    shut = Intervention(At(0.0), (Barricade(Selection(patches=("b",))),))
    again = Intervention(At(2.0), (Reopen(Selection(patches=("b",))),))
    x = _run(ALEMI, setup, (shut, again), seed=1)[:, :, 0]
    before = TIMES < 2.0
    np.testing.assert_array_equal(x[before, 0], 20.0)
    np.testing.assert_array_equal(x[before, 1:].sum(axis=1), 60.0)
    assert np.ptp(x[before, 1]) > 0 and np.ptp(x[before, 2]) > 0
    assert np.ptp(x[~before, 0]) > 0
    np.testing.assert_array_equal(x.sum(axis=1), 80.0)


# --- strike ----------------------------------------------------------------------


def _mixed(world: World, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 20, size=(world.n_patches, len(AOUAD.compartments))).astype(float)


@pytest.mark.parametrize("engine", ENGINES)
def test_strike_kills_everyone_in_the_region_and_nobody_else(engine: str) -> None:
    """Strike r0c0 and r1c1 at t = 1: there everyone is in D (all who were there); elsewhere
    nothing changes (no reactions, no movement)."""
    world = World.lattice(np.zeros((2, 2)))
    x0 = _mixed(world, 5)
    hit = Intervention(At(1.0), (Strike(Selection(patches=("r0c0", "r1c1"))),))
    x = _run(AOUAD, WorldSetup(world), (hit,), engine=engine, params=AOUAD_STILL, x0=x0)
    after, d = TIMES >= 1.0, AOUAD.compartments.index("D")
    for p in (0, 3):
        np.testing.assert_array_equal(x[~after, p], np.broadcast_to(x0[p], x[~after, p].shape))
        np.testing.assert_array_equal(np.delete(x[after, p], d, axis=1), 0.0)
        np.testing.assert_array_equal(x[after, p, d], x0[p].sum())
    for p in (1, 2):
        np.testing.assert_array_equal(x[:, p], np.broadcast_to(x0[p], x[:, p].shape))


def test_strike_with_the_outbreak_running_and_without_d() -> None:
    """With reactions on, the struck patch holds only D afterwards; a model without D
    (SIR) loses the struck people from the model."""
    world = World.lattice(np.full((1, 2), 100.0))
    seeds = (Placement("Z", 3, Selection(patches=("r0c0",))),)
    hit = Intervention(At(1.0), (Strike(Selection(patches=("r0c0",))),))
    x = _run(AOUAD, WorldSetup(world, seeds=seeds), (hit,))
    d = AOUAD.compartments.index("D")
    assert x[TIMES >= 1.0, 0].sum(axis=1).tolist() == x[TIMES >= 1.0, 0, d].tolist()
    assert x[-1, 0, d] == 103.0
    sir = builtin_model("sir")
    y = _run(
        sir, WorldSetup(world, seeds=(Placement("I", 3, Selection(patches=("r0c0",))),)), (hit,)
    )
    np.testing.assert_array_equal(y[TIMES >= 1.0, 0], 0.0)
    assert y[-1].sum() == 100.0 and y[0].sum() == 203.0


# --- camp ------------------------------------------------------------------------


def _camp_world() -> tuple[World, np.ndarray]:
    world = World.lattice(np.zeros((1, 2))).with_patch("camp")
    x0 = np.zeros((3, len(AOUAD.compartments)))
    x0[:2] = [20.0, 5.0, 3.0, 2.0, 4.0, 1.0]  # S E Ez Z H D in both cells, the camp empty
    return world, x0


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("sensitivity", [0.0, 1.0])
def test_camp_screens_the_bitten_and_never_the_hybrids(engine: str, sensitivity: float) -> None:
    """Camp from every cell at t = 1: S and H go; E, Ez go only if not caught; Z and D stay.

    Sensitivity 1 catches every E and Ez (they are turned back), sensitivity
    0 none; hybrids (H) are never screened. No reactions, no movement.
    """
    world, x0 = _camp_world()
    camp = Camp(patches=Selection(), to="camp", sensitivity=sensitivity)
    iv = Intervention(At(1.0), (camp,))
    x = _run(AOUAD, WorldSetup(world), (iv,), engine=engine, params=AOUAD_STILL, x0=x0)
    caught = sensitivity == 1.0
    cell = [0.0, 5.0, 3.0, 2.0, 0.0, 1.0] if caught else [0.0, 0.0, 0.0, 2.0, 0.0, 1.0]
    at_camp = [40.0, 0.0, 0.0, 0.0, 8.0, 0.0] if caught else [40.0, 10.0, 6.0, 0.0, 8.0, 0.0]
    after = TIMES >= 1.0
    np.testing.assert_array_equal(x[~after], np.broadcast_to(x0, x[~after].shape))
    for p in (0, 1):
        np.testing.assert_array_equal(x[after, p], np.broadcast_to(cell, x[after, p].shape))
    np.testing.assert_array_equal(x[after, 2], np.broadcast_to(at_camp, x[after, 2].shape))


def test_camp_sends_the_caught_to_detected_to() -> None:
    """With ``detected_to = "D"`` the caught bitten die in their own cell."""
    world, x0 = _camp_world()
    camp = Camp(patches=Selection(patches=("r0c0",)), to="camp", sensitivity=1.0, detected_to="D")
    x = _run(AOUAD, WorldSetup(world), (Intervention(At(1.0), (camp,)),), params=AOUAD_STILL, x0=x0)
    np.testing.assert_array_equal(x[-1, 0], [0.0, 0.0, 0.0, 2.0, 0.0, 9.0])
    np.testing.assert_array_equal(x[-1, 1], x0[1])  # not selected
    np.testing.assert_array_equal(x[-1, 2], [20.0, 0.0, 0.0, 0.0, 4.0, 0.0])


def test_camp_fraction_takes_a_binomial_share() -> None:
    """``fraction`` 0.5 takes part of each compartment; people are neither made nor lost."""
    world, x0 = _camp_world()
    x0[:2, 0] = 1000.0
    camp = Camp(patches=Selection(), to="camp", fraction=0.5, sensitivity=0.0)
    x = _run(AOUAD, WorldSetup(world), (Intervention(At(1.0), (camp,)),), params=AOUAD_STILL, x0=x0)
    np.testing.assert_array_equal(x[-1].sum(axis=0), x0.sum(axis=0))
    # binomial(2000, 0.5): sd 22, 6 sd is 134
    assert abs(x[-1, 2, 0] - 1000.0) < 134 and 0 < x[-1, 2, 0] < 2000


# --- through a scenario file -------------------------------------------------------

SCENARIO = """\
name = "quarantine"
model = "aouad"
engine = "ssa"
runs = 3
seed = 7

[time]
end = 4.0
points = 9

[world]
lattice = { rows = 2, cols = 2, people = 20 }
movement = { S = 2.0, Z = 2.0 }
coupling = 0.5
camps = ["camp"]

[[world.seed]]
compartment = "Z"
count = 2
where = "r0c0"

[[interventions]]
at = 0.0
cordon = { patches = ["r0c0"] }

[[interventions]]
at = 1.0
strike = { patches = ["r0c0"] }

[[interventions]]
at = 2.0
camp = { patches = {}, to = "camp", sensitivity = 1.0 }
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_scenario_with_cordon_strike_and_camp(engine: str) -> None:
    """Zombies in r0c0 are cordoned at 0 and struck at 1; at 2 the others go to the camp.

    From t = 2 on the camp holds the 60 people of the three clean cells, r0c0
    the 22 dead, and nobody is anywhere else, in every run.
    """
    sc = load_scenario_text(SCENARIO, "quarantine.toml")
    res = hyosan.simulate(sc, engine=engine)
    f = res.fields  # run, time, compartment, patch
    assert f.shape[1:] == (9, 6, 5) and res.patches[-1] == "camp"
    np.testing.assert_allclose(f.sum(axis=3), res.counts, rtol=1e-12)
    later = res.times >= 2.0
    comps = res.compartments
    np.testing.assert_allclose(f[:, later, comps.index("S"), 4], 60.0, rtol=1e-9)
    np.testing.assert_allclose(f[:, later, comps.index("D"), 0], 22.0, rtol=1e-9)
    people = f[:, later].sum(axis=2)  # run, time, patch
    want = np.broadcast_to([22.0, 0.0, 0.0, 0.0, 60.0], people.shape)
    np.testing.assert_allclose(people, want, atol=1e-6)
    zombies_outside = f[:, :, comps.index("Z"), 1:]
    assert np.all(zombies_outside <= 1e-9)


@pytest.mark.parametrize(
    "action",
    [
        'cordon = { patches = ["a"] }',
        'lockdown = "a"',
        'barricade = ["a", "b"]',
        'reopen = { region = "r" }',
        'strike = "a"',
        'camp = { patches = "a", to = "camp" }',
    ],
)
def test_spatial_action_without_world_is_an_error(action: str) -> None:
    """A scenario with no [world] cannot cordon, lock down, barricade, reopen, strike or camp."""
    text = f"""\
model = "alemi"
[time]
end = 2.0
[initial]
S = 10
Z = 1
[[interventions]]
at = 1.0
{action}
"""
    with pytest.raises(InputError) as err:
        load_scenario_text(text, "flat.toml")
    name = action.split(" ")[0]
    assert err.value.key == f"interventions[0].{name}" and err.value.source == "flat.toml"
    assert "no world" in err.value.problem


@pytest.mark.parametrize(
    ("action", "key"),
    [
        ('cordon = { patches = ["r9c9"] }', "interventions[0].cordon"),
        ('strike = { region = "north" }', "interventions[0].strike.region"),
        ('camp = { patches = "r0c0", to = "tent" }', "interventions[0].camp.to"),
        (
            'camp = { patches = "r0c0", to = "camp", sensitivity = 2 }',
            "interventions[0].camp.sensitivity",
        ),
        (
            'camp = { patches = "r0c0", to = "camp", screen = ["X"] }',
            "interventions[0].camp.screen",
        ),
    ],
)
def test_spatial_action_naming_what_the_world_lacks(action: str, key: str) -> None:
    """Unknown patches, regions, camps and compartments are named under the action's key."""
    text = f"""\
model = "aouad"
[time]
end = 2.0
[world]
lattice = {{ rows = 1, cols = 2, people = 5 }}
camps = ["camp"]
[[interventions]]
at = 1.0
{action}
"""
    with pytest.raises(InputError) as err:
        load_scenario_text(text, "space.toml")
    assert err.value.key == key, str(err.value)
