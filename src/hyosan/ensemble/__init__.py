"""Many runs through a standard executor: serial, local processes, or a Dask cluster.

Sweeps over scenario keys are in :mod:`hyosan.ensemble.sweep`.
"""

from hyosan.ensemble.simulate import simulate

__all__ = ["simulate"]
