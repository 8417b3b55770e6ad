"""The progress bar of ``simulate(..., progress=True)`` and ``sweep(..., progress=True)``.

Where it shows:

- in a Jupyter kernel (IPython's ZMQ shell), an HTML bar in the cell's output,
  updated in place through a display id, at most ten times a second. It needs
  no ipywidgets: rich's live display does in a notebook (without them it
  warns and draws nothing), and tqdm's notebook bar is a widget. The bar stays
  in the output when the runs are done, saying how many ran and how long they
  took;
- in a terminal, a rich bar on stderr, which goes when the runs are done (as
  ``hyosan run``'s does);
- anywhere else (stderr a file or a pipe, no kernel), nothing.

``progress=None`` or ``False`` imports nothing (neither rich nor IPython) and
shows nothing; a callable is called as before. A bar also says when the
engine's kernel is being compiled, since the first run waits for it.
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from hyosan._numbers import si
from hyosan.ensemble.batch import Progress

__all__ = ["NotebookBar", "TerminalBar", "in_notebook", "showing"]

Compiling = Callable[[str], None]


class Bar(Protocol):
    """What :func:`showing` needs of a bar."""

    def show(self, done: float, total: float, events: int) -> None: ...

    def note(self, text: str) -> None: ...

    def close(self, finished: bool) -> None: ...


@contextmanager
def showing(
    progress: Progress | bool | None, compiling: Compiling | None, label: str
) -> Iterator[tuple[Progress | None, Compiling | None]]:
    """The progress and compiling callbacks to run with: those given, or with
    ``progress=True`` a bar's (its compiling note unless ``compiling`` is given), the bar
    closed on the way out (saying the runs stopped if an exception left)."""
    if progress is None or progress is False:
        yield None, compiling
        return
    if progress is not True:
        yield progress, compiling
        return
    bar = make_bar(label)
    if bar is None:
        yield None, compiling
        return
    finished = False
    try:
        yield bar.show, compiling if compiling is not None else _note_compiling(bar)
        finished = True
    finally:
        bar.close(finished)


def make_bar(label: str) -> Bar | None:
    """A notebook bar in a Jupyter kernel, a terminal bar if stderr is a terminal, else None."""
    if in_notebook():
        return NotebookBar(label)
    from rich.console import Console

    console = Console(stderr=True)
    return TerminalBar(label, console) if console.is_terminal else None


def in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel; IPython is looked for, never imported."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    kernel = "IPKernelApp" in getattr(shell, "config", {})
    return kernel or type(shell).__name__ == "ZMQInteractiveShell"


def _note_compiling(bar: Bar) -> Compiling:
    def note(engine: str) -> None:
        bar.note(f"compiling the {engine} kernel (once per machine: 10 to 30 s)")

    return note


class NotebookBar:
    """An HTML bar in the output of the running notebook cell, updated in place."""

    every = 0.1
    """Seconds between two updates of the output, at least (the last one always goes)."""

    def __init__(self, label: str) -> None:
        from IPython.display import display

        self.label = label
        self._start = time.perf_counter()
        self._shown_at = self._start
        self._state: tuple[float, float, int] = (0.0, 0.0, 0)  # no runs counted yet
        self._note = ""
        self._handle: Any = display(self._bundle(), raw=True, display_id=True)

    def show(self, done: float, total: float, events: int) -> None:
        self._state = (done, total, events)
        self._note = ""
        now = time.perf_counter()
        if now - self._shown_at >= self.every:
            self._shown_at = now
            self._handle.update(self._bundle(), raw=True)

    def note(self, text: str) -> None:
        self._note = text
        self._handle.update(self._bundle(), raw=True)

    def close(self, finished: bool) -> None:
        seconds = time.perf_counter() - self._start
        if finished:
            _, total, events = self._state
            self._state = (total, total, events)
        self._note = f"{'done in' if finished else 'stopped after'} {seconds:.1f} s"
        self._handle.update(self._bundle(final=True), raw=True)

    def _bundle(self, final: bool = False) -> dict[str, str]:
        done, total, events = self._state
        share = min(max(done / total, 0.0), 1.0) if total > 0 else 0.0
        seconds = max(time.perf_counter() - self._start, 1e-9)
        words = [f"{100 * share:3.0f}%", f"{done:,.0f}/{total:,.0f} runs"] if total else []
        if events:
            words.append(f"{si(events / seconds)} events/s")
        if not final and 0 < share < 1:
            words.append(f"{seconds * (1 - share) / share:,.0f} s left")
        words.append(self._note or ("" if total else "starting"))
        text = " · ".join(w for w in words if w)
        filled = round(30 * share)
        plain = f"{self.label} [{'#' * filled}{'.' * (30 - filled)}] {text}"
        return {"text/plain": plain, "text/html": _bar_html(self.label, share, text)}


def _bar_html(label: str, share: float, text: str) -> str:
    percent = f"{100 * share:.1f}"
    track = (
        "display:inline-block;width:20em;height:0.9em;border:1px solid #888;"
        "border-radius:3px;vertical-align:middle;overflow:hidden;margin:0 0.5em"
    )
    fill = f"display:block;height:100%;width:{percent}%;background:#0072B2"
    return (
        '<div class="hyosan-progress" style="font-size:0.9em">'
        f"{html.escape(label)}"
        f'<span role="progressbar" aria-valuemin="0" aria-valuemax="100" '
        f'aria-valuenow="{percent}" aria-label="{html.escape(label)}" style="{track}">'
        f'<span style="{fill}"></span></span>{html.escape(text)}</div>'
    )


class TerminalBar:
    """A rich bar on stderr that goes when the runs are done."""

    def __init__(self, label: str, console: Any) -> None:
        from rich.markup import escape
        from rich.progress import BarColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        self.label = escape(label)  # a name is text, not rich markup
        self._escape = escape
        self._start = time.perf_counter()
        self._progress = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[runs]} runs {task.fields[rate]}"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(self.label, total=1.0, runs="", rate="")

    def show(self, done: float, total: float, events: int) -> None:
        seconds = max(time.perf_counter() - self._start, 1e-9)
        self._progress.update(
            self._task,
            description=self.label,
            completed=done,
            total=total,
            runs=f"{done:,.0f}/{total:,.0f}",
            rate=f"{si(events / seconds)} events/s",
        )

    def note(self, text: str) -> None:
        self._progress.update(self._task, description=f"{self.label}: {self._escape(text)}")

    def close(self, finished: bool) -> None:
        self._progress.stop()
