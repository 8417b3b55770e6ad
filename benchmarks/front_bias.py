"""Bias of spatial tau-leaping on a moving zombie front, against the exact engine.

Run: ``python benchmarks/front_bias.py [--size 30] [--runs 60] [--eps 0.03 0.01]
[--people 6] [--model alemi|aouad]``.

A ``size x size`` lattice of lognormal populations (seed 0, log-mean
``--people``: 6 gives about 400 people a cell, 10 about 22,000), 20 zombies
in the middle cell. ``alemi``: Alemi's SZR (beta = 1, kappa = 0.5 per day),
zombies moving at 0.5 per day to each neighbour, 40 days. ``aouad``: the
series' model with its defaults (time in hours: bites, the incubation, the
rare hybrids, whose few fights are critical reactions), zombies moving at
0.1 and hybrids at 0.05 per hour to each neighbour, as in the ``korea``
scenario, 24 hours. For the exact engine (next-subvolume) and tau-leaping at
each ``eps``: the mean number of humans left at a quarter, half,
three-quarters and the end of the time, over ``runs`` runs, with its
standard error, and tau's difference from the exact mean in standard errors
of the difference. Figures in ``docs/design/space.md``. At 30 x 30 and 60
runs of ``alemi`` it takes about 2 minutes for the exact engine and 2 (eps =
0.03) to 6 (eps = 0.01) minutes for tau, on one core.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from hyosan.engines import DirectSSA, TauLeap
from hyosan.engines.base import Engine
from hyosan.model import builtin_model
from hyosan.space import Placement, Selection, World, WorldSetup
from hyosan.testing import sample_paths

CASES = {  # model: (parameters, movement, end time)
    "alemi": ({"beta": 1.0, "kappa": 0.5}, {"Z": 0.5}, 40.0),
    "aouad": (None, {"Z": 0.1, "H": 0.05}, 24.0),
}
POINTS = (10, 20, 30, 40)  # of 40 equal parts of the time


def humans_left(
    size: int, runs: int, engine: Engine, seed: int, people: float = 6.0, name: str = "alemi"
) -> np.ndarray:
    """Humans left at each of 41 times, shape ``(runs, 41)``."""
    pop = np.round(np.random.default_rng(0).lognormal(people, 1.0, size=(size, size)))
    params, movement, end = CASES[name]
    model = builtin_model(name)
    world = World.lattice(pop, keep_empty=False)
    middle = Selection(patches=(world.patches[world.n_patches // 2],))
    setup = WorldSetup(world, movement=movement, seeds=(Placement("Z", 20, middle),))
    times = np.linspace(0.0, end, 41)
    x0 = setup.counts(model).ravel()
    rng = np.random.default_rng(seed)
    nc = len(model.compartments)
    out = sample_paths(model, params or model.defaults, x0, times, engine, runs, rng, setup=setup)
    return out.reshape(runs, len(times), -1, nc)[:, :, :, 0].sum(axis=2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=30)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--eps", type=float, nargs="+", default=[0.03, 0.01])
    parser.add_argument("--people", type=float, default=6.0, help="log-mean of a cell's people")
    parser.add_argument("--model", default="alemi", choices=tuple(CASES))
    args = parser.parse_args()
    case = (args.people, args.model)
    start = time.perf_counter()
    exact = humans_left(args.size, args.runs, DirectSSA(), 7, *case)
    print(f"exact ({time.perf_counter() - start:.0f} s):", _row(exact))
    for eps in args.eps:
        start = time.perf_counter()
        tau = humans_left(args.size, args.runs, TauLeap(eps=eps), 8, *case)
        wall = time.perf_counter() - start
        diff = [tau[:, d].mean() - exact[:, d].mean() for d in POINTS]
        se = [np.hypot(_se(tau[:, d]), _se(exact[:, d])) for d in POINTS]
        z = ", ".join(
            f"{d / s:+.1f}" if s > 0.0 else f"{d:+.0f} (no spread)"
            for d, s in zip(diff, se, strict=True)
        )
        print(f"tau eps={eps:g} ({wall:.0f} s):", _row(tau), f"difference in SE: {z}")


def _se(x: np.ndarray) -> float:
    return float(x.std(ddof=1) / np.sqrt(len(x)))


def _row(h: np.ndarray) -> str:
    return ", ".join(f"{d}/40: {h[:, d].mean():,.0f} ± {_se(h[:, d]):,.0f}" for d in POINTS)


if __name__ == "__main__":
    main()
