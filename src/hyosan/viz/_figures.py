"""Figures: a new one, the one that holds given axes, and writing one to a PNG file, whole or
not at all.

A new figure (:func:`new_figure`) is made without pyplot: nothing is left open
between calls, nothing needs closing, and it shows itself in a notebook
(:class:`hyosan.viz._inline.InlineFigure`).

Every still picture hyosan writes goes through :func:`save_figure`, and so
through :func:`hyosan._files.replacing` (as the animations do): a failure
while drawing leaves the file that was there, and no temporary file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from hyosan._files import replacing
from hyosan.errors import InputError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["new_figure", "root_figure", "save_figure"]


def new_figure(figsize: tuple[float, float]) -> Figure:
    """A figure of ``figsize`` inches with constrained layout, outside pyplot's state."""
    from hyosan.viz._inline import InlineFigure

    return InlineFigure(figsize=figsize, layout="constrained")


def save_figure(fig: Figure, path: str | os.PathLike[str], *, dpi: int = 120) -> Path:
    """Write ``fig`` as a PNG at ``path``, all or nothing; returns the path."""
    with replacing(path) as tmp:
        fig.savefig(tmp, dpi=dpi, format="png")
    return Path(path)


def root_figure(ax: Axes) -> Figure:
    """The figure that holds ``ax`` (going up through subfigures)."""
    from matplotlib.figure import Figure

    owner = ax.get_figure()
    while owner is not None and not isinstance(owner, Figure):
        owner = owner.get_figure()  # a SubFigure: go up to the figure holding it
    if owner is None:
        raise InputError(
            "these axes belong to no figure",
            key="ax",
            allowed="axes from plt.subplots() or Figure.add_subplot()",
        )
    return owner
