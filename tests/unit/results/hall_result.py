"""A small result built by hand for the tests of tracks: S, Z, D in a hall over three times."""

from __future__ import annotations

import numpy as np

from hyosan.results import Result
from hyosan.space import World

COMPS = ("S", "Z", "D")


def hall_result(
    runs: int = 2,
    engine: str = "ssa",
    world: World | None = None,
    times: tuple[float, float, float] = (0.0, 1.0, 2.0),
) -> Result:
    """``runs`` identical runs (S falls 10, 8, 6); in a ``world``, everyone in its first patch."""
    counts = np.tile(np.array([[10.0, 1.0, 0.0], [8.0, 2.0, 1.0], [6.0, 3.0, 2.0]]), (runs, 1, 1))
    fields = None
    if world is not None:
        fields = np.zeros((*counts.shape, world.n_patches))
        fields[..., 0] = counts
    return Result.from_arrays(
        counts,
        list(times),
        COMPS,
        events=[5 + r for r in range(runs)],
        engine=engine,
        seed=3,
        scenario_name="hall",
        model="szd",
        humans=("S",),
        zombies=("Z",),
        time_unit="hour",
        fields=fields,
        world=world,
    )
