"""The ``[world]`` table of a scenario: read and write.

See :mod:`hyosan.space.setup` for the table's keys.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hyosan.errors import InputError
from hyosan.scenario.schema import WorldSpec
from hyosan.space import Placement, Selection, World, WorldSetup, builtin_world, load_world_file
from hyosan.space.world import world_from_map

__all__ = ["setup_from_spec", "setup_to_dict"]

_ACTIONS = ("cordon", "lockdown", "barricade", "reopen", "strike")
_SOURCES = ("builtin", "map", "file", "lattice")


def _world(spec: WorldSpec, base_dir: Path | None) -> tuple[World, dict[str, Any]]:
    given = [k for k in _SOURCES if getattr(spec, k) is not None]
    if len(given) != 1:
        raise InputError(
            "the world needs exactly one source",
            key="world",
            value=given or None,
            allowed='builtin = "hyosan-school", map = "korea", file = "plan.toml", '
            "or lattice = { rows = 50, cols = 50 }",
        )
    kind = given[0]
    if kind == "builtin":
        assert spec.builtin is not None
        try:
            return builtin_world(spec.builtin), {"builtin": spec.builtin}
        except InputError as err:
            raise InputError(
                err.problem, key="world.builtin", value=spec.builtin, allowed=err.allowed
            ) from None
    if kind == "map":
        assert spec.map is not None
        try:
            return world_from_map(spec.map, spec.cell), {"map": spec.map, "cell": spec.cell}
        except InputError as err:
            raise err.at(key_prefix="world") from None
    if kind == "file":
        assert spec.file is not None
        path = Path(spec.file)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.is_file():
            raise InputError(
                "no world file at this path",
                key="world.file",
                value=spec.file,
                allowed="a world file (.toml), relative to the scenario file",
            )
        return load_world_file(path), {"file": str(path.resolve())}
    lat = spec.lattice
    assert lat is not None
    if lat.rows < 1 or lat.cols < 1 or lat.people < 0 or lat.cell <= 0:
        raise InputError(
            "a lattice has at least one row and column, people >= 0 and cell > 0",
            key="world.lattice",
            value=lat.model_dump(),
        )
    pop = [[lat.people] * lat.cols for _ in range(lat.rows)]
    ref = {"lattice": lat.model_dump()}
    return World.lattice(pop, name=f"lattice-{lat.rows}x{lat.cols}", cell=lat.cell, unit=""), ref


def setup_from_spec(
    spec: WorldSpec, *, base_dir: str | os.PathLike[str] | None = None
) -> WorldSetup:
    """Build the :class:`~hyosan.space.WorldSetup` a ``[world]`` table describes."""
    world, ref = _world(spec, Path(base_dir) if base_dir is not None else None)
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
    out: dict[str, Any] = dict(setup.ref)
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
