"""Shipped population rasters: totals, geometry, places, and the rounding that built them.

These tests read only the shipped files in ``hyosan/space/data``; they need none of the
census packages that ``tools/build_maps.py`` reads.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyosan.errors import InputError
from hyosan.space.maps import CELLS, MAPS, MapRaster, largest_remainder, load_map

PUBLISHED_TOTAL = {
    # Statistics Korea (KOSTAT), 2020 Population and Housing Census (register based),
    # total population on 1 November 2020, foreigners included: 51,829,136.
    "korea": 51_829_136,
    # US Census Bureau, 2010 Census resident population: 308,745,538 in the 50 states and
    # DC, less Alaska (710,231) and Hawaii (1,360,301), leaves 306,675,006.
    "usa": 306_675_006,
}
ALL = [(name, cell) for name in MAPS for cell in CELLS]


def _rank_share(raster: MapRaster, row: int, col: int) -> float:
    """Share of populated cells holding more people than cell (row, col)."""
    people = raster.population[raster.population > 0]
    return float(np.mean(people > raster.population[row, col]))


def _distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@pytest.mark.parametrize(("name", "cell"), ALL)
def test_raster_total_is_the_census_total(name: str, cell: str) -> None:
    """Rounding kept every person: the raster adds up to the census total it was built from,
    and that total is the published census figure (well within 0.5%; in fact exactly)."""
    raster = load_map(name, cell)
    total = int(raster.population.sum())
    assert total == raster.census_total
    published = PUBLISHED_TOTAL[name]
    assert abs(total - published) / published < 0.005
    assert total == published


@pytest.mark.parametrize("name", MAPS)
def test_fine_and_coarse_rasters_hold_the_same_people(name: str) -> None:
    """The 3 km and 10 km rasters of a country have the same total."""
    assert int(load_map(name, "3km").population.sum()) == int(
        load_map(name, "10km").population.sum()
    )


@pytest.mark.parametrize(("name", "cell"), ALL)
def test_raster_geometry_is_consistent(name: str, cell: str) -> None:
    """No cell is negative; arrays agree in shape; the grid is square, north-up (row 0
    north), spaced by cell_m; and the cell-centre latitudes fall from north to south."""
    raster = load_map(name, cell)
    pop = raster.population
    assert pop.dtype == np.int64 and pop.ndim == 2
    assert pop.min() >= 0
    rows, cols = pop.shape
    assert raster.x.shape == (cols,) and raster.y.shape == (rows,)
    assert raster.lon.shape == pop.shape and raster.lat.shape == pop.shape
    assert raster.cell_m == {"10km": 10_000.0, "3km": 3_000.0}[cell]
    np.testing.assert_allclose(np.diff(raster.x), raster.cell_m)
    np.testing.assert_allclose(np.diff(raster.y), -raster.cell_m)
    assert np.all(np.diff(raster.lat, axis=0) < 0)
    assert raster.crs == {"korea": "EPSG:5179", "usa": "EPSG:5070"}[name]
    assert not pop.flags.writeable


@pytest.mark.parametrize(("name", "cell"), ALL)
def test_outlines_lie_on_the_grid(name: str, cell: str) -> None:
    """Borders are (n, 2) polylines in the raster's metres, inside its extent."""
    raster = load_map(name, cell)
    assert len(raster.outlines) > 10
    half = raster.cell_m / 2
    for line in raster.outlines:
        assert line.ndim == 2 and line.shape[1] == 2 and len(line) >= 2
        assert raster.x[0] - half <= line[:, 0].min() <= line[:, 0].max() <= raster.x[-1] + half
        assert raster.y[-1] - half <= line[:, 1].min() <= line[:, 1].max() <= raster.y[0] + half


@pytest.mark.parametrize(
    ("name", "city", "cell", "top"),
    [
        ("korea", "Seoul", "10km", 0.01),
        ("usa", "New York", "10km", 0.01),
        # 3 km cells resolve the hills and parks beside a city's population-weighted centre.
        ("korea", "Seoul", "3km", 0.02),
        ("usa", "New York", "3km", 0.01),
    ],
)
def test_big_cities_are_found_in_dense_cells(name: str, city: str, cell: str, top: float) -> None:
    """Seoul and New York land in a cell among the most populous of their country."""
    raster = load_map(name, cell)
    row, col = raster.locate(city)
    assert _rank_share(raster, row, col) < top


@pytest.mark.parametrize(
    ("name", "city", "lon", "lat"),
    [
        ("korea", "Seoul", 126.9779, 37.5663),  # Seoul City Hall
        ("korea", "Busan", 129.0756, 35.1796),  # Busan City Hall
        ("usa", "New York", -74.0060, 40.7128),  # New York City Hall
        ("usa", "Chicago", -87.6298, 41.8781),  # Chicago City Hall
    ],
)
@pytest.mark.parametrize("cell", CELLS)
def test_locate_by_coordinate_equals_locate_by_name(
    name: str, city: str, lon: float, lat: float, cell: str
) -> None:
    """A city's name and its gazetteer coordinate give the same cell, names match in any
    case, and the city hall is within a few cells of it (the coordinates are right)."""
    raster = load_map(name, cell)
    by_name = raster.locate(city)
    assert raster.locate(raster.places[city]) == by_name
    assert raster.locate(city.upper()) == by_name
    row, col = by_name
    found = _distance_km(lon, lat, float(raster.lon[row, col]), float(raster.lat[row, col]))
    assert found < 20.0


