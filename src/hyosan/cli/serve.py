"""``hyosan serve [SCENARIO]``: the live page in the browser, on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from hyosan.cli.shared import err, guarded, out
from hyosan.errors import InputError

__all__ = ["serve"]

LOCAL = ("127.0.0.1", "localhost", "::1")


@guarded
def serve(
    scenario: Annotated[
        str, typer.Argument(help="A built-in scenario or a scenario file to start with.")
    ] = "hyosan-school",
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 8050,
    host: Annotated[
        str, typer.Option(help="The address to listen on (another than 127.0.0.1: a warning).")
    ] = "127.0.0.1",
) -> None:
    """Start the live page: pick a scenario, click the map, watch the outbreak; Ctrl-C stops it."""
    from hyosan._checks import check_whole
    from hyosan.scenario import load_scenario

    check_whole(port, key="--port", low=1, high=65535, problem="a port from 1 to 65535")
    start = load_scenario(scenario)  # a bad file: its message and exit 2, before a server
    from hyosan.viz.web.serve import make_server

    try:
        server = make_server(start, port=port, host=host)
        server.start()
    except OSError as error:
        raise InputError(
            f"cannot listen there ({error.strerror or error})",
            key="--port",
            value=f"{host}:{port}",
            allowed="a free port on an address of this machine",
        ) from None  # fmt: skip
    if host not in LOCAL:
        err.print(
            f"[yellow]warning:[/] listening on {host}: anyone who can reach it can run "
            "simulations on this machine"
        )
    shown = f"[{host}]" if ":" in host else host
    out.print(f"hyosan serve: [bold]http://{shown}:{port}/[/] (Ctrl-C stops it)")
    try:
        server.io_loop.start()  # Panel's own SIGINT handler stops the loop; ours may raise
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    out.print("hyosan serve: stopped")
