"""Stop conditions as the arrays kernels read (``Stops``): built from conditions, in order."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.engines import Stops
from hyosan.engines._kernels.conditions import first_condition, region_sums
from hyosan.interventions import Condition
from hyosan.space import World

COMPS = ("S", "Z", "R")
TOWN = World.from_edges(
    "town",
    ["a", "b", "c", "d"],
    [("a", "b", 1.0), ("b", "c", 1.0), ("c", "d", 1.0)],
    regions={"east": ["c", "d"]},
)
TEXTS = ["Z > 100", "S + R <= 5 in east", "Z + Z >= 3 in b", "R < 0.5"]


def _conditions(texts: list[str] = TEXTS) -> list[Condition]:
    return [Condition.parse(t) for t in texts]


def test_build_well_mixed() -> None:
    """One row per condition: a weight per compartment it names (twice named, twice
    counted), its op's code, its threshold, and one mask column of ones."""
    stops = Stops.build(_conditions(["Z > 100", "S + R <= 5", "Z + Z >= 3", "R < 0.5"]), COMPS)
    assert stops.weights.tolist() == [[0, 1, 0], [1, 0, 1], [0, 2, 0], [0, 0, 1]]
    assert stops.ops.tolist() == [2, 1, 3, 0] and stops.ops.dtype == np.int64
    assert stops.thresholds.tolist() == [100.0, 5.0, 3.0, 0.5]
    assert stops.masks.tolist() == [[1.0]] * 4
    assert len(stops) == 4
    weights, ops, thresholds = stops.mixed
    assert weights is stops.weights and ops is stops.ops and thresholds is stops.thresholds


def test_build_in_a_world_masks_each_region() -> None:
    """In a world each row counts every patch, or only its region's (a region, a patch)."""
    stops = Stops.build(_conditions(), COMPS, TOWN)
    assert stops.masks.tolist() == [[1, 1, 1, 1], [0, 0, 1, 1], [0, 1, 0, 0], [1, 1, 1, 1]]
    assert stops.spatial == (stops.weights, stops.masks, stops.ops, stops.thresholds)


def test_a_region_without_a_world_is_a_fault() -> None:
    """Scenario checks refuse it first; if it reaches the plan it is a bug, not bad input."""
    with pytest.raises(ValueError, match="names a region and there is no world"):
        Stops.build(_conditions(["Z > 1 in east"]), COMPS)


def test_no_conditions() -> None:
    """No conditions: arrays with no rows, of the shapes the kernels expect."""
    stops = Stops.build([], COMPS, TOWN)
    assert stops.weights.shape == (0, 3) and stops.masks.shape == (0, 4)
    assert stops.ops.shape == (0,) and stops.thresholds.shape == (0,) and len(stops) == 0
    assert stops.dense().shape == (0, 12)


def test_rows_picks_conditions_in_the_order_given() -> None:
    """``rows`` keeps the rows named, in that order; none gives empty arrays."""
    stops = Stops.build(_conditions(), COMPS, TOWN)
    part = stops.rows([3, 1])
    assert part.thresholds.tolist() == [0.5, 5.0] and part.ops.tolist() == [0, 1]
    np.testing.assert_array_equal(part.weights, stops.weights[[3, 1]])
    np.testing.assert_array_equal(part.masks, stops.masks[[3, 1]])
    none = stops.rows([])
    assert len(none) == 0 and none.weights.shape == (0, 3) and none.masks.shape == (0, 4)
    assert none.ops.dtype == np.int64


def test_dense_sums_equal_each_conditions_total() -> None:
    """``dense() @ x`` over the state patch by patch is each condition's total, as
    ``Condition.total`` counts it and as the spatial kernels' running sums start."""
    conditions = _conditions()
    stops = Stops.build(conditions, COMPS, TOWN)
    X = np.random.default_rng(3).integers(0, 50, size=(4, 3)).astype(float)
    totals = [c.total(X, COMPS, TOWN) for c in conditions]
    np.testing.assert_array_equal(stops.dense() @ X.ravel(), totals)
    np.testing.assert_array_equal(
        region_sums.py_func(X.ravel(), stops.weights, stops.masks), totals
    )


def test_the_kernel_finds_the_first_condition_that_holds() -> None:
    """Read by the well-mixed kernels' check, the rows say what the conditions say."""
    conditions = _conditions(["Z > 100", "S + R <= 5", "R < 0.5"])
    stops = Stops.build(conditions, COMPS)
    for x in ([10.0, 101.0, 0.0], [3.0, 0.0, 2.0], [6.0, 0.0, 0.0], [6.0, 100.0, 1.0]):
        holding = [
            i for i, c in enumerate(conditions) if c.holds(c.total(np.array([x]), COMPS, None))
        ]
        want = holding[0] if holding else -1
        assert first_condition.py_func(np.array(x), *stops.mixed) == want
