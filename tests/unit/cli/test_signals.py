"""SIGINT and SIGTERM stop a run within a second or two, with one line and status 130 or 143.

Each test starts ``python -m hyosan run`` on a model that never ends (A and B
turn into each other 1e12 times a day, with an event budget it will not reach)
and signals it a few seconds in, once it is simulating. Before issue 15 a run
started with SIGINT ignored (in the background of a shell) could not be
interrupted, and SIGTERM killed it without clean-up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ENDLESS = """\
name = "endless"
runs = 1
[model]
name = "flip"
compartments = ["A", "B"]
[model.parameters]
k = 1e12
[[model.reactions]]
equation = "A -> B"
rate = "k"
[[model.reactions]]
equation = "B -> A"
rate = "k"
[time]
end = 10
[initial]
A = 1000
"""


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a shell does for a background job


@pytest.mark.parametrize(
    "signum, ignored, status",
    [
        (signal.SIGTERM, False, 143),
        (signal.SIGINT, True, 130),
    ],
    ids=["SIGTERM", "SIGINT-while-ignored"],
)
def test_a_signal_stops_a_run_that_would_not_end(
    tmp_path: Path, signum: signal.Signals, ignored: bool, status: int
) -> None:
    scenario = tmp_path / "endless.toml"
    scenario.write_text(ENDLESS, encoding="utf-8")
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "hyosan", "run", str(scenario), "--out", str(out)]
    # first a run that ends at once (a runaway, exit 2): the kernel is compiled and cached,
    # since a signal waits while numba compiles (an exception there can crash Python)
    warm = subprocess.run([*argv, "--max-events", "1000"], capture_output=True, text=True)
    assert warm.returncode == 2 and "the run did not end" in warm.stderr, warm.stderr
    argv += ["--max-events", "1e15"]
    proc = subprocess.Popen(
        argv,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},  # a crash shows where it happened
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ignore_sigint if ignored else None,
    )
    time.sleep(3.0)  # imports (about a second) done: simulating
    assert proc.poll() is None, proc.communicate()
    sent = time.monotonic()
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 10.0
    assert proc.returncode == status, err
    lines = [line for line in err.splitlines() if not line.startswith("compiling")]
    assert lines[-1] == f"hyosan: interrupted ({signum.name}); nothing half-written is left"
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["endless.toml"]  # no out, no staging


def test_a_signal_lost_in_a_callback_is_delivered_again() -> None:
    """Python runs a signal handler between any two bytecodes, also inside a weakref's
    callback, whose exceptions it only reports ("Exception ignored in ..."); there the
    interruption would be lost and the run would go on. It is raised again instead."""
    import weakref

    from hyosan.cli.main import _signals_interrupt
    from hyosan.cli.shared import Interrupted

    class Thing:
        pass

    def callback(_ref: object) -> None:
        signal.raise_signal(signal.SIGINT)  # the handler runs here, inside the callback
        sum(range(100))

    before = signal.getsignal(signal.SIGINT)
    thing = Thing()
    ref = weakref.ref(thing, callback)
    with pytest.raises(Interrupted), _signals_interrupt():
        del thing
        deadline = time.monotonic() + 10.0  # the signal comes again in about 10 ms
        while time.monotonic() < deadline:
            pass
    assert ref() is None
    assert signal.getsignal(signal.SIGINT) is before


def test_a_signal_while_the_command_is_being_built_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C while typer builds the command from its functions (before click, which
    turns an interruption into its own abort, is running): status 130 and one line,
    not a traceback with status 1 (the signal fuzz test met it on a cold cache)."""
    import typer.main

    from hyosan.cli.main import main

    def interrupted_while_building(*_args: object, **_kwargs: object) -> None:
        signal.raise_signal(signal.SIGINT)  # hyosan's handler raises here

    monkeypatch.setattr(typer.main, "get_command", interrupted_while_building)
    before = signal.getsignal(signal.SIGINT)
    assert main(["run", "sir"]) == 130
    assert capsys.readouterr().err == "hyosan: interrupted (SIGINT)\n"
    assert signal.getsignal(signal.SIGINT) is before
