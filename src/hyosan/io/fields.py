"""``fields.nc`` in a result folder: the counts per patch of a run in space, and reading them back.

The file is netCDF-4 (through h5netcdf) following CF-1.10. For a world on a grid
(a census map, a lattice) the counts are a raster, ``fields[run, time,
compartment, y, x]``, that GIS tools place on the map (see :mod:`hyosan.io.cf`);
for any other world (a school, a city) they stay ``fields[run, time,
compartment, patch]``. Either way: float32 where every count fits exactly, else
float64; zlib-compressed in chunks of one time step, so that a viewer reads one
frame without the rest; the patches' coordinates (``patch``, ``patch_x``,
``patch_y``...) and the movement edges; the scenario's resolved parameter values
(``parameter_value`` on the coordinate ``parameter``) when the result has them;
``units`` and ``long_name`` on every variable; and the result's attributes, the
world's and the map's projection among them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from hyosan.errors import InputError
from hyosan.io.cf import Grid, axes_and_mapping, grid_of, patch_values, to_grid
from hyosan.results import Result

__all__ = ["FIELDS", "read_fields", "write_fields"]

FIELDS = "fields.nc"
_WORLD_ATTRS = (
    "world",
    "world_kind",
    "map",
    "map_cell",
    "grid_rows",
    "grid_cols",
    "crs",
    "cell_m",
    "world_unit",
)
_COUNT = ("run", "time", "compartment")


def write_fields(result: Result, path: Path) -> None:
    """Write the counts per patch of ``result`` (a result in space) to ``path``."""
    ds = result.dataset
    values = ds["fields"].values
    exact32 = float(np.abs(values).max(initial=0.0)) < 2.0**24 and bool(
        np.all(values == np.round(values))
    )
    dtype = "float32" if exact32 else "float64"
    grid = grid_of(ds)
    keep = [
        c
        for c in ds.coords
        if str(c).startswith(("patch", "edge", "parameter")) or c in ("run", "time", "compartment")
    ]
    out = xr.Dataset(coords={c: ds.coords[c] for c in keep}, attrs=_global_attrs(result))
    counted = {"units": "1", "long_name": "people in each compartment"}
    if grid is None:
        out["fields"] = xr.Variable((*_COUNT, "patch"), values, counted)
    else:
        out = _on_grid(out, values.astype(dtype, copy=False), grid, counted)
    if result.has("parameter_value"):
        out["parameter_value"] = ds["parameter_value"]
    _describe(out, result.time_unit, str(ds.attrs.get("world_unit", "")) or "1")
    encoding: dict[Any, dict[str, Any]] = {
        name: {"_FillValue": None, **({"zlib": True, "complevel": 1} if v.size > 1000 else {})}
        for name, v in out.variables.items()
        if v.dtype.kind in "fiu"
    }  # no fill value on coordinates (CF 2.5.1); the patches' and edges' numbers compressed
    encoding.update(  # the patches' names as compressed characters, not a heap of strings
        {
            name: {"dtype": "S1", "zlib": True, "complevel": 1}
            for name, v in out.variables.items()
            if v.dtype.kind == "U" and v.size > 1000
        }
    )
    encoding.update(
        {
            name: _compressed(out[str(name)], dtype)
            for name in out.data_vars
            if "fields" in str(name)
        }
    )
    out.to_netcdf(path, engine="h5netcdf", encoding=encoding)


def _on_grid(
    out: xr.Dataset, values: np.ndarray, grid: Grid, counted: dict[str, str]
) -> xr.Dataset:
    """``out`` with the counts as a raster (and the patches off the grid as sites)."""
    cells, sites = to_grid(values, grid, str(values.dtype))
    coords, mapped = axes_and_mapping(grid)
    out = out.assign_coords(coords)
    per_cell = {**counted, "long_name": "people in each compartment, per cell", **mapped}
    out["fields"] = xr.Variable((*_COUNT, "y", "x"), cells, per_cell)
    if sites.shape[-1]:
        names = out["patch"].values[~grid.on]
        out = out.assign_coords(site=("site", names, {"long_name": "patch off the grid"}))
        per_site = {**counted, "long_name": "people in each compartment, per patch off the grid"}
        out["site_fields"] = xr.Variable((*_COUNT, "site"), sites, per_site)
    return out


def _compressed(var: xr.DataArray, dtype: str) -> dict[str, Any]:
    """zlib, in chunks of one time step; NaN marks a cell with no patch."""
    chunks = tuple(
        1 if d in ("run", "time") else n for d, n in zip(var.dims, var.shape, strict=True)
    )
    return {
        "zlib": True,
        "complevel": 1,  # level 4 halves the speed for an eighth less
        "dtype": dtype,
        "chunksizes": chunks,
        "_FillValue": np.nan if "y" in var.dims else None,
    }


def _global_attrs(result: Result) -> dict[str, Any]:
    attrs = dict(result.dataset.attrs)
    attrs["Conventions"] = "CF-1.10"
    attrs["title"] = f"hyosan: {result.scenario_name}, people per place over time"
    attrs["source"] = f"hyosan {attrs.get('hyosan_version', 'unknown')} ({result.engine})"
    attrs["history"] = (  # no date: the same run writes the same bytes (--resume relies on it)
        f"made by hyosan {attrs.get('hyosan_version', 'unknown')}: scenario "
        f"{result.scenario_name}, engine {result.engine}, seed {result.seed}"
    )
    attrs["description"] = (
        "counts per place over time: fields[run, time, compartment, y, x] on a grid "
        "(with site_fields for places off it) or fields[run, time, compartment, patch]; "
        "parameter_value[parameter]: the scenario's resolved parameter values"
    )
    return attrs


_LONG = {
    "run": ("run of the ensemble", "1"),
    "compartment": ("compartment of the model", None),
    "patch": ("name of the patch", None),
    "patch_row": ("grid row of the patch (-1 off the grid)", "1"),
    "patch_col": ("grid column of the patch (-1 off the grid)", "1"),
    "patch_kind": ("kind of place", None),
    "patch_floor": ("floor of the patch", "1"),
    "patch_label": ("label of the patch", None),
    "edge_src": ("patch people move from (index)", "1"),
    "edge_dst": ("patch people move to (index)", "1"),
    "parameter": ("model parameter", None),
    "parameter_unit": ("unit of the parameter (empty where the model gives none)", None),
    "parameter_value": ("resolved value of the parameter, in the unit parameter_unit gives", None),
}


def _describe(out: xr.Dataset, time_unit: str, plan_unit: str) -> None:
    """``long_name`` and ``units`` on every variable that lacks them."""
    described = dict(_LONG)
    described["time"] = ("time since the outbreak began", _since(time_unit))
    place = "m" if out.attrs.get("crs") else plan_unit
    described["patch_x"] = ("x of the patch", place)
    described["patch_y"] = ("y of the patch", place)
    for name, var in out.variables.items():
        long_name, units = described.get(str(name), (None, None))
        if long_name is not None:
            var.attrs.setdefault("long_name", long_name)
        if units is not None:
            var.attrs.setdefault("units", units)
    time = out["time"].attrs
    time.setdefault("axis", "T")
    if "since" in time["units"]:
        time.update(standard_name="time", calendar="standard", comment=_PLACEHOLDER)
    if "spatial_ref" in out.variables:
        out["spatial_ref"].attrs.setdefault("long_name", "the grid's projection")


_PLACEHOLDER = (
    "time 0 is when the outbreak begins; the model has no calendar, "
    "so the date in units is a placeholder"
)
_CLOCK = ("second", "minute", "hour", "day", "week")


def _since(unit: str) -> str:
    """CF's time units for the scenario's ``unit``: ``hours since 1970-01-01`` for
    ``hour`` (the date a placeholder), the unit as it is where it is no clock unit."""
    word = unit.strip().lower().removesuffix("s")
    return f"{word}s since 1970-01-01 00:00:00" if word in _CLOCK else (unit or "1")


def read_fields(result: Result, path: Path) -> Result:
    """``result`` (read from the totals beside ``path``) with the fields and the world added.

    Reads both layouts (and files written before the raster one). The parameter
    values are taken from the file when the result has none.
    """
    try:
        with xr.open_dataset(path, engine="h5netcdf", decode_times=False) as f:
            f.load()
            fields = _per_patch(f)
            coords = {c: f.coords[c] for c in f.coords if str(c).startswith(("patch", "edge"))}
            attrs = {k: f.attrs[k] for k in _WORLD_ATTRS if k in f.attrs}
            values = f.get("parameter_value")
    except (OSError, ValueError, KeyError) as err:
        raise InputError(f"cannot read the fields ({err})", source=str(path)) from None
    ds = result.dataset.assign_coords(coords)
    if fields.shape[:3] != ds["counts"].shape:
        raise InputError(
            "the fields do not match the totals beside them",
            source=str(path),
            key="fields",
            value=fields.shape,
            allowed=f"(runs, times, compartments) = {ds['counts'].shape} and patches",
        )
    ds["fields"] = ((*_COUNT, "patch"), fields)
    if values is not None and "parameter_value" not in ds:
        ds = ds.assign_coords(parameter=values["parameter"].values)
        if "parameter_unit" in values.coords:
            ds = ds.assign_coords(parameter_unit=("parameter", values["parameter_unit"].values))
        ds["parameter_value"] = ("parameter", values.values.astype(np.float64))
    ds.attrs.update(attrs)
    return Result(ds)


def _per_patch(f: xr.Dataset) -> np.ndarray:
    """The counts per patch ``(run, time, compartment, patch)`` of either layout."""
    fields = f["fields"]
    if "patch" in fields.dims:
        return fields.values.astype(np.float64)
    grid = grid_of(f)
    if grid is None or fields.shape[-2:] != (grid.y.size, grid.x.size):
        raise ValueError("the raster does not match the patches' grid")
    sites = f["site_fields"].values.astype(np.float64) if "site_fields" in f else None
    return patch_values(fields.values.astype(np.float64), sites, grid)
