"""The picture of a sweep: each outcome against the first axis, with standard-error bars."""

from __future__ import annotations

import io
import math

import pandas as pd

from hyosan.io.sweep import cell_text, sweep_label

__all__ = ["sweep_png"]


def sweep_png(frame: pd.DataFrame, axes: list[str], outcomes: list[str], title: str) -> bytes:
    """Each outcome against the first axis, a line per value of the second, others fixed."""
    from matplotlib.figure import Figure

    fixed = {a: frame[a].iloc[0] for a in axes[2:]}
    sub = frame[[all(r[a] == v for a, v in fixed.items()) for _, r in frame.iterrows()]]
    x_key, line_key = axes[0], (axes[1] if len(axes) > 1 else None)
    xs = list(dict.fromkeys(map(cell_text, sub[x_key])))
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in sub[x_key])
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
        title + (f" at {held} (all points in sweep.csv)" if held else "") + "; bars ± 1 SE"
    )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()
