"""The benchmark suite: hyosan beside its peers on Alemi's SZR, in one run, on one core.

Run: ``python benchmarks/run.py [--sizes 1e3 1e4 1e6 1e7] [--peers NAME ...]
[--limit SECONDS] [--target-limit SECONDS] [--space CASE ...] [--space-limit
SECONDS] [--cpu CORE] [--quick]``; writes ``benchmarks/results.md`` and
``benchmarks/results.json`` (``results-quick.*`` with ``--quick``) and prints
the tables. The default run takes about 20 minutes, half of it in space.

Order of a run:

1. Warm every contender once at N = 100, untimed (numba's on-disk cache,
   GillesPy2's object cache, Python's bytecode, the file cache).
2. For each N, smallest first, for each contender: estimate the run from the
   contender's next smaller N (at most ten times smaller); skip it
   (reporting the estimate, labelled) if it
   would pass the time limit or half the free memory, or if the contender
   cannot express the model at this N; else run ``_child.py`` in a fresh
   process pinned to one core, killed at the limit (180 s; 400 s at
   N = 1e6, where the issue's targets are, so that the 100x comparisons are
   measured rather than bounded). A run in which the
   zombies die out (likely when 1 or 2 zombies start: probability 0.5 each)
   is run again with the next seed, so every row is a full outbreak.
3. 10,000 runs of ``school`` (``school.py``) and the command-line start-up
   (``cli_start.py``), each in its own pinned process.
4. The census maps at full population: ``space.py`` on the continental US
   and South Korea, tau-leaping then exact, each in its own pinned process
   killed at 300 s (``--space-limit``; not with ``--quick`` unless
   ``--space`` names cases).
5. Write the JSON and the markdown; print the markdown.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import time
from typing import Any

from _launch import HERE, Launch, launch, python_script
from _machine import available_memory_gb, machine
from _report import SPACE_CASES, rate, render
from contenders import CONTENDERS, PEERS, Contender
from contenders._alemi import AGENT_DT, BETA, KAPPA, T_END

WARM_N = 100
TARGET_N = 1_000_000
ATTEMPTS = 5


def _row(c: Contender, n: int, seed: int, done: Launch, attempts: int) -> dict[str, Any]:
    r = done.result
    wall = r.get("e2e_s", done.wall_s)
    row: dict[str, Any] = {
        "contender": c.name,
        "n": n,
        "status": done.status,
        "seed": seed,
        "attempts": attempts,
        "wall_s": wall,
        "process_wall_s": done.wall_s,
        "peak_rss_mb": done.peak_rss_mb,
        **{k: v for k, v in r.items() if k not in ("e2e_s", "traceback")},
    }
    if done.status == "ok":
        row["events_per_s"] = r["events"] / r["run_s"] if r["run_s"] > 0 else None
    if done.error:
        row["reason"] = done.error
    return row


def _estimate(c: Contender, n: int, rows: list[dict[str, Any]]) -> tuple[float, float, int] | None:
    """Wall time and peak memory (MB) at ``n`` from the warm-up and the largest smaller N.

    None where that N is more than ten times smaller: no extrapolation past a decade.
    """
    mine = [r for r in rows if r["contender"] == c.name and r["status"] == "ok" and r["n"] < n]
    if len(mine) < 2 or n > 10 * mine[-1]["n"]:
        return None
    base, prev = mine[0], mine[-1]
    scale = (n / prev["n"]) ** c.cost_power
    wall = base["process_wall_s"] + (prev["process_wall_s"] - base["process_wall_s"]) * scale
    rss = base["peak_rss_mb"] + max(prev["peak_rss_mb"] - base["peak_rss_mb"], 0.0) * scale
    return wall, rss, prev["n"]


def _skip(c: Contender, n: int, rows: list[dict[str, Any]], limit: float) -> dict[str, Any] | None:
    """A "not run" row, or None to run it."""
    row = {"contender": c.name, "n": n, "status": "not run"}
    missing = [m for m in c.requires if importlib.util.find_spec(m) is None]
    if missing:
        return {**row, "status": "not installed", "reason": f"pip install {' '.join(missing)}"}
    if any(r["contender"] == c.name and r["status"] == "over limit" for r in rows):
        return {**row, "reason": "over the limit at a smaller N"}
    reason = c.too_big(n) if c.too_big else None
    guess = _estimate(c, n, rows)
    if guess:
        wall, rss, n_from = guess
        row.update(estimate_s=wall, estimate_rss_mb=rss, estimated_from_n=n_from)
        free = available_memory_gb() * 1024
        if reason is None and wall > limit:
            reason = f"estimated {wall:,.0f} s > limit {limit:.0f} s"
        elif reason is None and rss > free / 2:
            reason = f"estimated {rss / 1024:,.1f} GB > half the free memory"
    return {**row, "reason": reason} if reason else None


def measure(c: Contender, n: int, seed: int, limit: float, cpu: int | None) -> dict[str, Any]:
    """Run ``c`` at ``n``; again with the next seed if the zombies died out."""
    for attempt in range(ATTEMPTS):
        done = launch(python_script("_child.py", c.name, n, seed + attempt), limit, cpu)
        died_out = done.status == "ok" and done.result["Z"] == 0
        if not died_out or attempt == ATTEMPTS - 1:
            return _row(c, n, seed + attempt, done, attempt + 1)
    raise AssertionError("unreachable")


def _say(row: dict[str, Any]) -> None:
    head = f"N = {row['n']:>12,}  {row['contender']:<18} {row['status']:<12}"
    if row["status"] == "ok":
        print(
            f"{head} {row['wall_s']:8.2f} s  {row['events']:>12,} events  "
            f"{rate(row['events_per_s']):>10}  {row['peak_rss_mb']:7.0f} MB",
            flush=True,
        )
    else:
        print(f"{head} {row.get('reason', '')}", flush=True)


def _extra(script: str, args: list[str], limit: float, cpu: int | None) -> dict[str, Any]:
    done = launch(python_script(script, *args), limit, cpu)
    figures = {"status": done.status, "process_wall_s": done.wall_s, **done.result}
    figures["peak_rss_mb"] = done.peak_rss_mb
    if done.error:
        figures["reason"] = done.error
    print(f"{script}: {done.status}, {done.wall_s:.2f} s {done.error}", flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, help="N (default 1e3 1e4 1e6 1e7)")
    parser.add_argument("--peers", nargs="*", choices=PEERS, default=list(PEERS))
    parser.add_argument("--limit", type=float, help="seconds per process (default 180)")
    parser.add_argument(
        "--target-limit", type=float, default=400.0, help="seconds per process at N = 1e6"
    )
    parser.add_argument("--cpu", type=int, default=0, help="core to pin to; -1: no pinning")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--space", nargs="*", choices=SPACE_CASES, help="map cases (default all; none with --quick)"
    )
    parser.add_argument("--space-limit", type=float, default=300.0, help="seconds per map case")
    parser.add_argument("--quick", action="store_true", help="N = 1e3, 1e4; a smoke test")
    args = parser.parse_args()
    space_cases = args.space if args.space is not None else ([] if args.quick else SPACE_CASES)
    sizes = sorted(
        int(s) for s in (args.sizes or ([1e3, 1e4] if args.quick else [1e3, 1e4, 1e6, 1e7]))
    )
    limit = args.limit or (60.0 if args.quick else 180.0)
    cpu = None if args.cpu < 0 else args.cpu
    chosen = [c for c in CONTENDERS.values() if not c.peer or c.name in args.peers]

    started = time.perf_counter()
    load_start = os.getloadavg()
    info = machine(cpu)
    rows: list[dict[str, Any]] = []
    for c in chosen:
        skipped = _skip(c, WARM_N, rows, limit)
        row = skipped or measure(c, WARM_N, args.seed, limit, cpu)
        rows.append({**row, "warm_up": True})
        print(f"warm-up {c.name}: {row['status']} {row.get('process_wall_s', 0):.2f} s", flush=True)
    for n in sizes:
        limit_n = max(limit, args.target_limit) if n == TARGET_N else limit
        for c in chosen:
            row = _skip(c, n, rows, limit_n) or measure(c, n, args.seed, limit_n, cpu)
            row["limit_s"] = limit_n
            rows.append(row)
            _say(row)
    school = _extra("school.py", ["--runs", "1000" if args.quick else "10000"], limit, cpu)
    cli = _extra("cli_start.py", ["--repeats", "2" if args.quick else "5"], limit, cpu)
    space = []
    for case in space_cases:  # space.py writes its JSON where --json says: the path comes last
        world, engine = case.split()
        argv = [world, "--engine", engine, "--json"]
        figures = _extra("space.py", argv, args.space_limit, cpu)
        space.append({"case": case, "limit_s": args.space_limit, **figures})

    data = {
        "command": "python benchmarks/run.py" + (" --quick" if args.quick else ""),
        "model": {
            "beta": BETA,
            "kappa": KAPPA,
            "zombies_at_start": "0.1% (at least 1)",
            "t_end_days": T_END,
            "agent_dt_days": AGENT_DT,
        },
        "limit_s": limit,
        "target_limit_s": args.target_limit,
        "seed": args.seed,
        "sizes": sizes,
        "machine": info,
        "load_average": {"start": load_start, "end": os.getloadavg()},
        "suite_wall_s": time.perf_counter() - started,
        "rows": rows,
        "school": school,
        "cli_start": cli,
        "space_limit_s": args.space_limit,
        "space": space,
    }
    stem = "results-quick" if args.quick else "results"
    (HERE / f"{stem}.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    text = render(data)
    (HERE / f"{stem}.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote benchmarks/{stem}.md and benchmarks/{stem}.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
