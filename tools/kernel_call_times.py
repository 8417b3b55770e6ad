"""How long one call of an engine's kernel takes: how often Ctrl-C can get through.

The driver hands control back to Python (progress, the event budget, Ctrl-C)
between kernel calls; each call takes at most the engine's ``budget`` events
(:mod:`hyosan.engines.settings`). This runs one run of each scenario and
engine named (after a first run that compiles) with every kernel call timed,
and prints the calls, the events and the slowest call. Run by hand::

    python tools/kernel_call_times.py school,hyosan-school,season2 ssa,tau
    python tools/kernel_call_times.py season1 ssa --t-end 24
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import hyosan
from hyosan.engines import base
from hyosan.interventions import until
from hyosan.scenario import TimeGrid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", help="built-in names or files, comma-separated")
    parser.add_argument("engines", help="ssa, tau (comma-separated)")
    parser.add_argument("--t-end", type=float, default=None, help="a shorter end time")
    args = parser.parse_args()
    calls: list[tuple[float, int]] = []
    advance = base.KernelStepper.advance

    def timed(self: base.KernelStepper, *a: Any) -> Any:
        start = time.perf_counter()
        step = advance(self, *a)
        calls.append((time.perf_counter() - start, step.events))
        return step

    base.KernelStepper.advance = timed  # type: ignore[method-assign]
    for name in args.scenarios.split(","):
        sc = hyosan.load_scenario(name)
        if args.t_end is not None:
            grid = TimeGrid(end=args.t_end, points=sc.time.points, unit=sc.time.unit)
            sc = sc.replace(time=grid, interventions=until(sc.interventions, args.t_end)[0])
        for engine in args.engines.split(","):
            hyosan.simulate(sc, engine=engine, runs=1, seed=1)  # compiles
            calls.clear()
            start = time.perf_counter()
            hyosan.simulate(sc, engine=engine, runs=1, seed=1)
            took = time.perf_counter() - start
            slowest, events = max(calls)
            print(
                f"{name:14s} {engine}: {len(calls)} calls, {took:.1f} s, "
                f"{sum(e for _, e in calls):,} events; slowest call {slowest:.2f} s "
                f"({events:,} events)",
                flush=True,
            )


if __name__ == "__main__":
    main()
