"""What the map pictures need from one run of a result in space, read into plain arrays.

:func:`read_space` reads one run's counts per patch (humans and zombies, each
summed over its compartments) and the patches' places, names, kinds and
doors into a :class:`Space`; :mod:`hyosan.viz.maps`, :mod:`hyosan.viz._grid`
and :mod:`hyosan.viz._pies` draw from it and never read the result
themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from hyosan._checks import check_whole
from hyosan._typing import FloatArray, IntArray
from hyosan.errors import InputError
from hyosan.results import Result

__all__ = ["Space", "read_space"]


@dataclass(frozen=True, slots=True)
class Space:
    """What the pictures need from one run of a spatial result, as plain arrays."""

    title: str
    times: FloatArray
    unit: str
    humans: FloatArray  # (time, patch)
    zombies: FloatArray  # (time, patch)
    x: FloatArray
    y: FloatArray
    row: IntArray
    col: IntArray
    names: tuple[str, ...]
    kinds: tuple[str, ...]  # "room", "district", ... ("" where the result does not say)
    src: IntArray
    dst: IntArray
    grid: tuple[int, int]  # (rows, cols); (0, 0) for a graph world
    cell_m: float
    map_name: str
    map_cell: str

    @property
    def raster(self) -> bool:
        return self.grid[0] > 0 and self.grid[1] > 0 and bool(np.any(self.row >= 0))


def read_space(result: Result, run: int) -> Space:
    """Run ``run`` of ``result`` as a :class:`Space`; :class:`InputError` without patches."""
    ds = result.dataset
    if "fields" not in ds.data_vars or "patch" not in ds.dims:
        raise InputError(
            "this result has no patches: it was run without space, so there is no map",
            key="result",
            allowed="a result of a run in a world of patches (with counts per patch, 'fields')",
        )
    run = check_whole(run, key="run", high=result.runs - 1, problem="no such run")
    fields = ds["fields"].isel(run=run)  # only this run is read from a file
    n = int(ds.sizes["patch"])

    def total(members: tuple[str, ...]) -> FloatArray:
        chosen = [c for c in members if c in result.compartments]
        part = fields.sel(compartment=chosen).sum("compartment").transpose("time", "patch")
        return np.asarray(part.values, dtype=np.float64)

    def coord(name: str, fill: float, dtype: type) -> Any:
        return np.asarray(ds[name].values, dtype=dtype) if name in ds else np.full(n, fill, dtype)

    attrs = ds.attrs
    on_grid = attrs.get("world_kind") != "graph"
    return Space(
        title=result.scenario_name or str(attrs.get("world", "")) or "hyosan",
        times=result.times,
        unit=result.time_unit,
        humans=total(result.humans),
        zombies=total(result.zombies),
        x=coord("patch_x", 0.0, np.float64),
        y=_by_floor(coord("patch_y", 0.0, np.float64), coord("patch_floor", 0, np.int64)),
        row=coord("patch_row", -1, np.int64) if on_grid else _none(n),
        col=coord("patch_col", -1, np.int64) if on_grid else _none(n),
        names=tuple(str(p) for p in ds["patch"].values),
        kinds=tuple(str(k) for k in ds["patch_kind"].values) if "patch_kind" in ds else ("",) * n,
        src=coord("edge_src", 0, np.int64) if "edge_src" in ds else _none(0),
        dst=coord("edge_dst", 0, np.int64) if "edge_dst" in ds else _none(0),
        grid=(int(attrs.get("grid_rows", 0)), int(attrs.get("grid_cols", 0))),
        cell_m=float(attrs.get("cell_m", 0.0) or 0.0),
        map_name=str(attrs.get("map", "") or ""),
        map_cell=str(attrs.get("map_cell", "") or ""),
    )


def _by_floor(y: FloatArray, floor: IntArray) -> FloatArray:
    """Plan positions with the floors of a building drawn one above the other.

    Floors share plan coordinates; floor ``f >= 1`` is lifted by ``f - 1``
    times 1.5 times the depth of the building, floor 0 (outside) stays.
    """
    upstairs = floor >= 1
    if np.unique(floor[upstairs]).size < 2:
        return y
    depth = float(np.ptp(y[upstairs])) or 1.0
    return y + np.where(upstairs, (floor - 1) * 1.5 * depth, 0.0)


def _none(n: int) -> IntArray:
    """``n`` indices of -1: no grid row or column, or no doors."""
    return np.full(n, -1, dtype=np.int64)
