"""``fields.nc`` in a result folder: the counts per patch of a run in space, and reading them back.

The file is netCDF-4 (through h5netcdf), compressed, with ``fields[run, time,
compartment, patch]`` (float32 where every count fits exactly, else float64),
the patches' coordinates (``patch``, ``patch_x``, ``patch_y``...), the movement
edges, the scenario's resolved parameter values (``parameter_value`` on the
coordinate ``parameter``) when the result has them, and the result's
attributes, the world's and the map's projection among them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from hyosan.errors import InputError
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


def write_fields(result: Result, path: Path) -> None:
    """Write the counts per patch of ``result`` (a result in space) to ``path``."""
    ds = result.dataset
    fields = ds["fields"]
    exact32 = float(np.abs(fields.values).max(initial=0.0)) < 2.0**24 and bool(
        np.all(fields.values == np.round(fields.values))
    )
    keep = [
        c
        for c in ds.coords
        if str(c).startswith(("patch", "edge")) or c in ("run", "time", "compartment", "parameter")
    ]
    variables = {"fields": fields}
    if result.has("parameter_value"):
        variables["parameter_value"] = ds["parameter_value"]
    out = xr.Dataset(variables, coords={c: ds.coords[c] for c in keep}, attrs=dict(ds.attrs))
    out.attrs["description"] = (
        "hyosan: counts per patch over time (fields[run, time, compartment, patch]); "
        "patch_x, patch_y in the projection named by crs (metres) or the world's plan units; "
        "parameter_value[parameter]: the scenario's resolved parameter values"
    )
    encoding = {
        "fields": {"zlib": True, "complevel": 4, "dtype": "float32" if exact32 else "float64"}
    }
    out.to_netcdf(path, engine="h5netcdf", encoding=encoding)


def read_fields(result: Result, path: Path) -> Result:
    """``result`` (read from the totals beside ``path``) with the fields and the world added.

    The parameter values are taken from the file when the result has none.
    """
    try:
        with xr.open_dataset(path, engine="h5netcdf") as f:
            f.load()
            fields = f["fields"].astype(np.float64)
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
    ds["fields"] = (("run", "time", "compartment", "patch"), fields.values)
    if values is not None and "parameter_value" not in ds:
        ds = ds.assign_coords(parameter=values["parameter"].values)
        ds["parameter_value"] = ("parameter", values.values.astype(np.float64))
    ds.attrs.update(attrs)
    return Result(ds)
