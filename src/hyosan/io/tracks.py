"""``interventions.csv`` and ``characters.csv`` in a result folder: write and read back.

- ``interventions.csv``: one row per (run, intervention): ``run``,
  ``intervention`` (its name), ``fired`` (first time, empty if never), then the
  change of each compartment's total over its firings;
- ``milestones.csv``: one row per (run, milestone): ``run``, ``milestone`` (its
  text), ``time`` (the first time it held, empty if never);
- ``characters.csv``: one row per (run, time, character) and compartment the
  character is in (with its ``share``: 1 in a stochastic run, a probability
  under the ODE), and its ``patch`` in a world; ``survivors`` in the summary's
  ``meta`` names the compartments that count as surviving.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hyosan.errors import InputError
from hyosan.results import Result
from hyosan.results.tracks import (
    character_frame,
    firing_frame,
    milestone_frame,
    with_characters,
    with_firings,
    with_milestones,
)

__all__ = [
    "CHARACTERS",
    "INTERVENTIONS",
    "MILESTONES",
    "read_tracks",
    "write_characters",
    "write_firings",
    "write_milestones",
]

INTERVENTIONS, CHARACTERS, MILESTONES = "interventions.csv", "characters.csv", "milestones.csv"


def write_firings(result: Result, path: Path) -> None:
    """Write ``interventions.csv``."""
    firing_frame(result).to_csv(path, index=False)


def write_milestones(result: Result, path: Path) -> None:
    """Write ``milestones.csv``."""
    milestone_frame(result).to_csv(path, index=False)


def write_characters(result: Result, path: Path) -> None:
    """Write ``characters.csv``."""
    character_frame(result).to_csv(path, index=False)


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise InputError(f"cannot read this CSV file ({err})", source=str(path)) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            "a column is missing",
            source=str(path),
            key=missing[0],
            allowed=", ".join(columns),
        )
    return frame


def read_tracks(
    result: Result, folder: Path, characters: list[str], survivors: list[str]
) -> Result:
    """Add what ``interventions.csv`` and ``characters.csv`` in ``folder`` hold, if present."""
    comps = list(result.compartments)
    runs, times = result.runs, result.times
    path = folder / INTERVENTIONS
    if path.is_file():
        frame = _read_csv(path, ["run", "intervention", "fired", *comps])
        names = list(pd.unique(frame["intervention"].astype(str)))
        fired = np.full((runs, len(names)), np.nan)
        change = np.zeros((runs, len(names), len(comps)))
        values = frame[comps].to_numpy(dtype=np.float64)
        when = frame["fired"].to_numpy(dtype=np.float64)
        for n, (r, name) in enumerate(zip(frame["run"], frame["intervention"], strict=True)):
            i = names.index(str(name))
            fired[int(r), i] = when[n]
            change[int(r), i] = values[n]
        result = with_firings(result, names, fired, change)
    path = folder / MILESTONES
    if path.is_file():
        frame = _read_csv(path, ["run", "milestone", "time"])
        names = list(pd.unique(frame["milestone"].astype(str)))
        when = np.full((runs, len(names)), np.nan)
        at = frame["time"].to_numpy(dtype=np.float64)
        for n, (r, name) in enumerate(zip(frame["run"], frame["milestone"], strict=True)):
            when[int(r), names.index(str(name))] = at[n]
        result = with_milestones(result, names, when)
    path = folder / CHARACTERS
    if path.is_file() and characters:
        frame = _read_csv(path, ["run", "time", "character", "compartment", "share", "patch"])
        states = np.zeros((runs, len(times), len(characters), len(comps)))
        patch = np.full((runs, len(times), len(characters)), -1, dtype=np.int64)
        t_index = {float(t): j for j, t in enumerate(times)}
        p_index = {p: j for j, p in enumerate(result.patches)}
        share = frame["share"].to_numpy(dtype=np.float64)
        columns = ("run", "time", "character", "compartment", "patch")
        try:
            for n, (r, t, who, comp, where) in enumerate(
                zip(*(frame[c] for c in columns), strict=True)
            ):
                j, k = t_index[float(t)], characters.index(str(who))
                states[int(r), j, k, comps.index(str(comp))] = share[n]
                if isinstance(where, str) and where:
                    patch[int(r), j, k] = p_index[where]
        except (KeyError, ValueError, IndexError) as err:
            raise InputError(
                f"a row does not match the result beside it ({err})",
                source=str(path),
                allowed="the characters.csv written with this result",
            ) from None
        result = with_characters(result, characters, states, patch, survivors)
    return result
