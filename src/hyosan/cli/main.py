"""Entry point: the typer app with every command on it, and its exit status.

Each command turns its own errors into an exit status
(:func:`hyosan.cli.shared.guarded`: 0 done, 2 bad input with one message, 1 a
fault of ours with a one-line summary first); :func:`main` does the same for
the parser's usage errors (an unknown option, a missing argument): one
``hyosan: error:`` line and exit status 2.

While a command runs, SIGINT (Ctrl-C) and SIGTERM raise
:class:`~hyosan.cli.shared.Interrupted` where the program is, even when the
shell started hyosan with SIGINT ignored (in the background): the files being
written are cleaned up by their writers, and the exit status is 130 or 143.
The first signal makes later ones ignored, so that clean-up is not cut short;
one that arrives inside a callback whose exceptions Python drops (a weakref's)
is delivered again, and one that arrives while numba compiles a kernel (the
first run on a machine, announced) or runs numba's Python code (as a kernel
call starts) comes again a moment later: an exception raised there can crash
the interpreter (seen: exit -11 with Ctrl-C during a run).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

import typer

from hyosan.cli import commands
from hyosan.cli.export import export
from hyosan.cli.export_model import export_model
from hyosan.cli.fit import fit
from hyosan.cli.serve import serve
from hyosan.cli.shared import Interrupted
from hyosan.cli.sweep import sweep
from hyosan.cli.view import view

__all__ = ["app", "console", "main"]

app = typer.Typer(
    name="hyosan",
    help="Zombie outbreaks from a classroom to a continent.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("list")(commands.list_)
app.command()(commands.run)
app.command()(commands.validate)
app.command()(commands.plot)
app.command("sweep")(sweep)
app.command()(fit)
app.command("export-model")(export_model)
app.command()(export)
app.command()(view)
app.command()(serve)


def main(argv: list[str] | None = None, *, leaving: bool = False) -> int:
    """Run ``hyosan`` with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    The console script runs it through :func:`console`: with ``leaving``, SIGINT and
    SIGTERM stay ignored after the command instead of getting their old handlers
    back, since the process only exits then (a Ctrl-C that lands while Python shuts
    down would print a traceback from an exit callback).
    """
    try:
        with _signals_interrupt(leaving) as stops:
            done = app(args=argv, prog_name="hyosan", standalone_mode=False)
    except typer.TyperException as err:
        # click's usage errors (unknown option, missing argument, ...): one line, like ours.
        # The help that `hyosan` alone asks for has been printed already.
        if type(err).__name__ != "NoArgsIsHelpError":
            print(f"hyosan: error: {_usage_message(err)}", file=sys.stderr)
        code = getattr(err, "exit_code", 2)
        return code if isinstance(code, int) else 2
    except typer.Abort:
        print("hyosan: aborted", file=sys.stderr)
        return 1
    except KeyboardInterrupt as stop:
        # before click's own handling: a signal while typer builds the command from its
        # functions (a slow start, a cold cache), where no command can report it
        signum = getattr(stop, "signum", signal.SIGINT)
        print(f"hyosan: interrupted ({signal.Signals(signum).name})", file=sys.stderr)
        return 128 + signum
    except SystemExit as stop:
        code = stop.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    if stops and not stops[0].reported:
        # outside a command (while the options are read) typer turns it into a silent 130
        print(f"hyosan: interrupted ({stops[0]})", file=sys.stderr)
        return 128 + stops[0].signum
    # Without standalone mode, an exit (typer.Exit, --help) comes back as its status.
    return done if isinstance(done, int) else 0


_STOPS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _signals_interrupt(leaving: bool = False) -> Iterator[list[Interrupted]]:
    """SIGINT and SIGTERM raise :class:`Interrupted` inside; the old handlers come back
    after (with ``leaving``, they are ignored after: the process is about to exit).

    Yields the list of what was raised (at most one), for :func:`main` to report
    an interruption no command reported.
    """
    raised: list[Interrupted] = []
    if threading.current_thread() is not threading.main_thread():
        yield raised  # only the main thread may set handlers (a test calling main from a thread)
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        # an exception raised inside numba (its compiler, or the Python its dispatcher
        # calls as a kernel starts) can crash the interpreter: a moment later instead
        if _compiling() or _in_numba(frame):
            threading.Timer(0.2, signal.pthread_kill, (main, signum)).start()
            return
        for s in _STOPS:
            signal.signal(s, signal.SIG_IGN)
        raised.append(Interrupted(signum))
        raise raised[-1]

    def lost(info: Any) -> None:
        # Python runs a handler between any two bytecodes, also in a callback whose
        # exceptions it drops (a weakref's, a __del__): deliver the signal again
        if isinstance(info.exc_value, Interrupted):
            for s in _STOPS:
                signal.signal(s, interrupt)
            # from another thread, a moment later: raised here, it would be dropped too
            again = (main, info.exc_value.signum)
            threading.Timer(0.01, signal.pthread_kill, again).start()
            return
        hook(info)

    main = threading.main_thread().ident
    before = {s: signal.getsignal(s) for s in _STOPS}
    hook, sys.unraisablehook = sys.unraisablehook, lost
    for s in _STOPS:
        signal.signal(s, interrupt)
    try:
        yield raised
    finally:
        for s, handler in before.items():
            signal.signal(s, signal.SIG_IGN if leaving else handler)
        sys.unraisablehook = hook


def console() -> None:
    """The ``hyosan`` command (and ``python -m hyosan``): :func:`main`, then exit with its
    status; a signal after the command ended no longer reaches the interpreter's exit."""
    sys.exit(main(leaving=True))


_NUMBA = tuple(f"{os.sep}{name}{os.sep}" for name in ("numba", "llvmlite"))


def _in_numba(frame: FrameType | None) -> bool:
    """Whether ``frame`` runs numba's (or llvmlite's) Python code."""
    return frame is not None and any(part in frame.f_code.co_filename for part in _NUMBA)


def _compiling() -> bool:
    """Whether numba compiles (or loads from its cache) a kernel in this thread now."""
    lock = sys.modules.get("numba.core.compiler_lock")
    return lock is not None and bool(lock.global_compiler_lock.is_locked())


def _usage_message(err: typer.TyperException) -> str:
    """``No such option: --bogus; see 'hyosan run --help'``."""
    message = " ".join(err.format_message().split()).rstrip(".")
    ctx = getattr(err, "ctx", None)
    command = getattr(ctx, "command_path", "") or "hyosan"
    return f"{message}; see '{command} --help'"
