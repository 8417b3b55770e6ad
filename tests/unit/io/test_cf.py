"""fields.nc as a CF-1.10 raster: GIS tools place a run on a map where the census says."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from hyosan.io import load_result, save_result
from hyosan.results import Result
from hyosan.space import World
from hyosan.space.maps import load_map
from hyosan.space.world import world_from_map

TIMES = [0.0, 6.0, 12.0]
COMPS = ("S", "Z", "D")


def _result(world: World, runs: int = 2) -> Result:
    """People where the world puts them at time 0, a tenth of them bitten per step after;
    run r has r more zombies in the first patch, so runs differ."""
    pop = world.population.astype(float)
    fields = np.zeros((runs, len(TIMES), len(COMPS), world.n_patches))
    for t in range(len(TIMES)):
        bitten = np.floor(pop * 0.1 * t)
        fields[:, t, 0], fields[:, t, 1] = pop - bitten, bitten
    for r in range(runs):
        fields[r, :, 1, 0] += r
    return Result.from_arrays(
        fields.sum(axis=-1),
        TIMES,
        COMPS,
        events=[0] * runs,
        engine="tau",
        seed=3,
        scenario_name="map test",
        model="szr",
        humans=("S",),
        zombies=("Z",),
        time_unit="hour",
        fields=fields,
        world=world,
        parameters={"beta": 0.5},
    )


@functools.cache
def _written(name: str, tmp: Path) -> Path:
    world = world_from_map(name, "10km")
    return save_result(_result(world), tmp / name) / "fields.nc"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cf")


@pytest.mark.parametrize(
    ("name", "place", "lon", "lat"),
    [("korea", "Seoul", 126.98, 37.57), ("usa", "New York", -74.01, 40.71)],
)
def test_rioxarray_places_the_cells_where_the_census_says(
    folder: Path, name: str, place: str, lon: float, lat: float
) -> None:
    """rioxarray reads the map's projection, a 10 km north-aligned transform and the
    bounds of the census raster; the cell under a city's coordinates holds the census
    population of the cell the map itself locates there, and its lat/lon are the city's."""
    import pyproj
    import rioxarray  # noqa: F401

    census = load_map(name, "10km")
    path = _written(name, folder)
    with xr.open_dataset(path, decode_coords="all", decode_times=False) as ds:
        field = ds["fields"]
        assert field.dims == ("run", "time", "compartment", "y", "x")
        assert field.rio.crs == pyproj.CRS(census.crs)
        a, e = field.rio.transform().a, field.rio.transform().e
        assert (abs(a), abs(e)) == (census.cell_m, census.cell_m)
        half = census.cell_m / 2
        assert field.rio.bounds() == pytest.approx(
            (
                census.x.min() - half,
                census.y.min() - half,
                census.x.max() + half,
                census.y.max() + half,
            )
        )
        where = census.places[place]  # the gazetteer's coordinates: the city's centre
        assert where == pytest.approx((lon, lat), abs=0.1)
        x, y = pyproj.Transformer.from_crs(4326, census.crs, always_xy=True).transform(*where)
        cell = ds.sel(x=x, y=y, method="nearest")
        row, col = census.locate(place)
        people = float(cell["fields"].isel(run=0, time=0).sum("compartment"))
        assert people == census.population[row, col] > 0
        geod = pyproj.Geod(ellps="WGS84")
        _, _, metres = geod.inv(float(cell["lon"]), float(cell["lat"]), *where)
        assert metres <= census.cell_m * 0.75  # the centre of the cell the city is in
        assert float(cell["lat"]) == pytest.approx(census.lat[row, col], abs=1e-4)
        assert float(cell["lon"]) == pytest.approx(census.lon[row, col], abs=1e-4)


def test_cells_with_no_patch_hold_the_fill_value_and_the_rest_sum_to_the_totals(
    folder: Path,
) -> None:
    """The sea and the empty land are NaN (the file's _FillValue); the cells add up to
    the counts of totals.parquet, so nothing was dropped or put twice."""
    path = _written("korea", folder)
    result = load_result(path.parent)
    with xr.open_dataset(path, decode_times=False) as ds:
        cells = ds["fields"].values
        assert np.isnan(ds["fields"].encoding["_FillValue"])
        empty = load_map("korea", "10km").population[::-1] == 0  # rows flipped: y ascends
        assert np.isnan(cells[..., empty]).all() and not np.isnan(cells[..., ~empty]).any()
        np.testing.assert_array_equal(
            np.nansum(cells, axis=(-2, -1), dtype=np.float64), result.counts
        )


def test_cf_xarray_finds_every_axis_and_the_grid_mapping(folder: Path) -> None:
    """cf-xarray finds X, Y and T, the latitude and longitude, and the grid mapping."""
    import cf_xarray  # noqa: F401

    with xr.open_dataset(_written("korea", folder), decode_times=False) as ds:
        assert ds.cf.axes == {"X": ["x"], "Y": ["y"], "T": ["time"]}
        assert ds.cf.coordinates["latitude"] == ["lat"]
        assert ds.cf.coordinates["longitude"] == ["lon"]
        assert ds.cf.grid_mapping_names == {"transverse_mercator": ["spatial_ref"]}
        assert "crs_wkt" in ds["spatial_ref"].attrs and "spatial_ref" in ds["spatial_ref"].attrs
        assert ds["x"].attrs["standard_name"] == "projection_x_coordinate"
        assert ds.attrs["Conventions"] == "CF-1.10"


