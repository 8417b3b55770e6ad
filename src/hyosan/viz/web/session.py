"""One tab's live run: a real engine run advanced in a background thread, changed as it goes.

A :class:`Session` holds a scenario prepared for one run (the same
:class:`~hyosan.ensemble.batch.Ensemble` ``hyosan run`` prepares) and a
:class:`~hyosan.engines.live.LiveRun` of it. Its thread advances the run in
pieces of about a thirtieth of a second of wall time, at the chosen speed
(simulated time per second, or as fast as the engine goes), and after each
piece publishes the state as the latest :class:`Frame`. Nothing is queued for
the page: a page that reads slowly gets fewer frames, never old ones.

What the user does (:meth:`Session.set_parameters`, :meth:`~Session.release`,
:meth:`~Session.act_on`) is checked at once, in the caller's thread (a bad
value raises :class:`~hyosan.errors.InputError` there, for the page to show),
then handed to the thread, which applies it between two pieces: from that
moment on, as an intervention firing then would.

Every size is bounded: the run ends at the scenario's end; the totals kept
for the chart are thinned to at most :data:`MAX_HISTORY` points; a session
holds one run's output grid.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hyosan._checks import check_number
from hyosan._typing import FloatArray
from hyosan.engines.live import LiveRun
from hyosan.ensemble.batch import Ensemble
from hyosan.errors import HyosanError, InputError
from hyosan.interventions import Action, Cordon, Lockdown, Release, SetParameters, Strike
from hyosan.io.words import word
from hyosan.model.core import resolve_parameters
from hyosan.scenario import Scenario
from hyosan.space import Selection

__all__ = ["MAX_HISTORY", "PLACE_ACTIONS", "Frame", "Session"]

MAX_HISTORY = 2000
"""The most points of totals a session keeps for its chart."""
PIECE_S = 1 / 30
"""Wall time of one piece of the run at a finite speed."""
FASTEST_S = 0.4
"""Wall time of one piece at the fastest speed. Each piece is a call of the engine's kernel,
whose start costs about 10 ms on the US map (it looks at every patch) and which leaps less
far near a piece's end: short pieces would spend the time starting."""
FRAMES_PER_S = 24
"""States shown per second at the fastest speed: those the last piece saw inside it."""
DEFAULT_RUN_S = 30.0
"""Wall seconds the whole run takes at speed 1."""
MIN_DROP = 10.0
"""Zombies any place may take, however few people are there."""
PLACE_ACTIONS: dict[str, type[Action]] = {"cordon": Cordon, "lockdown": Lockdown, "strike": Strike}
"""What a click or a box on the map can do to places, besides dropping zombies."""


@dataclass(frozen=True, slots=True)
class Frame:
    """The state of a live run at one moment, as the page draws it."""

    number: int  # grows with each new state
    t: float
    totals: FloatArray  # each base compartment's total
    counts: FloatArray | None  # base counts per patch (P, C), None well mixed
    characters: tuple[tuple[str, str, str], ...]  # (name, compartment, place)
    finished: bool
    error: str = ""
    due: float = 0.0  # when the page may show it (time.monotonic)


@dataclass(slots=True)
class _Shared:
    """What the page's thread and the run's thread share, under the session's lock."""

    playing: bool = False
    steps: int = 0
    resets: int = 0
    speed: float = 1.0  # inf: as fast as the engine goes
    pending: list[list[Action]] = field(default_factory=list)
    closed: bool = False


