"""``hyosan serve`` in a real browser: play, pause, step, reset, click the map, change a value.

One server (started by the tests, stopped with Ctrl-C) serves every test here;
each test opens its own tab, and so its own run. The page is read as a user
or a screen reader reads it: buttons by their names, the readouts by theirs
("time", "Z total", "state"). Screenshots go to ``out/browser/``.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import hyosan
from hyosan.viz.web.geometry import MapLayout, space_of_world
from tests.browser.conftest import shot
from tests.browser.live import (
    chart_lengths,
    map_point,
    number,
    readout,
    server_pid,
    serving,
    threads,
    time_of,
    wait_for_map,
    wait_until,
)

MAP = "hyosan-school: click"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serving("hyosan-school") as address:
        yield address


@pytest.fixture(scope="module")
def school() -> MapLayout:
    world = hyosan.load_scenario("hyosan-school").world.world  # type: ignore[union-attr]
    return MapLayout.of(space_of_world(world), world.population)


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.get_by_text("t = 0.00").wait_for(timeout=60_000)


def _place(layout: MapLayout, name: str) -> tuple[float, float]:
    k = int(np.flatnonzero(layout.sites == layout.labels.index(name))[0])
    return float(layout.sx[k]), float(layout.sy[k])


def _pixel(page: Any, at: tuple[float, float]) -> tuple[int, int, int]:
    """The colour of the page's pixel at ``at`` (the middle of a small clip)."""
    import io

    from PIL import Image

    png = page.screenshot(clip={"x": at[0] - 1, "y": at[1] - 1, "width": 3, "height": 3})
    r, g, b, *_ = Image.open(io.BytesIO(png)).convert("RGB").getpixel((1, 1))
    return int(r), int(g), int(b)


def test_play_runs_the_engine_and_pause_stops_time(page: Any, url: str) -> None:
    _open(page, url)
    assert readout(page, "state") == "paused"
    s0 = number(page, "S total")
    page.get_by_role("button", name="Play").click()
    wait_until(lambda: time_of(page) > 1.0)
    assert readout(page, "state") == "playing"
    page.get_by_role("button", name="Pause").click()
    wait_until(lambda: readout(page, "state") == "paused")
    t = time_of(page)
    time.sleep(1.5)
    assert time_of(page) == t, "time went on after Pause"
    assert number(page, "S total") <= s0
    shot(page, "serve-paused")


def test_step_advances_one_output_interval(page: Any, url: str) -> None:
    _open(page, url)
    for k in (1, 2):
        page.get_by_role("button", name="Step").click()
        wait_until(lambda k=k: time_of(page) == pytest.approx(0.25 * k))
    assert readout(page, "state") == "paused"


def test_zombies_appear_where_clicked_and_grow(page: Any, url: str, school: MapLayout) -> None:
    _open(page, url)
    page.get_by_label("Zombies to drop").fill("10")
    page.get_by_label("Zombies to drop").press("Enter")
    gym = map_point(page, *_place(school, "Gym"), title=MAP)
    before = _pixel(page, gym)
    z0 = number(page, "Z total")
    page.mouse.click(*gym)
    wait_until(lambda: number(page, "Z total") == z0 + 10)
    page.get_by_text("dropped 10 zombies into Gym").wait_for()
    wait_until(lambda: _pixel(page, gym) != before)
    r, g, b = _pixel(page, gym)
    assert r > 150 and r > b + 60, f"the gym is not a zombies' colour: {(r, g, b)}"
    shot(page, "serve-dropped")
    page.get_by_role("button", name="Play").click()
    wait_until(lambda: number(page, "Z total") > z0 + 10 or time_of(page) > 3)
    assert number(page, "Z total") > z0 + 10, "the zombies dropped did not bite anyone"


def test_reset_restores_the_start(page: Any, url: str) -> None:
    _open(page, url)
    start = {c: number(page, f"{c} total") for c in ("S", "E", "Z", "D")}
    page.get_by_role("button", name="Play").click()
    wait_until(lambda: time_of(page) > 2.0)
    page.get_by_role("button", name="Reset").click()
    wait_until(lambda: time_of(page) == 0.0)
    assert {c: number(page, f"{c} total") for c in start} == start
    assert readout(page, "state") == "paused"


