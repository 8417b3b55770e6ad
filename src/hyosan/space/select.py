"""Which patches an intervention or a seed acts on: a :class:`Selection`.

In a scenario file a selection is written as a patch or region name
(``"science-lab"``, ``"floor-3"``; in a world made from a shipped map also a
place name such as ``"Seoul"``: the populated cell nearest to it), a list of
such names, or a table::

    { region = "classrooms" }
    { around = "Seoul", radius_km = 30 }       # raster worlds from a shipped map
    { around = [126.98, 37.57], radius_km = 5 }  # (lon, lat)

An empty selection (``{}``) is the whole world.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hyosan._checks import check_number, is_number
from hyosan._typing import IntArray
from hyosan.errors import InputError, unknown
from hyosan.space.world import World

__all__ = ["Selection"]

_FORMS = (
    'a patch or region name, a list of patch names, or a table such as { region = "floor-3" } '
    'or { around = "Seoul", radius_km = 30 }'
)


@dataclass(frozen=True, slots=True)
class Selection:
    """Patches by name, by region, or within ``radius_km`` of a place; empty: all patches."""

    patches: tuple[str, ...] = ()
    region: str = ""
    around: str | tuple[float, float] | None = None
    radius_km: float = 0.0

    @classmethod
    def parse(cls, value: Any, *, key: str) -> Selection:
        """Read the forms listed in the module docstring."""
        if isinstance(value, str):
            return cls(patches=(value,))
        if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
            return cls(patches=tuple(value))
        if isinstance(value, Mapping) and set(value) <= {
            "patches",
            "region",
            "around",
            "radius_km",
        }:
            around = value.get("around")
            if isinstance(around, Sequence) and not isinstance(around, str):
                if len(around) != 2 or not all(is_number(v) for v in around):
                    raise InputError(
                        "a coordinate is [longitude, latitude]",
                        key=f"{key}.around",
                        value=around,
                        allowed="[lon, lat] in degrees, or a place name",
                    )
                around = (float(around[0]), float(around[1]))
            radius = check_number(
                value.get("radius_km", 0.0),
                key=f"{key}.radius_km",
                problem="a radius is a number of km >= 0",
            )
            patches = value.get("patches", ())
            if isinstance(patches, str):
                patches = (patches,)
            return cls(
                patches=tuple(patches),
                region=str(value.get("region", "")),
                around=around,
                radius_km=radius,
            )
        raise InputError(
            "cannot read this selection of patches", key=key, value=value, allowed=_FORMS
        )

    def to_toml(self) -> str | list[str] | dict[str, Any]:
        """The shortest form :meth:`parse` reads back."""
        if not self.region and self.around is None:
            return self.patches[0] if len(self.patches) == 1 else list(self.patches)
        out: dict[str, Any] = {}
        if self.patches:
            out["patches"] = list(self.patches)
        if self.region:
            out["region"] = self.region
        if self.around is not None:
            out["around"] = self.around if isinstance(self.around, str) else list(self.around)
            out["radius_km"] = self.radius_km
        return out

    def resolve(self, world: World, *, key: str = "patches") -> IntArray:
        """Indices of the selected patches of ``world``, sorted and unique."""
        if not self.patches and not self.region and self.around is None:
            return np.arange(world.n_patches, dtype=np.int64)
        chosen: set[int] = set()
        for name in self.patches:
            if name in world.regions:
                chosen.update(world.regions[name])
            elif name not in world.patches and world.map_name:  # a place on the map
                chosen.update(_around(world, name, 0.0, key=key))
            else:
                chosen.add(world.index(name, key=key))
        if self.region:
            if self.region not in world.regions:
                what = f"region in world {world.name!r}"
                raise unknown(what, self.region, world.regions, key=f"{key}.region")
            chosen.update(world.regions[self.region])
        if self.around is not None:
            chosen.update(_around(world, self.around, self.radius_km, key=f"{key}.around"))
        return np.array(sorted(chosen), dtype=np.int64)


def _around(
    world: World, where: str | tuple[float, float], radius_km: float, *, key: str
) -> list[int]:
    """Patches within ``radius_km`` of a place (the place's own cell at least)."""
    if isinstance(where, str) and where in world.patches:
        i = world.index(where)
        cx, cy = world.x[i], world.y[i]
    elif world.map_name:
        from hyosan.space.maps import load_map

        raster = load_map(world.map_name, world.map_cell)
        try:
            r, c = raster.locate(where)
        except InputError as err:
            raise InputError(err.problem, key=key, value=err.value, allowed=err.allowed) from None
        cx, cy = float(raster.x[c]), float(raster.y[r])
    else:
        raise InputError(
            "places can be named only in worlds made from a shipped map",
            key=key,
            value=where,
            allowed="a patch name of this world",
        )
    d = np.hypot(world.x - cx, world.y - cy)
    scale = 1000.0 if world.unit == "m" else 1.0
    near = np.flatnonzero(d <= radius_km * scale).tolist()
    return near or [int(np.argmin(d))]
