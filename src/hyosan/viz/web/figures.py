"""The live page's two Bokeh figures: the map of places and the chart of totals.

:class:`LiveMap` draws a :class:`~hyosan.viz.web.geometry.MapLayout`: the grid
as one image of colour codes (:mod:`hyosan.viz.web.colours`), the other
places as square markers, the map's borders, and the interventions drawn so
far (a box per region, labelled). :meth:`LiveMap.show` sends one frame: the
codes only. :class:`LiveChart` draws each compartment's total over time, grows
by the points it has not sent yet, and keeps one earlier run, dashed, to
compare.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hyosan._typing import FloatArray
from hyosan.viz._colours import BLACK, BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION, YELLOW
from hyosan.viz.web.colours import PALETTE, Roles, encode
from hyosan.viz.web.geometry import MapLayout

__all__ = ["LiveChart", "LiveMap", "compartment_colours"]

_ACTION_COLOURS = {"cordon": "#333333", "lockdown": BLUE, "strike": VERMILLION}
_COMPARTMENT = {"S": BLUE, "Z": VERMILLION, "H": PURPLE, "D": BLACK, "R": BLACK}
_OTHERS = (ORANGE, GREEN, SKY, YELLOW, "#999999", "#56B4E9")


def compartment_colours(compartments: tuple[str, ...]) -> dict[str, str]:
    """A colour per compartment: S blue, Z vermillion, H purple, D and R black, others in turn."""
    out, k = {}, 0
    for c in compartments:
        if c in _COMPARTMENT:
            out[c] = _COMPARTMENT[c]
        else:
            out[c] = _OTHERS[k % len(_OTHERS)]
            k += 1
    return out


class LiveMap:
    """The map figure of one page; ``figure`` is the Bokeh figure to put in the page."""

    def __init__(self, layout: MapLayout, roles: Roles, scale: float, title: str) -> None:
        models, figure = _bokeh()
        self.layout, self.roles, self.scale = layout, roles, scale
        x0, x1, y0, y1 = layout.bounds()
        fig = figure(
            title=title,
            x_range=(x0, x1),
            y_range=(y0, y1),
            match_aspect=True,
            tools="tap,box_select,pan,wheel_zoom,reset",
            active_drag="box_select",
            sizing_mode="stretch_both",
            min_height=420,
            min_width=420,
            toolbar_location="above",
        )
        fig.xgrid.visible = fig.ygrid.visible = False
        unit = f" ({layout.unit})" if layout.unit else ""
        fig.xaxis.axis_label, fig.yaxis.axis_label = f"west–east{unit}", f"south–north{unit}"
        self.mapper = models.LinearColorMapper(palette=list(PALETTE), low=0, high=255)
        self.image = models.ColumnDataSource({"image": [self._blank()]})
        if layout.raster:
            fig.image(
                image="image",
                source=self.image,
                x=layout.left,
                y=layout.bottom,
                dw=layout.cols * layout.cell,
                dh=layout.rows * layout.cell,
                color_mapper=self.mapper,
            )
        if layout.outlines:  # one line broken by NaN: one glyph for every border
            gap = np.array([[np.nan, np.nan]])
            joined = np.concatenate([np.concatenate([o, gap]) for o in layout.outlines])
            borders = models.ColumnDataSource({"x": joined[:, 0], "y": joined[:, 1]})
            fig.line("x", "y", source=borders, line_color="#333333", line_width=0.8)
        self._draw_sites(fig, models)
        self._draw_marks(fig, models)
        self._scale_bar(fig, models)
        self.figure: Any = fig

    def _draw_sites(self, fig: Any, models: Any) -> None:
        """The places off the grid: squares sized by their people, named on hover."""
        lay = self.layout
        self.sites = models.ColumnDataSource(
            {
                "x": lay.sx,
                "y": lay.sy,
                "size": lay.size,
                "code": np.zeros(len(lay.sites), dtype=np.uint8),
                "name": [lay.labels[p] for p in lay.sites],
            }
        )
        squares = fig.scatter(
            "x", "y", size="size", marker="square", source=self.sites,
            fill_color={"field": "code", "transform": self.mapper},
            line_color="#555555", line_width=0.6,
            nonselection_fill_alpha=1.0, nonselection_line_alpha=1.0,
        )  # fmt: skip
        fig.add_tools(models.HoverTool(tooltips=[("place", "@name")], renderers=[squares]))

    def _draw_marks(self, fig: Any, models: Any) -> None:
        """Where the interventions drawn so far act: a dashed box each, labelled."""
        columns: dict[str, list[Any]] = {k: [] for k in ("left", "right", "bottom", "top")}
        self.drawn = models.ColumnDataSource(columns | {"what": [], "colour": []})
        fig.quad(
            left="left", right="right", bottom="bottom", top="top", source=self.drawn,
            fill_alpha=0.08, fill_color="colour", line_color="colour", line_width=2,
            line_dash="dashed",
        )  # fmt: skip
        fig.text("left", "top", text="what", source=self.drawn, text_font_size="11px",
                 text_color="colour", text_baseline="bottom")  # fmt: skip

    def _blank(self) -> np.ndarray:
        return np.zeros((max(self.layout.rows, 1), max(self.layout.cols, 1)), dtype=np.uint8)

    def _scale_bar(self, fig: Any, models: Any) -> None:
        if self.layout.unit != "km":
            return
        bar = models.ScaleBar(
            range=fig.x_range, unit="km", dimensional=models.Metric(base_unit="m"),
            location="bottom_right", bar_length=0.2,
        )  # fmt: skip
        fig.add_layout(bar)

    def show(self, counts: FloatArray) -> None:
        """Colour the places by ``counts`` (patches by base compartments)."""
        codes = encode(counts, self.roles, self.scale)
        if self.layout.raster:
            self.image.data = {"image": [self.layout.image(codes)]}
        if len(self.layout.sites):
            self.sites.patch(
                {"code": [(slice(0, len(self.layout.sites)), codes[self.layout.sites])]}
            )

    def mark(self, what: str, patches: list[int]) -> None:
        """Draw the box of an intervention on ``patches``, labelled ``what``."""
        lay = self.layout
        xs, ys = [], []
        for p in patches:
            hit = np.flatnonzero(lay.on == p)
            if hit.size:
                r, c = divmod(int(lay.flat[hit[0]]), lay.cols)
                xs += [lay.left + c * lay.cell, lay.left + (c + 1) * lay.cell]
                ys += [lay.bottom + r * lay.cell, lay.bottom + (r + 1) * lay.cell]
            else:
                k = int(np.flatnonzero(lay.sites == p)[0])
                pad = 0.015 * (lay.bounds()[1] - lay.bounds()[0])
                xs += [lay.sx[k] - pad, lay.sx[k] + pad]
                ys += [lay.sy[k] - pad, lay.sy[k] + pad]
        colour = _ACTION_COLOURS.get(what, "#333333")
        row = {"left": [min(xs)], "right": [max(xs)], "bottom": [min(ys)], "top": [max(ys)]}
        self.drawn.stream(row | {"what": [what], "colour": [colour]})

    def clear_marks(self) -> None:
        self.drawn.data = {str(k): [] for k in self.drawn.data}


def _bokeh() -> tuple[Any, Any]:
    """Bokeh's models and its ``figure``, imported when a page is made (and typed loosely:
    Bokeh's own annotations do not know the keywords its figures take)."""
    import bokeh.models
    import bokeh.plotting

    return bokeh.models, bokeh.plotting.figure


