"""Worlds: constructors, checks, selections of patches and the spreading of seeds.

World files are tested in ``test_graph.py``; joined worlds in ``test_city.py``."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.errors import InputError
from hyosan.space import (
    Selection,
    World,
    spread_by_weight,
)

# --- World.lattice -----------------------------------------------------------


@pytest.mark.parametrize(("rows", "cols"), [(1, 1), (1, 5), (3, 1), (3, 4), (6, 6)])
def test_lattice_has_every_border_both_ways(rows: int, cols: int) -> None:
    """A rows x cols lattice has rows (cols - 1) + (rows - 1) cols borders, each two edges."""
    w = World.lattice(np.ones((rows, cols)))
    borders = rows * (cols - 1) + (rows - 1) * cols
    assert w.n_patches == rows * cols
    assert w.n_edges == 2 * borders
    np.testing.assert_array_equal(w.weight, 1.0)
    assert not w.closable.any()
    assert w.grid_shape == (rows, cols)
    assert set(w.kinds) == {"cell"}


def test_lattice_edges_join_exactly_the_4_neighbours() -> None:
    """Every edge joins cells one row or one column apart, and every such pair has its edge."""
    w = World.lattice(np.arange(1.0, 13.0).reshape(3, 4))
    pairs = set(zip(w.src.tolist(), w.dst.tolist(), strict=True))
    assert len(pairs) == w.n_edges  # no duplicates
    want = {
        (i, j)
        for i in range(w.n_patches)
        for j in range(w.n_patches)
        if abs(w.row[i] - w.row[j]) + abs(w.col[i] - w.col[j]) == 1
    }
    assert pairs == want


def test_lattice_names_positions_and_population() -> None:
    """Cells are named rRcC in row-major order, placed at (col * cell, -row * cell)."""
    pop = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    w = World.lattice(pop, cell=10.0)
    assert w.patches == ("r0c0", "r0c1", "r0c2", "r1c0", "r1c1", "r1c2")
    np.testing.assert_array_equal(w.population, pop.ravel())
    np.testing.assert_array_equal(w.x, [0.0, 10.0, 20.0, 0.0, 10.0, 20.0])
    np.testing.assert_array_equal(w.y, [0.0, 0.0, 0.0, -10.0, -10.0, -10.0])
    np.testing.assert_array_equal(w.row, [0, 0, 0, 1, 1, 1])
    np.testing.assert_array_equal(w.col, [0, 1, 2, 0, 1, 2])
    assert w.cell_m == 10.0


def test_lattice_keep_empty_false_drops_empty_cells_and_their_borders() -> None:
    """Without ``keep_empty`` empty cells are no patches, and no edge leads to them."""
    pop = np.array([[1.0, 0.0, 2.0], [3.0, 4.0, 0.0]])
    full = World.lattice(pop, keep_empty=True)
    kept = World.lattice(pop, keep_empty=False)
    assert full.n_patches == 6 and full.n_edges == 14
    assert kept.patches == ("r0c0", "r0c2", "r1c0", "r1c1")
    # borders left: r0c0-r1c0, r1c0-r1c1 (r0c2 is cut off from everything)
    names = {(kept.patches[s], kept.patches[d]) for s, d in zip(kept.src, kept.dst, strict=True)}
    assert names == {
        ("r0c0", "r1c0"),
        ("r1c0", "r0c0"),
        ("r1c0", "r1c1"),
        ("r1c1", "r1c0"),
    }
    np.testing.assert_array_equal(kept.population, [1.0, 2.0, 3.0, 4.0])


def test_lattice_needs_a_2d_grid() -> None:
    """A 1-D or empty population is refused, naming the key."""
    for bad in ([1.0, 2.0], np.zeros((0, 3))):
        with pytest.raises(InputError) as err:
            World.lattice(bad)
        assert err.value.key == "population"


# --- World.from_edges and with_patch ------------------------------------------


def test_from_edges_two_way_and_one_way() -> None:
    """Each ``(a, b, w)`` is two edges by default, one with ``two_way=False``."""
    edges = [("a", "b", 1.0), ("b", "c", 0.5)]
    both = World.from_edges("w", ["a", "b", "c"], edges, population=[1, 2, 3])
    assert both.n_edges == 4
    got = sorted(zip(both.src.tolist(), both.dst.tolist(), both.weight.tolist(), strict=True))
    assert got == [(0, 1, 1.0), (1, 0, 1.0), (1, 2, 0.5), (2, 1, 0.5)]
    np.testing.assert_array_equal(both.population, [1.0, 2.0, 3.0])
    one = World.from_edges("w", ["a", "b", "c"], edges, two_way=False)
    assert list(zip(one.src.tolist(), one.dst.tolist(), strict=True)) == [(0, 1), (1, 2)]
    np.testing.assert_array_equal(one.population, 0.0)


def test_from_edges_regions_and_no_edges() -> None:
    """Regions become patch indices; a world of one patch and no edges is allowed."""
    w = World.from_edges("w", ["a", "b", "c"], [("a", "b", 1.0)], regions={"ends": ["a", "c"]})
    assert dict(w.regions) == {"ends": (0, 2)}
    lone = World.from_edges("w", ["only"], [])
    assert lone.n_patches == 1 and lone.n_edges == 0


def test_from_edges_unknown_patch() -> None:
    """An edge to a patch not listed names the edge."""
    with pytest.raises(InputError) as err:
        World.from_edges("w", ["a", "b"], [("a", "b", 1.0), ("b", "zz", 1.0)])
    assert err.value.key == "edges[1]" and err.value.value == "zz"


def test_with_patch_adds_an_unconnected_camp() -> None:
    """``with_patch`` adds one empty patch with no edges, kind camp, leaving the rest alone."""
    w = World.lattice(np.full((2, 2), 5.0))
    c = w.with_patch("camp")
    assert c.patches == (*w.patches, "camp")
    assert c.kinds[-1] == "camp" and c.population[-1] == 0.0
    assert c.n_edges == w.n_edges
    np.testing.assert_array_equal(c.src, w.src)
    np.testing.assert_array_equal(c.population[:-1], w.population)
    assert c.row[-1] == -1 and c.col[-1] == -1
    assert c.x[-1] == w.x.max() + 1.0
    with pytest.raises(InputError) as err:
        c.with_patch("camp")
    assert err.value.key == "patch"


def _world(**changes: object) -> World:
    args: dict[str, object] = {
        "name": "w",
        "patches": ("a", "b"),
        "x": [0.0, 1.0],
        "y": [0.0, 0.0],
        "population": [1.0, 2.0],
        "src": [0, 1],
        "dst": [1, 0],
        "weight": [1.0, 1.0],
        "closable": [False, False],
        "kinds": ("room", "room"),
    }
    args.update(changes)
    return World(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"patches": ("a", "a")}, "patches"),
        ({"patches": ()}, "patches"),
        ({"src": [0, 2]}, "edges"),
        ({"dst": [1, -1]}, "edges"),
        ({"src": [0, 1], "dst": [0, 0]}, "edges"),
        ({"weight": [1.0, -0.5]}, "edges.weight"),
        ({"weight": [1.0, np.inf]}, "edges.weight"),
        ({"weight": [1.0]}, "weight"),
        ({"population": [1.0, -1.0]}, "population"),
        ({"population": [1.0, np.nan]}, "population"),
        ({"x": [0.0]}, "x"),
        ({"kinds": ("room",)}, "kinds"),
    ],
)
def test_bad_worlds_raise_with_the_key(changes: dict[str, object], key: str) -> None:
    """Duplicate names, edges to nowhere or to themselves, bad weights or sizes: InputError."""
    assert _world().n_edges == 2  # the base is good
    with pytest.raises(InputError) as err:
        _world(**changes)
    assert err.value.key == key


def test_from_edges_negative_weight_and_duplicate_names() -> None:
    """The checks hold through ``from_edges`` too."""
    with pytest.raises(InputError) as err:
        World.from_edges("w", ["a", "b"], [("a", "b", -1.0)])
    assert err.value.key == "edges.weight"
    with pytest.raises(InputError) as err:
        World.from_edges("w", ["a", "b", "a"], [])
    assert err.value.key == "patches" and err.value.value == "a"


def test_index_suggests_close_names() -> None:
    """An unknown patch name raises with the closest names as what is allowed."""
    w = World.from_edges("w", ["science-lab", "music-room"], [])
    assert w.index("music-room") == 1
    with pytest.raises(InputError) as err:
        w.index("sciense-lab", key="where")
    assert err.value.key == "where" and "science-lab" in err.value.allowed
    assert "did you mean 'science-lab'" in err.value.problem


def test_unknown_patch_of_a_big_world_lists_a_few_names() -> None:
    """In a world of many patches an unknown name lists its closest names, or the first 8,
    not all of them."""
    w = World.lattice(np.ones((10, 10)))
    with pytest.raises(InputError) as err:
        w.index("r3c33")
    assert err.value.allowed.endswith(", ...") and "r3c3" in err.value.allowed
    assert len(err.value.allowed.split(", ")) <= 6
    with pytest.raises(InputError) as err:
        w.index("zzz")
    assert err.value.allowed == ", ".join(w.patches[:8]) + ", ..."


def test_from_edges_region_of_an_unknown_patch() -> None:
    """A region naming a patch that is not listed raises InputError naming the region."""
    with pytest.raises(InputError) as err:
        World.from_edges("w", ["a", "b"], [], regions={"ends": ["a", "z"]})
    assert err.value.key == "regions.ends" and err.value.value == "z"


# --- Selection -----------------------------------------------------------------

SELECTIONS = [
    "a",
    ["a", "c"],
    [],
    {"region": "ends"},
    {"patches": ["a"], "region": "ends"},
    {"around": "b", "radius_km": 0.5},
    {"around": [126.98, 37.57], "radius_km": 5.0},
]


@pytest.mark.parametrize("value", SELECTIONS)
def test_selection_toml_round_trip(value: object) -> None:
    """``parse(to_toml(s)) == s`` and ``to_toml`` gives back the form that was read."""
    sel = Selection.parse(value, key="where")
    again = Selection.parse(sel.to_toml(), key="where")
    assert again == sel
    assert sel.to_toml() == value


def test_selection_parse_forms() -> None:
    """A name, a list, a table; an empty table is the whole world."""
    assert Selection.parse("a", key="k") == Selection(patches=("a",))
    assert Selection.parse(["a", "b"], key="k") == Selection(patches=("a", "b"))
    assert Selection.parse({}, key="k") == Selection()
    s = Selection.parse({"around": [1, 2], "radius_km": 3}, key="k")
    assert s.around == (1.0, 2.0) and s.radius_km == 3.0


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (3, "where"),
        ({"place": "a"}, "where"),
        ({"around": [1.0]}, "where.around"),
        ({"around": ["x", "y"]}, "where.around"),
        ({"around": "a", "radius_km": -1}, "where.radius_km"),
        ({"around": "a", "radius_km": True}, "where.radius_km"),
    ],
)
def test_selection_parse_errors(value: object, key: str) -> None:
    """Unreadable selections raise InputError under the key they were read from."""
    with pytest.raises(InputError) as err:
        Selection.parse(value, key="where")
    assert err.value.key == key


def test_selection_resolve() -> None:
    """Names, regions (also written as a name), around a patch, and empty: sorted indices."""
    w = World.from_edges(
        "w",
        ["a", "b", "c", "d"],
        [],
        x=[0.0, 100.0, 250.0, 5000.0],
        regions={"ends": ["d", "a"]},
    )
    np.testing.assert_array_equal(Selection(patches=("c", "a")).resolve(w), [0, 2])
    np.testing.assert_array_equal(Selection(region="ends").resolve(w), [0, 3])
    np.testing.assert_array_equal(Selection(patches=("ends", "b")).resolve(w), [0, 1, 3])
    np.testing.assert_array_equal(Selection().resolve(w), [0, 1, 2, 3])
    # unit "m": radius_km 0.2 is 200 m around b (x = 100)
    np.testing.assert_array_equal(Selection(around="b", radius_km=0.2).resolve(w), [0, 1, 2])
    np.testing.assert_array_equal(Selection(around="b", radius_km=0.0).resolve(w), [1])


def test_selection_unknown_patch_and_region() -> None:
    """Unknown names raise InputError under the key given, with what the world has."""
    w = World.from_edges("w", ["a", "b"], [], regions={"left": ["a"]})
    with pytest.raises(InputError) as err:
        Selection(patches=("zz",)).resolve(w, key="seed.where")
    assert err.value.key == "seed.where" and err.value.value == "zz"
    with pytest.raises(InputError) as err:
        Selection(region="right").resolve(w, key="seed.where")
    assert err.value.key == "seed.where.region" and "left" in err.value.allowed
    with pytest.raises(InputError) as err:
        Selection(around="Seoul", radius_km=3.0).resolve(w, key="seed.where")
    assert err.value.key == "seed.where.around"


# --- spread_by_weight ------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "weights"),
    [
        (10, [1.0, 1.0, 1.0]),
        (7, [5.0, 0.0, 2.0, 1.0]),
        (0, [1.0, 2.0]),
        (1, [3.0]),
        (1000, [0.1, 0.7, 0.2, 0.0, 3.3]),
        (5, [0.0, 0.0]),
        (2.5, [1.0, 3.0]),
    ],
)
def test_spread_by_weight_keeps_the_total(count: float, weights: list[float]) -> None:
    """The parts sum to ``count``, are whole for whole counts and within 1 of the exact share."""
    w = np.array(weights)
    parts = spread_by_weight(count, w)
    assert parts.sum() == pytest.approx(count, abs=1e-12)
    assert np.all(parts >= 0)
    share = count * (w if w.sum() > 0 else np.ones_like(w)) / (w.sum() if w.sum() > 0 else len(w))
    assert np.all(np.abs(parts - share) < 1.0)
    if float(count).is_integer():
        np.testing.assert_array_equal(parts, np.round(parts))
        if w.sum() > 0:
            assert np.all(parts[w == 0] == 0)
