"""Entry point: run the typer app and turn errors into exit codes.

Exit status 0 done, 2 bad input (one message naming the file, the key, the
value and what is allowed), 1 a fault of ours (a one-line summary, then the
traceback). Every command is wrapped by :func:`guarded`; the parser's own
usage errors (an unknown option, a missing argument) are caught by :func:`main`
and printed the same way, as one ``hyosan: error:`` line with exit status 2.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from hyosan.errors import InputError

__all__ = ["guarded", "main"]

P = ParamSpec("P")
R = TypeVar("R")


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command: bad input exits 2 with one message, a bug exits 1 with a summary first."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InputError as err:
            print(f"hyosan: error: {err}", file=sys.stderr)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            print("hyosan: interrupted", file=sys.stderr)
            raise typer.Exit(130) from None
        except Exception as err:  # a fault of ours: summary first, then the traceback
            print(
                "hyosan: internal error (a bug in hyosan; please report it): "
                f"{type(err).__name__}: {err}",
                file=sys.stderr,
            )
            traceback.print_exc()
            raise typer.Exit(1) from None

    return wrapper


def main(argv: list[str] | None = None) -> int:
    """Run ``hyosan`` with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    The console script wraps it as ``sys.exit(main())``.
    """
    import hyosan.cli.sweep  # noqa: F401  (registers `hyosan sweep` on the app)
    from hyosan.cli.commands import app

    try:
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
    except SystemExit as stop:
        code = stop.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    # Without standalone mode, an exit (typer.Exit, --help) comes back as its status.
    return done if isinstance(done, int) else 0


def _usage_message(err: typer.TyperException) -> str:
    """``No such option: --bogus; see 'hyosan run --help'``."""
    message = " ".join(err.format_message().split()).rstrip(".")
    ctx = getattr(err, "ctx", None)
    command = getattr(ctx, "command_path", "") or "hyosan"
    return f"{message}; see '{command} --help'"
