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

A world file can take in a built-in world whole, with its patches, doors,
people and regions (a city whose one district is the school)::

    unit = "km"

    [[include]]
    world = "hyosan-school"  # a built-in world
    region = "school"        # a new region of all its patches (required)
    at = [2.0, 1.5]          # optional: added to its x, y after scaling
    scale = 0.01             # optional: multiplies its x, y (default 1)
    floors = true            # optional: false puts every patch on floor 0
    prefix = ""              # optional: put before its patch and region names

    [[doors]]
    between = ["main-gate", "hyosan-dong"]  # doors may name included patches

The included patches follow the file's own (which may then be left out).
A region may list patches of either, and regions: an included world's, or one
listed above it in the file (``"strike-zone" = ["school", "downtown"]``).

Built-in worlds ship in ``hyosan/space/worlds/``. :func:`read_toml_file` reads
every TOML file hyosan is given (scenario, model and world files alike).
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import stat
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from hyosan._checks import check_number, check_whole
from hyosan._typing import BoolArray, FloatArray, IntArray
from hyosan.errors import InputError, unknown
from hyosan.space.join import Door, door_ends, edge_arrays, unknown_patch
from hyosan.space.world import World

__all__ = [
    "BUILTIN_WORLDS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "builtin_world",
    "load_world_file",
    "parse_toml_text",
    "read_toml_file",
    "world_from_toml",
]

BUILTIN_WORLDS = ("hyosan-school", "hyosan-city", "hyosan-camp")
KINDS = ("room", "corridor", "stairs", "hall", "yard", "gate", "roof", "camp", "district", "cell")


def builtin_world(name: str) -> World:
    """A world shipped with hyosan (see :data:`BUILTIN_WORLDS`)."""
    return _builtin(name, ())


def _builtin(name: str, chain: tuple[str, ...]) -> World:
    if name not in BUILTIN_WORLDS:
        raise unknown("built-in world", name, BUILTIN_WORLDS, key="world")
    text = (resources.files("hyosan.space") / "worlds" / f"{name}.toml").read_text("utf-8")
    source = f"builtin:{name}"
    try:
        return _build(tomllib.loads(text), (*chain, name))
    except InputError as err:
        raise err.at(err.source or source) from None


def load_world_file(path: str | Path) -> World:
    """Read a world file; bad content raises :class:`InputError` naming the file and key."""
    return world_from_toml(read_toml_file(path), source=str(path))


MAX_FILE_BYTES = 64 * 2**20  # the largest TOML file read; the largest shipped one is 100 KiB
MAX_DEPTH = 64  # tables and arrays in tables and arrays; hyosan's files need under 10
_QUOTING = {  # tomllib's reasons that quote the text, said without it
    "Found invalid character": "a character not allowed here",
    "Illegal character": "a character not allowed here",
    "Cannot declare": "a key or table given twice",
    "Cannot redefine namespace": "a table given twice",
    "Cannot mutate immutable namespace": "a table that cannot be extended here",
    "Duplicate inline table key": "a key given twice in an inline table",
}


def read_toml_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The TOML document in the file ``path``, or :class:`InputError` naming the file.

    Only a regular file of at most :data:`MAX_FILE_BYTES` is read (a named pipe
    or ``/dev/zero`` would hang or fill the memory); a file that is not UTF-8
    TOML is refused with the position of the problem, never its bytes.
    """
    source, size = os.fspath(path), 0
    allowed = f"a TOML file of at most {MAX_FILE_BYTES // 2**20} MiB"
    try:
        kind = _kind(os.stat(source).st_mode)
        if not kind:
            fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as fh:  # what was checked may have been replaced
                info = os.fstat(fh.fileno())
                kind, size = _kind(info.st_mode), info.st_size
                raw = b"" if kind or size > MAX_FILE_BYTES else fh.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as err:  # ValueError: a NUL in the name
        reason = getattr(err, "strerror", None) or "not a file name"
        problem = f"cannot read the file ({reason})"
        raise InputError(problem, source=source, allowed=allowed) from None
    if kind:
        raise InputError(f"not a regular file ({kind})", source=source, allowed=allowed)
    if max(size, len(raw)) > MAX_FILE_BYTES:  # /proc files say 0 bytes: what was read counts
        size = max(size, len(raw))
        raise InputError("too large (bytes)", source=source, value=size, allowed=allowed)
    try:
        text = raw.decode("utf-8-sig")  # a BOM (some Windows editors write one) is dropped
    except UnicodeDecodeError as err:
        problem = f"not UTF-8 text (byte {err.start})"
        raise InputError(problem, source=source, allowed="a TOML file in UTF-8") from None
    return parse_toml_text(text, source)


def _kind(mode: int) -> str:
    """``"a named pipe"``... for a file that is not a regular file, else ``""``."""
    named = ((stat.S_ISREG, ""), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"))
    return next((kind for test, kind in named if test(mode)), "a device or socket")


def parse_toml_text(text: str, source: str) -> dict[str, Any]:
    """``text`` parsed as TOML; an error gives the line, the column and the reason only."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        match = re.fullmatch(r"(.*) \((at .*)\)", str(err), re.DOTALL)
        reason, where = (match[1], f" ({match[2]})") if match else (str(err), "")
        reason = next((new for old, new in _QUOTING.items() if reason.startswith(old)), reason)
        problem = f"not valid TOML: {reason[:80]}{where}"
        raise InputError(problem, source=source, allowed="TOML syntax (https://toml.io)") from None
    except (RecursionError, MemoryError):
        allowed = f"tables and arrays nested at most {MAX_DEPTH} deep"
        raise InputError("nested too deeply", source=source, allowed=allowed) from None


