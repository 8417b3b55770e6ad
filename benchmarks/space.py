"""Outbreaks on the census maps: wall time, events per second and peak memory of one run.

Run: ``python benchmarks/space.py [korea|usa] [--engine ssa|tau] [--seed N] [--cell 10km]``.

Each case loads the built-in scenario (``korea``: 51.8 million people, 1,328
patches at 10 km; ``usa``: 306.7 million, 79,765 patches), and simulates one
run whose seed makes the outbreak take off: a single zombie is destroyed
before it bites in about a fifth of runs (``korea``) or four fifths (``usa``,
kappa = 0.8), and those runs would time only start-up. ``--seed`` picks the
first seed at or above it whose run has more than 1,000 events. Peak memory
is the process's maximum resident set (``ru_maxrss``), numba cache warm.

The timed run is the process's second: a process's first kernel call loads
the kernel from numba's on-disk cache and numba's own registries (which
import ``scipy.linalg``), about half a second once per process whatever the
world. A run to the first output time takes that first, timed apart
(``warm_up_s``); the process's time from launch to exit is ``run.py``'s.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=("korea", "usa"))
    parser.add_argument("--engine", default="tau", choices=("ssa", "tau"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cell", default="10km", choices=("10km", "3km"))
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()

    import numpy as np

    from hyosan.engines import get_engine, run_path
    from hyosan.scenario import load_scenario
    from hyosan.space import world_from_map

    scenario = load_scenario(args.scenario)
    assert scenario.world is not None
    if args.cell != "10km":
        world = world_from_map(args.scenario, args.cell)
        ref = {"map": args.scenario, "cell": args.cell}
        scenario = scenario.replace(world=dataclasses.replace(scenario.world, world=world, ref=ref))
    setup = scenario.world
    assert setup is not None
    engine = get_engine(args.engine)
    times = scenario.time.times

    def run(times: np.ndarray, seed: int) -> tuple[np.ndarray, int]:
        return run_path(
            scenario.model,
            scenario.parameters,
            scenario.x0,
            times,
            scenario.interventions,
            engine,
            np.random.default_rng(seed),
            setup=setup,
        )

    start = time.perf_counter()
    run(times[:2], args.seed)  # the process's first call: see the module docstring
    warm_up = time.perf_counter() - start
    seed = args.seed
    while True:
        start = time.perf_counter()
        out, events = run(times, seed)
        wall = time.perf_counter() - start
        if events > 1000:
            break
        seed += 1
    final = out[-1].reshape(-1, len(scenario.model.compartments)).sum(axis=0)
    figures = {
        "scenario": args.scenario,
        "cell": args.cell,
        "engine": args.engine,
        "seed": seed,
        "patches": setup.world.n_patches,
        "edges": setup.world.n_edges,
        "reactions": len(scenario.model.reactions),
        "movers": sum(1 for rate in setup.movement.values() if rate > 0),
        "people": float(scenario.x0.sum()),
        "wall_s": wall,
        "warm_up_s": warm_up,
        "events": int(events),
        "events_per_s": events / wall,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "final": dict(zip(scenario.model.compartments, final.tolist(), strict=True)),
    }
    print(
        f"{args.scenario} {args.cell} {args.engine} seed {seed}: {wall:.1f} s (warm-up "
        f"{warm_up:.2f} s), {events:,} events "
        f"({events / wall / 1e6:.2f} M/s), peak RSS {figures['peak_rss_mib']:.0f} MiB"
    )
    if args.json:
        args.json.write_text(json.dumps(figures), encoding="utf-8")


if __name__ == "__main__":
    main()
