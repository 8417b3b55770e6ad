"""Tests of :class:`hyosan.results.Result`: layout, properties and checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from hyosan.errors import InputError
from hyosan.results import Result

TIMES = [0.0, 1.0, 2.0, 3.0]
COMPS = ("S", "Z", "D")


def _counts() -> np.ndarray:
    run0 = [[10, 1, 0], [5, 6, 0], [0.5, 8, 2], [0, 7, 4]]
    run1 = [[10, 1, 0], [9, 2, 0], [9, 1, 1], [9, 0, 2]]
    return np.array([run0, run1], dtype=float)


def _result(**changes: object) -> Result:
    kwargs: dict[str, object] = dict(
        events=[12, 3],
        engine="ssa",
        seed=42,
        scenario_name="classroom",
        model="szr",
        humans=("S",),
        zombies=("Z",),
        time_unit="hour",
        scenario_toml="name = 'x'\n",
    )
    kwargs.update(changes)
    return Result.from_arrays(_counts(), TIMES, COMPS, **kwargs)  # type: ignore[arg-type]


def test_from_arrays_builds_the_documented_layout() -> None:
    """from_arrays gives dims, dtypes and coordinates exactly as the engines' contract says."""
    ds = _result().dataset
    assert ds["counts"].dims == ("run", "time", "compartment")
    assert ds["counts"].dtype == np.float64
    assert ds["events"].dims == ("run",)
    assert ds["events"].dtype == np.int64
    assert ds["run"].dtype == np.int64
    assert ds["run"].values.tolist() == [0, 1]
    assert ds["time"].dtype == np.float64
    assert ds["time"].values.tolist() == TIMES
    assert ds["compartment"].values.tolist() == list(COMPS)
    np.testing.assert_array_equal(ds["counts"].values, _counts())


def test_attributes_are_netcdf_safe_and_complete() -> None:
    """Every provenance attribute is present and is a str, int or float."""
    attrs = _result().dataset.attrs
    expected = {
        "hyosan_version",
        "engine",
        "seed",
        "scenario_name",
        "model",
        "humans",
        "zombies",
        "time_unit",
        "scenario_toml",
    }
    assert set(attrs) == expected
    assert all(type(v) in (str, int, float) for v in attrs.values())
    assert attrs["humans"] == "S" and attrs["zombies"] == "Z"
    assert attrs["seed"] == 42 and attrs["hyosan_version"]


def test_several_humans_are_comma_joined_and_read_back() -> None:
    """humans/zombies are stored comma-joined and come back as tuples in order."""
    r = _result(humans=("S", "D"), zombies=())
    assert r.dataset.attrs["humans"] == "S,D"
    assert r.humans == ("S", "D")
    assert r.zombies == ()


def test_properties() -> None:
    """The simple properties read the dataset back in plain Python types."""
    r = _result()
    assert r.runs == 2
    assert r.compartments == COMPS
    assert r.engine == "ssa" and r.seed == 42
    assert r.scenario_name == "classroom" and r.time_unit == "hour"
    assert isinstance(r.times, np.ndarray) and r.times.tolist() == TIMES
    assert r.events.tolist() == [12, 3]
    assert r.counts.shape == (2, 4, 3)


def test_constructor_only_stores() -> None:
    """Result(dataset) keeps the very dataset it was given."""
    ds = _result().dataset
    assert Result(ds).dataset is ds


def test_totals_has_one_row_per_run_and_time() -> None:
    """totals has columns run, time, then compartments in order, and matches the counts."""
    totals = _result().totals
    assert list(totals.columns) == ["run", "time", *COMPS]
    assert len(totals) == 2 * 4
    assert totals["run"].tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert totals["time"].tolist() == TIMES * 2
    assert totals["run"].dtype == np.int64
    assert isinstance(totals.index, pd.RangeIndex)
    np.testing.assert_array_equal(totals[list(COMPS)].to_numpy(), _counts().reshape(8, 3))


def test_to_xarray_is_a_copy() -> None:
    """Changing the dataset from to_xarray leaves the result unchanged."""
    r = _result()
    ds = r.to_xarray()
    ds["counts"][:] = -1.0
    ds.attrs["engine"] = "ode"
    assert r.counts.min() >= 0.0
    assert r.engine == "ssa"


def test_extra_patch_dimension_is_summed_in_totals() -> None:
    """A dataset with a patch dimension gives totals summed over patches."""
    base = _result().dataset
    per_patch = xr.concat([base["counts"] * 0.25, base["counts"] * 0.75], dim="patch")
    ds = base.assign(counts=per_patch.transpose("run", "time", "compartment", "patch"))
    r = Result(ds)
    np.testing.assert_allclose(r.counts, _counts())
    np.testing.assert_allclose(r.totals["Z"].to_numpy(), _counts()[:, :, 1].ravel())


def test_summary_is_the_summarize_function() -> None:
    """Result.summary() delegates to hyosan.results.summarize."""
    from hyosan.results import summarize

    r = _result()
    assert r.summary() == summarize(r)


def test_repr_is_short() -> None:
    """The repr names the scenario, engine, runs and compartments without printing data."""
    text = repr(_result())
    assert "classroom" in text and "runs=2" in text and "S,Z,D" in text
    assert len(text) < 200


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"humans": ("X",)}, "humans"),
        ({"zombies": ("S", "W")}, "zombies"),
        ({"events": [1, 2, 3]}, "events"),
        ({"seed": 1.5}, "seed"),
        ({"seed": True}, "seed"),
    ],
)
def test_from_arrays_rejects_inconsistent_metadata(change: dict[str, object], key: str) -> None:
    """Unknown human/zombie compartments, wrong events length or a non-integer seed raise."""
    with pytest.raises(InputError) as info:
        _result(**change)
    assert info.value.key == key


