"""hyosan-cli: ``hyosan run alemi-bench.toml --seed S --out DIR``, the command line end to end.

The scenario is written to a TOML file first (untimed); then the ``hyosan``
command runs as its own process, and its wall time, from launch to exit, is
this contender's end-to-end time and its run time: interpreter start-up,
imports, reading and checking the TOML, loading the numba cache, the run,
the printed summary and the files of ``--out`` (``totals.parquet``,
``summary.json``, ``scenario.toml``). Final counts come from ``summary.json``.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from cli_start import hyosan_command  # benchmarks/cli_start.py
from contenders._alemi import outcome
from contenders._hyosan import alemi_toml


def run(n: int, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="hyosan-bench-") as tmp:
        scenario = Path(tmp) / "alemi-bench.toml"
        scenario.write_text(alemi_toml(n, "ssa"), encoding="utf-8")
        out = Path(tmp) / "out"
        command = [*hyosan_command(), "run", str(scenario), "--seed", str(seed), "--out", str(out)]
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    final = summary["per_run"][0]["final"]
    return outcome(
        n,
        final["S"],
        final["Z"],
        final["R"],
        run_s=wall,
        e2e_s=wall,
        events_reported=summary["per_run"][0]["events"],
    )
