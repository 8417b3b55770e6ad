"""Entry point: the typer app with every command on it, and its exit status.

Each command turns its own errors into an exit status
(:func:`hyosan.cli.shared.guarded`: 0 done, 2 bad input with one message, 1 a
fault of ours with a one-line summary first); :func:`main` does the same for
the parser's usage errors (an unknown option, a missing argument): one
``hyosan: error:`` line and exit status 2.
"""

from __future__ import annotations

import sys

import typer

from hyosan.cli import commands
from hyosan.cli.sweep import sweep

__all__ = ["app", "main"]

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


def main(argv: list[str] | None = None) -> int:
    """Run ``hyosan`` with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    The console script wraps it as ``sys.exit(main())``.
    """
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
