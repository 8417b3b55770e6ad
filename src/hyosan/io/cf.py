"""A world on a regular grid as a CF-1.10 raster: the layout of ``fields.nc`` for runs on a
census map or a lattice.

GIS tools (QGIS and GDAL, Panoply, rioxarray, cf-xarray) place a variable on a map
when it lies on ``y``/``x`` coordinate variables in the projection's units with a
``grid_mapping`` that names the projection. So a run on a grid is written as
``fields(run, time, compartment, y, x)``:

- ``x``, ``y``: cell centres, ascending (``y`` runs south to north; hyosan's rows
  run north to south, so the rows are flipped), ``standard_name``
  ``projection_x_coordinate``/``projection_y_coordinate`` with ``units = "m"``
  where the world has a projection (else ``grid_x``/``grid_y`` in the world's unit);
- ``spatial_ref``: the grid mapping, holding the projection as WKT (``crs_wkt`` for
  CF, ``spatial_ref`` for GDAL) and its CF parameters (``pyproj.CRS.to_cf``);
- ``lat``, ``lon``: 2-D auxiliary coordinates of every cell centre, in degrees;
- cells with no patch (the sea, the empty land) hold the fill value, NaN.

Patches off the grid (a quarantine camp joined to a map) have no cell: their
counts are ``site_fields(run, time, compartment, site)``. The patches' own
coordinates (``patch``, ``patch_row``...) stay in the file, so hyosan reads the
counts per patch back exactly (:func:`patch_values`).

A world whose patches are not on one evenly spaced grid (a building, a city of
named places) keeps the ``patch`` dimension; :func:`grid_of` says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr

from hyosan._typing import FloatArray, IntArray

__all__ = ["Grid", "axes_and_mapping", "grid_of", "patch_values", "to_grid"]


@dataclass(frozen=True, slots=True)
class Grid:
    """The regular grid under a raster world's patches.

    ``x`` and ``y`` are the ascending cell centres; ``xi``/``yi`` give each
    patch's cell on them (``-1`` for a patch off the grid); ``crs`` is the
    projection (``""`` for a plain lattice) and ``unit`` the unit of ``x``/``y``.
    """

    x: FloatArray
    y: FloatArray
    xi: IntArray
    yi: IntArray
    crs: str
    unit: str

    @property
    def on(self) -> np.ndarray:
        """Which patches have a cell."""
        return self.xi >= 0


def grid_of(ds: xr.Dataset) -> Grid | None:
    """The grid of the result ``ds`` when its world is a raster whose patches lie on
    one evenly spaced grid; ``None`` otherwise (the file keeps ``patch``)."""
    if ds.attrs.get("world_kind") != "raster" or "patch_row" not in ds.coords:
        return None
    rows, cols = int(ds.attrs.get("grid_rows", 0)), int(ds.attrs.get("grid_cols", 0))
    row = ds["patch_row"].values.astype(np.int64)
    col = ds["patch_col"].values.astype(np.int64)
    on = (row >= 0) & (col >= 0) & (row < rows) & (col < cols)
    if not on.any():
        return None
    cell = float(ds.attrs.get("cell_m", 0.0)) or 1.0
    across = _axis(col[on], ds["patch_x"].values[on], cols, cell)
    down = _axis(row[on], ds["patch_y"].values[on], rows, -cell)
    if across is None or down is None:
        return None
    (x, x_flip), (y, y_flip) = across, down
    xi = np.where(on, (cols - 1 - col) if x_flip else col, -1)
    yi = np.where(on, (rows - 1 - row) if y_flip else row, -1)
    crs = str(ds.attrs.get("crs", ""))
    unit = "m" if crs else str(ds.attrs.get("world_unit", "") or "1")
    return Grid(x=x, y=y, xi=xi, yi=yi, crs=crs, unit=unit)


def _axis(
    index: IntArray, where: FloatArray, n: int, step: float
) -> tuple[FloatArray, bool] | None:
    """The ascending centres of ``n`` cells from the patches at ``index`` placed at
    ``where``, and whether the index runs against them; None if they are uneven."""
    first = int(np.argmin(index))
    last = int(np.argmax(index))
    if index[last] != index[first]:
        step = float(where[last] - where[first]) / float(index[last] - index[first])
    if step == 0.0 or not np.isfinite(step):
        return None
    start = float(where[first]) - index[first] * step
    centres = start + np.arange(n) * step
    if not np.allclose(centres[index], where, rtol=0.0, atol=1e-6 * abs(step)):
        return None
    return (centres[::-1].copy(), True) if step < 0 else (centres, False)


def to_grid(
    values: FloatArray, grid: Grid, dtype: str = "float64"
) -> tuple[np.ndarray, np.ndarray]:
    """Counts per patch ``(..., patch)`` as ``(..., y, x)`` of ``dtype`` (NaN where no
    patch is) and the counts of the patches off the grid ``(..., site)``."""
    shape = (*values.shape[:-1], grid.y.size, grid.x.size)
    out = np.full(shape, np.nan, dtype=dtype)
    on = grid.on
    out[..., grid.yi[on], grid.xi[on]] = values[..., on]
    return out, values[..., ~on]


def patch_values(cells: np.ndarray, sites: np.ndarray | None, grid: Grid) -> np.ndarray:
    """The inverse of :func:`to_grid`: counts per patch from the cells and the sites."""
    n = grid.xi.size
    out = np.zeros((*cells.shape[:-2], n), dtype=cells.dtype)
    on = grid.on
    out[..., on] = cells[..., grid.yi[on], grid.xi[on]]
    if sites is not None and (~on).any():
        out[..., ~on] = sites
    return out


def axes_and_mapping(grid: Grid) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``x``/``y`` coordinates (with ``lat``/``lon`` where there is a projection)
    and the data variables' extra attributes (``grid_mapping``, ``coordinates``)."""
    projected = bool(grid.crs)
    coords: dict[str, Any] = {
        "x": ("x", grid.x, _axis_attrs("X", projected, grid.unit)),
        "y": ("y", grid.y, _axis_attrs("Y", projected, grid.unit)),
    }
    if not projected:
        return coords, {}
    import pyproj

    crs = pyproj.CRS.from_user_input(grid.crs)
    cf = {k: v for k, v in crs.to_cf().items() if v is not None}
    wkt = crs.to_wkt()
    coords["spatial_ref"] = ((), np.int32(0), {**cf, "crs_wkt": wkt, "spatial_ref": wkt})
    lon, lat = _lon_lat(crs, grid)
    coords["lon"] = (("y", "x"), lon, _degrees("longitude", "degrees_east"))
    coords["lat"] = (("y", "x"), lat, _degrees("latitude", "degrees_north"))
    return coords, {"grid_mapping": "spatial_ref", "coordinates": "lat lon"}


def _axis_attrs(axis: str, projected: bool, unit: str) -> dict[str, str]:
    name = axis.lower()
    named = {"standard_name": f"projection_{name}_coordinate"} if projected else {}
    where = "in the projection" if projected else "on the lattice"
    return {**named, "long_name": f"{name} of the cell centre {where}", "units": unit, "axis": axis}


def _degrees(name: str, unit: str) -> dict[str, str]:
    return {"standard_name": name, "long_name": f"{name} of the cell centre", "units": unit}


def _lon_lat(crs: Any, grid: Grid) -> tuple[FloatArray, FloatArray]:
    """Longitude and latitude of every cell centre, ``(y, x)``."""
    import pyproj

    to_degrees = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    xx, yy = np.meshgrid(grid.x, grid.y)
    lon, lat = to_degrees.transform(xx, yy)
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
