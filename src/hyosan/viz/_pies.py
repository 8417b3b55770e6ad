"""Graph worlds (rooms and doors) drawn as pies: area for the people, a slice for the zombies.

Used by :mod:`hyosan.viz.maps` for buildings, and for the patches of a map
that lie off its grid (camps). matplotlib is imported inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hyosan._typing import BoolArray, FloatArray, IntArray
from hyosan.viz._colours import BLUE, VERMILLION
from hyosan.viz._space import Space

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_LABELLED_PATCHES = 40  # graph worlds with fewer patches get their names written
_SMALLEST = 0.15  # the smallest pie's radius, as a share of the largest: a lone zombie shows
_MAP_KINDS = frozenset({"district", "cell"})  # places on a map, never in a building


def _draw_graph(ax: Axes, space: Space) -> _Graph:
    """Doors as grey lines, a pie per patch; a building inside a map gets a scale of its own.

    A world of districts that holds a building room by room (the city of Hyosan
    and its school) has pies on two scales: the places on the map on one, the
    places in buildings on another (see :func:`_in_buildings`), each sized to
    the spacing of its own patches, and each building drawn on a light block.
    One scale for both would leave a classroom of 30 a dot beside a district of
    40,000.
    """
    from matplotlib.collections import LineCollection

    x, y = space.x, space.y
    pairs = {(min(a, b), max(a, b)) for a, b in zip(space.src, space.dst, strict=True) if a != b}
    segments = [((x[a], y[a]), (x[b], y[b])) for a, b in sorted(pairs)]
    ax.add_collection(LineCollection(segments, colors="0.72", linewidths=1.2, zorder=1))
    ax.scatter(x, y, s=14, facecolors="white", edgecolors="0.55", linewidths=0.8, zorder=2)
    inside = _in_buildings(space)
    groups = [g for g in (np.flatnonzero(~inside), np.flatnonzero(inside)) if g.size]
    pies = [_Pies(ax, space, g, 0.45 * _spacing(x[g], y[g]), km=False) for g in groups]
    if len(pies) == 2:
        for building in _components(space, inside):
            _block(ax, x[building], y[building], pies[1].radius)
    r = max(p.radius for p in pies)
    ax.set_aspect("equal")
    ax.set_xlim(float(x.min()) - 1.4 * r, float(x.max()) + 1.4 * r)
    ax.set_ylim(float(y.min()) - 1.9 * r, float(y.max()) + 1.4 * r)
    ax.set_axis_off()
    return _Graph(pies)


def _in_buildings(space: Space) -> BoolArray:
    """Patches in a building: of a kind other than district or cell, with a door to another.

    A lone gate or camp among districts (an army checkpoint, a quarantine camp)
    is a place on the map. Where every patch is in a building, or none is, all
    are drawn on one scale (the result is all False).
    """
    n = space.x.size
    kinds = space.kinds if len(space.kinds) == n else ("",) * n
    own = np.array([k not in _MAP_KINDS for k in kinds], dtype=bool)
    linked = np.zeros(n, dtype=bool)
    both = own[space.src] & own[space.dst] & (space.src != space.dst)
    linked[space.src[both]] = True
    linked[space.dst[both]] = True
    inside = own & linked
    return inside if 0 < inside.sum() < n else np.zeros(n, dtype=bool)


def _components(space: Space, inside: BoolArray) -> list[IntArray]:
    """The buildings: groups of ``inside`` patches joined by doors between them."""
    label = np.where(inside, np.arange(inside.size), -1)
    both = inside[space.src] & inside[space.dst]
    a, b = space.src[both], space.dst[both]
    changed = True
    while changed:  # each patch takes the smallest label of its neighbours
        low = np.minimum(label[a], label[b])
        changed = bool(np.any(low < label[a]) or np.any(low < label[b]))
        np.minimum.at(label, a, low)
        np.minimum.at(label, b, low)
    return [np.flatnonzero(label == v) for v in np.unique(label[inside])]


class _Graph:
    """The pies of a graph world: one group, or the map's and the building's."""

    def __init__(self, pies: list[_Pies]):
        self.pies = pies

    @property
    def scale_note(self) -> str:
        """What the largest pie of each scale holds, for the legend."""
        if len(self.pies) == 1:
            return f"largest: {self.pies[0].most:,.0f}"
        outside, inside = self.pies
        return (
            f"largest: {outside.most:,.0f};\non the grey block,\nits own scale: {inside.most:,.0f}"
        )

    def show(self, k: int) -> None:
        for p in self.pies:
            p.show(k)


def _block(ax: Axes, x: FloatArray, y: FloatArray, r: float) -> None:
    """A light rounded block under a building's patches, so that it reads as one place."""
    from matplotlib.patches import FancyBboxPatch

    pad = 1.3 * r
    block = FancyBboxPatch(
        (float(x.min()), float(y.min())),
        float(np.ptp(x)),
        float(np.ptp(y)),
        boxstyle=f"round,pad={pad}",
        fc="0.94",
        ec="0.7",
        lw=0.8,
        zorder=0,
    )
    ax.add_patch(block)


