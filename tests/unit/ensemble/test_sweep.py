"""Sweeps: axes set scenario keys, the grid is full factorial, seeds make it reproducible,
common random numbers pair the runs of every point, and the [sweep] table is read."""

from __future__ import annotations

import tomllib
from typing import Any

import numpy as np
import pandas as pd
import pytest

import hyosan
import hyosan.ensemble.sweep as sweep_module
from hyosan.ensemble.batch import Ensemble
from hyosan.ensemble.outcomes import Outcome
from hyosan.ensemble.sweep import Axis, SweepTable, apply_axes, sweep, sweep_from_table
from hyosan.errors import InputError
from hyosan.interventions import At, Impulse, Intervention, Remove
from hyosan.scenario import set_names

SIR = set_names(hyosan.load_scenario("sir"), {"S": 200, "I": 2})
SCHOOL = hyosan.load_scenario("school")
CAMPUS = hyosan.load_scenario("hyosan-school")


def small_sweep(seed: int = 1, **kwargs: Any) -> pd.DataFrame:
    axes = [Axis("parameters.beta", (0.2, 0.4)), Axis("initial.I", (1, 2, 5))]
    return sweep(SIR, axes, outbreak="I >= 20", runs=3, seed=seed, **kwargs)


# -- axes ------------------------------------------------------------------------------


def test_axes_set_parameters_counts_times_and_runs() -> None:
    """Each kind of key lands where the loader puts it, and nothing else changes."""
    keys = ("parameters.beta_h", "initial.E", "interventions[0].at", "runs", "engine")
    s = apply_axes(SCHOOL, [Axis(k, ()) for k in keys], [0.05, 3, 6.5, 7, "tau"])
    assert s.parameters["beta_h"] == 0.05 and s.parameters["beta"] == SCHOOL.parameters["beta"]
    assert s.initial["E"] == 3 and s.interventions[0].trigger.times == (6.5,)
    assert (s.runs, s.engine, s.source) == (7, "tau", SCHOOL.source)


def test_axes_reach_into_the_world_and_make_missing_tables() -> None:
    """world.seed[0].count, world.movement.Z and world.coupling (absent from the
    written table while 0) are set in the world the scenario runs in."""
    keys = ("world.seed[0].count", "world.movement.Z", "world.coupling")
    s = apply_axes(CAMPUS, [Axis(k, ()) for k in keys], [3, 0.5, 0.1])
    assert s.world is not None
    assert s.world.seeds[0].count == 3 and s.initial["E"] == 3
    assert s.world.movement["Z"] == 0.5 and s.world.coupling == 0.1


@pytest.mark.parametrize(
    ("scenario", "key", "fragment"),
    [
        (SCHOOL, "parameters.betaa", "beta, sigma, p_hybrid, beta_h, alpha, alpha_h"),
        (SCHOOL, "initial.Q", "S, E, Ez, Z, H, D"),
        (SCHOOL, "time.ends", "end, points, unit"),
        (SCHOOL, "interventions[3].at", "0 to 0"),
        (SCHOOL, "interventions.at", "interventions[0]"),
        (SCHOOL, "interventions[0].set.bet", "beta_h"),
        (SCHOOL, "world.movement.Z", "parameters, initial"),
        (CAMPUS, "initial.S", "world"),
        (CAMPUS, "world.movement.Q", "S, E, Ez, Z, H, D"),
        (SCHOOL, "seed", "--seed"),
        (SCHOOL, "parameters..beta", "dotted key"),
    ],
)
def test_unknown_key_names_the_axis_and_what_is_allowed(
    scenario: hyosan.Scenario, key: str, fragment: str
) -> None:
    """A key with no place in the scenario's table: key sweep.vary[i].key, the key as
    value, and the keys allowed at that level."""
    axes = [Axis("parameters.beta", (1.0,)), Axis(key, (1,))]
    with pytest.raises(InputError) as info:
        apply_axes(scenario, axes, [1.0, 1])
    assert info.value.key == "sweep.vary[1].key"
    assert info.value.value == key
    assert fragment in info.value.allowed
    assert info.value.source == scenario.source


def test_bad_value_is_refused_before_anything_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A value the loader refuses stops the sweep before the first run, with key
    sweep.vary[i].values[j] and the loader's own words."""

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("ran before every point was checked")

    monkeypatch.setattr(sweep_module, "run_ensembles", never)
    axes = [Axis("runs", (2,)), Axis("parameters.beta", (0.3, -1.0))]
    with pytest.raises(InputError) as info:
        sweep(SIR, axes)
    assert info.value.key == "sweep.vary[1].values[1]"
    assert info.value.value == -1.0
    assert "parameters.beta = -1.0" in str(info.value)


def test_a_point_too_large_for_its_engine_is_refused_before_anything_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Points are prepared as the runs go, but what could refuse one is checked for
    every point first: the third point's 20 billion people for the exact engine."""

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("ran before every point was checked")

    monkeypatch.setattr(sweep_module, "run_ensembles", never)
    with pytest.raises(InputError) as info:
        sweep(SIR, [Axis("initial.S", (100, 200, 20_000_000_000))], runs=2)
    assert info.value.key == "initial" and "--engine tau or ode" in str(info.value)


