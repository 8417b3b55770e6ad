"""From :meth:`Result.from_arrays`'s arguments to the checked :class:`Parts` of a result.

One job: check the arrays and the provenance a caller hands in, and lay them
out as the variables, coordinates and attributes described in
:mod:`hyosan.results.result` (the counts and events, the resolved parameter
values, and in space the fields with the world's coordinates). Every check
raises :class:`~hyosan.errors.InputError` naming the argument at fault.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from hyosan._checks import check_number, check_whole
from hyosan._typing import FloatArray, IntArray
from hyosan.errors import InputError, unknown
from hyosan.results._parts import Parts

if TYPE_CHECKING:
    from hyosan.space import World

__all__ = ["DIMS", "base_parts", "provenance", "with_fields", "with_parameters"]

DIMS = ("run", "time", "compartment")
"""Dimensions of the ``counts`` variable, in order."""


def base_parts(
    counts: npt.ArrayLike,
    times: npt.ArrayLike,
    compartments: Sequence[str],
    events: npt.ArrayLike,
    roles: Mapping[str, Sequence[str]],
) -> Parts:
    """``counts`` and ``events`` on the coordinates ``run``, ``time``, ``compartment``, checked.

    ``roles`` (``humans``, ``zombies``) must name compartments of ``compartments``.
    """
    data = np.asarray(counts, dtype=np.float64)
    grid = np.asarray(times, dtype=np.float64)
    names = tuple(str(c) for c in compartments)
    n_events = np.asarray(events, dtype=np.int64)
    _check_shapes(data, grid, names, n_events)
    for role, members in roles.items():
        missing = [c for c in members if c not in names]
        if missing:
            raise unknown("compartment", missing[0], names, key=role)
    coords = {
        "run": ("run", np.arange(data.shape[0], dtype=np.int64)),
        "time": ("time", grid),
        "compartment": ("compartment", np.array(names, dtype=str)),
    }
    return Parts({"counts": (DIMS, data), "events": (("run",), n_events)}, coords, {})


def provenance(
    engine: str,
    seed: int,
    scenario_name: str,
    model: str,
    roles: Mapping[str, Sequence[str]],
    time_unit: str,
    scenario_toml: str,
) -> dict[str, Any]:
    """The attributes that say where a result came from (str and int only, for netCDF).

    ``roles`` maps ``humans`` and ``zombies`` to their compartments (stored comma-joined).
    """
    return {
        "hyosan_version": _version(),
        "engine": str(engine),
        "seed": check_whole(seed, key="seed"),
        "scenario_name": str(scenario_name),
        "model": str(model),
        "humans": ",".join(roles["humans"]),
        "zombies": ",".join(roles["zombies"]),
        "time_unit": str(time_unit),
        "scenario_toml": str(scenario_toml),
    }


def with_parameters(
    parts: Parts, parameters: Mapping[str, float], units: Mapping[str, str] | None = None
) -> Parts:
    """Add the coordinate ``parameter`` (names) and ``parameter_value`` on it (float64),
    and with ``units`` the coordinate ``parameter_unit`` (``""`` where a unit is not given).

    An empty mapping adds nothing: a result without parameters has neither.
    """
    if not parameters:
        return parts
    names = [str(name) for name in parameters]
    values = [
        check_number(v, key=f"parameters.{name}", low=-math.inf) for name, v in parameters.items()
    ]
    coords: dict[str, tuple[str, Any]] = {"parameter": ("parameter", np.array(names, dtype=str))}
    if units:
        given = [str(units.get(name, "")) for name in names]
        coords["parameter_unit"] = ("parameter", np.array(given, dtype=str))
    return parts.adding(
        {"parameter_value": (("parameter",), np.array(values, dtype=np.float64))}, coords, {}
    )


def with_fields(parts: Parts, fields: npt.ArrayLike, world: World | None) -> Parts:
    """Add ``fields`` and the world's coordinates (see :mod:`hyosan.results.result`)."""
    if world is None:
        raise InputError("fields need the world they live in", key="world")
    per_patch = np.asarray(fields, dtype=np.float64)
    n_runs, n_times, n_comps = parts.values("counts").shape
    if per_patch.shape != (n_runs, n_times, n_comps, world.n_patches):
        raise InputError(
            "fields must have shape (runs, times, compartments, patches)",
            key="fields",
            value=per_patch.shape,
            allowed=f"({n_runs}, {n_times}, {n_comps}, {world.n_patches})",
        )
    assert world.row is not None and world.col is not None
    coords: dict[str, tuple[str, Any]] = {
        "patch": ("patch", np.array(world.patches, dtype=str)),
        "patch_x": ("patch", world.x),
        "patch_y": ("patch", world.y),
        "patch_row": ("patch", world.row),
        "patch_col": ("patch", world.col),
        "patch_kind": ("patch", np.array(world.kinds, dtype=str)),
        "patch_floor": ("patch", world.floor),
        "patch_label": ("patch", np.array(world.labels, dtype=str)),
        "edge_src": ("edge", world.src),
        "edge_dst": ("edge", world.dst),
    }
    rows, cols = world.grid_shape
    attrs = {
        "world": world.name,
        "world_kind": "raster" if world.is_raster else "graph",
        "map": world.map_name,
        "map_cell": world.map_cell,
        "grid_rows": int(rows),
        "grid_cols": int(cols),
        "crs": world.crs,
        "cell_m": float(world.cell_m),
        "world_unit": world.unit,
    }
    variables = {"fields": (("run", "time", "compartment", "patch"), per_patch)}
    return parts.adding(variables, coords, attrs)


def _check_shapes(
    data: FloatArray, grid: FloatArray, names: tuple[str, ...], events: IntArray
) -> None:
    """Raise the first way in which the arrays disagree with each other."""
    if data.ndim != 3:
        raise InputError(
            "counts must have 3 axes (run, time, compartment)",
            key="counts",
            value=data.shape,
            allowed="an array of shape (runs, times, compartments)",
        )
    n_runs, n_times, n_comps = data.shape
    checks: list[tuple[bool, str, str, object, str]] = [
        (
            n_runs >= 1 and n_times >= 1,
            "counts need at least one run and one time",
            "counts",
            data.shape,
            "runs >= 1 and times >= 1",
        ),
        (
            grid.shape == (n_times,),
            "times must have one value per time of counts",
            "times",
            grid.shape,
            f"shape ({n_times},)",
        ),
        (
            len(names) == n_comps and len(set(names)) == n_comps,
            "compartments must be distinct, one per last axis of counts",
            "compartments",
            names,
            f"{n_comps} distinct names",
        ),
        (
            not any("," in n for n in names),
            "a compartment name cannot contain a comma",
            "compartments",
            names,
            "identifiers such as S, Z, Ez",
        ),
        (
            events.shape == (n_runs,),
            "events must have one value per run",
            "events",
            events.shape,
            f"shape ({n_runs},)",
        ),
    ]
    for ok, problem, key, value, allowed in checks:
        if not ok:
            raise InputError(problem, key=key, value=value, allowed=allowed)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hyosan")
    except PackageNotFoundError:
        return "unknown"
