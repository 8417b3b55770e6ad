"""What every command shares: the consoles, the wrapper that turns errors into exit
statuses, the scenario argument, and the checks of ``--out``.

Exit status 0 done, 2 bad input (one message naming the file, the key, the
value and what is allowed), 1 a fault of ours (a one-line summary, then the
traceback). Every command is wrapped by :func:`guarded`; the parser's own
usage errors are turned into the same one line by :func:`hyosan.cli.main.main`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from hyosan.errors import InputError

__all__ = ["ScenarioArg", "check_out", "err", "guarded", "out", "say_compiling", "writing"]

P = ParamSpec("P")
R = TypeVar("R")

out = Console()
err = Console(stderr=True)

ScenarioArg = Annotated[
    str, typer.Argument(help="A scenario .toml file or the name of a built-in scenario.")
]

_WRITABLE = "a folder you can write to"


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command: bad input exits 2 with one message, a bug exits 1 with a summary first."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            print(f"hyosan: error: {error}", file=sys.stderr)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            print("hyosan: interrupted", file=sys.stderr)
            raise typer.Exit(130) from None
        except Exception as error:  # a fault of ours: summary first, then the traceback
            print(
                "hyosan: internal error (a bug in hyosan; please report it): "
                f"{type(error).__name__}: {error}",
                file=sys.stderr,
            )
            traceback.print_exc()
            raise typer.Exit(1) from None

    return wrapper


def check_out(out_dir: Path, *, empty: bool = False) -> None:
    """Refuse an ``--out`` that cannot become a result folder, before anything runs.

    With ``empty``, refuse one that holds files too (a sweep never writes over files).
    """
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
def writing(out_dir: Path, what: str) -> Iterator[None]:
    """Turn a failure to write into ``out_dir`` into bad input on ``--out``."""
    try:
        yield
    except OSError as e:
        raise _bad_out(out_dir, f"cannot write {what}: {e.strerror or e}") from None


def _bad_out(out_dir: Path, problem: str, allowed: str = _WRITABLE) -> InputError:
    return InputError(problem, source="--out", value=str(out_dir), allowed=allowed)


def say_compiling(engine: str) -> None:
    """What the command line says before a run whose kernel must be compiled first."""
    err.print(
        f"compiling the {engine} kernel: the first run on this machine takes 10 to 30 s "
        "longer; later runs load it from the cache"
    )