def test_points_are_prepared_as_the_runs_go(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first point's runs start before the second point is prepared (a season 2
    point takes 0.4 s to prepare: the workers start on the first meanwhile), and the
    progress knows every point's runs from the start."""
    prepared: list[float] = []
    real = Ensemble.prepare.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Ensemble], scenario: hyosan.Scenario, **kw: Any) -> Ensemble:
        prepared.append(scenario.parameters["beta"])
        return real(cls, scenario, **kw)  # type: ignore[no-any-return]

    monkeypatch.setattr(Ensemble, "prepare", classmethod(counting))
    seen: list[tuple[float, float, int]] = []
    axes = [Axis("parameters.beta", (0.2, 0.3, 0.4))]
    tell = lambda done, total, _events: seen.append((done, total, len(prepared)))  # noqa: E731
    frame = sweep(SIR, axes, runs=4, seed=2, progress=tell)
    assert prepared == [0.2, 0.3, 0.4] and list(frame["runs"]) == [4, 4, 4]
    assert {total for _, total, _ in seen} == {12.0}
    assert [n for done, _, n in seen if 0 < done < 4] and all(
        n == 1 for done, _, n in seen if done < 4
    )
    assert seen[-1][:2] == (12.0, 12.0)


def test_a_sweep_needs_an_axis() -> None:
    """No axes: an InputError keyed sweep.vary, not a sweep of one point."""
    with pytest.raises(InputError) as info:
        sweep(SIR, [])
    assert info.value.key == "sweep.vary"


def test_outbreak_condition_names_a_compartment_of_the_model() -> None:
    """An outbreak condition on an unknown compartment is refused with key sweep.outbreak."""
    with pytest.raises(InputError) as info:
        sweep(SIR, [Axis("runs", (1,))], outbreak="Z >= 10")
    assert (info.value.key, info.value.value) == ("sweep.outbreak", "Z")


# -- the grid and its seeds ----------------------------------------------------------


def test_grid_is_the_full_factorial_first_axis_slowest() -> None:
    """2 x 3 values give 6 rows in row-major order, with the documented columns."""
    frame = small_sweep()
    assert len(frame) == 6
    assert frame["parameters.beta"].tolist() == [0.2] * 3 + [0.4] * 3
    assert frame["initial.I"].tolist() == [1, 2, 5] * 2
    assert list(frame.columns[:4]) == ["parameters.beta", "initial.I", "seed", "runs"]
    for column in ("p_outbreak", "outbreaks", "outbreak_size", "humans_lost", "peak_zombies"):
        assert column in frame.columns
    assert (frame["runs"] == 3).all()
    assert frame.attrs["seed"] == 1 and frame.attrs["outbreak"] == "I >= 20"


def test_same_seed_same_table_other_seed_other_table() -> None:
    """A sweep is reproducible; points get distinct seeds; another seed, other numbers."""
    a, b, c = small_sweep(1), small_sweep(1), small_sweep(2)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert a["seed"].nunique() == len(a)
    assert not a["seed"].equals(c["seed"])
    assert not a["humans_lost"].equals(c["humans_lost"])


def test_a_point_reruns_alone_from_its_seed() -> None:
    """The seed column reproduces a grid point with plain simulate."""
    frame = small_sweep()
    row = frame.iloc[4]
    point = apply_axes(
        SIR.replace(runs=3), [Axis("parameters.beta", ()), Axis("initial.I", ())], [0.4, 2]
    )
    result = hyosan.simulate(point, seed=int(frame["seed"].iloc[4]))  # row[...] is a float
    lost = Outcome.parse("humans lost", point.model).per_run(result)
    assert row["humans_lost"] == lost.mean()


def test_common_random_numbers_pair_the_runs_of_every_point() -> None:
    """With common random numbers every point runs from one seed: an axis that changes
    nothing the runs draw (the output grid) gives every point the same numbers, a cull's
    binomial draws included; independent points differ."""
    cull = Intervention(At(3.0), (Remove((Impulse("I", 0.5, "R"),)),), name="cull")
    base = SIR.replace(interventions=(cull,), runs=20)
    axes = [Axis("time.points", (11, 21, 41))]
    paired = sweep(base, axes, outbreak="I >= 20", seed=5, common_random_numbers=True)
    assert paired["seed"].nunique() == 1 and paired.attrs["common_random_numbers"]
    for column in ("humans_lost", "humans_lost_se", "outbreak_size"):  # peaks: on the grid
        assert paired[column].nunique() == 1, column
    apart = sweep(base, axes, outbreak="I >= 20", seed=5)
    assert apart["seed"].nunique() == 3 and apart["humans_lost"].nunique() > 1


