"""Tests of :mod:`hyosan.io.tracks`: the CSV files of firings, milestones and characters."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from hyosan.errors import InputError
from hyosan.io.tracks import (
    CHARACTERS,
    INTERVENTIONS,
    MILESTONES,
    read_tracks,
    write_characters,
    write_firings,
    write_milestones,
)
from hyosan.results import Result
from hyosan.results.tracks import (
    has_characters,
    has_firings,
    has_milestones,
    with_characters,
    with_firings,
    with_milestones,
)
from hyosan.space import World

from ..results.hall_result import hall_result

NAN = float("nan")


def _result(world: World | None = None) -> Result:
    return hall_result(world=world, times=(0.0, 0.5, 1.0))


def _tracked(world: World | None = None) -> Result:
    """Two interventions (one never fires in run 1), two milestones, two characters."""
    r = _result(world)
    change = np.zeros((2, 2, 3))
    change[0, 0] = [-2.0, 0.0, 2.0]
    r = with_firings(r, ["strike", "wall"], [[0.5, 1.0], [0.25, NAN]], change)
    r = with_milestones(r, ["the first zombie", "the hall fell"], [[0.0, NAN], [0.0, 0.75]])
    states = np.zeros((2, 3, 2, 3))
    states[:, :, 0, 0] = 1.0  # Ada stays human
    states[:, :2, 1, 0] = 1.0  # Bo is bitten at the last time
    states[:, 2, 1, 1] = 1.0
    patch = None if world is None else np.zeros((2, 3, 2), dtype=np.int64)
    if patch is not None:
        patch[:, 2, 1] = 1  # Bo walks to the gym
    return with_characters(r, ["Ada", "Bo"], states, patch, ["S"])


def _write_all(result: Result, folder: Path) -> None:
    write_firings(result, folder / INTERVENTIONS)
    write_milestones(result, folder / MILESTONES)
    write_characters(result, folder / CHARACTERS)


TRACKS = ("fired", "change", "milestone_time", "character_state", "character_patch")


@pytest.mark.parametrize("in_space", [False, True])
def test_tracks_round_trip_through_the_csv_files(tmp_path: Path, in_space: bool) -> None:
    """Writing the three files and reading them onto the bare result gives back the firings
    (NaN where one never fired), the milestones and the characters' states and patches."""
    world = World.from_edges("hall", ["lab", "gym"], [("lab", "gym", 1.0)]) if in_space else None
    original = _tracked(world)
    _write_all(original, tmp_path)
    back = read_tracks(_result(world), tmp_path, ["Ada", "Bo"], ["S"])
    for name in TRACKS:
        xr.testing.assert_identical(back.dataset[name], original.dataset[name])
    assert back.dataset.attrs["survivors"] == "S"


def test_a_fired_time_that_never_came_is_an_empty_cell(tmp_path: Path) -> None:
    """interventions.csv leaves ``fired`` empty for an intervention that never fired."""
    write_firings(_tracked(), tmp_path / INTERVENTIONS)
    lines = (tmp_path / INTERVENTIONS).read_text().splitlines()
    assert lines[0] == "run,intervention,fired,S,Z,D"
    assert lines[4] == "1,wall,,0.0,0.0,0.0"


def test_a_folder_without_the_files_adds_nothing(tmp_path: Path) -> None:
    """Without the CSV files (or without character names) read_tracks returns the result as
    it was: no firings, milestones or characters."""
    write_characters(_tracked(), tmp_path / CHARACTERS)
    back = read_tracks(_result(), tmp_path, [], [])
    assert not (has_firings(back) or has_milestones(back) or has_characters(back))


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    """An interventions.csv without a compartment's column raises InputError naming it."""
    write_firings(_tracked(), tmp_path / INTERVENTIONS)
    frame = pd.read_csv(tmp_path / INTERVENTIONS).drop(columns=["Z"])
    frame.to_csv(tmp_path / INTERVENTIONS, index=False)
    with pytest.raises(InputError) as info:
        read_tracks(_result(), tmp_path, [], [])
    assert info.value.key == "Z" and info.value.source.endswith(INTERVENTIONS)


def test_a_character_row_off_the_time_grid_is_bad_input(tmp_path: Path) -> None:
    """A characters.csv row at a time that is not on the result's grid raises InputError."""
    _write_all(_tracked(), tmp_path)
    frame = pd.read_csv(tmp_path / CHARACTERS, keep_default_na=False)
    frame.loc[0, "time"] = 0.3
    frame.to_csv(tmp_path / CHARACTERS, index=False)
    with pytest.raises(InputError, match="does not match"):
        read_tracks(_result(), tmp_path, ["Ada", "Bo"], ["S"])
