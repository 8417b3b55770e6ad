"""Space: where people are. Patches, movement edges, lattices, buildings, camps.

A :class:`World` is pure data (patch names, positions, kinds, directed
movement edges with weights, named regions, and the default population of
each patch). It comes from a population raster (:meth:`World.lattice`,
:func:`world_from_map`), a world file of rooms and doors
(:func:`load_world_file`), or Python. :func:`compile_space` joins a world, a
model and movement rates into the arrays the spatial kernels run on.
"""

from __future__ import annotations

from hyosan.space.compiled import CompiledSpace, compile_space
from hyosan.space.graph import builtin_world, load_world_file
from hyosan.space.select import Selection
from hyosan.space.setup import Placement, WorldSetup, spread_by_weight
from hyosan.space.world import World, world_from_map

__all__ = [
    "CompiledSpace",
    "Placement",
    "Selection",
    "World",
    "WorldSetup",
    "builtin_world",
    "compile_space",
    "load_world_file",
    "spread_by_weight",
    "world_from_map",
]
