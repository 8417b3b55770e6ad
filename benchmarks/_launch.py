"""Start one measured process: pinned to one core, timed from launch to exit, killed at a limit.

The peak memory is the ``ru_maxrss`` that ``os.wait4`` reports for the
process, which on Linux is the largest resident set of the process and of
every descendant it waited for (the ``hyosan`` command of hyosan-cli, the
compiled program of GillesPy2's C++ solver): the peak of the largest
process, not a sum.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

ONE_THREAD = {
    name: "1"
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "NUMBA_NUM_THREADS",
    )
}
"""Libraries that could start threads get one, as the process gets one core."""


@dataclass(frozen=True, slots=True)
class Launch:
    """What the harness saw of one process: ``status`` is ok, over limit or failed."""

    status: str
    wall_s: float
    peak_rss_mb: float
    result: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def launch(argv: list[str], limit_s: float, cpu: int | None) -> Launch:
    """Run ``argv`` (its last argument is replaced by a JSON path it must write) and measure it."""
    with tempfile.TemporaryDirectory(prefix="hyosan-bench-") as tmp:
        out, log = Path(tmp) / "result.json", Path(tmp) / "log.txt"
        env = {**os.environ, **ONE_THREAD, "MPLBACKEND": "Agg"}
        pin = None if cpu is None else (lambda: os.sched_setaffinity(0, {cpu}))
        waited: dict[str, Any] = {}
        with open(log, "wb") as sink:
            start = time.perf_counter()
            proc = subprocess.Popen(
                [*argv, str(out)],
                cwd=HERE,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=pin,
            )

            def wait() -> None:
                _pid, status, usage = os.wait4(proc.pid, 0)
                waited.update(end=time.perf_counter(), status=status, usage=usage)

            waiter = threading.Thread(target=wait, daemon=True)
            waiter.start()
            waiter.join(limit_s)
            over = waiter.is_alive()
            if over:
                os.killpg(proc.pid, signal.SIGKILL)  # the process group this launch started
                waiter.join()
        proc.returncode = os.waitstatus_to_exitcode(waited["status"])
        wall = waited["end"] - start
        peak = waited["usage"].ru_maxrss / 1024
        if over:
            return Launch("over limit", wall, peak)
        result = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
        if proc.returncode != 0 or "error" in result or not result:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
            message = result.get("error") or " / ".join(tail) or f"exit {proc.returncode}"
            return Launch("failed", wall, peak, result, message)
        return Launch("ok", wall, peak, result)


def python_script(script: str, *args: object) -> list[str]:
    """``argv`` for a script in ``benchmarks/``, under this interpreter, output path to come."""
    return [sys.executable, str(HERE / script), *map(str, args)]
