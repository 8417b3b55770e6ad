"""A client opened in a thread while the command prepares (``cluster.Opening``)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

import pytest

from hyosan.ensemble.cluster import Opening
from hyosan.errors import InputError


class Thing:
    """What an opener yields; records where it was opened and closed."""

    def __init__(self) -> None:
        self.opened_in: str | None = None
        self.closed_in: str | None = None
        self.release = threading.Event()


@contextlib.contextmanager
def opener(thing: Thing, *, wait: bool = False) -> Iterator[Thing]:
    thing.opened_in = threading.current_thread().name
    if wait:
        assert thing.release.wait(10)
    try:
        yield thing
    finally:
        thing.closed_in = threading.current_thread().name


def test_the_client_is_opened_in_a_thread_and_closed_on_leaving() -> None:
    thing = Thing()
    with Opening(lambda: opener(thing), deaf=False) as opening:
        assert opening.client() is thing
        assert thing.opened_in == "hyosan-cluster"
        assert thing.closed_in is None
    assert thing.closed_in == "hyosan-cluster-close"


def test_close_soon_closes_it_while_the_command_goes_on() -> None:
    thing = Thing()
    with Opening(lambda: opener(thing), deaf=False) as opening:
        opening.client()
        opening.close_soon()
        opening.close_soon()  # once is enough; a second call changes nothing
        assert opening._closer is not None
        opening._closer.join(10)
        assert thing.closed_in == "hyosan-cluster-close"


def test_an_error_opening_it_is_raised_by_client() -> None:
    def refused() -> contextlib.AbstractContextManager[object]:
        raise InputError("cannot reach a Dask scheduler", source="--scheduler", value="x:1")

    with Opening(refused, deaf=True) as opening, pytest.raises(InputError, match="--scheduler"):
        opening.client()


def test_ctrl_c_is_ignored_only_until_the_client_is_open() -> None:
    """The workers spawned meanwhile must inherit SIG_IGN; the command hears Ctrl-C again after."""
    before = signal.getsignal(signal.SIGINT)
    thing = Thing()
    with Opening(lambda: opener(thing, wait=True), deaf=True) as opening:
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        thing.release.set()
        opening.client()
        assert signal.getsignal(signal.SIGINT) is before
    assert signal.getsignal(signal.SIGINT) is before


def test_an_error_while_it_opens_still_closes_it_and_hears_ctrl_c_again() -> None:
    before = signal.getsignal(signal.SIGINT)
    thing = Thing()
    with (
        pytest.raises(ValueError, match="bad scenario"),
        Opening(lambda: opener(thing, wait=True), deaf=True),
    ):
        thing.release.set()
        raise ValueError("bad scenario")
    assert thing.closed_in == "hyosan-cluster-close"
    assert signal.getsignal(signal.SIGINT) is before
