"""GeoTIFFs of a result folder: one per compartment at one time, for any GIS tool.

``hyosan export DIR --geotiff T`` reads ``DIR/fields.nc`` (a run on a map or a
lattice, whose fields are a CF raster; see :mod:`hyosan.io.cf`) and writes
``DIR/geotiff/{compartment}-t{T}.tif``: one band per run (described as ``run
0``, ``run 1``...), float32, north up, NaN where no patch is (the GeoTIFF's
nodata), deflate-compressed, with the map's projection. ``T`` is the nearest
output time to the one asked for (the last by default).

The files appear all together: they are written into a staging folder beside
``geotiff/`` and then moved in.
"""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

import numpy as np
import xarray as xr

from hyosan._files import staging_folder
from hyosan.errors import InputError
from hyosan.io._errors import missing

__all__ = ["GEOTIFF", "write_geotiffs"]

GEOTIFF = "geotiff"
"""The folder of a result folder that the GeoTIFFs go into."""


def write_geotiffs(folder: str | os.PathLike[str], time: float | None = None) -> list[Path]:
    """Write one GeoTIFF per compartment of the run in ``folder`` at the output time
    nearest ``time`` (the last when None); return their paths.

    Raises
    ------
    InputError
        If the folder has no ``fields.nc``, its world is not on a grid (a school, a
        city: no map to place it on), or ``time`` lies outside the run.
    """
    import rioxarray  # noqa: F401 - registers the .rio accessor

    folder = Path(folder)
    path = folder / "fields.nc"
    if not path.is_file():
        raise missing(path)
    with xr.open_dataset(path, engine="h5netcdf", decode_times=False) as f:
        if "y" not in f["fields"].dims:
            raise InputError(
                "this run's world is not on a grid, so it has no map to place a GeoTIFF on",
                source=str(path),
                key="fields",
                allowed="the folder of a run on a census map or a lattice",
            )
        t = _nearest(f["time"].values, time, path)
        frame = f["fields"].isel(time=t).load()
        crs = f["spatial_ref"].attrs.get("crs_wkt") if "spatial_ref" in f.variables else None
        label = f"{float(f['time'].values[t]):g}"
    frame = frame.isel(y=slice(None, None, -1))  # north up
    target = folder / GEOTIFF
    staging = staging_folder(target)
    try:
        written = [
            _write_one(frame.sel(compartment=c), crs, staging / f"{c}-t{label}.tif")
            for c in frame["compartment"].values.tolist()
        ]
        target.mkdir(exist_ok=True)
        for p in written:
            os.replace(p, target / p.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / p.name for p in written]


def _write_one(frame: xr.DataArray, crs: str | None, path: Path) -> Path:
    """One compartment's counts ``(run, y, x)`` as a GeoTIFF of one band per run."""
    bands = frame.drop_vars([c for c in frame.coords if c not in ("run", "y", "x")])
    bands = bands.rename(run="band").astype(np.float32)
    bands.attrs = {"long_name": [f"run {int(r)}" for r in frame["run"].values]}
    if crs:
        bands = bands.rio.write_crs(crs)
    bands = bands.rio.write_nodata(np.nan, encoded=False)
    bands.rio.to_raster(path, driver="GTiff", compress="deflate")
    return path


def _nearest(times: np.ndarray, time: float | None, path: Path) -> int:
    """The index of the output time nearest ``time`` (the last when None)."""
    if time is None:
        return len(times) - 1
    low, high = float(times[0]), float(times[-1])
    span = max(high - low, 1.0)
    if not math.isfinite(time) or not low - 1e-9 * span <= time <= high + 1e-9 * span:
        raise InputError(
            "no output time there",
            source=str(path),
            key="--geotiff",
            value=time,
            allowed=f"a time from {low:g} to {high:g} (the run's output times)",
        )
    return int(np.argmin(np.abs(times - time)))
