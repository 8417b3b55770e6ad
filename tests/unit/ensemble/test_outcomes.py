"""Outcomes of a sweep's grid point: what each name means, and means with their standard errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import hyosan
from hyosan.ensemble.outcomes import Outcome, summarize_runs
from hyosan.errors import InputError
from hyosan.model import builtin_model
from hyosan.results import Result
from hyosan.scenario import load_scenario_text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("P(outbreak)", "needs an outbreak"), ("peak Q", "unknown compartment"), ("mean Z", "P(")],
)
def test_outcome_names_are_checked(text: str, fragment: str) -> None:
    """Outcome.parse refuses what it cannot compute and says what it can."""
    with pytest.raises(InputError, match=r".") as info:
        Outcome.parse(text, builtin_model("aouad"))
    assert fragment in str(info.value)


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


TOLL = """\
model = "sir"
runs = 6
seed = 4
engine = "ssa"

[time]
end = 10.0

[initial]
S = 200
I = 20

[[interventions]]
name = "awareness"
at = 1
set = { beta = 0.3 }

[[interventions]]
name = "the cull"
at = [2.0, 6.0]
remove = [{ compartment = "I", fraction = 0.5, to = "R" }]
"""


def test_a_toll_is_what_an_intervention_took_in_each_run() -> None:
    """ "lost I to the cull" sums the I the cull moved to R over its two firings: the
    recorded change of each run, negated; the cull moves no S, and "awareness" none."""
    sc = load_scenario_text(TOLL, source="toll.toml")
    result = hyosan.simulate(sc)
    names = [i.name for i in sc.interventions]
    by_name = Outcome.parse("lost I to the cull", sc.model, interventions=names)
    by_index = Outcome.parse("lost I to interventions[1]", sc.model, interventions=names)
    assert by_name.column == by_index.column == "lost_I_to_intervention_1"
    took = by_name.per_run(result)
    change = result.dataset["change"].values
    i, r = result.compartments.index("I"), result.compartments.index("R")
    np.testing.assert_array_equal(took, -change[:, 1, i])
    np.testing.assert_array_equal(took, change[:, 1, r])
    assert took.min() >= 10, took  # at least half of I's 20 at t = 2, in every run
    assert (
        not Outcome.parse("lost S to the cull", sc.model, interventions=names).per_run(result).any()
    )
    assert (
        not Outcome.parse("lost I to awareness", sc.model, interventions=names)
        .per_run(result)
        .any()
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("lost I to the bombing", "interventions[1]"),
        ("lost I to interventions[2]", '"the cull"'),
        ("lost Q to the cull", "unknown compartment"),
    ],
)
def test_a_toll_names_an_intervention_of_the_scenario(text: str, fragment: str) -> None:
    sc = load_scenario_text(TOLL, source="toll.toml")
    names = [i.name for i in sc.interventions]
    with pytest.raises(InputError, match=r".") as info:
        Outcome.parse(text, sc.model, interventions=names)
    assert fragment in str(info.value)
