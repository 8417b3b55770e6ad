"""Pictures of results. matplotlib is loaded only when a picture is drawn."""

from hyosan.viz.characters import plot_characters, save_character_plots
from hyosan.viz.maps import plot_map, save_animation, save_map_plots
from hyosan.viz.timeseries import plot_totals, save_plots

__all__ = [
    "plot_characters",
    "plot_map",
    "plot_totals",
    "save_animation",
    "save_character_plots",
    "save_map_plots",
    "save_plots",
]
