"""``characters.png``: drawn for results that follow characters, and only for them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.image import imread

from hyosan import simulate
from hyosan.scenario import load_scenario, load_scenario_text
from hyosan.viz import plot_characters, save_character_plots

CAST = """
name = "sir-cast"
model = "sir"
runs = 30
seed = 4
[time]
end = 20.0
points = 21
[initial]
S = 90
I = 10
[[characters]]
name = "Ada"
[[characters]]
name = "Grace"
compartment = "I"
"""


def test_the_picture_has_a_strip_and_a_bar_per_character(tmp_path: Path) -> None:
    """The figure has one labelled strip and one bar per character, and ``characters.png``
    is saved as a real, non-blank image."""
    r = simulate(load_scenario_text(CAST))
    fig = plot_characters(r)
    strips, bars = fig.axes[:2]
    assert [t.get_text() for t in strips.get_yticklabels()] == ["Ada", "Grace"]
    assert len(bars.patches) == 2
    (path,) = save_character_plots(r, tmp_path)
    image = imread(path)
    assert path.name == "characters.png" and image.shape[0] > 100
    assert np.unique(image.reshape(-1, image.shape[-1]), axis=0).shape[0] > 10  # not blank


def test_no_picture_without_characters(tmp_path: Path) -> None:
    """A result with no characters saves no picture and writes no ``characters.png``."""
    r = simulate(load_scenario("sir"), runs=2)
    assert save_character_plots(r, tmp_path) == []
    assert not (tmp_path / "characters.png").exists()
