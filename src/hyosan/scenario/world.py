"""The ``[world]`` table of a scenario: read and write.

See :mod:`hyosan.space.setup` for the table's keys. A world read from a file
(``file = "plan.toml"``) is kept, and written back, inline: ``[world.plan]``
holds the world file's tables (``patches``, ``doors``, ``regions``), so a
resolved scenario stands alone, whatever becomes of the file. Built-in
worlds, maps and lattices ship inside hyosan and are written by name.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

from hyosan.errors import InputError
from hyosan.scenario.schema import WorldSpec
from hyosan.scenario.sizes import check_lattice
from hyosan.space import Placement, Selection, World, WorldSetup, builtin_world, load_world_file
from hyosan.space.graph import world_from_toml
from hyosan.space.world import world_from_map

__all__ = ["setup_from_spec", "setup_to_dict", "world_to_plan"]

_ACTIONS = ("cordon", "lockdown", "barricade", "reopen", "strike")
_SOURCES = ("builtin", "map", "file", "plan", "lattice")


def _world(spec: WorldSpec, base_dir: Path | None, sizes: tuple[int, int]) -> World:
    """The world of the one source ``spec`` names (``sizes``: output times, compartments)."""
    given = [k for k in _SOURCES if getattr(spec, k) is not None]
    if len(given) != 1:
        raise InputError(
            "the world needs exactly one source",
            key="world",
            value=given or None,
            allowed='builtin = "hyosan-school", map = "korea", file = "plan.toml", '
            "plan = { patches = [...], doors = [...] }, or lattice = { rows = 50, cols = 50 }",
        )
    kind = given[0]
    if kind == "builtin":
        assert spec.builtin is not None
        try:
            return builtin_world(spec.builtin)
        except InputError as err:
            raise InputError(
                err.problem, key="world.builtin", value=spec.builtin, allowed=err.allowed
            ) from None
    if kind == "map":
        assert spec.map is not None
        try:
            return world_from_map(spec.map, spec.cell)
        except InputError as err:
            raise err.at(key_prefix="world") from None
    if kind == "file":
        assert spec.file is not None
        path = Path(spec.file)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not os.path.exists(path):  # anything else there is read only if a regular file
            raise InputError(
                "no world file at this path",
                key="world.file",
                value=spec.file,
                allowed="a world file (.toml), relative to the scenario file",
            )
        return load_world_file(path)
    if kind == "plan":
        assert spec.plan is not None
        try:
            return world_from_toml(spec.plan, source="")
        except InputError as err:
            raise err.at(key_prefix="world.plan") from None
    lat = spec.lattice
    assert lat is not None
    if lat.rows < 1 or lat.cols < 1 or lat.people < 0 or lat.cell <= 0:
        raise InputError(
            "a lattice has at least one row and column, people >= 0 and cell > 0",
            key="world.lattice",
            value=lat.model_dump(),
            allowed="rows >= 1, cols >= 1, people >= 0, cell > 0",
        )
    check_lattice(lat.rows, lat.cols, points=sizes[0], compartments=sizes[1])
    pop = [[lat.people] * lat.cols for _ in range(lat.rows)]
    return World.lattice(pop, name=f"lattice-{lat.rows}x{lat.cols}", cell=lat.cell, unit="")


def _ref(spec: WorldSpec, world: World) -> dict[str, Any]:
    """Where the world came from, as the ``[world]`` keys that make it again."""
    if spec.builtin is not None:
        return {"builtin": spec.builtin}
    if spec.map is not None:
        return {"map": spec.map, "cell": spec.cell}
    if spec.lattice is not None:
        return {"lattice": spec.lattice.model_dump()}
    return {"plan": world_to_plan(world)}  # a file's world, or a plan: inline


def setup_from_spec(
    spec: WorldSpec,
    *,
    base_dir: str | os.PathLike[str] | None = None,
    points: int = 2,
    compartments: int = 1,
) -> WorldSetup:
    """Build the :class:`~hyosan.space.WorldSetup` a ``[world]`` table describes.

    A lattice is refused before it is built if one run of ``points`` output
    times and ``compartments`` cannot fit on it (:func:`~.sizes.check_lattice`).
    """
    folder = Path(base_dir) if base_dir is not None else None
    world = _world(spec, folder, (points, compartments))
    ref = _ref(spec, world)
    for name in spec.camps:
        world = world.with_patch(name, kind="camp")
    seeds = tuple(
        Placement(
            s.compartment, s.count, Selection.parse(s.where or {}, key=f"world.seed[{i}].where")
        )
        for i, s in enumerate(spec.seed)
    )
    return WorldSetup(
        world=world,
        ref=ref,
        movement=dict(spec.movement),
        coupling=spec.coupling,
        fill=spec.fill,
        scale=spec.scale,
        seeds=seeds,
        camps=tuple(spec.camps),
    )


def setup_to_dict(setup: WorldSetup) -> dict[str, Any]:
    """The ``[world]`` table that :func:`setup_from_spec` reads back."""
    out: dict[str, Any] = copy.deepcopy(dict(setup.ref))  # edits must not reach the scenario
    if setup.movement:
        out["movement"] = {c: float(v) for c, v in setup.movement.items()}
    if setup.coupling:
        out["coupling"] = float(setup.coupling)
    if setup.fill:
        out["fill"] = setup.fill
    if setup.scale != 1.0:
        out["scale"] = float(setup.scale)
    if setup.camps:
        out["camps"] = list(setup.camps)
    if setup.seeds:
        out["seed"] = [
            {"compartment": s.compartment, "count": float(s.count), "where": s.where.to_toml()}
            for s in setup.seeds
        ]
    return out


def world_to_plan(world: World) -> dict[str, Any]:
    """The world as the tables of a world file (:mod:`hyosan.space.graph`), which
    :func:`~hyosan.space.graph.world_from_toml` reads back to the same world.

    Every patch is listed with its place and people, every edge in order (the
    two edges of a two-way door as one door), every region by its patches.
    """
    patches = []
    for i, name in enumerate(world.patches):
        row: dict[str, Any] = {"name": name, "kind": world.kinds[i]}
        if world.floor is not None and world.floor[i] != 0:
            row["floor"] = int(world.floor[i])
        row |= {"x": float(world.x[i]), "y": float(world.y[i])}
        row["people"] = _number(float(world.population[i]))
        if world.labels[i] != name:
            row["label"] = world.labels[i]
        patches.append(row)
    out: dict[str, Any] = {"name": world.name, "unit": world.unit, "patches": patches}
    if world.n_edges:
        out["doors"] = _doors(world)
    if world.regions:
        out["regions"] = {r: [world.patches[i] for i in v] for r, v in world.regions.items()}
    return out


def _doors(world: World) -> list[dict[str, Any]]:
    """The edges as ``[[doors]]`` in their order: ``a -> b`` then ``b -> a`` alike is one door."""
    edges = list(
        zip(
            world.src.tolist(),
            world.dst.tolist(),
            world.weight.tolist(),
            world.closable.tolist(),
            strict=True,
        )
    )
    doors, e = [], 0
    while e < len(edges):
        a, b, w, closable = edges[e]
        two_way = e + 1 < len(edges) and edges[e + 1] == (b, a, w, closable)
        door: dict[str, Any] = {"between": [world.patches[a], world.patches[b]]}
        given = (("weight", w, 1.0), ("closable", closable, True), ("one_way", not two_way, False))
        doors.append(door | {k: v for k, v, default in given if v != default})
        e += 2 if two_way else 1
    return doors


def _number(value: float) -> int | float:
    """Whole numbers as TOML integers, others as floats."""
    return int(value) if value.is_integer() and abs(value) < 2.0**53 else value
