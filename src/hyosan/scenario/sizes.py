"""How big a study may be: every size checked before anything of that size is allocated.

A scenario names numbers that become memory: the runs (each with its seed
and its output), the output times, the patches of a lattice, and, all of them
multiplied, the counts a result holds. A typo (``runs = 1000000000000``) must
be refused at once, as bad input, not hang or end in a ``MemoryError``.

The limits:

- :data:`MAX_RUNS` runs: each run is simulated one after another (or on a
  worker) and keeps about 1 KiB of its own besides its counts (its seed, its
  job, its events); ten million runs are hours of work at the fastest and
  gigabytes of bookkeeping before the first number is drawn.
- :data:`MAX_POINTS` output times: ``linspace(0, end, points)`` alone is
  80 MB at ten million, and every run keeps its counts at each time.
- :data:`MAX_PATCHES` cells of a ``[world] lattice``, checked before it is
  built: ten million cells take minutes and gigabytes to build (a million,
  about a second); the largest shipped map has about half a million.
- the counts of the result: ``runs x times x patches x compartments`` float64,
  held about twice while the result is assembled, plus 1 KiB a run, within
  :data:`MEMORY_SHARE` of this machine's memory.

:class:`~hyosan.scenario.Scenario` checks the first two on every scenario
(:meth:`~hyosan.scenario.Scenario.check`); :mod:`hyosan.scenario.world`
checks a lattice before building it (:func:`check_lattice`); and
:func:`check_sizes` checks the memory once the runs are known: ``hyosan
validate`` and ``hyosan run`` (after its options) call it, and
:func:`hyosan.simulate` calls it before it spawns a seed.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from hyosan._checks import check_whole
from hyosan.errors import InputError

if TYPE_CHECKING:
    from hyosan.scenario.core import Scenario

__all__ = [
    "MAX_PATCHES",
    "MAX_POINTS",
    "MAX_RUNS",
    "MEMORY_SHARE",
    "MOST_EXACT_PEOPLE",
    "check_lattice",
    "check_memory",
    "check_sizes",
    "memory_needed",
]

MAX_RUNS = 10**7
"""The most runs a scenario (or ``simulate(runs=...)``) may ask for."""
MAX_POINTS = 10**7
"""The most output times (``time.points``)."""
MAX_PATCHES = 10**7
"""The most cells of a ``[world] lattice`` (rows x cols)."""
MEMORY_SHARE = 0.8
"""The share of this machine's memory a result may need."""
MOST_EXACT_PEOPLE = 1e10
"""The most people the exact engine (``ssa``) takes: 30 times Zombietown USA's, whose
runs take hours event by event; beyond it only tau-leaping or the ODE end in time."""
BYTES_PER_RUN = 1024
"""What a run keeps besides its counts: its seed, its job, its events."""


def check_sizes(scenario: Scenario, runs: int | None = None, engine: str | None = None) -> None:
    """Refuse ``runs`` runs of ``scenario`` whose result cannot fit in this machine's memory.

    ``runs`` defaults to the scenario's (one for the ODE, which is
    deterministic), as ``hyosan run`` would do them. Runs that follow
    characters hold a tagged copy of every compartment for each character.

    Raises
    ------
    InputError
        Naming ``runs`` (more than :data:`MAX_RUNS`) or ``time.points`` (a
        result larger than :data:`MEMORY_SHARE` of the memory), placed in the
        scenario's; or ``initial``, more people than the exact engine takes
        (:data:`MOST_EXACT_PEOPLE`) when it is ``engine`` (default the scenario's).
    """
    if runs is None:
        runs = 1 if (engine or scenario.engine) == "ode" else scenario.runs
    patches = scenario.world.world.n_patches if scenario.world is not None else 1
    # hyosan.model.characters.tag_model: the compartments, then a copy per character
    compartments = len(scenario.model.compartments) * (1 + len(scenario.characters))
    check_memory(runs, scenario.time.points, patches, compartments, source=scenario.source)
    people = sum(float(v) for v in scenario.initial.values())
    if (engine or scenario.engine) == "ssa" and people > MOST_EXACT_PEOPLE:
        raise InputError(
            "the exact engine simulates every event: this many people would take days",
            source=scenario.source,
            key="initial",
            value=people,
            allowed=f"a total of at most {MOST_EXACT_PEOPLE:.0e} people for --engine ssa, "
            "or --engine tau or ode",
        )


def memory_needed(runs: int, points: int, patches: int, compartments: int) -> int:
    """Bytes a result of this size needs: counts held twice, and :data:`BYTES_PER_RUN` a run.

    Examples
    --------
    >>> memory_needed(runs=1, points=201, patches=1, compartments=3)
    10672
    """
    return runs * (2 * 8 * points * patches * compartments + BYTES_PER_RUN)


def check_memory(
    runs: int,
    points: int,
    patches: int,
    compartments: int,
    *,
    source: str = "",
) -> None:
    """Refuse more than :data:`MAX_RUNS` runs, or a result larger than the memory allows
    (an error on ``time.points``, the size a user most often has too much of)."""
    check_whole(
        runs,
        key="runs",
        low=1,
        high=MAX_RUNS,
        source=source,
        problem=f"the number of runs is a whole number from 1 to {MAX_RUNS:,}",
    )
    total = physical_memory()
    need = memory_needed(runs, points, patches, compartments)
    if total is None or need <= MEMORY_SHARE * total:
        return
    raise InputError(
        f"the result would need about {need / 2**30:,.1f} GiB of memory ({runs:,} run(s) x "
        f"{points:,} output times x {patches:,} patch(es) x {compartments} compartments x "
        f"16 bytes), more than {MEMORY_SHARE:.0%} of this machine's {total / 2**30:.1f} GiB",
        source=source,
        key="time.points",
        value=points,
        allowed="fewer output times (time.points), fewer runs, or a smaller world "
        '(cell = "10km", a smaller lattice)',
    )


def check_lattice(rows: int, cols: int, *, points: int = 2, compartments: int = 1) -> None:
    """Refuse a lattice of more than :data:`MAX_PATCHES` cells, or one on which a single
    run of ``points`` output times and ``compartments`` cannot fit; before it is built."""
    cells = rows * cols
    if cells > MAX_PATCHES:
        raise InputError(
            f"a lattice of {rows:,} x {cols:,} = {cells:,} cells is more than hyosan builds",
            key="world.lattice",
            value={"rows": rows, "cols": cols},
            allowed=f"rows x cols up to {MAX_PATCHES:,} cells",
        )
    check_memory(1, points, cells, compartments)


def physical_memory() -> int | None:
    """This machine's memory in bytes, or ``None`` where the platform does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None
