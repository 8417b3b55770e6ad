"""Events per second of the exact engine on Alemi et al.'s SZR model, N = 1e6.

Run: ``python benchmarks/bench_ssa.py [--n 1000000] [--repeats 3]``.

Model as in the benchmark suite of issue 5: beta = 1 and kappa = 0.5 per day
(alpha = kappa / beta = 0.5), 0.1% zombies at start, run until humans or
zombies are gone. The first call compiles (or loads the numba cache) and is
reported apart; the figure is the best of the timed repeats.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from hyosan.engines import DirectSSA, run_path
from hyosan.model import builtin_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=float, default=1e6)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    n = int(args.n)
    model = builtin_model("alemi")
    params = {"beta": 1.0, "kappa": 0.5}
    z0 = max(1, n // 1000)
    x0 = np.array([n - z0, z0, 0.0])
    times = np.array([0.0, 1e6])  # one segment: until absorption

    start = time.perf_counter()
    run_path(model, params, x0, times, (), DirectSSA(budget=10**12), np.random.default_rng(0))
    first = time.perf_counter() - start

    best = np.inf
    events = 0
    for r in range(args.repeats):
        start = time.perf_counter()
        out, events = run_path(
            model, params, x0, times, (), DirectSSA(budget=10**12), np.random.default_rng(r + 1)
        )
        best = min(best, time.perf_counter() - start)
    print(
        f"ssa on alemi, N = {n:,}: {events:,} events in {best:.3f} s "
        f"= {events / best / 1e6:.1f} million events per second "
        f"(first call, with compilation or cache load: {first:.2f} s); "
        f"final S, Z, R = {out[-1].astype(int).tolist()}"
    )


if __name__ == "__main__":
    main()
