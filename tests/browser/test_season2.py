"""``hyosan serve season2`` in a real browser: the seven survivors and the hybrids, live."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import shot
from tests.browser.live import number, readout, serving, time_of, wait_until

SURVIVORS = (
    "Lee Su-hyeok",
    "Nam On-jo",
    "Yoon Hyo-ryeong",
    "Jang Ha-ri",
    "Yang Dae-su",
    "Seo Mi-jin",
    "Choi Nam-ra",
)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serving("season2") as address:
        yield address


def characters(page: Any) -> dict[str, tuple[str, str]]:
    """The characters' table: each name's state and place, as the page shows them."""
    text = str(page.locator("[aria-label='characters']").inner_text())
    rows = [line.split("\t") for line in text.strip().splitlines()[1:]]
    return {row[0]: (row[1], row[2]) for row in rows}


def test_the_seven_survivors_and_the_hybrids_are_shown_and_followed(page: Any, url: str) -> None:
    """At the start: the seven in block C, Nam-ra a helped hybrid, the rest human; three
    hybrids on the readouts (two on their own, Nam-ra helped) and none killed. Played
    on, every survivor still has a row and a state in words."""
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(url)
    page.get_by_text("t = 0.00").wait_for(timeout=120_000)
    start = characters(page)
    assert tuple(start) == SURVIVORS, start
    assert start["Choi Nam-ra"] == ("helped hybrid", "Block C"), start
    assert {start[n] for n in SURVIVORS[:-1]} == {("human", "Block C")}, start
    assert (number(page, "H total"), number(page, "Hc total")) == (2, 1)
    assert (number(page, "Hf total"), number(page, "Dh total")) == (0, 0)
    assert "hybrids" in str(page.locator("[aria-label='legend']").inner_text())
    page.get_by_label("Speed").select_option("fastest")
    page.get_by_role("button", name="Play").click()
    wait_until(lambda: time_of(page) > 240.0, timeout=120)
    page.get_by_role("button", name="Pause").click()
    wait_until(lambda: readout(page, "state") == "paused")
    later = characters(page)
    assert tuple(later) == SURVIVORS, later
    words = {"human", "bitten", "bitten by a hybrid", "zombie", "dead", "soldier"}
    words |= {"hybrid", "helped hybrid", "found-out hybrid", "killed hybrid"}
    assert {state for state, _ in later.values()} <= words, later
    shot(page, "serve-season2")
