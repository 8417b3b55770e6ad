"""The lazy progress bar: drawn on a terminal only, so logs of a good run stay empty."""

from __future__ import annotations

import io

from rich.console import Console

from hyosan.cli.progress import LazyProgress


def test_no_bar_when_stderr_is_not_a_terminal() -> None:
    """With the console writing to a file (stderr redirected), even a long run writes
    nothing: no bar, no stray newline when the bar would have been removed."""
    sink = io.StringIO()
    console = Console(file=sink, force_terminal=False)
    with LazyProgress(console, total=10.0, label="run", delay=0.0) as bar:
        for done in range(11):
            bar.update(float(done))
    assert sink.getvalue() == ""


def test_bar_on_a_terminal_after_the_delay() -> None:
    """On a terminal the bar appears once the delay has passed, labelled with the run."""
    sink = io.StringIO()
    console = Console(file=sink, force_terminal=True, width=80)
    with LazyProgress(console, total=10.0, label="sir (ssa)", delay=0.0) as bar:
        bar.update(5.0)
    assert "sir (ssa)" in sink.getvalue()


def test_a_scenario_name_is_shown_as_text_not_markup() -> None:
    """A name with rich markup in it (``[red]x[/]``) is shown as it is written."""
    sink = io.StringIO()
    console = Console(file=sink, force_terminal=True, width=80)
    with LazyProgress(console, total=10.0, label="[red]x[/] (ssa)", delay=0.0) as bar:
        bar.update(5.0)
    assert "[red]x[/] (ssa)" in sink.getvalue()
