"""Many runs through a standard executor: serial, local processes, or a Dask cluster; sweeps."""

from hyosan.ensemble.simulate import simulate
from hyosan.ensemble.sweep import Axis, sweep

__all__ = ["Axis", "simulate", "sweep"]
