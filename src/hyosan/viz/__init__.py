"""Pictures of results. matplotlib is loaded only when a picture is drawn."""

from hyosan.viz.timeseries import plot_totals, save_plots

__all__ = ["plot_totals", "save_plots"]
