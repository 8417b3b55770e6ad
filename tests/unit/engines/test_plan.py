"""A Plan: what the runs of a study share, and the random streams of its interventions.

The run_plan checks here are about streams: an intervention draws from a
stream of its own, so adding one changes nothing before it fires, and adding
another in front of it changes none of its numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.engines import DirectSSA, Firings, NextSubvolume, OdeEngine, Plan, TauLeap, run_plan
from hyosan.errors import InputError
from hyosan.interventions import (
    At,
    BinomialDraws,
    Condition,
    ExactDraws,
    Impulse,
    Intervention,
    Remove,
    SetParameters,
    When,
    stream_keys,
)
from hyosan.model import CompiledModel, builtin_model
from hyosan.space import CompiledSpace, World, WorldSetup

SIR = builtin_model("sir")
X0 = np.array([990.0, 10.0, 0.0])
TIMES = np.linspace(0.0, 20.0, 41)
CULL = Intervention(At(5.0), (Remove((Impulse("I", 0.5, "R"),)),))
SLOW = Intervention(When(Condition.parse("I > 50")), (SetParameters({"beta": 0.1}),))
HALT = Intervention(When(Condition.parse("R >= 100")), (SetParameters({"beta": 0.0}),))


def test_build_well_mixed() -> None:
    """The parameters override the defaults, the engine is the well-mixed one, each
    intervention has its stream key, and the conditional ones wait, in order, with their
    conditions as the rows of ``stops``."""
    ivs = (SLOW, CULL, HALT)
    plan = Plan.build(SIR, {"gamma": 0.2}, "ssa", interventions=ivs)
    assert dict(plan.values) == {"beta": 0.3, "gamma": 0.2}
    assert isinstance(plan.engine, DirectSSA) and isinstance(plan.compiled, CompiledModel)
    assert plan.interventions == ivs and plan.keys == stream_keys(ivs)
    assert plan.waiting == (0, 2)
    assert plan.stops.thresholds.tolist() == [50.0, 100.0] and plan.stops.ops.tolist() == [2, 3]
    assert plan.setting.compartments == SIR.compartments and plan.setting.world is None
    assert plan.setting.tags.characters == () and plan.setup is None


def test_build_in_a_world() -> None:
    """With a world setup: the spatial engine, the model compiled in space, conditions
    masked by region, and the world in the setting."""
    world = World.from_edges(
        "w", ["a", "b", "c"], [("a", "b", 1.0), ("b", "c", 1.0)], regions={"ab": ["a", "b"]}
    )
    setup = WorldSetup(world, movement={"S": 1.0})
    iv = Intervention(When(Condition.parse("I > 5 in ab")), (SetParameters({"beta": 0.0}),))
    plan = Plan.build(SIR, None, DirectSSA(budget=9), setup=setup, interventions=(iv,))
    assert plan.engine == NextSubvolume(budget=9)
    assert isinstance(plan.compiled, CompiledSpace)
    assert plan.stops.masks.tolist() == [[1.0, 1.0, 0.0]]
    assert plan.setting.world is world and plan.setup is setup


def test_build_refuses_an_unknown_parameter() -> None:
    """A parameter the model lacks is bad input keyed ``parameters.<name>``."""
    with pytest.raises(InputError, match="did you mean 'beta'") as err:
        Plan.build(SIR, {"betta": 1.0}, "ode")
    assert err.value.key == "parameters.betta"


def _numbers(plan: Plan, rng: np.random.Generator) -> list[list[float]]:
    """Five draws from each intervention's stream in a run started from ``rng``."""
    return [[d.take(1000.0, 0.5) for _ in range(5)] for d in plan.draws(rng)]


def test_the_same_generator_state_gives_the_same_draws() -> None:
    """Two runs started from one seed draw the same numbers; making the draws leaves the
    engine's generator as it was; each intervention that takes shares has numbers of its
    own, one that only sets parameters takes exact shares (it never draws)."""
    thin = Intervention(At(8.0), (Remove((Impulse("S", 0.1),)),))
    plan = Plan.build(SIR, None, "ssa", interventions=(CULL, thin, SLOW))
    rng = np.random.default_rng(11)
    before = rng.bit_generator.state
    first = _numbers(plan, rng)
    assert rng.bit_generator.state == before
    assert _numbers(plan, np.random.default_rng(11)) == first
    kinds = [type(d) for d in plan.draws(rng)]
    assert kinds == [BinomialDraws, BinomialDraws, ExactDraws]
    assert first[0] != first[1]