def test_a_changed_value_changes_the_run(page: Any, url: str) -> None:
    """No bites (beta 0) from the start: the day ends with everyone who was not bitten."""
    _open(page, url)
    box = page.get_by_label("beta (1/h)")
    box.fill("0")
    box.press("Enter")
    page.get_by_text("beta = 0 from t = 0.00 on").wait_for()
    page.get_by_label("Speed").select_option("fastest")
    page.get_by_role("button", name="Play").click()
    wait_until(lambda: readout(page, "state") == "finished", timeout=60)
    assert number(page, "S total") >= 999 - number(page, "D total")
    assert number(page, "Z total") <= 1
    shot(page, "serve-beta-0")


def test_a_bad_value_is_refused_in_the_page(page: Any, url: str) -> None:
    _open(page, url)
    box = page.get_by_label("p_hybrid")
    box.fill("3")
    box.press("Enter")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "p_hybrid" in alert.inner_text() and "1" in alert.inner_text()
    assert box.input_value() in ("0.005", "0.0050")


def test_a_bad_upload_shows_its_message(page: Any, url: str) -> None:
    _open(page, url)
    bad = b'name = "bad"\nmodel = "munz-basic"\n[time]\nend = 5\n[parameters]\nbeta = -2\n'
    page.locator("input[type=file]").set_input_files(
        {"name": "bad.toml", "mimeType": "text/plain", "buffer": bad}
    )
    alert = page.get_by_role("alert")
    alert.wait_for()
    text = alert.inner_text()
    assert "bad.toml" in text and "beta" in text and "-2" in text, text
    shot(page, "serve-bad-upload")
    big = b"# " + b"x" * 1_100_000 + b"\n"
    page.locator("input[type=file]").set_input_files(
        {"name": "big.toml", "mimeType": "text/plain", "buffer": big}
    )
    page.get_by_text("too large").wait_for()
    page.get_by_role("button", name="Step").click()  # the server is alive and the run still there
    wait_until(lambda: time_of(page) == pytest.approx(0.25))


def test_a_good_upload_starts_that_scenario(page: Any, url: str) -> None:
    _open(page, url)
    good = b'name = "tiny"\nmodel = "munz-basic"\n[initial]\nS = 50\nZ = 2\n[time]\nend = 3.0\n'
    page.locator("input[type=file]").set_input_files(
        {"name": "tiny.toml", "mimeType": "text/plain", "buffer": good}
    )
    page.get_by_text("loaded tiny.toml").wait_for()
    assert number(page, "S total") == 50 and number(page, "Z total") == 2
    assert page.locator("text=click to act").count() == 0, "a well-mixed model has no map"


def test_two_tabs_run_on_their_own(browser: Any, url: str) -> None:
    a, b = browser.new_page(), browser.new_page()
    try:
        _open(a, url)
        _open(b, url)
        a.get_by_role("button", name="Play").click()
        wait_until(lambda: time_of(a) > 1.0)
        assert time_of(b) == 0.0 and readout(b, "state") == "paused"
    finally:
        a.close()
        b.close()


def test_the_page_asks_nothing_of_the_internet(
    page: Any, url: str, console_errors: list[str]
) -> None:
    outside: list[str] = []
    local = (url, "blob:", "data:")
    page.on("request", lambda r: None if r.url.startswith(local) else outside.append(r.url))
    _open(page, url)
    page.get_by_role("button", name="Step").click()
    wait_until(lambda: time_of(page) > 0)
    assert outside == [] and console_errors == []


def test_a_box_dragged_in_cordon_mode_is_drawn_and_acts(
    page: Any, url: str, school: MapLayout
) -> None:
    _open(page, url)
    page.get_by_role("button", name="cordon").click()
    page.get_by_text("cordon: click a place").wait_for()  # the server has the tool
    x0, y0 = map_point(page, -36.0, -16.0, title=MAP)  # a box around the gym
    x1, y1 = map_point(page, -24.0, -4.0, title=MAP)
    page.mouse.move(x0, y1)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=4)
    page.mouse.move(x1, y0, steps=4)
    page.mouse.up()
    page.get_by_text("cordon: Gym").wait_for()
    shot(page, "serve-cordon")


