"""``hyosan export DIR --geotiff T``: a finished run in the formats of other tools."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from hyosan.cli.shared import guarded, out, writing
from hyosan.errors import InputError

__all__ = ["export"]

_TIME = "a time of the run in its unit (e.g. 48), or last"


@guarded
def export(
    directory: Annotated[Path, typer.Argument(help="A folder written by `hyosan run --out`.")],
    geotiff: Annotated[
        str | None,
        typer.Option(
            metavar="T",
            help="One GeoTIFF per compartment at time T (or last) into DIR/geotiff/.",
        ),
    ] = None,
) -> None:
    """Write a finished run in other tools' formats: GeoTIFFs of a run on a map."""
    if geotiff is None:
        raise InputError("nothing to export", source="hyosan export", allowed="--geotiff T")
    from hyosan.io.geotiff import write_geotiffs

    time = _time(geotiff)
    with writing(directory, "the GeoTIFFs", option=""):
        paths = write_geotiffs(directory, time)
    names = ", ".join(p.name for p in paths)
    out.print(f"wrote [bold]{paths[0].parent}[/]: {names}")


def _time(text: str) -> float | None:
    """``--geotiff T``: a number, or ``last`` (None)."""
    if text.strip().lower() == "last":
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InputError("not a time", source="--geotiff", value=text, allowed=_TIME)
    return value
