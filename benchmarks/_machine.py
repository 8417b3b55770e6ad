"""Where and with what the benchmark ran: CPU, memory, load, package versions, commit."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

PACKAGES = (
    "hyosan",
    "numpy",
    "numba",
    "llvmlite",
    "scipy",
    "pandas",
    "xarray",
    "gillespy2",
    "starsim",
    "sciris",
    "mesa",
    "EoN",
    "networkx",
)


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""


def _meminfo(key: str) -> float:
    """A /proc/meminfo entry in GB."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024**2
    return float("nan")


def available_memory_gb() -> float:
    return _meminfo("MemAvailable")


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def versions() -> dict[str, str]:
    """Installed version of each package of the suite ("not installed" where absent)."""
    found = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    found["g++"] = _first_line(["g++", "--version"]) or "not found"
    return found


def fresh_memory_ms_per_mb(megabytes: int = 256) -> float:
    """Milliseconds to write one MB of memory new to this process (numpy's ``ones``).

    Mostly the kernel's page faults; on a virtual machine that hands freed memory
    back to its host, each of them is a fault in the host too, and this figure is
    several times what it is on a machine of its own. A client that builds a
    large result pays it for every MB.
    """
    import numpy as np

    start = time.perf_counter()
    block = np.ones(megabytes * 2**20 // 8)
    seconds = time.perf_counter() - start
    del block
    return seconds * 1e3 / megabytes


def machine(cpu: int | None) -> dict[str, Any]:
    """The machine, the core the runs are pinned to, and hyosan's commit."""
    commit = _first_line(["git", "rev-parse", "--short", "HEAD"])
    dirty = _first_line(["git", "status", "--porcelain", "--", "src"])
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_model": cpu_model(),
        "cpus": os.cpu_count(),
        "pinned_to_cpu": cpu,
        "memory_gb": round(_meminfo("MemTotal"), 1),
        "memory_available_gb": round(available_memory_gb(), 1),
        "os": f"{platform.system()} {platform.release()}",
        "fresh_memory_ms_per_mb": round(fresh_memory_ms_per_mb(), 3),
        "hyosan_commit": commit + (" with uncommitted changes in src/" if dirty else ""),
        "versions": versions(),
    }
