"""Whether an engine's numba kernel still has to be compiled on this machine.

The first run of a kernel compiles it (tens of seconds); later runs load it
from numba's on-disk cache. The command line asks :func:`needs_compiling`
before a run so that it can say why the first one is slow.
"""

from __future__ import annotations

import os
from typing import Any

from hyosan.engines._kernels import ssa_direct_run, tau_leap_run
from hyosan.engines.base import Engine

__all__ = ["needs_compiling"]

_KERNELS: dict[str, Any] = {"ssa": ssa_direct_run, "tau": tau_leap_run}


def needs_compiling(engine: Engine) -> bool:
    """True when ``engine``'s kernel is neither loaded nor in numba's cache.

    Reads numba's cache index path, an internal of numba; if that ever
    changes, the answer is False (no message) rather than an error.
    """
    kernel = _KERNELS.get(engine.name)
    if kernel is None or kernel.signatures:
        return False
    try:
        index = kernel._cache._cache_file._index_path
    except AttributeError:
        return False
    return not os.path.exists(index)
