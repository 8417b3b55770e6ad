"""The map's colours as one byte per place: what a frame of the map sends to the browser.

Each patch (a room, a district, a census cell) gets a code from 0 to 255 and
the page colours it from :data:`PALETTE` (Bokeh's ``LinearColorMapper`` over
0..255): one byte a cell, so a frame of the US map at 10 km is 135 kB, and
the offline page holds all of a run's frames. The colours are those of the
PNG maps (:mod:`hyosan.viz._grid`): humans light to dark blue, zombies
orange to dark vermillion, both on a log scale of the most people one place
holds at the start; a place with hybrids and no zombies is reddish purple.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hyosan._typing import FloatArray
from hyosan.viz._colours import BLUE, PURPLE, SKY, VERMILLION

__all__ = ["LEGEND", "PALETTE", "Roles", "encode"]

NOTHING, NO_ONE, DEAD, HYBRID = 0, 1, 2, 3
"""Codes: no place here (clear), no one left, only the dead, hybrids (no zombies)."""
HUMANS, ZOMBIES, LEVELS = 4, 130, 126
"""Humans take codes 4..129, zombies 130..255, on a log scale of the count."""

_HUMAN_RAMP = ("#E4EFF8", SKY, BLUE, "#0A2F4F")
_ZOMBIE_RAMP = ("#F9C6A6", "#EC8A4F", VERMILLION, "#8C2A00", "#4A1400")


def _ramp(stops: tuple[str, ...], n: int) -> list[str]:
    """``n`` colours evenly along the ramp through ``stops``."""
    rgb = np.array([[int(s[i : i + 2], 16) for i in (1, 3, 5)] for s in stops], dtype=float)
    at = np.linspace(0.0, len(stops) - 1.0, n)
    lo = np.minimum(at.astype(int), len(stops) - 2)
    f = (at - lo)[:, None]
    out = rgb[lo] * (1 - f) + rgb[lo + 1] * f
    return ["#{:02x}{:02x}{:02x}".format(*(round(v) for v in c)) for c in out]


PALETTE: tuple[str, ...] = (
    "#00000000",
    "#E6E6E6",
    "#7A7A7A",
    PURPLE,
    *_ramp(_HUMAN_RAMP, LEVELS),
    *_ramp(_ZOMBIE_RAMP, LEVELS),
)
"""The 256 colours of the codes (code 0 is clear)."""

LEGEND: tuple[tuple[str, str], ...] = (
    ("humans", BLUE),
    ("zombies", VERMILLION),
    ("hybrids", PURPLE),
    ("only the dead", "#7A7A7A"),
    ("no one left", "#E6E6E6"),
)
"""What the colours mean, for the map's legend."""


@dataclass(frozen=True, slots=True)
class Roles:
    """Which columns of a state (compartments) are humans, zombies, hybrids and the dead."""

    humans: tuple[int, ...]
    zombies: tuple[int, ...]
    hybrids: tuple[int, ...]
    dead: tuple[int, ...]

    @classmethod
    def of(
        cls,
        compartments: tuple[str, ...],
        humans: tuple[str, ...],
        zombies: tuple[str, ...],
        survivors: tuple[str, ...] = (),
    ) -> Roles:
        """Hybrids are the survivors that are not humans (``aouad``'s ``H``, ``aouad-camp``'s
        ``H``, ``Hc`` and ``Hf``); the dead ``D`` and the killed hybrids ``Dh``."""
        hybrids = tuple(c for c in survivors if c not in humans and c not in zombies)

        def idx(names: tuple[str, ...]) -> tuple[int, ...]:
            return tuple(compartments.index(c) for c in names if c in compartments)

        return cls(idx(humans), idx(zombies), idx(hybrids), idx(("D", "Dh")))


def encode(X: FloatArray, roles: Roles, scale: float) -> np.ndarray:
    """The code of each patch for counts ``X`` (patches by compartments), as uint8.

    ``scale`` is the count that takes the darkest colour (the most people in
    one place at the start); counts above it take the darkest too.
    """
    X = np.asarray(X, dtype=np.float64)

    def total(cols: tuple[int, ...]) -> FloatArray:
        return X[:, list(cols)].sum(axis=1) if cols else np.zeros(len(X))

    h, z, hy, d = (total(c) for c in (roles.humans, roles.zombies, roles.hybrids, roles.dead))
    top = np.log10(max(scale, 10.0))
    code = np.full(len(X), NO_ONE, dtype=np.uint8)
    code[d >= 0.5] = DEAD
    lh = np.clip(np.log10(np.maximum(h, 1.0)) / top, 0.0, 1.0)
    is_h = h >= 0.5
    code[is_h] = HUMANS + np.rint(lh[is_h] * (LEVELS - 1)).astype(np.uint8)
    code[hy >= 0.5] = HYBRID
    lz = np.clip(np.log10(np.maximum(z, 1.0)) / top, 0.0, 1.0)
    is_z = z >= 0.5
    code[is_z] = ZOMBIES + np.rint(lz[is_z] * (LEVELS - 1)).astype(np.uint8)
    return code
