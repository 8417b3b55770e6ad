"""Wall time of ``hyosan run munz-basic --engine ssa --seed 1``, warm cache: median of 5.

Run: ``python benchmarks/cli_start.py [--repeats 5] [--json PATH]``. One
untimed run first warms the numba cache (and the operating system's file
cache); then each timed run is the command as a user types it, from launch
to exit, its printed summary sent to /dev/null. The issue's target: under 2
seconds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ARGS = ("run", "munz-basic", "--engine", "ssa", "--seed", "1")


def hyosan_command() -> list[str]:
    """The ``hyosan`` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("hyosan")
    if script.exists():
        return [str(script)]
    found = shutil.which("hyosan")
    return [found] if found else [sys.executable, "-m", "hyosan"]


def time_once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("json", nargs="?", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    command = [*hyosan_command(), *ARGS]
    warm_up = time_once(command)
    times = [time_once(command) for _ in range(args.repeats)]
    figures = {
        "command": "hyosan " + " ".join(ARGS),
        "warm_up_s": warm_up,
        "times_s": times,
        "median_s": statistics.median(times),
    }
    print(
        f"{figures['command']}: median {figures['median_s']:.2f} s of {args.repeats} "
        f"(min {min(times):.2f}, max {max(times):.2f}; warm-up {warm_up:.2f} s)"
    )
    if args.json:
        args.json.write_text(json.dumps(figures), encoding="utf-8")


if __name__ == "__main__":
    main()
