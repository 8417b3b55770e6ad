"""``hyosan serve``: the live page on a local web server (Panel's, on Bokeh's server).

Each tab that opens the page gets its own :class:`~hyosan.viz.web.page.LivePage`
and run; a tab that closes stops its run (its session is destroyed a few
seconds after its connection drops). Bokeh and Panel serve their scripts from
the installed packages: nothing comes from the internet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from hyosan.scenario import Scenario
from hyosan.viz.web.page import LivePage

__all__ = ["make_server"]

SESSION_CHECK_MS = 2_000
"""How often the server looks for tabs that have gone, and how long it waits for them."""
MAX_MESSAGE = 8 * 1024 * 1024
"""The largest message a page may send (an upload travels as base64 in one message)."""


def make_server(scenario: str | Scenario, *, port: int = 8050, host: str = "127.0.0.1") -> Any:
    """A Bokeh server of the live page at ``http://HOST:PORT/``, not yet started."""
    import panel as pn

    logging.getLogger("bokeh").setLevel(logging.ERROR)  # "connection closed" as a tab goes

    def page() -> Any:
        return LivePage(scenario).servable()

    app: Callable[[], Any] = page
    server = pn.serve(
        {"/": app},
        port=port,
        address=host,
        websocket_origin=[f"{host}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"],
        show=False,
        start=False,
        title="hyosan",
        verbose=False,
        check_unused_sessions_milliseconds=SESSION_CHECK_MS,
        unused_session_lifetime_milliseconds=SESSION_CHECK_MS,
        websocket_max_message_size=MAX_MESSAGE,
    )
    server.io_loop.asyncio_loop.set_exception_handler(_quiet_when_a_tab_goes)
    return server


def _quiet_when_a_tab_goes(loop: Any, context: dict[str, Any]) -> None:
    """asyncio's handler of errors no one awaited, without those of a tab that closed
    while a frame was on its way (tornado's ``WebSocketClosedError``)."""
    from tornado.iostream import StreamClosedError
    from tornado.websocket import WebSocketClosedError

    if isinstance(context.get("exception"), WebSocketClosedError | StreamClosedError):
        return
    loop.default_exception_handler(context)
