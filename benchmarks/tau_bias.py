"""Bias of tau-leaping against the ODE: mean of 200 SIR runs at N = 1e5, by eps.

Run: ``python benchmarks/tau_bias.py``. Figures in docs/design/tau-leaping.md.
"""

import numpy as np

from hyosan.engines import DirectSSA, OdeEngine, TauLeap, run_path
from hyosan.model import builtin_model
from hyosan.testing import sample_paths

N = 100_000
m = builtin_model("sir")
p = {"beta": 0.3, "gamma": 0.1}
x0 = np.array([N - 1000.0, 1000.0, 0.0])
T = np.linspace(0, 60, 21)
ode, _ = run_path(m, p, x0, T, (), OdeEngine(rtol=1e-10, atol=1e-8), np.random.default_rng(0))
for name, eng in [
    ("ssa", DirectSSA()),
    ("tau.03", TauLeap()),
    ("tau.01", TauLeap(eps=0.01)),
    ("tau.003", TauLeap(eps=0.003)),
]:
    rng = np.random.default_rng(1)
    P = sample_paths(m, p, x0, T, eng, 200, rng)
    d = P.mean(0) - ode
    se = P.std(0, ddof=1) / np.sqrt(200)
    print(
        name,
        "final R diff",
        d[-1, 2].round(1),
        "se",
        se[-1, 2].round(1),
        " I diff at t=21:",
        d[7, 1].round(1),
        se[7, 1].round(1),
        "max z",
        (np.abs(d[1:]) / np.maximum(se[1:], 1e-9)).max().round(1),
    )
