"""Many runs through a standard executor: serial, local processes, or a Dask cluster."""

from hyosan.ensemble.simulate import simulate

__all__ = ["simulate"]
