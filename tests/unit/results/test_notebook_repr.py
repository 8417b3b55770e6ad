"""Tests of how a result shows itself in a notebook: its HTML card and ``Result.plot``."""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # loaded, so that a figure made through pyplot would count
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from hyosan.results import Result
from hyosan.results._html import SPARK_POINTS
from hyosan.space import World
from hyosan.viz import save_plots

from .hall_result import hall_result

CARD_TAGS = {
    "div",
    "strong",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "svg",
    "title",
    "polyline",
}
CARD_ATTRIBUTES = {
    "class",
    "style",
    "xmlns",
    "width",
    "height",
    "viewbox",
    "role",
    "aria-label",
    "points",
    "fill",
    "stroke",
    "stroke-width",
}


class _Card(HTMLParser):
    """Reads a card: every tag and attribute, the text, and whether tags are balanced."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: set[str] = set()
        self.labels: list[str] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.update(name for name, _ in attrs)
        self.labels += [value or "" for name, value in attrs if name == "aria-label"]
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def cells(self) -> str:
        return " ".join(t.strip() for t in self.text if t.strip())


def _result(
    counts: np.ndarray,
    names: tuple[str, ...] = ("S", "Z", "D"),
    *,
    scenario: str = "classroom",
    model: str = "szr",
    unit: str = "hour",
) -> Result:
    runs, n_times = counts.shape[0], counts.shape[1]
    return Result.from_arrays(
        counts,
        np.linspace(0.0, 10.0, n_times),
        names,
        events=[0] * runs,
        engine="ssa",
        seed=7,
        scenario_name=scenario,
        model=model,
        humans=names[:1],
        zombies=names[1:2],
        time_unit=unit,
    )


def test_card_escapes_every_text_from_the_user() -> None:
    """Hostile scenario, model, compartment and unit names come out as text: the card
    parses to balanced tags of its own kinds, with no attribute the names tried to add,
    and reads back the names exactly."""
    scenario = '<script>alert("s")</script> & co'
    names = ("<b>S</b>", '" onload="alert(1)', "D'<img src=x onerror=alert(2)>")
    counts = np.ones((2, 5, 3))
    hostile = _result(counts, names, scenario=scenario, model="<i>m</i>", unit="h<r>")
    card_html = hostile._repr_html_()
    card = _Card(card_html)
    assert card.open == []
    assert set(card.tags) <= CARD_TAGS
    assert card.attributes <= CARD_ATTRIBUTES
    text = card.cells()
    for name in (scenario, *names, "<i>m</i>", "h<r>"):
        assert name in text
    assert html.escape(scenario) in card_html
    assert sum(label.startswith('" onload="alert(1)') for label in card.labels) == 1


def test_card_of_many_runs_summarises_them() -> None:
    """10,000 runs on 500 times: the finals are their mean and range, each compartment is
    one sparkline of at most SPARK_POINTS points, and the card stays small."""
    runs, n_times = 10_000, 500
    counts = np.zeros((runs, n_times, 3))
    counts[:, :, 0] = 100.0
    counts[:, -1, 1] = 2.0 * np.arange(runs)  # Z at the end: 0, 2, ..., 19,998
    counts[:, :, 2] = np.linspace(0.0, 3.8, n_times)  # D: 3.8 at the end in every run
    card_html = _result(counts)._repr_html_()
    card = _Card(card_html)
    rows = [tr for tr in re.findall(r"<tr>(.*?)</tr>", card_html) if "<svg" in tr]
    assert len(rows) == 3
    z_row = _Card(rows[1]).cells()
    assert z_row.startswith("Z 9,999 0 – 19,998")
    assert _Card(rows[2]).cells().startswith("D 3.8 3.8 – 3.8")
    assert card.tags.count("polyline") == 3
    for points in re.findall(r'points="([^"]*)"', card_html):
        assert len(points.split()) == SPARK_POINTS
    assert "10,000" in card.cells()
    assert "range (min – max)" in card.cells()
    assert len(card_html) < 20_000


def test_card_of_one_run_has_no_range() -> None:
    """One run: its final counts as they are, no range column, and sparklines say one run."""
    card = _Card(hall_result(runs=1)._repr_html_())
    text = card.cells()
    assert "range" not in text
    assert "final (mean)" not in text
    assert "S 6" in text and "Z 3" in text and "D 2" in text
    assert all(label.split(",")[1].startswith(" one run") for label in card.labels)
    assert "0 – 2 hour, 3 points" in text


def test_card_of_a_result_in_space_names_its_world() -> None:
    """In space the card says which world and how many patches, and the finals are summed
    over the patches."""
    hall = World.from_edges("hall", ["lab", "gym"], [("lab", "gym", 1.0)])
    text = _Card(hall_result(runs=2, world=hall)._repr_html_()).cells()
    assert "world hall, 2 patches" in text
    assert "S 6 6 – 6" in text
    assert "world" not in _Card(hall_result(runs=2)._repr_html_()).cells()


def test_card_says_where_the_result_came_from() -> None:
    """Scenario, model, engine, runs, seed and the time span with its unit are on the card;
    a compartment zero throughout says so."""
    counts = np.zeros((3, 4, 3))
    counts[:, :, 0] = [[10, 9, 8, 7], [10, 8, 6, 4], [10, 10, 10, 10]]
    text = _Card(_result(counts, scenario="hall 2")._repr_html_()).cells()
    for words in ("hall 2", "model szr", "engine ssa", "runs 3", "seed 7", "time 0 – 10 hour"):
        assert words in text
    assert "S 7 4 – 10" in text
    labels = _Card(_result(counts)._repr_html_()).labels
    assert labels[0] == "S, mean over 3 runs: highest 10 at 0 hour"
    assert labels[1] == "Z, mean over 3 runs: zero throughout"


def _medians(ax: Axes) -> list[str]:
    """The labels of the median lines (a band's edges carry none)."""
    labels = [str(line.get_label()) for line in ax.get_lines()]
    return [label for label in labels if not label.startswith("_")]


@pytest.fixture
def no_pyplot_figures() -> None:
    plt.close("all")
    assert plt.get_fignums() == []


@pytest.mark.usefixtures("no_pyplot_figures")
def test_plot_returns_a_figure_of_the_totals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """plot() returns a Figure with one median line per compartment (and those asked
    for), writes no file and leaves nothing open in pyplot."""
    monkeypatch.chdir(tmp_path)
    result = hall_result(runs=3)
    fig = result.plot()
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert _medians(ax) == list(result.compartments)
    (only_z,) = result.plot(["Z"]).axes
    assert _medians(only_z) == ["Z"]
    assert plt.get_fignums() == []
    assert list(tmp_path.iterdir()) == []


def test_plot_is_the_picture_hyosan_plot_writes(tmp_path: Path) -> None:
    """result.plot() saved at 120 dpi is, byte for byte, the totals.png of save_plots:
    one drawing for both."""
    result = hall_result(runs=3)
    (written,) = save_plots(result, tmp_path)
    buffer = io.BytesIO()
    result.plot().savefig(buffer, format="png", dpi=120)
    assert buffer.getvalue() == written.read_bytes()


def test_plot_shows_itself_as_png() -> None:
    """The figure gives IPython a PNG (_repr_png_), so a notebook shows it without pyplot."""
    png = hall_result(runs=2).plot()._repr_png_()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
