"""Shipped population rasters of South Korea and the continental US, and places on them.

Each map is a north-up square grid of whole people in a metre projection (South Korea:
EPSG:5179, the 2020 census by eup/myeon/dong; continental US: EPSG:5070 Albers equal
area, the 2010 census by county), at two cell sizes: ``"10km"`` and ``"3km"``. The grids
were built once by ``tools/build_maps.py`` (areal weighting of census polygons, then
largest-remainder rounding so that each raster's total is the census total exactly); the
data files, their sources and licences are in ``hyosan/space/data`` (``ATTRIBUTION.md``).

This module needs only numpy: cell centres carry their longitude and latitude, so a place
name or a ``(lon, lat)`` pair is found on the grid without a projection library.

Files, per map: ``{name}-{cell}.npz`` holds ``population`` (int32, row 0 north), ``x``
and ``y`` (cell centres, metres), ``lon_microdeg_d2`` and ``lat_microdeg_d2`` (cell-centre
coordinates in whole microdegrees, differenced twice along each row: they compress ten
times better than float32 degrees), ``cell_m``, ``crs`` and ``census_total``;
``{name}-geo.json`` holds the gazetteer (``places``: name -> ``[lon, lat]``) and the
borders (``outlines``: flat ``[x0, y0, x1, y1, ...]`` lists in whole metres).
"""

from __future__ import annotations

import difflib
import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from hyosan._typing import FloatArray, IntArray
from hyosan.errors import InputError, unknown

__all__ = ["CELLS", "MAPS", "MapRaster", "largest_remainder", "load_map"]