def test_a_strike_on_a_room_kills_its_people(page: Any, url: str, school: MapLayout) -> None:
    _open(page, url)
    page.get_by_role("button", name="strike").click()
    page.get_by_text("strike: click a place").wait_for()  # the server has the tool
    d0 = number(page, "D total")
    room = map_point(page, *_place(school, "Class 2-5"), title=MAP)
    page.mouse.click(*room)
    page.get_by_text("strike: Class 2-5").wait_for()
    wait_until(lambda: number(page, "D total") > d0 + 20)


def test_a_census_map_takes_zombies_on_a_cell(page: Any, url: str) -> None:
    """Korea at 10 km: the cell under Seoul takes the zombies dropped on it."""
    _open(page, url)
    page.get_by_label("Scenario", exact=True).select_option("korea")
    wait_for_map(page, "korea: click")
    assert page.get_by_label("Engine").input_value() == "tau"
    world = hyosan.load_scenario("korea").world.world  # type: ignore[union-attr]
    layout = MapLayout.of(space_of_world(world), world.population)
    seoul = int(np.argmax(world.population))
    k = int(np.flatnonzero(layout.on == seoul)[0])
    r, c = divmod(int(layout.flat[k]), layout.cols)
    at = (layout.left + (c + 0.5) * layout.cell, layout.bottom + (r + 0.5) * layout.cell)
    z0 = number(page, "Z total")
    page.mouse.click(*map_point(page, *at, title="korea: click"))
    wait_until(lambda: number(page, "Z total") == z0 + 5)
    page.get_by_text(f"dropped 5 zombies into {world.labels[seoul]}").wait_for()
    shot(page, "serve-korea")


def test_a_kept_run_is_drawn_beside_the_next(page: Any, url: str) -> None:
    """Keep a finished run, play another with other values: both on the chart."""
    _open(page, url)
    page.get_by_label("Speed").select_option("fastest")
    page.get_by_role("button", name="Play").click()
    wait_until(lambda: readout(page, "state") == "finished", timeout=60)
    page.get_by_role("button", name="Keep this run to compare").click()
    page.get_by_role("button", name="Reset").click()
    wait_until(lambda: time_of(page) == 0.0)
    box = page.get_by_label("alpha (1/h)")
    box.fill("3")
    box.press("Enter")
    page.get_by_text("alpha = 3 from t = 0.00 on").wait_for()
    page.get_by_role("button", name="Play").click()
    wait_until(lambda: readout(page, "state") == "finished", timeout=60)
    now, kept = chart_lengths(page)[0::2], chart_lengths(page)[1::2]
    assert min(now) > 10 and min(kept) > 10, (now, kept)
    shot(page, "serve-compare")


def test_the_download_is_the_run_so_far(page: Any, url: str, tmp_path: Path) -> None:
    _open(page, url)
    for k in (1, 2, 3):
        page.get_by_role("button", name="Step").click()
        wait_until(lambda k=k: time_of(page) == pytest.approx(0.25 * k))
    with page.expect_download() as info:
        page.get_by_role("button", name="Download this run (zip)").click()
    path = tmp_path / "run.zip"
    info.value.save_as(path)
    names = zipfile.ZipFile(path).namelist()
    assert {"hyosan-school/totals.parquet", "hyosan-school/story.md"} <= set(names), names


def test_closing_a_tab_stops_its_run(browser: Any) -> None:
    """The run's thread ends once the tab has gone (Bokeh's check of unused sessions): the
    server has a thread fewer than while the tab played (the run's; a pool thread that
    playing started may stay)."""
    with serving("munz-basic") as address:
        pid = server_pid(address)
        before = threads(pid)
        tab = browser.new_page()
        _open(tab, address)
        tab.get_by_label("Speed").select_option("×¼")
        tab.get_by_role("button", name="Play").click()
        wait_until(lambda: time_of(tab) > 0)
        playing = threads(pid)
        assert playing > before
        tab.close()
        wait_until(lambda: threads(pid) <= playing - 1, timeout=30)
