"""``hyosan export DIR --geotiff T``: one GeoTIFF per compartment that GIS tools place."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hyosan.io import save_result
from hyosan.results import Result
from hyosan.space import World
from hyosan.space.maps import load_map
from hyosan.space.world import world_from_map

from .cli_runner import Cli

TIMES = [0.0, 12.0, 24.0]


def _result(world: World) -> Result:
    """Two runs: everyone susceptible, then a zombie per cell per step (two in run 1)."""
    pop = world.population.astype(float)
    fields = np.zeros((2, len(TIMES), 2, world.n_patches))
    for t in range(len(TIMES)):
        for r in range(2):
            bitten = np.minimum(pop, t * (r + 1))
            fields[r, t, 0], fields[r, t, 1] = pop - bitten, bitten
    return Result.from_arrays(
        fields.sum(axis=-1),
        TIMES,
        ("S", "Z"),
        events=[0, 0],
        engine="tau",
        seed=1,
        scenario_name="korea",
        model="sz",
        humans=("S",),
        zombies=("Z",),
        time_unit="hour",
        fields=fields,
        world=world,
    )


@pytest.fixture(scope="module")
def korea() -> Result:
    return _result(world_from_map("korea", "10km"))


def test_one_geotiff_per_compartment_north_up_with_a_band_per_run(
    cli: Cli, tmp_path: Path, korea: Result
) -> None:
    """At the nearest output time: the map's projection, north up, the census cells where
    the census has them (Seoul's population under Seoul), NaN at sea, a band per run."""
    import pyproj
    import rasterio

    folder = save_result(korea, tmp_path / "korea")
    assert cli("export", folder, "--geotiff", "13") == 0, cli.err
    census = load_map("korea", "10km")
    paths = sorted((folder / "geotiff").iterdir())
    assert [p.name for p in paths] == ["S-t12.tif", "Z-t12.tif"]
    with rasterio.open(folder / "geotiff" / "Z-t12.tif") as tif:
        assert tif.crs == rasterio.crs.CRS.from_user_input(census.crs)
        assert tif.transform.e < 0 and tif.res == (census.cell_m, census.cell_m)  # north up
        assert tif.count == 2 and tif.descriptions == ("run 0", "run 1")
        bands = tif.read()
    with rasterio.open(folder / "geotiff" / "S-t12.tif") as tif:
        x, y = pyproj.Transformer.from_crs(4326, census.crs, always_xy=True).transform(
            *census.places["Seoul"]
        )
        (seoul,) = list(tif.sample([(x, y)], indexes=1))
    row, col = census.locate("Seoul")
    assert float(seoul[0]) == census.population[row, col] - 1  # one bitten by t = 12
    land = census.population > 0
    assert np.isnan(bands[:, ~land]).all()
    np.testing.assert_array_equal(bands[0][land], np.minimum(census.population[land], 1))
    np.testing.assert_array_equal(bands[1][land], np.minimum(census.population[land], 2))


def test_the_last_time_by_default_and_a_new_run_removes_them(
    cli: Cli, tmp_path: Path, korea: Result
) -> None:
    """``--geotiff last`` takes the last output time; a new result in the folder removes
    the GeoTIFFs of the old one (they showed another run)."""
    folder = save_result(korea, tmp_path / "korea")
    assert cli("export", folder, "--geotiff", "last") == 0, cli.err
    assert sorted(p.name for p in (folder / "geotiff").iterdir()) == ["S-t24.tif", "Z-t24.tif"]
    save_result(korea, folder)
    assert not (folder / "geotiff").exists()


@pytest.mark.parametrize(
    ("value", "words"),
    [("99", "from 0 to 24"), ("-1", "from 0 to 24"), ("soon", "not a time"), ("nan", "not a time")],
)
def test_a_bad_time_exits_2_naming_it(
    cli: Cli, tmp_path: Path, korea: Result, value: str, words: str
) -> None:
    """A time outside the run, or not a number, is bad input: exit 2, the option named,
    nothing written."""
    folder = save_result(korea, tmp_path / "korea")
    assert cli("export", folder, "--geotiff", value) == 2
    assert "--geotiff" in cli.err and words in cli.err
    assert not (folder / "geotiff").exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_a_world_off_any_map_or_a_folder_without_fields_is_refused(
    cli: Cli, tmp_path: Path
) -> None:
    """A building has no grid to place a GeoTIFF on, and a well-mixed run no fields: exit 2
    naming the file; `export` with nothing asked names --geotiff."""
    school = World.from_edges("school", ["hall", "gate"], [("hall", "gate", 1.0)])
    folder = save_result(_result(school), tmp_path / "school")
    assert cli("export", folder, "--geotiff", "last") == 2
    assert "fields.nc" in cli.err and "not on a grid" in cli.err
    assert cli("export", tmp_path / "nothing", "--geotiff", "last") == 2
    assert "no fields.nc" in cli.err
    assert cli("export", folder) == 2
    assert "--geotiff" in cli.err
