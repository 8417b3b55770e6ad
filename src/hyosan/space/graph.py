"""Worlds from world files: rooms and doors, written in TOML.

A world file lists patches and the doors between them::

    name = "hyosan-school"
    unit = "m"

    [[patches]]
    name = "science-lab"   # unique
    kind = "room"          # room, corridor, stairs, hall, yard, gate, roof, camp, district
    floor = 3              # optional, 0 outside
    x = 12.0               # plan position
    y = 40.0
    people = 30            # humans here at the start
    label = "Science lab"  # optional

    [[doors]]
    between = ["science-lab", "corridor-3f"]
    weight = 1.0           # ease of passage (default 1)
    closable = true        # can be barricaded (default true)
    one_way = false        # default false: an edge each way

    [regions]
    "floor-3" = ["science-lab", "corridor-3f"]

Built-in worlds ship in ``hyosan/space/worlds/``.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from hyosan.errors import InputError
from hyosan.space.world import World

__all__ = ["BUILTIN_WORLDS", "builtin_world", "load_world_file", "world_from_toml"]

BUILTIN_WORLDS = ("hyosan-school",)
KINDS = ("room", "corridor", "stairs", "hall", "yard", "gate", "roof", "camp", "district", "cell")


def builtin_world(name: str) -> World:
    """A world shipped with hyosan (see :data:`BUILTIN_WORLDS`)."""
    if name not in BUILTIN_WORLDS:
        raise InputError(
            "no built-in world of this name",
            key="world",
            value=name,
            allowed=", ".join(BUILTIN_WORLDS),
        )
    text = (resources.files("hyosan.space") / "worlds" / f"{name}.toml").read_text("utf-8")
    return world_from_toml(tomllib.loads(text), source=f"builtin:{name}")


def load_world_file(path: str | Path) -> World:
    """Read a world file; bad content raises :class:`InputError` naming the file and key."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text("utf-8"))
    except OSError as err:
        raise InputError(
            f"cannot read the world file ({err.strerror})", source=str(p), value=str(p)
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"not valid TOML: {err}", source=str(p)) from None
    return world_from_toml(data, source=str(p))


def world_from_toml(data: dict[str, Any], *, source: str = "python") -> World:
    """Build a world from a parsed world file."""
    try:
        return _build(data)
    except InputError as err:
        raise err.at(source) from None


_DOOR_KEYS = "between, weight, closable, one_way"


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(
            "true or false is needed here", key=key, value=value, allowed="true, false"
        )
    return value


def _number(value: Any, key: str, *, minimum: float = 0.0) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not value >= minimum
        or not np.isfinite(value)
    ):
        raise InputError(
            "a number is needed here", key=key, value=value, allowed=f"a number >= {minimum:g}"
        )
    return float(value)


def _build(data: dict[str, Any]) -> World:
    unknown = set(data) - {"name", "description", "unit", "patches", "doors", "regions"}
    if unknown:
        key = sorted(unknown)[0]
        raise InputError(
            "unknown key",
            key=key,
            value=key,
            allowed="name, description, unit, patches, doors, regions",
        )
    rows = data.get("patches")
    if not isinstance(rows, list) or not rows:
        raise InputError(
            "a world file needs [[patches]]", key="patches", allowed="one table per patch"
        )
    names: list[str] = []
    cols: dict[str, list[Any]] = {k: [] for k in ("x", "y", "people", "kind", "floor", "label")}
    for i, row in enumerate(rows):
        key = f"patches[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("name"), str) or not row["name"]:
            raise InputError(
                "each patch needs a name", key=f"{key}.name", allowed="a non-empty string"
            )
        extra = set(row) - {"name", *cols}
        if extra:
            bad = sorted(extra)[0]
            raise InputError(
                "unknown key", key=f"{key}.{bad}", value=bad, allowed="name, " + ", ".join(cols)
            )
        kind = row.get("kind", "room")
        if kind not in KINDS:
            raise InputError(
                "unknown kind of patch", key=f"{key}.kind", value=kind, allowed=", ".join(KINDS)
            )
        names.append(row["name"])
        cols["x"].append(_number(row.get("x", float(i)), f"{key}.x", minimum=-np.inf))
        cols["y"].append(_number(row.get("y", 0.0), f"{key}.y", minimum=-np.inf))
        cols["people"].append(_number(row.get("people", 0), f"{key}.people"))
        cols["kind"].append(kind)
        cols["floor"].append(int(_number(row.get("floor", 0), f"{key}.floor", minimum=-np.inf)))
        cols["label"].append(str(row.get("label", row["name"])))
    pos: dict[str, int] = {}
    for i, n in enumerate(names):
        if n in pos:
            raise InputError("patch names must be unique", key=f"patches[{i}].name", value=n)
        pos[n] = i
    src: list[int] = []
    dst: list[int] = []
    weight: list[float] = []
    closable: list[bool] = []
    for i, door in enumerate(data.get("doors", [])):
        key = f"doors[{i}]"
        if not isinstance(door, dict):
            raise InputError("a door is a table", key=key, value=door, allowed=_DOOR_KEYS)
        extra = set(door) - set(_DOOR_KEYS.split(", "))
        if extra:
            bad = sorted(extra)[0]
            raise InputError("unknown key", key=f"{key}.{bad}", value=bad, allowed=_DOOR_KEYS)
        between = door.get("between")
        if not isinstance(between, list) or len(between) != 2:
            raise InputError(
                "a door is between two patches",
                key=f"{key}.between",
                value=between,
                allowed='["a", "b"]',
            )
        for end in between:
            if end not in pos:
                raise InputError(
                    "a door names an unknown patch",
                    key=f"{key}.between",
                    value=end,
                    allowed=", ".join(names[:10]) + (", ..." if len(names) > 10 else ""),
                )
        w = _number(door.get("weight", 1.0), f"{key}.weight")
        a, b = pos[between[0]], pos[between[1]]
        if a == b:
            raise InputError(
                "a door joins two different patches", key=f"{key}.between", value=between
            )
        one_way = _flag(door.get("one_way", False), f"{key}.one_way")
        can_close = _flag(door.get("closable", True), f"{key}.closable")
        ends = [(a, b)] if one_way else [(a, b), (b, a)]
        for s, d in ends:
            src.append(s)
            dst.append(d)
            weight.append(w)
            closable.append(can_close)
    regions: dict[str, tuple[int, ...]] = {}
    table = data.get("regions", {})
    if not isinstance(table, dict):
        raise InputError(
            "regions is a table of named lists",
            key="regions",
            value=table,
            allowed='[regions] with lines such as "floor-3" = ["a", "b"]',
        )
    for rname, members in table.items():
        if not isinstance(members, list):
            raise InputError(
                "a region is a list of patch names", key=f"regions.{rname}", value=members
            )
        for m in members:
            if m not in pos:
                raise InputError("a region names an unknown patch", key=f"regions.{rname}", value=m)
        regions[rname] = tuple(pos[m] for m in members)
    return World(
        name=str(data.get("name", "world")),
        patches=tuple(names),
        x=np.array(cols["x"]),
        y=np.array(cols["y"]),
        population=np.array(cols["people"]),
        src=np.array(src, dtype=np.int64),
        dst=np.array(dst, dtype=np.int64),
        weight=np.array(weight),
        closable=np.array(closable, dtype=np.bool_),
        kinds=tuple(cols["kind"]),
        regions=regions,
        floor=np.array(cols["floor"], dtype=np.int64),
        labels=tuple(cols["label"]),
        unit=str(data.get("unit", "m")),
    )
