"""The live page's run (no browser): a thread that plays, pauses, takes actions, and stops."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from collections.abc import Callable, Iterator

import numpy as np
import pytest

import hyosan
from hyosan.errors import InputError
from hyosan.viz.web.download import run_so_far, zipped
from hyosan.viz.web.session import MAX_HISTORY, Session


def _until(check: Callable[[], bool], timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.02)
    raise AssertionError("not in time")


@pytest.fixture()
def school() -> Iterator[Session]:
    s = Session(hyosan.load_scenario("hyosan-school"))
    yield s
    s.close()


def test_a_session_starts_paused_at_the_start(school: Session) -> None:
    f = school.frame()
    assert f is not None and f.t == 0.0 and not school.playing
    assert f.totals.sum() == 1001 and f.counts is not None and f.counts.shape == (57, 6)
    time.sleep(0.3)
    assert school.frame() is f, "a paused run publishes nothing new"


def test_fastest_play_reaches_the_end_and_stops(school: Session) -> None:
    school.set_speed(float("inf"))
    school.play()
    _until(lambda: school.frame().finished)  # type: ignore[union-attr]
    assert school.frame().t == 24.0 and not school.playing  # type: ignore[union-attr]
    times, totals = school.history()
    assert 2 <= len(times) <= MAX_HISTORY + 1 and np.all(np.diff(times) > 0)
    assert np.allclose(totals.sum(axis=1), 1001)


def _steps(s: Session, n: int) -> None:
    for k in range(1, n + 1):
        s.step()
        _until(lambda k=k: s.frame().t == pytest.approx(0.25 * k))  # type: ignore[union-attr]


def test_reset_gives_the_same_start_and_the_same_run(school: Session) -> None:
    """Cut the same way (Step by Step), the run after a Reset is the run before it."""
    start = school.frame().totals.copy()  # type: ignore[union-attr]
    _steps(school, 12)
    end = school.frame().totals.copy()  # type: ignore[union-attr]
    school.reset()
    _until(lambda: school.frame().t == 0.0)  # type: ignore[union-attr]
    np.testing.assert_array_equal(school.frame().totals, start)  # type: ignore[union-attr]
    _steps(school, 12)
    np.testing.assert_array_equal(school.frame().totals, end)  # type: ignore[union-attr]


def test_fastest_frames_come_in_time_order(school: Session) -> None:
    """At the fastest speed the states seen inside each piece are shown one after another."""
    school.set_speed(float("inf"))
    school.play()
    shown = []
    while not school.frame().finished:  # type: ignore[union-attr]
        f = school.frame()
        if not shown or shown[-1][0] != f.number:  # type: ignore[union-attr]
            shown.append((f.number, f.t))  # type: ignore[union-attr]
        time.sleep(0.002)
    numbers, times = zip(*shown, strict=True)
    assert list(numbers) == sorted(numbers) and list(times) == sorted(times)


def test_bad_values_are_refused_where_they_are_given(school: Session) -> None:
    with pytest.raises(InputError, match="p_hybrid"):
        school.set_parameters({"p_hybrid": 2.0})
    with pytest.raises(InputError, match="did you mean"):
        school.set_parameters({"betta": 1.0})
    gym = school.world.patches.index("gym")  # type: ignore[union-attr]
    with pytest.raises(InputError, match="at most 10"):
        school.release([gym], 11)
    with pytest.raises(InputError, match="no such place"):
        school.release([999], 1)
    with pytest.raises(InputError, match="allowed: cordon, lockdown, strike"):
        school.act_on("bomb", [gym])
    with pytest.raises(InputError):
        school.set_speed(0.0)


def test_a_strike_kills_everyone_in_the_place(school: Session) -> None:
    lab = school.world.patches.index("science-lab")  # type: ignore[union-attr]
    people = school.frame().counts[lab].sum()  # type: ignore[union-attr]
    school.act_on("strike", [lab])
    _until(lambda: school.frame().counts[lab, 5] == people)  # type: ignore[union-attr]
    assert school.frame().counts[lab, :5].sum() == 0  # type: ignore[union-attr]


def test_close_stops_the_thread() -> None:
    before = {t.ident for t in threading.enumerate()}
    s = Session(hyosan.load_scenario("sir"))
    s.set_speed(0.01)
    s.play()
    s.close()
    assert not s._thread.is_alive()
    assert {t.ident for t in threading.enumerate()} <= before


def test_a_well_mixed_run_has_no_places() -> None:
    s = Session(hyosan.load_scenario("munz-basic"))
    try:
        assert s.frame().counts is None  # type: ignore[union-attr]
        with pytest.raises(InputError, match="no places"):
            s.act_on("cordon", [0])
        s.release([0], 5)
        _until(lambda: s.frame().totals[1] == 6)  # type: ignore[union-attr]
    finally:
        s.close()


def test_the_download_is_the_run_so_far_as_a_result_folder(school: Session) -> None:
    with pytest.raises(InputError, match="two output times"):
        zipped(school)
    for _ in range(8):
        school.step()
        time.sleep(0.05)
    _until(lambda: school.frame().t >= 1.0)  # type: ignore[union-attr]
    names = zipfile.ZipFile(io.BytesIO(zipped(school))).namelist()
    assert {"hyosan-school/totals.parquet", "hyosan-school/story.md"} <= set(names)
    result = run_so_far(school)
    assert result.times[-1] == pytest.approx(school.frame().t)  # type: ignore[union-attr]
    assert result.counts[0, 0].sum() == 1001
