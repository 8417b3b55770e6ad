"""``hyosan view DIR [--html FILE]``: a finished run as one HTML page that opens offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hyosan.cli.shared import guarded, out, writing

__all__ = ["view"]


@guarded
def view(
    directory: Annotated[Path, typer.Argument(help="A folder written by `hyosan run --out`.")],
    html: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Where to write the page (default: DIR/view.html)."),
    ] = None,
) -> None:
    """Write a finished run as one HTML page that opens offline (DIR/view.html).

    The page holds the map over time with a slider and Play, the totals, the
    characters and the story, with its scripts and data inline: it opens from
    disk, with no network and no server.
    """
    from hyosan.viz.web.view import write_view

    target = html if html is not None else directory
    with writing(target, "the page", option="--html" if html is not None else ""):
        path = write_view(directory, html)
    size = path.stat().st_size / 1e6
    out.print(f"wrote [bold]{path}[/] ({size:,.1f} MB)")
