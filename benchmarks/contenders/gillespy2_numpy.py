"""gillespy2-numpy: GillesPy2's pure-Python direct method (``NumPySSASolver``).

Timed ("run"): ``model.run(solver=..., seed=...)``; building the model is
``setup_s``.
"""

from __future__ import annotations

import time
from typing import Any

from gillespy2 import NumPySSASolver

from contenders._alemi import outcome
from contenders._gillespy2 import alemi_model, final_counts


def run(n: int, seed: int) -> dict[str, Any]:
    start = time.perf_counter()
    model = alemi_model(n)
    solver = NumPySSASolver(model=model)
    built = time.perf_counter()
    results = model.run(solver=solver, seed=seed)
    done = time.perf_counter()
    return outcome(n, *final_counts(results), setup_s=built - start, run_s=done - built)
