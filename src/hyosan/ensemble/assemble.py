"""One :class:`~hyosan.results.Result` from the paths of an ensemble's runs.

The runs simulate the cast's model (tagged, with characters) and record
what each intervention did; :func:`assemble` folds the tags back into the
scenario's compartments and adds the interventions' firings, the watched
moments and the characters' tracks (:mod:`hyosan.results.tracks`).
"""

from __future__ import annotations

import numpy as np

from hyosan.ensemble.cast import Cast, watched
from hyosan.ensemble.chunks import Paths
from hyosan.interventions import Intervention
from hyosan.results import Result
from hyosan.results.tracks import with_characters, with_firings, with_milestones
from hyosan.scenario import Scenario, scenario_to_toml

__all__ = ["assemble", "intervention_names"]


def assemble(resolved: Scenario, cast: Cast, paths: Paths, *, seed: int) -> Result:
    """The result of ``resolved`` (engine, runs and seed set) from its runs' arrays, in
    run order (:class:`~hyosan.ensemble.chunks.Paths`)."""
    model = resolved.model
    world = resolved.world.world if resolved.world is not None else None
    stacked = paths.counts  # (runs, times, patches * compartments)
    per_patch, states, where = cast.tags.split(stacked, world.n_patches if world is not None else 1)
    fields = per_patch.transpose(0, 1, 3, 2) if world is not None else None
    # one patch: no sum (numpy sums a middle axis of length 1 slowly: 2 s for 1e5 runs)
    counts = per_patch.sum(axis=2) if per_patch.shape[2] > 1 else per_patch[:, :, 0, :]
    result = Result.from_arrays(
        counts,
        resolved.time.times,
        model.compartments,
        events=np.asarray(paths.events, dtype=np.int64),
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
        parameter_units={p.name: p.unit for p in model.parameters},
    )
    n_iv = len(resolved.interventions)
    fired = paths.fired
    if n_iv:
        change = cast.fold_change(paths.change[:, :n_iv])
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
