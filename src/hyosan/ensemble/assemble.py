"""One :class:`~hyosan.results.Result` from the paths of an ensemble's runs.

The runs simulate the cast's model (tagged, with characters) and record
what each intervention did; :func:`assemble` folds the tags back into the
scenario's compartments and adds the interventions' firings, the watched
moments and the characters' tracks (:mod:`hyosan.results.tracks`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hyosan._typing import FloatArray
from hyosan.engines import Firings
from hyosan.ensemble.cast import Cast, watched
from hyosan.interventions import Intervention
from hyosan.results import Result
from hyosan.results.tracks import with_characters, with_firings, with_milestones
from hyosan.scenario import Scenario, scenario_to_toml

__all__ = ["assemble", "intervention_names"]


def assemble(
    resolved: Scenario,
    cast: Cast,
    paths: Sequence[tuple[FloatArray, int, Firings]],
    *,
    seed: int,
) -> Result:
    """The result of ``resolved`` (engine, runs and seed set) from each run's
    ``(counts, events, firings)``."""
    model = resolved.model
    world = resolved.world.world if resolved.world is not None else None
    stacked = np.stack([p[0] for p in paths])  # (runs, times, patches * compartments)
    per_patch, states, where = cast.tags.split(stacked, world.n_patches if world is not None else 1)
    fields = per_patch.transpose(0, 1, 3, 2) if world is not None else None
    counts = per_patch.sum(axis=2)
    result = Result.from_arrays(
        counts,
        resolved.time.times,
        model.compartments,
        events=np.array([p[1] for p in paths], dtype=np.int64),
        engine=resolved.engine,
        seed=seed,
        scenario_name=resolved.name,
        model=model.name,
        humans=model.humans,
        zombies=model.zombies,
        time_unit=resolved.time.unit,
        scenario_toml=scenario_to_toml(resolved),
        fields=fields,
        world=world,
        parameters=dict(resolved.parameters),
    )
    n_iv = len(resolved.interventions)
    fired = np.stack([p[2].time for p in paths]) if paths else np.zeros((0, 0))
    if n_iv:
        change = cast.fold_change(np.stack([p[2].change[:n_iv] for p in paths]))
        names = intervention_names(resolved.interventions)
        result = with_firings(result, names, fired[:, :n_iv], change)
    moments = watched(resolved)
    if moments:
        result = with_milestones(result, [text for text, _ in moments], fired[:, n_iv:])
    if states is not None:
        names = [c.name for c in resolved.characters]
        result = with_characters(result, names, states, where, model.surviving)
    return result


def intervention_names(interventions: tuple[Intervention, ...]) -> list[str]:
    """A unique label for each intervention: its name, else ``intervention N``."""
    names: list[str] = []
    for i, iv in enumerate(interventions):
        name = iv.name or f"intervention {i + 1}"
        names.append(name if name not in names else f"{name} ({i + 1})")
    return names
