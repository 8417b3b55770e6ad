"""Tests of the summary functions on small hand-made results with known answers."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hyosan.errors import InputError
from hyosan.results import (
    Result,
    final_counts,
    peak,
    summarize,
    takeover_fraction,
    time_below,
    took_over,
)

TIMES = [0.0, 1.0, 2.0, 3.0]
COMPS = ("S", "Z", "D")
# run 0: humans fall below 1 at t=2 and zombies peak at 8 at t=2 (taken over);
# run 1: humans hold, zombies peak at 2 at t=1 and die out.
COUNTS = np.array(
    [
        [[10, 1, 0], [5, 6, 0], [0.5, 8, 2], [0, 7, 4]],
        [[10, 1, 0], [9, 2, 0], [9, 1, 1], [9, 0, 2]],
    ],
    dtype=float,
)


def _result(counts: np.ndarray = COUNTS, times: list[float] = TIMES) -> Result:
    return Result.from_arrays(
        counts,
        times,
        COMPS,
        events=[12, 3] if len(counts) == 2 else [0] * len(counts),
        engine="ssa",
        seed=7,
        scenario_name="classroom",
        model="szr",
        humans=("S",),
        zombies=("Z",),
        time_unit="hour",
    )


def test_final_counts_rows_are_runs() -> None:
    """final_counts has index run and one column per compartment with the last-time counts."""
    final = final_counts(_result())
    assert final.index.name == "run"
    assert list(final.columns) == list(COMPS)
    assert final.to_numpy()[0].tolist() == [0.0, 7.0, 4.0]
    assert final.to_numpy()[1].tolist() == [9.0, 0.0, 2.0]


def test_peak_of_zombies_by_default() -> None:
    """peak defaults to the zombie compartments and reports the peak and when it happens."""
    p = peak(_result())
    assert list(p.columns) == ["run", "peak", "time"]
    assert p["peak"].tolist() == [8.0, 2.0]
    assert p["time"].tolist() == [2.0, 1.0]


def test_peak_sums_the_listed_compartments() -> None:
    """peak over several compartments takes the maximum of their sum."""
    p = peak(_result(), ["Z", "D"])
    assert p["peak"].tolist() == [11.0, 2.0]
    assert p["time"].tolist() == [3.0, 1.0]


def test_peak_reports_the_first_time_of_a_tie() -> None:
    """When the maximum is reached twice, the earlier output time is reported."""
    counts = COUNTS[:1].copy()
    counts[0, :, 1] = [1, 5, 2, 5]
    assert peak(_result(counts))["time"].tolist() == [1.0]


def test_time_below_humans_by_default() -> None:
    """time_below gives the first grid time with fewer than 1 human, NaN if never."""
    below = time_below(_result())
    assert below.index.name == "run"
    assert below.iloc[0] == 2.0
    assert math.isnan(below.iloc[1])


def test_time_below_threshold_and_compartments() -> None:
    """A higher threshold and other compartments move the crossing as expected."""
    r = _result()
    assert time_below(r, threshold=6.0).tolist()[0] == 1.0
    assert time_below(r, ["Z"], threshold=1.0).tolist()[1] == 3.0
    assert math.isnan(time_below(r, ["Z"], threshold=1.0).tolist()[0])


def test_unknown_compartment_raises() -> None:
    """Naming a compartment that is not in the result raises InputError listing the allowed."""
    with pytest.raises(InputError, match="S, Z, D"):
        peak(_result(), ["W"])


def test_took_over_and_fraction() -> None:
    """Run 0 ends with no humans, run 1 with 9; so p = 1/2 with se sqrt(p(1-p)/2)."""
    r = _result()
    assert took_over(r).tolist() == [True, False]
    assert took_over(r).dtype == bool
    p, se = takeover_fraction(r)
    assert p == 0.5
    assert se == pytest.approx(math.sqrt(0.25 / 2))


def test_summarize_known_values() -> None:
    """summarize reports the hand-computed per-run and aggregate values."""
    s = summarize(_result())
    assert (s["scenario"], s["engine"], s["seed"], s["runs"], s["time_unit"]) == (
        "classroom",
        "ssa",
        7,
        2,
        "hour",
    )
    run0, run1 = s["per_run"]
    assert run0 == {
        "run": 0,
        "final": {"S": 0.0, "Z": 7.0, "D": 4.0},
        "peak_zombies": 8.0,
        "peak_zombies_time": 2.0,
        "humans_below_1_time": 2.0,
        "zombies_took_over": True,
        "events": 12,
    }
    assert run1["humans_below_1_time"] is None
    assert run1["zombies_took_over"] is False
    agg = s["aggregate"]
    assert agg["final_mean"] == {"S": 4.5, "Z": 3.5, "D": 3.0}
    assert agg["final_sd"]["S"] == pytest.approx(np.std([0, 9], ddof=1))
    assert agg["peak_zombies_mean"] == 5.0
    assert agg["peak_zombies_time_mean"] == 1.5
    assert agg["takeover_fraction"] == 0.5
    assert agg["takeover_fraction_se"] == pytest.approx(math.sqrt(0.125))


def test_summarize_is_strict_json_with_plain_types() -> None:
    """The summary dumps as strict JSON (no NaN) and holds only plain Python types."""
    s = summarize(_result())
    json.dumps(s, allow_nan=False)

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                assert type(k) is str
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        else:
            assert value is None or type(value) in (str, int, float, bool), type(value)

    walk(s)


def test_single_run_has_no_spread() -> None:
    """With one run the sample standard deviation is undefined and reported as None."""
    s = summarize(_result(COUNTS[:1]))
    assert s["aggregate"]["final_sd"] == {"S": None, "Z": None, "D": None}
    assert s["aggregate"]["takeover_fraction_se"] == 0.0


@settings(max_examples=50, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(1, 5), st.just(3)),
        elements=st.floats(0, 1e6, allow_nan=False),
    ),
)
def test_summaries_agree_with_numpy(counts: np.ndarray) -> None:
    """On any non-negative counts, peak and final agree with direct numpy reductions."""
    times = [float(t) for t in range(counts.shape[1])]
    r = _result(counts, times)
    np.testing.assert_array_equal(peak(r)["peak"].to_numpy(), counts[:, :, 1].max(axis=1))
    np.testing.assert_array_equal(final_counts(r).to_numpy(), counts[:, -1, :])
    json.dumps(summarize(r), allow_nan=False)
