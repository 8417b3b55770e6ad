"""The contenders of the benchmark suite: who runs, what is timed, what it needs.

Each contender is a module ``contenders/<module>.py`` with
``run(n: int, seed: int) -> dict``, called once in a fresh process by
``benchmarks/_child.py``; it returns the final counts, the events, and the
seconds of the part it times (``run_s``; ``compile_s`` or ``setup_s`` for what
comes before). This file imports no simulator, so the harness can read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["CONTENDERS", "PEERS", "Contender"]

EDGE_BYTES = 190
"""Bytes per edge of a networkx graph (measured: K_1000 and K_2000)."""
EON_MAX_N = 2000


def _complete_graph_too_big(n: int) -> str | None:
    if n <= EON_MAX_N:
        return None
    edges = n * (n - 1) / 2
    return (
        f"the complete graph K_N has {edges:.1e} edges, about "
        f"{edges * EDGE_BYTES / 1e9:.2g} GB as a networkx graph, and O(N^2) work per run"
    )


@dataclass(frozen=True, slots=True)
class Contender:
    """One simulator (or one way of calling hyosan) in the table.

    ``kind``: "exact", "tau" or "agent". ``warm``: the process warms up and
    repeats the run, so its end-to-end time is not reported. ``cost_power``:
    run time grows like ``N ** cost_power``, used only to estimate a run
    before starting it (and labelled as an estimate where the run is
    skipped). ``too_big``: a reason not to run at ``n``, or None.
    """

    name: str
    module: str
    label: str
    kind: str
    peer: bool = False
    warm: bool = False
    requires: tuple[str, ...] = ()
    cost_power: float = 1.0
    too_big: Callable[[int], str | None] | None = None


_ALL = (
    Contender("hyosan-ssa", "hyosan_ssa", "hyosan.simulate(engine='ssa'), end to end", "exact"),
    Contender(
        "hyosan-ssa-kernel",
        "hyosan_ssa_kernel",
        "hyosan DirectSSA via run_plan on a Plan built once, warm",
        "exact",
        warm=True,
    ),
    Contender("hyosan-cli", "hyosan_cli", "hyosan run scenario.toml --out DIR", "exact"),
    Contender("hyosan-tau", "hyosan_tau", "hyosan.simulate(engine='tau'), end to end", "tau"),
    Contender("ceiling", "ceiling", "hand-written numba SZR loop, warm", "exact", warm=True),
    Contender(
        "gillespy2-cpp",
        "gillespy2_cpp",
        "GillesPy2 SSACSolver (C++)",
        "exact",
        peer=True,
        requires=("gillespy2",),
    ),
    Contender(
        "gillespy2-numpy",
        "gillespy2_numpy",
        "GillesPy2 NumPySSASolver",
        "exact",
        peer=True,
        requires=("gillespy2",),
    ),
    Contender(
        "starsim",
        "starsim_agents",
        "Starsim disease module, dt = 0.5 day",
        "agent",
        peer=True,
        requires=("starsim",),
    ),
    Contender(
        "mesa",
        "mesa_agents",
        "Mesa agents, dt = 0.5 day",
        "agent",
        peer=True,
        requires=("mesa",),
    ),
    Contender(
        "eon",
        "eon_graph",
        "EoN fast_simple_contagion on K_N",
        "exact",
        peer=True,
        requires=("EoN", "networkx"),
        cost_power=2.0,
        too_big=_complete_graph_too_big,
    ),
)

CONTENDERS: dict[str, Contender] = {c.name: c for c in _ALL}
PEERS: tuple[str, ...] = tuple(c.name for c in _ALL if c.peer)
