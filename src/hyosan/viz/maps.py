"""Outbreaks in space: a map of one time point, and an animation over a run.

A raster world (the cells of a population map) is drawn as two images on its
grid: humans in light-to-dark blue, zombies over them in vermillion, both on a
log scale, zombies clear where there are none. A graph world (rooms joined by
doors, camps, districts) is drawn as its movement graph with a pie at each
patch: the pie's area counts the people there, its vermillion slice is the
share of zombies. Patches off the grid of a raster world (a quarantine camp)
are drawn as pies too. Colours are Okabe & Ito's (2008), distinct under the
common colour blindnesses. Every picture of a run shares one colour scale and
one pie scale, those of the whole run, so a map compares with the frames of the
animation and the frames with each other.

Cells with fewer than half a zombie are left clear and cells with fewer than
one human are drawn as "no one left": the ODE engine's expected counts leave
tiny fractions everywhere, which would otherwise paint the whole map.

matplotlib is imported inside the functions, so importing this module (or
:mod:`hyosan`) does not load it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hyosan._typing import FloatArray, IntArray
from hyosan.errors import InputError
from hyosan.results import Result
from hyosan.viz._grid import _cell, _grid_layout, _outlines
from hyosan.viz._pies import _BLUE, _VERMILLION, _draw_graph, _in_buildings, _Pies

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_map", "save_animation", "save_map_plots"]

_SKY = "#56B4E9"  # Okabe & Ito, with _BLUE and _VERMILLION
_HUMAN_RAMP = ("#E4EFF8", _SKY, _BLUE, "#0A2F4F")
_ZOMBIE_RAMP = ("#F9C6A6", "#EC8A4F", _VERMILLION, "#8C2A00", "#4A1400")
_NO_ONE = "#E6E6E6"  # land whose people are all gone
_DPI = 100


@dataclass(frozen=True, slots=True)
class _Space:
    """What the pictures need from one run of a spatial result, as plain arrays."""

    title: str
    times: FloatArray
    unit: str
    humans: FloatArray  # (time, patch)
    zombies: FloatArray  # (time, patch)
    x: FloatArray
    y: FloatArray
    row: IntArray
    col: IntArray
    names: tuple[str, ...]
    kinds: tuple[str, ...]  # "room", "district", ... ("" where the result does not say)
    src: IntArray
    dst: IntArray
    grid: tuple[int, int]  # (rows, cols); (0, 0) for a graph world
    cell_m: float
    map_name: str
    map_cell: str

    @property
    def raster(self) -> bool:
        return self.grid[0] > 0 and self.grid[1] > 0 and bool(np.any(self.row >= 0))


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
    space = _space(result, run)
    k = _time_index(space.times, time)
    if ax is None:
        fig, ax = _new_figure(space)
    else:
        from hyosan.viz.timeseries import _root_figure

        fig = _root_figure(ax)
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
    colour scale of the whole run. The file is written to a temporary file in
    the same folder and moved into place, so a failure leaves no partial file.

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
    suffix = target.suffix.lower()
    make_writer = _writer(target, suffix)
    for key, value in (("fps", fps), ("max_frames", max_frames)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise InputError(
                "must be a whole number", key=key, value=value, allowed="an integer >= 1"
            )
    space = _space(result, run)
    frames = _frame_indices(space.times.size, max_frames)
    target.parent.mkdir(parents=True, exist_ok=True)
    # a hidden file beside the target, with its suffix (the writers read the format
    # from it), made by the writer so that it gets the usual permissions
    partial = target.with_name(f".{target.stem}-{uuid.uuid4().hex[:12]}{suffix}")
    fig, ax = _new_figure(space)
    try:
        show = _draw(ax, space)
        show(int(frames[0]))
        _freeze_still_parts(fig, ax)
        writer = make_writer(int(fps))
        with writer.saving(fig, str(partial), _DPI):
            for k in frames:
                show(int(k))
                writer.grab_frame()
        os.replace(partial, target)
    finally:
        plt.close(fig)
        partial.unlink(missing_ok=True)
    return target


def _freeze_still_parts(fig: Figure, ax: Axes) -> None:
    """Paint the parts that never change once, as a picture behind every frame.

    Ticks, axis labels and colour bars cost most of the drawing of a frame; after
    this, a frame draws that picture and the map's moving parts only (what the
    matplotlib docs call blitting, done so that the stock movie writers, which
    redraw the whole figure for every frame, benefit from it).
    """
    fig.canvas.draw()
    fig.set_layout_engine(None)  # the layout of the first frame holds for all
    still = {ax.xaxis, ax.yaxis, ax.patch, *ax.spines.values()}
    moving = [a for a in ax.get_children() if a not in still]
    for artist in moving:
        artist.set_animated(True)  # left out of an on-screen draw
    fig.canvas.draw()
    picture = np.asarray(fig.canvas.buffer_rgba()).copy()  # type: ignore[attr-defined]
    for artist in moving:
        artist.set_animated(False)
    for artist in still:
        artist.set_visible(False)
    for other in fig.axes:
        if other is not ax:
            other.set_visible(False)
    fig.figimage(picture, origin="upper", zorder=-10)


def save_map_plots(result: Result, directory: str | os.PathLike[str]) -> list[Path]:
    """Write ``map.png`` (the last time) and ``spread.gif`` (run 0) into ``directory``.

    The folder is created if needed; each file is written whole or not at all.
    Returns the files written.
    """
    import matplotlib.pyplot as plt

    folder = Path(directory)
    _space(result, 0)  # fail on a result without patches before making the folder
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / "map.png"
    partial = folder / ".map.png.partial"
    fig = plot_map(result)
    try:
        fig.savefig(partial, dpi=120, format="png")
        os.replace(partial, png)
    finally:
        plt.close(fig)
        partial.unlink(missing_ok=True)
    return [png, save_animation(result, folder / "spread.gif")]


# -- reading the result --------------------------------------------------------------


def _space(result: Result, run: int) -> _Space:
    ds = result.dataset
    if "fields" not in ds.data_vars or "patch" not in ds.dims:
        raise InputError(
            "this result has no patches: it was run without space, so there is no map",
            key="result",
            allowed="a result of a run in a world of patches (with counts per patch, 'fields')",
        )
    if isinstance(run, bool) or not isinstance(run, int | np.integer) or not 0 <= run < result.runs:
        raise InputError(
            "no such run", key="run", value=run, allowed=f"an integer from 0 to {result.runs - 1}"
        )
    fields = ds["fields"].isel(run=int(run))  # only this run is read from a file
    n = int(ds.sizes["patch"])

    def total(members: tuple[str, ...]) -> FloatArray:
        chosen = [c for c in members if c in result.compartments]
        part = fields.sel(compartment=chosen).sum("compartment").transpose("time", "patch")
        return np.asarray(part.values, dtype=np.float64)

    def coord(name: str, fill: float, dtype: type) -> Any:
        return np.asarray(ds[name].values, dtype=dtype) if name in ds else np.full(n, fill, dtype)

    attrs = ds.attrs
    grid = (int(attrs.get("grid_rows", 0)), int(attrs.get("grid_cols", 0)))
    return _Space(
        title=result.scenario_name or str(attrs.get("world", "")) or "hyosan",
        times=result.times,
        unit=result.time_unit,
        humans=total(result.humans),
        zombies=total(result.zombies),
        x=coord("patch_x", 0.0, np.float64),
        y=_by_floor(coord("patch_y", 0.0, np.float64), coord("patch_floor", 0, np.int64)),
        row=coord("patch_row", -1, np.int64) if attrs.get("world_kind") != "graph" else _no(n),
        col=coord("patch_col", -1, np.int64) if attrs.get("world_kind") != "graph" else _no(n),
        names=tuple(str(p) for p in ds["patch"].values),
        kinds=tuple(str(k) for k in ds["patch_kind"].values) if "patch_kind" in ds else ("",) * n,
        src=coord("edge_src", 0, np.int64) if "edge_src" in ds else _no(0),
        dst=coord("edge_dst", 0, np.int64) if "edge_dst" in ds else _no(0),
        grid=grid,
        cell_m=float(attrs.get("cell_m", 0.0) or 0.0),
        map_name=str(attrs.get("map", "") or ""),
        map_cell=str(attrs.get("map_cell", "") or ""),
    )


def _by_floor(y: FloatArray, floor: IntArray) -> FloatArray:
    """Plan positions with the floors of a building drawn one above the other.

    Floors share plan coordinates; floor ``f >= 1`` is lifted by ``f - 1``
    times 1.5 times the depth of the building, floor 0 (outside) stays.
    """
    upstairs = floor >= 1
    if np.unique(floor[upstairs]).size < 2:
        return y
    depth = float(np.ptp(y[upstairs])) or 1.0
    return y + np.where(upstairs, (floor - 1) * 1.5 * depth, 0.0)


def _no(n: int) -> IntArray:
    return np.full(n, -1, dtype=np.int64)


def _time_index(times: FloatArray, time: float | None) -> int:
    if time is None:
        return times.size - 1
    if (
        isinstance(time, bool)
        or not isinstance(time, int | float | np.number)
        or not np.isfinite(time)
    ):
        raise InputError("a time to draw", key="time", value=time, allowed="a finite number")
    return int(np.argmin(np.abs(times - float(time))))


def _frame_indices(n_times: int, max_frames: int) -> IntArray:
    if n_times <= max_frames:
        return np.arange(n_times, dtype=np.int64)
    return np.unique(np.round(np.linspace(0, n_times - 1, max_frames)).astype(np.int64))


def _writer(target: Path, suffix: str) -> Callable[[int], Any]:
    from matplotlib.animation import FFMpegWriter, PillowWriter

    if suffix == ".gif":
        return lambda fps: PillowWriter(fps=fps)
    if suffix == ".mp4" and shutil.which("ffmpeg"):
        return lambda fps: FFMpegWriter(fps=fps, codec="h264")  # yuv420p: plays everywhere
    problem = (
        "an .mp4 animation needs ffmpeg, which is not installed; write a .gif instead"
        if suffix == ".mp4"
        else "an animation is written as a .gif or an .mp4 file"
    )
    raise InputError(
        problem, key="path", value=str(target), allowed=".gif, or .mp4 when ffmpeg is installed"
    )


# -- drawing ---------------------------------------------------------------------------


def _new_figure(space: _Space) -> tuple[Figure, Axes]:
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


def _draw(ax: Axes, space: _Space) -> Callable[[int], None]:
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
        Patch(color=_BLUE, label=f"humans: {most_h:,.0f}"),
        Patch(color=_VERMILLION, label=f"zombies: {most_z:,.0f}"),
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


def _draw_raster(ax: Axes, space: _Space) -> Callable[[int], None]:
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


def _decimals(times: FloatArray) -> int:
    """One decimal, or two where the grid needs them (``t = 0.25``)."""
    return 1 if np.allclose(np.round(times, 1), times, rtol=0, atol=1e-9) else 2
