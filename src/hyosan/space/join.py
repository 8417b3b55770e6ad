"""Edges between named patches, and :meth:`World.join`, which glues two worlds with doors.

An edge or a door names its two patches. :func:`unknown_patch` is the error
for a name a world does not have (its closest names as what is allowed, since
a map world has thousands); :func:`door_ends` finds a door's two patches;
:func:`edge_arrays` turns doors into the ``src, dst, weight, closable`` arrays
of a :class:`~hyosan.space.World`, an edge each way unless the door is one way.
World files (:mod:`hyosan.space.graph`), :meth:`World.from_edges` and
:func:`join_worlds` share them.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from hyosan._checks import check_number
from hyosan._typing import BoolArray, FloatArray, IntArray
from hyosan.errors import InputError, unknown

if TYPE_CHECKING:
    from hyosan.space.world import World

__all__ = ["door_ends", "edge_arrays", "join_worlds", "unknown_patch"]

Door = tuple[int, int, float, bool, bool]
"""A door between patch indices: ``(a, b, weight, closable, one_way)``."""


def unknown_patch(
    name: object, patches: Sequence[str], *, key: str, what: str = "patch"
) -> InputError:
    """The error for a patch name not in ``patches``: the closest names (or the first 8) allowed.

    Examples
    --------
    >>> print(unknown_patch("hal", ["hall", "gate"], key="doors[0]"))
    doors[0]: unknown patch (did you mean 'hall'?) (got 'hal'); allowed: hall, ...
    """
    shown = difflib.get_close_matches(str(name), patches, n=5) or list(patches[:8])
    more = ", ..." if len(patches) > len(shown) else ""
    return unknown(what, name, shown, key=key, extra=more)


def door_ends(pos: Mapping[str, int], a: str, b: str, *, key: str) -> tuple[int, int]:
    """The indices of a door's two patches, or :class:`InputError` under ``key``.

    ``pos`` maps each patch name to its index; a door must join two different
    patches.
    """
    for end in (a, b):
        if end not in pos:
            raise unknown_patch(end, list(pos), key=key)
    if a == b:
        raise InputError("a door joins two different patches", key=key, value=(a, b))
    return pos[a], pos[b]


def edge_arrays(doors: Iterable[Door]) -> tuple[IntArray, IntArray, FloatArray, BoolArray]:
    """``src, dst, weight, closable`` of the edges of ``doors``: ``a -> b``, then ``b -> a``
    unless the door is one way.

    Examples
    --------
    >>> [a.tolist() for a in edge_arrays([(0, 1, 2.0, True, False), (1, 2, 1.0, False, True)])]
    [[0, 1, 1], [1, 0, 2], [2.0, 2.0, 1.0], [True, True, False]]
    """
    src: list[int] = []
    dst: list[int] = []
    weight: list[float] = []
    closable: list[bool] = []
    for a, b, w, can_close, one_way in doors:
        for s, d in [(a, b)] if one_way else [(a, b), (b, a)]:
            src.append(s)
            dst.append(d)
            weight.append(w)
            closable.append(can_close)
    return (
        np.array(src, dtype=np.int64),
        np.array(dst, dtype=np.int64),
        np.array(weight, dtype=np.float64),
        np.array(closable, dtype=np.bool_),
    )


def join_worlds(
    first: World,
    other: World,
    *,
    doors: Sequence[tuple[str, str, float, bool]] = (),
    prefix: str = "",
    name: str | None = None,
) -> World:
    """``first`` and ``other`` side by side, glued by two-way ``doors``: see :meth:`World.join`."""
    if other.is_raster:
        raise InputError(
            "a raster world can only be the first of a join",
            key="other",
            value=other.name,
            allowed="a world of rooms, districts or camps",
        )
    theirs = tuple(f"{prefix}{p}" for p in other.patches)
    their_regions = {f"{prefix}{r}": v for r, v in other.regions.items()}
    _refuse_clash("patch", first.patches, theirs, first, other)
    _refuse_clash("region", tuple(first.regions), tuple(their_regions), first, other)
    names = (*first.patches, *theirs)
    n = first.n_patches
    src, dst, weight, closable = edge_arrays(_door_tuples(names, doors))
    off = np.full(other.n_patches, -1, dtype=np.int64)
    return dataclasses.replace(  # keeps first's unit, grid and map
        first,
        name=first.name if name is None else name,
        patches=names,
        x=np.concatenate([first.x, other.x]),
        y=np.concatenate([first.y, other.y]),
        population=np.concatenate([first.population, other.population]),
        src=np.concatenate([first.src, other.src + n, src]),
        dst=np.concatenate([first.dst, other.dst + n, dst]),
        weight=np.concatenate([first.weight, other.weight, weight]),
        closable=np.concatenate([first.closable, other.closable, closable]),
        kinds=(*first.kinds, *other.kinds),
        regions={**first.regions, **{r: tuple(i + n for i in v) for r, v in their_regions.items()}},
        row=np.concatenate([first.row, off]) if first.row is not None else None,
        col=np.concatenate([first.col, off]) if first.col is not None else None,
        floor=np.concatenate([first.floor, other.floor]) if first.floor is not None else None,
        labels=(*first.labels, *other.labels),
    )


def _refuse_clash(
    what: str, mine: tuple[str, ...], theirs: tuple[str, ...], first: World, other: World
) -> None:
    """A patch or region name in both worlds is an error that suggests a prefix."""
    clash = sorted(set(mine) & set(theirs))
    if clash:
        raise InputError(
            f"a {what} of this name is in both worlds ({first.name!r} and {other.name!r})",
            key="patches" if what == "patch" else "regions",
            value=clash[0],
            allowed="distinct names; join with a prefix for the second world",
        )


def _door_tuples(
    names: tuple[str, ...], doors: Sequence[tuple[str, str, float, bool]]
) -> list[Door]:
    """Each door ``(a, b, weight, closable)`` between ``names``, checked, as a two-way door."""
    pos = {p: i for i, p in enumerate(names)}
    out: list[Door] = []
    for k, door in enumerate(doors):
        key = f"doors[{k}]"
        if len(door) != 4:
            raise InputError(
                "a door is (a, b, weight, closable)", key=key, value=door, allowed="four values"
            )
        a, b, w, can_close = door
        i, j = door_ends(pos, a, b, key=key)
        weight = check_number(w, key=key, problem="a door's weight must be a finite number >= 0")
        out.append((i, j, weight, bool(can_close), False))
    return out
