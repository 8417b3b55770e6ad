"""Two saves into one folder at once: the folder ends with one complete result, never a mix.

Each save moves its files in one by one; without the lock on the folder
(``hyosan._files.locked``) two moves interleave and the folder can hold the
totals of one run beside the summary of the other.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import hyosan
from hyosan.io import save_result
from hyosan.results import Result


@pytest.fixture(scope="module")
def two_results() -> tuple[Result, Result]:
    sc = hyosan.load_scenario("sir")
    return hyosan.simulate(sc, engine="ssa", seed=1, runs=2), hyosan.simulate(
        sc, engine="ssa", seed=2, runs=2
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_saves_at_once_leave_one_complete_result(
    tmp_path: Path, two_results: tuple[Result, Result]
) -> None:
    alone = []
    for i, result in enumerate(two_results):
        save_result(result, tmp_path / f"alone{i}")
        alone.append(_files(tmp_path / f"alone{i}"))
    assert alone[0] != alone[1]
    shared = tmp_path / "shared"
    for _ in range(15):  # each round, both saves start together
        start = threading.Barrier(2)

        def save(result: Result, start: threading.Barrier = start) -> None:
            start.wait()
            save_result(result, shared)

        threads = [threading.Thread(target=save, args=(r,)) for r in two_results]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert _files(shared) in alone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alone0", "alone1", "shared"]
