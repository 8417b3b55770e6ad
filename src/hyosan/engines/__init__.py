"""How outbreaks are simulated: ODE, exact SSA and tau-leaping, behind one driver."""

from __future__ import annotations

from hyosan.engines.base import Conditions, Engine, Step
from hyosan.engines.driver import run_path
from hyosan.engines.ode import OdeEngine
from hyosan.engines.ssa import DirectSSA
from hyosan.engines.tau import TauLeap
from hyosan.errors import InputError

__all__ = [
    "ENGINE_TYPES",
    "Conditions",
    "DirectSSA",
    "Engine",
    "OdeEngine",
    "Step",
    "TauLeap",
    "get_engine",
    "run_path",
]

ENGINE_TYPES: dict[str, type[Engine]] = {"ode": OdeEngine, "ssa": DirectSSA, "tau": TauLeap}


def get_engine(name: str | Engine) -> Engine:
    """The engine called ``name`` (``"ode"``, ``"ssa"``, ``"tau"``) with default settings."""
    if isinstance(name, Engine):
        return name
    try:
        return ENGINE_TYPES[name]()
    except KeyError:
        raise InputError(
            "unknown engine", key="engine", value=name, allowed=", ".join(ENGINE_TYPES)
        ) from None
