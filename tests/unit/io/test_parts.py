"""The parts of an unfinished run: kept whole, compared on --resume, removed all at once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import hyosan
from hyosan.errors import InputError
from hyosan.io.parts import PARTS, Parts


def _started(out: Path, beta: float = 0.5, seed: int = 1) -> Parts:
    """Parts of a 6-run sir ensemble with its first chunks saved, as a stopped run leaves."""
    scenario = hyosan.set_key(hyosan.load_scenario("sir"), "parameters.beta", beta)
    parts = Parts.open(out, "run", resume=False, command="run")
    result = hyosan.simulate(scenario, runs=6, seed=seed, store=parts)
    assert result.runs == 6
    return parts


def test_a_resumed_ensemble_equals_one_never_stopped(tmp_path: Path) -> None:
    parts = _started(tmp_path / "out")
    chunks = sorted((tmp_path / "out" / PARTS).glob("chunk-*.npz"))
    assert len(chunks) == 6  # one run a chunk: 8 chunks a worker wanted, 6 runs
    for path in chunks[2:]:
        path.unlink()  # as if stopped after two chunks
    again = Parts.open(tmp_path / "out", "run", resume=True, command="run")
    assert again.stored == parts.stored
    scenario = hyosan.set_key(hyosan.load_scenario("sir"), "parameters.beta", 0.5)
    resumed = hyosan.simulate(scenario, runs=6, seed=1, store=again)
    whole = hyosan.simulate(scenario, runs=6, seed=1)
    np.testing.assert_array_equal(resumed.counts, whole.counts)


def test_a_different_scenario_is_refused_naming_the_key(tmp_path: Path) -> None:
    _started(tmp_path / "out")
    again = Parts.open(tmp_path / "out", "run", resume=True, command="run")
    scenario = hyosan.set_key(hyosan.load_scenario("sir"), "parameters.beta", 0.7)
    with pytest.raises(InputError) as info:
        hyosan.simulate(scenario, runs=6, seed=1, store=again)
    assert info.value.source == "--resume"
    assert "parameters.beta was 0.5, now 0.7" in str(info.value)
    assert len(list((tmp_path / "out" / PARTS).glob("chunk-*"))) == 6  # nothing lost


def test_removal_is_all_at_once_and_a_cut_short_one_is_finished(tmp_path: Path) -> None:
    out = tmp_path / "out"
    parts = _started(out)
    parts.remove()
    assert list(out.iterdir()) == []
    _started(out)
    (out / PARTS).rename(out / f"{PARTS}.12345.abcd.trash")  # killed while it deleted them
    assert Parts.open(out, "run", resume=False, command="run").stored is None
    assert list(out.iterdir()) == []


def test_an_unfinished_folder_needs_resume_and_an_empty_one_refuses_it(tmp_path: Path) -> None:
    _started(tmp_path / "out")
    with pytest.raises(InputError, match="--resume") as info:
        Parts.open(tmp_path / "out", "run", resume=False, command="run")
    assert info.value.source == "--out"
    with pytest.raises(InputError, match="nothing to resume"):
        Parts.open(tmp_path / "empty", "run", resume=True, command="run")
    with pytest.raises(InputError, match="unfinished run, not a sweep"):
        Parts.open(tmp_path / "out", "sweep", resume=True, command="sweep")
