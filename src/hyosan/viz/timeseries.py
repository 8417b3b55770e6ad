"""Totals over time: the median over runs as a line, with a band between two quantiles.

:func:`plot_totals` draws the one picture of the totals: ``hyosan plot`` writes it
as ``totals.png`` (:func:`save_plots`) and :meth:`hyosan.Result.plot` returns it.
Its figure is made without pyplot, so nothing is left open between calls.
matplotlib is imported inside the functions, so importing this module (or
:mod:`hyosan`) does not load it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from hyosan.errors import InputError, unknown
from hyosan.results import Result
from hyosan.viz._colours import BLACK, BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION, YELLOW
from hyosan.viz._figures import new_figure, root_figure, save_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_totals", "save_plots"]

_HUMAN_COLOURS = (BLUE, SKY, GREEN)
_ZOMBIE_COLOURS = (VERMILLION, ORANGE)
_OTHER_COLOURS = (PURPLE, ORANGE, GREEN, SKY, BLACK, YELLOW)
_DEAD_COLOUR = "#7F7F7F"
_DEAD_NAMES = ("D", "R")


def plot_totals(
    result: Result,
    compartments: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    band: tuple[float, float] | None = (0.05, 0.95),
) -> Figure:
    """Plot each compartment over time: the median over runs, and a quantile band.

    Parameters
    ----------
    result
        The result to draw.
    compartments
        Which compartments to draw; default every compartment that is not zero
        throughout (a compartment named here is drawn even if it is).
    ax
        Axes to draw into; by default a new figure of 9 x 5 inches, made without
        pyplot (nothing to close; ``fig.savefig`` writes it; a notebook shows it).
    band
        Lower and upper quantiles of the shaded band, drawn when there is more
        than one run; ``None`` draws no band.

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the axes.
    """
    if band is not None and not (0.0 <= band[0] < band[1] <= 1.0):
        raise InputError(
            "a band is two quantiles, lower first",
            key="band",
            value=band,
            allowed="(lo, hi) with 0 <= lo < hi <= 1",
        )
    names = _chosen(result, compartments)
    colours = _colours(result, names)
    counts = result.counts
    times = result.times
    if ax is None:
        fig = new_figure((9, 5))
        ax = fig.add_subplot()
    else:
        fig = root_figure(ax)
    show_band = band is not None and result.runs > 1
    for name in names:
        series = counts[:, :, result.compartments.index(name)]
        colour = colours[name]
        ax.plot(times, np.median(series, axis=0), color=colour, lw=2, label=name, zorder=3)
        if show_band and band is not None:
            lo, hi = np.quantile(series, band, axis=0)
            ax.fill_between(times, lo, hi, facecolor=colour, alpha=0.15, edgecolor="none")
            for edge in (lo, hi):
                ax.plot(times, edge, color=colour, lw=0.6, alpha=0.5, label="_nolegend_")
    _decorate(ax, result, band if show_band else None, bool(names))
    return fig


def save_plots(result: Result, directory: str | os.PathLike[str]) -> list[Path]:
    """Write ``totals.png`` into ``directory`` (created if needed); return the files written."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    return [save_figure(plot_totals(result), folder / "totals.png")]


def _chosen(result: Result, compartments: Sequence[str] | None) -> list[str]:
    if compartments is None:
        peaks = np.abs(result.counts).max(axis=(0, 1))
        return [c for c, m in zip(result.compartments, peaks, strict=True) if m > 0]
    names = [compartments] if isinstance(compartments, str) else list(compartments)
    for c in names:
        if c not in result.compartments:
            raise unknown("compartment", c, result.compartments, key="compartments")
    return names


def _colours(result: Result, names: Sequence[str]) -> dict[str, str]:
    """Blues for humans, reds for zombies, grey for the dead, the rest from the palette.

    Colours follow the result's compartments, so a compartment keeps its colour
    whichever subset is drawn.
    """
    out: dict[str, str] = {}
    humans = iter(_HUMAN_COLOURS)
    zombies = iter(_ZOMBIE_COLOURS)
    for c in result.compartments:
        if c in result.humans:
            out[c] = next(humans, "")
        elif c in result.zombies:
            out[c] = next(zombies, "")
        elif c in _DEAD_NAMES:
            out[c] = _DEAD_COLOUR
    used = set(out.values())
    spare = [c for c in _OTHER_COLOURS if c not in used] or list(_OTHER_COLOURS)
    k = 0
    for c in result.compartments:
        if not out.get(c):
            out[c] = spare[k % len(spare)]
            k += 1
    return {c: out[c] for c in names}


def _decorate(ax: Axes, result: Result, band: tuple[float, float] | None, drawn: bool) -> None:
    runs = f"{result.runs} run" + ("" if result.runs == 1 else "s")
    title = result.scenario_name or "hyosan"
    ax.set_title(f"{title} — {result.engine}, {runs}", loc="left")
    ax.set_xlabel(f"time ({result.time_unit})" if result.time_unit else "time")
    ax.set_ylabel("people")
    ax.set_xlim(float(result.times[0]), float(result.times[-1]))
    ax.set_ylim(bottom=0)
    _people_ticks(ax)
    ax.grid(True, color="0.9", lw=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if not drawn:
        return
    if band is not None:
        note = f"median, {100 * band[0]:g}–{100 * band[1]:g}% band\nover {runs}"
    elif result.runs > 1:
        note = f"median over {runs}"
    else:
        note = None
    ax.legend(
        title=note,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        alignment="left",
        fontsize="small",
        title_fontsize="small",
    )


def _people_ticks(ax: Axes) -> None:
    """Whole numbers with thousands separators (1,000,000), never an offset or ``1e6``."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    if ax.get_ylim()[1] >= 10_000:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    else:
        ax.yaxis.set_major_formatter(ScalarFormatter(useOffset=False))
