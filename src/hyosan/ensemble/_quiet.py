"""A Dask worker plugin (imported only with Dask): a worker ignores Ctrl-C.

Ctrl-C at a terminal reaches every process of its group, the workers of a
local cluster too; they ignore it and let hyosan, which stops the cluster,
decide.
"""

from __future__ import annotations

import contextlib
import signal
from typing import Any

from distributed import WorkerPlugin

__all__ = ["QuietInterrupts"]


class QuietInterrupts(WorkerPlugin):
    """Set SIGINT to be ignored in each worker process, when it starts."""

    name = "hyosan-quiet-interrupts"

    def setup(self, worker: Any) -> None:
        with contextlib.suppress(ValueError):  # not in the main thread: leave it
            signal.signal(signal.SIGINT, signal.SIG_IGN)
