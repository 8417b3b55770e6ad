"""The picture of a sweep, ``sweep.png``: each outcome against the first axis, with
standard-error bars.

The table's files, ``sweep.csv`` and ``sweep.md``, are written by
:mod:`hyosan.io.sweep`. matplotlib is imported inside the functions.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from hyosan._checks import is_number
from hyosan.io.sweep import cell_text, sweep_columns, sweep_label, sweep_title
from hyosan.viz._figures import save_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_sweep", "save_sweep_plots"]


def save_sweep_plots(
    frame: pd.DataFrame, directory: str | os.PathLike[str], *, title: str | None = None
) -> list[Path]:
    """Write ``sweep.png`` into ``directory`` (created if needed), whole or not at all;
    return the files written."""
    fig = plot_sweep(frame, title=title)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    return [save_figure(fig, folder / "sweep.png", dpi=110)]


def plot_sweep(frame: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Each outcome of :func:`hyosan.ensemble.sweep.sweep`'s table against the first axis,
    a line per value of the second, the other axes held at their first value."""
    from matplotlib.figure import Figure

    axes, outcomes = sweep_columns(frame)
    fixed = {a: frame[a].iloc[0] for a in axes[2:]}
    sub = frame[[all(r[a] == v for a, v in fixed.items()) for _, r in frame.iterrows()]]
    x_key, line_key = axes[0], (axes[1] if len(axes) > 1 else None)
    xs = list(dict.fromkeys(map(cell_text, sub[x_key])))
    numeric = all(is_number(v) for v in sub[x_key])
    ncols = min(len(outcomes), 2) or 1
    nrows = max(1, math.ceil(len(outcomes) / ncols))
    fig = Figure(figsize=(5.5 * ncols, 3.8 * nrows), layout="constrained")
    panels = fig.subplots(nrows, ncols, squeeze=False).ravel()
    lines = list(dict.fromkeys(map(cell_text, sub[line_key]))) if line_key else [""]
    for ax, col in zip(panels, outcomes, strict=False):
        for lv in lines:
            part = sub[[line_key is None or cell_text(v) == lv for v in sub[line_key or x_key]]]
            x = (
                part[x_key].to_numpy(float)
                if numeric
                else [xs.index(cell_text(v)) for v in part[x_key]]
            )
            label = f"{line_key} = {lv}" if line_key else None
            ax.errorbar(x, part[col], part[f"{col}_se"], marker="o", capsize=3, label=label)
        ax.set(xlabel=x_key, ylabel=sweep_label(frame, col))
        if col == "p_outbreak":
            ax.set_ylim(-0.03, 1.03)
        if numeric and sub[x_key].min() > 0 and sub[x_key].max() >= 10 * sub[x_key].min():
            ax.set_xscale("log")
        elif not numeric:
            ax.set_xticks(range(len(xs)), xs)
    for ax in panels[len(outcomes) :]:
        ax.set_visible(False)
    if line_key:
        panels[0].legend(fontsize="small")
    held = ", ".join(f"{a} = {cell_text(v)}" for a, v in fixed.items())
    fig.suptitle(
        sweep_title(frame, title)
        + (f" at {held} (all points in sweep.csv)" if held else "")
        + "; bars ± 1 SE"
    )
    return fig
