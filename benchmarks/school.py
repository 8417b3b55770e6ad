"""10,000 runs of the built-in ``school`` scenario with the exact engine: wall time.

Run: ``python benchmarks/school.py [--runs 10000] [--seed 1] [--json PATH]``.
Times the imports (``import_s``) and the one ``hyosan.simulate`` call
(``simulate_s``, the numba cache loaded in it; the issue's target: under 10
seconds on one core). ``run.py`` also times the whole process.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("json", nargs="?", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()

    start = time.perf_counter()
    from hyosan.ensemble import simulate
    from hyosan.scenario import load_scenario

    scenario = load_scenario("school")
    imported = time.perf_counter()
    result = simulate(scenario, seed=args.seed, runs=args.runs)
    done = time.perf_counter()

    events = int(result.dataset["events"].values.sum())
    figures = {
        "runs": args.runs,
        "import_s": imported - start,
        "simulate_s": done - imported,
        "events": events,
        "events_per_s": events / (done - imported),
        "takeover_fraction": result.summary()["aggregate"]["takeover_fraction"],
    }
    print(
        f"school, {args.runs:,} runs: simulate {figures['simulate_s']:.2f} s "
        f"(imports {figures['import_s']:.2f} s), {events:,} events"
    )
    if args.json:
        args.json.write_text(json.dumps(figures), encoding="utf-8")


if __name__ == "__main__":
    main()
