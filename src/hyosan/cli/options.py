"""The options that change a scenario before it runs: ``--engine``, ``--seed``, ``--runs``,
``--t-end`` and ``--set``, read from their text so that a bad value gets the same
one-line message as any other bad input.

``--t-end`` earlier than some of the scenario's intervention times runs the
first part of the story: those times are left out, and a note for ``notes``
says which (the command prints it once the run is done, so that an error
stays one line). A scenario file whose own ``time.end`` comes before an
intervention is refused instead: there it is a mistake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from hyosan._checks import check_number
from hyosan.errors import InputError, unknown

if TYPE_CHECKING:
    from hyosan.scenario import Scenario

__all__ = ["MaxEvents", "parse_max_events", "prepare"]


_SEED = ("a seed is a whole number from 0 to 2**63 - 1", "an integer from 0 to 9223372036854775807")


def prepare(
    source: str,
    engine: str | None,
    seed_text: str | None,
    runs_text: str | None,
    t_end_text: str | None,
    sets: list[str],
    notes: list[str] | None = None,
) -> Scenario:
    """The scenario ``source`` (a file or a built-in name) with the options applied.

    Each option is read and checked before the scenario changes; an error that
    only the changed scenario shows is placed on "SOURCE with the options given".
    The sizes of the run (:func:`~hyosan.scenario.sizes.check_sizes`) are
    checked last, on the scenario that runs, as ``hyosan validate`` checks
    the scenario alone.
    """
    from hyosan.scenario import ENGINES, load_scenario, set_names
    from hyosan.scenario.sizes import check_sizes

    sc = load_scenario(source)
    if engine is not None and engine not in ENGINES:
        raise unknown("engine", engine, ENGINES, source="--engine")
    runs = _parse_int(runs_text, "--runs", "at least one run", "an integer >= 1", low=1)
    seed = _parse_int(seed_text, "--seed", *_SEED, low=0, high=2**63 - 1)
    t_end = _parse_end(t_end_text)
    overrides = dict(_parse_set(s) for s in sets)
    if overrides:
        # --set S=0.5 is fine with --engine ode even when the scenario asks for
        # ssa (whose counts are whole): check the overrides with the engine that runs.
        base = sc.replace(engine="ode") if engine == "ode" else sc
        sc = set_names(base, overrides)
    given = (("engine", engine), ("seed", seed), ("runs", runs))
    changes: dict[str, object] = {key: value for key, value in given if value is not None}
    if t_end is not None:
        changes["time"] = type(sc.time)(end=t_end, points=sc.time.points, unit=sc.time.unit)
        from hyosan.interventions import until

        kept, left_out = until(sc.interventions, t_end)
        if left_out:
            changes["interventions"] = kept
            note = f"--t-end {t_end:g}: left out what comes later: {', '.join(left_out)}"
            if notes is not None:
                notes.append(note)
    try:
        sc = sc.replace(**changes) if changes else sc
        check_sizes(sc)
    except InputError as e:
        raise (e.at(f"{source} with the options given") if changes else e) from None
    return sc


MaxEvents = Annotated[
    str | None,
    typer.Option(
        metavar="N",
        help="Events one run may take before it is stopped as a runaway (exit 2, naming "
        "the fastest reaction); default 1000 per person, at least 1e8.",
    ),
]


def parse_max_events(text: str | None) -> int | None:
    """``--max-events 1e9``: the events one run may take, or None (the default budget)."""
    if text is None:
        return None
    allowed = "a whole number >= 1, e.g. 1000000000 or 1e9"
    try:
        value = float(text)
    except ValueError:
        problem = "not a number"
        raise InputError(problem, source="--max-events", value=text, allowed=allowed) from None
    if not (1 <= value <= 2**62) or value != int(value):
        raise InputError(
            "an event budget is a whole number from 1 to 2**62",
            source="--max-events",
            value=text,
            allowed=allowed,
        )
    return int(value)


def parse_count(text: str | None, option: str, *, least: int, most: int) -> int | None:
    """``--generations 8``: a whole number from ``least`` to ``most``, or None when absent."""
    allowed = f"a whole number from {least:,} to {most:,}"
    return _parse_int(text, option, "out of range", allowed, low=least, high=most)


def _parse_int(
    text: str | None, option: str, problem: str, allowed: str, *, low: int, high: int | None = None
) -> int | None:
    """``--runs 3``: a whole number from ``low`` to ``high``, or None when the option is absent."""
    if text is None:
        return None
    try:
        value = int(text.strip())
    except ValueError:
        raise InputError("not a whole number", source=option, value=text, allowed=allowed) from None
    if value < low or (high is not None and value > high):
        raise InputError(problem, source=option, value=value, allowed=allowed)
    return value


def _parse_end(text: str | None) -> float | None:
    """``--t-end 5``: a number > 0, or None when the option is absent."""
    if text is None:
        return None
    try:
        t_end = float(text)
    except ValueError:
        raise InputError(
            "not a number", source="--t-end", value=text, allowed="a number > 0, e.g. 10 or 2.5"
        ) from None
    problem = "the end time must be positive"
    return check_number(t_end, key="", source="--t-end", low=0, low_open=True, problem=problem)


def _parse_set(text: str) -> tuple[str, float]:
    """``--set beta=2.5``: a name and a number (checked by the scenario)."""
    name, sep, value = text.partition("=")
    try:
        if not sep or not name.strip():
            raise ValueError
        return name.strip(), float(value)
    except ValueError:
        raise InputError(
            "cannot read this override",
            source="--set",
            value=text,
            allowed="NAME=NUMBER, e.g. --set beta=2.5 or --set Z=10",
        ) from None


Workers = Annotated[
    str | None,
    typer.Option(
        metavar="N",
        help="Run on a local Dask cluster of N worker processes (auto: one per core); "
        "default 1: this process, no cluster.",
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        metavar="ADDRESS",
        help="Run on an existing Dask cluster: its scheduler's address, e.g. "
        "tcp://127.0.0.1:8786 (`dask scheduler`, then `dask worker ADDRESS` on each machine).",
    ),
]
Resume = Annotated[
    bool,
    typer.Option(
        "--resume",
        help="Finish the stopped run or sweep whose parts are in --out: only what is missing runs.",
    ),
]
