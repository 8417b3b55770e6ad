"""How fast ``hyosan fit`` is: least squares in seconds, ABC in under a minute on 2 workers.

Run: ``python benchmarks/fit.py [--repeat 5]``; writes ``benchmarks/fit.json`` and
``benchmarks/fit.md`` and prints the table. Targets (issue 19):

1. ``least-squares`` on a two-parameter SIR (the built-in ``sir``, I seen at 15
   times from day 10 to 150 with Poisson noise) in under 2 s after start-up:
   the median over ``--repeat`` fits in this process, after one untimed fit
   that loads the modules and the kernels. The negative binomial is timed too
   (no target).
2. ``abc`` reaching its final generation in under 60 s on 2 workers: the same
   data from one exact run, population 400, 8 generations, ``engine="ssa"``, on
   a local Dask cluster of 2 worker processes (started before the clock, its
   start-up reported apart); and the same fit on one core in this process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import hyosan  # noqa: E402
from _machine import machine  # noqa: E402
from hyosan.ensemble.cluster import local_cluster  # noqa: E402

TIMES = np.linspace(10.0, 150.0, 15)
RANGES = {"beta": (0.05, 5.0), "gamma": (0.01, 1.0)}
ABC_RANGES = {"beta": (0.05, 1.0), "gamma": (0.02, 0.5)}


def _data(engine: str) -> pd.DataFrame:
    """I of sir at beta = 0.3, gamma = 0.1: the ODE with Poisson noise, or one ssa run."""
    sc = hyosan.load_scenario("sir")
    if engine == "ode":
        totals = hyosan.simulate(sc, engine="ode").totals
        mu = np.interp(TIMES, totals["time"], totals["I"])
        counts = np.random.default_rng(3).poisson(mu)
    else:
        totals = hyosan.simulate(sc, engine="ssa", seed=11).totals
        counts = np.interp(TIMES, totals["time"], totals["I"]).round()
    return pd.DataFrame({"time": TIMES, "I": counts})


def least_squares(repeat: int) -> dict[str, Any]:
    sc, data = hyosan.load_scenario("sir"), _data("ode")
    out: dict[str, Any] = {}
    for noise in ("poisson", "negbin"):
        hyosan.fit(sc, data, RANGES, noise=noise, seed=0)  # start-up: imports, kernels
        seconds, evaluations = [], 0
        for i in range(repeat):
            start = time.perf_counter()
            found = hyosan.fit(sc, data, RANGES, noise=noise, seed=i)
            seconds.append(time.perf_counter() - start)
            evaluations = found.settings["evaluations"]
        out[noise] = {
            "median_s": statistics.median(seconds),
            "all_s": seconds,
            "evaluations": evaluations,
            "estimates": found.estimates,
        }
    return out


def abc(workers: int) -> dict[str, Any]:
    sc, data = hyosan.load_scenario("sir"), _data("ssa")
    kwargs = {"method": "abc", "engine": "ssa", "runs": 400, "generations": 8, "seed": 1}
    row: dict[str, Any] = {"workers": workers}
    if workers == 1:
        start = time.perf_counter()
        found = hyosan.fit(sc, data, ABC_RANGES, **kwargs)
        row["fit_s"] = time.perf_counter() - start
    else:
        start = time.perf_counter()
        with local_cluster(workers) as client:
            row["cluster_start_s"] = time.perf_counter() - start
            start = time.perf_counter()
            found = hyosan.fit(sc, data, ABC_RANGES, client=client, **kwargs)
            row["fit_s"] = time.perf_counter() - start
    row.update(
        abc_s=found.settings["seconds"],
        generations=found.settings["generations"],
        simulations=found.settings["simulations"],
        epsilon=found.settings["epsilon"],
        estimates={k.range.name: [k.estimate, k.low, k.high] for k in found.keys},
    )
    return row


def render(data: dict[str, Any]) -> str:
    ls, rows = data["least_squares"], data["abc"]
    lines = [
        "# hyosan fit: speed",
        "",
        f"`python benchmarks/fit.py --repeat {data['repeat']}` on {data['machine']['cpu_model']} "
        f"({data['machine']['cpus']} cores), {data['machine']['date']}, hyosan "
        f"{data['machine']['hyosan_commit']}.",
        "",
        "| fit | seconds | target | evaluations or runs |",
        "| --- | ---: | --- | ---: |",
    ]
    for noise, r in ls.items():
        target = "< 2 s" if noise == "poisson" else "none"
        verdict = " (met)" if noise == "poisson" and r["median_s"] < 2 else ""
        lines.append(
            f"| least-squares, {noise}, 2 keys, 15 times (median of {len(r['all_s'])}) "
            f"| {r['median_s']:.2f} | {target}{verdict} | {r['evaluations']} ODE solves |"
        )
    for r in rows:
        where = "1 core, in process" if r["workers"] == 1 else f"{r['workers']} Dask workers"
        start = (
            f" (cluster start {r['cluster_start_s']:.1f} s, apart)"
            if "cluster_start_s" in r
            else ""
        )
        met = " (met)" if r["workers"] > 1 and r["fit_s"] < 60 else ""
        target = "< 60 s" + met if r["workers"] > 1 else "none"
        lines.append(
            f"| abc, ssa, population 400, {r['generations']} generations, {where}{start} "
            f"| {r['fit_s']:.1f} | {target} | {r['simulations']:,} runs |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = {
        "repeat": args.repeat,
        "machine": machine(None),
        "least_squares": least_squares(args.repeat),
        "abc": [abc(1), abc(2)],
    }
    (HERE / "fit.json").write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    text = render(data)
    (HERE / "fit.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
