"""One way to change a scenario: set a dotted key of its table, checked once.

A key names a place in the scenario's TOML table by its dotted path:
``"parameters.beta_h"``, ``"initial.S"``, ``"world.seed[0].count"``,
``"interventions[1].at"``, ``"time.end"``, ``"runs"``. :func:`set_keys`
(and :func:`set_key` for one) is what ``--set``, sweeps, fits and the viewer
use to edit a scenario. Parameters, initial counts (well mixed) and the
top-level settings are set on the scenario directly; any other key is set in
the scenario's table, which is read back by the loader. Either way the new
scenario is checked once, by the same checks a file meets, and an error
names the key.
"""

from __future__ import annotations

import copy
import re
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from hyosan.errors import InputError, unknown
from hyosan.model import Model
from hyosan.scenario.core import Scenario, TimeGrid
from hyosan.scenario.dump import scenario_to_dict
from hyosan.scenario.load import scenario_from_dict
from hyosan.scenario.schema import ModelSpec, ScenarioSpec

__all__ = ["KEY_HELP", "check_key", "parse_key", "set_key", "set_keys", "set_names"]

KEY_HELP = 'a dotted key such as "parameters.beta_h", "world.seed[0].count" or "runs"'
_SEGMENT = re.compile(r"([A-Za-z0-9_-]+)((?:\[\d+\])*)")
_DIRECT = ("runs", "engine", "seed", "time.end", "time.points")


def parse_key(key: object, *, where: str = "key") -> list[str | int]:
    """``"world.seed[0].count"``: ``["world", "seed", 0, "count"]``.

    ``where`` is the key under which an error is reported.

    Examples
    --------
    >>> parse_key("world.seed[0].count")
    ['world', 'seed', 0, 'count']
    """
    parts: list[str | int] = []
    for segment in key.split(".") if isinstance(key, str) else [""]:
        match = _SEGMENT.fullmatch(segment)
        if match is None:
            raise InputError("cannot read this key", key=where, value=key, allowed=KEY_HELP)
        parts += [match[1], *(int(i) for i in re.findall(r"\d+", match[2]))]
    return parts


def set_key(scenario: Scenario, key: str, value: Any) -> Scenario:
    """``scenario`` with ``key`` set to ``value``; see :func:`set_keys`.

    Examples
    --------
    >>> from hyosan import load_scenario
    >>> set_key(load_scenario("sir"), "parameters.beta", 0.5).parameters["beta"]
    0.5
    """
    return set_keys(scenario, [(key, value)])


def set_keys(scenario: Scenario, items: Sequence[tuple[str, Any]]) -> Scenario:
    """``scenario`` with each ``(key, value)`` of ``items`` set, in order, then checked once.

    Raises
    ------
    InputError
        For a key the scenario's table has no place for (naming the keys
        allowed there), or a value the scenario's checks refuse, keyed as in
        a scenario file.
    """
    paths = [(parse_key(k), v) for k, v in items]
    if all(_is_direct(parts, scenario) for parts, _ in paths):
        return _set_direct(scenario, paths)
    data = scenario_to_dict(scenario)
    for (key, _), (_, value) in zip(items, paths, strict=True):
        holder, last = _locate(data, key, scenario.model)
        holder[last] = copy.deepcopy(value)
    return scenario_from_dict(data, source=scenario.source, name=scenario.name)


def set_names(scenario: Scenario, values: Mapping[str, Any], *, source: str = "--set") -> Scenario:
    """Set parameters or initial counts by name (``--set beta=2``), errors placed in ``source``.

    Examples
    --------
    >>> from hyosan import load_scenario
    >>> s = set_names(load_scenario("sir"), {"beta": 0.5, "I": 3})
    >>> s.parameters["beta"], s.initial["I"]
    (0.5, 3)
    """
    model, items = scenario.model, []
    for name, value in values.items():
        if name in model.parameter_names:
            items.append((f"parameters.{name}", value))
        elif name in model.compartments and scenario.world is not None:
            raise InputError(
                "in a world, people are placed by the world's population and seeds",
                source=source,
                key=name,
                value=name,
                allowed=", ".join(model.parameter_names) + " (parameters)",
            )
        elif name in model.compartments:
            items.append((f"initial.{name}", value))
        else:
            names = [*model.parameter_names, *model.compartments]
            raise unknown("parameter or compartment", name, names, key=name, source=source)
    try:
        return set_keys(scenario, items)
    except InputError as err:
        key = err.key.split(".")[-1]
        raise InputError(
            err.problem, source=source, key=key, value=err.value, allowed=err.allowed
        ) from None


