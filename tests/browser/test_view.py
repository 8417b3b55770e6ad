"""``hyosan view``'s page in a real browser, opened from disk with the network off.

The page is read as a user or a screen reader reads it: the time readout
(``.hyosan-time``, the status named "time shown"), each group's total
(``.hyosan-total-zombies``), the slider's handle (a ``slider`` named "time")
and the Play button by its name. Any request that is not for a ``file:``
address is refused and recorded: there must be none. Screenshots go to
``out/browser/``.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hyosan.cli.main import main
from hyosan.viz.web.view import write_view
from tests.browser.conftest import shot

expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The pages of three runs of the school (room by room) and of a well-mixed SIR."""
    root = tmp_path_factory.mktemp("view")
    made = {}
    for name, runs in (("hyosan-school", "3"), ("sir", "4")):
        folder = root / name
        assert main(["run", name, "--runs", runs, "--seed", "5", "--out", str(folder)]) == 0
        made[name] = write_view(folder)
    return made


def _open_offline(page: Any, path: Path) -> list[str]:
    """Open ``path`` with the network off; return the list the refused requests go to."""
    refused: list[str] = []

    def only_files(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.context.set_offline(True)
    page.context.route("**/*", only_files)
    page.goto(path.as_uri())
    page.locator(".hyosan-time").wait_for(timeout=30_000)
    return refused


def _colours(png: bytes) -> int:
    """How many distinct colours a screenshot holds."""
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    return len(np.unique(pixels, axis=0))


def _readouts(page: Any) -> tuple[str, str]:
    return (
        page.locator(".hyosan-time").inner_text(),
        page.locator(".hyosan-total-zombies").inner_text(),
    )


def test_the_map_draws_and_the_slider_moves_time(
    page: Any, console_errors: list[str], pages: dict[str, Path]
) -> None:
    """Offline: the map's canvas is drawn (many colours), the readouts start at the end;
    Home on the slider shows t = 0 (no zombie yet) and another map; arrows move on."""
    refused = _open_offline(page, pages["hyosan-school"])
    assert _readouts(page)[0] == "t = 24.00 hours"
    assert page.get_by_role("status", name="time shown", exact=True).inner_text() == (
        "t = 24.00 hours"
    )
    canvas = page.locator("canvas").first
    end_png = canvas.screenshot()
    assert _colours(end_png) > 30
    handle = page.get_by_role("slider", name="time")
    handle.focus()
    page.keyboard.press("Home")
    expect(page.locator(".hyosan-time")).to_have_text("t = 0.00 hours")
    expect(page.locator(".hyosan-total-zombies")).to_have_text("zombies 0")
    start_png = canvas.screenshot()
    assert start_png != end_png
    for _ in range(40):
        page.keyboard.press("ArrowRight")
    expect(page.locator(".hyosan-time")).to_have_text("t = 10.00 hours")
    expect(handle).to_have_attribute("aria-valuetext", "t = 10.00 hours")
    zombies = page.locator(".hyosan-total-zombies").inner_text()
    assert int(zombies.split()[-1].replace(",", "")) > 0
    shot(page, "view-hyosan-school")
    assert console_errors == [] and refused == []


def test_play_moves_time_and_pause_stops_it(
    page: Any, console_errors: list[str], pages: dict[str, Path]
) -> None:
    """Play at the end starts again from t = 0 and moves on; Pause stops the clock."""
    refused = _open_offline(page, pages["hyosan-school"])
    page.get_by_role("button", name="Play").click()
    deadline = time.monotonic() + 10
    while _readouts(page)[0] in ("t = 24.00 hours", "t = 0.00 hours"):
        assert time.monotonic() < deadline, "Play did not move time"
        time.sleep(0.05)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    stopped = _readouts(page)[0]
    time.sleep(0.5)
    assert _readouts(page)[0] == stopped != "t = 24.00 hours"
    assert console_errors == [] and refused == []


def test_a_well_mixed_page_shows_the_chart_and_no_map(
    page: Any, console_errors: list[str], pages: dict[str, Path]
) -> None:
    """A run without patches: one canvas (the totals chart, drawn), the readouts move."""
    refused = _open_offline(page, pages["sir"])
    assert page.get_by_text("where people are").count() == 0
    assert _colours(page.locator("canvas").first.screenshot()) > 10
    page.get_by_role("slider", name="time").focus()
    page.keyboard.press("Home")
    expect(page.locator(".hyosan-time")).to_have_text("t = 0.0 days")
    expect(page.locator(".hyosan-total-zombies")).to_have_text("zombies 10")
    shot(page, "view-sir")
    assert console_errors == [] and refused == []
