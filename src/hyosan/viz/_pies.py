"""Graph worlds (rooms and doors) drawn as pies: area for the people, a slice for the zombies.

Used by :mod:`hyosan.viz.maps` for buildings, and for the patches of a map
that lie off its grid (camps). matplotlib is imported inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hyosan._typing import FloatArray, IntArray

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from hyosan.viz.maps import _Space

_BLUE, _VERMILLION = "#0072B2", "#D55E00"  # Okabe & Ito
_LABELLED_PATCHES = 40  # graph worlds with fewer patches get their names written
_SMALLEST = 0.15  # the smallest pie's radius, as a share of the largest: a lone zombie shows


def _draw_graph(ax: Axes, space: _Space) -> _Pies:
    from matplotlib.collections import LineCollection

    x, y = space.x, space.y
    pairs = {(min(a, b), max(a, b)) for a, b in zip(space.src, space.dst, strict=True) if a != b}
    segments = [((x[a], y[a]), (x[b], y[b])) for a, b in sorted(pairs)]
    ax.add_collection(LineCollection(segments, colors="0.72", linewidths=1.2, zorder=1))
    ax.scatter(x, y, s=14, facecolors="white", edgecolors="0.55", linewidths=0.8, zorder=2)
    r = 0.45 * _spacing(x, y)
    pies = _Pies(ax, space, np.arange(x.size), r, km=False)
    ax.set_aspect("equal")
    pad = 1.4 * r
    ax.set_xlim(float(x.min()) - pad, float(x.max()) + pad)
    ax.set_ylim(float(y.min()) - 1.9 * r, float(y.max()) + pad)
    ax.set_axis_off()
    return pies


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

    def __init__(self, ax: Axes, space: _Space, which: IntArray, radius: float, km: bool):
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
                for c in (_BLUE, _VERMILLION)
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
