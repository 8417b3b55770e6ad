"""The machinery of an animation, whatever it shows: which frames, which movie writer,
and the parts that never change painted once behind every frame.

Used by :func:`hyosan.viz.maps.save_animation`; matplotlib is imported inside
the functions.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hyosan._typing import IntArray
from hyosan.errors import InputError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["frame_indices", "movie_writer", "record"]


def frame_indices(n_times: int, max_frames: int) -> IntArray:
    """At most ``max_frames`` evenly spaced indices of ``n_times``, the first and last kept."""
    if n_times <= max_frames:
        return np.arange(n_times, dtype=np.int64)
    return np.unique(np.round(np.linspace(0, n_times - 1, max_frames)).astype(np.int64))


def movie_writer(target: Path) -> Callable[[int], Any]:
    """A maker of the writer for ``target``'s suffix (given the frames per second), or
    :class:`InputError` for a suffix that cannot be written here."""
    from matplotlib.animation import FFMpegWriter, PillowWriter

    suffix = target.suffix.lower()
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


def record(
    fig: Figure,
    ax: Axes,
    show: Callable[[int], None],
    frames: IntArray,
    writer: Any,
    path: Path,
    dpi: float,
) -> None:
    """Write the frames ``show(k)`` draws on ``ax``, for each ``k`` of ``frames``, to ``path``.

    The first frame's layout holds for all, and the parts that do not move are
    painted once (see :func:`_freeze_still_parts`).
    """
    show(int(frames[0]))
    _freeze_still_parts(fig, ax)
    with writer.saving(fig, str(path), dpi):
        for k in frames:
            show(int(k))
            writer.grab_frame()


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
