"""The offline page's Bokeh models: the map, the totals chart, the readouts, the cast, the story.

:func:`page_html` lays out what :class:`~hyosan.viz.web.view.ViewData` holds
and writes it as one standalone HTML document with Bokeh's scripts inline. One
``CustomJS`` callback (:data:`_SHOW`) draws the output time the slider is at:
it writes that time's codes into the map's image and markers, moves the
chart's time line, and rewrites the readouts and the cast's table; it also
runs once when the page is ready. The Play button (:data:`_PLAY`) moves the
slider on a timer. Every text it writes was escaped here, in Python.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np

from hyosan.viz.web.colours import LEGEND, PALETTE

if TYPE_CHECKING:
    from hyosan.viz.web.view import ViewData

__all__ = ["page_html"]

MAP_WIDTH, CHART_WIDTH, PAGE_WIDTH = 660, 600, 1320

_CSS = """
:host { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; }
h1 { font-size: 1.6em; margin: 0 0 0.2em 0; }
h2 { font-size: 1.15em; margin: 0.6em 0 0.3em 0; }
p { margin: 0.25em 0; line-height: 1.4; }
.note { color: #555; }
.hyosan-time { font-size: 1.25em; font-weight: 600; font-variant-numeric: tabular-nums; }
.readouts { display: flex; flex-wrap: wrap; gap: 0.4em 1.2em; font-size: 1.05em; }
.hyosan-total { font-variant-numeric: tabular-nums; white-space: nowrap; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.35em;
  vertical-align: -0.1em; border: 1px solid #0003; border-radius: 2px; }
.ramp { display: inline-block; width: 7em; height: 0.9em; margin: 0 0.35em;
  vertical-align: -0.1em; border: 1px solid #0003; }
.legend { display: flex; flex-wrap: wrap; gap: 0.3em 1.1em; font-size: 0.92em; color: #333; }
table { border-collapse: collapse; font-size: 0.95em; }
th, td { text-align: left; padding: 0.25em 0.8em 0.25em 0; border-bottom: 1px solid #ddd; }
thead th { border-bottom: 2px solid #999; }
.story { max-width: 60em; }
.story table { margin: 0.5em 0; }
"""

_SHOW = """
const T = times.length;
const i = Math.max(0, Math.min(T - 1, Math.round(slider.value)));
const n = width, m = flat.length;
if (image !== null) {
  const im = image.data.image[0];
  for (let j = 0; j < m; j++) im[flat[j]] = frames[i * n + j];
  image.change.emit();
}
if (sites !== null) {
  const d = sites.data, s = d.code.length;
  for (let j = 0; j < s; j++) {
    d.code[j] = frames[i * n + m + j];
    d.humans[j] = humans[i * s + j];
    d.zombies[j] = zombies[i * s + j];
  }
  sites.change.emit();
}
span.location = times[i];
clock.text = `<span class="hyosan-time" role="status" aria-label="time shown">${clocks[i]}</span>`;
const fmt = (v) => Math.round(v).toLocaleString("en-US");
const G = groups.length;
readouts.text = '<div class="readouts">' + groups.map((g, k) =>
  `<span class="hyosan-total hyosan-total-${slugs[k]}" role="status" aria-label="${g} ${who}">` +
  `<span class="swatch" style="background:${colours[k]}"></span>` +
  `${g} ${fmt(totals[i * G + k])}</span>`
).join("") + "</div>";
if (cast !== null) {
  const K = names.length;
  const at = (t, c) => {
    const p = place[t * K + c];
    return words[state[t * K + c]] + (p >= 0 ? " in " + places[p] : "");
  };
  let rows = "";
  for (let c = 0; c < K; c++) {
    rows += `<tr><th scope="row">${names[c]}</th><td>${at(i, c)}</td>` +
      `<td>${at(T - 1, c)}</td><td>${survived[c]}</td></tr>`;
  }
  cast.text = head + "<tbody>" + rows + "</tbody></table>";
}
setTimeout(() => {  // after the slider's own update: name the handle, say the time
  for (const root of Bokeh.index.roots) {
    const handle = root.owner.find_one(slider)?.shadow_el?.querySelector(".noUi-handle");
    handle?.setAttribute("aria-label", "time");
    handle?.setAttribute("aria-valuetext", clocks[i]);
  }
}, 0);
"""

_PLAY = """
if (window.hyosanTimer) { clearInterval(window.hyosanTimer); window.hyosanTimer = null; }
if (!toggle.active) { toggle.label = "\u25b6 Play"; return; }
if (slider.value >= slider.end) slider.value = slider.start;
toggle.label = "\u275a\u275a Pause";
window.hyosanTimer = setInterval(() => {
  if (slider.value >= slider.end) { toggle.active = false; return; }
  slider.value = slider.value + 1;
}, ms);
"""


def page_html(data: ViewData) -> str:
    """The whole page: one standalone HTML document, Bokeh's scripts and the data inline."""
    from bokeh.document import Document
    from bokeh.embed import file_html
    from bokeh.layouts import column, row
    from bokeh.models import CustomJS
    from bokeh.models.widgets.buttons import Toggle
    from bokeh.models.widgets.sliders import Slider

    T = len(data.times)
    slider = Slider(start=0, end=max(T - 1, 1), value=T - 1, step=1, title="time",
                    show_value=False, width=MAP_WIDTH - 290, disabled=T < 2)  # fmt: skip
    toggle = Toggle(label="\u25b6 Play", button_type="primary", width=100, disabled=T < 2)
    clock, readouts = _div("", width=280), _div("", width=MAP_WIDTH)
    chart, span = _chart(data)
    drawn = _map(data) if data.layout is not None else None
    cast = _div("", width=CHART_WIDTH) if data.cast is not None else None
    args = _show_args(data, drawn, cast) | {
        "slider": slider, "span": span, "clock": clock, "readouts": readouts
    }  # fmt: skip
    show = CustomJS(args=args, code=_SHOW)
    slider.js_on_change("value", show)
    ms = int(np.clip(12000 / max(T, 1), 60, 250))
    toggle.js_on_change("active", CustomJS(args={"toggle": toggle, "slider": slider, "ms": ms},
                                           code=_PLAY))  # fmt: skip
    controls = column(row(toggle, slider, clock), readouts)
    left: list[Any] = [drawn[0], _legend(data)] if drawn is not None else [chart]
    right: list[Any] = [chart] if drawn is not None else []
    if cast is not None:
        right += [_div("<h2>The characters</h2>", width=CHART_WIDTH), cast]
    panels = [column(*left, controls)] + ([column(*right)] if right else [])
    body = [_header(data), row(*panels)]
    if data.story:
        body.append(_div(f'<div class="story">{data.story}</div>', width=PAGE_WIDTH))
    doc = Document()
    doc.add_root(column(*body, margin=(10, 20, 30, 20)))
    doc.js_on_event("document_ready", show)
    doc.title = f"{data.title}: hyosan view"
    return str(file_html(doc, resources=_inline_only(), title=doc.title))


def _inline_only() -> Any:
    """Bokeh's resources inline, and no file of any other package: importing Panel (the live
    page, in the same process) adds a script of its models that Bokeh would link to by a
    relative path, which a page opened from disk cannot load."""
    from bokeh.resources import Resources

    class InlineOnly(Resources):
        @property
        def js_files(self) -> list[str]:
            return []

        @property
        def css_files(self) -> list[str]:
            return []

        def clone(self, *, components: Any = None) -> Resources:  # Bokeh clones it to bundle
            return InlineOnly(mode="inline", components=components or list(self.components))

    return InlineOnly(mode="inline")


def _div(text: str, *, width: int) -> Any:
    """A Bokeh ``Div`` with the page's styles, HTML as given, no TeX (no MathJax to fetch)."""
    from bokeh.models import InlineStyleSheet
    from bokeh.models.widgets.markups import Div

    return Div(text=text, width=width, disable_math=True, stylesheets=[InlineStyleSheet(css=_CSS)])


def _header(data: ViewData) -> Any:
    """The title, the scenario's description and what the page shows."""
    parts = [f"<h1>{html.escape(data.title)}</h1>"]
    if data.description:
        parts.append(f"<p>{html.escape(data.description)}</p>")
    parts.append(f'<p class="note">{html.escape(data.note)}</p>')
    return _div("".join(parts), width=PAGE_WIDTH)


def _show_args(data: ViewData, drawn: tuple[Any, Any, Any] | None, cast: Any) -> dict[str, Any]:
    """The arguments of :data:`_SHOW`: the models it changes and the data it reads."""
    _, image, sites = drawn if drawn is not None else (None, None, None)
    layout, frames, people = data.layout, data.frames, data.site_people
    none = np.empty(0)
    humans, zombies = (none, none) if people is None else (people[0].ravel(), people[1].ravel())
    args: dict[str, Any] = {
        "times": [float(t) for t in data.times],
        "clocks": list(data.clocks),
        "groups": [g.name for g in data.groups],
        "slugs": [g.name.split()[0] for g in data.groups],
        "colours": [g.colour for g in data.groups],
        "totals": np.ascontiguousarray(data.totals, dtype=np.float64).ravel(),
        "who": f"in run {data.run + 1} at the time shown",
        "image": image,
        "sites": sites,
        "flat": (layout.flat if layout is not None else np.empty(0)).astype(np.int32),
        "frames": frames.ravel() if frames is not None else np.empty(0, np.uint8),
        "width": frames.shape[1] if frames is not None else 0,
        "humans": humans,
        "zombies": zombies,
        "cast": cast,
    }
    return args | _cast_args(data)


def _cast_args(data: ViewData) -> dict[str, Any]:
    """The cast's names, states and places for :data:`_SHOW`'s table, escaped."""
    c = data.cast
    if c is None:
        return {}
    head = (
        "<table><thead><tr><th>who</th><th>at the time shown</th>"
        f"<th>at the end (run {data.run + 1})</th><th>survived, all runs (± 1 SE)</th>"
        "</tr></thead>"
    )
    return {
        "head": head,
        "names": [html.escape(n) for n in c.names],
        "state": c.state.astype(np.int32).ravel(),
        "place": c.place.astype(np.int32).ravel(),
        "words": [html.escape(w) for w in c.words],
        "places": [html.escape(p) for p in data.places],
        "survived": list(c.survived),
    }


def _chart(data: ViewData) -> tuple[Any, Any]:
    """Each group's median over runs and its 10-90% band; a line at the time shown."""
    from bokeh.models import CustomJSTickFormatter, NumeralTickFormatter
    from bokeh.models.annotations.geometry import Span
    from bokeh.plotting import figure

    runs = "over runs: median and 10\u201390% of runs"
    options: dict[str, Any] = {
        "width": CHART_WIDTH if data.layout is not None else 900,
        "height": 400,
        "title": f"people in each group, {runs}",
        "x_axis_label": data.time_label,
        "y_axis_label": "people",
        "tools": "pan,box_zoom,wheel_zoom,reset,save",
        "toolbar_location": "above",
    }
    fig = figure(**options)
    t = data.times
    for g, (lo, mid, hi) in zip(data.groups, data.bands, strict=True):
        fig.varea(x=t, y1=lo, y2=hi, fill_color=g.colour, fill_alpha=0.2, legend_label=g.name)
        fig.line(t, mid, line_color=g.colour, line_width=2.2, legend_label=g.name)
    if float(np.max(data.bands, initial=0.0)) >= 1e6:
        fig.yaxis.axis_label = "people (millions)"
        fig.yaxis.formatter = CustomJSTickFormatter(code="return (tick / 1e6).toLocaleString();")
    else:
        fig.yaxis.formatter = NumeralTickFormatter(format="0,0")
    fig.y_range.start = 0  # type: ignore[attr-defined]
    span = Span(location=float(t[-1]), dimension="height", line_color="#333333",
                line_dash="dashed", line_width=1.5)  # fmt: skip
    fig.add_layout(span)
    fig.legend.orientation = "horizontal"
    fig.legend.click_policy = "hide"
    fig.add_layout(fig.legend[0], "below")
    return fig, span


def _map(data: ViewData) -> tuple[Any, Any, Any]:
    """The map figure, the source of its grid image (or None) and of its sites (or None)."""
    from bokeh.models import ColumnDataSource, HoverTool, LinearColorMapper

    layout, frames = data.layout, data.frames
    assert layout is not None and frames is not None
    fig = _map_figure(data)
    mapper = LinearColorMapper(palette=list(PALETTE), low=0, high=255)
    image = sites = None
    m = layout.on.size
    if layout.raster:
        img = np.zeros(layout.rows * layout.cols, dtype=np.uint8)
        img[layout.flat] = frames[-1, :m]
        image = ColumnDataSource({"image": [img.reshape(layout.rows, layout.cols)]})
        fig.image(image="image", x=layout.left, y=layout.bottom, dw=layout.cols * layout.cell,
                  dh=layout.rows * layout.cell, color_mapper=mapper, source=image)  # fmt: skip
    if layout.outlines:
        xs = [line[:, 0] for line in layout.outlines]
        ys = [line[:, 1] for line in layout.outlines]
        fig.multi_line(xs=xs, ys=ys, line_color="#444444", line_width=0.8, line_alpha=0.8)
    if layout.sites.size:
        sites = _sites(data, fig, mapper)
        tips = [("place", "@label"), ("humans", "@humans{0,0}"), ("zombies", "@zombies{0,0}")]
        fig.add_tools(HoverTool(renderers=fig.select(name="sites"), tooltips=tips))
    return fig, image, sites


def _map_figure(data: ViewData) -> Any:
    """An empty map figure whose frame has the world's proportions, north up."""
    from bokeh.models import Range1d
    from bokeh.plotting import figure

    assert data.layout is not None
    x0, x1, y0, y1 = data.layout.bounds()
    dx, dy = x1 - x0, y1 - y0
    w = MAP_WIDTH - 60
    h = int(np.clip(w * dy / dx, 300, 560))
    if dy / dx > h / w:  # widen to keep one km (or metre) as long across as up
        x0, x1 = (x0 + x1 - dy * w / h) / 2, (x0 + x1 + dy * w / h) / 2
    else:
        y0, y1 = (y0 + y1 - dx * h / w) / 2, (y0 + y1 + dx * h / w) / 2
    km = data.layout.unit == "km"
    options: dict[str, Any] = {
        "frame_width": w,
        "frame_height": h,
        "x_range": Range1d(start=x0, end=x1),
        "y_range": Range1d(start=y0, end=y1),
        "title": f"where people are in run {data.run + 1}",
        "x_axis_label": "x (km)" if km else "",
        "y_axis_label": "y (km)" if km else "",
        "tools": "pan,wheel_zoom,box_zoom,reset,save",
        "toolbar_location": "above",
    }
    fig = figure(**options)
    fig.grid.visible = False
    fig.axis.visible = km
    fig.background_fill_color = "#F7F9FB" if km else "#FFFFFF"
    return fig


def _sites(data: ViewData, fig: Any, mapper: Any) -> Any:
    """The places drawn as markers (and the doors between them); their data source."""
    from bokeh.models import ColumnDataSource

    layout, frames, people = data.layout, data.frames, data.site_people
    assert layout is not None and frames is not None and people is not None
    sx, sy = layout.sx, layout.sy
    if data.edges is not None and data.edges.size:
        a, b = data.edges
        fig.segment(x0=sx[a], y0=sy[a], x1=sx[b], y1=sy[b], line_color="#C8C8C8", line_width=1)
    source = ColumnDataSource(
        {
            "x": sx,
            "y": sy,
            "size": layout.size,
            "code": frames[-1, layout.on.size :].copy(),
            "label": [data.places[p] if data.places else str(p) for p in layout.sites],
            "humans": people[0, -1].copy(),
            "zombies": people[1, -1].copy(),
        }
    )
    fill = {"field": "code", "transform": mapper}
    fig.scatter("x", "y", size="size", marker="square", source=source, name="sites",
                fill_color=fill, line_color="#555555")  # fmt: skip
    return source


def _legend(data: ViewData) -> Any:
    """What the map's colours mean: the two ramps (log scale) and the plain colours."""

    def ramp(first: int) -> str:
        stops = ", ".join(PALETTE[first + k] for k in range(0, 126, 25))
        return f'<span class="ramp" style="background:linear-gradient(to right, {stops})"></span>'

    most = f"{data.scale:,.0f}"
    parts = [
        f"<span>humans 1{ramp(4)}{most}</span>",
        f"<span>zombies 1{ramp(130)}{most}</span>",
    ]
    parts += [
        f'<span><span class="swatch" style="background:{c}"></span>{name}</span>'
        for name, c in LEGEND[2:]
    ]
    note = (
        f"<p class='note'>people in a place, log scale up to {most} "
        "(the most in one place at the start)</p>"
    )
    return _div(f'<div class="legend">{"".join(parts)}</div>{note}', width=MAP_WIDTH)
