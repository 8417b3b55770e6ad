"""``simulate`` checks the sizes of what it is asked before it allocates anything
(issue 15, item 5): ``runs = 10**12`` used to spawn seeds for ever before the
memory check came."""

from __future__ import annotations

import importlib
import time

import pytest

import hyosan
import hyosan.scenario.sizes as sizes
from hyosan.errors import InputError
from hyosan.scenario import load_scenario
from hyosan.scenario.sizes import MAX_RUNS


def _no_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: object) -> None:
        raise AssertionError("seeds were spawned before the sizes were checked")

    # the module, not the function hyosan.ensemble re-exports under the same name
    module = importlib.import_module("hyosan.ensemble.batch")
    monkeypatch.setattr(module, "spawn_seeds", never)


def test_too_many_runs_are_refused_before_a_seed_is_spawned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``simulate(scenario, runs=10**12)``: InputError on ``runs`` at once."""
    _no_seeds(monkeypatch)
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        hyosan.simulate(load_scenario("sir"), runs=10**12, seed=1)
    assert time.perf_counter() - start < 0.5
    assert (info.value.key, info.value.value) == ("runs", 10**12)
    assert f"{MAX_RUNS:,}" in info.value.problem


def test_a_result_too_large_is_refused_before_a_seed_is_spawned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Runs within the limit whose counts cannot fit in memory: InputError on
    ``time.points``, before any seed or count is allocated."""
    _no_seeds(monkeypatch)
    monkeypatch.setattr(sizes, "physical_memory", lambda: 2**20)
    with pytest.raises(InputError) as info:
        hyosan.simulate(load_scenario("sir"), runs=1000, seed=1)
    assert info.value.key == "time.points"
    assert "1,000 run(s)" in info.value.problem


def test_the_ode_makes_one_run_whatever_runs_says() -> None:
    """The deterministic engine runs once: a large ``runs`` is not held against it."""
    result = hyosan.simulate(load_scenario("sir"), engine="ode", runs=10**12)
    assert result.runs == 1
