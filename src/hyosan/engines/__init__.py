"""How outbreaks are simulated: an engine per algorithm, one plan per study, one driver.

- engines (one module each): :class:`DirectSSA` (``ssa``, well mixed),
  :class:`NextSubvolume` (``ssa`` in space), :class:`TauLeap` and
  :class:`SpatialTauLeap` (``tau``), :class:`OdeEngine` and
  :class:`SpatialODE` (``ode``); :func:`get_engine` chooses one from the
  name a user gives and whether there is a world (:mod:`.choose`);
- :class:`Plan` (:mod:`.plan`): what every run of a study shares, prepared once;
- :func:`run_plan`, :func:`run_path` (:mod:`.driver`): one run, cut into
  segments at interventions;
- :class:`Stops`, :class:`Output`, :class:`Status`, :class:`Step`: what
  travels between the driver and an engine's stepper.
"""

from __future__ import annotations

from hyosan.engines.base import Engine, Output, Span, Stepper
from hyosan.engines.choose import ENGINES, get_engine
from hyosan.engines.direct import DirectSSA
from hyosan.engines.driver import run_path, run_plan
from hyosan.engines.nsm import NextSubvolume
from hyosan.engines.ode import OdeEngine
from hyosan.engines.plan import Firings, Plan
from hyosan.engines.settings import ExactSettings, LeapSettings, MeanFieldSettings
from hyosan.engines.spaceode import SpatialODE
from hyosan.engines.spacetau import SpatialTauLeap
from hyosan.engines.status import Status, Step
from hyosan.engines.stops import Stops
from hyosan.engines.tau import TauLeap

__all__ = [
    "ENGINES",
    "DirectSSA",
    "Engine",
    "ExactSettings",
    "Firings",
    "LeapSettings",
    "MeanFieldSettings",
    "NextSubvolume",
    "OdeEngine",
    "Output",
    "Plan",
    "Span",
    "SpatialODE",
    "SpatialTauLeap",
    "Status",
    "Step",
    "Stepper",
    "Stops",
    "TauLeap",
    "get_engine",
    "run_path",
    "run_plan",
]
