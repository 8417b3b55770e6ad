"""Dask clusters for the command line: a local one hyosan starts and stops
(``--workers N``), or an existing one reached by its scheduler's address
(``--scheduler tcp://HOST:PORT``).

From Python, pass your own :class:`dask.distributed.Client` to
:func:`~hyosan.simulate` or :func:`~hyosan.ensemble.sweep`; this module is what the
command line does with its options. Dask is imported only here, and only when
one of them asks for more than this process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
from collections.abc import Iterator
from typing import Any

from hyosan.errors import InputError

__all__ = ["CONNECT_TIMEOUT", "connect", "local_cluster", "parse_scheduler", "parse_workers"]

CONNECT_TIMEOUT = 10.0
"""Seconds to reach a scheduler before giving up (exit 2 naming the address)."""

_WORKERS = "a whole number >= 1, or auto (one per core)"
_ADDRESS = "tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786 (as `dask scheduler` prints it)"


def parse_workers(text: str | int | None, *, source: str = "--workers") -> int:
    """``--workers 4`` or ``auto`` (this machine's cores): a number of worker processes."""
    if text is None:
        return 1
    if isinstance(text, str) and text.strip().lower() == "auto":
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    try:
        value = int(str(text).strip())
    except ValueError:
        raise InputError(
            "not a whole number", source=source, value=text, allowed=_WORKERS
        ) from None
    if value < 1:
        raise InputError(
            "at least one worker is needed", source=source, value=value, allowed=_WORKERS
        )
    if value > 1024:
        raise InputError(
            "too many local workers", source=source, value=value, allowed="at most 1024"
        )
    return value


def parse_scheduler(text: str, *, source: str = "--scheduler") -> str:
    """A scheduler's address as ``dask scheduler`` prints it: ``tcp://HOST:PORT`` (or
    ``tls://``, ``ws://``, ``wss://``; ``HOST:PORT`` means tcp)."""
    address = text.strip()
    if "://" not in address:
        address = f"tcp://{address}"
    found = re.fullmatch(
        r"(tcp|tls|ws|wss)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):([0-9]{1,5})", address
    )
    if not found or not 0 < int(found[3]) < 65536:
        raise InputError("not a scheduler address", source=source, value=text, allowed=_ADDRESS)
    return address


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """A client of a new local cluster of ``workers`` single-threaded worker processes,
    closed (its workers stopped) on the way out, whatever happens."""
    from dask.distributed import Client, LocalCluster

    from hyosan.ensemble._quiet import QuietInterrupts

    _quiet_logs()
    # the workers' own log lines too (a task cancelled as the cluster stops, a lost
    # heartbeat): a new worker process reads Dask's settings from the environment
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "critical")
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # the workers start ignoring it
    try:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port, never a clash with a running cluster
            memory_limit=0,  # hyosan checks sizes itself; no pausing or killing on memory
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        client = Client(cluster)
        client.register_plugin(QuietInterrupts())
        yield client
    finally:
        with contextlib.suppress(Exception):
            client.close()
        with contextlib.suppress(Exception):
            cluster.close()


@contextlib.contextmanager
def connect(address: str, *, source: str = "--scheduler") -> Iterator[Any]:
    """A client of the running scheduler at ``address``; exit 2 naming it when it cannot
    be reached within :data:`CONNECT_TIMEOUT` seconds."""
    from dask.distributed import Client

    _quiet_logs()
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as e:
        raise InputError(
            f"cannot reach a Dask scheduler there within {CONNECT_TIMEOUT:g} s ({_why(e)})",
            source=source,
            value=address,
            allowed="the address of a running `dask scheduler` (with `dask worker ADDRESS`)",
        ) from None
    try:
        yield client
    finally:
        with contextlib.suppress(Exception):
            client.close()


def _why(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:200]


def _quiet_logs() -> None:
    """Dask's own log lines (a worker restarted, a connection closed, results not
    gathered as the cluster stops) stay out of the command's output, which is
    hyosan's; what fails a run still reaches it, as an exception."""
    for name in ("distributed", "distributed.worker", "distributed.nanny", "distributed.scheduler"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