def test_a_run_seed_gives_its_children_whatever_the_generator() -> None:
    """Given the run's own seed (as simulate gives it), the streams are its children: the
    same for that seed whatever state the engine's generator is in, other for another."""
    plan = Plan.build(SIR, None, "ssa", interventions=(CULL,))
    seed = np.random.SeedSequence(5).spawn(2)[1]

    def numbers(rng: np.random.Generator, s: np.random.SeedSequence) -> list[float]:
        return [plan.draws(rng, s)[0].take(1000.0, 0.5) for _ in range(1)]

    first = numbers(np.random.default_rng(1), seed)
    assert numbers(np.random.default_rng(99), seed) == first
    assert numbers(np.random.default_rng(1), np.random.SeedSequence(5).spawn(2)[0]) != first


def test_a_shared_generator_advanced_gives_other_draws() -> None:
    """Runs that share one generator (advanced by the engine in between), or start from
    other seeds, draw other numbers."""
    plan = Plan.build(SIR, None, "tau", interventions=(CULL,))
    rng = np.random.default_rng(11)
    first = _numbers(plan, rng)
    rng.random()
    assert _numbers(plan, rng) != first
    assert _numbers(plan, np.random.default_rng(12)) != first


def test_the_ode_gets_exact_draws() -> None:
    """The ODE's plan takes exact shares: one ExactDraws per intervention, whatever the
    generator."""
    plan = Plan.build(SIR, None, OdeEngine(), interventions=(CULL, SLOW, HALT))
    draws = plan.draws(np.random.default_rng(0))
    assert len(draws) == 3 and all(isinstance(d, ExactDraws) for d in draws)
    assert draws[0].take(7.0, 0.5) == 3.5


def test_firings_start_empty() -> None:
    """No intervention has fired: NaN times, zero changes, one row each."""
    firings = Firings.empty(2, 3)
    assert np.isnan(firings.time).all() and firings.time.shape == (2,)
    assert firings.change.shape == (2, 3) and not firings.change.any()


def _run(
    engine: object, ivs: tuple[Intervention, ...], seed: int = 3
) -> tuple[np.ndarray, Firings]:
    plan = Plan.build(SIR, None, engine, interventions=ivs)  # type: ignore[arg-type]
    firings = Firings.empty(len(ivs), 3)
    out, _ = run_plan(plan, X0, TIMES, np.random.default_rng(seed), firings=firings)
    return out, firings


@pytest.mark.parametrize("engine", [DirectSSA(), TauLeap()], ids=["ssa", "tau"])
def test_adding_an_intervention_leaves_the_path_before_it_as_it_was(engine: object) -> None:
    """A cull at t = 5 changes nothing before 5, to the bit: the engine's numbers are not
    the intervention's, and cutting the run at 5 does not change the path up to 5."""
    alone, _ = _run(engine, ())
    culled, firings = _run(engine, (CULL,))
    before = TIMES < 5.0
    np.testing.assert_array_equal(culled[before], alone[before])
    assert not np.array_equal(culled, alone), "the cull did change the path after 5"
    assert firings.time.tolist() == [5.0]
    assert firings.change[0, 1] == -firings.change[0, 2] < 0


def test_an_intervention_added_in_front_does_not_change_anothers_draws() -> None:
    """[cull] and [thin, cull]: the thinning of R fires first at 5, from its own stream,
    and the cull of I draws the same numbers as alone; with no new infections (beta = 0)
    the I path depends on no one else, so it is the same to the bit."""
    thin = Intervention(At(5.0), (Remove((Impulse("R", 0.5),)),), name="thin")
    plan_a = Plan.build(SIR, {"beta": 0.0}, DirectSSA(), interventions=(CULL,))
    plan_b = Plan.build(SIR, {"beta": 0.0}, DirectSSA(), interventions=(thin, CULL))
    x0 = np.array([0.0, 10_000.0, 0.0])
    fa, fb = Firings.empty(1, 3), Firings.empty(2, 3)
    a, _ = run_plan(plan_a, x0, TIMES, np.random.default_rng(8), firings=fa)
    b, _ = run_plan(plan_b, x0, TIMES, np.random.default_rng(8), firings=fb)
    np.testing.assert_array_equal(fb.change[1], fa.change[0])
    np.testing.assert_array_equal(b[:, 1], a[:, 1])
    assert fb.change[0, 2] < 0 and not np.array_equal(b[:, 2], a[:, 2])


def test_a_plan_keeps_nothing_between_runs() -> None:
    """One plan, two runs from the same seed: the same path (nothing of the first run,
    fired interventions or changed rates, stays in the plan)."""
    plan = Plan.build(SIR, None, TauLeap(), interventions=(SLOW, CULL))
    a, _ = run_plan(plan, X0, TIMES, np.random.default_rng(5))
    b, _ = run_plan(plan, X0, TIMES, np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)
    assert plan.values == {"beta": 0.3, "gamma": 0.1}
