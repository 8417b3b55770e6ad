"""Scaling over Dask workers: cluster start-up, runs per second on 1 and 2 workers, the CLI.

Run: ``python benchmarks/scaling.py [--school-runs 100000] [--sweep-runs 40]
[--usa-runs 20] [--skip-usa] [--repeats 3] [--seed 1] [--quick]``; writes
``benchmarks/scaling.json`` and ``benchmarks/scaling.md`` (the options given
are recorded in both) and prints the tables. ``--quick`` (school 20,000 runs,
the 8-point sweep below at 4 runs a point, no usa) is a smoke test of a few
minutes. ``--school-only N`` (``--sweep-only N``) measures only the school's
(the season2 sweep's) throughput, with N pairs of legs.

1. Start-up: seconds from nothing to a ``local_cluster(1)`` and a
   ``local_cluster(2)`` (``hyosan.ensemble.cluster``) whose workers are all up,
   each apart (Dask's import timed first, apart); target under 3 s.
2. Throughput, runs per second once the clusters are up, side by side: the
   serial path (``client=None``) once, then 1 worker and 2 workers one after the
   other ``--repeats`` times, each leg after an untimed small run on the same
   path (workers load hyosan and the kernel); a path's figure is its median leg,
   the ratio the median of the pairs' ratios: ``school``,
   the ``season2`` sweep (its ``[sweep]`` grid, 9 points; the 8-point grid with
   ``--quick``) and ``usa`` with tau-leaping. Targets: 2 workers at least 1.8
   times 1 worker on school and the sweep. 1 worker against the serial path is
   information: ``--workers 1`` on the command line *is* the serial path, so
   the 5% target is checked by ``hyosan run school --runs 2000 --seed 1`` with
   and without ``--workers 1``, median of 3, interleaved.
3. The whole command, start-up included, on 32 runs of season2 with
   ``--workers 1`` and ``--workers 2``: ``hyosan run season2 --runs 32 --seed
   1`` (target: a ratio of at least 1.6), and, as information, ``hyosan sweep
   season2 --runs 4 --seed 1`` on the 8-point grid (32 runs too).
4. Per-task costs: the pickled bytes of a chunk's arguments, of the
   ``Shared`` (sent once per ensemble), and of the ``Paths`` a worker sends
   back (packed, as ``_run_packed`` sends them), for the 2-worker chunking;
   and the scheduler's overhead: a trivial ``submit(...).result()`` round
   trip (median of 50) and a batch of 1000 trivial tasks, per task.

This machine is likely shared: ``load_average`` is recorded at the start and
the end; above the number of cores the figures are noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import pickle
import statistics
import subprocess
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _machine import machine
from cli_start import hyosan_command

HERE = Path(__file__).resolve().parent
GRID = ("parameters.beta_h=0.0005,0.002,0.01,0.02", "world.seed[1].count=0,9")
"""The 8-point season2 grid of the command-line check (and of ``--quick``)."""
MODES = ("serial", "1 worker", "2 workers")
TARGETS = {"startup_s": 3.0, "speedup_2_over_1": 1.8, "cli_workers_1": 1.05, "cli_sweep": 1.6}


@dataclass(frozen=True)
class Case:
    """A workload: ``run(client)`` does it and returns its number of runs; ``warm`` is the
    scenario of the small untimed runs before it, ``engine`` theirs."""

    name: str
    run: Callable[[Any], int]
    warm: Any
    engine: str | None = None


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--school-runs", type=int, default=None, help="default 100,000")
    parser.add_argument("--sweep-runs", type=int, default=None, help="runs per grid point")
    parser.add_argument("--usa-runs", type=int, default=20)
    parser.add_argument("--skip-usa", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeats", type=int, default=3, help="1- and 2-worker legs side by side (default 3)"
    )
    parser.add_argument("--quick", action="store_true", help="a smoke test of a few minutes")
    parser.add_argument(
        "--school-only",
        type=int,
        metavar="N",
        default=0,
        help="only the school's throughput, N pairs of legs; prints, writes nothing",
    )
    parser.add_argument(
        "--sweep-only",
        type=int,
        metavar="N",
        default=0,
        help="only the season2 sweep's throughput, N pairs of legs; prints, writes nothing",
    )
    args = parser.parse_args()
    args.school_runs = args.school_runs or (20_000 if args.quick else 100_000)
    args.sweep_runs = args.sweep_runs or (4 if args.quick else 40)
    args.skip_usa = args.skip_usa or args.quick
    return args


def cases(args: argparse.Namespace) -> list[Case]:
    """School, the season2 sweep and (unless skipped) usa, each with its warm-up."""
    import hyosan
    from hyosan.ensemble.sweep import Axis, sweep, sweep_from_table
    from hyosan.scenario.edit import set_keys

    seed = args.seed
    school = hyosan.load_scenario("school")
    season2 = hyosan.load_scenario("season2")
    table = sweep_from_table(season2.sweep)
    small = [Axis(k, tuple(json.loads(f"[{v}]"))) for k, _, v in (g.partition("=") for g in GRID)]
    axes = small if args.quick else table.axes
    points = math.prod(len(axis.values) for axis in axes)

    def run_sweep(client: Any) -> int:
        frame = sweep(
            season2,
            axes,
            outbreak=table.outbreak,
            runs=args.sweep_runs,
            seed=seed,
            common_random_numbers=table.common_random_numbers,
            client=client,
        )
        return int(frame["runs"].sum())

    def simulate(scenario: Any, runs: int, **kw: Any) -> Callable[[Any], int]:
        return lambda client: hyosan.simulate(scenario, runs=runs, client=client, **kw).runs

    found = [
        Case(
            f"school, {args.school_runs:,} runs",
            simulate(school, args.school_runs, seed=seed),
            school,
        ),
        Case(
            f"season2 sweep, {points} points x {args.sweep_runs} runs",
            run_sweep,
            set_keys(season2, [("time.end", 24.0), ("time.points", 9)]),
        ),
    ]
    if not args.skip_usa:
        usa = hyosan.load_scenario("usa")
        found.append(
            Case(
                f"usa tau, {args.usa_runs} runs",
                simulate(usa, args.usa_runs, seed=seed, engine="tau"),
                set_keys(usa, [("time.end", 2.0), ("time.points", 3)]),
                "tau",
            )
        )
    return found


def _warm_task(packed: bytes) -> int:
    """Run a pickled task here: hyosan imported, its kernel loaded."""
    from hyosan.ensemble.chunks import run_chunk

    task = pickle.loads(packed)
    return run_chunk(task.shared, task.start, task.seeds).runs


def warm_up(case: Case, client: Any) -> None:
    """A small simulate on the path, then one run on every worker (the scheduler may have
    sent all the small simulate's chunks to one worker)."""
    import hyosan
    from hyosan.ensemble.batch import Ensemble

    workers = 1 if client is None else len(client.scheduler_info()["workers"])
    hyosan.simulate(case.warm, runs=4 * workers, seed=0, engine=case.engine, client=client)
    if client is not None:
        ens = Ensemble.prepare(case.warm, runs=1, seed=0, engine=case.engine)
        client.run(_warm_task, pickle.dumps(ens.tasks([(0, 1)])[0]))


def start_clusters(stacks: dict[int, contextlib.ExitStack]) -> tuple[dict[str, float], dict]:
    """Dask's import, then a 1-worker and a 2-worker cluster, each timed until all its
    workers are up; the clients, by number of workers."""
    start = time.perf_counter()
    import distributed  # noqa: F401

    from hyosan.ensemble.cluster import local_cluster

    figures = {"import_distributed_s": time.perf_counter() - start}
    # the second cluster's scheduler finds the first's HTTP port (8787) taken: it says so
    warnings.filterwarnings("ignore", message="Port 8787 is already in use", category=UserWarning)
    clients = {}
    for n, stack in stacks.items():
        start = time.perf_counter()
        client = stack.enter_context(local_cluster(n))
        client.wait_for_workers(n)
        figures[f"startup_{n}_s"] = time.perf_counter() - start
        clients[n] = client
    return figures, clients


def throughput(case: Case, clients: dict[int, Any], repeats: int = 1) -> dict[str, Any]:
    """Runs per second of ``case`` on each path, each leg warmed first: the serial path
    once, then 1 worker and 2 workers side by side ``repeats`` times. Each path's
    figures are its median leg; the ratio is the median of the pairs' ratios (this
    machine's legs vary by 10 to 25% from one to the next)."""
    row: dict[str, Any] = {"case": case.name}
    legs = [("serial", None)]
    legs += [
        (m, clients[n]) for _ in range(repeats) for m, n in (("1 worker", 1), ("2 workers", 2))
    ]
    seen: dict[str, list[tuple[int, float, float]]] = {m: [] for m in MODES}
    for mode, client in legs:
        warm_up(case, client)
        start, cpu = time.perf_counter(), time.process_time()
        runs = case.run(client)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        seen[mode].append((runs, seconds, cpu))  # cpu: this process, all its threads
        print(
            f"  {case.name}, {mode}: {seconds:.2f} s, {runs / seconds:,.1f} runs/s, "
            f"this process's CPU {cpu:.2f} s",
            flush=True,
        )
    for mode, got in seen.items():
        runs = got[0][0]
        seconds = statistics.median(s for _, s, _ in got)
        row[mode] = {
            "runs": runs,
            "seconds": seconds,
            "runs_per_s": runs / seconds,
            "client_cpu_s": statistics.median(c for _, _, c in got),
            "all_seconds": [s for _, s, _ in got],
        }
    pairs = zip(seen["1 worker"], seen["2 workers"], strict=True)
    row["speedups"] = [one[1] / two[1] for one, two in pairs]
    row["speedup_2_over_1"] = statistics.median(row["speedups"])
    row["one_worker_over_serial"] = row["serial"]["seconds"] / row["1 worker"]["seconds"]
    if repeats > 1:
        ratios = ", ".join(f"{v:.2f}" for v in row["speedups"])
        print(f"  2 workers / 1 worker: {row['speedup_2_over_1']:.2f} ({ratios})", flush=True)
    return row


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def cli_checks(seed: int, repeats: int = 3) -> dict[str, Any]:
    """``hyosan run school`` with and without ``--workers 1`` (median of ``repeats``,
    interleaved, after an untimed run), and 32 runs of season2 (a run, a sweep) on 1
    and 2 workers."""
    run = [*hyosan_command(), "run", "school", "--runs", "2000", "--seed", str(seed)]
    _wall(run)
    plain, one = [], []
    for _ in range(repeats):
        plain.append(_wall(run))
        one.append(_wall([*run, "--workers", "1"]))
    vary = [arg for text in GRID for arg in ("--vary", text)]
    sweep = [*hyosan_command(), "sweep", "season2", "--runs", "4", "--seed", str(seed), *vary]
    walls = {n: _wall([*sweep, "--workers", str(n)]) for n in (1, 2)}
    season = [*hyosan_command(), "run", "season2", "--runs", "32", "--seed", str(seed)]
    runs32 = {n: _wall([*season, "--workers", str(n)]) for n in (1, 2)}
    figures = {
        "run_32_workers_1_s": runs32[1],
        "run_32_workers_2_s": runs32[2],
        "run_speedup": runs32[1] / runs32[2],
        "school_2000_s": statistics.median(plain),
        "school_2000_workers_1_s": statistics.median(one),
        "school_all_s": {"plain": plain, "workers_1": one},
        "sweep_32_workers_1_s": walls[1],
        "sweep_32_workers_2_s": walls[2],
    }
    figures["workers_1_over_plain"] = figures["school_2000_workers_1_s"] / figures["school_2000_s"]
    figures["sweep_speedup"] = walls[1] / walls[2]
    return figures


def _chunk_bytes(scenario: Any, runs: int, seed: int, **kw: Any) -> dict[str, Any]:
    """Pickled sizes of the first chunk of ``runs`` runs as 2 workers get it, run here."""
    from hyosan.ensemble.batch import Ensemble
    from hyosan.ensemble.chunks import chunk_bounds
    from hyosan.ensemble.runners import _run_packed

    ens = Ensemble.prepare(scenario, runs=runs, seed=seed, **kw)
    bounds = chunk_bounds(runs, 2)
    task = ens.tasks(bounds[:1])[0]
    paths = _run_packed(task.shared, task.start, task.seeds)
    size = paths.runs
    return {
        "chunks": len(bounds),
        "runs_per_chunk": size,
        "seeds_sent_as": type(task.seeds).__name__,
        "args_bytes": _pickled((task.start, task.seeds)),
        "shared_bytes": _pickled(task.shared),
        "paths_bytes": _pickled(paths),
        "paths_bytes_per_run": _pickled(paths) / size,
        "counts_dtype": str(paths.counts.dtype),
        "counts_float64_bytes_per_run": paths.counts[0].size * 8,
    }


def _pickled(obj: object) -> int:
    return len(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def task_costs(args: argparse.Namespace) -> dict[str, Any]:
    """Bytes per chunk for school and a season2 grid point (and usa's sizes, not run)."""
    import hyosan
    from hyosan.ensemble.batch import Ensemble

    costs = {
        "school": _chunk_bytes(hyosan.load_scenario("school"), args.school_runs, args.seed),
        "season2": _chunk_bytes(hyosan.load_scenario("season2"), args.sweep_runs, args.seed),
    }
    if not args.skip_usa:
        ens = Ensemble.prepare(hyosan.load_scenario("usa"), engine="tau", runs=1, seed=1)
        cells = ens.shared.x0.size * ens.shared.times.size
        usa = {"shared_bytes": _pickled(ens.shared), "counts_float64_bytes_per_run": cells * 8}
        costs["usa"] = usa
    return costs


def scheduler_overhead(client: Any) -> dict[str, float]:
    """A trivial task's round trip (median of 50, after 5 untimed) and a batch of 1000."""
    for _ in range(5):
        client.submit(lambda: 0, pure=False).result()
    trips = []
    for _ in range(50):
        start = time.perf_counter()
        client.submit(lambda: 0, pure=False).result()
        trips.append(time.perf_counter() - start)
    start = time.perf_counter()
    client.gather(client.map(lambda _: 0, range(1000), pure=False))
    per_task = (time.perf_counter() - start) / 1000
    return {"round_trip_ms": statistics.median(trips) * 1e3, "batch_per_task_ms": per_task * 1e3}


def checks(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each figure against its target: ``measure``, ``figure`` (text), ``target``, ``met``
    (None where there is no target)."""
    s, c, t = data["startup"], data["cli"], TARGETS
    rows = [("import distributed", f"{s['import_distributed_s']:.2f} s", "", None)]
    for n in (1, 2):
        v = s[f"startup_{n}_s"]
        rows.append((f"start `local_cluster({n})`", f"{v:.2f} s", "< 3 s", v < t["startup_s"]))
    for row in data["throughput"]:
        v, aimed = row["speedup_2_over_1"], "usa" not in row["case"]
        goal = f">= {t['speedup_2_over_1']}" if aimed else ""
        met = v >= t["speedup_2_over_1"] if aimed else None
        each = ", ".join(f"{r:.2f}" for r in row.get("speedups", [v]))
        figure = f"{v:.2f}" if len(row.get("speedups", [])) < 2 else f"{v:.2f} (median of {each})"
        rows.append((f"{row['case']}: 2 workers / 1 worker", figure, goal, met))
        r1 = row["one_worker_over_serial"]
        rows.append((f"{row['case']}: 1 worker / serial", f"{r1:.2f}", "", None))
    v, w1, w0 = c["workers_1_over_plain"], c["school_2000_workers_1_s"], c["school_2000_s"]
    run = "`hyosan run school --runs 2000`: `--workers 1` / without"
    rows.append((run, f"{v:.3f} ({w1:.2f} s / {w0:.2f} s)", "<= 1.05", v <= t["cli_workers_1"]))
    v, w1, w2 = c["run_speedup"], c["run_32_workers_1_s"], c["run_32_workers_2_s"]
    run = "`hyosan run season2 --runs 32`: `--workers 1` / `--workers 2`"
    rows.append((run, f"{v:.2f} ({w1:.1f} s / {w2:.1f} s)", ">= 1.6", v >= t["cli_sweep"]))
    v, w1, w2 = c["sweep_speedup"], c["sweep_32_workers_1_s"], c["sweep_32_workers_2_s"]
    sweep = "`hyosan sweep season2`, 8 points x 4 runs: `--workers 1` / `--workers 2`"
    rows.append((sweep, f"{v:.2f} ({w1:.1f} s / {w2:.1f} s)", "", None))
    return [dict(zip(("measure", "figure", "target", "met"), r, strict=True)) for r in rows]


def render(data: dict[str, Any]) -> str:
    """The markdown: the figures against their targets, then throughput and per-task costs."""
    m, load = data["machine"], data["load_average"]
    fresh = m.get("fresh_memory_ms_per_mb", float("nan"))
    lines = [
        f"# hyosan over Dask workers{' (--quick)' if data['options']['quick'] else ''}",
        "",
        f"{m['cpu_model']}, {m['cpus']} cores; load average {load['start'][0]:.2f} at the "
        f"start, {load['end'][0]:.2f} at the end; memory new to a process costs "
        f"{fresh:.2f} ms a MB to write.",
        "",
        "| measure | figure | target | met |",
        "| --- | ---: | ---: | --- |",
    ]
    for r in data["checks"]:
        met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
        lines.append(f"| {r['measure']} | {r['figure']} | {r['target']} | {met} |")
    return "\n".join([*lines, "", *_detail(data)]) + "\n"


def _detail(data: dict[str, Any]) -> list[str]:
    lines = ["| runs per second | " + " | ".join(MODES) + " |", "| --- | ---: | ---: | ---: |"]
    for row in data["throughput"]:
        cells = " | ".join(
            f"{row[m]['runs_per_s']:,.1f} ({row[m]['seconds']:.1f} s; client "
            f"{row[m].get('client_cpu_s', float('nan')):.1f} s CPU)"
            for m in MODES
        )
        lines.append(f"| {row['case']} | {cells} |")
    lines += [
        "",
        "| per chunk (2 workers) | chunks | runs | arguments | Shared (once) | Paths back |",
    ]
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, k in data["task_costs"].items():
        if "paths_bytes" in k:
            lines.append(
                f"| {name} | {k['chunks']} | {k['runs_per_chunk']} | {k['args_bytes']:,} B "
                f"({k['seeds_sent_as']}) | {k['shared_bytes']:,} B | {k['paths_bytes']:,} B "
                f"({k['counts_dtype']}; {k['paths_bytes_per_run']:,.0f} B a run) |"
            )
        else:
            lines.append(
                f"| {name} (not run) | | | | {k['shared_bytes']:,} B | "
                f"{k['counts_float64_bytes_per_run']:,} B a run as float64 |"
            )
    o = data["scheduler"]
    lines += [
        "",
        f"Scheduler overhead (2 workers): {o['round_trip_ms']:.2f} ms a trivial round trip "
        f"(median of 50), {o['batch_per_task_ms']:.3f} ms a task in a batch of 1000.",
    ]
    return lines


def only(args: argparse.Namespace, which: int, pairs: int) -> None:
    """One case's runs per second on each path (``cases(args)[which]``), ``pairs`` pairs of
    1- and 2-worker legs; prints, writes nothing."""
    from _machine import fresh_memory_ms_per_mb

    print(f"  new memory: {fresh_memory_ms_per_mb():.2f} ms a MB", flush=True)
    case = cases(args)[which]
    with contextlib.ExitStack() as one, contextlib.ExitStack() as two:
        _, clients = start_clusters({1: one, 2: two})
        row = throughput(case, clients, pairs)
        ratios = ", ".join(f"{v:.2f}" for v in row["speedups"])
        print(f"  2 workers / 1 worker: median {row['speedup_2_over_1']:.2f} ({ratios})")


def main() -> None:
    args = _args()
    if args.school_only or args.sweep_only:
        which, pairs = (0, args.school_only) if args.school_only else (1, args.sweep_only)
        only(args, which, pairs)
        return
    os.environ.setdefault("GIT_OPTIONAL_LOCKS", "0")  # the commit is read, the index left alone
    data: dict[str, Any] = {"options": vars(args), "load_average": {"start": os.getloadavg()}}
    data["machine"] = machine(None)
    stacks = {1: contextlib.ExitStack(), 2: contextlib.ExitStack()}
    try:
        print("starting the clusters", flush=True)
        data["startup"], clients = start_clusters(stacks)
        data["throughput"] = [throughput(c, clients, args.repeats) for c in cases(args)]
        data["scheduler"] = scheduler_overhead(clients[2])
    finally:
        for n, stack in stacks.items():
            start = time.perf_counter()
            stack.close()
            data.setdefault("startup", {})[f"close_{n}_s"] = time.perf_counter() - start
    print("per-task sizes; the command line", flush=True)
    data["task_costs"] = task_costs(args)
    data["cli"] = cli_checks(args.seed)
    data["load_average"]["end"] = os.getloadavg()
    data["checks"] = checks(data)
    text = render(data)
    print(text, end="")
    (HERE / "scaling.md").write_text(text, encoding="utf-8")
    (HERE / "scaling.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
