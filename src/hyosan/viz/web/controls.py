"""The live page's widgets: the sidebar's controls, the readouts, the message line.

Every control has an accessible name (its visible text, or an ``aria-label``):
the buttons "Play", "Pause", "Step", "Reset"; the readouts are text, "t = 3.25
hours" and one per compartment ("Z 1,234"), so that a screen reader and a
test can read the state. Each parameter's input is named by the parameter and
its unit and described by the model's own description.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hyosan.errors import InputError
from hyosan.model.core import probabilities
from hyosan.scenario import load_scenario_text
from hyosan.scenario.builtin import list_scenarios
from hyosan.viz.web.colours import LEGEND
from hyosan.viz.web.download import zipped
from hyosan.viz.web.figures import compartment_colours
from hyosan.viz.web.session import PLACE_ACTIONS, Frame, Session

if TYPE_CHECKING:
    from hyosan.viz.web.page import LivePage

__all__ = ["MAX_UPLOAD", "SPEEDS", "Controls"]

MAX_UPLOAD = 1_000_000
"""The largest scenario file the page takes, in bytes."""
SPEEDS = {"×¼": 0.25, "×½": 0.5, "×1": 1.0, "×2": 2.0, "×4": 4.0, "×10": 10.0}
SPEEDS["fastest"] = math.inf
"""Speeds to choose: times the pace that runs the whole scenario in 30 s; or as fast as it goes."""
TOOLS = {"drop zombies": "drop", **{name: name for name in PLACE_ACTIONS}}
HINTS = {"drop": "drop zombies: click a place"} | {
    name: f"{name}: click a place, or drag a box over several" for name in PLACE_ACTIONS
}
"""What the message line says when a tool is chosen (the server has it from then on)."""
_TEXTS = """
// A frame's readouts: put each text into the span of its name (found once, through
// Panel's shadow roots), then tell the server this frame is drawn.
const data = JSON.parse(cb_obj.data.payload[0] || "{}");
if (data.texts) {
  const cache = (window.hyosanSpans = window.hyosanSpans || {});
  const find = (node, sel) => {
    const el = node.querySelector(sel);
    if (el) return el;
    for (const n of node.querySelectorAll("*")) {
      if (n.shadowRoot) { const f = find(n.shadowRoot, sel); if (f) return f; }
    }
    return null;
  };
  for (const [name, text] of Object.entries(data.texts)) {
    let el = cache[name];
    if (!el || !el.isConnected) {
      el = cache[name] = find(document, `span.readout[aria-label="${name}"]`);
    }
    if (el) el.textContent = text;
  }
  drawn.data = {n: [data.n]};
}
"""
_CSS = """
.readout { display:inline-block; margin:0 14px 0 0; font:600 15px/1.6 system-ui,sans-serif; }
.message { font: 14px system-ui, sans-serif; }
.legend span.swatch { display:inline-block; width:12px; height:12px; margin:0 4px 0 10px;
  vertical-align:middle; border:1px solid #777; }
table.chars { border-collapse: collapse; font: 13px system-ui, sans-serif; }
table.chars td, table.chars th {
  padding: 2px 10px; border-bottom: 1px solid #ddd; text-align: left; }
"""


class Controls:
    """The widgets of one page, and what each does to its :class:`LivePage`."""

    def __init__(self, page: LivePage) -> None:
        import bokeh.models
        import panel as pn

        models: Any = bokeh.models
        CustomJS = models.CustomJS
        self.page, self.pn = page, pn
        self._reverting = False
        self._spans_of: Session | None = None
        names = [n for n, _ in list_scenarios()]
        first = page.first.name
        if first not in names:
            names.append(f"file: {first}")
        self.scenario = pn.widgets.Select(
            name="Scenario", options=names, value=first if first in names else names[-1]
        )
        self.upload = pn.widgets.FileInput(accept=".toml", name="Upload a scenario (.toml)")
        self.engine_in = pn.widgets.Select(name="Engine", options=["ssa", "tau", "ode"])
        self.seed_in = pn.widgets.IntInput(name="Seed", value=1, start=0, end=2**31 - 1)
        self.speed = pn.widgets.Select(name="Speed", options=list(SPEEDS), value="×1")
        self.buttons = {
            n: pn.widgets.Button(name=n, width=66) for n in ("Play", "Pause", "Step", "Reset")
        }
        self.tool_in = pn.widgets.RadioButtonGroup(
            name="On the map", options=list(TOOLS), value="drop zombies", button_type="light"
        )
        self.count = pn.widgets.IntInput(name="Zombies to drop", value=5, start=1, end=10**9)
        self.keep = pn.widgets.Button(name="Keep this run to compare")
        self.download = pn.widgets.FileDownload(
            callback=self._zip, filename="hyosan-run.zip", label="Download this run (zip)"
        )
        self.params = pn.Column()
        self.message = pn.pane.HTML(
            "", css_classes=["message"], sizing_mode="stretch_width", height=24
        )
        # fixed sizes: a new text in them lays out nothing else again (each frame sends one)
        self.readouts = pn.pane.HTML("", sizing_mode="stretch_width", height=30, stylesheets=[_CSS])
        self.characters = pn.pane.HTML("", width=460, height=0, stylesheets=[_CSS])
        self.legend = pn.pane.HTML("", stylesheets=[_CSS])
        self.title = pn.pane.HTML("")
        self.header = pn.Column(self.title, self.message, sizing_mode="stretch_width")
        # frames' readouts go out in `clock`, and the number of each frame drawn comes back
        # in `drawn`: data sources, not parts of the layout, so that neither lays out the page
        self.clock = models.ColumnDataSource({"payload": [""]})
        self.drawn = models.ColumnDataSource({"n": [-1]})
        self.clock.js_on_change("data", CustomJS(args={"drawn": self.drawn}, code=_TEXTS))
        self.drawn.on_change("data", lambda _a, _o, new: page.acked(int(new["n"][0])))
        self._custom_js = CustomJS
        self._wire()
        self.sidebar = pn.Column(
            pn.pane.HTML("<h2 style='margin:4px 0'>hyosan</h2>"),
            self.scenario, self.upload, self.engine_in, self.seed_in, self.speed,
            pn.Row(*self.buttons.values()),
            pn.pane.HTML("<b>On the map</b>: click a place, or drag a box"),
            self.tool_in, self.count,
            pn.pane.HTML("<b>Parameters</b> (from now on)"), self.params,
            self.keep, self.download,
            width=330, scroll=True,
        )  # fmt: skip

    def _wire(self) -> None:
        page = self.page
        acts: dict[str, Callable[[], None]] = {
            "Play": lambda: self._session().play(),
            "Pause": lambda: self._session().pause(),
            "Step": lambda: self._session().step(),
            "Reset": self._reset,
        }
        for name, act in acts.items():
            self.buttons[name].on_click(_quietly(page.guarded, act))
        self.speed.param.watch(lambda e: page.guarded(self._set_speed, e.new), "value")
        self.tool_in.param.watch(lambda e: self.say(HINTS[TOOLS[e.new]]), "value")
        self.scenario.param.watch(lambda e: page.guarded(self._builtin, e.new), "value")
        self.upload.param.watch(lambda e: page.guarded(self._uploaded, e.new), "value")
        self.engine_in.param.watch(lambda e: self._restart(engine=e.new), "value")
        self.seed_in.param.watch(lambda e: self._restart(seed=e.new), "value")
        self.keep.on_click(_quietly(page.guarded, lambda: page.later(page.chart.keep)))

    def _session(self) -> Session:
        assert self.page.session is not None
        return self.page.session

    # -- reading the controls --------------------------------------------------------

    def tool(self) -> str:
        return TOOLS[self.tool_in.value]

    def drop_count(self) -> float:
        value = self.count.value
        if value is None:
            raise InputError("how many zombies?", key="zombies", value=None, allowed="a number")
        return float(value)

    def engine(self) -> str:
        return str(self.engine_in.value)

    def seed(self) -> int:
        return int(self.seed_in.value or 0)

    # -- what they do ----------------------------------------------------------------

    def _reset(self) -> None:
        assert self.page.session is not None
        self.page.session.reset()
        if self.page.map is not None:
            self.page.later(self.page.map.clear_marks)
        self._fill_parameters(self.page.session)
        self.say("")

    def _restart(self, **changes: Any) -> None:
        """A new run for a changed engine or seed; nothing when the run has them already
        (the page showing the run's own choices comes back here, at once or later)."""
        session = self.page.session
        now = {"engine": session.scenario.engine, "seed": session.seed} if session else {}
        if self._reverting or all(now.get(k) == v for k, v in changes.items()):
            return
        self.page.guarded(lambda: self.page.restart(**changes))

    def _set_speed(self, name: str) -> None:
        assert self.page.session is not None
        self.page.session.set_speed(SPEEDS[name])

    def _builtin(self, name: str) -> None:
        from hyosan.scenario import load_scenario

        if name.startswith("uploaded: "):
            return
        scenario = self.page.first if name.startswith("file: ") else load_scenario(name)
        self.page.restart(scenario=scenario, engine=None, seed=None)

    def _uploaded(self, data: bytes | None) -> None:
        if not data:
            return
        filename = self.upload.filename or "upload.toml"
        if len(data) > MAX_UPLOAD:
            raise InputError(
                "this file is too large for the page",
                key="upload", value=f"{filename}: {len(data):,} bytes", allowed="at most 1 MB",
            )  # fmt: skip
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(
                "not a text file", key="upload", value=filename, allowed="UTF-8 TOML"
            ) from None
        scenario = load_scenario_text(text, source=filename)
        self.page.restart(scenario=scenario, engine=None, seed=None)
        label = f"uploaded: {scenario.name}"
        self.scenario.options = [*list(self.scenario.options)[:12], label]
        self.say(f"loaded {html.escape(filename)}", bad=False)

    def _zip(self) -> Any:
        import io

        assert self.page.session is not None
        try:
            data = zipped(self.page.session)
        except InputError as error:
            self.say(str(error), bad=True)
            return io.BytesIO(b"")
        self.download.filename = f"{self.page.session.scenario.name}-run.zip"
        return io.BytesIO(data)

    def say(self, text: str, bad: bool | None = None) -> None:
        """Show ``text`` on the message line (red when ``bad``); "" clears it."""
        colour = {True: "#B00020", False: "#1B5E20", None: "#333333"}[bad]
        role = ' role="alert"' if bad else ""
        self.message.object = (
            f'<div class="message"{role} style="color:{colour}">{html.escape(text)}</div>'
            if text
            else ""
        )

    # -- a new run -------------------------------------------------------------------

    def new_run(self, session: Session) -> None:
        sc = session.scenario
        self.title.object = (
            f"<h3 style='margin:2px 0'>{html.escape(sc.name)}</h3>"
            f"<div style='font:13px system-ui'>{html.escape(sc.description)}</div>"
        )
        self._reverting = True  # shown, not acted on
        try:
            self.engine_in.value = sc.engine
            self.seed_in.value = session.seed
        finally:
            self._reverting = False
        self._fill_parameters(session)
        unit = sc.time.unit
        self._unit = unit if not unit or unit.endswith("s") else f"{unit}s"
        self.tool_in.disabled = self.count.disabled = session.world is None
        session.set_speed(SPEEDS[str(self.speed.value)])
        self.legend.object = _legend() if session.world is not None else ""
        self.characters.height = _CHARACTER_ROW * (len(sc.characters) + 1) if sc.characters else 0
        self.say("")

    def _fill_parameters(self, session: Session) -> None:
        pn, model = self.pn, session.model
        probs, values = set(probabilities(model)), session.values()
        inputs = []
        for p in model.parameters:
            unit = f" ({p.unit})" if p.unit else ""
            describe = p.description + (" (a probability: 0 to 1)" if p.name in probs else "")
            box = pn.widgets.FloatInput(
                name=f"{p.name}{unit}", value=values[p.name], step=0.01,
                description=describe or None,
            )  # fmt: skip
            box.param.watch(lambda e, n=p.name: self._parameter(n, e), "value")
            inputs.append(box)
        self.params.objects = inputs

    def _parameter(self, name: str, event: Any) -> None:
        session = self.page.session
        assert session is not None
        if self._reverting:
            return
        if not self.page.guarded(session.set_parameters, {name: event.new}):
            self._reverting = True
            try:
                event.obj.value = event.old  # the page shows the value the run has
            finally:
                self._reverting = False
        else:
            self.say(f"{name} = {event.new:g} from t = {session.live.t:,.2f} on", bad=False)

    # -- each frame ------------------------------------------------------------------

    def show(self, frame: Frame) -> None:
        """The frame's readouts: new text in the spans the page already has (see :data:`_TEXTS`),
        sent with the frame's number; the characters' table when it changed."""
        session = self.page.session
        assert session is not None
        texts = {"time": f"t = {frame.t:,.2f} {self._unit}"}
        for c, v in zip(session.model.compartments, frame.totals, strict=True):
            n = f"{v:,.0f}" if v >= 10 or v == round(v) else f"{v:,.2f}"
            texts[f"{c} total"] = f"{c} {n}"
        playing = "playing" if session.playing else "paused"
        texts["state"] = "finished" if frame.finished else playing
        if frame.error:
            self.say(frame.error, bad=True)
        _put(self.characters, _characters(frame))
        if self._spans_of is not session:  # a new run: its spans, with this frame's texts
            self._spans(session, texts)
        self.clock.data = {"payload": [json.dumps({"n": frame.number, "texts": texts})]}

    def anchor(self, figure: Any) -> None:
        """Put the frame sources into the page through ``figure`` (any model of the page
        that refers to them brings them in)."""
        refs = {"clock": self.clock, "drawn": self.drawn}
        figure.js_on_change("tags", self._custom_js(args=refs, code=""))

    def _spans(self, session: Session, texts: dict[str, str]) -> None:
        """The readouts' spans, one per name, holding ``texts``; :meth:`show` fills them later."""
        colours = compartment_colours(session.model.compartments)
        parts = []
        for name, text in texts.items():
            c = name.split()[0]
            style = f' style="color:{colours[c]}"' if c in colours else ""
            label = html.escape(name)
            parts.append(f'<span class="readout" aria-label="{label}"{style}>{text}</span>')
        self.readouts.object = "".join(parts)
        self._spans_of = session


def _put(pane: Any, text: str) -> None:
    """Show ``text`` in ``pane``, sending nothing when it shows that already."""
    if pane.object != text:
        pane.object = text


def _quietly(guarded: Callable[..., bool], act: Callable[[], None]) -> Callable[[Any], None]:
    """A click handler: ``guarded(act)``, its answer dropped."""

    def handler(_event: Any) -> None:
        guarded(act)

    return handler


_CHARACTER_ROW = 40
"""Pixels per row of the characters' table: room for a place's label on two lines."""


def _characters(frame: Frame) -> str:
    if not frame.characters:
        return ""
    rows = "".join(
        f"<tr><td>{html.escape(n)}</td><td>{html.escape(s)}</td><td>{html.escape(p)}</td></tr>"
        for n, s, p in frame.characters
    )
    head = "<tr><th>who</th><th>state</th><th>where</th></tr>"
    return f'<table class="chars" aria-label="characters">{head}{rows}</table>'


def _legend() -> str:
    items = "".join(
        f'<span class="swatch" style="background:{c}"></span>{html.escape(t)}' for t, c in LEGEND
    )
    style = "font:13px system-ui"
    more = " · darker: more people"
    return f'<div class="legend" aria-label="legend" style="{style}">{items}{more}</div>'