def test_from_arrays_rejects_bad_shapes() -> None:
    """Counts that are not 3-D, or times/compartments of the wrong length, raise InputError."""
    kwargs = dict(
        events=[0],
        engine="ode",
        seed=0,
        scenario_name="x",
        model="m",
        humans=(),
        zombies=(),
        time_unit="day",
    )
    with pytest.raises(InputError, match="3 axes"):
        Result.from_arrays(np.zeros((2, 3)), [0, 1], ("S", "Z", "D"), **kwargs)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="one value per time"):
        Result.from_arrays(np.zeros((1, 2, 1)), [0, 1, 2], ("S",), **kwargs)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="distinct"):
        Result.from_arrays(np.zeros((1, 2, 2)), [0, 1], ("S", "S"), **kwargs)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="at least one run"):
        Result.from_arrays(np.zeros((0, 2, 1)), [0, 1], ("S",), **kwargs)  # type: ignore[arg-type]


def test_dataset_can_be_written_as_netcdf(tmp_path: Path) -> None:
    """The dataset built by from_arrays can be written to netCDF and read back unchanged."""
    pytest.importorskip("scipy")
    ds = _result().dataset
    path = tmp_path / "r.nc"
    ds.to_netcdf(path, engine="scipy")
    with xr.open_dataset(path, engine="scipy") as back:
        np.testing.assert_array_equal(back["counts"].values, ds["counts"].values)
        assert back.attrs["humans"] == "S"
        assert back["compartment"].values.tolist() == list(COMPS)


def test_a_built_result_reads_the_same_before_and_after_its_dataset_is_made() -> None:
    """Every property of a result from arrays is the same before and after .dataset is built."""
    lazy, built = _result(), _result()
    _ = built.dataset
    for name in ("engine", "seed", "scenario_name", "time_unit", "humans", "zombies", "runs"):
        assert getattr(lazy, name) == getattr(built, name), name
    assert lazy.compartments == built.compartments and lazy.in_space == built.in_space
    np.testing.assert_array_equal(lazy.times, built.times)
    np.testing.assert_array_equal(lazy.counts, built.counts)
    np.testing.assert_array_equal(lazy.events, built.events)
    assert lazy.has("counts") and not lazy.has("fields") and lazy.has("time")


def test_with_variables_gives_the_same_dataset_either_way() -> None:
    """Adding variables before or after the dataset is made gives identical datasets."""
    fired = np.array([[0.5], [np.nan]])
    add = {"fired": (("run", "intervention"), fired)}
    dims = {"intervention": np.array(["barricade"])}
    lazy = _result().with_variables(add, dims=dims, attrs={"survivors": "S"})
    built = _result()
    _ = built.dataset
    eager = built.with_variables(add, dims=dims, attrs={"survivors": "S"})
    assert lazy.has("fired") and eager.has("fired")
    xr.testing.assert_identical(lazy.dataset, eager.dataset)
    assert list(lazy.dataset.data_vars) == ["counts", "events", "fired"]
    assert not built.has("fired")  # the result added to is left as it was


def test_summarizing_needs_neither_pandas_nor_xarray() -> None:
    """A run and its summary import neither library (half a second of every `hyosan run`)."""
    import subprocess
    import sys

    code = (
        "import sys, hyosan\n"
        "from hyosan.results import summarize\n"
        "r = hyosan.simulate(hyosan.load_scenario('munz-basic'), engine='ode')\n"
        "summarize(r)\n"
        "print(sorted(m for m in ('pandas', 'xarray') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


PARAMETERS = {"beta": 0.5, "zeta": 0.0, "alpha": 1e-3}


def test_parameters_are_a_coordinate_and_a_float_variable() -> None:
    """from_arrays stores the parameter names as the coordinate ``parameter`` and their values
    as ``parameter_value`` (float64) in the given order; Result.parameters reads them back,
    before and after the dataset is made."""
    lazy = _result(parameters=PARAMETERS)
    assert lazy.parameters == PARAMETERS
    ds = _result(parameters=PARAMETERS).dataset
    assert ds["parameter"].values.tolist() == ["beta", "zeta", "alpha"]
    assert ds["parameter_value"].dims == ("parameter",)
    assert ds["parameter_value"].dtype == np.float64
    assert Result(ds).parameters == PARAMETERS
    assert all(type(v) is float for v in Result(ds).parameters.values())


@pytest.mark.parametrize("given", [None, {}])
def test_no_parameters_means_an_empty_dict_and_no_variable(given: dict[str, float] | None) -> None:
    """Without parameters (None or empty) the dataset has neither ``parameter`` nor
    ``parameter_value``, and Result.parameters is an empty dict."""
    r = _result(parameters=given)
    assert r.parameters == {}
    assert "parameter_value" not in r.dataset and "parameter" not in r.dataset.coords


@pytest.mark.parametrize("value", [float("nan"), True, "0.5"])
def test_a_parameter_value_that_is_not_a_finite_number_is_rejected(value: object) -> None:
    """A parameter value that is NaN, a bool or a string raises InputError naming it."""
    with pytest.raises(InputError) as info:
        _result(parameters={"beta": value})
    assert info.value.key == "parameters.beta"


def test_parameters_survive_netcdf(tmp_path: Path) -> None:
    """The dataset with parameters written to netCDF-4 and read back gives the same values."""
    path = tmp_path / "r.nc"
    _result(parameters=PARAMETERS).dataset.to_netcdf(path, engine="h5netcdf")
    with xr.open_dataset(path, engine="h5netcdf") as back:
        assert Result(back.load()).parameters == PARAMETERS
