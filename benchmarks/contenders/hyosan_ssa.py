"""hyosan-ssa: ``hyosan.simulate(scenario, engine="ssa")`` end to end, as a user calls it.

Timed ("run"): building the scenario and one ``simulate`` call, which
compiles the model, loads the numba kernel from its on-disk cache (the suite
warms the cache first) and builds the ``Result``. The harness's
end-to-end time adds the interpreter's start-up and the imports.
"""

from __future__ import annotations

import time
from typing import Any

from contenders._hyosan import alemi_scenario, result_outcome
from hyosan.ensemble import simulate

ENGINE = "ssa"


def run(n: int, seed: int) -> dict[str, Any]:
    start = time.perf_counter()
    result = simulate(alemi_scenario(n, ENGINE), seed=seed, runs=1)
    return result_outcome(n, result, run_s=time.perf_counter() - start)