def world_from_toml(data: dict[str, Any], *, source: str = "python") -> World:
    """Build a world from a parsed world file."""
    try:
        return _build(data, ())
    except InputError as err:
        raise err.at(source) from None


_TOP_KEYS = ("name", "description", "unit", "include", "patches", "doors", "regions")
_DOOR_KEYS = ("between", "weight", "closable", "one_way")
_INCLUDE_KEYS = ("world", "region", "at", "scale", "floors", "prefix")
_PATCH_KEYS = ("name", "x", "y", "people", "kind", "floor", "label")


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(
            "true or false is needed here", key=key, value=value, allowed="true, false"
        )
    return value


def _refuse_unknown_keys(table: dict[str, Any], allowed: tuple[str, ...], key: str = "") -> None:
    extra = set(table) - set(allowed)
    if extra:
        bad = sorted(extra)[0]
        raise unknown("key", bad, allowed, key=f"{key}.{bad}" if key else bad)


def _table_list(value: Any, key: str, allowed: tuple[str, ...]) -> list[dict[str, Any]]:
    """``value`` checked to be a list of tables (``[[include]]``, ``[[doors]]``)."""
    if not isinstance(value, list):
        raise InputError(
            f"{key} is a list of tables", key=key, value=value, allowed=f"[[{key}]] tables"
        )
    for j, table in enumerate(value):
        if not isinstance(table, dict):
            raise InputError(
                f"each [[{key}]] is a table",
                key=f"{key}[{j}]",
                value=table,
                allowed=", ".join(allowed),
            )
        _refuse_unknown_keys(table, allowed, f"{key}[{j}]")
    return value


def _build(data: dict[str, Any], chain: tuple[str, ...]) -> World:
    _refuse_unknown_keys(data, _TOP_KEYS)
    parts = _includes(data.get("include", []), chain)
    rows = data.get("patches", [] if parts else None)
    if not isinstance(rows, list) or not (rows or parts):
        raise InputError(
            "a world file needs [[patches]]", key="patches", allowed="one table per patch"
        )
    world = _own_patches(rows, str(data.get("name", "world"))) if rows else None
    for j, part in enumerate(parts):
        if world is None:
            world = part
            continue
        try:
            world = world.join(part)
        except InputError as err:
            raise InputError(
                err.problem,
                key=f"include[{j}]",
                value=err.value,
                allowed=f"other names, or a prefix for its names (include[{j}].prefix)",
            ) from None
    assert world is not None
    src, dst, weight, closable = _doors(data.get("doors", []), world.patches)
    return dataclasses.replace(
        world,
        name=str(data.get("name", "world")),
        unit=str(data.get("unit", "m")),
        src=np.concatenate([world.src, src]),
        dst=np.concatenate([world.dst, dst]),
        weight=np.concatenate([world.weight, weight]),
        closable=np.concatenate([world.closable, closable]),
        regions={**world.regions, **_regions(data.get("regions", {}), world)},
    )


def _own_patches(rows: list[Any], name: str) -> World:
    """The file's own ``[[patches]]``, with no doors yet."""
    names: list[str] = []
    cols: dict[str, list[Any]] = {k: [] for k in _PATCH_KEYS[1:]}
    for i, row in enumerate(rows):
        key = f"patches[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("name"), str) or not row["name"]:
            raise InputError(
                "each patch needs a name", key=f"{key}.name", allowed="a non-empty string"
            )
        _refuse_unknown_keys(row, _PATCH_KEYS, key)
        kind = row.get("kind", "room")
        if kind not in KINDS:
            raise unknown("kind of patch", kind, KINDS, key=f"{key}.kind")
        if row["name"] in names:
            raise InputError("patch names must be unique", key=f"{key}.name", value=row["name"])
        names.append(row["name"])
        cols["x"].append(check_number(row.get("x", float(i)), key=f"{key}.x", low=-math.inf))
        cols["y"].append(check_number(row.get("y", 0.0), key=f"{key}.y", low=-math.inf))
        cols["people"].append(check_number(row.get("people", 0), key=f"{key}.people"))
        cols["kind"].append(kind)
        cols["floor"].append(check_whole(row.get("floor", 0), key=f"{key}.floor", low=-math.inf))
        cols["label"].append(str(row.get("label", row["name"])))
    none = np.zeros(0, dtype=np.int64)
    return World(
        name=name,
        patches=tuple(names),
        x=np.array(cols["x"]),
        y=np.array(cols["y"]),
        population=np.array(cols["people"]),
        src=none,
        dst=none,
        weight=np.zeros(0),
        closable=np.zeros(0, dtype=np.bool_),
        kinds=tuple(cols["kind"]),
        floor=np.array(cols["floor"], dtype=np.int64),
        labels=tuple(cols["label"]),
    )