def _cf_errors(path: Path, tmp: Path) -> list[str]:
    """The errors (high-priority failures) the IOOS compliance checker finds for CF-1.10."""
    from compliance_checker.runner import CheckSuite, ComplianceChecker

    CheckSuite.load_all_available_checkers()
    report = tmp / f"{path.parent.name}-cf.json"
    ComplianceChecker.run_checker(
        str(path), ["cf:1.10"], 0, "normal", output_filename=str(report), output_format="json"
    )
    scored = json.loads(report.read_text())["cf:1.10"]
    return [
        f"{c['name']}: {c['msgs']}"
        for c in scored["high_priorities"]
        if c["value"][0] < c["value"][1]
    ]


def test_a_cf_checker_finds_no_error_on_a_map(folder: Path, tmp_path: Path) -> None:
    """The IOOS compliance checker (CF-1.10) reports no error for a run on the census map."""
    assert _cf_errors(_written("korea", folder), tmp_path) == []


def test_a_cf_checker_finds_no_error_on_a_building(tmp_path: Path) -> None:
    """A run in a building keeps the patch dimension, and is CF too."""
    school = World.from_edges(
        "school", ["hall", "gate", "lab"], [("hall", "gate", 1.0), ("gate", "lab", 2.0)]
    )
    path = save_result(_result(school), tmp_path / "school") / "fields.nc"
    with xr.open_dataset(path, decode_times=False) as ds:
        assert ds["fields"].dims == ("run", "time", "compartment", "patch")
    assert _cf_errors(path, tmp_path) == []


def test_a_map_with_a_camp_off_the_grid_reads_back_the_same_counts(tmp_path: Path) -> None:
    """A camp joined to the map has no cell: its counts are site_fields, and hyosan reads
    every patch's counts back exactly as they were."""
    world = world_from_map("korea", "10km").with_patch("quarantine-camp")
    result = _result(world)
    folder = save_result(result, tmp_path / "camp")
    with xr.open_dataset(folder / "fields.nc", decode_times=False) as ds:
        assert ds["site_fields"].dims == ("run", "time", "compartment", "site")
        assert ds["site"].values.tolist() == ["quarantine-camp"]
    back = load_result(folder)
    np.testing.assert_array_equal(back.fields, result.fields)
    assert back.patches == result.patches


def test_a_lattice_without_a_projection_is_a_raster_in_its_own_units(tmp_path: Path) -> None:
    """A plain lattice (no map) lies on x/y in its unit, without a grid mapping or lat/lon;
    its empty cells are NaN and the counts read back exactly."""
    world = World.lattice([[1, 0, 3], [4, 5, 0]], cell=2.0, keep_empty=False)
    result = _result(world)
    folder = save_result(result, tmp_path / "lattice")
    with xr.open_dataset(folder / "fields.nc", decode_times=False) as ds:
        assert ds["fields"].dims[-2:] == ("y", "x")
        assert ds["x"].values.tolist() == [0.0, 2.0, 4.0] and ds["y"].values.tolist() == [-2.0, 0.0]
        assert "spatial_ref" not in ds.variables and "lat" not in ds.variables
        assert np.isnan(ds["fields"].values[0, 0, 0, 1, 1])  # row 0, col 1: no people
    np.testing.assert_array_equal(load_result(folder).fields, result.fields)


def test_patches_not_evenly_spaced_keep_the_patch_dimension(tmp_path: Path) -> None:
    """A raster whose cells are not evenly spaced cannot be a CF grid: it stays on patch,
    and reads back the same."""
    world = World.lattice([[1, 2, 3]], x=[0.0, 1.0, 5.0])
    result = _result(world)
    folder = save_result(result, tmp_path / "uneven")
    with xr.open_dataset(folder / "fields.nc", decode_times=False) as ds:
        assert ds["fields"].dims == ("run", "time", "compartment", "patch")
    np.testing.assert_array_equal(load_result(folder).fields, result.fields)


def test_a_viewer_reads_one_frame_alone_and_every_variable_has_a_unit(folder: Path) -> None:
    """The fields are zlib-compressed in chunks of one time step of one run; every
    numeric variable states its unit and every variable its long name."""
    import h5py

    path = _written("korea", folder)
    with h5py.File(path) as f:
        fields = f["fields"]
        assert fields.chunks == (1, 1, len(COMPS), *fields.shape[-2:])
        assert fields.compression == "gzip"
    with xr.open_dataset(path, decode_times=False) as ds:
        for name, var in ds.variables.items():
            if name == "spatial_ref":
                continue  # a container of attributes, not a quantity
            assert var.attrs.get("long_name"), name
            if var.dtype.kind in "fiu" and name != "parameter_value":
                assert "units" in var.attrs, name
        assert ds["time"].attrs["units"].startswith("hours since")