def _name(ax: Axes, x: float, y: float, name: str) -> None:
    """A patch's name below it, on a white ground so that edges do not cross it."""
    ground = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8}
    ax.text(x, y, name, ha="center", va="top", fontsize=7.5, color="0.2", bbox=ground, zorder=5)


def _spacing(x: FloatArray, y: FloatArray) -> float:
    """The median distance from a patch to its nearest neighbour (1 if none)."""
    if x.size < 2:
        return 1.0
    d = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    d[d == 0] = np.inf
    nearest = d.min(axis=1)
    nearest = nearest[np.isfinite(nearest)]
    return float(np.median(nearest)) if nearest.size else 1.0


class _Pies:
    """A pie per patch: area for the people there, a vermillion slice for the zombies."""

    def __init__(self, ax: Axes, space: Space, which: IntArray, radius: float, km: bool):
        from matplotlib.patches import Wedge

        self.humans = space.humans[:, which]
        self.zombies = space.zombies[:, which]
        people = self.humans + self.zombies
        self.most = max(1.0, float(people.max(initial=0.0)))
        self.radius = radius
        # the largest each pie gets over the run: its name goes below that
        self.reach = radius * np.maximum(np.sqrt(people.max(axis=0) / self.most), _SMALLEST)
        scale = 1e3 if km else 1.0
        self.slices: list[tuple[Wedge, Wedge]] = []
        for i in which:
            centre = (space.x[i] / scale, space.y[i] / scale)
            human, zombie = (
                Wedge(centre, radius, 90, 450, fc=c, ec="white", lw=0.6, zorder=4)
                for c in (BLUE, VERMILLION)
            )
            ax.add_patch(human)
            ax.add_patch(zombie)
            self.slices.append((human, zombie))
        if km or which.size < _LABELLED_PATCHES:
            for j, i in enumerate(which):
                below = self.reach[j] + 0.08 * radius
                _name(ax, space.x[i] / scale, space.y[i] / scale - below, space.names[i])

    def show(self, k: int) -> None:
        for (human, zombie), h, z in zip(self.slices, self.humans[k], self.zombies[k], strict=True):
            people = max(h, 0.0) + max(z, 0.0)
            if people < 0.5:
                human.set_visible(False)
                zombie.set_visible(False)
                continue
            r = self.radius * max(np.sqrt(people / self.most), _SMALLEST)
            share = min(max(z, 0.0) / people, 1.0)
            human.set(radius=r, theta1=90.0, theta2=90.0 + 360.0 * (1 - share), visible=share < 1)
            zombie.set(radius=r, theta1=90.0 - 360.0 * share, theta2=90.0, visible=share > 0)
