"""The picture of a sweep (``hyosan.viz.sweep``): a panel per outcome against the first
axis, a line per value of the second, the others held; sweep.png written whole."""

from __future__ import annotations

import itertools
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from hyosan.errors import InputError
from hyosan.viz.sweep import plot_sweep, save_sweep_plots


def table(axes: dict[str, tuple[object, ...]], outcomes: tuple[str, ...]) -> pd.DataFrame:
    """A sweep's table over the full grid of ``axes``, each outcome rising along the rows."""
    grid = list(itertools.product(*axes.values()))
    frame = pd.DataFrame(grid, columns=list(axes))
    frame["seed"] = range(len(grid))
    frame["runs"] = 4
    for i, name in enumerate(outcomes):
        frame[name] = np.linspace(0.1, 0.9, len(grid)) + i
        frame[f"{name}_se"] = 0.05
    frame.attrs.update({"scenario": "sir", "labels": {"final_Z": "final Z"}})
    return frame


def errorbars(ax: Axes) -> dict[str, list[float]]:
    """Each error-bar line of a panel: its legend label and its x values."""
    return {str(c.get_label()): list(c.lines[0].get_xdata()) for c in ax.containers}


def test_a_panel_per_outcome_and_a_line_per_value_of_the_second_axis() -> None:
    """Two outcomes give two panels, each with a line per value of initial.I over the
    values of beta; beta spans a decade, so its axis is logarithmic; P(outbreak) runs
    from 0 to 1."""
    frame = table(
        {"parameters.beta": (0.01, 0.03, 0.1), "initial.I": (1, 5)}, ("p_outbreak", "final_Z")
    )
    fig = plot_sweep(frame)
    assert isinstance(fig, Figure)
    left, right = fig.axes
    for ax in (left, right):
        assert errorbars(ax) == {
            "initial.I = 1": [0.01, 0.03, 0.1],
            "initial.I = 5": [0.01, 0.03, 0.1],
        }
        assert ax.get_xscale() == "log" and ax.get_xlabel() == "parameters.beta"
    assert (left.get_ylabel(), right.get_ylabel()) == ("P(outbreak)", "final Z")
    assert left.get_ylim() == pytest.approx((-0.03, 1.03))
    assert fig.get_suptitle() == "sweep of sir; bars ± 1 SE"


def test_a_text_axis_and_a_third_axis_held_at_its_first_value() -> None:
    """A text first axis is drawn at positions 0, 1, ... with its values as tick labels;
    a third axis is held at its first value, which the title names."""
    frame = table(
        {"engine": ("ssa", "tau"), "parameters.beta": (0.2, 0.4), "initial.I": (1, 5)},
        ("humans_lost",),
    )
    fig = plot_sweep(frame, title="engines")
    (ax,) = fig.axes
    assert errorbars(ax) == {"parameters.beta = 0.2": [0, 1], "parameters.beta = 0.4": [0, 1]}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ssa", "tau"]
    assert ax.get_xscale() == "linear"
    held = "at initial.I = 1 (all points in sweep.csv)"
    assert fig.get_suptitle() == f"engines {held}; bars ± 1 SE"


def test_three_outcomes_leave_the_fourth_panel_hidden() -> None:
    """Panels come two to a row; a fourth place with no outcome is not shown."""
    frame = table({"initial.I": (1, 2)}, ("p_outbreak", "final_Z", "humans_lost"))
    fig = plot_sweep(frame)
    assert [ax.get_visible() for ax in fig.axes] == [True, True, True, False]
    (line,) = errorbars(fig.axes[0]).items()  # one axis: one line, without a legend label
    assert line[0].startswith("_") and line[1] == [1, 2]
    assert fig.axes[0].get_legend() is None


def test_a_table_that_is_not_a_sweep_is_bad_input() -> None:
    """A table without seed and runs columns is refused with InputError."""
    with pytest.raises(InputError, match="not a sweep table"):
        plot_sweep(pd.DataFrame({"beta": [0.1]}))


def test_save_writes_sweep_png_only(tmp_path: Path) -> None:
    """save_sweep_plots makes the folder and writes a PNG named sweep.png, and nothing else."""
    frame = table({"initial.I": (1, 2, 3)}, ("p_outbreak",))
    out = tmp_path / "new"
    assert save_sweep_plots(frame, out) == [out / "sweep.png"]
    assert (out / "sweep.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in out.iterdir()] == ["sweep.png"]


def test_a_failure_while_saving_leaves_the_old_picture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If writing the PNG fails halfway, the sweep.png that was there stays as it was and
    no temporary file is left."""
    (tmp_path / "sweep.png").write_bytes(b"old")

    def half(self: Figure, fname: Path, **_kwargs: object) -> None:
        Path(fname).write_bytes(b"\x89PNG half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", half)
    with pytest.raises(OSError, match="No space left"):
        save_sweep_plots(table({"initial.I": (1, 2)}, ("p_outbreak",)), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["sweep.png"]
    assert (tmp_path / "sweep.png").read_bytes() == b"old"
