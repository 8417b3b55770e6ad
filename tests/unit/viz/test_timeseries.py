"""Tests of the totals plot: what is drawn, the file written, and lazy matplotlib."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from hyosan.errors import InputError
from hyosan.results import Result
from hyosan.viz import plot_totals, save_plots


def _result(runs: int = 5) -> Result:
    rng = np.random.default_rng(0)
    times = np.linspace(0.0, 10.0, 21)
    s = 100 * np.exp(-times / 3) + rng.normal(0, 2, (runs, times.size)).clip(0)
    z = 100 - s
    counts = np.stack([s, z, np.zeros_like(s)], axis=2)  # D is zero throughout
    return Result.from_arrays(
        counts,
        times,
        ("S", "Z", "D"),
        events=[0] * runs,
        engine="ssa",
        seed=1,
        scenario_name="classroom",
        model="szr",
        humans=("S",),
        zombies=("Z",),
        time_unit="hour",
    )


def _medians(ax: Axes) -> dict[str, str]:
    """Label and colour of each median line (band edges carry no label)."""
    return {
        str(line.get_label()): str(line.get_color())
        for line in ax.get_lines()
        if not str(line.get_label()).startswith("_")
    }


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def test_plot_draws_nonzero_compartments_with_bands() -> None:
    """The figure has a median line and a band per non-zero compartment, and the labels."""
    fig = plot_totals(_result(runs=5))
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert list(_medians(ax)) == ["S", "Z"]
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2
    assert ax.get_xlabel() == "time (hour)"
    assert ax.get_ylabel() == "people"
    assert ax.get_title(loc="left") == "classroom — ssa, 5 runs"
    legend = ax.get_legend()
    assert legend is not None
    assert legend.get_title().get_text().replace("\n", " ") == "median, 5–95% band over 5 runs"


def test_humans_blue_zombies_red() -> None:
    """Humans are drawn in a blue and zombies in a vermillion of the colour-blind palette."""
    ax = plot_totals(_result()).axes[0]
    assert _medians(ax) == {"S": "#0072B2", "Z": "#D55E00"}


def test_single_run_has_no_band() -> None:
    """With one run only the lines are drawn."""
    ax = plot_totals(_result(runs=1)).axes[0]
    assert len(ax.get_lines()) == 2
    assert not any(isinstance(c, PolyCollection) for c in ax.collections)
    assert ax.get_title(loc="left").endswith("1 run")


def test_explicit_compartments_include_zero_ones() -> None:
    """A compartment named explicitly is drawn even when it is zero throughout."""
    ax = plot_totals(_result(), ["D"]).axes[0]
    assert list(_medians(ax)) == ["D"]


def test_draws_into_given_axes() -> None:
    """With ax given, the plot goes there and its figure is returned."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    assert plot_totals(_result(), ax=ax) is fig
    assert list(_medians(ax)) == ["S", "Z"]


def test_bad_arguments_raise_input_error() -> None:
    """An unknown compartment (with the closest name suggested) or an upside-down band
    raises InputError."""
    with pytest.raises(InputError, match=r"unknown compartment \(did you mean 'Z'\?\)"):
        plot_totals(_result(), ["Zz"])
    with pytest.raises(InputError, match="band"):
        plot_totals(_result(), band=(0.9, 0.1))


def test_save_plots_writes_a_png(tmp_path: Path) -> None:
    """save_plots writes a non-empty PNG named totals.png and nothing else."""
    paths = save_plots(_result(), tmp_path / "plots")
    assert paths == [tmp_path / "plots" / "totals.png"]
    data = paths[0].read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    assert [p.name for p in (tmp_path / "plots").iterdir()] == ["totals.png"]


@pytest.mark.parametrize("module", ["hyosan.results", "hyosan.io", "hyosan.viz"])
def test_import_does_not_load_matplotlib(module: str) -> None:
    """Importing results, io or viz leaves matplotlib unloaded (checked in a fresh process)."""
    code = f"import {module}, sys; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
