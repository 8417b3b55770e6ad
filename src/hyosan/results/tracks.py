"""What a result tells beyond the counts: interventions as they fired, and named characters.

Optional variables of a :class:`~hyosan.results.Result`'s dataset:

- ``fired`` (``run``, ``intervention``): the first time each intervention
  fired in each run (NaN if it never did), and ``change`` (``run``,
  ``intervention``, ``compartment``): the net change of each compartment's
  total over its firings (a strike's toll; a move between patches changes no
  total). The ``intervention`` coordinate holds their names.
- ``milestone_time`` (``run``, ``milestone``): the first time each watched
  moment held (the first zombie, the scenario's ``[[milestones]]``; NaN if
  never), exact: the engines stop at the event that makes it true.
- ``character_state`` (``run``, ``time``, ``character``, ``compartment``): where
  each named character is: 1 in the compartment it is in, 0 elsewhere, in a
  stochastic run; under the ODE the expected share, a probability.
  ``character_patch`` (``run``, ``time``, ``character``): its patch index in a
  world (-1 well mixed or under the ODE). The attribute ``survivors`` names the
  compartments in which a character counts as having survived.

Survival probabilities come with their binomial standard error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from hyosan._typing import FloatArray
from hyosan.results.result import Result

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "character_frame",
    "firing_frame",
    "has_characters",
    "has_firings",
    "has_milestones",
    "milestone_frame",
    "survival",
    "with_characters",
    "with_firings",
    "with_milestones",
]


def with_firings(
    result: Result, names: Sequence[str], fired: npt.ArrayLike, change: npt.ArrayLike
) -> Result:
    """The result with ``fired`` (runs, I) and ``change`` (runs, I, C) added."""
    return result.with_variables(
        {
            "fired": (("run", "intervention"), np.asarray(fired, dtype=np.float64)),
            "change": (
                ("run", "intervention", "compartment"),
                np.asarray(change, dtype=np.float64),
            ),
        },
        dims={"intervention": np.array(list(names), dtype=str)},
    )


def with_milestones(result: Result, names: Sequence[str], times: npt.ArrayLike) -> Result:
    """The result with ``milestone_time`` (runs, M) added."""
    return result.with_variables(
        {"milestone_time": (("run", "milestone"), np.asarray(times, dtype=np.float64))},
        dims={"milestone": np.array(list(names), dtype=str)},
    )


def has_milestones(result: Result) -> bool:
    """Whether the result records when its milestones first held."""
    return result.has("milestone_time")


def milestone_frame(result: Result) -> pd.DataFrame:
    """One row per (run, milestone): ``run``, ``milestone``, ``time`` (NaN: never)."""
    import pandas as pd

    ds = result.dataset
    times = ds["milestone_time"].values
    names = [str(n) for n in ds["milestone"].values]
    r, m = np.meshgrid(np.arange(times.shape[0]), np.arange(len(names)), indexing="ij")
    return pd.DataFrame(
        {
            "run": r.ravel(),
            "milestone": np.array(names, dtype=object)[m.ravel()] if names else [],
            "time": times.ravel(),
        }
    )


def with_characters(
    result: Result,
    names: Sequence[str],
    states: npt.ArrayLike,
    patch: npt.ArrayLike | None,
    survivors: Sequence[str],
) -> Result:
    """The result with the characters' states (runs, times, K, C) and patches (runs, times, K)."""
    st = np.asarray(states, dtype=np.float64)
    where = np.full(st.shape[:3], -1, dtype=np.int64) if patch is None else np.asarray(patch)
    return result.with_variables(
        {
            "character_state": (("run", "time", "character", "compartment"), st),
            "character_patch": (("run", "time", "character"), where.astype(np.int64)),
        },
        dims={"character": np.array(list(names), dtype=str)},
        attrs={"survivors": ",".join(survivors)},
    )


def has_firings(result: Result) -> bool:
    """Whether the result records its interventions' firings."""
    return result.has("fired")


def has_characters(result: Result) -> bool:
    """Whether the result follows named characters."""
    return result.has("character_state")


def firing_frame(result: Result) -> pd.DataFrame:
    """One row per (run, intervention): ``fired`` and the change of each compartment."""
    import pandas as pd

    ds = result.dataset
    names = [str(n) for n in ds["intervention"].values]
    fired = ds["fired"].values
    change = ds["change"].values
    rows = []
    for r in range(fired.shape[0]):
        for i, name in enumerate(names):
            row = {"run": r, "intervention": name, "fired": fired[r, i]}
            row.update({c: change[r, i, j] for j, c in enumerate(result.compartments)})
            rows.append(row)
    return pd.DataFrame(rows, columns=["run", "intervention", "fired", *result.compartments])


def character_frame(result: Result) -> pd.DataFrame:
    """Long form: one row per (run, time, character, compartment) with a share above 0.

    Columns ``run``, ``time``, ``character``, ``compartment``, ``share`` (1 in a
    stochastic run) and ``patch`` (the patch name, or ``""``).
    """
    import pandas as pd

    ds = result.dataset
    st = ds["character_state"].values
    where = ds["character_patch"].values
    names = [str(n) for n in ds["character"].values]
    patches = result.patches
    comps = result.compartments
    times = result.times
    r, ti, k, c = np.nonzero(st > 0.0)
    p = where[r, ti, k]
    return pd.DataFrame(
        {
            "run": r.astype(np.int64),
            "time": times[ti],
            "character": np.array(names, dtype=object)[k] if names else [],
            "compartment": np.array(comps, dtype=object)[c],
            "share": st[r, ti, k, c],
            "patch": [patches[i] if i >= 0 and patches else "" for i in p],
        }
    )


def survival(result: Result) -> pd.DataFrame:
    """Each character's chance of surviving to the end, with its standard error.

    Columns: ``character``, ``survived`` (the fraction of runs, or under the
    ODE the expected share, ending in a survivor compartment), ``se`` (binomial,
    ``sqrt(p (1 - p) / runs)``; 0 under the ODE), ``runs``, and the fraction of
    runs ending in each compartment.
    """
    import pandas as pd

    ds = result.dataset
    names = [str(n) for n in ds["character"].values]
    comps = result.compartments
    survivors = [c for c in str(ds.attrs.get("survivors", "")).split(",") if c]
    last: FloatArray = ds["character_state"].values[:, -1]  # (runs, K, C)
    runs = last.shape[0]
    stochastic = result.engine != "ode"
    rows = []
    for k, name in enumerate(names):
        share = last[:, k, :].mean(axis=0)
        p = float(sum(share[comps.index(c)] for c in survivors))
        se = float(np.sqrt(p * (1.0 - p) / runs)) if stochastic else 0.0
        row = {"character": name, "survived": p, "se": se, "runs": runs}
        row.update({c: float(share[j]) for j, c in enumerate(comps)})
        rows.append(row)
    return pd.DataFrame(rows, columns=["character", "survived", "se", "runs", *comps])
