"""Invariants of the spatial engines for random small worlds, rates, coupling and states.

Worlds are small lattices or random graphs (one-way edges allowed where
there is no coupling, which needs edges both ways); the models are ``aouad``
and ``alemi``, both of which conserve people (the dead and the destroyed are
compartments). Some cases add a cordon, lockdown, barricade or reopening of
a random patch at t = 1, which moves nobody and so keeps every invariant.

Counts never going negative is tested apart with and without coupling; the
coupled test keeps, as an explicit example, the case Hypothesis found when the
next-subvolume method left a neighbour's coupled rates stale (fixed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

import hyosan
from hyosan.engines import get_engine, run_path
from hyosan.interventions import At, Barricade, Cordon, Intervention, Lockdown, Reopen
from hyosan.model import Model, builtin_model
from hyosan.scenario import Scenario, TimeGrid
from hyosan.space import Placement, Selection, World, WorldSetup

TIMES = np.linspace(0.0, 2.0, 5)
MODELS = {name: builtin_model(name) for name in ("aouad", "alemi")}


@dataclass(frozen=True)
class Case:
    model: Model
    params: dict[str, float]
    setup: WorldSetup
    x0: np.ndarray  # (patches, compartments)
    interventions: tuple[Intervention, ...]
    seed: int


@st.composite
def worlds(draw: st.DrawFn, two_way: bool) -> World:
    if draw(st.booleans()):
        rows, cols = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        return World.lattice(np.zeros((rows, cols)))
    n = draw(st.integers(1, 4))
    names = [f"p{i}" for i in range(n)]
    pairs = [(a, b) for a in range(n) for b in range(n) if a < b or (not two_way and a != b)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    edges = [(names[a], names[b], draw(st.floats(0.0, 3.0))) for a, b in sorted(chosen)]
    return World.from_edges("graph", names, edges, two_way=two_way)


@st.composite
def cases(draw: st.DrawFn, couplings: tuple[float, ...] = (0.0, 0.0, 0.5, 2.0)) -> Case:
    name = draw(st.sampled_from(sorted(MODELS)))
    model = MODELS[name]
    params = {
        p.name: draw(st.floats(0.0, 1.0) if p.name.startswith("p_") else st.floats(0.0, 8.0))
        for p in model.parameters
    }
    coupling = draw(st.sampled_from(couplings))
    world = draw(worlds(two_way=coupling > 0 or draw(st.booleans())))
    movement = {c: draw(st.sampled_from([0.0, 0.3, 2.0])) for c in model.compartments}
    setup = WorldSetup(world, movement=movement, coupling=coupling)
    x0 = np.array(
        draw(
            st.lists(
                st.integers(0, 25),
                min_size=world.n_patches * len(model.compartments),
                max_size=world.n_patches * len(model.compartments),
            )
        ),
        dtype=float,
    ).reshape(world.n_patches, len(model.compartments))
    interventions: tuple[Intervention, ...] = ()
    action = draw(st.sampled_from(["", "cordon", "lockdown", "barricade", "reopen"]))
    if action:
        where = Selection(patches=(draw(st.sampled_from(world.patches)),))
        kind = {"cordon": Cordon, "lockdown": Lockdown, "barricade": Barricade, "reopen": Reopen}
        interventions = (Intervention(At(1.0), (kind[action](where),)),)
    return Case(model, params, setup, x0, interventions, draw(st.integers(0, 2**32)))


def _run(case: Case, engine: str, seed: int | None = None) -> tuple[np.ndarray, int]:
    out, events = run_path(
        case.model,
        case.params,
        case.x0.ravel(),
        TIMES,
        case.interventions,
        get_engine(engine),
        np.random.default_rng(case.seed if seed is None else seed),
        setup=case.setup,
    )
    return out, events


def _whole_and_not_negative(case: Case, engine: str) -> None:
    out, _ = _run(case, engine)
    assert out.shape == (len(TIMES), case.x0.size)
    np.testing.assert_array_equal(out[0], case.x0.ravel())
    assert np.all(out == np.round(out))
    assert np.all(out >= 0), f"lowest count {out.min()}"


@settings(max_examples=25, deadline=None)
@given(cases(couplings=(0.0,)), st.sampled_from(["ssa", "tau"]))
def test_counts_are_whole_and_never_negative(case: Case, engine: str) -> None:
    """Without coupling, next-subvolume and spatial tau-leaping paths stay on whole numbers
    >= 0 in every patch (with coupling: the next test)."""
    _whole_and_not_negative(case, engine)


#: Found by Hypothesis: b's own kill destroys its zombie, a's coupled kill rate is left stale.
STALE = Case(
    MODELS["alemi"],
    {"beta": 0.0, "kappa": 1.0},
    WorldSetup(World.lattice(np.zeros((1, 2))), coupling=0.5),
    np.array([[1.0, 0.0, 0.0], [2.0, 1.0, 0.0]]),
    (),
    2,
)


@settings(max_examples=25, deadline=None)
@given(cases(couplings=(0.5, 2.0)), st.sampled_from(["ssa", "tau"]))
@example(STALE, "ssa")
def test_coupled_counts_are_whole_and_never_negative(case: Case, engine: str) -> None:
    """With coupling too, paths stay on whole numbers >= 0 in every patch."""
    _whole_and_not_negative(case, engine)


@settings(max_examples=25, deadline=None)
@given(cases(), st.sampled_from(["ode", "ssa", "tau"]))
def test_population_is_conserved(case: Case, engine: str) -> None:
    """The total over patches and compartments never changes: moves and reactions keep people."""
    out, _ = _run(case, engine)
    np.testing.assert_allclose(out.sum(axis=1), case.x0.sum(), rtol=1e-6, atol=1e-6)
    if engine != "ode":  # whole numbers: exactly
        assert np.all(out.sum(axis=1) == case.x0.sum())


@settings(max_examples=15, deadline=None)
@given(cases(), st.sampled_from(["ssa", "tau"]))
def test_same_seed_gives_the_same_numbers(case: Case, engine: str) -> None:
    """Two runs from the same seed are identical, number for number, event for event."""
    a, ea = _run(case, engine)
    b, eb = _run(case, engine)
    np.testing.assert_array_equal(a, b)
    assert ea == eb


@settings(max_examples=10, deadline=None)
@given(cases(), st.sampled_from(["ode", "ssa", "tau"]), st.integers(1, 3))
def test_fields_sum_to_counts(case: Case, engine: str, runs: int) -> None:
    """``Result.fields`` summed over patches is ``Result.counts``; the first time is the start."""
    comps = case.model.compartments
    seeds = tuple(
        Placement(c, float(case.x0[p, i]), Selection(patches=(case.setup.world.patches[p],)))
        for p in range(case.setup.world.n_patches)
        for i, c in enumerate(comps)
        if case.x0[p, i] > 0
    )
    setup = WorldSetup(
        case.setup.world,
        movement=case.setup.movement,
        coupling=case.setup.coupling,
        seeds=seeds,
    )
    np.testing.assert_array_equal(setup.counts(case.model), case.x0)
    sc = Scenario(
        name="random-world",
        model=case.model,
        parameters=case.params,
        initial={},
        time=TimeGrid(end=float(TIMES[-1]), points=len(TIMES)),
        interventions=case.interventions,
        engine=engine,
        runs=runs,
        seed=case.seed,
        world=setup,
    )
    res = hyosan.simulate(sc)
    f = res.fields
    n_runs = 1 if engine == "ode" else runs
    assert f.shape == (n_runs, len(TIMES), len(comps), case.setup.world.n_patches)
    np.testing.assert_allclose(f.sum(axis=3), res.counts, rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(f[:, 0], np.broadcast_to(case.x0.T, f[:, 0].shape))