class LiveChart:
    """Each compartment's total over time: grows as the run goes, keeps one run to compare."""

    def __init__(self, compartments: tuple[str, ...], unit: str, t_end: float) -> None:
        models, figure = _bokeh()
        self.compartments = compartments
        fig = figure(
            title="totals over time",
            x_range=(0.0, t_end),
            sizing_mode="stretch_width",
            height=300,
            tools="pan,wheel_zoom,reset,save",
            toolbar_location="above",
        )
        fig.xaxis.axis_label = f"time ({unit}s)" if unit else "time"
        fig.yaxis.axis_label = "people"
        fig.yaxis.formatter = models.NumeralTickFormatter(format="0,0")
        empty: dict[str, list[float]] = {"t": [], **{c: [] for c in compartments}}
        self.now = models.ColumnDataSource(dict(empty))
        self.kept = models.ColumnDataSource(dict(empty))
        colours = compartment_colours(compartments)
        items = []
        for c in compartments:
            now = fig.line("t", c, source=self.now, color=colours[c], line_width=2)
            kept = fig.line("t", c, source=self.kept, color=colours[c], line_width=1.5,
                            line_dash="dashed", alpha=0.7)  # fmt: skip
            items.append(models.LegendItem(label=c, renderers=[now, kept]))
        legend = models.Legend(items=items, click_policy="hide", label_text_font_size="11px")
        legend.title = "dashed: kept run"
        legend.title_text_font_size = "10px"
        fig.add_layout(legend, "right")
        self.sent, self._last = 0, 0.0
        self.figure: Any = fig

    def show(self, times: FloatArray, totals: FloatArray) -> None:
        """Add the points after those already drawn (all of them again after a reset)."""
        if len(times) < self.sent or (self.sent and times[self.sent - 1] != self._last):
            self.sent = 0
            self.now.data = {"t": [], **{c: [] for c in self.compartments}}
        new = slice(self.sent, len(times))
        if new.start == new.stop:
            return
        cols = {c: totals[new, i] for i, c in enumerate(self.compartments)}
        self.now.stream({"t": times[new], **cols})
        self.sent = len(times)
        self._last = float(times[-1])

    def keep(self) -> None:
        """Keep the run drawn now, dashed, to compare with the next."""
        self.kept.data = dict(self.now.data)
