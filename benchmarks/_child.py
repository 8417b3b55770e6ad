"""Run one contender once in this fresh process and write what it measured as JSON.

Usage (by ``run.py``): ``python benchmarks/_child.py CONTENDER N SEED OUT.json``.
The harness pins this process to one core before it starts and times it from
launch to exit; here the contender's module is imported (``import_s``: the
simulator's own imports) and its ``run(n, seed)`` called. A failure is
written as ``{"error": ...}``.
"""

from __future__ import annotations

import importlib
import json
import resource
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from contenders import CONTENDERS


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def main() -> None:
    name, n, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    start = time.perf_counter()
    result: dict[str, Any]
    try:
        module = importlib.import_module(f"contenders.{CONTENDERS[name].module}")
        imported = time.perf_counter()
        result = module.run(n, seed)
        result["import_s"] = imported - start
    except Exception as exc:
        result = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
    result["peak_rss_self_mb"] = _peak_mb(resource.RUSAGE_SELF)
    result["peak_rss_children_mb"] = _peak_mb(resource.RUSAGE_CHILDREN)
    out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
