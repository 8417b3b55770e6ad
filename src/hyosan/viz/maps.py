"""Outbreaks in space: a map of one time point, and an animation over a run.

A raster world (the cells of a population map) is drawn as two images on its
grid (:mod:`hyosan.viz._grid`): humans in light-to-dark blue, zombies over them
in vermillion, both on a log scale, zombies clear where there are none. A graph
world (rooms joined by doors, camps, districts) is drawn as its movement graph
with a pie at each patch (:mod:`hyosan.viz._pies`): the pie's area counts the
people there, its vermillion slice is the share of zombies. Patches off the
grid of a raster world (a quarantine camp) are drawn as pies too. Colours are
Okabe & Ito's (2008), distinct under the common colour blindnesses. Every
picture of a run shares one colour scale and one pie scale, those of the whole
run, so a map compares with the frames of the animation and the frames with
each other.

Cells with fewer than half a zombie are left clear and cells with fewer than
one human are drawn as "no one left": the ODE engine's expected counts leave
tiny fractions everywhere, which would otherwise paint the whole map.

matplotlib is imported inside the functions, so importing this module (or
:mod:`hyosan`) does not load it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hyosan._checks import check_number, check_whole
from hyosan._files import replacing
from hyosan._typing import FloatArray
from hyosan.results import Result
from hyosan.viz._animation import frame_indices, movie_writer, record
from hyosan.viz._colours import BLUE, VERMILLION
from hyosan.viz._figures import root_figure, save_figure
from hyosan.viz._grid import _NO_ONE, _cell, _draw_raster
from hyosan.viz._pies import _draw_graph, _in_buildings, _Pies
from hyosan.viz._space import Space, read_space

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_map", "save_animation", "save_map_plots"]

_DPI = 100


def plot_map(
    result: Result, time: float | None = None, *, run: int = 0, ax: Axes | None = None
) -> Figure:
    """Draw where the humans and the zombies are at one time of one run.

    Parameters
    ----------
    result
        A result of a run in space (one with counts per patch, ``fields``).
    time
        The time to draw; the nearest time of the output grid is drawn. Default:
        the last.
    run
        Which run to draw.
    ax
        Axes to draw into; by default a new figure sized to the world. Colour
        bars and the legend take room beside these axes.

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the axes.

    Raises
    ------
    InputError
        If the result has no patches, or ``run`` or ``time`` is not usable.
    """
    space = read_space(result, run)
    k = _time_index(space.times, time)
    if ax is None:
        fig, ax = _new_figure(space)
    else:
        fig = root_figure(ax)
    _draw(ax, space)(k)
    return fig


def save_animation(
    result: Result,
    path: str | os.PathLike[str],
    *,
    run: int = 0,
    fps: int = 8,
    max_frames: int = 120,
) -> Path:
    """Animate the map of one run over its output grid and write it to ``path``.

    Frames are drawn from evenly spaced times of the output grid, the first and
    the last included, at most ``max_frames`` of them; every frame uses the
    colour scale of the whole run. The file is written whole or not at all.

    Parameters
    ----------
    result
        A result of a run in space.
    path
        A ``.gif`` file, or an ``.mp4`` file when ``ffmpeg`` is installed. The
        folder is created if needed.
    run
        Which run to animate.
    fps
        Frames per second.
    max_frames
        The most frames to draw.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    InputError
        If the result has no patches, the suffix is not usable, or an argument
        is out of range.
    """
    import matplotlib.pyplot as plt

    target = Path(path)
    make_writer = movie_writer(target)
    fps = check_whole(fps, key="fps", low=1)
    max_frames = check_whole(max_frames, key="max_frames", low=1)
    space = read_space(result, run)
    frames = frame_indices(space.times.size, max_frames)
    target.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = _new_figure(space)
    try:
        with replacing(target) as tmp:  # keeps the suffix, which tells the writer the format
            record(fig, ax, _draw(ax, space), frames, make_writer(fps), tmp, _DPI)
    finally:
        plt.close(fig)
    return target


def save_map_plots(result: Result, directory: str | os.PathLike[str]) -> list[Path]:
    """Write ``map.png`` (the last time) and ``spread.gif`` (run 0) into ``directory``.

    The folder is created if needed; each file is written whole or not at all.
    Returns the files written.
    """
    import matplotlib.pyplot as plt

    folder = Path(directory)
    read_space(result, 0)  # fail on a result without patches before making the folder
    folder.mkdir(parents=True, exist_ok=True)
    fig = plot_map(result)
    try:
        png = save_figure(fig, folder / "map.png")
    finally:
        plt.close(fig)
    return [png, save_animation(result, folder / "spread.gif")]


def _time_index(times: FloatArray, time: float | None) -> int:
    if time is None:
        return times.size - 1
    t = check_number(time, key="time", low=-math.inf)
    return int(np.argmin(np.abs(times - t)))


# -- drawing ---------------------------------------------------------------------------


def _new_figure(space: Space) -> tuple[Figure, Axes]:
    import matplotlib.pyplot as plt

    if space.raster:
        rows, cols = space.grid
        aspect = rows / cols
    else:
        width = float(np.ptp(space.x)) if space.x.size else 1.0
        aspect = float(np.ptp(space.y)) / width if width > 0 else 1.0
    aspect = float(np.clip(aspect, 0.3, 2.5))
    # a map with buildings in it (a city and its school) gets more room for the rooms
    size = 9.0 if not space.raster and _in_buildings(space).any() else 7.0
    map_w = size if aspect <= 1 else size / aspect
    # whole, even numbers of pixels: an h264 movie needs them, and the writer would
    # otherwise resize the figure after its layout is fixed
    w, h = (2 * round(v * _DPI / 2) / _DPI for v in (map_w + 3.0, max(5.0, map_w * aspect + 1)))
    fig, ax = plt.subplots(figsize=(w, h), dpi=_DPI, layout="constrained")
    return fig, ax


def _draw(ax: Axes, space: Space) -> Callable[[int], None]:
    """Draw the parts that stay; return a function that shows time index ``k``.

    The legend says what the colours are and how many humans and zombies there
    are in all at the time shown.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    decimals = _decimals(space.times)
    unit = space.unit if not space.unit or space.unit.endswith("s") else f"{space.unit}s"
    ax.set_title(space.title, loc="left", fontweight="bold")
    clock = ax.set_title("", loc="right")
    if space.raster:
        parts = [_draw_raster(ax, space)]
        off = np.flatnonzero(space.row < 0)
        if off.size:  # a camp beside the map
            r = 3.0 * _cell(space) / 1e3
            parts.append(_Pies(ax, space, off, r, km=True).show)
            (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
            x, y = space.x[off] / 1e3, space.y[off] / 1e3
            ax.set_xlim(min(x0, x.min() - 1.5 * r), max(x1, x.max() + 1.5 * r))
            ax.set_ylim(min(y0, y.min() - 2.5 * r), max(y1, y.max() + 1.5 * r))
        empty: Any = Patch(facecolor=_NO_ONE, edgecolor="0.6", label="no one left")
        place: dict[str, Any] = {"loc": "lower left", "framealpha": 0.9}
    else:
        pies = _draw_graph(ax, space)
        parts = [pies.show]
        empty = Line2D([], [], ls="", marker="o", mfc="white", mec="0.55", label="no one there")
        title = f"pie area: people there\n({pies.scale_note})"
        place = {"loc": "upper left", "bbox_to_anchor": (1.0, 1.0), "frameon": False}
        place |= {"title": title, "title_fontsize": "small", "alignment": "left"}
    # labelled with the widest tallies of the run, so the layout keeps room for them
    most_h, most_z = space.humans.sum(axis=1).max(), space.zombies.sum(axis=1).max()
    colours = [
        Patch(color=BLUE, label=f"humans: {most_h:,.0f}"),
        Patch(color=VERMILLION, label=f"zombies: {most_z:,.0f}"),
    ]
    legend = ax.legend(handles=[*colours, empty], fontsize="small", **place)
    tally = legend.get_texts()[:2]

    def show(k: int) -> None:
        for part in parts:
            part(k)
        t = f"{space.times[k]:,.{decimals}f}"
        clock.set_text(f"t = {t} {unit}".rstrip())
        tally[0].set_text(f"humans: {space.humans[k].sum():,.0f}")
        tally[1].set_text(f"zombies: {space.zombies[k].sum():,.0f}")

    return show


def _decimals(times: FloatArray) -> int:
    """One decimal, or two where the grid needs them (``t = 0.25``)."""
    return 1 if np.allclose(np.round(times, 1), times, rtol=0, atol=1e-9) else 2
