"""Where a raster world's patches sit on the picture, and the map's borders.

Used by :mod:`hyosan.viz.maps`; matplotlib is imported inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hyosan._typing import FloatArray, IntArray
from hyosan.errors import HyosanError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from hyosan.viz.maps import _Space

_OUTLINE = "#333333"


def _grid_layout(space: _Space, on: IntArray) -> tuple[IntArray, tuple[float, float, float, float]]:
    """Flat grid index of each patch in ``on``, and the image extent in km.

    Rows and columns are flipped where needed so that the image has north up
    and east to the right whichever way the world counts them.
    """
    rows, cols = space.grid
    row, col = space.row[on], space.col[on]
    cell = _cell(space)
    if _slope(space.x[on], col) < 0:
        col = cols - 1 - col
    if _slope(space.y[on], row) > 0:
        row = rows - 1 - row
    x0 = float(np.median(space.x[on] - col * cell))  # centre of column 0
    y0 = float(np.median(space.y[on] + row * cell))  # centre of row 0 (the top)
    left, top = x0 - cell / 2, y0 + cell / 2
    extent = (left, left + cols * cell, top - rows * cell, top)
    return row * cols + col, (extent[0] / 1e3, extent[1] / 1e3, extent[2] / 1e3, extent[3] / 1e3)


def _slope(v: FloatArray, index: IntArray) -> float:
    if np.ptp(index) == 0:
        return 0.0
    return float(np.polyfit(index.astype(np.float64), v, 1)[0])


def _cell(space: _Space) -> float:
    if space.cell_m > 0:
        return space.cell_m
    on = space.row >= 0
    span = float(np.ptp(space.col[on])) if on.any() else 0.0
    return float(np.ptp(space.x[on])) / span if span > 0 else 1.0


def _outlines(ax: Axes, space: _Space) -> None:
    """Country borders, when the result names a map and the maps are there to read."""
    if not space.map_name:
        return
    try:
        from hyosan.space.maps import load_map

        outlines = load_map(space.map_name, space.map_cell).outlines
    except (ImportError, HyosanError, OSError):
        return
    from matplotlib.collections import LineCollection

    lines = [np.asarray(line, dtype=np.float64) / 1e3 for line in outlines]
    ax.add_collection(LineCollection(lines, colors=_OUTLINE, linewidths=0.6, zorder=3))