@pytest.mark.parametrize("cell", CELLS)
def test_cell_coordinates_put_a_city_hall_in_its_own_cell(cell: str) -> None:
    """Seoul City Hall, located by coordinate, lands in the cell whose centre is within half
    a cell diagonal of it: longitude and latitude of the cell centres are right."""
    raster = load_map("korea", cell)
    lon, lat = 126.9779, 37.5663
    row, col = raster.locate((lon, lat))
    found = _distance_km(lon, lat, float(raster.lon[row, col]), float(raster.lat[row, col]))
    assert found <= raster.cell_m / 1000 * math.sqrt(0.5) * 1.01


@pytest.mark.parametrize(("name", "step"), [("korea", 1), ("usa", 7)])
def test_every_place_is_on_its_map(name: str, step: int) -> None:
    """Each gazetteer entry (every 7th for the US, for speed) locates without error, and
    the map names every si/do or state."""
    raster = load_map(name)
    for place in list(raster.places)[::step]:
        raster.locate(place)
    expected = (
        ("Gyeonggi-do", "경기도", "Jeju-do", "Seoul", "Sejong", "Jongno-gu, Seoul")
        if name == "korea"
        else ("California", "New York State", "Kings County, New York", "Washington")
    )
    assert set(expected) <= set(raster.places)


@pytest.mark.parametrize(
    ("name", "typo", "meant"),
    [
        ("korea", "Seol", "Seoul"),
        ("korea", "Jung-gu", "Jung-gu, Seoul"),
        ("usa", "Kings Cunty, New York", "Kings County, New York"),
    ],
)
def test_unknown_place_names_close_matches(name: str, typo: str, meant: str) -> None:
    """An unknown name raises InputError under the key 'place' that suggests the name meant."""
    with pytest.raises(InputError) as caught:
        load_map(name).locate(typo)
    assert caught.value.key == "place"
    assert caught.value.value == typo
    assert meant in caught.value.allowed.split("; ")


@pytest.mark.parametrize("where", [(0.0, 0.0), (150.0, 37.5), (200.0, 10.0), (1.0,), "??"])
def test_bad_or_far_coordinates_are_input_errors(where: object) -> None:
    """A point 50 km or more from every populated cell, an out-of-range or malformed pair
    all raise InputError, not a bare exception."""
    with pytest.raises(InputError):
        load_map("korea").locate(where)  # type: ignore[arg-type]


def test_unknown_map_or_cell_names_what_is_allowed() -> None:
    """load_map refuses an unknown map or cell size and lists the shipped ones."""
    with pytest.raises(InputError, match="korea, usa"):
        load_map("mars")
    with pytest.raises(InputError, match="10km, 3km"):
        load_map("korea", "1km")


def test_load_map_is_cached() -> None:
    """A second load of the same raster is the same object (files are read once)."""
    assert load_map("usa", "10km") is load_map("usa")


@pytest.mark.parametrize("seed", range(5))
def test_largest_remainder_keeps_the_total(seed: int) -> None:
    """Whole numbers that add up to the total exactly, each less than one from its exact
    share, none negative, whatever the weights' scale."""
    rng = np.random.default_rng(seed)
    weights = rng.pareto(1.5, size=(40, 30)) * rng.uniform(0, 1, size=(40, 30)) ** 3
    for total in (0, 1, 17, 51_829_136):
        out = largest_remainder(weights, total)
        assert out.shape == weights.shape and out.dtype == np.int64
        assert int(out.sum()) == total
        assert out.min() >= 0
        exact = weights * total / weights.sum()
        assert np.all(np.abs(out - exact) < 1.0)


def test_largest_remainder_small_cases() -> None:
    """Hand-checked cases: already whole numbers stay, remainders go to the largest
    fractions, ties to the earlier entry, and impossible requests raise ValueError."""
    assert largest_remainder([1.0, 2.0, 3.0], 6).tolist() == [1, 2, 3]
    assert largest_remainder([0.4, 1.3, 2.3], 4).tolist() == [1, 1, 2]
    assert largest_remainder([1.0, 1.0], 1).tolist() == [1, 0]
    assert largest_remainder([0.0, 0.0], 0).tolist() == [0, 0]
    for weights, total in (([-1.0, 2.0], 1), ([0.0, 0.0], 3), ([1.0, float("nan")], 1)):
        with pytest.raises(ValueError):
            largest_remainder(weights, total)
