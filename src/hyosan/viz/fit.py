"""The picture of a fit, ``fit.png``: the data against the fitted band, and how sure each
key is.

The first row has a panel per observed column: the observed counts as points
(missing cells left out), the band's middle line and its 95% band. The second
row has a panel per fitted key: for abc its marginal posterior (a weighted
histogram) with the 95% interval dashed and the estimate solid; for least
squares its estimate with the 95% interval as an error bar. Either way the
panel's x axis is the key's range, so the picture shows how much of the range
the data rule out, and a key the data do not bound is marked so.

The fit's files are written by :mod:`hyosan.io.fit`. matplotlib is imported
inside the functions.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hyosan.ensemble.fitting import FitResult, KeyFit
from hyosan.viz._colours import BLACK, BLUE, SKY, VERMILLION
from hyosan.viz._figures import new_figure, save_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["FIT_PICTURE", "plot_fit", "save_fit_plot"]

FIT_PICTURE = "fit.png"
_LOG_SPAN = 10.0
"""A key searched on a log scale whose range spans more than this factor gets a log x axis."""
_BINS = 30


def save_fit_plot(result: FitResult, out_dir: str | os.PathLike[str]) -> Path:
    """Write ``fit.png`` into ``out_dir`` (made if need be), whole or not at all; its path."""
    fig = plot_fit(result)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return save_figure(fig, folder / FIT_PICTURE, dpi=110)


def plot_fit(result: FitResult) -> Figure:
    """The data against the fitted band (a panel per observed column, first row) and each
    key's posterior (abc) or estimate and interval (least squares) over its range
    (second row), titled ``"fit of SCENARIO: METHOD"``."""
    columns, keys = len(result.observed.columns), len(result.keys)
    wide = max(columns, keys, 2)
    fig = new_figure((3.9 * wide, 6.6))
    rows: Any = fig.subfigures(2, 1, height_ratios=[1.25, 1.0])  # stubs: a SubFigure or an array
    top, bottom = rows
    for j, ax in enumerate(top.subplots(1, columns, squeeze=False)[0]):
        _draw_column(ax, result, j)
    for k, ax in zip(result.keys, bottom.subplots(1, keys, squeeze=False)[0], strict=True):
        if result.posterior is not None:
            _draw_posterior(ax, result, k)
        else:
            _draw_interval(ax, k)
        _mark_unbounded(ax, k)
    what = "posterior of each key" if result.posterior is not None else "estimate, 95% interval"
    bottom.suptitle(f"{what}; x axis: the range searched", fontsize="medium")
    fig.suptitle(f"fit of {result.scenario.name}: {result.method}", fontsize="x-large")
    return fig


def _draw_column(ax: Axes, result: FitResult, j: int) -> None:
    """Observed column ``j``: the data as points, the band's middle line and 95% band."""
    band, obs = result.band, result.observed
    abc = result.posterior is not None
    middle = "median of the runs" if abc else "ODE at the estimates"
    spread = "95% of the runs" if abc else "95% of observations"
    ax.fill_between(
        band.times, band.low[:, j], band.high[:, j], color=SKY, alpha=0.4, linewidth=0, label=spread
    )
    ax.plot(band.times, band.median[:, j], color=BLUE, linewidth=1.8, label=middle)
    seen = ~np.isnan(obs.counts[:, j])
    ax.scatter(obs.times[seen], obs.counts[seen, j], s=18, color=BLACK, zorder=3, label="data")
    unit = result.scenario.time.unit
    ax.set(title=obs.columns[j], xlabel=f"time ({unit})" if unit else "time", ylabel="count")
    ax.set_ylim(bottom=0)
    if j == 0:
        ax.legend(title=band.label, fontsize="small", title_fontsize="small", loc="best")


def _draw_posterior(ax: Axes, result: FitResult, k: KeyFit) -> None:
    """Key ``k``'s marginal posterior: a weighted histogram over its range (bins of equal
    width on the axis as drawn, each bar the share of the weight in its bin), the 95%
    interval dashed and the estimate solid."""
    assert result.posterior is not None
    r = k.range
    values = result.posterior[r.name].to_numpy(dtype=np.float64)
    weights = result.posterior["weight"].to_numpy(dtype=np.float64)
    log = _log_axis(k)
    edges = np.geomspace(r.low, r.high, _BINS + 1) if log else np.linspace(r.low, r.high, _BINS + 1)
    ax.hist(
        values,
        bins=edges.tolist(),
        weights=weights / weights.sum(),  # each bar: the share of the weight in its bin
        color=SKY,
        edgecolor=BLUE,
        linewidth=0.6,
        label="posterior",
    )
    ax.axvline(k.low, color=BLACK, linestyle="--", linewidth=1.2, label="95% interval")
    ax.axvline(k.high, color=BLACK, linestyle="--", linewidth=1.2)
    ax.axvline(k.estimate, color=VERMILLION, linewidth=1.8, label=f"estimate {k.estimate:.4g}")
    _key_axis(ax, k, log)
    ax.set_ylabel("posterior weight per bin")
    ax.legend(fontsize="x-small", loc="upper right")


def _draw_interval(ax: Axes, k: KeyFit) -> None:
    """Key ``k``'s estimate as a point and its 95% interval as an error bar, over its range."""
    below, above = max(k.estimate - k.low, 0.0), max(k.high - k.estimate, 0.0)
    ax.errorbar(
        [k.estimate],
        [0.0],
        xerr=[[below], [above]],
        fmt="o",
        color=VERMILLION,
        ecolor=BLACK,
        elinewidth=2,
        capsize=6,
        markersize=7,
    )
    ax.axhline(0.0, color=SKY, linewidth=6, alpha=0.5, zorder=0)  # the range, as a track
    ax.set_ylim(-1.0, 1.0)
    ax.set_yticks([])
    ax.text(
        0.5,
        0.78,
        f"{k.estimate:.4g}  [{k.low:.4g}, {k.high:.4g}]",
        transform=ax.transAxes,
        ha="center",
        fontsize="small",
    )
    _key_axis(ax, k, _log_axis(k))


def _key_axis(ax: Axes, k: KeyFit, log: bool) -> None:
    """A key's panel: titled by its name, x limits its range (log scaled if ``log``)."""
    if log:
        from matplotlib.ticker import NullFormatter

        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())  # "2x10^-2 3x10^-2 ..." overlap
    ax.set_xlim(k.range.low, k.range.high)
    ax.set_title(k.range.name)
    ax.set_xlabel(k.range.key)


def _mark_unbounded(ax: Axes, k: KeyFit) -> None:
    """Say in the panel when the data do not bound the key on one side or both."""
    if k.identified:
        return
    if k.open_low and k.open_high:
        text = "not identified by the data"
    else:
        text = f"not bounded {'below' if k.open_low else 'above'} by the data"
    ax.text(
        0.5,
        0.5 if k.open_low and k.open_high else 0.3,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=VERMILLION,
        fontweight="bold",
        bbox={"facecolor": "white", "edgecolor": VERMILLION, "alpha": 0.85},
    )


def _log_axis(k: KeyFit) -> bool:
    return k.range.log and k.range.high / k.range.low > _LOG_SPAN
