"""The live page of ``hyosan serve``: one per browser tab, each with its own run.

:class:`LivePage` builds the page (Panel widgets around the Bokeh figures of
:mod:`.figures`) for a :class:`~hyosan.viz.web.session.Session` and wires it:
Play, Pause, Step and Reset drive the session's thread; the map's clicks and
boxes drop zombies or cordon, lock down or strike places; the parameters'
inputs set values from that moment on; the engine, the seed and a new
scenario (built in, or uploaded as TOML) start a new run.

Frames are paced by the browser: a periodic callback sends the latest frame
only while fewer than :data:`IN_FLIGHT` sent frames wait to be drawn (the page
tells the server the number of each frame it drew, :meth:`LivePage._tick`), so
a slow browser gets fewer frames and never a queue of old ones. Every message a user's
input causes is shown in the page (an :class:`~hyosan.errors.InputError`'s
text); a fault of ours shows one line and is logged, and the server goes on.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import numpy as np

from hyosan.errors import HyosanError
from hyosan.scenario import Scenario, load_scenario
from hyosan.viz.web import controls
from hyosan.viz.web.colours import Roles
from hyosan.viz.web.figures import LiveChart, LiveMap
from hyosan.viz.web.geometry import MapLayout, space_of_world
from hyosan.viz.web.session import Session

__all__ = ["FRAME_MS", "LivePage"]

FRAME_MS = 15
"""How often the page looks for a frame that is due (frames also go as soon as the browser
confirms one: :meth:`LivePage.acked`)."""
RESEND_S = 2.0
"""Frames the browser has not confirmed by then are taken as lost and the next one sent."""
CHART_S = 0.25
"""The chart grows at most this often: redrawing it is half of what a frame costs the browser."""
IN_FLIGHT = 3
"""Frames on their way at most: the next goes while the browser draws one, never more."""

log = logging.getLogger("hyosan.serve")


class LivePage:
    """One tab: the widgets, the figures, the session, and the callbacks between them."""

    def __init__(self, scenario: str | Scenario = "hyosan-school") -> None:
        import panel as pn

        self.pn = pn
        self.first = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.ui = controls.Controls(self)
        self.body = pn.Column(sizing_mode="stretch_both")
        self.session: Session | None = None
        self._shown, self._sent_at, self._acked, self._playing = -1, 0.0, -1, False
        self._in_flight: deque[int] = deque()  # frames sent, not yet drawn
        self._charted = 0.0
        self._later: list[Callable[[], None]] = []
        self.start(self.first)
        self.view = pn.Row(self.ui.sidebar, self.body, sizing_mode="stretch_both")
        self._timer: Any = None

    def servable(self) -> Any:
        """The page's root, its frame timer started and its run stopped when the tab closes."""
        self._timer = self.pn.state.add_periodic_callback(self._tick, period=FRAME_MS)
        self.pn.state.on_session_destroyed(lambda _ctx: self.close())
        return self.view

    def close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self.session is not None:
            self.session.close()

    # -- a run ---------------------------------------------------------------------

    def start(self, scenario: Scenario, engine: str | None = None, seed: int | None = None) -> None:
        """A new session for ``scenario``: new figures, parameters, readouts."""
        session = Session(scenario, engine=engine, seed=seed)
        if self.session is not None:
            self.session.close()
        self.session = session
        sc = session.scenario
        self.map = self._map(session)
        self.chart = LiveChart(session.model.compartments, sc.time.unit, float(sc.time.end))
        self.ui.anchor(self.chart.figure)
        self.ui.new_run(session)
        parts: list[Any] = [self.ui.header, self.ui.readouts]
        figures: list[Any] = []
        if self.map is not None:
            figures.append(self.pn.pane.Bokeh(self.map.figure, sizing_mode="stretch_both"))
        figures.append(
            self.pn.Column(
                self.pn.pane.Bokeh(self.chart.figure, sizing_mode="stretch_width"),
                self.ui.characters,
                self.ui.legend,
                sizing_mode="stretch_width",
            )
        )
        parts.append(self.pn.Row(*figures, sizing_mode="stretch_both", min_height=480))
        self.body.objects = parts
        self._shown, self._acked = -1, -1
        self._in_flight.clear()

    def _map(self, session: Session) -> LiveMap | None:
        world = session.world
        if world is None:
            return None
        layout = MapLayout.of(space_of_world(world), world.population)
        m = session.model
        roles = Roles.of(m.compartments, m.humans, m.zombies, m.survivors)
        scale = float(np.max(world.population, initial=1.0))
        live = LiveMap(layout, roles, scale, f"{session.scenario.name}: click to act on a place")
        from bokeh.events import SelectionGeometry, Tap

        live.figure.on_event(Tap, self._tap)
        live.figure.on_event(SelectionGeometry, self._box)
        return live

    # -- what the user does ----------------------------------------------------------

    def guarded(self, what: Any, *args: Any) -> bool:
        """Call ``what(*args)``; show its :class:`HyosanError` in the page. True if it went."""
        try:
            what(*args)
        except HyosanError as error:
            self.ui.say(str(error), bad=True)
            return False
        except Exception as error:  # a fault of ours: one line in the page, the trace in the log
            log.exception("hyosan serve: internal error")
            self.ui.say(f"internal error: {type(error).__name__}: {error}", bad=True)
            return False
        return True

    def _tap(self, event: Any) -> None:
        if self.map is None:
            return
        p = self.map.layout.patch_at(float(event.x), float(event.y))
        if p is None:
            self.ui.say("no place there: click on a room, a district or a cell of the map")
            return
        self.guarded(self.on_places, [p])

    def _box(self, event: Any) -> None:
        geometry = event.geometry
        if self.map is None or not event.final or geometry.get("type") != "rect":
            return
        box = (geometry["x0"], geometry["x1"], geometry["y0"], geometry["y1"])
        patches = self.map.layout.patches_in(*(float(v) for v in box)).tolist()
        if not patches:
            self.ui.say("no place inside that box")
            return
        self.guarded(self.on_places, patches)

    def on_places(self, patches: list[int]) -> None:
        """Do the chosen tool's action on ``patches`` (checked first: errors go to the page)."""
        assert self.session is not None and self.map is not None
        tool = self.ui.tool()
        labels = self.map.layout.labels
        where = labels[patches[0]] if len(patches) == 1 else f"{len(patches):,} places"
        if tool == "drop":
            count = self.ui.drop_count()
            self.session.release(patches, count)
            self.ui.say(f"dropped {count:,.0f} zombies into {where}", bad=False)
            return
        self.session.act_on(tool, patches)
        self.map.mark(tool, patches)
        self.ui.say(f"{tool}: {where}", bad=False)

    def restart(self, **changes: Any) -> None:
        """Start again with another engine, seed or scenario (the others as they are)."""
        assert self.session is not None
        scenario = changes.get("scenario", self.session.scenario)
        engine = changes.get("engine", self.ui.engine())
        seed = changes.get("seed", self.ui.seed())
        self.start(scenario, engine=engine, seed=seed)

    # -- frames ----------------------------------------------------------------------

    def later(self, change: Callable[[], None]) -> None:
        """Change the figures at the next tick, which holds the page's document: a button's
        callback does not, and Bokeh refuses a change to its models there (seen: a Reset,
        once in a few hundred, raised "_pending_writes should be non-None")."""
        self._later.append(change)

    def _tick(self) -> None:
        while self._later:
            self._later.pop(0)()
        session = self.session
        if session is None:
            return
        frame = session.frame()
        if frame is None or (frame.number, session.playing) == (self._shown, self._playing):
            return
        while self._in_flight and self._in_flight[0] <= self._acked:
            self._in_flight.popleft()
        late = time.monotonic() - self._sent_at >= RESEND_S
        if len(self._in_flight) >= IN_FLIGHT and not late:
            return
        if late:
            self._in_flight.clear()
        try:
            self._show(session, frame)
        except Exception:
            log.exception("hyosan serve: could not draw a frame")
            self.ui.say("internal error: could not draw this frame (see the server's log)")

    def _show(self, session: Session, frame: Any) -> None:
        if self.map is not None and frame.counts is not None:
            self.map.show(frame.counts)
        now = time.monotonic()
        if now - self._charted >= CHART_S or frame.finished or not session.playing:
            times, totals = session.history()
            shown = int(np.searchsorted(times, frame.t, side="right"))  # not ahead of the map
            self.chart.show(times[:shown], totals[:shown])
            self._charted = now
        self.ui.show(frame)
        self._shown, self._sent_at = frame.number, time.monotonic()
        self._playing = session.playing
        self._in_flight.append(frame.number)

    def acked(self, number: int) -> None:
        """The browser drew frame ``number``: the next frame goes now, if there is one."""
        self._acked = number
        self._tick()
