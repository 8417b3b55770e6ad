"""Tests of :mod:`hyosan.results.tracks` on small results built by hand, with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyosan.results import Result
from hyosan.results.tracks import (
    character_frame,
    firing_frame,
    has_characters,
    has_firings,
    has_milestones,
    milestone_frame,
    survival,
    with_characters,
    with_firings,
    with_milestones,
)
from hyosan.space import World

from .hall_result import COMPS, hall_result

TIMES = [0.0, 1.0, 2.0]
NAN = float("nan")


def _result(runs: int = 2, engine: str = "ssa", world: World | None = None) -> Result:
    return hall_result(runs, engine, world, times=tuple(TIMES))


def _states(final: list[int], runs_times: tuple[int, int] = (4, 3)) -> np.ndarray:
    """One character, in S until the last time, then in compartment ``final[run]``."""
    runs, times = runs_times
    states = np.zeros((runs, times, 1, len(COMPS)))
    states[:, :-1, 0, 0] = 1.0
    states[np.arange(runs), -1, 0, final] = 1.0
    return states


def test_firings_are_added_to_a_new_result_and_listed_by_run_and_intervention() -> None:
    """with_firings adds ``fired`` and ``change`` on the ``intervention`` coordinate and leaves
    the result it was given alone; firing_frame has one row per (run, intervention), in order,
    with NaN for an intervention that never fired."""
    base = _result()
    fired = [[1.0, NAN], [2.0, 0.5]]
    change = np.zeros((2, 2, 3))
    change[0, 0] = [-3.0, -1.0, 4.0]
    r = with_firings(base, ["strike", "wall"], fired, change)
    assert has_firings(r) and not has_firings(base)
    assert r.dataset["change"].dims == ("run", "intervention", "compartment")
    assert list(r.dataset["intervention"].values) == ["strike", "wall"]
    frame = firing_frame(r)
    assert list(frame.columns) == ["run", "intervention", "fired", *COMPS]
    assert frame[["run", "intervention"]].values.tolist() == [
        [0, "strike"],
        [0, "wall"],
        [1, "strike"],
        [1, "wall"],
    ]
    assert frame["fired"].tolist()[0] == 1.0 and math.isnan(frame["fired"].tolist()[1])
    assert frame.loc[0, ["S", "Z", "D"]].tolist() == [-3.0, -1.0, 4.0]
    assert frame.loc[3, ["S", "Z", "D"]].tolist() == [0.0, 0.0, 0.0]


def test_milestones_are_added_and_listed_by_run_and_milestone() -> None:
    """with_milestones adds ``milestone_time`` on the ``milestone`` coordinate; milestone_frame
    has one row per (run, milestone) with its time, NaN where it never held."""
    base = _result()
    r = with_milestones(base, ["the first zombie", "the hall fell"], [[0.0, NAN], [0.0, 2.0]])
    assert has_milestones(r) and not has_milestones(base)
    frame = milestone_frame(r)
    assert list(frame.columns) == ["run", "milestone", "time"]
    assert frame["run"].tolist() == [0, 0, 1, 1]
    assert frame["milestone"].tolist() == ["the first zombie", "the hall fell"] * 2
    times = frame["time"].tolist()
    assert times[0] == 0.0 and math.isnan(times[1]) and times[3] == 2.0


def test_characters_well_mixed_have_no_patch() -> None:
    """with_characters without patches stores -1 for every patch and the survivors as an
    attribute; character_frame lists only the compartments a character is in, with patch ""."""
    base = _result(runs=4)
    r = with_characters(base, ["Ada"], _states([0, 1, 0, 2]), None, ["S"])
    assert has_characters(r) and not has_characters(base)
    assert (r.dataset["character_patch"].values == -1).all()
    assert r.dataset.attrs["survivors"] == "S"
    frame = character_frame(r)
    assert list(frame.columns) == ["run", "time", "character", "compartment", "share", "patch"]
    assert len(frame) == 4 * 3  # one state per (run, time)
    last = frame[frame["time"] == 2.0]
    assert last["compartment"].tolist() == ["S", "Z", "S", "D"]
    assert set(frame["share"]) == {1.0} and set(frame["patch"]) == {""}


def test_characters_in_a_world_are_named_by_patch() -> None:
    """In a world, character_frame names the patch a character is in at each time."""
    hall = World.from_edges("hall", ["lab", "gym"], [("lab", "gym", 1.0)])
    patch = np.zeros((1, 3, 1), dtype=np.int64)
    patch[0, 2, 0] = 1
    r = with_characters(_result(runs=1, world=hall), ["Ada"], _states([0], (1, 3)), patch, ["S"])
    frame = character_frame(r)
    assert frame["patch"].tolist() == ["lab", "lab", "gym"]


def test_survival_is_the_share_of_runs_with_its_binomial_standard_error() -> None:
    """Ending in S in 2 of 4 runs (survivors S) gives survived 0.5 with se sqrt(0.25 / 4) =
    0.25, and the shares of the runs ending in each compartment."""
    r = with_characters(_result(runs=4), ["Ada"], _states([0, 1, 0, 2]), None, ["S"])
    table = survival(r)
    assert list(table.columns) == ["character", "survived", "se", "runs", *COMPS]
    row = table.iloc[0]
    assert row["character"] == "Ada" and row["runs"] == 4
    assert row["survived"] == 0.5
    assert row["se"] == pytest.approx(0.25)
    assert [row["S"], row["Z"], row["D"]] == [0.5, 0.25, 0.25]


def test_survival_counts_every_survivor_compartment() -> None:
    """With survivors S and Z, a character ending in either survived: 3 of 4 runs here."""
    r = with_characters(_result(runs=4), ["Ada"], _states([0, 1, 0, 2]), None, ["S", "Z"])
    row = survival(r).iloc[0]
    assert row["survived"] == 0.75
    assert row["se"] == pytest.approx(math.sqrt(0.75 * 0.25 / 4))


def test_survival_under_the_ode_is_an_expected_share_without_error() -> None:
    """Under the ODE a character's state is a probability: survival is its expected share in
    the survivor compartments, and its standard error is 0."""
    states = np.zeros((1, 3, 1, 3))
    states[0, :, 0] = [1.0, 0.0, 0.0]
    states[0, -1, 0] = [0.7, 0.2, 0.1]
    r = with_characters(_result(runs=1, engine="ode"), ["Ada"], states, None, ["S"])
    row = survival(r).iloc[0]
    assert row["survived"] == pytest.approx(0.7)
    assert row["se"] == 0.0
    frame = character_frame(r)
    assert frame[frame["time"] == 2.0]["share"].tolist() == pytest.approx([0.7, 0.2, 0.1])
