"""How much common random numbers narrow the differences between a sweep's grid points.

Runs every point of a scenario's ``[sweep]`` grid twice: as ``hyosan sweep``
does by default (each point from its own seed) and with common random
numbers (every point from one seed, so run ``i`` draws the same numbers at
every point). For each pair of neighbouring points (one step along one axis)
it prints the difference of each outcome's mean and its standard error:

- independent points: ``sqrt(se_a^2 + se_b^2)``;
- common random numbers: the paired ``sd(d_i) / sqrt(n)`` of the runs'
  differences ``d_i = o_b,i - o_a,i``.

Their ratio is how much narrower the differences become (a ratio of 0.5 is
worth four times the runs). Outcomes: the outbreak indicator (the
``[sweep]`` table's ``outbreak``) and humans lost. Run by hand::

    python tools/common_random_numbers.py season2            # 9 points x 40 runs, twice
    python tools/common_random_numbers.py season2 --runs 20 --out out/crn.md
"""

from __future__ import annotations

import argparse
import itertools
import math
import time
from pathlib import Path

import numpy as np

import hyosan
from hyosan._seeds import spawn_seeds
from hyosan.ensemble.outcomes import Outcome
from hyosan.ensemble.sweep import apply_axes, sweep_from_table


def per_run(
    scenario: hyosan.Scenario, points: list[tuple], axes: tuple, seeds: list[int], outbreak: str
) -> dict[tuple, dict[str, np.ndarray]]:
    """Each point's per-run outcomes: ``{values: {"outbreak": (runs,), "lost": (runs,)}}``."""
    out = {}
    for values, seed in zip(points, seeds, strict=True):
        point = apply_axes(scenario, axes, values)
        result = hyosan.simulate(point, seed=seed)
        out[values] = {
            "outbreak": Outcome.parse("P(outbreak)", point.model, outbreak).per_run(result),
            "lost": Outcome.parse("humans lost", point.model).per_run(result),
        }
    return out


def neighbours(points: list[tuple]) -> list[tuple[tuple, tuple]]:
    """Pairs of points one step apart along one axis."""
    pairs = []
    for a, b in itertools.combinations(points, 2):
        differ = [i for i, (u, v) in enumerate(zip(a, b, strict=True)) if u != v]
        if len(differ) == 1:
            pairs.append((a, b))
    return pairs


def table(
    independent: dict, common: dict, pairs: list[tuple[tuple, tuple]], name: str
) -> tuple[list[str], list[float]]:
    """Markdown rows for outcome ``name`` and the ratios of paired to independent SE."""
    rows, ratios = [], []
    for a, b in pairs:
        xa, xb = independent[a][name], independent[b][name]
        n = len(xa)
        se_ind = math.sqrt(xa.var(ddof=1) / n + xb.var(ddof=1) / n)
        d = common[b][name] - common[a][name]
        se_crn = float(d.std(ddof=1)) / math.sqrt(n)
        ratio = se_crn / se_ind if se_ind > 0 else math.nan
        ratios.append(ratio)
        rows.append(
            f"| {a} → {b} | {xb.mean() - xa.mean():.3g} ± {se_ind:.2g} "
            f"| {d.mean():.3g} ± {se_crn:.2g} | {ratio:.2f} |"
        )
    return rows, ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="season2")
    parser.add_argument("--runs", type=int, default=None, help="runs per point")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--out", type=Path, default=None, help="also write the tables here")
    args = parser.parse_args()
    scenario = hyosan.load_scenario(args.scenario)
    grid = sweep_from_table(scenario.sweep or {})
    runs = args.runs or grid.runs or scenario.runs
    scenario = scenario.replace(runs=runs)
    points = list(itertools.product(*(a.values for a in grid.axes)))
    _, children = spawn_seeds(args.seed, len(points))
    own = [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]
    start = time.perf_counter()
    outbreak = grid.outbreak or "Z >= 10"
    independent = per_run(scenario, points, grid.axes, own, outbreak)
    common = per_run(scenario, points, grid.axes, [own[0]] * len(points), outbreak)
    secs = time.perf_counter() - start
    keys = ", ".join(a.key for a in grid.axes)
    lines = [
        f"{args.scenario}: {len(points)} points ({keys}) x {runs} runs, twice, "
        f"seed {args.seed}, {secs / 60:.1f} min",
        "",
    ]
    for name, label in (("outbreak", "P(outbreak)"), ("lost", "humans lost")):
        rows, ratios = table(independent, common, neighbours(points), name)
        good = [r for r in ratios if math.isfinite(r)]
        lines += [
            f"{label}: difference between neighbouring points ± its standard error",
            "",
            "| points | independent | common random numbers | ratio of errors |",
            "| --- | ---: | ---: | ---: |",
            *rows,
            "",
            f"median ratio {np.median(good):.2f} over {len(good)} pairs" if good else "",
            "",
        ]
    text = "\n".join(lines)
    print(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
