"""eon: EoN's event-driven simple contagion (``fast_simple_contagion``) on the complete graph.

EoN simulates on a networkx graph, so well mixed means the complete graph
K_N: a bite is the induced transition ``(Z, S) -> (Z, Z)`` and a kill
``(S, Z) -> (S, R)``, each at ``rate / N`` per edge, which sums to exactly
``beta S Z / N`` and ``kappa S Z / N`` over the S-Z edges (an exact
simulation of the same model). The cost: K_N has N(N-1)/2 edges, about
190 bytes each in networkx (5e7 edges, some 9.5 GB, at N = 1e4), and every
bite schedules a clock on each of the new zombie's human neighbours, O(N^2)
work per run. EoN's ``Gillespie_simple_contagion`` can express the same
model but was 10 times slower than ``fast_simple_contagion`` at N = 1e3
(about 120 s per run on this machine), as EoN's own docstring warns.

Timed ("run"): the simulation; building K_N is ``setup_s``.
"""

from __future__ import annotations

import time
from typing import Any

import EoN
import networkx as nx
import numpy as np

from contenders._alemi import BETA, KAPPA, T_END, outcome, zombies_at_start


def run(n: int, seed: int) -> dict[str, Any]:
    start = time.perf_counter()
    graph = nx.complete_graph(n)
    spontaneous = nx.DiGraph()
    induced = nx.DiGraph()
    induced.add_edge(("Z", "S"), ("Z", "Z"), rate=BETA / n)
    induced.add_edge(("S", "Z"), ("S", "R"), rate=KAPPA / n)
    z0 = zombies_at_start(n)
    initial = {i: ("Z" if i < z0 else "S") for i in range(n)}
    ready = time.perf_counter()
    times, s, z, r = EoN.fast_simple_contagion(
        graph,
        spontaneous,
        induced,
        initial,
        return_statuses=("S", "Z", "R"),
        tmax=T_END,
        rng=np.random.default_rng(seed),
    )
    done = time.perf_counter()
    return outcome(
        n,
        s[-1],
        z[-1],
        r[-1],
        events_reported=len(times) - 1,
        setup_s=ready - start,
        run_s=done - ready,
    )
