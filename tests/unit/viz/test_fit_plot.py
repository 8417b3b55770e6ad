"""The picture of a fit (``hyosan.viz.fit``): a panel per observed column with the data
as points and the band, then a panel per key: the posterior (abc) or the estimate with
its interval (least squares) over the key's range; fit.png written whole."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

import hyosan
from hyosan.ensemble.fitting import Band, FitRange, FitResult, KeyFit, Observed
from hyosan.scenario import set_keys
from hyosan.viz.fit import plot_fit, save_fit_plot


def fake_fit(method: str = "least-squares") -> FitResult:
    """A fit made by hand (no search) of the built-in SIR scenario: beta (bound by the
    data) and initial.I (open below, over a range of 1 to 1000), two observed columns
    (I and R) at five times, one count of I missing; abc adds a weighted posterior."""
    beta = KeyFit(FitRange("parameters.beta", 0.1, 1.0), 0.31, 0.28, 0.35)
    seeds = KeyFit(FitRange("initial.I", 1.0, 1000.0, integer=True), 12.0, 1.0, 40.0, True)
    scenario = set_keys(hyosan.load_scenario("sir"), [("parameters.beta", 0.31), ("initial.I", 12)])
    times = np.array([10.0, 20.0, 30.0, 40.0, 50.0])
    counts = np.array([[66.0, 40.0], [370, 300], [np.nan, 1500], [3020, 4100], [2500, 6900]])
    observed = Observed("cases.csv", times, ("I", "R"), ((1,), (2,)), counts, "ab" * 32)
    grid = np.linspace(0.0, 50.0, 51)
    middle = np.stack([3000 / (1 + np.exp(-(grid - 32) / 4)), 140.0 * grid], axis=1)
    band = Band(grid, middle, 0.85 * middle, 1.15 * middle, "ODE, 95% of observations (poisson)")
    posterior = None
    if method == "abc":
        rng = np.random.default_rng(3)
        posterior = pd.DataFrame(
            {
                "beta": rng.normal(0.31, 0.02, 400),
                "initial.I": np.exp(rng.uniform(0.0, np.log(40.0), 400)),
                "weight": rng.uniform(0.5, 1.5, 400),
            }
        )
        band = Band(grid, middle, 0.7 * middle, 1.3 * middle, "ssa runs from the posterior")
    return FitResult(
        method,
        "ode" if posterior is None else "ssa",
        (beta, seeds),
        scenario,
        observed,
        7,
        band,
        {},
        posterior,
        (),
    )


def data_points(ax: Axes) -> np.ndarray:
    """The points of the panel's scatter of the data: its offsets."""
    (scatter,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    return np.asarray(scatter.get_offsets())


def test_a_data_panel_per_column_with_the_observed_points() -> None:
    """The first row has a panel per observed column, titled by it, with one point per
    observed count (the missing count of I left out) at the observed times and values,
    the band's middle line, time in days and counts."""
    fig = plot_fit(fake_fit())
    assert isinstance(fig, Figure)
    i_panel, r_panel = fig.axes[:2]
    assert (i_panel.get_title(), r_panel.get_title()) == ("I", "R")
    np.testing.assert_array_equal(
        data_points(i_panel), [[10, 66], [20, 370], [40, 3020], [50, 2500]]
    )
    assert len(data_points(r_panel)) == 5
    (line,) = i_panel.get_lines()
    np.testing.assert_allclose(line.get_ydata(), fake_fit().band.median[:, 0])
    assert (i_panel.get_xlabel(), i_panel.get_ylabel()) == ("time (day)", "count")


def test_the_legend_says_what_the_line_and_band_are() -> None:
    """The first data panel's legend is titled by the band's label and names the line,
    the band and the data."""
    legend = plot_fit(fake_fit()).axes[0].get_legend()
    assert legend.get_title().get_text() == "ODE, 95% of observations (poisson)"
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts == ["95% of observations", "ODE at the estimates", "data"]


def test_least_squares_shows_each_estimate_with_its_interval_over_its_range() -> None:
    """Least squares: a second row with a panel per key, its x limits the key's range
    (log for initial.I, whose range spans 1000), an error bar from the interval's low to
    its high end through the estimate; the key the data do not bound is marked."""
    fig = plot_fit(fake_fit())
    assert len(fig.axes) == 4
    beta, seeds = fig.axes[2:]
    assert beta.get_xlim() == pytest.approx((0.1, 1.0))
    assert (beta.get_xscale(), seeds.get_xscale()) == ("linear", "log")
    assert seeds.get_xlim() == pytest.approx((1.0, 1000.0))
    (bar,) = beta.containers
    assert bar.lines[0].get_xdata()[0] == pytest.approx(0.31)
    ends = np.concatenate([seg[:, 0] for seg in bar.lines[2][0].get_segments()])
    assert sorted(ends) == pytest.approx([0.28, 0.35])
    texts = {ax.get_title(): [t.get_text() for t in ax.texts] for ax in (beta, seeds)}
    assert "not bounded below by the data" in texts["initial.I"]
    assert not any("by the data" in t for t in texts["beta"])
    assert fig.get_suptitle() == "fit of sir: least-squares"


def test_a_key_open_on_both_sides_is_not_identified() -> None:
    """A key whose interval is its whole range says "not identified by the data"."""
    result = fake_fit()
    lost = KeyFit(result.keys[0].range, 0.5, 0.1, 1.0, True, True)
    one = replace(result, keys=(lost,))
    fig = plot_fit(one)
    assert len(fig.axes) == 3
    assert "not identified by the data" in [t.get_text() for t in fig.axes[2].texts]


def test_abc_shows_each_marginal_posterior_with_its_interval_and_estimate() -> None:
    """abc: a second row with the weighted histogram of each key's posterior over its
    range (30 bars, each the share of the weight in its bin, so they sum to 1; log bins
    for initial.I), the 95% interval as two dashed lines and the estimate as a solid line."""
    result = fake_fit("abc")
    fig = plot_fit(result)
    assert len(fig.axes) == 4
    beta, seeds = fig.axes[2:]
    assert fig.get_suptitle() == "fit of sir: abc"
    heights = np.array([p.get_height() for p in beta.patches])
    assert len(heights) == 30 and float(np.sum(heights)) == pytest.approx(1.0)
    lines = {(ln.get_linestyle(), ln.get_xdata()[0]) for ln in beta.get_lines()}
    assert lines == {("--", 0.28), ("--", 0.35), ("-", 0.31)}
    assert seeds.get_xscale() == "log" and seeds.get_xlim() == pytest.approx((1.0, 1000.0))
    lefts = [p.get_x() for p in seeds.patches]
    assert lefts[1] / lefts[0] == pytest.approx(lefts[2] / lefts[1])  # equal on a log scale


def test_the_posterior_histogram_uses_the_weights() -> None:
    """The histogram is weighted: a posterior whose weights all sit on beta > 0.31
    puts no mass below it."""
    result = fake_fit("abc")
    assert result.posterior is not None
    heavy = result.posterior.assign(weight=(result.posterior["beta"] > 0.31).astype(float))
    weighted = replace(result, posterior=heavy)
    beta = plot_fit(weighted).axes[2]
    below = [p.get_height() for p in beta.patches if p.get_x() + p.get_width() <= 0.31]
    assert below and max(below) == 0.0


def test_save_fit_plot_writes_a_png_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """save_fit_plot makes the folder and writes fit.png, a PNG; a failure while drawing
    leaves the earlier fit.png as it was and no temporary file."""
    out = tmp_path / "out"
    path = save_fit_plot(fake_fit("abc"), out)
    assert path == out / "fit.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(Figure, "savefig", broken)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="drawing failed"):
        save_fit_plot(fake_fit(), out)
    assert sorted(p.name for p in out.iterdir()) == ["fit.png"]
    assert path.read_bytes() == before
