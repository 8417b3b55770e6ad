"""The ceiling: a hand-written, model-specific numba Gillespie loop for Alemi's SZR.

Run: ``python benchmarks/ceiling.py [--n 1e6]``. It knows its two reactions by
heart (bite S + Z -> 2 Z, kill S + Z -> S + R, both at rate * S * Z / N), so it
shows what the generic kernel (benchmarks/bench_ssa.py) could at best reach.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from numba import njit


@njit(cache=True)
def szr_direct(s, z, r, beta, kappa, rng):
    """Direct method until humans or zombies are gone; returns (s, z, r, events, t)."""
    n = s + z + r
    events = 0
    t = 0.0
    while s > 0 and z > 0:
        a_bite = beta * s * z / n
        a_kill = kappa * s * z / n
        a0 = a_bite + a_kill
        t -= math.log(1.0 - rng.random()) / a0
        if rng.random() * a0 < a_bite:
            s -= 1
            z += 1
        else:
            z -= 1
            r += 1
        events += 1
    return s, z, r, events, t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=float, default=1e6)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    n = int(args.n)
    z0 = max(1, n // 1000)
    szr_direct(n - z0, z0, 0, 1.0, 0.5, np.random.default_rng(0))
    best, events = np.inf, 0
    for rep in range(args.repeats):
        start = time.perf_counter()
        *_, events, _t = szr_direct(n - z0, z0, 0, 1.0, 0.5, np.random.default_rng(rep + 1))
        best = min(best, time.perf_counter() - start)
    print(
        f"hand-written SZR loop, N = {n:,}: {events:,} events in {best:.3f} s "
        f"= {events / best / 1e6:.1f} million events per second"
    )


if __name__ == "__main__":
    main()