def test_progress_rises_to_the_total() -> None:
    """progress(done, total, events) never goes back and ends at the number of runs in
    all and the events of every run."""
    seen: list[tuple[float, float, int]] = []
    small_sweep(progress=lambda done, total, events: seen.append((done, total, events)))
    done = [d for d, _, _ in seen]
    events = [e for _, _, e in seen]
    assert done == sorted(done) and events == sorted(events) and seen[-1][:2] == (18.0, 18.0)
    assert events[-1] > 0


# -- the [sweep] table -------------------------------------------------------------------

TABLE = """
[sweep]
outbreak = "Z >= 10"
[[sweep.vary]]
key = "parameters.beta_h"
values = [0.005, 0.01, 0.02, 0.05]
[[sweep.vary]]
key = "world.seed[0].count"
values = [1, 3, 10]
"""


def test_table_reads_axes_and_outbreak() -> None:
    """The documented [sweep] table gives its two axes, in order, and the condition;
    runs and common random numbers when it gives them."""
    table = sweep_from_table(tomllib.loads(TABLE)["sweep"])
    assert table.axes == (
        Axis("parameters.beta_h", (0.005, 0.01, 0.02, 0.05)),
        Axis("world.seed[0].count", (1, 3, 10)),
    )
    assert table.outbreak == "Z >= 10"
    assert (table.runs, table.common_random_numbers) == (None, False)
    bare = sweep_from_table({"vary": [{"key": "runs", "values": [1]}]})
    assert bare == SweepTable((Axis("runs", (1,)),))
    more = {"vary": [{"key": "runs", "values": [1]}], "runs": 7, "common_random_numbers": True}
    assert (sweep_from_table(more).runs, sweep_from_table(more).common_random_numbers) == (7, True)


V = {"key": "runs", "values": [1, 2]}


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ([1], "sweep"),
        ({"bogus": 1, "vary": [V]}, "sweep.bogus"),
        ({}, "sweep.vary"),
        ({"vary": []}, "sweep.vary"),
        ({"vary": V}, "sweep.vary"),
        ({"vary": [V], "outbreak": 10}, "sweep.outbreak"),
        ({"vary": [V], "outbreak": "Z >> 10"}, "sweep.outbreak"),
        ({"vary": [3]}, "sweep.vary[0]"),
        ({"vary": [V, {"values": [1]}]}, "sweep.vary[1].key"),
        ({"vary": [{"key": 1, "values": [1]}]}, "sweep.vary[0].key"),
        ({"vary": [{"key": "a[", "values": [1]}]}, "sweep.vary[0].key"),
        ({"vary": [{"key": "runs"}]}, "sweep.vary[0].values"),
        ({"vary": [{"key": "runs", "values": 3}]}, "sweep.vary[0].values"),
        ({"vary": [{"key": "runs", "values": []}]}, "sweep.vary[0].values"),
        ({"vary": [{"key": "runs", "values": [1, 1]}]}, "sweep.vary[0].values[1]"),
        ({"vary": [{**V, "value": 1}]}, "sweep.vary[0].value"),
        ({"vary": [V, V]}, "sweep.vary[1].key"),
        ({"vary": [V], "runs": 0}, "sweep.runs"),
        ({"vary": [V], "runs": 2.5}, "sweep.runs"),
        ({"vary": [V], "common_random_numbers": 1}, "sweep.common_random_numbers"),
    ],
)
def test_table_errors_name_the_key(table: Any, key: str) -> None:
    """Every malformed [sweep] table is one InputError keyed where the problem is,
    with what is allowed there."""
    with pytest.raises(InputError) as info:
        sweep_from_table(table)
    assert info.value.key == key
    assert info.value.allowed


def test_a_sweep_table_names_its_outcomes_and_any_condition_is_a_chance() -> None:
    """``outcomes`` in [sweep] chooses what each point reports; ``"P(R >= 50)"`` is the
    share of runs in which that held (0 or 1 per run, its binomial standard error)."""
    from hyosan.ensemble.sweep import sweep_from_table

    table = sweep_from_table(
        {
            "outcomes": ["P(R >= 50)", "final R"],
            "vary": [{"key": "parameters.beta", "values": [0.05, 0.8]}],
        }
    )
    assert table.outcomes == ("P(R >= 50)", "final R")
    scenario = hyosan.set_keys(
        hyosan.load_scenario("sir"), [("initial.S", 100), ("initial.I", 2), ("time.end", 60.0)]
    )
    frame = sweep(scenario, table.axes, outcomes=table.outcomes, runs=20, seed=3)
    assert list(frame.columns[-4:]) == ["p_R_50", "p_R_50_se", "final_R", "final_R_se"]
    low, high = frame["p_R_50"]
    assert low == 0.0 and high == 1.0  # beta 0.05 < gamma: no run reaches 50; 0.8: every one
    p = frame["p_R_50"].to_numpy()
    np.testing.assert_allclose(frame["p_R_50_se"], np.sqrt(p * (1 - p) / 20))
    with pytest.raises(InputError, match=r"sweep\.outcomes\[0\]"):
        sweep_from_table({"outcomes": [3], "vary": [{"key": "runs", "values": [1]}]})
