"""Whether a run's numba kernel still has to be compiled on this machine.

The first run of a kernel compiles it (seconds to tens of seconds); later
runs load it from numba's on-disk cache. The command line asks
:func:`needs_compiling` before a run so that it can say why the first one is
slow. The exact engine's well-mixed kernel is generated per model structure
(:mod:`hyosan.engines._codegen`), so the answer depends on the model.
"""

from __future__ import annotations

import os
from typing import Any

from hyosan.engines._codegen import generated_kernel
from hyosan.engines._kernels import nsm_steps, space_tau_run, ssa_direct_run, tau_leap_run
from hyosan.engines.base import Engine
from hyosan.model import CompiledModel

__all__ = ["needs_compiling"]

_WELL_MIXED: dict[str, Any] = {"ssa": ssa_direct_run, "tau": tau_leap_run}
_SPACE: dict[str, Any] = {"ssa": nsm_steps, "tau": space_tau_run}


def _kernel(engine: Engine, model: CompiledModel | None, in_space: bool) -> Any:
    if in_space:
        return _SPACE.get(engine.name)
    if engine.name == "ssa" and model is not None:
        return generated_kernel(model) or ssa_direct_run
    return _WELL_MIXED.get(engine.name)


def needs_compiling(
    engine: Engine, model: CompiledModel | None = None, *, in_space: bool = False
) -> bool:
    """True when the kernel ``engine`` runs ``model`` with is neither loaded nor cached.

    Reads numba's cache index path, an internal of numba; if that ever
    changes, the answer is False (no message) rather than an error.
    """
    kernel = _kernel(engine, model, in_space)
    if kernel is None or kernel.signatures:
        return False
    try:
        index = kernel._cache._cache_file._index_path
    except AttributeError:
        return False
    return not os.path.exists(index)
