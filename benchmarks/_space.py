"""The suite's outbreaks in space: the census maps at full population, and their targets.

Each case is ``space.py`` (one run of the built-in ``korea`` or ``usa``
scenario, seed 1 or the first after it whose outbreak takes off) in its own
pinned process, killed at the limit. The issue's targets: the continental
US exact in under 3 minutes and with tau-leaping in under 20 s, peak memory
under 4 GiB; South Korea in a tenth of each. The time compared is the run's
own (``run_path``, numba cache warm, as ``space.py`` reports it); the
process's, with start-up, is shown beside it.
"""

from __future__ import annotations

from typing import Any

from _launch import launch, python_script

CASES = ("usa tau", "korea tau", "usa ssa", "korea ssa")
"""``map engine``; the exact cases last, the longest."""

TARGET_S = {"usa ssa": 180.0, "usa tau": 20.0, "korea ssa": 18.0, "korea tau": 2.0}
PEAK_GIB = {"usa": 4.0, "korea": 0.4}
"""Peak memory targets by map: the US's, and a tenth of it for South Korea."""


def run_case(case: str, limit: float, cpu: int | None) -> dict[str, Any]:
    """One case of ``CASES`` in its own process; the row for the report."""
    world, engine = case.split()
    done = launch(python_script("space.py", world, "--engine", engine, "--json"), limit, cpu)
    row: dict[str, Any] = {
        "case": case,
        "status": done.status,
        "limit_s": limit,
        "process_wall_s": done.wall_s,
        "peak_rss_mb": done.peak_rss_mb,
        **{k: v for k, v in done.result.items() if k != "peak_rss_mib"},
    }
    if done.error:
        row["reason"] = done.error
    if done.status == "ok":
        print(
            f"space {case}: {row['wall_s']:.1f} s, {row['events']:,} events, "
            f"{row['events_per_s'] / 1e6:.2f} M/s, {row['peak_rss_mb']:.0f} MB",
            flush=True,
        )
    else:
        print(f"space {case}: {done.status} {done.error}", flush=True)
    return row
