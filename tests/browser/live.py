"""Helpers for the tests of the live page: a ``hyosan serve`` of its own, and the map's pixels.

:func:`serving` starts ``python -m hyosan serve`` on a free port and stops it
with Ctrl-C (SIGINT), as a user would, checking it stops cleanly.
:func:`map_point` turns a place's map coordinates into the page's pixels,
reading the Bokeh figure's own scales in the browser.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

FIGURE = """
const figure = (title) => {
  const seen = new Set();
  let found = null;
  const walk = (v) => {
    if (!v || seen.has(v) || found) return;
    seen.add(v);
    const m = v.model;
    if (m && m.title && m.title.text && m.title.text.startsWith(title) && v.frame) found = v;
    for (const c of (v.child_views || [])) walk(c);
  };
  for (const v of Object.values(Bokeh.index)) walk(v);
  return found;
};
"""
"""A script's function: the view of the Bokeh figure whose title starts with a text."""

TO_SCREEN = f"""
([title, x, y]) => {{
  {FIGURE}
  const v = figure(title);
  if (!v) return null;
  const r = v.canvas_view.el.getBoundingClientRect();
  return [r.left + v.frame.x_scale.compute(x), r.top + v.frame.y_scale.compute(y)];
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(*args: str) -> Iterator[str]:
    """``hyosan serve ARGS`` on a free port; yields its URL; Ctrl-C at the end must stop it (0)."""
    port = free_port()
    cmd = [sys.executable, "-m", "hyosan", "serve", *args, "--port", str(port)]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ)
    )
    assert proc.stdout is not None
    url, lines = "", []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not url:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "http://" in line:
            url = line.split("http://")[1].split()[0].rstrip("/")
    assert url, f"hyosan serve did not start: {''.join(lines)}"
    try:
        yield f"http://{url}/"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            rest, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            rest, _ = proc.communicate()
            raise AssertionError(f"hyosan serve did not stop on Ctrl-C: {rest}") from None
        assert proc.returncode == 0, f"exit {proc.returncode}: {''.join(lines)}{rest}"
        assert "stopped" in rest and "Traceback" not in rest, rest


def server_pid(url: str) -> int:
    """The process of the ``hyosan serve`` listening at ``url`` (found in ``/proc``)."""
    port = url.rstrip("/").rsplit(":", 1)[1].encode()
    for d in os.scandir("/proc"):
        if d.name.isdigit():
            try:
                with open(f"/proc/{d.name}/cmdline", "rb") as f:
                    cmd = f.read().split(b"\0")
            except OSError:
                continue
            if b"serve" in cmd and port in cmd:
                return int(d.name)
    raise AssertionError(f"no hyosan serve process at {url}")


def threads(pid: int) -> int:
    """The number of threads of process ``pid``."""
    return len(os.listdir(f"/proc/{pid}/task"))


CHART_LENGTHS = f"""
() => {{
  {FIGURE}
  const v = figure("totals over time");
  return v ? v.model.renderers.map((r) => r.data_source.data.t.length) : null;
}}
"""


def chart_lengths(page: Any) -> list[int]:
    """The points of each line of the totals chart (this run's, then the kept run's, in turn)."""
    found = page.evaluate(CHART_LENGTHS)
    assert found is not None, "no chart in the page"
    return [int(n) for n in found]


def map_point(page: Any, x: float, y: float, title: str = "") -> tuple[float, float]:
    """The page's pixel of map coordinates ``(x, y)`` on the figure whose title starts so."""
    found = page.evaluate(TO_SCREEN, [title, x, y])
    assert found is not None, f"no figure titled {title!r} in the page"
    return float(found[0]), float(found[1])


def wait_for_map(page: Any, title: str, timeout: float = 60.0) -> None:
    """Wait until the page holds a figure whose title starts with ``title`` (drawn on a canvas,
    so not in the page's text)."""
    wait_until(lambda: page.evaluate(TO_SCREEN, [title, 0.0, 0.0]) is not None, timeout)


def readout(page: Any, label: str) -> str:
    """The text of the readout named ``label`` ("time", "Z total", "state")."""
    return str(page.locator(f"[aria-label='{label}']").inner_text())


def number(page: Any, label: str) -> float:
    """The count of a compartment's readout ("Z 1,234" -> 1234)."""
    return float(readout(page, label).split()[-1].replace(",", ""))


def time_of(page: Any) -> float:
    """The time the page shows ("t = 3.25 hours" -> 3.25)."""
    return float(readout(page, "time").split()[2].replace(",", ""))


def wait_until(check: Any, timeout: float = 30.0, every: float = 0.1) -> None:
    """Poll ``check()`` until it is true; fail after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s: {getattr(check, '__doc__', '') or check}")
