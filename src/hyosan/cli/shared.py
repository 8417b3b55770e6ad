"""What every command shares: the consoles, the wrapper that turns errors into exit
statuses, the scenario argument, and the checks of ``--out`` and of writing into a folder.

Exit status 0 done, 2 bad input (one message naming the file, the key, the
value and what is allowed), 1 a fault of ours (a one-line summary, then the
traceback). Every command is wrapped by :func:`guarded`; the parser's own
usage errors are turned into the same one line by :func:`hyosan.cli.main.main`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from hyosan.errors import InputError, WorkersLost

__all__ = [
    "Interrupted",
    "ScenarioArg",
    "check_out",
    "err",
    "guarded",
    "out",
    "out_path",
    "say_compiling",
    "say_pictures_removed",
    "writing",
]

P = ParamSpec("P")
R = TypeVar("R")

out = Console()
err = Console(stderr=True)

ScenarioArg = Annotated[
    str, typer.Argument(help="A scenario .toml file or the name of a built-in scenario.")
]

_WRITABLE = "a folder you can write to"


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command: bad input exits 2 with one message, a bug exits 1 with a summary first.

    An interruption (:class:`KeyboardInterrupt`, or :class:`Interrupted` for the
    signal :func:`hyosan.cli.main.main` turned into one) exits ``128 + signal``
    (130 for Ctrl-C, 143 for SIGTERM) with one line; the writers' own clean-up
    (``finally`` blocks) has run by then. Runs a Dask cluster gave up
    (:class:`~hyosan.errors.WorkersLost`) exit 1 with one line and no traceback.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            print(f"hyosan: error: {error}", file=sys.stderr)
            raise typer.Exit(2) from None
        except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (hyosan.cli.main)
            signum = getattr(stop, "signum", signal.SIGINT)
            name = signal.Signals(signum).name
            if isinstance(stop, Interrupted):
                stop.reported = True
            hint = getattr(stop, "hint", "") or "nothing half-written is left"
            print(f"hyosan: interrupted ({name}); {hint}", file=sys.stderr)
            raise typer.Exit(128 + signum) from None
        except WorkersLost as lost:  # not ours, not the input's: no traceback to read
            hint = getattr(lost, "hint", "")
            print(f"hyosan: error: {lost}" + (f"; {hint}" if hint else ""), file=sys.stderr)
            raise typer.Exit(1) from None
        except Exception as error:  # a fault of ours: summary first, then the traceback
            print(
                "hyosan: internal error (a bug in hyosan; please report it): "
                f"{type(error).__name__}: {error}",
                file=sys.stderr,
            )
            traceback.print_exc()
            raise typer.Exit(1) from None

    return wrapper


class Interrupted(KeyboardInterrupt):
    """A signal that asks hyosan to stop (SIGINT, SIGTERM), raised where the program is."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.reported = False  # set by the command that said so


def out_path(text: str) -> Path:
    """The parser of ``--out`` (``typer.Option("--out", parser=out_path)``): refuses ``''``.

    Typer would turn ``--out ''`` into ``Path("")``, which is the current folder,
    before any check of ours could tell it from ``--out .``; so the refusal is
    here, as the option is read (a usage error, exit status 2).
    """
    if not text:
        raise typer.BadParameter("an empty path (got ''); allowed: a folder path")
    return Path(text)


def check_out(out_dir: Path, *, empty: bool = False) -> None:
    """Refuse an ``--out`` that cannot become a result folder, before anything runs.

    With ``empty``, refuse one that holds files too (a sweep never writes over files).
    A path the system cannot use (a name too long, a loop of links) is refused too.
    """
    try:
        _check_out(out_dir, empty=empty)
    except OSError as e:
        problem = f"cannot use this path: {e.strerror or e}"
        raise _bad_out(out_dir, problem, "a folder path") from None


def _check_out(out_dir: Path, *, empty: bool) -> None:
    for folder in (out_dir, *out_dir.absolute().parents):
        if not folder.exists():
            continue
        if not folder.is_dir():
            problem = "not a folder" if folder == out_dir else f"{folder} is a file, not a folder"
            raise _bad_out(out_dir, problem, "a folder (created if missing)")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise _bad_out(out_dir, f"cannot write in {folder}")
        break
    if empty and out_dir.is_dir() and any(out_dir.iterdir()):
        allowed = "a new or empty folder (a sweep never writes over files)"
        raise _bad_out(out_dir, "this folder is not empty", allowed)


@contextlib.contextmanager
def writing(
    folder: Path, what: str, *, option: str = "--out", kept: bool = False
) -> Iterator[None]:
    """Turn a failure to write into ``folder`` into bad input: on ``option`` (naming the
    folder as its value) or, with ``option=""``, on the folder itself (a folder given as
    an argument: ``hyosan plot DIR``). With ``kept``, the finished parts stay in the
    folder, and the message says that ``--resume`` writes them without running again."""
    try:
        yield
    except OSError as e:
        problem = f"cannot write {what}: {e.strerror or e}"
        if kept:
            problem += " (the finished runs are kept: --resume writes them, running nothing again)"
        if option:
            raise InputError(problem, source=option, value=str(folder), allowed=_WRITABLE) from None
        raise InputError(problem, source=str(folder), allowed=_WRITABLE) from None


def say_pictures_removed(folder: Path, names: Sequence[str]) -> None:
    """Say that a new result in ``folder`` removed the pictures ``names`` of the previous one
    (see :func:`hyosan.io.output.pictures_in`); nothing when there were none."""
    if names:
        again = [f"hyosan plot {folder} draws them again"] if set(names) - {"view.html"} else []
        again += [f"hyosan view {folder} writes the page"] if "view.html" in names else []
        out.print(
            f"removed the pictures of the previous result ({', '.join(names)}); "
            + " and ".join(again),
            markup=False,
            highlight=False,
        )


def _bad_out(out_dir: Path, problem: str, allowed: str = _WRITABLE) -> InputError:
    return InputError(problem, source="--out", value=str(out_dir), allowed=allowed)


def say_compiling(engine: str) -> None:
    """What the command line says before a run whose kernel must be compiled first."""
    from hyosan._cache import kernel_folder

    if kernel_folder() is None:  # it said why, once
        err.print(f"compiling the {engine} kernel: 10 to 30 s, again at every run (no cache)")
        return
    err.print(
        f"compiling the {engine} kernel: the first run on this machine takes 10 to 30 s "
        "longer; later runs load it from the cache"
    )
