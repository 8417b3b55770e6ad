"""Alemi's scenario as a hyosan user writes it, and what its result says."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contenders._alemi import BETA, KAPPA, POINTS, T_END, outcome, zombies_at_start
from hyosan.model import builtin_model
from hyosan.scenario import Scenario, TimeGrid

if TYPE_CHECKING:
    from hyosan.results import Result


def alemi_scenario(n: int, engine: str) -> Scenario:
    """The built-in ``alemi`` model with the benchmark's parameters and ``n`` people."""
    z0 = zombies_at_start(n)
    return Scenario(
        name="alemi-bench",
        model=builtin_model("alemi"),
        parameters={"beta": BETA, "kappa": KAPPA},
        initial={"S": n - z0, "Z": z0, "R": 0},
        time=TimeGrid(end=T_END, points=POINTS, unit="day"),
        engine=engine,
    )


def alemi_toml(n: int, engine: str) -> str:
    """The same scenario as a TOML file for ``hyosan run``."""
    z0 = zombies_at_start(n)
    return (
        'name = "alemi-bench"\nmodel = "alemi"\n'
        f'engine = "{engine}"\nruns = 1\n\n'
        f'[time]\nend = {T_END}\npoints = {POINTS}\nunit = "day"\n\n'
        f"[parameters]\nbeta = {BETA}\nkappa = {KAPPA}\n\n"
        f"[initial]\nS = {n - z0}\nZ = {z0}\nR = 0\n"
    )


def result_outcome(n: int, result: Result, **measured: Any) -> dict[str, Any]:
    """Final counts of the one run in ``result``, checked against the events hyosan counted."""
    s, z, r = result.counts[0, -1]
    out = outcome(n, s, z, r, **measured)
    out["events_reported"] = int(result.events[0])
    return out