def _includes(tables: Any, chain: tuple[str, ...]) -> list[World]:
    """The built-in worlds that ``[[include]]`` takes in, moved, scaled and renamed."""
    return [
        _include(table, f"include[{j}]", chain)
        for j, table in enumerate(_table_list(tables, "include", _INCLUDE_KEYS))
    ]


def _include(table: dict[str, Any], key: str, chain: tuple[str, ...]) -> World:
    """One ``[[include]]`` table's world; ``chain`` holds the worlds being built (no cycles)."""
    name = table.get("world")
    if name in chain:
        raise InputError("a world cannot include itself", key=f"{key}.world", value=name)
    if name not in BUILTIN_WORLDS:
        allowed = [w for w in BUILTIN_WORLDS if w not in chain]
        raise unknown("built-in world", name, allowed, key=f"{key}.world")
    region = table.get("region")
    if not isinstance(region, str) or not region:
        raise InputError(
            "an include names the region of all its patches",
            key=f"{key}.region",
            value=region,
            allowed='a region name, such as "school"',
        )
    at = table.get("at", [0.0, 0.0])
    if not isinstance(at, list) or len(at) != 2:
        raise InputError("a position is needed here", key=f"{key}.at", value=at, allowed="[x, y]")
    dx, dy = (check_number(v, key=f"{key}.at", low=-math.inf) for v in at)
    scale = check_number(table.get("scale", 1.0), key=f"{key}.scale", low_open=True)
    floors = _flag(table.get("floors", True), f"{key}.floors")
    prefix = table.get("prefix", "")
    if not isinstance(prefix, str):
        raise InputError("a prefix is a string", key=f"{key}.prefix", value=prefix)
    world = _builtin(name, chain)
    regions = {f"{prefix}{r}": v for r, v in world.regions.items()}
    if region in regions:
        raise InputError(
            f"the world {name!r} has a region of this name already",
            key=f"{key}.region",
            value=region,
            allowed="a new region name, not " + ", ".join(regions),
        )
    return dataclasses.replace(
        world,
        patches=tuple(f"{prefix}{p}" for p in world.patches),
        x=dx + scale * world.x,
        y=dy + scale * world.y,
        floor=world.floor if floors else np.zeros(world.n_patches, dtype=np.int64),
        regions={**regions, region: tuple(range(world.n_patches))},
    )


def _doors(doors: Any, names: tuple[str, ...]) -> tuple[IntArray, IntArray, FloatArray, BoolArray]:
    """Edges of the ``[[doors]]`` between ``names``: src, dst, weight, closable."""
    pos = {n: i for i, n in enumerate(names)}
    out: list[Door] = []
    for i, door in enumerate(_table_list(doors, "doors", _DOOR_KEYS)):
        key = f"doors[{i}]"
        between = door.get("between")
        if not isinstance(between, list) or len(between) != 2:
            raise InputError(
                "a door is between two patches",
                key=f"{key}.between",
                value=between,
                allowed='["a", "b"]',
            )
        a, b = door_ends(pos, between[0], between[1], key=f"{key}.between")
        w = check_number(door.get("weight", 1.0), key=f"{key}.weight")
        one_way = _flag(door.get("one_way", False), f"{key}.one_way")
        can_close = _flag(door.get("closable", True), f"{key}.closable")
        out.append((a, b, w, can_close, one_way))
    return edge_arrays(out)


def _regions(table: Any, world: World) -> dict[str, tuple[int, ...]]:
    """The ``[regions]`` table: members are patch names or regions named before."""
    if not isinstance(table, dict):
        raise InputError(
            "regions is a table of named lists",
            key="regions",
            value=table,
            allowed='[regions] with lines such as "floor-3" = ["a", "b"]',
        )
    pos = {n: i for i, n in enumerate(world.patches)}
    known = dict(world.regions)
    regions: dict[str, tuple[int, ...]] = {}
    for rname, members in table.items():
        key = f"regions.{rname}"
        if not isinstance(members, list):
            raise InputError("a region is a list of patch names", key=key, value=members)
        if rname in world.regions:
            raise InputError(
                "an included world has a region of this name already", key=key, value=rname
            )
        chosen: list[int] = []
        for m in members:
            if m in pos:
                chosen.append(pos[m])
            elif m in known:
                chosen.extend(known[m])
            else:
                raise unknown_patch(m, [*pos, *known], key=key, what="patch or region")
        regions[rname] = known[rname] = tuple(dict.fromkeys(chosen))
    return regions
