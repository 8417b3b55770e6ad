"""Which engine runs a scenario: chosen once, from the name given and whether there is a world."""

from __future__ import annotations

import dataclasses

from hyosan.engines.base import Engine
from hyosan.engines.direct import DirectSSA
from hyosan.engines.nsm import NextSubvolume
from hyosan.engines.ode import OdeEngine
from hyosan.engines.spaceode import SpatialODE
from hyosan.engines.spacetau import SpatialTauLeap
from hyosan.engines.tau import TauLeap
from hyosan.errors import unknown

__all__ = ["ENGINES", "get_engine"]

ENGINES: dict[str, tuple[type[Engine], type[Engine]]] = {
    "ode": (OdeEngine, SpatialODE),
    "ssa": (DirectSSA, NextSubvolume),
    "tau": (TauLeap, SpatialTauLeap),
}
"""Each name a user can give: its algorithm well mixed, and in a world."""


def get_engine(name: str | Engine, *, in_space: bool = False) -> Engine:
    """The engine called ``name`` (``"ode"``, ``"ssa"``, ``"tau"``), well mixed or ``in_space``.

    An :class:`Engine` is returned as it is, or, if it is made for the other
    kind of model, as its counterpart with the same settings
    (``TauLeap(eps=0.01)`` in a world runs as ``SpatialTauLeap(eps=0.01)``).

    Examples
    --------
    >>> get_engine("ssa", in_space=True)
    NextSubvolume(budget=100000)
    >>> get_engine(TauLeap(eps=0.01), in_space=True)
    SpatialTauLeap(eps=0.01, n_critical=10, n_ssa=10.0, budget=500000)
    """
    if isinstance(name, Engine):
        if name.in_space == in_space:
            return name
        pair = ENGINES[name.name]
        settings = {f.name: getattr(name, f.name) for f in dataclasses.fields(name)}  # type: ignore[arg-type]
        return pair[in_space](**settings)
    if name not in ENGINES:
        raise unknown("engine", name, ENGINES, key="engine")
    return ENGINES[name][in_space]()
