"""A run in pieces (the viewer's): the same model as the driver's run, actions between pieces."""

from __future__ import annotations

import numpy as np
import pytest

import hyosan
from hyosan.engines import run_plan
from hyosan.engines.live import LiveRun
from hyosan.ensemble.batch import Ensemble
from hyosan.interventions import Release, SetParameters


def _live(name: str, engine: str, seed: int = 1) -> tuple[Ensemble, LiveRun]:
    ens = Ensemble.prepare(hyosan.load_scenario(name), engine=engine, seed=seed, runs=1)
    sh = ens.shared
    return ens, LiveRun(sh.plan, sh.x0, sh.times, ens.seeds[0], max_events=sh.max_events)


@pytest.mark.parametrize("name", ["munz-basic", "hyosan-school"])
def test_ode_in_pieces_is_the_ode_in_one_go(name: str) -> None:
    """Deterministic: pieces of any length reach the driver's numbers on the whole grid."""
    ens, live = _live(name, "ode")
    sh = ens.shared
    whole, _ = run_plan(sh.plan, sh.x0, sh.times, np.random.default_rng(0))
    for t in np.linspace(0.0, sh.times[-1], 37)[1:]:
        live.advance(t)
    assert live.finished and live.n_kept == len(sh.times)
    np.testing.assert_allclose(live.kept, whole, rtol=2e-4, atol=1e-3)


def test_pieces_keep_people_and_end_at_the_end() -> None:
    ens, live = _live("hyosan-school", "ssa")
    start = live.totals().sum()
    steps = 0
    while not live.finished:
        live.advance(live.t + 0.7)
        steps += 1
        assert live.totals().sum() == pytest.approx(start)
    assert live.t == ens.shared.times[-1] and steps == 35
    assert np.all(np.isfinite(live.kept)) and live.kept[0].sum() == pytest.approx(start)


def test_release_puts_zombies_in_the_patch_clicked() -> None:
    ens, live = _live("hyosan-school", "ssa")
    world = ens.resolved.world.world
    gym = world.patches.index("gym")
    z = ens.cast.model.compartments.index("Z")
    before = live.counts()[gym, z]
    live.act([Release("Z", 7.0, (gym,))])
    assert live.counts()[gym, z] == before + 7.0


def test_a_parameter_set_now_changes_the_rates_from_now() -> None:
    """Munz: with no bites and no deaths (beta and delta 0) no human is lost from the moment
    it is set, where the same run goes on losing them otherwise."""
    _ens, live = _live("munz-basic", "ssa")
    _ens2, other = _live("munz-basic", "ssa")
    for run in (live, other):
        run.advance(1.0)
    live.act([SetParameters({"beta": 0.0, "delta": 0.0})])
    s = live.totals()[0]
    live.advance(5.0)
    other.advance(5.0)
    assert live.values["beta"] == 0.0
    assert live.totals()[0] >= s > other.totals()[0]


def test_looks_inside_a_piece_are_states_at_their_times() -> None:
    """The states seen inside a piece: at the times asked, the whole world's people in each,
    and the output grid kept as if no look had been asked."""
    _ens, live = _live("hyosan-school", "ode")
    seen = live.advance(6.0, looks=4)
    assert [t for t, _ in seen] == pytest.approx([1.2, 2.4, 3.6, 4.8])
    for _t, X in seen:
        assert X.dtype == np.float32 and X.sum() == pytest.approx(1001, rel=1e-5)
    assert live.n_kept == 25 and live.t == 6.0  # the grid up to 6.0, where the piece ended
    _ens2, plain = _live("hyosan-school", "ode")
    plain.advance(6.0)
    np.testing.assert_allclose(live.kept[:25], plain.kept[:25], rtol=1e-6)
    assert [t for t, _ in live.advance(7.0, looks=4)] == pytest.approx([6.2, 6.4, 6.6, 6.8])
    assert live.advance(8.0, looks=1) == []  # 7.5 is a time of the output grid: kept there
