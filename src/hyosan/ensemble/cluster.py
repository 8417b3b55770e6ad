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
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from hyosan.errors import InputError

__all__ = [
    "CONNECT_TIMEOUT",
    "Opening",
    "connect",
    "local_cluster",
    "parse_scheduler",
    "parse_workers",
]

CONNECT_TIMEOUT = 10.0
"""Seconds to reach a scheduler before giving up (exit 2 naming the address)."""

_MALLOC_TRIM = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"
"""Dask's setting of glibc's trim threshold in new workers (None: left unset)."""

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
    import dask
    from dask.distributed import Client, LocalCluster

    from hyosan.ensemble._quiet import QuietInterrupts

    _quiet_logs()
    # the workers' own log lines too (a task cancelled as the cluster stops, a lost
    # heartbeat): a new worker process reads Dask's settings from the environment
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "critical")
    # Dask starts its workers with MALLOC_TRIM_THRESHOLD_=65536: glibc then hands freed
    # memory back at once and never raises its mmap threshold, so each chunk's count
    # arrays land in memory new to the worker, written page fault by page fault (a third
    # of a school chunk's time on a virtual machine whose host backs each new page).
    # hyosan's workers allocate the same few arrays chunk after chunk: glibc's own
    # settings keep them. A value set in this process's environment still wins.
    with _deaf_while_spawning(), dask.config.set({_MALLOC_TRIM: None}):
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port, never a clash with a running cluster
            memory_limit=0,  # hyosan checks sizes itself; no pausing or killing on memory
        )
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


class Opening:
    """A client opened in a thread while the command goes on preparing its runs.

    A local cluster takes a second or two to start (its worker processes import
    Python, numpy and Dask); the command reads the out folder and imports what it
    writes with meanwhile. ``opener`` is :func:`local_cluster` or :func:`connect`
    with its arguments; :meth:`client` waits for it (and raises what it raised),
    :meth:`close_soon` closes it in the thread while the command writes its files,
    and leaving the ``with`` block closes it in any case.

    Ctrl-C is ignored from the start until :meth:`client` returns (or the block is
    left): the workers spawned meanwhile ignore it for good, as they must (hyosan
    stops them), and only the main thread may set what a signal does.
    """

    def __init__(self, opener: Callable[[], AbstractContextManager[Any]], *, deaf: bool) -> None:
        self._opener = opener
        self._deaf = deaf
        self._stack = contextlib.ExitStack()
        self._got: list[Any] = []
        self._error: list[BaseException] = []
        self._thread = threading.Thread(target=self._open, name="hyosan-cluster", daemon=True)
        self._closer: threading.Thread | None = None
        self._previous: Any = None

    def __enter__(self) -> Opening:
        if self._deaf:
            self._previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        self._thread.start()
        return self

    def _open(self) -> None:
        try:
            self._got.append(self._stack.enter_context(self._opener()))
        except BaseException as e:
            self._error.append(e)

    def _hear_again(self) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    def client(self) -> Any:
        """The client, once open (the error that stopped it, raised here)."""
        self._thread.join()
        self._hear_again()
        if self._error:
            raise self._error[0]
        return self._got[0]

    def close_soon(self) -> None:
        """Begin closing (the workers stop) while this thread goes on."""
        if self._closer is None:
            self._thread.join()
            self._closer = threading.Thread(target=self._close, name="hyosan-cluster-close")
            self._closer.start()

    def _close(self) -> None:
        with contextlib.suppress(Exception):
            self._stack.close()

    def __exit__(self, *exc: object) -> None:
        self._thread.join()
        self._hear_again()
        self.close_soon()
        assert self._closer is not None
        self._closer.join()


@contextlib.contextmanager
def _deaf_while_spawning() -> Iterator[None]:
    """Ctrl-C ignored while worker processes are spawned, so that they ignore it too
    (a signal's disposition is inherited; a Python handler is not). Outside the main
    thread, :class:`Opening` has done it already."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _why(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:200]


def _quiet_logs() -> None:
    """Dask's own log lines (a worker restarted, a connection closed, results not
    gathered as the cluster stops) stay out of the command's output, which is
    hyosan's; what fails a run still reaches it, as an exception."""
    for name in ("distributed", "distributed.worker", "distributed.nanny", "distributed.scheduler"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
