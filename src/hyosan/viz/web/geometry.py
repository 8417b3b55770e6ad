"""Where each patch is drawn in the browser, and which patch a click or a box lands on.

A raster world (a census map, a lattice) is one image of its grid, north up,
in kilometres; each patch is one pixel of it (``flat``). Every other patch (a
room, a district, a camp beside a map) is a site: a square marker at its plan
position, floors of a building drawn one above the other as in the PNG maps
(:func:`hyosan.viz._space.read_space`). The same :class:`MapLayout` serves the
live page (made from the scenario's world) and the offline page (made from a
result folder's patches).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hyosan._typing import FloatArray, IntArray
from hyosan.errors import HyosanError
from hyosan.space import World
from hyosan.viz._grid import _grid_layout
from hyosan.viz._space import Space, _by_floor

__all__ = ["MapLayout", "space_of_world"]


@dataclass(frozen=True, slots=True, eq=False)
class MapLayout:
    """The drawing of a world: its grid image and its sites, in one coordinate frame."""

    n_patches: int
    rows: int
    cols: int
    on: IntArray  # patches on the grid
    flat: IntArray  # their index in the image, row 0 at the bottom (Bokeh's order)
    left: float
    bottom: float
    cell: float  # the grid's cell in the frame's units (0: no grid)
    sites: IntArray  # patches drawn as markers
    sx: FloatArray
    sy: FloatArray
    size: FloatArray  # marker size in screen pixels, by the people there at the start
    labels: tuple[str, ...]
    outlines: tuple[FloatArray, ...]  # polylines (n, 2) in the frame's units
    unit: str  # the frame's unit: "km" on a map, else the plan's

    @classmethod
    def of(cls, space: Space, population: FloatArray) -> MapLayout:
        """The layout of ``space``'s patches; markers sized by ``population`` per patch."""
        n = len(space.names)
        on = np.flatnonzero(space.row >= 0) if space.raster else np.empty(0, np.int64)
        rows, cols = space.grid if on.size else (0, 0)
        left = bottom = cell = 0.0
        flat = np.empty(0, dtype=np.int64)
        km = bool(on.size)
        if on.size:
            top_flat, (x0, x1, y0, _y1) = _grid_layout(space, on)
            r_top, c = np.divmod(top_flat, cols)
            flat = (rows - 1 - r_top) * cols + c
            left, bottom, cell = x0, y0, (x1 - x0) / cols
        sites = np.flatnonzero(np.isin(np.arange(n), on, invert=True))
        div = 1e3 if km else 1.0
        pop = np.asarray(population, dtype=np.float64)[sites]
        size = 10.0 + 22.0 * np.sqrt(pop / max(float(pop.max(initial=0.0)), 1.0))
        return cls(
            n_patches=n,
            rows=rows,
            cols=cols,
            on=on,
            flat=flat,
            left=left,
            bottom=bottom,
            cell=cell,
            sites=sites,
            sx=space.x[sites] / div,
            sy=space.y[sites] / div,
            size=size,
            labels=tuple(space.names),
            outlines=_outlines(space.map_name, space.map_cell) if km else (),
            unit="km" if km else "",
        )

    @property
    def raster(self) -> bool:
        return self.on.size > 0

    def bounds(self) -> tuple[float, float, float, float]:
        """``(x0, x1, y0, y1)`` that hold the grid and every site, with a margin."""
        xs, ys = [self.sx], [self.sy]
        if self.raster:
            xs.append(np.array([self.left, self.left + self.cols * self.cell]))
            ys.append(np.array([self.bottom, self.bottom + self.rows * self.cell]))
        x, y = np.concatenate(xs), np.concatenate(ys)
        pad_x = 0.06 * (float(np.ptp(x)) or 1.0)
        pad_y = 0.06 * (float(np.ptp(y)) or 1.0)
        return x.min() - pad_x, x.max() + pad_x, y.min() - pad_y, y.max() + pad_y

    def image(self, codes: np.ndarray) -> np.ndarray:
        """The grid image ``(rows, cols)`` of per-patch ``codes`` (0 where there is no patch)."""
        img = np.zeros(self.rows * self.cols, dtype=codes.dtype)
        img[self.flat] = codes[self.on]
        return img.reshape(self.rows, self.cols)

    def patch_at(self, x: float, y: float) -> int | None:
        """The patch drawn at ``(x, y)``: the grid cell there, else the nearest site close by."""
        if self.raster:
            c = int(np.floor((x - self.left) / self.cell))
            r = int(np.floor((y - self.bottom) / self.cell))
            if 0 <= r < self.rows and 0 <= c < self.cols:
                hit = np.flatnonzero(self.flat == r * self.cols + c)
                if hit.size:
                    return int(self.on[hit[0]])
        if not self.sites.size:
            return None
        d = np.hypot(self.sx - x, self.sy - y)
        k = int(np.argmin(d))
        x0, x1, y0, y1 = self.bounds()
        near = 0.05 * max(x1 - x0, y1 - y0)
        return int(self.sites[k]) if d[k] <= near else None

    def patches_in(self, x0: float, x1: float, y0: float, y1: float) -> IntArray:
        """The patches drawn inside the box (a grid cell by its centre), in patch order."""
        x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        out = []
        if self.raster:
            r, c = np.divmod(self.flat, self.cols)
            cx = self.left + (c + 0.5) * self.cell
            cy = self.bottom + (r + 0.5) * self.cell
            out.append(self.on[(cx >= x0) & (cx <= x1) & (cy >= y0) & (cy <= y1)])
        inside = (self.sx >= x0) & (self.sx <= x1) & (self.sy >= y0) & (self.sy <= y1)
        out.append(self.sites[inside])
        return np.sort(np.concatenate(out)).astype(np.int64)


def space_of_world(world: World, title: str = "") -> Space:
    """A world's places as the :class:`Space` the PNG maps read (with no counts in it)."""
    n = world.n_patches
    assert world.row is not None and world.col is not None and world.floor is not None
    none = np.zeros((1, n))
    return Space(
        title=title or world.name,
        times=np.zeros(1),
        unit="",
        humans=none,
        zombies=none,
        x=world.x,
        y=_by_floor(world.y, world.floor),
        row=world.row if world.is_raster else np.full(n, -1),
        col=world.col if world.is_raster else np.full(n, -1),
        names=tuple(world.labels),
        kinds=tuple(world.kinds),
        src=world.src,
        dst=world.dst,
        grid=world.grid_shape,
        cell_m=world.cell_m,
        map_name=world.map_name,
        map_cell=world.map_cell,
    )


def _outlines(map_name: str, map_cell: str) -> tuple[FloatArray, ...]:
    """The map's borders in km, when the result names a map that ships with hyosan."""
    if not map_name:
        return ()
    try:
        from hyosan.space.maps import load_map

        lines = load_map(map_name, map_cell).outlines
    except (ImportError, HyosanError, OSError):
        return ()
    return tuple(np.asarray(line, dtype=np.float64) / 1e3 for line in lines)
