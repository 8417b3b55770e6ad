"""``hyosan sweep``: an ensemble at every point of a grid over scenario keys.

It prints the table and, with ``--out``, writes ``sweep.csv`` and ``sweep.md``
(:mod:`hyosan.io.sweep`) and ``sweep.png`` (:mod:`hyosan.viz.sweep`).
:mod:`hyosan.cli.main` puts it on the app.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hyosan.cli.distributed import Spread, keeping, open_parts
from hyosan.cli.options import MaxEvents, Resume, Scheduler, Workers, parse_max_events, prepare
from hyosan.cli.progress import LazyProgress
from hyosan.cli.shared import (
    ScenarioArg,
    err,
    guarded,
    out,
    out_path,
    say_compiling,
    writing,
)
from hyosan.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from hyosan.ensemble.sweep import Axis, SweepTable
    from hyosan.io.parts import Parts
    from hyosan.scenario import Scenario

__all__ = ["sweep"]

_VARY_HELP = (
    "KEY=V1,V2,..., e.g. --vary parameters.beta_h=0.005,0.02 --vary world.seed[0].count=1,3"
)

Vary = Annotated[
    list[str] | None,
    typer.Option(
        metavar="KEY=V1,V2,...",
        help="A scenario key (dotted, as in its TOML file) and its values; repeat for a "
        "grid. Default: the axes of the scenario's sweep table.",
    ),
]
Outbreak = Annotated[
    str | None,
    typer.Option(
        metavar="CONDITION",
        help='What counts as an outbreak, e.g. "Z >= 10"; default: the sweep table\'s.',
    ),
]
Outcomes = Annotated[
    list[str] | None,
    typer.Option(
        "--outcome",
        metavar="OUTCOME",
        help='What each point reports, e.g. "P(Dh >= 1)", "final H + Hc", "lost S + A to '
        "interventions[3]\" (a strike's toll); repeat for more. Default: the sweep table's.",
    ),
]
Runs = Annotated[str | None, typer.Option(metavar="N", help="Runs per grid point.")]
Seed = Annotated[str | None, typer.Option(metavar="N", help="Seed of the sweep.")]
Common = Annotated[
    bool | None,
    typer.Option(
        "--common-random-numbers/--independent-points",
        help="Run every grid point from the same seed, so that points differ only where "
        "their keys do; default: the sweep table's common_random_numbers, else independent.",
    ),
]
OutDir = Annotated[
    Path | None,
    typer.Option(
        "--out",
        metavar="DIR",
        parser=out_path,  # refuses --out '' (the current folder, once a Path)
        help="Write sweep.csv, sweep.md and sweep.png into this new folder.",
    ),
]


@guarded
def sweep(
    scenario: ScenarioArg,
    vary: Vary = None,
    outbreak: Outbreak = None,
    outcome: Outcomes = None,
    runs: Runs = None,
    seed: Seed = None,
    common_random_numbers: Common = None,
    out_dir: OutDir = None,
    max_events: MaxEvents = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    resume: Resume = False,
) -> None:
    """Run an ensemble at every point of a grid of scenario keys; print and write its table."""
    from hyosan.ensemble.sweep import sweep as run_sweep
    from hyosan.io.sweep import sweep_markdown

    limit = parse_max_events(max_events)
    spread = Spread.parse(workers, scheduler)
    sc = prepare(scenario, None, seed, runs, None, [])
    table = _table(sc)
    if runs is None and table.runs is not None:
        sc = sc.replace(runs=table.runs)
    axes = tuple(_parse_vary(text) for text in vary or []) or table.axes
    if not axes:
        raise InputError("nothing to vary", source="--vary", allowed=_VARY_HELP)
    with spread.opening() as opening:  # the cluster starts while this goes on
        parts, sc = open_parts(out_dir, "sweep", resume, sc, seed_given=seed is not None)
        with (
            keeping(parts, out_dir),
            LazyProgress(err, total=1.0, label=f"sweep of {sc.name}") as bar,
        ):
            try:
                frame = run_sweep(
                    sc,
                    axes,
                    outbreak=outbreak if outbreak is not None else table.outbreak,
                    outcomes=outcome or table.outcomes,
                    common_random_numbers=(
                        common_random_numbers
                        if common_random_numbers is not None
                        else table.common_random_numbers
                    ),
                    client=opening.client(),
                    progress=bar.runs,
                    compiling=say_compiling,
                    max_events=limit,
                    store=parts,
                )
            except InputError as e:
                raise _on_option(e, vary, outbreak, outcome) from None
        opening.close_soon()  # the workers stop while the table is written
        title = f"sweep of {sc.name}"
        print(sweep_markdown(frame, title=title), end="")
        if out_dir is not None:
            _write(frame, title, out_dir, parts)


def _write(frame: pd.DataFrame, title: str, out_dir: Path, parts: Parts | None) -> None:
    """sweep.png, sweep.csv and sweep.md, all or nothing; then the parts of the sweep go."""
    from hyosan.io.sweep import write_sweep
    from hyosan.viz.sweep import save_sweep_plots

    with writing(out_dir, "the sweep", kept=parts is not None):
        # the picture first: one that cannot be drawn leaves the folder as it was
        save_sweep_plots(frame, out_dir, title=title)
        write_sweep(frame, out_dir, title=title)
    if parts is not None:
        parts.remove()
    out.print(f"wrote [bold]{out_dir}[/]: sweep.csv, sweep.md, sweep.png")


def _table(sc: Scenario) -> SweepTable:
    """The scenario's ``[sweep]`` table, read (empty when it has none)."""
    from hyosan.ensemble.sweep import SweepTable, sweep_from_table

    if sc.sweep is None:
        return SweepTable(())
    try:
        return sweep_from_table(sc.sweep)
    except InputError as e:
        raise e.at(sc.source) from None


def _on_option(
    e: InputError, vary: list[str] | None, outbreak: str | None, outcome: list[str] | None
) -> InputError:
    """An error about an axis, the outbreak or an outcome, placed on the option that gave it."""
    given = {
        "sweep.vary": bool(vary),
        "sweep.outbreak": outbreak is not None,
        "sweep.outcomes": bool(outcome),
    }
    options = (
        ("sweep.vary", "--vary"),
        ("sweep.outbreak", "--outbreak"),
        ("sweep.outcomes", "--outcome"),
    )
    for prefix, option in options:
        if given[prefix] and e.key.startswith(prefix):
            return e.at(option)
    return e


def _parse_vary(text: str) -> Axis:
    """``parameters.beta_h=0.01,0.02``: each value read as a TOML value, else as text."""
    from hyosan.ensemble.sweep import Axis

    key, sep, rest = text.partition("=")
    items = [v.strip() for v in rest.split(",")]
    if not sep or not key.strip() or not all(items):
        raise InputError("cannot read this axis", source="--vary", value=text, allowed=_VARY_HELP)
    return Axis(key.strip(), tuple(_value(v) for v in items))


def _value(text: str) -> Any:
    """``0.01`` and ``3`` are numbers, ``true`` a boolean, ``"ssa"`` or ``ssa`` text."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError):  # not TOML, or nested too deep: text
        pass
    try:
        return float(text)
    except ValueError:
        return text
