"""The :class:`World`: patches, their positions and kinds, and directed movement edges.

A world says where people can be and how they can move, not who is there or
how fast each state moves (the scenario says that). Edges are directed; a
door or a lattice border is two edges, one each way. An edge's ``weight`` is
its relative ease of passage: an individual of compartment ``c`` in patch
``i`` moves along edge ``i -> j`` at rate ``mobility[c] * weight``.
:meth:`World.join` glues two worlds with new doors (a school into its city).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from hyosan._typing import BoolArray, FloatArray, IntArray
from hyosan.errors import InputError
from hyosan.space.join import Door, edge_arrays, join_worlds, unknown_patch

__all__ = ["World", "world_from_map"]


def _f64(a: npt.ArrayLike) -> FloatArray:
    return np.ascontiguousarray(a, dtype=np.float64)


def _i64(a: npt.ArrayLike) -> IntArray:
    return np.ascontiguousarray(a, dtype=np.int64)


@dataclass(frozen=True, slots=True, eq=False)
class World:
    """Patches joined by directed movement edges.

    Parameters
    ----------
    name
        A short name (``"hyosan-school"``, ``"korea-10km"``).
    patches
        Patch names, unique.
    x, y
        Patch positions (metres for maps, plan units for buildings).
    population
        Humans in each patch at the start, unless a scenario says otherwise.
    src, dst, weight
        Directed edges ``src[e] -> dst[e]`` with their ease of passage.
    closable
        Whether each edge is a door that can be barricaded.
    kinds
        Each patch's kind (``"cell"``, ``"room"``, ``"corridor"``, ``"camp"``...).
    regions
        Named groups of patches (indices), for interventions.
    row, col, grid_shape
        Grid position of each patch in a raster world; ``-1`` and ``(0, 0)`` otherwise.
    floor
        Floor of each patch in a building (0 elsewhere).
    labels
        Readable names (``"Science lab"``); the patch name where none is given.
    map_name, map_cell, crs, cell_m, unit
        Where a raster world came from, its projection and cell size.
    """

    name: str
    patches: tuple[str, ...]
    x: FloatArray
    y: FloatArray
    population: FloatArray
    src: IntArray
    dst: IntArray
    weight: FloatArray
    closable: BoolArray
    kinds: tuple[str, ...]
    regions: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    row: IntArray | None = None
    col: IntArray | None = None
    grid_shape: tuple[int, int] = (0, 0)
    floor: IntArray | None = None
    labels: tuple[str, ...] = ()
    map_name: str = ""
    map_cell: str = ""
    crs: str = ""
    cell_m: float = 0.0
    unit: str = "m"

    def __post_init__(self) -> None:
        n = len(self.patches)
        for name in ("x", "y", "population", "weight"):
            object.__setattr__(self, name, _f64(getattr(self, name)))
        for name in ("src", "dst"):
            object.__setattr__(self, name, _i64(getattr(self, name)))
        object.__setattr__(self, "closable", np.asarray(self.closable, dtype=np.bool_))
        for name in ("row", "col", "floor"):
            value = getattr(self, name)
            object.__setattr__(self, name, _i64(value if value is not None else np.full(n, -1)))
        if not self.labels:
            object.__setattr__(self, "labels", self.patches)
        self._check()

    def _check(self) -> None:
        n = len(self.patches)
        if n == 0:
            raise InputError("a world needs at least one patch", key="patches", value=[])
        if len(set(self.patches)) != n:
            dup = next(p for p in self.patches if self.patches.count(p) > 1)
            raise InputError("patch names must be unique", key="patches", value=dup)
        for name in ("x", "y", "population", "row", "col", "floor"):
            if getattr(self, name).shape != (n,):
                raise InputError(f"{name} needs one value per patch", key=name)
        if len(self.kinds) != n or len(self.labels) != n:
            raise InputError("kinds and labels need one value per patch", key="kinds")
        m = self.src.shape[0]
        for name in ("dst", "weight", "closable"):
            if getattr(self, name).shape != (m,):
                raise InputError(f"{name} needs one value per edge", key=name)
        if m and (
            min(self.src.min(), self.dst.min()) < 0 or max(self.src.max(), self.dst.max()) >= n
        ):
            raise InputError("an edge joins a patch that does not exist", key="edges")
        if m and np.any(self.src == self.dst):
            raise InputError("an edge must join two different patches", key="edges")
        if not np.all(np.isfinite(self.weight)) or np.any(self.weight < 0):
            raise InputError("edge weights are finite and >= 0", key="edges.weight")
        pop = self.population
        if not np.all(np.isfinite(pop)) or np.any(pop < 0):
            raise InputError("patch populations are finite and >= 0", key="population")

    @property
    def n_patches(self) -> int:
        return len(self.patches)

    @property
    def n_edges(self) -> int:
        return int(self.src.shape[0])

    @property
    def is_raster(self) -> bool:
        return self.grid_shape != (0, 0)

    def index(self, patch: str, *, key: str = "patch") -> int:
        """Position of ``patch``; :class:`InputError` naming close names if unknown."""
        try:
            return self.patches.index(patch)
        except ValueError:
            what = f"patch in world {self.name!r}"
            raise unknown_patch(patch, self.patches, key=key, what=what) from None

    @classmethod
    def from_edges(
        cls,
        name: str,
        patches: Sequence[str],
        edges: Sequence[tuple[str, str, float]],
        *,
        population: Sequence[float] | None = None,
        x: Sequence[float] | None = None,
        y: Sequence[float] | None = None,
        kinds: Sequence[str] | None = None,
        two_way: bool = True,
        regions: Mapping[str, Sequence[str]] | None = None,
    ) -> World:
        """A world from patch names and ``(a, b, weight)`` edges, both ways unless ``two_way``.

        Examples
        --------
        >>> w = World.from_edges("hall", ["a", "b", "c"], [("a", "b", 1.0), ("b", "c", 0.5)])
        >>> w.n_patches, w.n_edges
        (3, 4)
        """
        names = tuple(patches)
        n = len(names)
        pos = {p: i for i, p in enumerate(names)}
        doors: list[Door] = []
        for k, (a, b, w) in enumerate(edges):
            i, j = _indices(pos, (a, b), key=f"edges[{k}]")
            doors.append((i, j, float(w), False, not two_way))
        src, dst, weight, closable = edge_arrays(doors)
        return cls(
            name=name,
            patches=names,
            x=_f64(np.arange(n) if x is None else x),
            y=_f64(np.zeros(n) if y is None else y),
            population=_f64(np.zeros(n) if population is None else population),
            src=src,
            dst=dst,
            weight=weight,
            closable=closable,
            kinds=tuple(kinds) if kinds is not None else ("room",) * n,
            regions={r: _indices(pos, ps, key=f"regions.{r}") for r, ps in (regions or {}).items()},
        )

    @classmethod
    def lattice(
        cls,
        population: npt.ArrayLike,
        *,
        name: str = "lattice",
        cell: float = 1.0,
        keep_empty: bool = True,
        x: npt.ArrayLike | None = None,
        y: npt.ArrayLike | None = None,
        **meta: object,
    ) -> World:
        """A 4-neighbour lattice over a 2-D population grid (row 0 at the top).

        Cells with no people are left out unless ``keep_empty``; every border
        between two kept cells is an edge each way, of weight 1. ``x`` and
        ``y`` are the cell centres' coordinates (columns, rows); by default
        ``col * cell`` and ``-row * cell``.

        Examples
        --------
        >>> w = World.lattice([[1, 2, 3], [4, 5, 6]])
        >>> w.n_patches, w.n_edges  # 7 borders, each both ways
        (6, 14)
        """
        pop = np.asarray(population, dtype=np.float64)
        if pop.ndim != 2 or pop.size == 0:
            raise InputError("a lattice needs a 2-D population grid", key="population")
        rows, cols = pop.shape
        xs = _f64(np.arange(cols) * cell if x is None else x)
        ys = _f64(-np.arange(rows) * cell if y is None else y)
        keep = np.ones(pop.shape, dtype=bool) if keep_empty else pop > 0
        rr, cc = np.nonzero(keep)
        ids = np.full(pop.shape, -1, dtype=np.int64)
        ids[rr, cc] = np.arange(rr.size)
        s, d = _borders(ids)
        return cls(
            name=name,
            patches=tuple(f"r{r}c{c}" for r, c in zip(rr.tolist(), cc.tolist(), strict=True)),
            x=xs[cc],
            y=ys[rr],
            population=pop[rr, cc],
            src=s,
            dst=d,
            weight=np.ones(s.size),
            closable=np.zeros(s.size, dtype=np.bool_),
            kinds=("cell",) * rr.size,
            row=rr,
            col=cc,
            grid_shape=(rows, cols),
            cell_m=float(cell),
            **meta,  # type: ignore[arg-type]
        )

    def with_patch(
        self, name: str, *, kind: str = "camp", x: float | None = None, y: float | None = None
    ) -> World:
        """This world and one more patch with no edges (a camp, reached only by interventions)."""
        if name in self.patches:
            raise InputError("a patch of this name exists already", key="patch", value=name)
        lone = World(
            name=name,
            patches=(name,),
            x=_f64([self.x.max() + 1.0 if x is None else x]),
            y=_f64([self.y.max() if y is None else y]),
            population=np.zeros(1),
            src=np.zeros(0, dtype=np.int64),
            dst=np.zeros(0, dtype=np.int64),
            weight=np.zeros(0),
            closable=np.zeros(0, dtype=np.bool_),
            kinds=(kind,),
            floor=np.zeros(1, dtype=np.int64),
        )
        return self.join(lone)

    def join(
        self,
        other: World,
        *,
        doors: Sequence[tuple[str, str, float, bool]] = (),
        prefix: str = "",
        name: str | None = None,
    ) -> World:
        """This world and ``other`` side by side, glued by new two-way ``doors``.

        The joined world holds this world's patches, then ``other``'s (with
        ``prefix`` put before their names), the edges and regions of both (the
        regions of ``other`` named with ``prefix`` too), and for each door
        ``(a, b, weight, closable)`` an edge each way between the patches named
        ``a`` and ``b`` of the joined world (a patch of ``other`` named with its
        prefix). Plan positions are kept as they
        are: move or scale ``other`` first (``dataclasses.replace``) if the two
        are drawn in different units. The result keeps this world's name (or
        ``name``), unit, grid and map; ``other``'s patches lie off the grid.

        Raises
        ------
        InputError
            If a patch or a region name is in both worlds, ``other`` is a raster
            world, or a door names an unknown patch, joins a patch to itself or
            has a weight that is not a finite number >= 0.

        Examples
        --------
        >>> school = World.from_edges("school", ["hall", "gate"], [("hall", "gate", 2.0)])
        >>> town = World.from_edges("town", ["centre", "suburb"], [("centre", "suburb", 1.0)])
        >>> city = town.join(school, doors=[("s-gate", "centre", 1.0, True)], prefix="s-")
        >>> city.patches, city.n_edges
        (('centre', 'suburb', 's-hall', 's-gate'), 6)
        """
        return join_worlds(self, other, doors=doors, prefix=prefix, name=name)


def _borders(ids: IntArray) -> tuple[IntArray, IntArray]:
    """``src, dst`` of every border between two kept cells of the grid ``ids`` (-1: left
    out), each way, sorted by ``src`` then ``dst``."""
    src: list[IntArray] = []
    dst: list[IntArray] = []
    for a, b in ((ids[:, :-1], ids[:, 1:]), (ids[:-1, :], ids[1:, :])):
        both = (a >= 0) & (b >= 0)
        src += [a[both], b[both]]
        dst += [b[both], a[both]]
    s, d = np.concatenate(src), np.concatenate(dst)
    order = np.lexsort((d, s))
    return s[order], d[order]


def _indices(pos: Mapping[str, int], names: Sequence[str], *, key: str) -> tuple[int, ...]:
    """The indices of patch ``names``, or :class:`InputError` naming ``key``."""
    for name in names:
        if name not in pos:
            raise unknown_patch(name, list(pos), key=key)
    return tuple(pos[name] for name in names)


def world_from_map(name: str, cell: str = "10km") -> World:
    """The shipped population raster ``name`` (``"korea"``, ``"usa"``) as a lattice world.

    Only populated cells become patches; people move between 4-neighbours.
    """
    from hyosan.space.maps import load_map

    raster = load_map(name, cell)
    return World.lattice(
        raster.population,
        name=f"{name}-{cell}",
        cell=raster.cell_m,
        keep_empty=False,
        x=raster.x,
        y=raster.y,
        map_name=name,
        map_cell=cell,
        crs=raster.crs,
    )