class Session:
    """A live run of ``scenario`` (with ``engine`` and ``seed``), and the thread that runs it.

    The seed is the one given, else the scenario's, else 1: a page shows the same run
    again for the same choices."""

    def __init__(
        self, scenario: Scenario, *, engine: str | None = None, seed: int | None = None
    ) -> None:
        self.seed = (
            seed if seed is not None else (scenario.seed if scenario.seed is not None else 1)
        )
        self.ens = Ensemble.prepare(scenario, engine=engine, seed=self.seed, runs=1)
        self.scenario = self.ens.resolved
        self.model = self.scenario.model
        setup = self.scenario.world
        self.world = setup.world if setup is not None else None
        self.times = self.ens.shared.times
        self.dt = float(self.times[1] - self.times[0])
        self._fastest = self.dt  # the piece of simulated time at the fastest speed
        self._lock = threading.Condition()  # the flags the page sets for the thread
        self._run = threading.Lock()  # the run: its thread advances it, a download reads it
        self._hist = threading.Lock()  # the totals kept for the chart
        self._shared = _Shared()
        self._history: list[tuple[float, FloatArray]] = []
        self._due: deque[Frame] = deque()  # frames published, not yet due
        self._last_wall = 0.0
        self._frame: Frame | None = None
        self._number = 0
        self._new_run()
        self._thread = threading.Thread(target=self._loop, name="hyosan-live", daemon=True)
        self._thread.start()

    # -- what the page asks ----------------------------------------------------------

    def play(self) -> None:
        self._tell(playing=True)

    def pause(self) -> None:
        self._tell(playing=False)

    def step(self) -> None:
        """Advance one output interval, then pause."""
        with self._lock:
            self._shared.playing = False
            self._shared.steps += 1
            self._lock.notify_all()

    def reset(self) -> None:
        """Back to the start: the scenario's first state, its parameters, the same seed."""
        with self._lock:
            self._shared.playing = False
            self._shared.pending.clear()
            self._shared.resets += 1
            self._lock.notify_all()

    def set_speed(self, speed: float) -> None:
        """``speed`` times the default pace (the run in 30 s); ``inf``: as fast as it goes."""
        if not math.isinf(speed):
            check_number(speed, key="speed", low=1e-3, high=1e3, problem="a speed from 0.001")
        self._tell(speed=float(speed))

    def set_parameters(self, values: dict[str, Any]) -> None:
        """Set parameters from now on; :class:`InputError` for a name or value the model refuses."""
        resolved = resolve_parameters(self.model, values, source="the page")
        self._act([SetParameters({k: resolved[k] for k in values})])

    def release(self, patches: list[int], count: float, compartment: str = "") -> None:
        """Put ``count`` zombies (or ``compartment``) into each of ``patches`` now.

        Each place takes at most as many as the people there (at the start or
        now, whichever is more), and ten in any place (an empty corridor).
        """
        comp = compartment or (self.model.zombies[0] if self.model.zombies else "")
        if comp not in self.model.compartments:
            raise InputError("this model has no zombies to drop", key="compartment", value=comp)
        patches = self._checked_patches(patches)
        most = self._people_at_start(patches)
        problem = f"at most {most:,.0f}: the people there, or ten, and a whole number"
        check_number(count, key="zombies", low=1.0, high=most, problem=problem)
        if float(count) != round(float(count)) and self.ens.resolved.engine != "ode":
            raise InputError("zombies come whole", key="zombies", value=count, allowed=problem)
        self._act([Release(comp, float(count), tuple(patches))])

    def act_on(self, what: str, patches: list[int]) -> None:
        """Cordon, lock down or strike the ``patches`` now (a world only)."""
        if what not in PLACE_ACTIONS:
            allowed = ", ".join(PLACE_ACTIONS)
            raise InputError("no such action", key="action", value=what, allowed=allowed)
        if self.world is None:
            raise InputError("a well-mixed model has no places", key="action", value=what)
        names = [self.world.patches[p] for p in self._checked_patches(patches)]
        self._act([PLACE_ACTIONS[what](Selection(patches=tuple(names)))])  # type: ignore[call-arg]

    @property
    def playing(self) -> bool:
        return self._shared.playing

    def frame(self) -> Frame | None:
        """The latest state due (None before the first): states seen inside a piece come
        one after another, each at its time."""
        now = time.monotonic()
        with self._hist:
            while self._due and self._due[0].due <= now:
                self._frame = self._due.popleft()
            return self._frame

    def history(self) -> tuple[FloatArray, FloatArray]:
        """The totals so far: times ``(n,)`` and totals ``(n, C)``."""
        with self._hist:
            rows = list(self._history)
        if not rows:
            return np.empty(0), np.empty((0, len(self.model.compartments)))
        return np.array([t for t, _ in rows]), np.array([v for _, v in rows])

    def kept(self) -> tuple[FloatArray, int]:
        """The output grid's rows the run has passed (float64 copies) and its events so far."""
        with self._run:
            n = self.live.n_kept
            return self.live.kept[:n].astype(np.float64), self.live.events

    def values(self) -> dict[str, float]:
        """Every parameter's value in the run now."""
        with self._run:
            return dict(self.live.values)

    def close(self) -> None:
        """Stop the thread (the tab closed); waits for the piece being run."""
        self._tell(closed=True)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=10)

    # -- the run's thread -----------------------------------------------------------

    def _tell(self, **changes: Any) -> None:
        with self._lock:
            for name, value in changes.items():
                setattr(self._shared, name, value)
            self._lock.notify_all()

    def _act(self, actions: list[Action]) -> None:
        with self._lock:
            self._shared.pending.append(actions)
            self._lock.notify_all()

    def _checked_patches(self, patches: list[int]) -> list[int]:
        n = self.world.n_patches if self.world is not None else 1
        out = sorted({int(p) for p in patches})
        if not out or out[0] < 0 or out[-1] >= n:
            raise InputError("no such place", key="patches", value=patches, allowed=f"0..{n - 1}")
        return out

    def _people_at_start(self, patches: list[int]) -> float:
        x0 = np.asarray(self.ens.shared.x0, dtype=np.float64)
        per = x0.reshape(-1, len(self.ens.cast.model.compartments)).sum(axis=1)
        frame = self._frame
        now = frame.counts.sum(axis=1) if frame is not None and frame.counts is not None else per
        return max(MIN_DROP, float(np.maximum(per, now)[patches].min()))

    def _new_run(self) -> None:
        sh = self.ens.shared
        self.live = LiveRun(sh.plan, sh.x0, sh.times, self.ens.seeds[0], max_events=sh.max_events)
        with self._hist:
            self._history.clear()
            self._due.clear()
        self._publish("")

    def _loop(self) -> None:
        while True:
            with self._lock:
                s = self._shared
                while not (s.closed or s.playing or s.steps or s.pending or s.resets):
                    self._lock.wait(0.5)
                if s.closed:
                    return
                resets, s.resets = s.resets, 0
                pending, s.pending = s.pending, []
                step, s.steps = s.steps > 0, 0
                playing, speed = s.playing, s.speed
            try:
                self._work(resets, pending, step, playing, speed)
            except HyosanError as error:
                self._tell(playing=False)
                self._publish(str(error))

    def _work(
        self, resets: int, pending: list[list[Action]], step: bool, playing: bool, speed: float
    ) -> None:
        if resets:
            with self._run:
                self._new_run()
        for actions in pending:
            with self._run:
                self.live.act(actions)
            self._publish("")
        if step or playing:
            self._piece(self.dt if step else None, speed)

    def _piece(self, span: float | None, speed: float) -> None:
        """Advance by ``span``, or by a piece of wall time at ``speed``; publish the state.

        At the fastest speed a piece is about :data:`FASTEST_S` of work, and the states
        at :data:`FRAMES_PER_S` evenly spaced times inside it are published too, each due
        a little later, so that the page shows them in turn while the next piece runs.
        """
        live = self.live
        if live.finished:
            self._tell(playing=False)
            self._publish("")
            return
        start = time.perf_counter()
        fastest = math.isinf(speed)
        if span is None:
            rate = speed * float(self.times[-1]) / DEFAULT_RUN_S  # simulated time per second
            span = self._fastest if fastest else rate * PIECE_S
        looks = max(0, round(self._last_wall * FRAMES_PER_S) - 1) if fastest else 0
        with self._run:
            t0 = live.t
            seen = live.advance(live.t + span, looks)
        wall = time.perf_counter() - start
        if fastest and live.t > t0:  # the next piece: FASTEST_S of work at this one's pace
            pace = (live.t - t0) / max(wall, 1e-4)
            self._fastest = float(np.clip(pace * FASTEST_S, self.dt / 1000, self.dt))
            self._last_wall = wall
        if live.finished:
            self._tell(playing=False)
        self._publish("", seen, wall)
        if not fastest:
            time.sleep(max(0.0, PIECE_S - (time.perf_counter() - start)))

    def _publish(
        self, error: str, seen: Sequence[tuple[float, FloatArray]] = (), wall: float = 0.0
    ) -> None:
        """Publish the states ``seen`` inside the last piece (spread over ``wall`` seconds
        from now) and the state now, last; add them to the chart's history. A state
        published at once (after an action, a reset) drops those still waiting."""
        live = self.live
        now = time.monotonic()
        states = [*seen, (live.t, live.counts())]
        frames = [
            self._frame_of(t, X, error, now + wall * k / len(states))
            for k, (t, X) in enumerate(states)
        ]
        with self._hist:
            if not wall:
                self._due.clear()
            self._due.extend(frames)
            if self._frame is None:
                self._frame = self._due.popleft()

    def _frame_of(self, t: float, X: FloatArray, error: str, due: float) -> Frame:
        tags = self.ens.cast.tags
        base = tags.fold(X, axis=-1) if tags.characters else np.array(X, dtype=np.float64)
        totals = base.sum(axis=0)
        self._keep_history(t, totals)
        self._number += 1
        return Frame(
            number=self._number,
            t=t,
            totals=totals,
            counts=base if self.world is not None else None,
            characters=self._characters(X),
            finished=self.live.finished and t >= self.live.t,
            error=error,
            due=due,
        )

    def _keep_history(self, t: float, totals: FloatArray) -> None:
        gap = float(self.times[-1]) / MAX_HISTORY
        if self._history and t - self._history[-1][0] < gap and t < float(self.times[-1]):
            return
        with self._hist:
            self._history.append((t, totals))

    def _characters(self, X: FloatArray) -> tuple[tuple[str, str, str], ...]:
        tags, chars = self.ens.cast.tags, self.scenario.characters
        if not chars:
            return ()
        shares = tags.shares(X.sum(axis=0), axis=-1)  # (K, C)
        out = []
        for i, ch in enumerate(chars):
            c = int(np.argmax(shares[i]))
            state = word(self.model.name, tags.base[c]) if shares[i].sum() > 0 else "gone"
            place = ""
            if self.world is not None:
                mine = X[:, tags.owner == i].sum(axis=1)
                p = int(np.argmax(mine))
                place = self.world.labels[p] if mine[p] > 0.5 else ""
            out.append((ch.name, state, place))
        return tuple(out)
