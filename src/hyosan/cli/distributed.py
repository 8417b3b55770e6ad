"""What ``run`` and ``sweep`` share to go wide and to go on: ``--workers``,
``--scheduler`` and ``--resume``.

``--workers 1`` (the default) runs in this process with no Dask at all;
``--workers N`` starts a local cluster for the command and stops it after;
``--scheduler ADDRESS`` sends the runs to a running one. With ``--out``, what
finishes is kept in the folder as it finishes (:mod:`hyosan.io.parts`), so a
run stopped by Ctrl-C, ``kill -9`` or a lost machine goes on with ``--resume``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hyosan.cli.shared import check_out
from hyosan.errors import InputError, WorkersLost

if TYPE_CHECKING:
    from hyosan.ensemble.cluster import Opening
    from hyosan.io.parts import Parts
    from hyosan.scenario import Scenario

__all__ = ["Spread", "keeping", "open_parts"]


@dataclass(frozen=True, slots=True)
class Spread:
    """Where the runs go: ``workers`` local processes, or the cluster at ``address``."""

    workers: int = 1
    address: str | None = None

    @classmethod
    def parse(cls, workers: str | None, scheduler: str | None) -> Spread:
        from hyosan.ensemble.cluster import parse_scheduler, parse_workers

        n = parse_workers(workers)
        if scheduler is None:
            return cls(n)
        address = parse_scheduler(scheduler)
        if workers is not None:
            raise InputError(
                "--workers starts a cluster of its own; --scheduler uses a running one",
                source="--workers",
                value=workers,
                allowed="--workers N or --scheduler ADDRESS, not both",
            )
        return cls(1, address)

    def opening(self) -> Opening:
        """The command's Dask client, opened in a thread from now on (see
        :class:`~hyosan.ensemble.cluster.Opening`); ``None`` for this process alone."""
        from hyosan.ensemble.cluster import Opening

        if self.address is not None:
            from hyosan.ensemble.cluster import connect

            address = self.address
            return Opening(lambda: connect(address), deaf=False)
        if self.workers > 1:
            from hyosan.ensemble.cluster import local_cluster

            workers = self.workers
            return Opening(lambda: local_cluster(workers), deaf=True)
        return Opening(lambda: contextlib.nullcontext(None), deaf=False)


def open_parts(
    out_dir: Path | None, kind: str, resume: bool, scenario: Scenario, seed_given: bool
) -> tuple[Parts | None, Scenario]:
    """The parts folder of ``--out`` (None without it), checked against ``--resume``,
    and the scenario to run: a ``--resume`` without ``--seed`` goes on with the seed
    the stopped run drew. ``--out`` itself is checked first (a sweep's must be empty
    unless it is resumed)."""
    if out_dir is None:
        if resume:
            raise InputError(
                "--resume goes on with the parts kept in an out folder",
                source="--resume",
                allowed=f"--out DIR, the folder of the stopped {kind}",
            )
        return None, scenario
    from hyosan.io.parts import Parts

    check_out(out_dir)
    parts = Parts.open(out_dir, kind, resume=resume, command=kind)
    if kind == "sweep" and parts.stored is None:
        check_out(out_dir, empty=True)
    if parts.stored is not None and not seed_given and scenario.seed is None:
        scenario = scenario.replace(seed=parts.stored_seed())
    return parts, scenario


@contextlib.contextmanager
def keeping(parts: Parts | None, out_dir: Path | None) -> Iterator[None]:
    """What becomes of the parts when a run stops early.

    Interrupted, or given up by the cluster (:class:`WorkersLost`), with parts
    finished, they stay and the one line says how to go on; with none finished, or
    ended by bad input (a runaway, which would come again),
    the parts this command began go, and so does the out folder if it made it. The
    parts of a run being resumed always stay (a ``--resume`` refused loses nothing).
    """
    made = out_dir is not None and not out_dir.exists()
    fresh = parts is not None and parts.stored is None  # not a --resume: its parts stay
    try:
        yield
    except (KeyboardInterrupt, InputError, WorkersLost) as stop:
        if parts is None or out_dir is None:
            raise
        if isinstance(stop, KeyboardInterrupt | WorkersLost) and parts.finished():
            stop.hint = (  # type: ignore[union-attr]
                f"{parts.finished()} finished part(s) are kept in {out_dir}: "
                "the same command with --resume runs only what is missing"
            )
            raise
        if not fresh:
            raise
        parts.remove()
        if made:
            with contextlib.suppress(OSError):
                out_dir.rmdir()  # only if empty
        raise
