"""One outbreak on a synthetic lattice: events per second of a spatial engine.

Run: ``python benchmarks/lattice.py ROWS COLS DAYS ENGINE`` (e.g. ``150 150 60 ssa``).
Each cell holds a lognormal population (seed 0; empty cells left out), the
``alemi`` model, zombies moving at 1 per day to each neighbour, 20 zombies in
the middle cell; one run from seed 1. Prints wall time, events and events per
second (numba cache warm after the first call).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from hyosan.engines import get_engine, run_path
from hyosan.model import builtin_model
from hyosan.space import Placement, Selection, World, WorldSetup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("cols", type=int)
    parser.add_argument("days", type=float)
    parser.add_argument("engine", choices=("ssa", "tau", "ode"))
    args = parser.parse_args()
    pop = np.round(np.random.default_rng(0).lognormal(8, 1.5, size=(args.rows, args.cols)))
    model = builtin_model("alemi")
    world = World.lattice(pop, keep_empty=False)
    middle = Selection(patches=(world.patches[world.n_patches // 2],))
    setup = WorldSetup(world, movement={"Z": 1.0}, seeds=(Placement("Z", 20, middle),))
    times = np.linspace(0.0, args.days, 11)
    start = time.perf_counter()
    out, events = run_path(
        model,
        model.defaults,
        setup.counts(model).ravel(),
        times,
        (),
        get_engine(args.engine),
        np.random.default_rng(1),
        setup=setup,
    )
    wall = time.perf_counter() - start
    final = out[-1].reshape(-1, 3).sum(axis=0)
    print(
        f"{world.n_patches} patches, {args.engine}: {wall:.2f} s, {events:,} events, "
        f"{events / wall / 1e6:.2f} M/s; final S, Z, R = {final.tolist()}"
    )


if __name__ == "__main__":
    main()
