"""A raster world's picture: its cells as two images on the grid, and the map's borders.

Humans are drawn in light-to-dark blue, zombies over them in vermillion, both
on a log scale of the whole run, zombies clear where there are none and cells
with fewer than one human as "no one left". Used by :mod:`hyosan.viz.maps`;
matplotlib is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from hyosan._typing import FloatArray, IntArray
from hyosan.errors import HyosanError
from hyosan.viz._colours import BLUE, SKY, VERMILLION
from hyosan.viz._space import Space

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_OUTLINE = "#333333"
_HUMAN_RAMP = ("#E4EFF8", SKY, BLUE, "#0A2F4F")
_ZOMBIE_RAMP = ("#F9C6A6", "#EC8A4F", VERMILLION, "#8C2A00", "#4A1400")
_NO_ONE = "#E6E6E6"  # land whose people are all gone


def _draw_raster(ax: Axes, space: Space) -> Callable[[int], None]:
    """Draw the grid's two images, its borders and colour bars; return a function that
    shows time index ``k`` on them."""
    from matplotlib.colors import LinearSegmentedColormap, LogNorm

    rows, cols = space.grid
    on = np.flatnonzero(space.row >= 0)
    flat, extent = _grid_layout(space, on)
    clear = (0.0, 0.0, 0.0, 0.0)
    humans = LinearSegmentedColormap.from_list("humans", _HUMAN_RAMP).with_extremes(
        under=_NO_ONE, bad=clear
    )
    zombies = LinearSegmentedColormap.from_list("zombies", _ZOMBIE_RAMP).with_extremes(
        under=_ZOMBIE_RAMP[0], bad=clear
    )
    h_img = np.full(rows * cols, np.nan)
    z_img = np.full(rows * cols, np.nan)
    style: dict[str, Any] = {
        "extent": extent,
        "origin": "upper",
        "interpolation": "nearest",
        "aspect": "equal",
    }
    h_norm = LogNorm(1.0, max(10.0, float(space.humans[:, on].max(initial=0.0))))
    z_norm = LogNorm(1.0, max(10.0, float(space.zombies[:, on].max(initial=0.0))))
    h_layer = ax.imshow(h_img.reshape(rows, cols), cmap=humans, norm=h_norm, **style, zorder=1)
    z_layer = ax.imshow(z_img.reshape(rows, cols), cmap=zombies, norm=z_norm, **style, zorder=2)
    h_layer.set_gid("humans")
    z_layer.set_gid("zombies")
    _outlines(ax, space)
    what = f"{space.map_cell.replace('km', ' km')} cell" if space.map_cell else "cell"
    _colour_bar(ax, z_layer, f"zombies per {what}")
    _colour_bar(ax, h_layer, f"humans per {what}")
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel("west–east (km)")
    ax.set_ylabel("south–north (km)")

    def show(k: int) -> None:
        h = space.humans[k, on]
        z = space.zombies[k, on]
        h_img[flat] = np.where(h < 1.0, 0.5, h)  # below the scale: "no one left"
        z_img[flat] = np.where(z < 0.5, np.nan, z)  # clear where there are none
        h_layer.set_data(h_img.reshape(rows, cols))
        z_layer.set_data(z_img.reshape(rows, cols))

    return show


def _colour_bar(ax: Axes, layer: Any, label: str) -> None:
    """A colour bar with plain numbers (1, 10, 100, 1,000), and 2 and 5 between on a short one."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    bar = ax.figure.colorbar(layer, ax=ax, shrink=0.7, pad=0.01, aspect=25)
    bar.set_label(label)
    decades = np.log10(layer.norm.vmax / layer.norm.vmin)
    bar.ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0) if decades <= 2.5 else (1.0,)))
    bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    bar.ax.yaxis.set_minor_formatter(NullFormatter())


def _grid_layout(space: Space, on: IntArray) -> tuple[IntArray, tuple[float, float, float, float]]:
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


def _cell(space: Space) -> float:
    if space.cell_m > 0:
        return space.cell_m
    on = space.row >= 0
    span = float(np.ptp(space.col[on])) if on.any() else 0.0
    return float(np.ptp(space.x[on])) / span if span > 0 else 1.0


def _outlines(ax: Axes, space: Space) -> None:
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
