"""A progress bar that appears only for work that takes more than a second.

It is drawn only on a terminal: with stderr sent to a file or a pipe, a run
that succeeds writes nothing there. One bar covers every worker: runs done of
all, events per second, and the time left.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from hyosan._numbers import si

__all__ = ["LazyProgress"]


class LazyProgress:
    """Context manager; ``update(done)`` shows a bar once a second has passed."""

    def __init__(self, console: Console, total: float, label: str, delay: float = 1.0) -> None:
        self.console = console
        self.total = total
        self.label = label
        self.delay = delay
        self._start = time.perf_counter()
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> LazyProgress:
        self._start = time.perf_counter()
        return self

    def runs(self, done: float, total: float, events: int) -> None:
        """(runs done, runs in all, events so far), as ``simulate`` and ``sweep`` report."""
        seconds = max(time.perf_counter() - self._start, 1e-9)
        self.total = total
        self.update(done, rate=f"{si(events / seconds)} events/s", runs=f"{done:,.0f}/{total:,.0f}")

    def update(self, done: float, **fields: Any) -> None:
        if self._progress is None:
            if not self.console.is_terminal or time.perf_counter() - self._start < self.delay:
                return
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TextColumn("{task.fields[runs]} runs {task.fields[rate]}"),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self._progress.start()
            label = escape(self.label)  # a scenario name is text, never rich markup
            self._task = self._progress.add_task(label, total=self.total, runs="", rate="")
        assert self._task is not None
        self._progress.update(self._task, completed=done, total=self.total, **fields)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