def check_key(scenario: Scenario, key: str) -> None:
    """Raise :class:`InputError` (keyed ``key``) if ``scenario`` has no place for ``key``.

    The value is not looked at: :func:`set_keys` checks it.
    """
    parts = parse_key(key)
    if parts[0] == "parameters" and len(parts) == 2:
        if parts[1] not in scenario.model.parameter_names:
            raise unknown("parameter", parts[1], scenario.model.parameter_names, key=key)
    elif not _is_direct(parts, scenario):
        _locate(scenario_to_dict(scenario), key, scenario.model)


def _is_direct(parts: list[str | int], scenario: Scenario) -> bool:
    """Whether the key is a field of the scenario itself (no table needed)."""
    if len(parts) == 2 and parts[0] == "parameters":
        return True
    if len(parts) == 2 and parts[0] == "initial" and scenario.world is None:
        return parts[1] in scenario.model.compartments
    return ".".join(str(p) for p in parts) in _DIRECT


def _set_direct(scenario: Scenario, paths: list[tuple[list[str | int], Any]]) -> Scenario:
    params, initial = dict(scenario.parameters), dict(scenario.initial)
    fields: dict[str, Any] = {}
    time: dict[str, Any] = {"end": scenario.time.end, "points": scenario.time.points}
    for parts, value in paths:
        head, last = parts[0], str(parts[-1])
        if head == "parameters":
            params[last] = value
        elif head == "initial":
            initial[last] = value
        elif head == "time":
            time[last] = value
        else:
            fields[last] = value
    grid = TimeGrid(end=time["end"], points=time["points"], unit=scenario.time.unit)
    try:
        return scenario.replace(parameters=params, initial=initial, time=grid, **fields)
    except InputError as err:
        raise err.at(scenario.source) from None


def _unwrap(tp: Any) -> Any:
    """The type inside ``Annotated[...]`` and ``X | None``."""
    while typing.get_origin(tp) in (typing.Annotated, typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        tp = inner[0] if typing.get_origin(tp) is typing.Annotated or len(inner) == 1 else Any
    return tp


def _is_table(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _path(parts: Sequence[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")


def _locate(data: dict[str, Any], key: str, model: Model) -> tuple[Any, str | int]:
    """The dict or list that holds ``key`` and the key in it; missing tables are made.

    The keys allowed at each level are the schema's (:mod:`hyosan.scenario.schema`),
    the model's names in ``parameters``, ``initial``, ``movement`` and ``set``,
    and the keys present in any other table.
    """
    params, comps = model.parameter_names, model.compartments
    names = {"parameters": params, "set": params, "initial": comps, "movement": comps}
    parts = parse_key(key)
    node: Any = data
    tp: Any = ScenarioSpec
    for depth, part in enumerate(parts):
        tp, here = _unwrap(tp), _path(parts[:depth]) or "the scenario"
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                n = len(node) if isinstance(node, list) else 0
                allowed = f"0 to {n - 1}" if n else ""
                raise InputError(f"no item [{part}] in {here}", key=key, value=key, allowed=allowed)
            tp = typing.get_args(tp)[0] if typing.get_origin(tp) is list else Any
            known: list[Any] = []
        else:
            known = _known_keys(tp, node, data, parts, depth, names)
            if part not in known or not isinstance(node, dict):
                hint = f"an index: {here}[0]" if isinstance(node, list) else ", ".join(known)
                raise InputError(f"no key {part!r} in {here}", key=key, value=key, allowed=hint)
            if _is_table(tp):
                tp = ModelSpec if part == "model" else tp.model_fields[part].annotation
            else:
                tp = typing.get_args(tp)[1] if typing.get_origin(tp) is dict else Any
        if depth < len(parts) - 1:
            if isinstance(node, dict) and part not in node:
                node[part] = [] if typing.get_origin(_unwrap(tp)) is list else {}
            node = node[part]
    return node, parts[-1]


def _known_keys(
    tp: Any,
    node: Any,
    data: dict[str, Any],
    parts: list[str | int],
    depth: int,
    names: dict[str, tuple[str, ...]],
) -> list[Any]:
    """The keys a table at ``parts[:depth]`` may hold."""
    if _is_table(tp):
        top = ("sweep", "initial" if "world" in data else "world")
        return [k for k in tp.model_fields if depth or k not in top]
    if typing.get_origin(tp) is dict:  # a free table: any name but the model's
        return list(names.get(str(parts[depth - 1]), [*node, parts[depth]]))
    return list(node) if isinstance(node, dict) else []
