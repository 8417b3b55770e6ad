"""gillespy2-cpp: GillesPy2's C++ SSA solver (``SSACSolver``), compile step apart.

``SSACSolver(model=...)`` generates C++ for the model and compiles it with
g++ (GillesPy2's object cache of its own sources is warmed by the suite
first, as hyosan's numba cache is); that is ``compile_s``. Timed ("run"):
``model.run(solver=..., seed=...)``, which starts the compiled program and
reads its output. The end-to-end time includes both.
"""

from __future__ import annotations

import time
from typing import Any

from gillespy2 import SSACSolver

from contenders._alemi import outcome
from contenders._gillespy2 import alemi_model, final_counts


def run(n: int, seed: int) -> dict[str, Any]:
    start = time.perf_counter()
    model = alemi_model(n)
    solver = SSACSolver(model=model)
    compiled = time.perf_counter()
    results = model.run(solver=solver, seed=seed)
    done = time.perf_counter()
    return outcome(n, *final_counts(results), compile_s=compiled - start, run_s=done - compiled)
