"""Sweeps: axes set scenario keys through the loader, the grid is full factorial,
seeds make it reproducible, standard errors follow their formulas, files are whole."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import hyosan
import hyosan.ensemble.sweep as sweep_module
import hyosan.viz.sweep
from hyosan.ensemble.sweep import (
    Axis,
    Outcome,
    apply_axes,
    summarize_runs,
    sweep,
    sweep_from_table,
)
from hyosan.errors import InputError
from hyosan.io.sweep import sweep_markdown, write_sweep
from hyosan.model import builtin_model
from hyosan.results import Result

SIR = hyosan.load_scenario("sir").with_overrides({"S": 200, "I": 2})
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
    assert s.initial["E"] == 3 and s.interventions[0].at == (6.5,)
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

    monkeypatch.setattr(sweep_module, "simulate", never)
    axes = [Axis("runs", (2,)), Axis("parameters.beta", (0.3, -1.0))]
    with pytest.raises(InputError) as info:
        sweep(SIR, axes)
    assert info.value.key == "sweep.vary[1].values[1]"
    assert info.value.value == -1.0
    assert "parameters.beta = -1.0" in str(info.value)


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


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("P(outbreak)", "needs an outbreak"), ("peak Q", "unknown compartment"), ("mean Z", "P(")],
)
def test_outcome_names_are_checked(text: str, fragment: str) -> None:
    """Outcome.parse refuses what it cannot compute and says what it can."""
    with pytest.raises(InputError, match=r".") as info:
        Outcome.parse(text, builtin_model("aouad"))
    assert fragment in str(info.value)


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


def test_progress_rises_to_the_total() -> None:
    """progress(done, total) never goes back and ends at the number of runs in all."""
    seen: list[tuple[float, float]] = []
    small_sweep(progress=lambda done, total: seen.append((done, total)))
    done = [d for d, _ in seen]
    assert done == sorted(done) and seen[-1] == (18.0, 18.0)


# -- standard errors by hand -----------------------------------------------------------


def tiny(zombies: list[list[float]], humans: list[list[float]], engine: str = "ssa") -> Result:
    counts = np.stack([np.array(humans, float), np.array(zombies, float)], axis=-1)
    return Result.from_arrays(
        counts,
        [0.0, 1.0, 2.0],
        ("S", "Z"),
        events=[0] * len(humans),
        engine=engine,
        seed=0,
        scenario_name="tiny",
        model="sz",
        humans=("S",),
        zombies=("Z",),
        time_unit="day",
    )


def outcomes(model_humans: bool = True) -> list[Outcome]:
    model = hyosan.Model(
        name="sz",
        compartments=("S", "Z"),
        parameters=(),
        reactions=(),
        humans=("S",) if model_humans else (),
        zombies=("Z",),
    )
    return [Outcome.parse(t, model, "Z >= 10") for t in ("P(outbreak)", "humans lost", "peak Z")]


def test_standard_errors_on_four_runs_computed_by_hand() -> None:
    """Four runs: Z peaks at 12, 3, 10, 0 (outbreaks in runs 0 and 2); humans lost
    8, 0, 4, 0. Then p = 1/2 with SE sqrt(1/4 / 4) = 1/4; lost 3 with SE
    sqrt(44/3) / 2; outbreak size 6 with SE sqrt(8) / sqrt(2) = 2; peak 6.25."""
    result = tiny(
        zombies=[[0, 12, 5], [0, 3, 1], [0, 10, 9], [0, 0, 0]],
        humans=[[10, 4, 2], [10, 10, 10], [10, 8, 6], [10, 10, 10]],
    )
    row = summarize_runs(result, outcomes())
    assert row["p_outbreak"] == 0.5 and row["p_outbreak_se"] == pytest.approx(0.25)
    assert row["outbreaks"] == 2
    assert row["humans_lost"] == 3.0
    assert row["humans_lost_se"] == pytest.approx(math.sqrt(44 / 3) / 2)
    assert row["outbreak_size"] == 6.0 and row["outbreak_size_se"] == pytest.approx(2.0)
    assert row["peak_Z"] == 6.25


def test_no_outbreak_gives_nan_size_and_one_run_a_nan_error() -> None:
    """With no outbreak the size is NaN; a mean over one run has no standard error;
    the ODE is deterministic, so its errors are 0."""
    quiet = summarize_runs(tiny([[0, 1, 0]] * 2, [[5, 5, 4]] * 2), outcomes())
    assert quiet["p_outbreak"] == 0.0 and quiet["p_outbreak_se"] == 0.0
    assert math.isnan(quiet["outbreak_size"]) and math.isnan(quiet["outbreak_size_se"])
    one = summarize_runs(tiny([[0, 20, 0]], [[5, 3, 1]]), outcomes())
    assert one["humans_lost"] == 4.0 and math.isnan(one["humans_lost_se"])
    ode = summarize_runs(tiny([[0, 20, 0]], [[5, 3, 1]], engine="ode"), outcomes())
    assert ode["humans_lost_se"] == 0.0 and ode["outbreak_size_se"] == 0.0


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
    """The documented [sweep] table gives its two axes, in order, and the condition."""
    axes, outbreak = sweep_from_table(tomllib.loads(TABLE)["sweep"])
    assert axes == (
        Axis("parameters.beta_h", (0.005, 0.01, 0.02, 0.05)),
        Axis("world.seed[0].count", (1, 3, 10)),
    )
    assert outbreak == "Z >= 10"
    assert sweep_from_table({"vary": [{"key": "runs", "values": [1]}]})[1] is None


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
    ],
)
def test_table_errors_name_the_key(table: Any, key: str) -> None:
    """Every malformed [sweep] table is one InputError keyed where the problem is,
    with what is allowed there."""
    with pytest.raises(InputError) as info:
        sweep_from_table(table)
    assert info.value.key == key
    assert info.value.allowed


# -- files -------------------------------------------------------------------------------


def test_files_are_written_and_read_back(tmp_path: Path) -> None:
    """sweep.csv reads back as the table, sweep.md shows mean ± SE with the axis keys,
    sweep.png is a PNG, and no temporary file is left."""
    frame = small_sweep()
    paths = write_sweep(frame, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "sweep.csv",
        "sweep.md",
        "sweep.png",
    ]
    assert [p.name for p in paths] == ["sweep.csv", "sweep.md", "sweep.png"]
    back = pd.read_csv(tmp_path / "out" / "sweep.csv")
    pd.testing.assert_frame_equal(back, frame, check_exact=False, check_dtype=False)
    md = (tmp_path / "out" / "sweep.md").read_text(encoding="utf-8")
    assert "| parameters.beta | initial.I | runs | P(outbreak) |" in md
    assert "±" in md and "I >= 20" in md and md == sweep_markdown(frame, title="sweep of sir")
    assert (tmp_path / "out" / "sweep.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_three_axes_and_text_values_are_drawn(tmp_path: Path) -> None:
    """A third axis (held at its first value in the picture) and a text axis work."""
    axes = [
        Axis("engine", ("ssa", "tau")),
        Axis("parameters.beta", (0.2, 0.4)),
        Axis("initial.I", (1, 5)),
    ]
    frame = sweep(SIR, axes, runs=2, seed=3)
    assert len(frame) == 8 and "p_outbreak" not in frame.columns
    write_sweep(frame, tmp_path)
    assert (tmp_path / "sweep.png").stat().st_size > 1000


def test_a_failed_write_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If making a file fails, nothing is written: an older sweep.csv stays whole and no
    temporary file is left behind."""
    (tmp_path / "sweep.csv").write_text("old", encoding="utf-8")

    def broken(*_args: object) -> bytes:
        raise RuntimeError("no picture")

    monkeypatch.setattr(hyosan.viz.sweep, "sweep_png", broken)
    with pytest.raises(RuntimeError):
        write_sweep(small_sweep(), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["sweep.csv"]
    assert (tmp_path / "sweep.csv").read_text(encoding="utf-8") == "old"
