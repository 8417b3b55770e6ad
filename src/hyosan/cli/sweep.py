"""``hyosan sweep``: an ensemble at every point of a grid over scenario keys.

Importing this module registers the command on :data:`hyosan.cli.commands.app`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hyosan.cli.commands import (
    ScenarioArg,
    _check_out,
    _prepare,
    _say_if_compiling,
    app,
    out,
    writing,
)
from hyosan.cli.commands import err as err_console
from hyosan.cli.main import guarded
from hyosan.cli.progress import LazyProgress
from hyosan.errors import InputError

if TYPE_CHECKING:
    from hyosan.ensemble.sweep import Axis

__all__ = ["sweep"]

_VARY_HELP = (
    "KEY=V1,V2,..., e.g. --vary parameters.beta_h=0.005,0.02 --vary world.seed[0].count=1,3"
)


@app.command("sweep")
@guarded
def sweep(
    scenario: ScenarioArg,
    vary: Annotated[
        list[str] | None,
        typer.Option(
            metavar="KEY=V1,V2,...",
            help="A scenario key (dotted, as in its TOML file) and its values; repeat for a "
            "grid. Default: the axes of the scenario's sweep table.",
        ),
    ] = None,
    outbreak: Annotated[
        str | None,
        typer.Option(
            metavar="CONDITION",
            help='What counts as an outbreak, e.g. "Z >= 10"; default: the sweep table\'s.',
        ),
    ] = None,
    runs: Annotated[str | None, typer.Option(metavar="N", help="Runs per grid point.")] = None,
    seed: Annotated[str | None, typer.Option(metavar="N", help="Seed of the sweep.")] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Write sweep.csv, sweep.md and sweep.png into this new folder."),
    ] = None,
) -> None:
    """Run an ensemble at every point of a grid of scenario keys; print and write its table."""
    from hyosan.ensemble.sweep import sweep as run_sweep
    from hyosan.ensemble.sweep import sweep_from_table
    from hyosan.io.sweep import sweep_markdown, write_sweep

    sc = _prepare(scenario, None, seed, runs, None, [])
    if runs is None and sc.sweep is not None and isinstance(sc.sweep.get("runs"), int):
        sc = sc.replace(runs=sc.sweep["runs"])  # [sweep] runs, checked below
    axes: tuple[Axis, ...] = tuple(_parse_vary(text) for text in vary or [])
    table_outbreak = None
    if sc.sweep is not None:
        try:
            table_axes, table_outbreak = sweep_from_table(sc.sweep)
        except InputError as e:
            raise e.at(sc.source) from None
        axes = axes or table_axes
    if not axes:
        raise InputError("nothing to vary", source="--vary", allowed=_VARY_HELP)
    if out_dir is not None:
        _check_out(out_dir)
        if out_dir.is_dir() and any(out_dir.iterdir()):
            raise InputError(
                "this folder is not empty",
                source="--out",
                value=str(out_dir),
                allowed="a new or empty folder (a sweep never writes over files)",
            )
    _say_if_compiling(sc)
    with LazyProgress(err_console, total=1.0, label=f"sweep of {sc.name}") as bar:
        try:
            frame = run_sweep(
                sc,
                axes,
                outbreak=outbreak if outbreak is not None else table_outbreak,
                progress=lambda done, total: bar.update(done / total),
            )
        except InputError as e:
            given = {"sweep.vary": bool(vary), "sweep.outbreak": outbreak is not None}
            raise _on_option(e, given) from None
    title = f"sweep of {sc.name}"
    print(sweep_markdown(frame, title=title), end="")
    if out_dir is not None:
        with writing(out_dir, "the sweep"):
            write_sweep(frame, out_dir, title=title)
        out.print(f"wrote [bold]{out_dir}[/]: sweep.csv, sweep.md, sweep.png")


def _on_option(e: InputError, given: dict[str, bool]) -> InputError:
    """An error about an axis or the outbreak, placed on the option that gave it."""
    for prefix, option in (("sweep.vary", "--vary"), ("sweep.outbreak", "--outbreak")):
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
    except tomllib.TOMLDecodeError:
        pass
    try:
        return float(text)
    except ValueError:
        return text