MAPS = ("korea", "usa")
"""Names of the shipped maps."""
CELLS = ("10km", "3km")
"""Cell sizes each map is shipped at."""

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), for great-circle distances."""
MAX_SNAP_M = 50_000.0
"""A coordinate farther than this from every populated cell is not on the map."""


@dataclass(frozen=True, slots=True, eq=False)
class MapRaster:
    """A population raster with the geography needed to draw it and find places on it.

    Attributes
    ----------
    name
        ``"korea"`` or ``"usa"``.
    cell
        ``"10km"`` or ``"3km"``.
    population
        People per cell, ``(rows, cols)``, int64; row 0 is the northernmost row.
    x
        Cell-centre eastings in metres, ``(cols,)``, increasing.
    y
        Cell-centre northings in metres, ``(rows,)``, decreasing.
    lon, lat
        Longitude and latitude of each cell centre in degrees, ``(rows, cols)``.
    cell_m
        Cell side in metres.
    crs
        The projection of ``x`` and ``y`` (``"EPSG:5179"`` or ``"EPSG:5070"``).
    outlines
        Borders (country, si/do or state) as polylines ``(n, 2)`` in metres, for drawing.
    places
        Place name -> ``(lon, lat)``; :meth:`locate` matches names case-insensitively.
    census_total
        The census total the raster was built from; ``population.sum()`` equals it.
    """

    name: str
    cell: str
    population: IntArray
    x: FloatArray
    y: FloatArray
    lon: FloatArray
    lat: FloatArray
    cell_m: float
    crs: str
    outlines: tuple[FloatArray, ...]
    places: Mapping[str, tuple[float, float]]
    census_total: int

    def locate(self, where: str | tuple[float, float]) -> tuple[int, int]:
        """The ``(row, col)`` of the populated cell nearest to a place.

        Parameters
        ----------
        where
            A name from :attr:`places` (any case) or a ``(lon, lat)`` pair in degrees.

        Returns
        -------
        tuple of int
            Row and column of the cell with people whose centre is nearest (great-circle
            distance) to the place.

        Raises
        ------
        InputError
            For an unknown name (the error lists close names), a malformed coordinate, or
            a coordinate farther than 50 km from every populated cell.

        Examples
        --------
        >>> korea = load_map("korea")
        >>> row, col = korea.locate("Seoul")
        >>> korea.locate((float(korea.lon[row, col]), float(korea.lat[row, col]))) == (row, col)
        True
        """
        lon, lat = self._coordinate(where)
        # Only cells within MAX_SNAP_M in latitude alone can be near enough.
        band = np.abs(self.lat - lat) <= math.degrees(MAX_SNAP_M / EARTH_RADIUS_M)
        rows, cols = np.nonzero(band & (self.population > 0))
        distance = _great_circle_m(lon, lat, self.lon[rows, cols], self.lat[rows, cols])
        best = int(np.argmin(distance)) if distance.size else -1
        if best < 0 or distance[best] > MAX_SNAP_M:
            raise InputError(
                f"no populated cell of map {self.name!r} within"
                f" {MAX_SNAP_M / 1000:.0f} km of this point",
                key="place",
                value=where,
                allowed=f"a (lon, lat) pair on the map ({self._extent()}) or a place name",
            )
        return int(rows[best]), int(cols[best])

    def _coordinate(self, where: Any) -> tuple[float, float]:
        """``(lon, lat)`` of a place name or a checked ``(lon, lat)`` pair."""
        if isinstance(where, str):
            found = self.places.get(where)
            if found is None:
                folded = {name.casefold(): name for name in self.places}
                key = folded.get(where.casefold())
                if key is None:
                    raise InputError(
                        f"no place of this name on map {self.name!r}",
                        key="place",
                        value=where,
                        allowed="; ".join(_close_names(where, folded))
                        or f"a (lon, lat) pair or a place name such as {self._examples()}",
                    )
                found = self.places[key]
            return found
        try:
            lon, lat = (float(v) for v in where)
        except (TypeError, ValueError):
            raise InputError(
                "a place is a name or a (lon, lat) pair",
                key="place",
                value=where,
                allowed=f"a place name such as {self._examples()}, or (lon, lat) in degrees",
            ) from None
        if not (math.isfinite(lon) and math.isfinite(lat) and abs(lat) <= 90 and abs(lon) <= 180):
            raise InputError(
                "a coordinate is (lon, lat) in degrees",
                key="place",
                value=where,
                allowed="longitude -180 to 180, latitude -90 to 90",
            )
        return lon, lat

    def _examples(self) -> str:
        return ", ".join(list(self.places)[:3])

    def _extent(self) -> str:
        on = self.population > 0
        lon, lat = self.lon[on], self.lat[on]
        return f"lon {lon.min():.1f} to {lon.max():.1f}, lat {lat.min():.1f} to {lat.max():.1f}"


def load_map(name: str, cell: str = "10km") -> MapRaster:
    """The shipped population raster ``name`` at cell size ``cell`` (read once, then cached).

    Parameters
    ----------
    name
        ``"korea"`` (South Korea, 2020 census) or ``"usa"`` (48 states and DC, 2010
        census).
    cell
        ``"10km"`` (default) or ``"3km"``.

    Returns
    -------
    MapRaster
        Read-only arrays; the same object for the same arguments.

    Raises
    ------
    InputError
        For a name or cell size that is not shipped.

    Examples
    --------
    >>> korea = load_map("korea")
    >>> int(korea.population.sum()) == korea.census_total
    True
    >>> korea.crs, korea.cell_m
    ('EPSG:5179', 10000.0)
    """
    if name not in MAPS:
        raise unknown("shipped map", name, MAPS, key="map")
    if cell not in CELLS:
        raise unknown("shipped cell size", cell, CELLS, key="cell")
    return _read(name, cell)


@functools.cache
def _read(name: str, cell: str) -> MapRaster:
    """Read ``{name}-{cell}.npz`` and ``{name}-geo.json`` from the package data."""
    folder = resources.files("hyosan.space") / "data"
    with (folder / f"{name}-{cell}.npz").open("rb") as fh, np.load(fh) as npz:
        arrays = {key: npz[key] for key in npz.files}
    geo = json.loads((folder / f"{name}-geo.json").read_text(encoding="utf-8"))
    outlines = tuple(
        _frozen(np.asarray(line, dtype=np.float64).reshape(-1, 2)) for line in geo["outlines"]
    )
    places = {str(k): (float(v[0]), float(v[1])) for k, v in geo["places"].items()}
    return MapRaster(
        name=name,
        cell=cell,
        population=_frozen(arrays["population"].astype(np.int64)),
        x=_frozen(arrays["x"].astype(np.float64)),
        y=_frozen(arrays["y"].astype(np.float64)),
        lon=_frozen(_degrees(arrays["lon_microdeg_d2"])),
        lat=_frozen(_degrees(arrays["lat_microdeg_d2"])),
        cell_m=float(arrays["cell_m"]),
        crs=str(arrays["crs"]),
        outlines=outlines,
        places=MappingProxyType(places),
        census_total=int(arrays["census_total"]),
    )


def largest_remainder(weights: npt.ArrayLike, total: int) -> IntArray:
    """Whole numbers proportional to ``weights`` that add up to ``total`` exactly.

    Each weight is scaled by ``total / sum(weights)`` and rounded down; the people left
    over go one each to the entries with the largest fractional parts (the
    largest-remainder, or Hamilton, method; ties go to the earlier entry). No entry moves
    by a whole person or more from its exact share.

    Parameters
    ----------
    weights
        Non-negative finite numbers, any shape, not all zero unless ``total`` is 0.
    total
        The non-negative integer the result adds up to.

    Returns
    -------
    IntArray
        int64, the shape of ``weights``.

    Raises
    ------
    ValueError
        For a negative or non-finite weight, a negative total, or all-zero weights with a
        positive total.

    References
    ----------
    Balinski, M. L. and Young, H. P. (2001). *Fair Representation*, 2nd ed. Brookings.

    Examples
    --------
    >>> largest_remainder([0.4, 1.3, 2.3], 4).tolist()
    [1, 1, 2]
    """
    w = np.asarray(weights, dtype=np.float64)
    if total < 0 or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and non-negative, and total non-negative")
    mass = float(w.sum())
    if total == 0:
        return np.zeros(w.shape, dtype=np.int64)
    if mass <= 0:
        raise ValueError("all weights are zero: nothing to share a positive total by")
    share = w.ravel() * (total / mass)
    whole = np.floor(share)
    out = whole.astype(np.int64)
    left = min(max(total - int(out.sum()), 0), out.size)
    order = np.argsort(-(share - whole), kind="stable")
    out[order[:left]] += 1
    return out.reshape(w.shape)


def _close_names(name: str, folded: Mapping[str, str], n: int = 8) -> list[str]:
    """Names like ``name``: qualified forms first (``"Jung-gu, Seoul"``), then near spellings."""
    query = name.casefold().strip()
    qualified = sorted(k for k in folded if k.startswith(query + ","))
    near = difflib.get_close_matches(query, list(folded), n=n)
    chosen = list(dict.fromkeys([*qualified, *near]))[:n]
    return [folded[k] for k in chosen]


def _great_circle_m(
    lon: float, lat: float, lons: FloatArray, lats: FloatArray
) -> npt.NDArray[np.float64]:
    """Haversine distance in metres from one point to many (degrees in)."""
    p1, p2 = math.radians(lat), np.radians(lats)
    dlat = p2 - p1
    dlon = np.radians(lons - lon)
    h = np.sin(dlat / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _degrees(d2: npt.NDArray[np.int32]) -> FloatArray:
    """Degrees from microdegrees stored as second differences along each row.

    The build script stores cell-centre coordinates this way because it compresses about
    tenfold better than float32 degrees; two cumulative sums restore them exactly.
    """
    degrees: FloatArray = np.cumsum(np.cumsum(d2.astype(np.int64), axis=1), axis=1).astype(
        np.float64
    )
    degrees *= 1e-6
    return degrees


def _frozen(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    a.flags.writeable = False
    return a
